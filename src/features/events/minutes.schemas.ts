/**
 * The minutes form (biên bản) of a held event, validated at the edge: Vietnamese messages keyed by field, text NFC,
 * one-line fields squashed, long texts kept with their line breaks (each line becomes a paragraph of the document).
 */
import { z } from "zod";
import { nfc } from "../../core/text/vi.ts";
import { oneLine } from "../../core/web/validation.ts";
import { time } from "./events.schemas.ts";

/** The longest text of one part of the minutes (content, opinions): a long conference fits, a paste of a book does not. */
export const MINUTES_TEXT_MAX = 20_000;

const line = (max: number, label: string, required: string | null) =>
  z.preprocess(
    (v) => (v == null ? "" : oneLine(v)),
    required
      ? z.string({ error: required }).min(2, required).max(max, `${label} tối đa ${max} ký tự.`)
      : z.string().max(max, `${label} tối đa ${max} ký tự.`),
  );

const text = (max: number, label: string, required: string | null) =>
  z.preprocess(
    (v) => (typeof v === "string" ? nfc(v).replace(/\r\n?/g, "\n").trim() : v == null ? "" : v),
    required
      ? z
          .string({ error: required })
          .min(1, required)
          .max(max, `${label} tối đa ${max.toLocaleString("vi-VN")} ký tự.`)
      : z.string().max(max, `${label} tối đa ${max.toLocaleString("vi-VN")} ký tự.`),
  );

export const minutesForm = z
  .object({
    startedAt: time("Giờ bắt đầu chưa đúng (hh:mm, ví dụ 08:00)."),
    endedAt: time("Giờ kết thúc chưa đúng (hh:mm, ví dụ 10:30)."),
    chairName: line(100, "Họ tên người chủ trì", "Nhập họ tên người chủ trì."),
    chairTitle: line(200, "Chức vụ người chủ trì", null),
    secretaryName: line(100, "Họ tên thư ký", "Nhập họ tên thư ký (người ghi biên bản)."),
    secretaryTitle: line(200, "Chức vụ thư ký", null),
    attendees: text(2000, "Thành phần tham dự", null),
    agenda: text(MINUTES_TEXT_MAX, "Nội dung", "Nhập nội dung, diễn biến của buổi làm việc."),
    opinions: text(MINUTES_TEXT_MAX, "Ý kiến phát biểu", null),
    conclusions: text(10_000, "Kết luận", "Nhập kết luận của người chủ trì."),
  })
  .refine((m) => m.endedAt > m.startedAt, { path: ["endedAt"], message: "Giờ kết thúc phải sau giờ bắt đầu." });
export type MinutesInput = z.infer<typeof minutesForm>;
