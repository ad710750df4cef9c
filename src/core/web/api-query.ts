/**
 * The query string of every /api/v1 route, read by the route's own schema: each parameter is known (the route's
 * and `ward`), given at most once and valid, or the answer is a Vietnamese 400 naming it. Values are read with
 * URLSearchParams, which never throws on a bad `%` escape (it keeps the text as sent, and the schema refuses it).
 */
import type { Context } from "hono";
import { z } from "zod";
import { AppError } from "./errors.ts";

/** A commune's code, optionally as it was on a date: `21439`, `21463@2024-02-19`. */
export const WARD_REF_PATTERN = /^\d{5}(@\d{4}-\d{2}-\d{2})?$/;

export const WARD_MESSAGE = "ward: mã xã, phường gồm 5 chữ số, ví dụ 21439 (có thể kèm ngày: 21463@2024-02-19).";

/**
 * A province's code (`51`): only routes that say so take it as their `ward` (apiQuery's `province` option), and
 * answer for the province itself; core/web/ward.ts leaves it to them.
 */
export const PROVINCE_REF_PATTERN = /^\d{2}$/;

/** The `ward` parameter every /api/v1 route takes (resolved by core/web/ward.ts). */
export const wardParam = z.string({ error: WARD_MESSAGE }).regex(WARD_REF_PATTERN, WARD_MESSAGE);

const badQuery = (message: string) => new AppError(400, "bad_query", message);

/** The request's query parameters, each once: a repeated one is refused (which of them would count is unclear). */
export function rawQuery(c: Context): Record<string, string> {
  const params = new URL(c.req.url).searchParams;
  const out: Record<string, string> = {};
  for (const [name, value] of params) {
    if (name in out) throw badQuery(`Tham số ${name} chỉ được có một lần.`);
    out[name] = value;
  }
  return out;
}

/**
 * Parse an /api/v1 route's query by its schema (plus `ward`); unknown parameters and bad values are a 400.
 * `province`: the route also takes a province's two-digit code as `ward` (and reads it itself); any other route
 * refuses one.
 */
export function apiQuery<S extends z.ZodRawShape>(
  c: Context,
  shape: S,
  opts: { province?: boolean } = {},
): z.output<z.ZodObject<S>> {
  const query = rawQuery(c);
  const allowed = [...Object.keys(shape), "ward"];
  const unknown = Object.keys(query).filter((k) => !allowed.includes(k));
  if (unknown.length > 0) {
    const known = allowed.length > 1 ? ` Tham số được nhận: ${allowed.join(", ")}.` : " Chỉ nhận tham số ward.";
    throw badQuery(`Tham số không được hỗ trợ: ${unknown.join(", ")}.${known}`);
  }
  const { ward, ...rest } = query;
  const province = opts.province === true && ward !== undefined && PROVINCE_REF_PATTERN.test(ward);
  if (ward !== undefined && !province && !wardParam.safeParse(ward).success) throw badQuery(WARD_MESSAGE);
  const parsed = z.object(shape).safeParse(rest);
  if (!parsed.success) throw badQuery(parsed.error.issues.map((i) => i.message).join(" "));
  return parsed.data;
}
