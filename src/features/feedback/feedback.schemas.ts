/**
 * What a citizen's feedback (phản ánh, kiến nghị) must hold, checked at every edge — the public form and the
 * JSON API share one schema. Nghị định 20/2008 Điều 7 requires the sender's name, address and phone; Điều 5 lists
 * what the feedback may be about (the content types below).
 */
import { z } from "zod";
import { nfc, parseDateInput, squash } from "../../core/text/vi.ts";
import { queryDay } from "../../core/web/validation.ts";

/** Điều 5, Nghị định 20/2008: the eight kinds of content, as codes with their Vietnamese labels. */
export const CONTENT_TYPES = {
  obstacle: "Vướng mắc khi thực hiện: chậm trễ, gây phiền hà, không thực hiện hoặc thực hiện không đúng quy định",
  unsuitable: "Quy định hành chính không phù hợp với thực tế",
  inconsistent: "Quy định hành chính không đồng bộ, không thống nhất",
  unlawful: "Quy định hành chính không hợp pháp",
  treaty: "Quy định hành chính trái với điều ước quốc tế mà Việt Nam đã ký kết hoặc gia nhập",
  other: "Vấn đề khác liên quan đến quy định hành chính",
  proposal: "Phương án xử lý những vấn đề đã phản ánh",
  initiative: "Sáng kiến ban hành mới quy định hành chính",
} as const;
export type ContentType = keyof typeof CONTENT_TYPES;

/** What the feedback is about. */
export const SUBJECTS = {
  procedure: "Thủ tục hành chính",
  regulation: "Quy định hành chính",
  conduct: "Hành vi, thái độ của cán bộ, công chức",
} as const;
export type Subject = keyof typeof SUBJECTS;

/** How it reached the ward; the public site only ever files "web", staff enter the others. */
export const CHANNELS = {
  web: "Trang web",
  desk: "Trực tiếp tại Bộ phận một cửa",
  phone: "Điện thoại",
  letter: "Thư, văn bản gửi đến",
  front: "Qua Mặt trận Tổ quốc, đoàn thể",
};
export type Channel = keyof typeof CHANNELS;
/** The channels staff record an item under (the web form files its own). */
export const STAFF_CHANNELS = ["desk", "phone", "letter", "front"] as const satisfies readonly Channel[];
export type StaffChannel = (typeof STAFF_CHANNELS)[number];

/** Attachments per item (the public form and the staff entry). */
export const MAX_ATTACHMENTS = 3;
/** What an attachment may be, judged by its content: images and scans, nothing a browser could run. */
export const ATTACHMENT_TYPES: Readonly<Record<string, string>> = {
  "image/jpeg": "JPEG",
  "image/png": "PNG",
  "application/pdf": "PDF",
};
export const ATTACHMENT_TYPES_TEXT = "ảnh JPEG, PNG hoặc tệp PDF";
/** The owner kind of a citizen's attachment in the file store; the owner id is the feedback item's. */
export const FEEDBACK_FILE_OWNER = "feedback";

/** Each workflow status as the sender and staff read it (NĐ 20/2008 Điều 9, 14, 19). */
export const STATUS_LABELS: Record<string, string> = {
  received: "Đã tiếp nhận",
  registered: "Đã vào sổ",
  rejected: "Không được tiếp nhận xử lý",
  forwarded: "Đã chuyển cơ quan có thẩm quyền",
  in_scope: "Thuộc thẩm quyền, đang xem xét",
  processing: "Đang xử lý",
  drafted: "Đang xử lý (đã có dự thảo trả lời)",
  decided: "Đã có kết quả, chờ công bố",
  published: "Đã công bố kết quả",
};

/** What the sender agrees to; stored with the item so the record shows what was accepted. */
export const CONSENT_TEXT =
  "Tôi đồng ý để Ủy ban nhân dân xã, phường dùng họ tên, địa chỉ, số điện thoại và thư điện tử của tôi chỉ để xử lý và trả lời phản ánh, kiến nghị này.";

