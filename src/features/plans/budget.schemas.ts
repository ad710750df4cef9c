/** Input of the budget forms: a line (amount in đồng, source, purpose, channel, unit) and the stated total. */
import { z } from "zod";
import { nfc, squash } from "../../core/text/vi.ts";
import { optionalIdField } from "../../core/web/validation.ts";
import { MAX_AMOUNT } from "./budget.ts";
import { CHANNEL_KINDS, type ChannelKind } from "./plan-draft.ts";

const AMOUNT_MESSAGE = "Số tiền phải là số nguyên dương tính bằng đồng (ví dụ 15.000.000), tối đa 10.000 tỷ đồng.";

/** "15.000.000", "15 000 000", "15000000", "15.000.000 đồng" → 15000000; "" → null; anything else is refused. */
const amountOf = (v: unknown) => {
  if (v == null) return null;
  if (typeof v !== "string") return v;
  const t = v
    .trim()
    .replace(/\s*(?:đồng|đ|VNĐ|VND)$/iu, "")
    .replace(/[\s_]/g, "");
  if (t === "") return null;
  if (/^\d{1,3}(\.\d{3})+$/.test(t)) return Number(t.replace(/\./g, ""));
  if (/^\d+$/.test(t)) return Number(t);
  return v;
};

export const amountField = z.preprocess(
  amountOf,
  z
    .number({ error: AMOUNT_MESSAGE })
    .int(AMOUNT_MESSAGE)
    .positive(AMOUNT_MESSAGE)
    .max(MAX_AMOUNT, AMOUNT_MESSAGE)
    .nullable(),
);

const line = (v: unknown) => (typeof v === "string" ? squash(nfc(v)) : v);
/** A one-line text a form must fill. */
export const requiredText = (max: number, missing: string, tooLong: string) =>
  z.preprocess(line, z.string({ error: missing }).min(1, missing).max(max, tooLong));
/** A one-line text a form may leave empty (null). */
export const optionalText = (max: number, tooLong: string) =>
  z.preprocess(
    (v) => (v == null ? null : line(v) === "" ? null : line(v)),
    z.string({ error: tooLong }).max(max, tooLong).nullable(),
  );

const CHANNEL_CODES = Object.keys(CHANNEL_KINDS) as [ChannelKind, ...ChannelKind[]];

export const budgetLineSchema = z.object({
  amount: amountField,
  source: optionalText(200, "Nguồn kinh phí tối đa 200 ký tự."),
  purpose: requiredText(300, "Hãy ghi nội dung chi (kinh phí dùng cho việc gì).", "Nội dung chi tối đa 300 ký tự."),
  channelKind: z.preprocess(
    (v) => (v == null || v === "" ? null : v),
    z.enum(CHANNEL_CODES, { error: "Hình thức tuyên truyền không hợp lệ." }).nullable(),
  ),
  orgUnitId: optionalIdField("Đơn vị không hợp lệ."),
});
export type BudgetLineInput = z.input<typeof budgetLineSchema>;

export const statedTotalSchema = z.object({ stated: amountField });
