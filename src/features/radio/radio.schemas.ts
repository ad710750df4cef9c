/** Radio forms validated at the edge: Vietnamese messages keyed by field; text NFC. */
import { z } from "zod";
import { nfc, parseDateInput } from "../../core/text/vi.ts";
import { idField, oneLine } from "../../core/web/validation.ts";
import { FORM_ITEMS, MAX_ITEMS, MAX_SCRIPT, MAX_TOTAL, SLOTS } from "./radio.rules.ts";

const date = (message: string) =>
  z.preprocess(
    (v) => (typeof v === "string" ? (parseDateInput(v) ?? v) : v),
    z.string({ error: message }).regex(/^\d{4}-\d{2}-\d{2}$/, message),
  );

const time = (message: string) =>
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

const count = (message: string, min: number, max: number) =>
  z.preprocess(
    (v) => (typeof v === "string" ? (/^\s*[\d.\s]+\s*$/.test(v) ? Number(v.replace(/[.\s]/g, "")) : v) : v),
    z.number({ error: message }).int(message).min(min, message).max(max, message),
  );

const script = z.preprocess((v) => (typeof v === "string" ? nfc(v).replace(/\r\n?/g, "\n").trim() : v), z.string());

export const itemShape = z.object({ title: z.preprocess(oneLine, z.string()), script });
export type ItemInput = z.infer<typeof itemShape>;

export const bulletinForm = z
  .object({
    title: z.preprocess(
      oneLine,
      z
        .string({ error: "Nhập tên bản tin." })
        .min(5, "Tên bản tin ít nhất 5 ký tự.")
        .max(200, "Tên bản tin tối đa 200 ký tự."),
    ),
    orgUnitId: idField("Chọn đơn vị soạn."),
    broadcastOn: date("Ngày phát chưa đúng (dd/mm/yyyy)."),
    slot: z.enum(Object.keys(SLOTS) as [keyof typeof SLOTS], { error: "Chọn buổi phát." }),
    items: z.array(itemShape).max(MAX_ITEMS, `Bản tin tối đa ${MAX_ITEMS} mục.`),
  })
  .superRefine((b, ctx) => {
    if (!b.items.some((i) => i.title || i.script)) {
      ctx.addIssue({
        code: "custom",
        path: ["items"],
        message: "Bản tin phải có ít nhất một mục (tiêu đề và nội dung).",
      });
      return;
    }
    let total = 0;
    b.items.forEach((item, i) => {
      const n = i + 1;
      if (!item.title && !item.script) return;
      if (item.title.length < 3)
        ctx.addIssue({ code: "custom", path: [`item${n}Title`], message: `Mục ${n}: nhập tiêu đề (ít nhất 3 ký tự).` });
      if (item.title.length > 200)
        ctx.addIssue({ code: "custom", path: [`item${n}Title`], message: `Mục ${n}: tiêu đề tối đa 200 ký tự.` });
      if (item.script.length < 10)
        ctx.addIssue({
          code: "custom",
          path: [`item${n}Script`],
          message: `Mục ${n}: nhập nội dung (ít nhất 10 ký tự).`,
        });
      if (item.script.length > MAX_SCRIPT)
        ctx.addIssue({
          code: "custom",
          path: [`item${n}Script`],
          message: `Mục ${n}: nội dung tối đa ${MAX_SCRIPT.toLocaleString("vi-VN")} ký tự.`,
        });
      total += item.script.length;
    });
    if (total > MAX_TOTAL)
      ctx.addIssue({
        code: "custom",
        path: ["items"],
        message: `Cả bản tin tối đa ${MAX_TOTAL.toLocaleString("vi-VN")} ký tự nội dung.`,
      });
  })
  .transform((b) => ({ ...b, items: b.items.filter((i) => i.title || i.script) }));
export type BulletinInput = z.infer<typeof bulletinForm>;

/** The form's flat fields (item1Title, item1Script, …) as the schema reads them. */
export function bulletinFormInput(values: Record<string, string>) {
  const items: { title: string; script: string }[] = [];
  for (let n = 1; n <= MAX_ITEMS + 1; n++) {
    const title = values[`item${n}Title`];
    const scriptText = values[`item${n}Script`];
    if (title == null && scriptText == null) {
      if (n > FORM_ITEMS) break;
      continue;
    }
    items.push({ title: title ?? "", script: scriptText ?? "" });
  }
  return { ...values, items };
}

export const airForm = z.object({
  airedOn: date("Ngày phát chưa đúng (dd/mm/yyyy)."),
  airedAt: time("Giờ phát chưa đúng (hh:mm, ví dụ 06:30)."),
  durationMinutes: count("Thời lượng là số phút, từ 1 đến 240.", 1, 240),
  clusterIds: z
    .array(idField("Cụm loa không hợp lệ."))
    .min(1, "Chọn ít nhất một cụm loa đã phát.")
    .max(200, "Tối đa 200 cụm loa."),
});

/** A send-back's or withdrawal's reason: the same rule as the events' workflow. */
export { reasonForm } from "../events/events.schemas.ts";

export const clusterForm = z.object({
  name: z.preprocess(
    oneLine,
    z.string({ error: "Nhập tên cụm loa." }).min(2, "Nhập tên cụm loa.").max(120, "Tên cụm loa tối đa 120 ký tự."),
  ),
  place: z.preprocess(oneLine, z.string().max(200, "Vị trí tối đa 200 ký tự.")),
  audience: count("Số người nghe ước tính là số nguyên từ 1 đến 200.000.", 1, 200_000),
});

export const abbreviationForm = z.object({
  abbr: z.preprocess(
    oneLine,
    z
      .string({ error: "Nhập chữ viết tắt." })
      .min(2, "Chữ viết tắt ít nhất 2 ký tự.")
      .max(30, "Chữ viết tắt tối đa 30 ký tự.")
      .regex(/^[\p{L}\p{N}][\p{L}\p{N}.,\- ]*$/u, "Chữ viết tắt chỉ gồm chữ, số, dấu chấm, gạch nối."),
  ),
  reading: z.preprocess(
    oneLine,
    z.string({ error: "Nhập cách đọc." }).min(2, "Nhập cách đọc.").max(200, "Cách đọc tối đa 200 ký tự."),
  ),
});