export const CONTENT_MIN = 10;
export const CONTENT_MAX = 5000;

/** A Vietnamese phone number as stored and compared: "0" and nine digits; null when it is not one. */
export function normalisePhone(input: string): string | null {
  const compact = input.replace(/[\s.\-()]/g, "");
  const local = compact.startsWith("+84")
    ? `0${compact.slice(3)}`
    : compact.startsWith("84") && compact.length === 11
      ? `0${compact.slice(2)}`
      : compact;
  return /^0\d{9}$/.test(local) ? local : null;
}

const text = (v: unknown) => (typeof v === "string" ? nfc(v).trim() : v);
const line = (v: unknown) => (typeof v === "string" ? squash(nfc(v)) : v);
const blankToUndefined = (v: unknown) => (typeof v === "string" && line(v) === "" ? undefined : line(v));
const chars = (s: string) => [...s].length;

const PHONE_MESSAGE = "Số điện thoại chưa đúng: 10 chữ số bắt đầu bằng 0 (ví dụ 0912345678), hoặc +84 và 9 chữ số.";

const feedbackFields = {
  content: z.preprocess(
    text,
    z
      .string({ error: "Nhập nội dung phản ánh, kiến nghị." })
      .refine((s) => chars(s) >= CONTENT_MIN, `Nội dung cần ít nhất ${CONTENT_MIN} ký tự.`)
      .refine((s) => chars(s) <= CONTENT_MAX, `Nội dung tối đa ${CONTENT_MAX} ký tự.`),
  ),
  name: z.preprocess(
    line,
    z.string({ error: "Nhập họ và tên." }).min(1, "Nhập họ và tên.").max(200, "Họ và tên tối đa 200 ký tự."),
  ),
  address: z.preprocess(
    line,
    z.string({ error: "Nhập địa chỉ liên hệ." }).min(1, "Nhập địa chỉ liên hệ.").max(500, "Địa chỉ tối đa 500 ký tự."),
  ),
  phone: z.preprocess(
    (v) => (typeof v === "string" ? (normalisePhone(v) ?? v) : v),
    z.string({ error: "Nhập số điện thoại." }).regex(/^0\d{9}$/, PHONE_MESSAGE),
  ),
  email: z.preprocess(
    blankToUndefined,
    z
      .email({ error: "Thư điện tử chưa đúng, ví dụ ten@example.vn." })
      .max(200, "Thư điện tử tối đa 200 ký tự.")
      .optional(),
  ),
  procedureCode: z.preprocess(
    blankToUndefined,
    z
      .string()
      .regex(/^\d{1,3}\.\d{6}$/, "Mã thủ tục gồm các chữ số, ví dụ 1.000253.")
      .optional(),
  ),
  subject: z.preprocess(
    blankToUndefined,
    z.enum(Object.keys(SUBJECTS) as [Subject, ...Subject[]], { error: "Chọn phản ánh về việc gì." }).optional(),
  ),
  contentType: z.preprocess(
    blankToUndefined,
    z.enum(Object.keys(CONTENT_TYPES) as [ContentType, ...ContentType[]], { error: "Chọn loại nội dung." }).optional(),
  ),
  consent: z.preprocess(
    (v) => v === true || v === "true" || v === "on" || v === "yes" || v === "1",
    z.literal(true, { error: "Cần đồng ý cho xử lý thông tin cá nhân thì mới gửi được phản ánh, kiến nghị." }),
  ),
};

/** A subject and a content type even when the sender chose none. */
const withDefaults = <T extends { subject?: Subject; contentType?: ContentType; procedureCode?: string }>(v: T) => ({
  ...v,
  subject: v.subject ?? (v.procedureCode ? ("procedure" as const) : ("regulation" as const)),
  contentType: v.contentType ?? ("other" as const),
});

export const feedbackInput = z.object(feedbackFields).transform(withDefaults);
export type FeedbackInput = z.infer<typeof feedbackInput>;

