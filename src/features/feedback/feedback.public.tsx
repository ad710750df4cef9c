/**
 * Public pages of feedback (phản ánh, kiến nghị): `GET/POST /gop-y` to send one, `GET/POST /gop-y/tra-cuu` to
 * follow it by code and phone (sent in the body, never in a URL), `GET /gop-y/da-tra-loi` the published answers
 * (searchable, no personal data; cached) and `/gop-y/da-tra-loi/{public id}` one of them (never by tracking code). Also under /w/{ward}. No
 * JavaScript needed. The form may carry up to three files (multipart).
 * Every POST: same-origin check, a per-client rate limit, and for the form a signed one-time token so a retried
 * POST shows the same code instead of filing twice. The form and lookup pages carry a token or personal data:
 * never cached.
 */
import { type Context, Hono } from "hono";
import { newTrackingCode } from "../../core/text/tracking-code.ts";
import { vnToday } from "../../core/text/vi.ts";
import type { AppEnv } from "../../core/web/context.ts";
import { notFound } from "../../core/web/errors.ts";
import { EMPTY_FORM, type FormState, pageErrors, readFormValues } from "../../core/web/forms.tsx";
import { checkOrigin } from "../../core/web/middleware.ts";
import { cacheable } from "../../core/web/page-cache.ts";
import { overPublicLimit, tooManyLookups } from "../../core/web/public-form-limit.tsx";
import { formTokenKey, issueFormToken, limitedLookup } from "../../core/web/public-forms.ts";
import { validate } from "../../core/web/validation.ts";
import { PUBLIC_ID_PATTERN } from "../answerable/public-id.ts";
import { consentText } from "../privacy/consent.ts";
import { submitWithAttachments } from "./feedback.files.ts";
import { publishedAnswerById, publishedAnswers } from "./feedback.published.ts";
import { PublishedItemPage, PublishedListPage } from "./feedback.published.views.tsx";
import { feedbackInput, lookupInput, NOT_FOUND_MESSAGE } from "./feedback.schemas.ts";
import { lookupFeedback, lookupSubjects } from "./feedback.service.ts";
import { readFormWithFiles } from "./feedback.upload-form.ts";
import { FeedbackFormPage, FeedbackLookupPage, FeedbackSentPage } from "./feedback.views.tsx";

type C = Context<AppEnv>;

const PROCEDURE_CODE = /^\d{1,3}\.\d{6}$/;
const EXPIRED =
  "Biểu mẫu đã hết hạn hoặc không hợp lệ. Hãy kiểm tra lại nội dung và bấm “Gửi phản ánh, kiến nghị” lần nữa.";

async function renderForm(c: C, state: FormState, status: 200 | 400 | 413 | 415) {
  const { db, clock, config } = c.get("deps");
  const ward = c.get("ward");
  const token = await issueFormToken(db.kysely, ward.unit.id, clock());
  c.header("Cache-Control", "no-store");
  return c.html(
    <FeedbackFormPage
      ward={ward}
      state={state}
      token={token}
      maxBytes={config.uploadMaxBytes}
      consentText={await consentText(db.kysely, "feedback", ward.unit.id)}
    />,
    status,
  );
}

