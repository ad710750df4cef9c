/**
 * Questions (hỏi đáp), every route in one sub-app mounted at "/":
 * - public (also under /w/{ward}): `GET/POST /hoi-dap/hoi` to ask (pre-filled by `?thu-tuc=`), `GET /hoi-dap` the
 *   published entries, `GET /hoi-dap/:id` one entry linked to its procedure; no personal data on any of them;
 * - staff: `GET /quan-tri/hoi-dap`, `GET /quan-tri/hoi-dap/:id` and one POST per step;
 * - API: `GET /api/v1/questions?q=` → `{total, items}`, published entries only, `q` through the site search.
 * The public form reuses the feedback form's pieces: same-origin check, per-client rate limit (bucket
 * "question"), honeypot, signed one-time token (its nonce is the idempotency key).
 * The notifier is built from the configuration inside the feature (`notifierFor(config)`), not passed in Deps.
 */

import { type Context, Hono } from "hono";
import { z } from "zod";
import { notifierFor } from "../../core/notify.ts";
import { newTrackingCode } from "../../core/text/tracking-code.ts";
import { vnToday } from "../../core/text/vi.ts";
import { apiQuery as readApiQuery } from "../../core/web/api-query.ts";
import type { AppEnv } from "../../core/web/context.ts";
import { AppError, forbidden, notFound } from "../../core/web/errors.ts";
import { EMPTY_FORM, type FormState, pageErrors, readFormValues } from "../../core/web/forms.tsx";
import { checkOrigin, requireAction, requireCsrf, requireStaff } from "../../core/web/middleware.ts";
import { cacheable } from "../../core/web/page-cache.ts";
import { overPublicLimit, tooManyLookups } from "../../core/web/public-form-limit.tsx";
import {
  formTokenKey,
  issueFormToken,
  limitedLookup,
  rateHit,
  TOO_MANY_LOOKUPS_MESSAGE,
} from "../../core/web/public-forms.ts";
import { sessionOf } from "../../core/web/staff.ts";
import { periodQuery, validate } from "../../core/web/validation.ts";
import { readPublishInput } from "../answerable/answerable.input.ts";
import { PUBLIC_ID_PATTERN } from "../answerable/public-id.ts";
import { readBody } from "../feedback/feedback.api.ts";
import { consentText } from "../privacy/consent.ts";
import { QUESTION_FIGURES, type QuestionFigure, questionFigureIds } from "./questions.figures.ts";
import {
  apiQuery,
  draftInput,
  LOOKUP_NOT_FOUND,
  lookupInput,
  QUESTION_MAX,
  questionInput,
  routeInput,
  sendBackInput,
} from "./questions.schemas.ts";
import {
  answerPath,
  approveAnswer,
  draftAnswer,
  FORBIDDEN_TEXT,
  findPublished,
  lookupQuestion,
  NOT_FOUND_TEXT,
  publicIdOf,
  publishAnswer,
  publishedEntry,
  questionLookupSubjects,
  routeQuestion,
  sendBack,
  staffItem,
  staffList,
  submitQuestion,
  type WorkflowResult,
} from "./questions.service.ts";
import {
  AskFormPage,
  AskSentPage,
  QuestionEntryPage,
  QuestionListPage,
  QuestionLookupPage,
  StaffItemPage,
  StaffListPage,
} from "./questions.views.tsx";

type C = Context<AppEnv>;

/** The staff list's filter to a report's figure: a period and which figure (received by default). */
const questionFigureQuery = periodQuery({
  "so-lieu": z
    .enum(Object.keys(QUESTION_FIGURES) as [QuestionFigure, ...QuestionFigure[]], {
      error: "Số liệu lọc chỉ là “received” hoặc “answered”.",
    })
    .optional(),
});

const PROCEDURE_CODE = /^\d{1,3}\.\d{6}$/;
/** The askers' lookup counts in its own bucket, page and API together. */
const LOOKUP_BUCKET = "question-lookup";
const EXPIRED = "Biểu mẫu đã hết hạn hoặc không hợp lệ. Hãy kiểm tra lại nội dung và bấm “Gửi câu hỏi” lần nữa.";

async function renderAsk(c: C, state: FormState, status: 200 | 400) {
  const { db, clock } = c.get("deps");
  const ward = c.get("ward");
  const token = await issueFormToken(db.kysely, ward.unit.id, clock());
  c.header("Cache-Control", "no-store");
  const consent = await consentText(db.kysely, "question", ward.unit.id);
  return c.html(<AskFormPage ward={ward} state={state} token={token} consentText={consent} />, status);
}

