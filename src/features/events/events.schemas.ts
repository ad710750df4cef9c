/** Event forms validated at the edge: Vietnamese messages keyed by field; text NFC, one-line fields squashed. */
import { z } from "zod";
import { nfc, parseDateInput } from "../../core/text/vi.ts";
import { idField, oneLine, queryDay } from "../../core/web/validation.ts";
import { ATTENDANCE_GROUPS, type AttendanceGroup, EVENT_KINDS } from "./events.rules.ts";

/** A time of day typed as "8:00", "08h00", "8g" or "08:00": "HH:MM", or `message`. */
export const time = (message: string) =>
  z.preprocess(
    (v) =>
      typeof v === "string"
        ? v
            .trim()
            .replace(/^(\d):/, "0$1:")
            .replace(/[hg](\d{2})?$/i, ":$1")
            .replace(/:$/, ":00")
        : v,
    z.string({ error: message }).regex(/^([01]\d|2[0-3]):[0-5]\d$/, message),
  );

/** A count typed in a form ("1.500" and "1 500" read as 1500); empty or left out is null. */
const count = (message: string, max: number) =>
  z.preprocess((v) => {
    if (v == null) return null;
    if (typeof v !== "string") return v;
    const digits = v.replace(/[.\s]/g, "");
    if (digits === "") return null;
    return /^\d+$/.test(digits) ? Number(digits) : v;
  }, z.number({ error: message }).int(message).min(0, message).max(max, message).nullable());

/** A list typed one per line or separated by commas or semicolons: each item trimmed, empty ones dropped. */
const list = (max: number, message: string) =>
  z.preprocess(
    (v) =>
      typeof v === "string"
        ? nfc(v)
            .split(/[\n;,]/)
            .map((s) => s.replace(/\s+/g, " ").trim())
            .filter(Boolean)
        : v,
    z.array(z.string().max(200, "Mỗi tên tối đa 200 ký tự.")).max(max, message),
  );

export const eventForm = z
  .object({
    title: z.preprocess(
      oneLine,
      z
        .string({ error: "Nhập tên sự kiện." })
        .min(5, "Tên sự kiện ít nhất 5 ký tự.")
        .max(200, "Tên sự kiện tối đa 200 ký tự."),
    ),
    kind: z.enum(Object.keys(EVENT_KINDS) as [keyof typeof EVENT_KINDS], { error: "Chọn loại sự kiện." }),
    orgUnitId: idField("Chọn đơn vị tổ chức."),
    place: z.preprocess(
      oneLine,
      z.string({ error: "Nhập địa điểm." }).min(2, "Nhập địa điểm.").max(200, "Địa điểm tối đa 200 ký tự."),
    ),
    startsOn: z.preprocess(
      (v) => (typeof v === "string" ? (parseDateInput(v) ?? v) : v),
      z.string({ error: "Nhập ngày tổ chức." }).regex(/^\d{4}-\d{2}-\d{2}$/, "Ngày tổ chức chưa đúng (dd/mm/yyyy)."),
    ),
    startsAt: time("Giờ bắt đầu chưa đúng (hh:mm, ví dụ 08:00)."),
    endsAt: time("Giờ kết thúc chưa đúng (hh:mm, ví dụ 10:30)."),
    partners: list(20, "Tối đa 20 đơn vị phối hợp."),
    areaIds: z.array(idField("Lĩnh vực nội dung không hợp lệ.")).max(20, "Chọn tối đa 20 lĩnh vực."),
    expectedAudience: count("Số người dự kiến là số nguyên từ 0 đến 100.000.", 100_000),
    description: z.preprocess(
      (v) => (typeof v === "string" ? nfc(v).trim() : v),
      z.string().max(5000, "Nội dung tối đa 5.000 ký tự."),
    ),
  })
  .refine((e) => e.endsAt > e.startsAt, { path: ["endsAt"], message: "Giờ kết thúc phải sau giờ bắt đầu." });
export type EventInput = z.infer<typeof eventForm>;

/** The form's raw values as the schema reads them (checkbox lists arrive as repeated fields). */
export function eventFormInput(values: Record<string, string>, areaIds: string[]) {
  return { ...values, areaIds };
}

const attendanceShape = Object.fromEntries(
  Object.keys(ATTENDANCE_GROUPS).map((g) => [g, count("Số người là số nguyên từ 0 đến 100.000.", 100_000)]),
) as Record<AttendanceGroup, ReturnType<typeof count>>;

export const heldForm = z
  .object({
    ...attendanceShape,
    cost: count("Kinh phí là số tiền (đồng), số nguyên không âm.", 10_000_000_000),
  })
  .refine((v) => Object.keys(ATTENDANCE_GROUPS).some((g) => (v[g as AttendanceGroup] ?? 0) > 0), {
    path: ["residents"],
    message: "Nhập số người tham dự của ít nhất một thành phần.",
  });

export const reasonForm = z.object({
  reason: z.preprocess(
    oneLine,
    z.string({ error: "Nhập lý do." }).min(10, "Lý do ít nhất 10 ký tự.").max(1000, "Lý do tối đa 1.000 ký tự."),
  ),
});

/** `GET /api/v1/events?from=&to=`: ISO dates, both optional (apiQuery adds `ward`). */
export const eventsApiShape = {
  from: queryDay("from: ngày có thật, dạng YYYY-MM-DD (ví dụ 2026-03-01).").optional(),
  to: queryDay("to: ngày có thật, dạng YYYY-MM-DD (ví dụ 2026-03-31).").optional(),
};
