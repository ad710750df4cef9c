/**
 * One place that turns schema failures into Vietnamese messages keyed by field, and the pieces of form schemas
 * that several features share.
 */
import { z } from "zod";
import { isoDate, nfc, squash } from "../text/vi.ts";

export type FieldErrors = Record<string, string>;
export type Validated<T> = { ok: true; value: T } | { ok: false; errors: FieldErrors };

/** Validate input against a schema; the first message per field is kept. */
export function validate<S extends z.ZodType>(schema: S, input: unknown): Validated<z.infer<S>> {
  const result = schema.safeParse(input);
  if (result.success) return { ok: true, value: result.data };
  const errors: FieldErrors = {};
  for (const issue of result.error.issues) {
    const key = issue.path.length ? issue.path.join(".") : "_";
    if (!errors[key]) errors[key] = issue.message;
  }
  return { ok: false, errors };
}

/** A body from a form: string values only (files handled by the uploads helper), keys guarded against prototype pollution. */
export function formFields(body: Record<string, unknown>): Record<string, string> {
  const out: Record<string, string> = Object.create(null);
  for (const [k, v] of Object.entries(body)) {
    if (k === "__proto__" || k === "constructor" || k === "prototype") continue;
    if (typeof v === "string") out[k] = v;
  }
  return out;
}

/** A form's one-line text: NFC, inner runs of white space folded, trimmed. Anything else is left for the schema. */
export const oneLine = (v: unknown) => (typeof v === "string" ? squash(nfc(v)) : v);

/** A row id, as a number or as a form's digits; `message` for anything else. */
export const idField = (message: string) =>
  z.preprocess(
    (v) => (typeof v === "string" && /^\d+$/.test(v.trim()) ? Number(v) : v),
    // No larger than a row id can be: PostgreSQL refuses a larger integer outright (a 500, not this message).
    z.number({ error: message }).int(message).positive(message).max(2_147_483_647, message),
  );

/** A row id that may be left out: empty (a select's "none" option) or missing is null. */
export const optionalIdField = (message: string) =>
  z.preprocess((v) => (v == null || v === "" ? null : v), idField(message).nullable());

/** A query's ISO day (YYYY-MM-DD), a real calendar day; `message` for anything else. */
export const queryDay = (message: string) =>
  z
    .string({ error: message })
    .regex(/^\d{4}-\d{2}-\d{2}$/, message)
    .refine((s) => isoDate(Number(s.slice(0, 4)), Number(s.slice(5, 7)), Number(s.slice(8, 10))) !== null, message);

/**
 * A staff list's required period `?tu=…&den=…` (the records behind a report's figure), with `extra` fields: both days
 * real, the end not before the start.
 */
export function periodQuery<T extends z.ZodRawShape>(extra: T) {
  return z
    .object({
      tu: queryDay("Ngày bắt đầu chưa đúng (YYYY-MM-DD)."),
      den: queryDay("Ngày kết thúc chưa đúng (YYYY-MM-DD)."),
      ...extra,
    })
    .refine((q) => (q as { tu: string }).tu <= (q as { den: string }).den, {
      message: "Ngày kết thúc phải sau ngày bắt đầu.",
      path: ["den"],
    });
}
