/**
 * Feedback over the API: `POST /api/v1/feedback?ward=` files one (JSON or form body) → 201 `{code}`, or 400
 * `{errors: {field: message}}`; an `idempotencyKey` (body) or `Idempotency-Key` (header) already used by the ward
 * returns 200 with the same code. `POST /api/v1/feedback/lookup` `{code, phone}` → `{code, status, receivedAt}`
 * or 404, the same for a wrong code and a wrong phone. Both rate-limited per client like the public form.
 * `GET /api/v1/feedback?published=1&q=&page=` → `{total, page, pageSize, items}`: the ward's published answers,
 * newest first, `q` searched like the site search; no personal data. 400 without `published=1`.
 */
import { type Context, Hono } from "hono";
import { apiQuery } from "../../core/web/api-query.ts";
import type { AppEnv } from "../../core/web/context.ts";
import { AppError } from "../../core/web/errors.ts";
import { checkOrigin } from "../../core/web/middleware.ts";
import { limitedLookup, rateHit, TOO_MANY_LOOKUPS_MESSAGE } from "../../core/web/public-forms.ts";
import { formFields, validate } from "../../core/web/validation.ts";
import { publishedAnswers } from "./feedback.published.ts";
import { feedbackInput, lookupInput, NOT_FOUND_MESSAGE, publishedApiQuery } from "./feedback.schemas.ts";
import { lookupFeedback, lookupSubjects, submitFeedback } from "./feedback.service.ts";

type C = Context<AppEnv>;

/** The body as an object, from JSON or a form; a form from a browser must come from our own pages. */
export async function readBody(c: C): Promise<Record<string, unknown>> {
  const type = c.req.header("content-type") ?? "";
  if (type.startsWith("application/json")) {
    const body = await c.req.json().catch(() => {
      throw new AppError(400, "bad_request", "Nội dung JSON không hợp lệ.");
    });
    if (!body || typeof body !== "object" || Array.isArray(body))
      throw new AppError(400, "bad_request", "Cần một đối tượng JSON.");
    return body as Record<string, unknown>;
  }
  if (type.startsWith("application/x-www-form-urlencoded") || type.startsWith("multipart/form-data")) {
    checkOrigin(c);
    return formFields(await c.req.parseBody());
  }
  throw new AppError(415, "unsupported_media_type", "Gửi JSON (application/json) hoặc biểu mẫu.");
}

async function limited(c: C, bucket: "submit" | "lookup") {
  const { db, clock, config } = c.get("deps");
  const r = await rateHit(db.kysely, bucket, c.get("ip"), clock(), config.publicFormRate);
  if (r.ok) return null;
  c.header("Retry-After", String(r.retryAfter));
  return c.json({ error: { id: "rate_limited", message: "Quá nhiều yêu cầu. Vui lòng thử lại sau ít phút." } }, 429);
}

export function feedbackApi() {
  const app = new Hono<AppEnv>();

  app.post("/feedback", async (c) => {
    apiQuery(c, {});
    const over = await limited(c, "submit");
    if (over) return over;
    const body = await readBody(c);
    const parsed = validate(feedbackInput, body);
    if (!parsed.ok) return c.json({ errors: parsed.errors }, 400);
    const raw = body.idempotencyKey ?? c.req.header("idempotency-key");
    if (raw !== undefined && (typeof raw !== "string" || raw.length < 1 || raw.length > 200 || raw.includes("\0")))
      return c.json({ errors: { idempotencyKey: "idempotencyKey: chuỗi từ 1 đến 200 ký tự." } }, 400);
    const { db, clock } = c.get("deps");
    const r = await submitFeedback(
      db.kysely,
      { ...parsed.value, wardId: c.get("ward").unit.id, channel: "web", idempotencyKey: raw ? `api:${raw}` : null },
      clock(),
    );
    return c.json({ code: r.code }, r.created ? 201 : 200);
  });

  app.get("/feedback", async (c) => {
    const { q, page } = apiQuery(c, publishedApiQuery.shape);
    const r = await publishedAnswers(c.get("deps").db, c.get("ward"), { q, page });
    return c.json({ total: r.total, page: r.page, pageSize: r.pageSize, items: r.items });
  });

  app.post("/feedback/lookup", async (c) => {
    apiQuery(c, {});
    const over = await limited(c, "lookup");
    if (over) return over;
    const parsed = validate(lookupInput, await readBody(c));
    if (!parsed.ok) return c.json({ errors: parsed.errors }, 400);
    const { db, clock } = c.get("deps");
    const { code, phone } = parsed.value;
    const guarded = await limitedLookup(db.kysely, lookupSubjects(code, phone), clock(), () =>
      lookupFeedback(db.kysely, code, phone),
    );
    c.header("Cache-Control", "no-store");
    if (!guarded.ok) {
      c.header("Retry-After", String(guarded.retryAfter));
      return c.json({ error: { id: "rate_limited", message: TOO_MANY_LOOKUPS_MESSAGE } }, 429);
    }
    const found = guarded.found;
    if (!found) return c.json({ error: { id: "not_found", message: NOT_FOUND_MESSAGE } }, 404);
    return c.json(found);
  });

  return app;
}
