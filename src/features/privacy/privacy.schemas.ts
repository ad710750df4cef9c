/** What the personal-data pages accept, checked at the edge; messages in Vietnamese. */
import { z } from "zod";
import { normaliseTrackingCode } from "../../core/text/tracking-code.ts";
import { nfc, squash } from "../../core/text/vi.ts";
import { normalisePhone } from "../feedback/feedback.schemas.ts";
import type { ItemKind } from "./retention.ts";

/** The reason recorded when the retention period erases data. */
export const RETENTION_REASON = "hết thời hạn lưu trữ";

export const CONSENT_MIN = 20;
export const CONSENT_MAX = 2000;

/** One item a page refers to: `feedback:12` or `question:5`. */
export interface ItemRef {
  kind: ItemKind;
  id: number;
}

export const refKey = (r: ItemRef) => `${r.kind}:${r.id}`;

/** A posted `feedback:12` / `question:5`; null for anything else. */
export function parseRef(value: string): ItemRef | null {
  const m = /^(feedback|question):([1-9]\d{0,11})$/.exec(value.trim());
  return m ? { kind: m[1] as ItemKind, id: Number(m[2]) } : null;
}

/** What the administrator searches by: a tracking code (PA-… or HD-…) or a phone number, however typed. */
export type PersonQuery = { code: string } | { phone: string };

export const SEARCH_MESSAGE =
  "Nhập mã tra cứu (ví dụ PA-2026-7KQ9XM hoặc HD-2026-7KQ9XM) hoặc số điện thoại (10 chữ số bắt đầu bằng 0).";

/** The search box, folded: a code in any case, with or without dashes; a phone with spaces, dots or +84. */
export const searchInput = z
  .object({
    q: z.preprocess(
      (v) => (typeof v === "string" ? squash(nfc(v)) : v),
      z.string({ error: SEARCH_MESSAGE }).min(1, SEARCH_MESSAGE).max(64, SEARCH_MESSAGE),
    ),
  })
  .transform((v, ctx): PersonQuery => {
    const code = normaliseTrackingCode(v.q);
    if (code) return { code };
    const phone = normalisePhone(v.q);
    if (phone) return { phone };
    ctx.addIssue({ code: "custom", path: ["q"], message: SEARCH_MESSAGE });
    return z.NEVER;
  });

const refs = (message: string) =>
  z.preprocess(
    (v) => (typeof v === "string" ? [v] : v),
    z
      .array(z.string(), { error: message })
      .min(1, message)
      .max(200, "Chọn tối đa 200 mục mỗi lần.")
      .transform((list, ctx) => {
        const out = new Map<string, ItemRef>();
        for (const s of list) {
          const r = parseRef(s);
          if (!r) {
            ctx.addIssue({ code: "custom", message });
            return z.NEVER;
          }
          out.set(refKey(r), r);
        }
        return [...out.values()];
      }),
  );

export const exportInput = z.object({ item: refs("Chọn ít nhất một mục để tải xuống.") });

export const eraseInput = z.object({
  item: refs("Chọn ít nhất một mục để xoá dữ liệu cá nhân."),
  reason: z.preprocess(
    (v) => (typeof v === "string" ? nfc(v).trim() : v),
    z
      .string({ error: "Nhập lý do xoá (ví dụ: theo đơn yêu cầu của người gửi ngày …)." })
      .min(5, "Nhập lý do xoá (ví dụ: theo đơn yêu cầu của người gửi ngày …).")
      .max(500, "Lý do xoá tối đa 500 ký tự."),
  ),
  confirm: z.literal("yes", { error: "Đánh dấu ô xác nhận để xoá. Việc xoá không hoàn tác được." }),
});

const consentField = (what: string) =>
  z.preprocess(
    (v) => (typeof v === "string" ? nfc(v).trim() : v),
    z
      .string({ error: `Nhập nội dung đồng ý cho ${what}.` })
      .refine((s) => [...s].length >= CONSENT_MIN, `Nội dung đồng ý cho ${what} cần ít nhất ${CONSENT_MIN} ký tự.`)
      .refine((s) => [...s].length <= CONSENT_MAX, `Nội dung đồng ý cho ${what} tối đa ${CONSENT_MAX} ký tự.`),
  );

export const consentInput = z.object({
  feedback: consentField("phản ánh, kiến nghị"),
  question: consentField("câu hỏi"),
});
export type ConsentInput = z.infer<typeof consentInput>;
