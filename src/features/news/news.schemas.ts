/** News forms validated at the edge: Vietnamese messages keyed by field; text NFC, one-line fields squashed. */
import { z } from "zod";
import { nfc, parseDateInput } from "../../core/text/vi.ts";
import { altField } from "../../core/web/photos.tsx";
import { idField, oneLine } from "../../core/web/validation.ts";
import { NEWS_KINDS, POSTER_KINDS } from "./news.rules.ts";

/** Longest body kept: a long feature story is 3,000 words; this is several times that. */
export const BODY_MAX = 50_000;

const text = (v: unknown) => (typeof v === "string" ? nfc(v).replace(/\r\n?/g, "\n").trim() : v);

export const articleForm = z.object({
  kind: z.enum(Object.keys(NEWS_KINDS) as [keyof typeof NEWS_KINDS], { error: "Chọn loại bài." }),
  title: z.preprocess(
    oneLine,
    z.string({ error: "Nhập tiêu đề." }).min(5, "Tiêu đề ít nhất 5 ký tự.").max(200, "Tiêu đề tối đa 200 ký tự."),
  ),
  summary: z.preprocess(
    text,
    z.string({ error: "Nhập tóm tắt." }).min(10, "Tóm tắt ít nhất 10 ký tự.").max(600, "Tóm tắt tối đa 600 ký tự."),
  ),
  body: z.preprocess(
    text,
    z
      .string({ error: "Nhập nội dung bài." })
      .min(30, "Nội dung bài ít nhất 30 ký tự.")
      .max(BODY_MAX, "Nội dung bài tối đa 50.000 ký tự."),
  ),
  orgUnitId: idField("Chọn đơn vị viết bài."),
  areaIds: z.array(idField("Lĩnh vực nội dung không hợp lệ.")).max(20, "Chọn tối đa 20 lĩnh vực."),
});
export type ArticleInput = z.infer<typeof articleForm>;

/**
 * The leader's approval: publish now (empty) or at a date and time in Vietnam ("dd/mm/yyyy hh:mm"), read as an
 * instant; `now` decides whether that time has already come.
 */
export const approveForm = z.object({
  publishAt: z.preprocess(
    (v) => (typeof v === "string" ? v.trim() : v),
    z
      .string()
      .optional()
      .transform((v, ctx) => {
        if (!v) return null;
        const m = /^(\S+)\s+(\d{1,2})[:hg](\d{2})$/.exec(v);
        const day = m ? parseDateInput(m[1] as string) : null;
        const hh = Number(m?.[2]);
        if (!m || !day || hh > 23) {
          ctx.addIssue({
            code: "custom",
            message: "Thời điểm đăng chưa đúng (dd/mm/yyyy hh:mm, ví dụ 20/03/2026 07:30).",
          });
          return z.NEVER;
        }
        return new Date(`${day}T${String(hh).padStart(2, "0")}:${m[3]}:00+07:00`).toISOString();
      }),
  ),
});

export const reasonForm = z.object({
  reason: z.preprocess(
    oneLine,
    z.string({ error: "Nhập lý do." }).min(10, "Lý do ít nhất 10 ký tự.").max(1000, "Lý do tối đa 1.000 ký tự."),
  ),
});

/** A count typed in a form ("1.500" and "1 500" read as 1500); empty is null. */
const count = (message: string, max: number) =>
  z.preprocess((v) => {
    if (v == null) return null;
    if (typeof v !== "string") return v;
    const digits = v.replace(/[.\s]/g, "");
    if (digits === "") return null;
    return /^\d+$/.test(digits) ? Number(digits) : v;
  }, z.number({ error: message }).int(message).min(0, message).max(max, message).nullable());

export const posterForm = z.object({
  kind: z.enum(Object.keys(POSTER_KINDS) as [keyof typeof POSTER_KINDS], { error: "Chọn loại." }),
  title: z.preprocess(
    oneLine,
    z
      .string({ error: "Nhập nội dung khẩu hiệu." })
      .min(5, "Nội dung khẩu hiệu ít nhất 5 ký tự.")
      .max(300, "Nội dung khẩu hiệu tối đa 300 ký tự."),
  ),
  place: z.preprocess(
    oneLine,
    z
      .string({ error: "Nhập địa điểm treo, dựng." })
      .min(2, "Nhập địa điểm treo, dựng.")
      .max(200, "Địa điểm tối đa 200 ký tự."),
  ),
  putUpOn: z.preprocess(
    (v) => (typeof v === "string" ? (parseDateInput(v) ?? v) : v),
    z
      .string({ error: "Nhập ngày treo, dựng." })
      .regex(/^\d{4}-\d{2}-\d{2}$/, "Ngày treo, dựng chưa đúng (dd/mm/yyyy)."),
  ),
  quantity: count("Số lượng là số nguyên từ 1 đến 10.000.", 10_000).refine((n) => n != null && n >= 1, {
    message: "Số lượng là số nguyên từ 1 đến 10.000.",
  }),
  cost: count("Kinh phí là số tiền (đồng), số nguyên không âm.", 10_000_000_000),
  orgUnitId: idField("Chọn đơn vị thực hiện."),
  areaIds: z.array(idField("Lĩnh vực nội dung không hợp lệ.")).max(20, "Chọn tối đa 20 lĩnh vực."),
  alt: altField,
});
export type PosterInput = z.infer<typeof posterForm>;

/** `GET /api/v1/news?kind=`: news, model or both (apiQuery adds `ward`). */
export const newsApiShape = {
  kind: z.enum(["news", "model"], { error: "kind: news hoặc model." }).optional(),
};