function publicRoutes() {
  const app = new Hono<AppEnv>();

  app.get("/hoi-dap", cacheable("q"), async (c) => {
    const ward = c.get("ward");
    const parsed = apiQuery.safeParse({ q: c.req.query("q") });
    // An over-long query is cut, not refused: the page still answers.
    const query = parsed.success ? parsed.data.q : c.req.query("q")?.trim().slice(0, 200);
    const entries = await findPublished(c.get("deps").db, ward, query || undefined);
    return c.html(<QuestionListPage ward={ward} entries={entries} query={query ?? ""} />);
  });

  // Links sent before entries had a public id (`/hoi-dap/12`, in e-mails) lead to the entry's own address.
  app.get("/hoi-dap/:id{[0-9]+}", async (c) => {
    const ward = c.get("ward");
    const publicId = await publicIdOf(c.get("deps").db.kysely, ward.unit.id, Number(c.req.param("id")));
    if (!publicId) throw notFound("Không tìm thấy câu hỏi này.");
    return c.redirect(`${ward.base}${answerPath(publicId)}`, 301);
  });

  app.get("/hoi-dap/:publicId{[a-z2-9]{10}}", cacheable(), async (c) => {
    const ward = c.get("ward");
    const publicId = c.req.param("publicId");
    const entry = PUBLIC_ID_PATTERN.test(publicId)
      ? await publishedEntry(c.get("deps").db.kysely, ward.unit.id, publicId)
      : null;
    if (!entry) throw notFound("Không tìm thấy câu hỏi này.");
    return c.html(<QuestionEntryPage ward={ward} entry={entry} />);
  });

  app.get("/hoi-dap/hoi", (c) => {
    const code = c.req.query("thu-tuc")?.trim();
    return renderAsk(c, { values: code && PROCEDURE_CODE.test(code) ? { procedureCode: code } : {}, errors: {} }, 200);
  });

  app.post("/hoi-dap/hoi", async (c) => {
    checkOrigin(c);
    const { db, clock, log } = c.get("deps");
    const now = clock();
    const ward = c.get("ward");
    c.header("Cache-Control", "no-store");
    const limited = await overPublicLimit(c, "question");
    if (limited) return limited;
    const values = await readFormValues(c);
    if (values.website?.trim()) {
      // Only a robot fills the hidden field: it sees the usual receipt, and nothing is stored.
      log.info({ event: "question.honeypot", path: c.req.path }, "question honeypot");
      const fake = newTrackingCode("HD", Number(vnToday(now).slice(0, 4)));
      return c.html(<AskSentPage ward={ward} code={fake} byEmail={false} />);
    }
    const key = await formTokenKey(db.kysely, ward.unit.id, values._form, now);
    const parsed = validate(questionInput, values);
    if (!key || !parsed.ok) {
      const errors = parsed.ok ? {} : pageErrors(parsed.errors, "hd", "hd-form");
      if (!key) errors["hd-form"] = EXPIRED;
      return renderAsk(c, { values, errors }, 400);
    }
    const { code } = await submitQuestion(
      db.kysely,
      { ...parsed.value, wardId: ward.unit.id, idempotencyKey: key },
      now,
    );
    const byEmail = c.get("deps").config.smtpUrl != null && parsed.value.email != null;
    return c.html(<AskSentPage ward={ward} code={code} byEmail={byEmail} />);
  });

  app.get("/hoi-dap/tra-cuu", (c) => c.html(<QuestionLookupPage ward={c.get("ward")} state={EMPTY_FORM} />));

  // Rate-limited like the feedback lookup (a code and a contact could otherwise be tried in bulk).
  app.post("/hoi-dap/tra-cuu", async (c) => {
    checkOrigin(c);
    const limited = await overPublicLimit(c, LOOKUP_BUCKET);
    if (limited) return limited;
    const ward = c.get("ward");
    const values = await readFormValues(c);
    // The phone or e-mail is never written back into the page (a shared computer, a page saved by the browser).
    const shown = { code: values.code ?? "" };
    c.header("Cache-Control", "no-store");
    const parsed = validate(lookupInput, values);
    if (!parsed.ok) {
      const errors = pageErrors(parsed.errors, "tc", "tc-form");
      return c.html(<QuestionLookupPage ward={ward} state={{ values: shown, errors }} />, 400);
    }
    const { db, clock } = c.get("deps");
    const guarded = await limitedLookup(db.kysely, questionLookupSubjects(parsed.value), clock(), () =>
      lookupQuestion(db.kysely, parsed.value),
    );
    if (!guarded.ok) return tooManyLookups(c, guarded.retryAfter);
    const result = guarded.found;
    if (!result) {
      const errors = { "tc-form": LOOKUP_NOT_FOUND };
      return c.html(<QuestionLookupPage ward={ward} state={{ values: shown, errors }} />, 404);
    }
    return c.html(<QuestionLookupPage ward={ward} state={{ values: shown, errors: {} }} result={result} />);
  });

  return app;
}

