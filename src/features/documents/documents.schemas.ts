/** The library's forms and API query, validated at the edge: Vietnamese messages keyed by field; text NFC. */
import { z } from "zod";
import { nfc, parseDateInput, squash } from "../../core/text/vi.ts";
import { idField, oneLine } from "../../core/web/validation.ts";
import { EVENT_KINDS } from "./documents.rules.ts";

const optionalText = (max: number, message: string) =>
  z.preprocess(
    (v) => (typeof v === "string" ? (squash(nfc(v)) === "" ? null : squash(nfc(v))) : (v ?? null)),
    z.string().max(max, message).nullable(),
  );

const optionalDate = (message: string) =>
  z.preprocess(
    (v) =>
      v == null || (typeof v === "string" && v.trim() === "")
        ? null
        : typeof v === "string"
          ? (parseDateInput(v) ?? v)
          : v,
    z
      .string({ error: message })
      .regex(/^\d{4}-\d{2}-\d{2}$/, message)
      .nullable(),
  );

const requiredDate = (message: string) =>
  z.preprocess(
    (v) => (typeof v === "string" ? (parseDateInput(v) ?? v) : v),
    z.string({ error: message }).regex(/^\d{4}-\d{2}-\d{2}$/, message),
  );

export const documentForm = z
  .object({
    kind: z.preprocess(
      oneLine,
      z.string({ error: "Chọn loại văn bản." }).min(2, "Chọn loại văn bản.").max(60, "Loại văn bản tối đa 60 ký tự."),
    ),
    number: optionalText(60, "Số, ký hiệu tối đa 60 ký tự.").refine(
      (v) => v === null || /^\d{1,5}[a-z]?\s?[/\-–]\s?\S+/u.test(v),
      "Số, ký hiệu viết như trên văn bản, ví dụ 181/QĐ-UBND, 61/2018/NĐ-CP, 13-NQ/TU.",
    ),
    issuer: optionalText(200, "Cơ quan ban hành tối đa 200 ký tự."),
    title: optionalText(500, "Trích yếu, tên văn bản tối đa 500 ký tự."),
    issuedOn: optionalDate("Ngày ban hành chưa đúng (dd/mm/yyyy)."),
    effectiveFrom: optionalDate("Ngày có hiệu lực chưa đúng (dd/mm/yyyy)."),
    expiresOn: optionalDate("Ngày hết hiệu lực chưa đúng (dd/mm/yyyy)."),
    year: z.preprocess(
      (v) =>
        v == null || (typeof v === "string" && v.trim() === "")
          ? null
          : typeof v === "string" && /^\d+$/.test(v.trim())
            ? Number(v)
            : v,
      z
        .number({ error: "Năm ban hành là số, ví dụ 2018." })
        .int("Năm ban hành là số, ví dụ 2018.")
        .min(1945, "Năm ban hành từ 1945 trở đi.")
        .max(2100, "Năm ban hành chưa đúng.")
        .nullable(),
    ),
    officialUrl: optionalText(500, "Đường dẫn tối đa 500 ký tự.").refine(
      (v) => v === null || /^https?:\/\/[^\s/]+\.[^\s]+$/i.test(v),
      "Đường dẫn đến văn bản gốc bắt đầu bằng http:// hoặc https://, ví dụ https://vbpl.vn/…",
    ),
    note: z.preprocess(
      (v) => (typeof v === "string" ? nfc(v).trim() : (v ?? "")),
      z.string().max(2000, "Ghi chú tối đa 2.000 ký tự."),
    ),
  })
  .superRefine((d, ctx) => {
    if (d.number === null && d.title === null)
      ctx.addIssue({ code: "custom", path: ["number"], message: "Nhập số, ký hiệu hoặc tên văn bản." });
    if (d.effectiveFrom && d.expiresOn && d.expiresOn <= d.effectiveFrom)
      ctx.addIssue({ code: "custom", path: ["expiresOn"], message: "Ngày hết hiệu lực phải sau ngày có hiệu lực." });
    if (d.issuedOn && d.year !== null && Number(d.issuedOn.slice(0, 4)) !== d.year)
      ctx.addIssue({ code: "custom", path: ["year"], message: "Năm ban hành khác với năm của ngày ban hành." });
  });
export type DocumentInput = z.infer<typeof documentForm>;

export const relationForm = z.object({
  relation: z.string({ error: "Chọn quan hệ." }).min(1, "Chọn quan hệ."),
  otherId: idField("Chọn văn bản liên quan."),
});

export const eventForm = z.object({
  kind: z.enum(Object.keys(EVENT_KINDS) as [keyof typeof EVENT_KINDS], { error: "Chọn sự kiện hiệu lực." }),
  onDate: requiredDate("Ngày chưa đúng (dd/mm/yyyy)."),
  note: z.preprocess(
    (v) => (typeof v === "string" ? squash(nfc(v)) : (v ?? "")),
    z.string().max(500, "Ghi chú tối đa 500 ký tự."),
  ),
});

/** `GET /api/v1/documents`: q (words of the number, name or issuer), status, kind, year. */
export const documentsApiShape = {
  q: z.string().max(200, "q: tối đa 200 ký tự.").optional(),
  status: z.string().max(60, "status: tối đa 60 ký tự.").optional(),
  kind: z.string().max(60, "kind: tối đa 60 ký tự.").optional(),
  year: z
    .string()
    .regex(/^\d{4}$/, "year: năm gồm 4 chữ số, ví dụ 2023.")
    .optional(),
};
