/** Input of the training list and the commendations list, with Vietnamese messages. */
import { z } from "zod";
import { nfc, parseDateInput, squash } from "../../core/text/vi.ts";
import { optionalIdField } from "../../core/web/validation.ts";

const line = (v: unknown) => (typeof v === "string" ? squash(nfc(v)) : v);
const required = (max: number, missing: string) =>
  z.preprocess(line, z.string({ error: missing }).min(1, missing).max(max, `Tối đa ${max} ký tự.`));
const optional = (max: number) =>
  z.preprocess(
    (v) => (v == null || line(v) === "" ? "" : line(v)),
    z.string({ error: `Tối đa ${max} ký tự.` }).max(max, `Tối đa ${max} ký tự.`),
  );
const date = (missing: string) =>
  z.preprocess(
    (v) => (typeof v === "string" ? (v.trim() === "" ? undefined : (parseDateInput(v) ?? "invalid")) : v),
    z
      .string({ error: missing })
      .regex(/^\d{4}-\d{2}-\d{2}$/, "Ngày không hợp lệ: ghi theo dạng ngày/tháng/năm, ví dụ 15/03/2025."),
  );

export const ATTENDANCE = {
  attended: "Tham dự đầy đủ",
  partial: "Tham dự một phần",
  absent: "Vắng mặt",
} as const;
export type Attendance = keyof typeof ATTENDANCE;

export const trainingSchema = z
  .object({
    personName: required(120, "Hãy ghi họ và tên người được cử đi bồi dưỡng."),
    position: required(120, "Hãy ghi chức vụ hoặc chức danh."),
    orgUnitId: optionalIdField("Hãy chọn đơn vị công tác.").refine((v) => v !== null, "Hãy chọn đơn vị công tác."),
    course: required(300, "Hãy ghi tên lớp, khóa bồi dưỡng."),
    organiser: required(200, "Hãy ghi cơ quan, đơn vị tổ chức lớp."),
    startsOn: date("Hãy ghi ngày bắt đầu."),
    endsOn: date("Hãy ghi ngày kết thúc."),
    attendance: z.enum(["attended", "partial", "absent"], { error: "Hãy chọn tình hình tham dự." }),
  })
  .refine((v) => v.endsOn >= v.startsOn, {
    path: ["endsOn"],
    message: "Ngày kết thúc không được trước ngày bắt đầu.",
  });
export type TrainingValues = z.output<typeof trainingSchema>;

export const RECIPIENT_KINDS = { person: "Cá nhân", unit: "Tập thể (đơn vị)" } as const;

export const commendationSchema = z
  .object({
    recipientKind: z.enum(["person", "unit"], { error: "Hãy chọn khen thưởng cá nhân hay tập thể." }),
    personName: optional(120),
    position: optional(120),
    orgUnitId: optionalIdField("Đơn vị không hợp lệ."),
    form: required(200, "Hãy ghi hình thức khen thưởng (ví dụ Giấy khen của Chủ tịch UBND)."),
    decision: required(200, "Hãy ghi số, ký hiệu quyết định khen thưởng (ví dụ 45/QĐ-UBND)."),
    decidedOn: date("Hãy ghi ngày quyết định."),
    reason: optional(500),
  })
  .refine((v) => v.recipientKind !== "person" || v.personName !== "", {
    path: ["personName"],
    message: "Hãy ghi họ và tên cá nhân được khen thưởng.",
  })
  .refine((v) => v.recipientKind !== "unit" || v.orgUnitId !== null, {
    path: ["orgUnitId"],
    message: "Hãy chọn đơn vị (tập thể) được khen thưởng.",
  });
export type CommendationValues = z.output<typeof commendationSchema>;
