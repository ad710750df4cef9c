/**
 * Staff side of feedback: `GET /quan-tri/phan-anh`, the items with their senders' names and masked phones — the
 * whole ward for "feedback.read", an officer only their unit's (same address, so the item page's "back" link and
 * the navigation work for both); `GET/POST /quan-tri/phan-anh/moi`, feedback received off the web, entered by staff.
 * Attachments are served by the file store's one route (`/quan-tri/tep/:id`) under `authoriseFeedbackFile`.
 */
import { type Context, Hono } from "hono";
import { can, isUnitScoped, type Role } from "../../core/auth/roles.ts";
import { vnDaysAsInstants } from "../../core/text/vi.ts";
import type { AppEnv } from "../../core/web/context.ts";
import { AppError, forbidden } from "../../core/web/errors.ts";
import { type FormState, pageErrors } from "../../core/web/forms.tsx";
import { requireAction, requireCsrf, requireStaff } from "../../core/web/middleware.ts";
import { formTokenKey, issueFormToken } from "../../core/web/public-forms.ts";
import { sessionOf, todayOf } from "../../core/web/staff.ts";
import { validate } from "../../core/web/validation.ts";
import { consentText } from "../privacy/consent.ts";
import { enterFeedback } from "./feedback.entry.ts";
import { FeedbackEntryPage } from "./feedback.entry.views.tsx";
import { feedbackFigureIds } from "./feedback.figures.ts";
import { feedbackListQuery, staffFeedbackInput } from "./feedback.schemas.ts";
import { listFeedback } from "./feedback.service.ts";
import { readFormWithFiles } from "./feedback.upload-form.ts";
import { FeedbackListPage } from "./feedback.views.tsx";

type C = Context<AppEnv>;

/** At most this many of a figure's items are looked up for its list (the list shows the newest 1,000). */
const MAX_IDS = 5000;

const EXPIRED = "Biểu mẫu đã hết hạn hoặc đã được gửi. Hãy kiểm tra lại nội dung và bấm “Lưu” lần nữa.";

async function renderEntry(c: C, state: FormState, status: 200 | 400 | 413 | 415) {
  const { db, clock, config } = c.get("deps");
  const session = sessionOf(c);
  const token = await issueFormToken(db.kysely, session.user.ward_id, clock());
  // The citizen's name and phone as typed: never stored by a browser or a proxy.
  c.header("Cache-Control", "no-store");
  return c.html(
    <FeedbackEntryPage
      ward={c.get("ward")}
      session={session}
      state={state}
      token={token}
      today={todayOf(c)}
      maxBytes={config.uploadMaxBytes}
      consentText={await consentText(db.kysely, "feedback", session.user.ward_id)}
    />,
    status,
  );
}

export function feedbackStaffRoutes() {
  const app = new Hono<AppEnv>();

  app.get("/phan-anh", requireStaff, requireAction("feedback.open"), async (c) => {
    const session = sessionOf(c);
    const role = session.user.role as Role;
    const parsed = validate(feedbackListQuery, c.req.query());
    if (!parsed.ok) throw new AppError(400, "bad_request", Object.values(parsed.errors)[0] ?? "Bộ lọc không hợp lệ.");
    const f = parsed.value;
    const filtered = f.tu || f.den || f.kenh || f["so-lieu"];
    const db = c.get("deps").db.kysely;
    // A report's figure: exactly the items its rule counts (the ward and its predecessors, as the report does).
    const figure =
      f.tu && f.den
        ? await feedbackFigureIds(
            db,
            c.get("ward").scopeIds,
            { from: f.tu, to: f.den },
            f["so-lieu"] ?? "received",
            f.kenh,
          )
        : null;
    const rows = await listFeedback(
      db,
      session.user,
      filtered ? 1000 : 200,
      figure
        ? { ids: figure.slice(0, MAX_IDS), wardIds: c.get("ward").scopeIds }
        : {
            receivedFrom: f.tu ? vnDaysAsInstants(f.tu, f.tu).start : undefined,
            receivedTo: f.den ? vnDaysAsInstants(f.den, f.den).end : undefined,
            channel: f.kenh,
          },
    );
    // Names: never stored by a browser or a proxy.
    c.header("Cache-Control", "no-store");
    return c.html(
      <FeedbackListPage
        ward={c.get("ward")}
        session={session}
        rows={rows}
        today={todayOf(c)}
        unitOnly={!can(role, "feedback.read") && isUnitScoped(role)}
        canEnter={can(role, "feedback.handle")}
        filter={filtered ? f : null}
      />,
    );
  });

  app.get("/phan-anh/moi", requireStaff, requireCsrf, requireAction("feedback.handle"), (c) =>
    renderEntry(c, { values: {}, errors: {} }, 200),
  );

  app.post("/phan-anh/moi", requireStaff, requireCsrf, requireAction("feedback.handle"), async (c) => {
    const { db, clock, config } = c.get("deps");
    const now = clock();
    const user = sessionOf(c).user;
    const { values, files } = await readFormWithFiles(c);
    const token = await formTokenKey(db.kysely, user.ward_id, values._form, now);
    const parsed = validate(staffFeedbackInput(todayOf(c)), values);
    if (!token || !parsed.ok) {
      const errors = parsed.ok ? {} : pageErrors(parsed.errors, "pn", "pn-form");
      if (!token) errors["pn-form"] = EXPIRED;
      return renderEntry(c, { values, errors }, 400);
    }
    const r = await enterFeedback({ db, config }, user, parsed.value, files, `desk:${token}`, now);
    if (r.ok) return c.redirect(`/quan-tri/phan-anh/${r.id}?da-luu=tiep-nhan`, 303);
    if (r.status === 403) throw forbidden(r.errors._);
    return renderEntry(c, { values, errors: pageErrors(r.errors, "pn", "pn-form") }, r.status);
  });

  return app;
}
