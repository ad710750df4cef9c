/**
 * The publish step's input, read the same way for both features: the reviewed public copy of the citizen's text
 * (its field named by the feature), the public copy of the answer, the occurrences staff keep (checkboxes `keep-0`,
 * `keep-1`…, each holding a `keepKey`) and the reason they keep them. A text not sent at all (a client that only
 * posts the step) is published as its automatic redaction; a text sent empty is refused.
 */
import { z } from "zod";
import { nfc } from "../../core/text/vi.ts";
import { type Validated, validate } from "../../core/web/validation.ts";
import { PUBLIC_ANSWER_FIELD, type PublishInput } from "./answerable.workflow.ts";

const ANSWER_MAX = 5000;
const KEEP_REASON_MAX = 500;

const longText = (field: string, max: number) =>
  z.preprocess(
    (v) => (typeof v === "string" ? nfc(v).trim() : v),
    z
      .string({ error: `Nhập ${field}.` })
      .min(1, `Nhập ${field}.`)
      .refine((s) => [...s].length <= max, `${field[0]?.toUpperCase()}${field.slice(1)} tối đa ${max} ký tự.`),
  );

/** Read the publish form (or request body) of a feature whose citizen text is `citizen.field`. */
export function readPublishInput(
  values: Record<string, string>,
  citizen: { field: string; words: string; max: number },
): Validated<PublishInput> {
  const present = [citizen.field, PUBLIC_ANSWER_FIELD].filter((f) => f in values);
  const schema = z.object({
    ...(present.includes(citizen.field) ? { [citizen.field]: longText(citizen.words, citizen.max) } : {}),
    ...(present.includes(PUBLIC_ANSWER_FIELD)
      ? { [PUBLIC_ANSWER_FIELD]: longText("nội dung trả lời công khai", ANSWER_MAX) }
      : {}),
    keepReason: z.preprocess(
      (v) => (typeof v === "string" ? nfc(v).trim() || undefined : v),
      z.string().max(KEEP_REASON_MAX, `Lý do giữ lại tối đa ${KEEP_REASON_MAX} ký tự.`).optional(),
    ),
  });
  const parsed = validate(schema, values);
  if (!parsed.ok) return parsed;
  const v = parsed.value as Record<string, string | undefined>;
  const keep = Object.entries(values)
    .filter(([k]) => /^keep-\d{1,3}$/.test(k))
    .map(([, key]) => nfc(key));
  return {
    ok: true,
    value: {
      texts: { [citizen.field]: v[citizen.field], [PUBLIC_ANSWER_FIELD]: v[PUBLIC_ANSWER_FIELD] },
      keep,
      keepReason: v.keepReason ?? null,
    },
  };
}
