/** Form schemas of the calendar pages, with Vietnamese messages. */
import { z } from "zod";
import { parseDateInput } from "../../core/text/vi.ts";
import { oneLine } from "../../core/web/validation.ts";
import { FORWARDING_LIMIT_WORKING_DAYS } from "../feedback/working-days.ts";

export const KIND_LABELS = {
  holiday: "Ngày nghỉ (lễ, tết, nghỉ bù, hoán đổi)",
  makeup_workday: "Ngày làm bù (đi làm vào thứ Bảy hoặc Chủ nhật)",
} as const;
export type HolidayKind = keyof typeof KIND_LABELS;

export const holidayInput = z.object({
  date: z.preprocess(
    (v) => (typeof v === "string" ? v.trim() : v),
    z
      .string({ error: "Nhập ngày theo dạng ngày/tháng/năm, ví dụ 02/09/2026." })
      .min(1, "Nhập ngày theo dạng ngày/tháng/năm, ví dụ 02/09/2026.")
      .refine((s) => parseDateInput(s) !== null, "Ngày không hợp lệ; nhập theo dạng ngày/tháng/năm, ví dụ 02/09/2026.")
      .transform((s) => parseDateInput(s) as string),
  ),
  name: z.preprocess(
    oneLine,
    z
      .string({ error: "Nhập tên ngày nghỉ." })
      .min(2, "Nhập tên ngày nghỉ (ít nhất 2 ký tự).")
      .max(200, "Tên ngày nghỉ tối đa 200 ký tự."),
  ),
  kind: z.enum(["holiday", "makeup_workday"], { error: "Chọn loại ngày." }),
});
export type HolidayInput = z.infer<typeof holidayInput>;

const days = (label: string, max: number, maxMessage: string) =>
  z.preprocess(
    (v) => (typeof v === "string" && /^\s*\d+\s*$/.test(v) ? Number(v) : v),
    z
      .number({ error: `${label}: nhập một số nguyên ngày làm việc.` })
      .int(`${label}: nhập một số nguyên ngày làm việc.`)
      .min(1, `${label}: ít nhất 1 ngày làm việc.`)
      .max(max, maxMessage),
  );

/** The stages' working days; forwarding may be lowered, never raised above the legal 5 (NĐ 20/2008 Điều 9). */
export const stageInput = z.object({
  classify: days("Phân loại", 30, "Phân loại: tối đa 30 ngày làm việc."),
  answer: days("Xử lý, trả lời", 90, "Xử lý, trả lời: tối đa 90 ngày làm việc."),
  forward: days(
    "Chuyển cơ quan có thẩm quyền",
    FORWARDING_LIMIT_WORKING_DAYS,
    `Chuyển cơ quan có thẩm quyền: theo Nghị định 20/2008/NĐ-CP Điều 9, không quá ${FORWARDING_LIMIT_WORKING_DAYS} ngày làm việc.`,
  ),
});
export type StageInput = z.infer<typeof stageInput>;
