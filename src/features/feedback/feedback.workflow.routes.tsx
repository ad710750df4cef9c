/**
 * Staff side of the feedback workflow: `GET /quan-tri/phan-anh/:id`, the item with its history and the next step's
 * form, and one POST per step. Thin handlers: validate → authorise → one service call → redirect or re-render.
 */
import { type Context, Hono } from "hono";
import type { AppEnv } from "../../core/web/context.ts";
import { forbidden, notFound } from "../../core/web/errors.ts";
import { EMPTY_FORM, type FormState, pageErrors, readFormValues } from "../../core/web/forms.tsx";
import { requireAction, requireCsrf, requireStaff } from "../../core/web/middleware.ts";
import { sessionOf, todayOf } from "../../core/web/staff.ts";
import { validate } from "../../core/web/validation.ts";
import { readPublishInput } from "../answerable/answerable.input.ts";
import {
  assignInput,
  CONTENT_MAX,
  classifyChoice,
  classifyInput,
  draftInput,
  sendBackInput,
} from "./feedback.schemas.ts";
import {
  approve,
  assign,
  classify,
  draftAnswer,
  publish,
  register,
  sendBack,
  type WorkflowResult,
  workflowItem,
} from "./feedback.workflow.service.ts";
import { FeedbackItemPage } from "./feedback.workflow.views.tsx";

type C = Context<AppEnv>;

const itemId = (c: C) => Number(c.req.param("id"));

async function renderItem(c: C, state: FormState, status: 200 | 400 | 403 | 404 | 409 = 200) {
  const session = sessionOf(c);
  const data = await workflowItem(c.get("deps").db.kysely, session.user, itemId(c));
  if (!data) throw notFound("Không tìm thấy phản ánh, kiến nghị này.");
  if (data === "forbidden") throw forbidden("Phản ánh, kiến nghị này không giao cho đơn vị của bạn.");
  const saved = c.req.method === "GET" ? c.req.query("da-luu") : undefined;
  // The sender's name and phone: never stored by a browser or a proxy.
  c.header("Cache-Control", "no-store");
  return c.html(
    <FeedbackItemPage
      ward={c.get("ward")}
      session={session}
      data={data}
      today={todayOf(c)}
      state={state}
      saved={saved}
    />,
    status,
  );
}

/** A step's result: back to the item with a notice, or the page again with the errors (403/404 as error pages). */
function done(c: C, r: WorkflowResult, saved: string, prefix: string, values: Record<string, string> = {}) {
  if (r.ok) return c.redirect(`/quan-tri/phan-anh/${itemId(c)}?da-luu=${saved}`, 303);
  if (r.status === 403) throw forbidden(r.errors._);
  if (r.status === 404) throw notFound(r.errors._);
  return renderItem(c, { values, errors: pageErrors(r.errors, prefix, `${prefix}-form`) }, r.status);
}

export function feedbackWorkflowRoutes() {
  const app = new Hono<AppEnv>();
  const ID = "/phan-anh/:id{[0-9]+}";
  const deps = (c: C) => {
    const { db, clock } = c.get("deps");
    return { db: db.kysely, user: sessionOf(c).user, now: clock() };
  };

  app.get(ID, requireStaff, requireCsrf, requireAction("feedback.open"), (c) => renderItem(c, EMPTY_FORM));

  app.post(`${ID}/vao-so`, requireStaff, requireCsrf, requireAction("feedback.handle"), async (c) => {
    const { db, user, now } = deps(c);
    return done(c, await register(db, user, itemId(c), now), "vao-so", "vs");
  });

  app.post(`${ID}/phan-loai`, requireStaff, requireCsrf, requireAction("feedback.handle"), async (c) => {
    const values = await readFormValues(c);
    const choice = validate(classifyChoice, values);
    const parsed = choice.ok ? validate(classifyInput, values) : choice;
    if (!parsed.ok) return renderItem(c, { values, errors: pageErrors(parsed.errors, "pl", "pl-form") }, 400);
    const { db, user, now } = deps(c);
    return done(c, await classify(db, user, itemId(c), parsed.value, now), "phan-loai", "pl", values);
  });

  app.post(`${ID}/giao`, requireStaff, requireCsrf, requireAction("feedback.handle"), async (c) => {
    const values = await readFormValues(c);
    const parsed = validate(assignInput, values);
    if (!parsed.ok) return renderItem(c, { values, errors: pageErrors(parsed.errors, "gv", "gv-form") }, 400);
    const { db, user, now } = deps(c);
    return done(c, await assign(db, user, itemId(c), parsed.value.unitId, now), "giao", "gv", values);
  });

  app.post(`${ID}/du-thao`, requireStaff, requireCsrf, requireAction("feedback.draft"), async (c) => {
    const { db, user, now } = deps(c);
    const values = await readFormValues(c);
    const parsed = validate(draftInput, values);
    if (!parsed.ok) {
      // An officer of another unit learns nothing about the item, not even through a validation error.
      const data = await workflowItem(db, user, itemId(c));
      if (data === "forbidden") throw forbidden("Phản ánh, kiến nghị này không giao cho đơn vị của bạn.");
      return renderItem(c, { values, errors: pageErrors(parsed.errors, "dt", "dt-form") }, 400);
    }
    return done(c, await draftAnswer(db, user, itemId(c), parsed.value.answer, now), "du-thao", "dt", values);
  });

  app.post(`${ID}/duyet`, requireStaff, requireCsrf, requireAction("feedback.approve"), async (c) => {
    const { db, user, now } = deps(c);
    return done(c, await approve(db, user, itemId(c), now), "duyet", "pd");
  });

  app.post(`${ID}/tra-lai`, requireStaff, requireCsrf, requireAction("feedback.approve"), async (c) => {
    const values = await readFormValues(c);
    const parsed = validate(sendBackInput, values);
    if (!parsed.ok) return renderItem(c, { values, errors: pageErrors(parsed.errors, "tl", "tl-form") }, 400);
    const { db, user, now } = deps(c);
    return done(c, await sendBack(db, user, itemId(c), parsed.value.reason, now), "tra-lai", "tl", values);
  });

  app.post(`${ID}/cong-bo`, requireStaff, requireCsrf, requireAction("feedback.handle"), async (c) => {
    const values = await readFormValues(c);
    // The form sends both reviewed texts (required there: empty is refused); a client that sends neither publishes
    // their automatic redaction, never the texts as typed — and either way the redaction check runs on them.
    const parsed = readPublishInput(values, { field: "publicContent", words: "nội dung công khai", max: CONTENT_MAX });
    if (!parsed.ok) return renderItem(c, { values, errors: pageErrors(parsed.errors, "cb", "cb-form") }, 400);
    const { db, user, now } = deps(c);
    return done(c, await publish(db, user, itemId(c), parsed.value, now), "cong-bo", "cb", values);
  });

  return app;
}