/**
 * Feedback an officer enters for a citizen who came to the desk, phoned, wrote, or spoke through the Front or a
 * union: the public form's fields, the channel, and the day it reached the ward (not after `today`, ISO).
 */
export function staffFeedbackInput(today: string) {
  return z
    .object({
      ...feedbackFields,
      consent: z.preprocess(
        (v) => v === true || v === "true" || v === "on" || v === "yes" || v === "1",
        z.literal(true, { error: "Cần xác nhận người gửi đã đồng ý cho xử lý thông tin cá nhân." }),
      ),
      channel: z.enum(STAFF_CHANNELS, { error: "Chọn cách tiếp nhận." }),
      receivedOn: z.preprocess(
        (v) =>
          v === undefined || (typeof v === "string" && v.trim() === "")
            ? today
            : typeof v === "string"
              ? (parseDateInput(v) ?? v)
              : v,
        z
          .string({ error: "Nhập ngày tiếp nhận." })
          .regex(/^\d{4}-\d{2}-\d{2}$/, "Ngày tiếp nhận chưa đúng, ví dụ 02/03/2026.")
          .refine((d) => d <= today, "Ngày tiếp nhận không được sau hôm nay."),
      ),
    })
    .transform(withDefaults);
}
export type StaffFeedbackInput = z.infer<ReturnType<typeof staffFeedbackInput>>;

/** A phone number as lists show it: the first two and last three digits, "09•••••678". */
export function maskPhone(phone: string): string {
  const digits = phone.replace(/\D/g, "");
  if (digits.length < 6) return "•".repeat(Math.max(digits.length, 3));
  return `${digits.slice(0, 2)}${"•".repeat(digits.length - 5)}${digits.slice(-3)}`;
}

export const NOT_FOUND_MESSAGE =
  "Không tìm thấy phản ánh, kiến nghị với mã và số điện thoại này. Hãy kiểm tra lại mã (dạng PA-2026-7KQ9XM) và số điện thoại đã dùng khi gửi.";

export const lookupInput = z.object({
  code: z.preprocess(
    line,
    z.string({ error: "Nhập mã tra cứu." }).min(1, "Nhập mã tra cứu.").max(40, "Mã tra cứu quá dài."),
  ),
  phone: z.preprocess(
    line,
    z.string({ error: "Nhập số điện thoại." }).min(1, "Nhập số điện thoại.").max(40, PHONE_MESSAGE),
  ),
});

// --- The staff workflow ----------------------------------------------------------------------------------------

/** Điều 9: how a registered item is classified. */
export const CLASSIFICATIONS = {
  in_scope: "Thuộc thẩm quyền của phường",
  forwarded: "Không thuộc thẩm quyền: chuyển cơ quan có thẩm quyền",
  rejected: "Không được tiếp nhận (không đủ điều kiện theo Điều 7)",
} as const;
export type Classification = keyof typeof CLASSIFICATIONS;

const longText = (field: string, max: number) =>
  z.preprocess(
    text,
    z
      .string({ error: `Nhập ${field}.` })
      .min(1, `Nhập ${field}.`)
      .max(max, `${field[0]?.toUpperCase()}${field.slice(1)} tối đa ${max} ký tự.`),
  );

export const classifyInput = z.discriminatedUnion("classification", [
  z.object({ classification: z.literal("in_scope") }),
  z.object({ classification: z.literal("rejected"), reason: longText("lý do không tiếp nhận", 2000) }),
  z.object({
    classification: z.literal("forwarded"),
    forwardedTo: z.preprocess(
      line,
      z
        .string({ error: "Nhập cơ quan có thẩm quyền." })
        .min(1, "Nhập cơ quan có thẩm quyền.")
        .max(300, "Tên cơ quan tối đa 300 ký tự."),
    ),
  }),
]);
/** The classify form: the choice first, so a missing choice reads as one message. */
export const classifyChoice = z.object({
  classification: z.enum(Object.keys(CLASSIFICATIONS) as [Classification, ...Classification[]], {
    error: "Chọn kết quả phân loại.",
  }),
});
export type ClassifyInput = z.infer<typeof classifyInput>;