function staffRoutes() {
  const app = new Hono<AppEnv>();
  const ID = "/hoi-dap/:id{[0-9]+}";
  const itemId = (c: C) => Number(c.req.param("id"));
  const ctx = (c: C) => {
    const { db, clock } = c.get("deps");
    return { db: db.kysely, user: sessionOf(c).user, now: clock() };
  };

  async function renderItem(c: C, state: FormState, status: 200 | 400 | 409 = 200) {
    const session = sessionOf(c);
    const data = await staffItem(c.get("deps").db.kysely, session.user, itemId(c));
    if (!data) throw notFound(NOT_FOUND_TEXT);
    if (data === "forbidden") throw forbidden(FORBIDDEN_TEXT);
    const saved = c.req.method === "GET" ? c.req.query("da-luu") : undefined;
    // The asker's name, email and phone: never stored by a browser or a proxy.
    c.header("Cache-Control", "no-store");
    return c.html(
      <StaffItemPage ward={c.get("ward")} session={session} data={data} state={state} saved={saved} />,
      status,
    );
  }

  function done(c: C, r: WorkflowResult, saved: string, prefix: string, values: Record<string, string> = {}) {
    if (r.ok) return c.redirect(`/quan-tri/hoi-dap/${itemId(c)}?da-luu=${saved}`, 303);
    if (r.status === 403) throw forbidden(r.errors._);
    if (r.status === 404) throw notFound(r.errors._);
    return renderItem(c, { values, errors: pageErrors(r.errors, prefix, `${prefix}-form`) }, r.status);
  }

  app.get("/hoi-dap", requireStaff, requireAction("question.open"), async (c) => {
    const db = c.get("deps").db.kysely;
    // `?tu=…&den=…&so-lieu=…`: the questions behind a report's figure, by the figure's own rule.
    const query = c.req.query();
    let figure: { tu: string; den: string; figure: QuestionFigure } | null = null;
    if (query.tu !== undefined || query.den !== undefined || query["so-lieu"] !== undefined) {
      const parsed = validate(questionFigureQuery, query);
      if (!parsed.ok) throw new AppError(400, "bad_request", Object.values(parsed.errors)[0] ?? "Bộ lọc không hợp lệ.");
      figure = { tu: parsed.value.tu, den: parsed.value.den, figure: parsed.value["so-lieu"] ?? "received" };
    }
    const wardIds = c.get("ward").scopeIds;
    const only = figure
      ? { ids: await questionFigureIds(db, wardIds, { from: figure.tu, to: figure.den }, figure.figure), wardIds }
      : null;
    const rows = await staffList(db, sessionOf(c).user, only);
    c.header("Cache-Control", "no-store");
    return c.html(<StaffListPage ward={c.get("ward")} session={sessionOf(c)} rows={rows} filter={figure} />);
  });

  app.get(ID, requireStaff, requireCsrf, requireAction("question.open"), (c) => renderItem(c, EMPTY_FORM));

  app.post(`${ID}/chuyen-don-vi`, requireStaff, requireCsrf, requireAction("question.handle"), async (c) => {
    const values = await readFormValues(c);
    const parsed = validate(routeInput, values);
    if (!parsed.ok) return renderItem(c, { values, errors: pageErrors(parsed.errors, "cd", "cd-form") }, 400);
    const { db, user, now } = ctx(c);
    return done(c, await routeQuestion(db, user, itemId(c), parsed.value.unitId, now), "chuyen-don-vi", "cd", values);
  });

  app.post(`${ID}/du-thao`, requireStaff, requireCsrf, requireAction("question.draft"), async (c) => {
    const { db, user, now } = ctx(c);
    const values = await readFormValues(c);
    const parsed = validate(draftInput, values);
    if (!parsed.ok) {
      // An officer of another unit learns nothing about the question, not even through a validation error.
      if ((await staffItem(db, user, itemId(c))) === "forbidden") throw forbidden(FORBIDDEN_TEXT);
      return renderItem(c, { values, errors: pageErrors(parsed.errors, "dt", "dt-form") }, 400);
    }
    return done(c, await draftAnswer(db, user, itemId(c), parsed.value.answer, now), "du-thao", "dt", values);
  });

  app.post(`${ID}/duyet`, requireStaff, requireCsrf, requireAction("question.approve"), async (c) => {
    const { db, user, now } = ctx(c);
    return done(c, await approveAnswer(db, user, itemId(c), now), "duyet", "pd");
  });

  app.post(`${ID}/tra-lai`, requireStaff, requireCsrf, requireAction("question.approve"), async (c) => {
    const values = await readFormValues(c);
    const parsed = validate(sendBackInput, values);
    if (!parsed.ok) return renderItem(c, { values, errors: pageErrors(parsed.errors, "tl", "tl-form") }, 400);
    const { db, user, now } = ctx(c);
    return done(c, await sendBack(db, user, itemId(c), parsed.value.reason, now), "tra-lai", "tl", values);
  });

  app.post(`${ID}/cong-bo`, requireStaff, requireCsrf, requireAction("question.handle"), async (c) => {
    const values = await readFormValues(c);
    // The form sends both reviewed texts (required there: empty is refused); a client that sends neither publishes
    // their automatic redaction, never the texts as typed — and either way the redaction check runs on them.
    const parsed = readPublishInput(values, {
      field: "publicQuestion",
      words: "câu hỏi công khai",
      max: QUESTION_MAX,
    });
    if (!parsed.ok) return renderItem(c, { values, errors: pageErrors(parsed.errors, "cb", "cb-form") }, 400);
    const { db, user, now } = ctx(c);
    const { config, log } = c.get("deps");
    const r = await publishAnswer(db, user, itemId(c), parsed.value, now, {
      notifier: notifierFor(config, log),
      log,
      publicUrl: config.publicUrl,
      wardBase: c.get("ward").base,
    });
    return done(c, r, "cong-bo", "cb", values);
  });

  return app;
}

