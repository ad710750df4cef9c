/**
 * Staff routes of a plan as a document and of next year's plan: any stored plan downloads as the Decree 30
 * "KẾ HOẠCH" (DOCX, PDF); "Lập kế hoạch năm sau" copies it into a draft, which is edited, submitted, approved by a
 * leader and issued with the register's number, then becomes a plan like an imported one.
 */
import { type Context, Hono } from "hono";
import { registerIssueForm } from "../../core/documents/register.ts";
import type { AppEnv } from "../../core/web/context.ts";
import { sendDocument } from "../../core/web/document-response.ts";
import { AppError, notFound } from "../../core/web/errors.ts";
import { readFormValues } from "../../core/web/forms.tsx";
import { requireAction, requireCsrf, requireStaff } from "../../core/web/middleware.ts";
import { actorOf, sessionOf, todayOf } from "../../core/web/staff.ts";
import { validate } from "../../core/web/validation.ts";
import { unitChoices } from "../units/units.service.ts";
import { readNextPlanForm } from "./next-plan.form.ts";
import {
  contentOf,
  createNextPlan,
  draftDocument,
  issueNextPlan,
  moveNextPlan,
  nextPlanOf,
  nextPlansOf,
  notReady,
  type Result,
  saveNextPlan,
} from "./next-plan.service.ts";
import { NextPlanPage, NextPlansPage } from "./next-plan.views.tsx";
import { contentOfStoredPlan, taskCount } from "./plan-content.ts";
import { planDocument } from "./plan-export.ts";
import { loadPlan, planVisibleIn } from "./plans.service.ts";

type C = Context<AppEnv>;

const NO_TASKS =
  "Kế hoạch chưa có nhiệm vụ nào được giao cho các đơn vị, nên chưa xuất được văn bản kế hoạch. Hãy bổ sung phần tổ chức thực hiện (nhiệm vụ của từng đơn vị) rồi tải lại.";

const idOf = (c: C) => Number(c.req.param("id"));
const staffActor = (c: C) => {
  const a = actorOf(c);
  return { ...a, userId: a.userId as number };
};
const fileName = (kind: string, year: string | number, id: number) => `ke-hoach-cchc-${year}-${kind}${id}`;

async function exportPlan(c: C, format: "docx" | "pdf") {
  const p = await loadPlan(c.get("deps").db.kysely, idOf(c));
  if (!p || !planVisibleIn(p.plan, c.get("ward"))) throw notFound("Không tìm thấy kế hoạch.");
  const content = contentOfStoredPlan(p);
  if (taskCount(content) === 0) throw new AppError(409, "plan_without_tasks", NO_TASKS);
  const doc = planDocument(content, { number: p.plan.number, issuedOn: p.plan.issued_on });
  return sendDocument(c, doc, format, fileName("", (p.plan.period_from ?? p.plan.issued_on).slice(0, 4), p.plan.id));
}

async function loadDraft(c: C) {
  const d = await nextPlanOf(c.get("deps").db.kysely, c.get("ward"), idOf(c));
  if (!d) throw notFound("Không tìm thấy dự thảo kế hoạch.");
  return d;
}

async function exportDraft(c: C, format: "docx" | "pdf") {
  const d = await loadDraft(c);
  if (notReady(contentOf(d))?.field === "_") throw new AppError(409, "plan_without_tasks", NO_TASKS);
  return sendDocument(c, draftDocument(d), format, fileName("du-thao-", d.year, d.id));
}

async function renderDraft(
  c: C,
  opts: { values?: Record<string, string> | null; errors?: Record<string, string> },
  status: 200 | 400 | 404 | 409,
) {
  const d = await loadDraft(c);
  const units = await unitChoices(c.get("deps").db.kysely, c.get("ward").unit.id, todayOf(c));
  c.status(status);
  return c.html(
    <NextPlanPage
      ward={c.get("ward")}
      session={sessionOf(c)}
      draft={d}
      units={units}
      values={opts.values ?? null}
      errors={opts.errors ?? {}}
      saved={c.req.method === "GET" ? c.req.query("da-luu") : undefined}
      today={todayOf(c)}
    />,
  );
}

