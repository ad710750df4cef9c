/** What a citizen's question and the staff's steps must hold, checked at the edge; messages in Vietnamese. */
import { z } from "zod";
import { nfc, squash } from "../../core/text/vi.ts";
import { normalisePhone } from "../feedback/feedback.schemas.ts";

export const QUESTION_MIN = 10;
export const QUESTION_MAX = 3000;
export const ANSWER_MAX = 5000;

/** Each workflow status as staff read it. */
export const STATUS_LABELS: Record<string, string> = {
  received: "Đã tiếp nhận",
  routed: "Đã chuyển đơn vị trả lời",
  drafted: "Đã có dự thảo trả lời",
  approved: "Đã phê duyệt, chờ công bố",
  published: "Đã công bố",
};

/** What the asker agrees to; stored with the question. */
export const CONSENT_TEXT =
  "Tôi đồng ý để Ủy ban nhân dân xã, phường dùng họ tên, thư điện tử và số điện thoại của tôi chỉ để trả lời câu hỏi này. Câu hỏi và câu trả lời có thể được công bố, không kèm thông tin cá nhân của tôi.";

const text = (v: unknown) => (typeof v === "string" ? nfc(v).trim() : v);
const line = (v: unknown) => (typeof v === "string" ? squash(nfc(v)) : v);
const blankToUndefined = (v: unknown) => (typeof v === "string" && line(v) === "" ? undefined : line(v));
const chars = (s: string) => [...s].length;

export const CONTACT_MESSAGE = "Nhập thư điện tử hoặc số điện thoại (ít nhất một) để nhận câu trả lời.";

export const questionInput = z
  .object({
    question: z.preprocess(
      text,
      z
        .string({ error: "Nhập câu hỏi." })
        .refine((s) => chars(s) >= QUESTION_MIN, `Câu hỏi cần ít nhất ${QUESTION_MIN} ký tự.`)
        .refine((s) => chars(s) <= QUESTION_MAX, `Câu hỏi tối đa ${QUESTION_MAX} ký tự.`),
    ),
    name: z.preprocess(
      line,
      z.string({ error: "Nhập họ và tên." }).min(1, "Nhập họ và tên.").max(200, "Họ và tên tối đa 200 ký tự."),
    ),
    email: z.preprocess(
      blankToUndefined,
      z
        .email({ error: "Thư điện tử chưa đúng, ví dụ ten@example.vn." })
        .max(200, "Thư điện tử tối đa 200 ký tự.")
        .optional(),
    ),
    phone: z.preprocess(
      (v) => {
        const b = blankToUndefined(v);
        return typeof b === "string" ? (normalisePhone(b) ?? b) : b;
      },
      z
        .string()
        .regex(
          /^0\d{9}$/,
          "Số điện thoại chưa đúng: 10 chữ số bắt đầu bằng 0 (ví dụ 0912345678), hoặc +84 và 9 chữ số.",
        )
        .optional(),
    ),
    procedureCode: z.preprocess(
      blankToUndefined,
      z
        .string()
        .regex(/^\d{1,3}\.\d{6}$/, "Mã thủ tục gồm các chữ số, ví dụ 1.000253.")
        .optional(),
    ),
    consent: z.preprocess(
      (v) => v === true || v === "true" || v === "on" || v === "yes" || v === "1",
      z.literal(true, { error: "Cần đồng ý cho xử lý thông tin cá nhân thì mới gửi được câu hỏi." }),
    ),
  })
  .superRefine((v, ctx) => {
    if (!v.email && !v.phone) ctx.addIssue({ code: "custom", path: ["email"], message: CONTACT_MESSAGE });
  });
export type QuestionInput = z.infer<typeof questionInput>;

export const routeInput = z.object({
  unitId: z.preprocess(
    (v) => (typeof v === "string" && /^\d+$/.test(v.trim()) ? Number(v) : v),
    z.number({ error: "Chọn đơn vị trả lời." }).int().positive("Chọn đơn vị trả lời."),
  ),
});

export const draftInput = z.object({
  answer: z.preprocess(
    text,
    z
      .string({ error: "Nhập nội dung trả lời." })
      .min(1, "Nhập nội dung trả lời.")
      .refine((s) => chars(s) <= ANSWER_MAX, `Nội dung trả lời tối đa ${ANSWER_MAX} ký tự.`),
  ),
});

const required = (field: string, max: number) =>
  z.preprocess(
    text,
    z
      .string({ error: `Nhập ${field}.` })
      .min(1, `Nhập ${field}.`)
      .refine((s) => chars(s) <= max, `${field[0]?.toUpperCase()}${field.slice(1)} tối đa ${max} ký tự.`),
  );

/** A leader sends the draft back to the unit: why, in words the unit can act on. */
export const sendBackInput = z.object({ reason: required("lý do trả lại", 2000) });

/** The publish form: the question as the public will read it (pre-filled with personal data masked). */

/** The asker's lookup: the question's code and the phone or e-mail they gave (sent in the body, never in a URL). */
export const lookupInput = z.object({
  code: z.preprocess(
    line,
    z.string({ error: "Nhập mã câu hỏi." }).min(1, "Nhập mã câu hỏi.").max(40, "Mã câu hỏi quá dài."),
  ),
  contact: z.preprocess(
    line,
    z
      .string({ error: "Nhập số điện thoại hoặc thư điện tử đã cung cấp." })
      .min(1, "Nhập số điện thoại hoặc thư điện tử đã cung cấp.")
      .max(200, "Số điện thoại hoặc thư điện tử quá dài."),
  ),
});
export type LookupInput = z.infer<typeof lookupInput>;

/** One answer for a wrong code and a wrong contact alike: the page tells nobody which one was wrong. */
export const LOOKUP_NOT_FOUND = "Không tìm thấy câu hỏi với mã và số điện thoại hoặc thư điện tử này.";

export const apiQuery = z.object({
  q: z.string().trim().max(200, "q: tối đa 200 ký tự.").optional(),
});

/** Statuses after which the ward needs the asker's data no more (the retention period runs from then). */
export const CLOSED_QUESTION: readonly string[] = ["published", "closed"];
