/**
 * Staff pages of task tracking: the unit's task list, the task page with its history and ledger, the two forms
 * (progress update, activity). Evidence is served by the file store's one route, under evidence-files.ts's rules.
 * Thin handlers: read the form, call one service function, render or redirect. Works without JavaScript; every POST
 * carries the CSRF token.
 */
import { type Context, Hono } from "hono";
import { vnToday } from "../../core/text/vi.ts";
import type { AppEnv } from "../../core/web/context.ts";
import { forbidden, notFound } from "../../core/web/errors.ts";
import { EMPTY_FORM, type FormState, type FormValues, pageErrors } from "../../core/web/forms.tsx";
import { Layout } from "../../core/web/layout.tsx";
import { requireCsrf, requireStaff } from "../../core/web/middleware.ts";
import { actorOf, sessionOf } from "../../core/web/staff.ts";
import type { UploadInput } from "./tracking.schemas.ts";
import { type Failure, listMyTasks, recordActivity, taskDetail, updateTask } from "./tracking.service.ts";
import { MyTasksPage, TaskPage } from "./tracking.views.tsx";

type C = Context<AppEnv>;

/** Service error keys that name no field of the forms: they point at the form itself. */
const FORM_KEYS = ["taskId", "planId", "source", "sourceRef"];
const FORM_IDS = { u: "cap-nhat", a: "hoat-dong" } as const;

async function readForm(c: C): Promise<{ values: FormValues; files: UploadInput[] }> {
  const body = await c.req.parseBody({ all: true });
  const values: FormValues = Object.create(null);
  const files: UploadInput[] = [];
  for (const [k, raw] of Object.entries(body)) {
    if (k === "__proto__" || k === "constructor" || k === "prototype" || k === "_csrf") continue;
    for (const v of Array.isArray(raw) ? raw : [raw]) {
      if (typeof v === "string") values[k] ??= v;
      else if (k === "files" && v instanceof File && !(v.size === 0 && v.name === "")) {
        files.push({ name: v.name, bytes: new Uint8Array(await v.arrayBuffer()) });
      }
    }
  }
  return { values, files };
}

async function renderTaskPage(
  c: C,
  taskId: number,
  forms: { update?: FormState; activity?: FormState; status?: 200 | 400 | 409 | 413 | 415 } = {},
) {
  const session = sessionOf(c);
  const { db, clock } = c.get("deps");
  const today = vnToday(clock());
  const d = await taskDetail({ db }, session.user, taskId, today);
  if (!d) throw notFound("Không tìm thấy nhiệm vụ.");
  c.status(forms.status ?? 200);
  const saved = c.req.query("da-luu");
  return c.html(
    <Layout title="Nhiệm vụ" ward={c.get("ward")} session={session} staff>
      <TaskPage
        d={d}
        csrf={session.csrfToken}
        today={today}
        update={forms.update ?? EMPTY_FORM}
        activity={forms.activity ?? EMPTY_FORM}
        saved={forms.status ? undefined : saved}
      />
    </Layout>,
  );
}

/** A failed use case: forbidden and missing go to the error page, the rest re-render the form with the input kept. */
function onFailure(c: C, taskId: number, r: Failure, form: "u" | "a", values: FormValues) {
  if (r.status === 403) {
    c.get("deps").log.warn({ event: "forbidden", user: sessionOf(c).user.id, path: c.req.path }, "forbidden");
    throw forbidden(r.errors._);
  }
  if (r.status === 404) throw notFound(r.errors._);
  const state = { values, errors: pageErrors(r.errors, form, FORM_IDS[form], FORM_KEYS) };
  return renderTaskPage(
    c,
    taskId,
    form === "u" ? { update: state, status: r.status } : { activity: state, status: r.status },
  );
}

/** Routes under /quan-tri: `app.route("/quan-tri", trackingStaffRoutes())`. Each applies its own staff and CSRF checks. */
export function trackingStaffRoutes(): Hono<AppEnv> {
  const app = new Hono<AppEnv>();

  app.get("/viec-cua-toi", requireStaff, async (c) => {
    const session = sessionOf(c);
    const { db, clock } = c.get("deps");
    // The request's ward is the user's own (staffWard), remembered with its predecessors: no need to read them again.
    const ward = c.get("ward");
    const scope = ward?.unit.id === session.user.ward_id ? ward.scopeIds : undefined;
    const my = await listMyTasks({ db }, session.user, vnToday(clock()), scope);
    return c.html(
      <Layout title="Việc của đơn vị tôi" ward={c.get("ward")} session={session} staff>
        <MyTasksPage my={my} />
      </Layout>,
    );
  });

  app.get("/nhiem-vu/:id{[0-9]+}", requireStaff, (c) => renderTaskPage(c, Number(c.req.param("id"))));

  app.post("/nhiem-vu/:id{[0-9]+}/cap-nhat", requireStaff, requireCsrf, async (c) => {
    const taskId = Number(c.req.param("id"));
    const { values, files } = await readForm(c);
    const session = sessionOf(c);
    const r = await updateTask(c.get("deps"), actorOf(c), session.user, taskId, {
      status: values.status ?? "",
      note: values.note ?? "",
      files,
    });
    if (!r.ok) return onFailure(c, taskId, r, "u", values);
    return c.redirect(`/quan-tri/nhiem-vu/${taskId}?da-luu=cap-nhat`, 303);
  });

  app.post("/nhiem-vu/:id{[0-9]+}/hoat-dong", requireStaff, requireCsrf, async (c) => {
    const taskId = Number(c.req.param("id"));
    const { values, files } = await readForm(c);
    const session = sessionOf(c);
    const user = session.user;
    const r = await recordActivity(c.get("deps"), actorOf(c), user, {
      taskId,
      // An officer records for their own unit only, whatever the form says.
      orgUnitId: user.role === "officer" ? (user.org_unit_id ?? "") : (values.orgUnitId ?? ""),
      channelKind: values.channelKind ?? "",
      pillar: values.pillar ?? null,
      title: values.title ?? "",
      occurredOn: values.occurredOn ?? "",
      place: values.place ?? null,
      audience: values.audience ?? null,
      participants: values.participants ?? null,
      cost: values.cost ?? null,
      files,
    });
    if (!r.ok) return onFailure(c, taskId, r, "a", values);
    return c.redirect(`/quan-tri/nhiem-vu/${taskId}?da-luu=hoat-dong`, 303);
  });

  return app;
}
