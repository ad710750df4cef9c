/** The report form's query, validated at the edge: the period kind, its year and quarter, or ad hoc dates. */
import { z } from "zod";
import { parseVnDate } from "../../core/text/vi.ts";
import { PERIOD_ERRORS, type Period, periodProblem, statutoryPeriod } from "./periods.ts";

const isoOrVn = (message: string) =>
  z.preprocess(
    (v) => {
      if (typeof v !== "string" || v.trim() === "") return undefined;
      const t = v.trim();
      return /^\d{4}-\d{2}-\d{2}$/.test(t) ? t : (parseVnDate(t) ?? t);
    },
    z
      .string({ error: message })
      .regex(/^\d{4}-\d{2}-\d{2}$/, message)
      .optional(),
  );

export const reportQuery = z.object({
  loai: z.enum(["quarter", "half", "nine_months", "year", "ad_hoc"], { error: "Chọn loại kỳ báo cáo." }),
  nam: z.preprocess(
    (v) => (typeof v === "string" && /^\d{4}$/.test(v.trim()) ? Number(v) : v),
    z
      .number({ error: "Năm báo cáo gồm 4 chữ số." })
      .int()
      .min(2000, "Năm báo cáo từ 2000.")
      .max(2100, "Năm báo cáo không hợp lệ."),
  ),
  quy: z
    .preprocess(
      (v) => (typeof v === "string" && v.trim() !== "" ? Number(v) : undefined),
      z.number().int().min(1).max(4).optional(),
    )
    .refine((v) => v === undefined || (v >= 1 && v <= 4), "Quý từ 1 đến 4."),
  tu: isoOrVn("Ngày bắt đầu chưa đúng (dd/mm/yyyy)."),
  den: isoOrVn("Ngày kết thúc chưa đúng (dd/mm/yyyy)."),
});
export type ReportQuery = z.infer<typeof reportQuery>;

/** The period a valid query names, or the Vietnamese message of what is wrong with it (keyed by field). */
export function periodOfQuery(
  q: ReportQuery,
  today: string,
): { ok: true; period: Period } | { ok: false; field: string; message: string } {
  let period: Period;
  if (q.loai === "ad_hoc") {
    const problem = periodProblem(q.tu ?? "", q.den ?? "", today);
    if (problem)
      return { ok: false, field: problem === "empty" ? (q.tu ? "den" : "tu") : "den", message: PERIOD_ERRORS[problem] };
    period = {
      kind: "ad_hoc",
      year: Number((q.den as string).slice(0, 4)),
      quarter: null,
      from: q.tu as string,
      to: q.den as string,
    };
  } else {
    if (q.loai === "quarter" && q.quy === undefined) return { ok: false, field: "quy", message: "Chọn quý (1–4)." };
    period = statutoryPeriod(q.loai, q.nam, q.loai === "quarter" ? (q.quy ?? 1) : null);
    const problem = periodProblem(period.from, period.to, today);
    if (problem) return { ok: false, field: "nam", message: PERIOD_ERRORS[problem] };
  }
  return { ok: true, period };
}

const text = (max: number, message: string) =>
  z.preprocess(
    (v) => (typeof v === "string" ? v.normalize("NFC").replace(/\r\n/g, "\n").trim() : ""),
    z.string().max(max, message),
  );

/** The narrative form: addressees one per line, the three sections as text. */
export const narrativeForm = z
  .object({
    addressees: text(2000, "Danh sách nơi gửi quá dài."),
    shortcomings: text(20000, "Phần tồn tại, hạn chế quá dài (tối đa 20.000 ký tự)."),
    nextTasks: text(20000, "Phần nhiệm vụ kỳ tới quá dài (tối đa 20.000 ký tự)."),
    proposals: text(20000, "Phần đề xuất, kiến nghị quá dài (tối đa 20.000 ký tự)."),
  })
  .transform((v) => ({
    addressees: v.addressees
      .split("\n")
      .map((l) =>
        l
          .trim()
          .replace(/^[-–•]\s*/, "")
          .replace(/[;.]+$/, ""),
      )
      .filter(Boolean),
    shortcomings: v.shortcomings,
    nextTasks: v.nextTasks,
    proposals: v.proposals,
  }));

// The issue form is shared by every document entered in the register (reports, plans).
export { registerIssueForm as issueForm } from "../../core/documents/register.ts";
