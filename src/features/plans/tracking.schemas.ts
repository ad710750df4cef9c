/**
 * Input schemas of task tracking and the activity ledger. Forms send strings, other features send typed values;
 * both go through the same schema, with Vietnamese messages.
 */
import { z } from "zod";
import { nfc, parseDateInput, squash } from "../../core/text/vi.ts";
import { oneLine } from "../../core/web/validation.ts";
import { CHANNEL_KINDS, type ChannelKind, PILLARS, type PillarCode } from "./plan-draft.ts";
import type { StoredStatus } from "./progress.ts";

/** An evidence file as received: its name as sent and its bytes (checked by content, never by name). */
export interface UploadInput {
  name: string;
  bytes: Uint8Array;
}

const trimmed = (v: unknown) => (typeof v === "string" ? nfc(v).trim() : v);
const optionalText = (max: number, tooLong: string, singleLine = true) =>
  z.preprocess((v) => {
    if (v == null) return null;
    if (typeof v !== "string") return v;
    const t = singleLine ? squash(nfc(v)) : nfc(v).trim();
    return t === "" ? null : t;
  }, z.string({ error: tooLong }).max(max, tooLong).nullable());

/** "1.500.000" or "1500000" → 1500000; "" → null; anything else is left for the schema to refuse. */
const wholeNumber = (v: unknown) => {
  if (v == null) return null;
  if (typeof v !== "string") return v;
  const t = v.trim().replace(/[\s_]/g, "");
  if (t === "") return null;
  if (/^\d{1,3}(\.\d{3})+$/.test(t)) return Number(t.replace(/\./g, ""));
  if (/^\d+$/.test(t)) return Number(t);
  return v;
};
const optionalId = z.preprocess(
  wholeNumber,
  z.number({ error: "Mã không hợp lệ." }).int("Mã không hợp lệ.").positive("Mã không hợp lệ.").nullable(),
);
const optionalCount = (max: number, message: string) =>
  z.preprocess(wholeNumber, z.number({ error: message }).int(message).min(0, message).max(max, message).nullable());

/** A progress update: the task's new (or same) status and a note. */
export const updateSchema = z.object({
  status: z.enum(["not_started", "in_progress", "done"], { error: "Hãy chọn tình trạng của nhiệm vụ." }),
  note: z.preprocess(
    (v) => (v == null ? "" : trimmed(v)),
    z.string({ error: "Nội dung cập nhật không hợp lệ." }).max(4000, "Nội dung cập nhật tối đa 4.000 ký tự."),
  ),
});

export type UpdateTaskInput = {
  status: StoredStatus | string;
  note?: string | null;
  files?: UploadInput[];
};

const CHANNEL_CODES = Object.keys(CHANNEL_KINDS) as [ChannelKind, ...ChannelKind[]];
const PILLAR_CODES = Object.keys(PILLARS) as [PillarCode, ...PillarCode[]];

/** One activity for the ledger; `today` bounds its date (no activity is recorded ahead of time). */
export function activitySchema(today: string) {
  return z.object({
    taskId: optionalId,
    planId: optionalId,
    orgUnitId: z.preprocess(
      wholeNumber,
      z
        .number({ error: "Hãy chọn đơn vị thực hiện." })
        .int("Hãy chọn đơn vị thực hiện.")
        .positive("Hãy chọn đơn vị thực hiện."),
    ),
    channelKind: z.enum(CHANNEL_CODES, { error: "Hãy chọn hình thức tuyên truyền trong danh sách." }),
    pillar: z.preprocess(
      (v) => (v === "" || v == null ? null : v),
      z.enum(PILLAR_CODES, { error: "Nội dung tuyên truyền không hợp lệ: hãy chọn trong danh sách." }).nullable(),
    ),
    title: z.preprocess(
      oneLine,
      z
        .string({ error: "Hãy nhập tên hoạt động." })
        .min(1, "Hãy nhập tên hoạt động.")
        .max(300, "Tên hoạt động tối đa 300 ký tự."),
    ),
    occurredOn: z.preprocess(
      trimmed,
      z
        .string({ error: "Hãy nhập ngày thực hiện." })
        .min(1, "Hãy nhập ngày thực hiện.")
        .refine(
          (s) => parseDateInput(s) !== null,
          "Ngày thực hiện không hợp lệ: nhập theo dạng ngày/tháng/năm, ví dụ 19/02/2024.",
        )
        .transform((s) => parseDateInput(s) as string)
        .refine((d) => d <= today, "Ngày thực hiện không được sau hôm nay.")
        .refine((d) => d >= "2000-01-01", "Ngày thực hiện không hợp lệ."),
    ),
    place: optionalText(300, "Địa điểm tối đa 300 ký tự."),
    audience: optionalCount(10_000_000, "Số lượt người được tiếp cận phải là số nguyên không âm."),
    participants: optionalText(1000, "Thành phần tham dự tối đa 1.000 ký tự."),
    cost: optionalCount(1_000_000_000_000, "Kinh phí phải là số tiền (đồng) không âm, không có phần lẻ."),
    source: z.preprocess(
      (v) => (v == null || v === "" ? "manual" : v),
      z.string().regex(/^[a-z][a-z_]{0,29}$/, "Nguồn ghi nhận không hợp lệ."),
    ),
    sourceRef: optionalText(200, "Mã nguồn ghi nhận tối đa 200 ký tự."),
  });
}

export type RecordActivityInput = {
  /** The task it carries out, or… */
  taskId?: number | string | null;
  /** …the plan, when it serves the plan as a whole. Neither: a ward-level ledger entry. */
  planId?: number | string | null;
  orgUnitId: number | string;
  channelKind: ChannelKind | string;
  pillar?: PillarCode | string | null;
  title: string;
  /** ISO date (or dd/mm/yyyy), not after today. */
  occurredOn: string;
  place?: string | null;
  audience?: number | string | null;
  participants?: string | null;
  /** Whole đồng. */
  cost?: number | string | null;
  /** "manual" (default), or the calling feature: "feedback", "radio", … */
  source?: string;
  /** The calling feature's own id for the thing: the same (source, sourceRef) is recorded once. */
  sourceRef?: string | null;
  files?: UploadInput[];
};