async function afterStep(c: C, r: Result, saved: string) {
  if (r.ok) return c.redirect(`/quan-tri/ke-hoach/du-thao/${r.id}?da-luu=${saved}`, 303);
  if (r.status === 404) throw notFound(Object.values(r.errors)[0]);
  return renderDraft(c, { errors: r.errors }, r.status);
}

const ID = "/ke-hoach/du-thao/:id{[0-9]+}";

export function nextPlanRoutes() {
  const app = new Hono<AppEnv>();
  app.use("/ke-hoach/*", requireStaff, requireCsrf);

  app.get("/ke-hoach/:id{[0-9]+}/tai.docx", requireAction("plan.read"), (c) => exportPlan(c, "docx"));
  app.get("/ke-hoach/:id{[0-9]+}/tai.pdf", requireAction("plan.read"), (c) => exportPlan(c, "pdf"));

  app.post("/ke-hoach/:id{[0-9]+}/nam-sau", requireAction("plan.import"), async (c) => {
    const { db, clock } = c.get("deps");
    const r = await createNextPlan(db.kysely, staffActor(c), c.get("ward"), idOf(c), clock(), todayOf(c));
    if (!r.ok) throw notFound(Object.values(r.errors)[0]);
    return c.redirect(`/quan-tri/ke-hoach/du-thao/${r.id}?da-luu=tao`, 303);
  });

  app.get("/ke-hoach/du-thao", requireAction("plan.read"), async (c) =>
    c.html(
      <NextPlansPage
        ward={c.get("ward")}
        session={sessionOf(c)}
        drafts={await nextPlansOf(c.get("deps").db.kysely, c.get("ward"))}
      />,
    ),
  );
  app.get(ID, requireAction("plan.read"), (c) => renderDraft(c, {}, 200));
  app.get(`${ID}/tai.docx`, requireAction("plan.read"), (c) => exportDraft(c, "docx"));
  app.get(`${ID}/tai.pdf`, requireAction("plan.read"), (c) => exportDraft(c, "pdf"));

  app.post(ID, requireAction("plan.import"), async (c) => {
    const values = await readFormValues(c);
    const d = await loadDraft(c);
    const { db, clock } = c.get("deps");
    const units = await unitChoices(db.kysely, c.get("ward").unit.id, todayOf(c));
    const parsed = readNextPlanForm(values, contentOf(d), units);
    if (!parsed.ok) return renderDraft(c, { values, errors: parsed.errors }, 400);
    const r = await saveNextPlan(db.kysely, actorOf(c), c.get("ward"), d.id, parsed.value, clock(), todayOf(c));
    if (!r.ok && r.status === 400) return renderDraft(c, { values, errors: r.errors }, 400);
    return afterStep(c, r, "sua");
  });
  app.post(`${ID}/trinh`, requireAction("plan.import"), async (c) => {
    const { db, clock } = c.get("deps");
    return afterStep(
      c,
      await moveNextPlan(db.kysely, staffActor(c), c.get("ward"), idOf(c), "submit", clock()),
      "trinh",
    );
  });
  app.post(`${ID}/duyet`, requireAction("plan.approve"), async (c) => {
    const { db, clock } = c.get("deps");
    return afterStep(
      c,
      await moveNextPlan(db.kysely, staffActor(c), c.get("ward"), idOf(c), "approve", clock()),
      "duyet",
    );
  });
  app.post(`${ID}/ban-hanh`, requireAction("plan.import"), async (c) => {
    const values = await readFormValues(c);
    const parsed = validate(registerIssueForm(todayOf(c)), values);
    if (!parsed.ok) return renderDraft(c, { values, errors: parsed.errors }, 400);
    const { db, clock } = c.get("deps");
    const r = await issueNextPlan(db.kysely, actorOf(c), c.get("ward"), idOf(c), parsed.value, clock());
    if (!r.ok) return r.status === 404 ? afterStep(c, r, "") : renderDraft(c, { values, errors: r.errors }, r.status);
    return afterStep(c, r, "ban-hanh");
  });
  return app;
}
