/** One place that turns schema failures into Vietnamese messages keyed by field. */
import type { z } from "zod";

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