function apiRoutes() {
  const app = new Hono<AppEnv>();
  app.get("/questions", async (c) => {
    const { q } = readApiQuery(c, apiQuery.shape);
    const ward = c.get("ward");
    const entries = await findPublished(c.get("deps").db, ward, q);
    return c.json({
      total: entries.length,
      items: entries.map((e) => ({
        id: e.id,
        question: e.question,
        answer: e.answer,
        procedureCode: e.procedureCode,
        publishedOn: e.publishedOn,
        url: `${ward.base}${answerPath(e.id)}`,
      })),
    });
  });
  app.post("/questions/lookup", async (c) => {
    readApiQuery(c, {});
    const { db, clock, config } = c.get("deps");
    const hit = await rateHit(db.kysely, LOOKUP_BUCKET, c.get("ip"), clock(), config.publicFormRate);
    c.header("Cache-Control", "no-store");
    if (!hit.ok) {
      c.header("Retry-After", String(hit.retryAfter));
      return c.json(
        { error: { id: "rate_limited", message: "Quá nhiều yêu cầu. Vui lòng thử lại sau ít phút." } },
        429,
      );
    }
    const parsed = validate(lookupInput, await readBody(c));
    if (!parsed.ok) return c.json({ errors: parsed.errors }, 400);
    const guarded = await limitedLookup(db.kysely, questionLookupSubjects(parsed.value), clock(), () =>
      lookupQuestion(db.kysely, parsed.value),
    );
    if (!guarded.ok) {
      c.header("Retry-After", String(guarded.retryAfter));
      return c.json({ error: { id: "rate_limited", message: TOO_MANY_LOOKUPS_MESSAGE } }, 429);
    }
    const found = guarded.found;
    if (!found) return c.json({ error: { id: "not_found", message: LOOKUP_NOT_FOUND } }, 404);
    return c.json({ ...found, ...(found.url ? { url: `${c.get("ward").base}${found.url}` } : {}) });
  });
  return app;
}

export function questionsRoutes() {
  const app = new Hono<AppEnv>();
  app.route("/api/v1", apiRoutes());
  app.route("/quan-tri", staffRoutes());
  app.route("/", publicRoutes());
  app.route("/w/:ward", publicRoutes());
  return app;
}