export const assignInput = z.object({
  unitId: z.preprocess(
    (v) => (typeof v === "string" && /^\d+$/.test(v.trim()) ? Number(v) : v),
    z.number({ error: "Chọn đơn vị xử lý." }).int().positive("Chọn đơn vị xử lý."),
  ),
});

export const draftInput = z.object({ answer: longText("nội dung trả lời", CONTENT_MAX) });

/** A leader sends the draft back to the unit: why, in words the unit can act on. */
export const sendBackInput = z.object({ reason: longText("lý do trả lại", 2000) });

/** The publish form: the citizen's text as the public will read it (pre-filled with personal data masked). */

// --- Published answers -----------------------------------------------------------------------------------------

/** Published items per page, on the public list and in the API. */
export const PUBLISHED_PAGE_SIZE = 20;

/** `GET /api/v1/feedback`: only published items are public, so `published=1` is required. */
export const publishedApiQuery = z.object({
  published: z.literal("1", {
    error: "Chỉ phản ánh, kiến nghị đã công bố kết quả mới được công khai: thêm tham số published=1.",
  }),
  q: z.string().trim().max(200, "q: tối đa 200 ký tự.").optional(),
  page: z.preprocess(
    (v) => (v === undefined || v === "" ? 1 : typeof v === "string" && /^\d{1,6}$/.test(v) ? Number(v) : v),
    z.number({ error: "page: số trang là số nguyên từ 1." }).int().min(1, "page: số trang là số nguyên từ 1."),
  ),
});

/** Statuses after which the ward needs the sender's data no more (the retention period runs from then). */
export const CLOSED_FEEDBACK: readonly string[] = ["published", "rejected", "forwarded"];

/** The figures a staff list can be filtered to (`/quan-tri/phan-anh?so-lieu=`): each a rule over one row. */
export const FEEDBACK_FIGURES = {
  received: "tiếp nhận trong kỳ",
  in_scope: "tiếp nhận trong kỳ, thuộc thẩm quyền",
  forwarded: "tiếp nhận trong kỳ, chuyển cơ quan có thẩm quyền",
  not_accepted: "tiếp nhận trong kỳ, không tiếp nhận xử lý",
  answered: "trả lời, công khai trong kỳ",
  answered_on_time: "trả lời trong kỳ, đúng hạn",
  overdue: "thuộc thẩm quyền, quá hạn chưa trả lời đến cuối kỳ",
} as const;
export type FeedbackFigure = keyof typeof FEEDBACK_FIGURES;

const listDay = (message: string) => queryDay(message).optional();

/**
 * The staff list's filter (all optional): received from/to (Vietnamese days), channel; or, with both days, one of
 * a report's feedback figures of that period (`so-lieu`), counted by the figures' own rule.
 */
export const feedbackListQuery = z
  .object({
    tu: listDay("Ngày bắt đầu chưa đúng (YYYY-MM-DD)."),
    den: listDay("Ngày kết thúc chưa đúng (YYYY-MM-DD)."),
    kenh: z
      .enum(Object.keys(CHANNELS) as [Channel, ...Channel[]], { error: "Kênh tiếp nhận không có trong danh mục." })
      .optional(),
    "so-lieu": z
      .enum(Object.keys(FEEDBACK_FIGURES) as [FeedbackFigure, ...FeedbackFigure[]], {
        error: "Số liệu lọc không có trong danh mục của báo cáo.",
      })
      .optional(),
  })
  .refine((q) => !q.tu || !q.den || q.tu <= q.den, { message: "Ngày kết thúc phải sau ngày bắt đầu.", path: ["den"] })
  .refine((q) => !q["so-lieu"] || (q.tu && q.den), {
    message: "Lọc theo số liệu báo cáo cần cả ngày bắt đầu và ngày kết thúc của kỳ.",
    path: ["tu"],
  });
export type FeedbackListQuery = z.infer<typeof feedbackListQuery>;