export function feedbackPublicRoutes() {
  const app = new Hono<AppEnv>();

  app.get("/gop-y", (c) => {
    const code = c.req.query("thu-tuc")?.trim();
    const values: Record<string, string> =
      code && PROCEDURE_CODE.test(code) ? { procedureCode: code, subject: "procedure" } : {};
    return renderForm(c, { values, errors: {} }, 200);
  });

  app.post("/gop-y", async (c) => {
    checkOrigin(c);
    const limited = await overPublicLimit(c, "submit");
    if (limited) return limited;
    const { db, clock, log, config } = c.get("deps");
    const now = clock();
    const ward = c.get("ward");
    const { values, files } = await readFormWithFiles(c);
    c.header("Cache-Control", "no-store");
    if (values.website?.trim()) {
      // Only a robot fills the hidden field: it sees the usual receipt, and nothing is stored.
      log.info({ event: "feedback.honeypot", path: c.req.path }, "feedback honeypot");
      const fake = newTrackingCode("PA", Number(vnToday(now).slice(0, 4)));
      return c.html(<FeedbackSentPage ward={ward} code={fake} />);
    }
    const key = await formTokenKey(db.kysely, ward.unit.id, values._form, now);
    const parsed = validate(feedbackInput, values);
    if (!key || !parsed.ok) {
      const errors = parsed.ok ? {} : pageErrors(parsed.errors, "gy", "gy-form");
      if (!key) errors["gy-form"] = EXPIRED;
      return renderForm(c, { values, errors }, 400);
    }
    const r = await submitWithAttachments(
      db,
      config,
      { ...parsed.value, wardId: ward.unit.id, channel: "web", idempotencyKey: key },
      files,
      now,
    );
    // A refused file: the form again with what was typed (files must be chosen again: browsers never refill them).
    if (!r.ok) return renderForm(c, { values, errors: { "gy-files": r.error } }, r.status);
    return c.html(<FeedbackSentPage ward={ward} code={r.code} />);
  });

  app.get("/gop-y/da-tra-loi", cacheable("q", "trang"), async (c) => {
    const ward = c.get("ward");
    const page = Number(/^\d{1,6}$/.test(c.req.query("trang") ?? "") ? c.req.query("trang") : 1) || 1;
    let r = await publishedAnswers(c.get("deps").db, ward, { q: c.req.query("q"), page });
    // Past the last page: the last page.
    if (r.items.length === 0 && r.pages > 0)
      r = await publishedAnswers(c.get("deps").db, ward, { q: c.req.query("q"), page: r.pages });
    return c.html(<PublishedListPage ward={ward} r={r} />);
  });

  // By the answer's public id only: a tracking code here would tell whoever tries one that it exists.
  app.get("/gop-y/da-tra-loi/:id", cacheable(), async (c) => {
    const ward = c.get("ward");
    const id = c.req.param("id");
    const a = PUBLIC_ID_PATTERN.test(id) ? await publishedAnswerById(c.get("deps").db, ward.unit.id, id) : null;
    if (!a) throw notFound("Không tìm thấy phản ánh, kiến nghị đã trả lời này.");
    return c.html(<PublishedItemPage ward={ward} a={a} />);
  });

  app.get("/gop-y/tra-cuu", (c) => c.html(<FeedbackLookupPage ward={c.get("ward")} state={EMPTY_FORM} />));

  app.post("/gop-y/tra-cuu", async (c) => {
    checkOrigin(c);
    const limited = await overPublicLimit(c, "lookup");
    if (limited) return limited;
    const ward = c.get("ward");
    const values = await readFormValues(c);
    // The phone is never written back into the page (a shared computer, a page saved by the browser).
    const shown = { code: values.code ?? "" };
    c.header("Cache-Control", "no-store");
    const parsed = validate(lookupInput, values);
    if (!parsed.ok) {
      const errors = pageErrors(parsed.errors, "tc", "tc-form");
      return c.html(<FeedbackLookupPage ward={ward} state={{ values: shown, errors }} />, 400);
    }
    const { db, clock } = c.get("deps");
    const { code, phone } = parsed.value;
    const guarded = await limitedLookup(db.kysely, lookupSubjects(code, phone), clock(), () =>
      lookupFeedback(db.kysely, code, phone),
    );
    if (!guarded.ok) return tooManyLookups(c, guarded.retryAfter);
    const result = guarded.found;
    if (!result) {
      const errors = { "tc-form": NOT_FOUND_MESSAGE };
      return c.html(<FeedbackLookupPage ward={ward} state={{ values: shown, errors }} />, 404);
    }
    return c.html(<FeedbackLookupPage ward={ward} state={{ values: shown, errors: {} }} result={result} />);
  });

  return app;
}
