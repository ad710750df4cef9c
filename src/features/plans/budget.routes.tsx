/**
 * Staff pages that edit a plan's budget (`/quan-tri/ke-hoach/{id}/kinh-phi`): correct, add and remove lines, set the
 * stated total. Thin handlers: read the form, call one use case of budget.service.ts, redirect or show what is wrong.
 */
import { type Context, Hono } from "hono";
import type { AppEnv } from "../../core/web/context.ts";
import { AppError, notFound } from "../../core/web/errors.ts";
import { readFormValues } from "../../core/web/forms.tsx";
import { requireAction, requireCsrf, requireStaff } from "../../core/web/middleware.ts";
import { actorOf, sessionOf, todayOf } from "../../core/web/staff.ts";
import type { FieldErrors } from "../../core/web/validation.ts";
import { orgUnitsWithAliases } from "../units/units.service.ts";
import {
  type BudgetFailure,
  budgetKeepers,
  mayEditBudget,
  planBudget,
  removeBudgetLine,
  saveBudgetLine,
  saveStatedTotal,
} from "./budget.service.ts";
import { BudgetEditPage, type LineFormState } from "./budget.views.tsx";
import { loadPlan, planVisibleIn } from "./plans.service.ts";

type C = Context<AppEnv>;

const SAVED: Record<string, string> = {
  them: "Đã thêm dòng kinh phí.",
  sua: "Đã lưu dòng kinh phí.",
  xoa: "Đã xóa dòng kinh phí.",
  tong: "Đã lưu tổng kinh phí.",
};

const who = (c: C) => ({ actor: actorOf(c), user: sessionOf(c).user, ward: c.get("ward") });

/** The edit page, with the failed form's values and messages when there are some. */
async function renderPage(
  c: C,
  planId: number,
  opts: { state?: LineFormState; totalState?: { values: Record<string, string>; errors: FieldErrors } } = {},
) {
  const db = c.get("deps").db.kysely;
  const p = await loadPlan(db, planId);
  if (!p || !planVisibleIn(p.plan, c.get("ward"))) throw notFound("Không tìm thấy kế hoạch.");
  const keepers = await budgetKeepers(db, planId);
  if (
    !mayEditBudget(
      sessionOf(c).user,
      keepers.map((k) => k.id),
    )
  )
    throw new AppError(
      403,
      "forbidden",
      "Chỉ Văn phòng (điều phối) và cán bộ của đơn vị được kế hoạch giao nhiệm vụ bố trí kinh phí mới được sửa kinh phí của kế hoạch.",
    );
  const units = await orgUnitsWithAliases(db, c.get("ward").unit.id, todayOf(c));
  const editing = Number(opts.state?.form ?? c.req.query("sua") ?? "") || null;
  return c.html(
    <BudgetEditPage
      ward={c.get("ward")}
      session={c.get("session")}
      plan={{ id: p.plan.id, number: p.plan.number, title: p.plan.title }}
      budget={await planBudget(db, planId)}
      units={units.map((u) => ({ id: u.id, name: u.name }))}
      editing={editing}
      state={opts.state ?? null}
      totalState={opts.totalState ?? null}
      saved={SAVED[c.req.query("da-luu") ?? ""]}
    />,
  );
}

/** A failed use case: 403/404 as the error page, 400 as the form again with its messages beside the fields. */
function failed(c: C, planId: number, r: BudgetFailure, form: string, values: Record<string, string>) {
  if (r.status !== 400) throw new AppError(r.status, r.status === 403 ? "forbidden" : "not_found", r.errors._ ?? "");
  c.status(400);
  if (form === "tong")
    return renderPage(c, planId, { totalState: { values, errors: prefixed(r.errors, "tong", "tong") } });
  return renderPage(c, planId, {
    state: {
      form,
      values,
      errors: prefixed(r.errors, form === "moi" ? "moi" : "sua", form === "moi" ? "moi" : `sua-${form}`),
    },
  });
}

const prefixed = (errors: FieldErrors, prefix: string, formId: string): FieldErrors =>
  Object.fromEntries(Object.entries(errors).map(([k, v]) => [k === "_" ? formId : `${prefix}-${k}`, v]));

export function budgetStaffRoutes() {
  const app = new Hono<AppEnv>();
  const guard = [requireStaff, requireCsrf, requireAction("budget.edit")] as const;
  app.use("/ke-hoach/:id{[0-9]+}/kinh-phi", ...guard);
  app.use("/ke-hoach/:id{[0-9]+}/kinh-phi/*", ...guard);

  app.get("/ke-hoach/:id{[0-9]+}/kinh-phi", (c) => renderPage(c, Number(c.req.param("id"))));

  app.post("/ke-hoach/:id{[0-9]+}/kinh-phi", async (c) => {
    const planId = Number(c.req.param("id"));
    const values = await readFormValues(c);
    const r = await saveBudgetLine(c.get("deps").db.kysely, who(c), planId, null, values, c.get("deps").clock());
    if (!r.ok) return failed(c, planId, r, "moi", values);
    return c.redirect(`/quan-tri/ke-hoach/${planId}/kinh-phi?da-luu=them`, 303);
  });

  app.post("/ke-hoach/:id{[0-9]+}/kinh-phi/tong", async (c) => {
    const planId = Number(c.req.param("id"));
    const values = await readFormValues(c);
    const r = await saveStatedTotal(c.get("deps").db.kysely, who(c), planId, values, c.get("deps").clock());
    if (!r.ok) return failed(c, planId, r, "tong", values);
    return c.redirect(`/quan-tri/ke-hoach/${planId}/kinh-phi?da-luu=tong`, 303);
  });

  app.post("/ke-hoach/:id{[0-9]+}/kinh-phi/:line{[0-9]+}", async (c) => {
    const planId = Number(c.req.param("id"));
    const lineId = Number(c.req.param("line"));
    const values = await readFormValues(c);
    const r = await saveBudgetLine(c.get("deps").db.kysely, who(c), planId, lineId, values, c.get("deps").clock());
    if (!r.ok) return failed(c, planId, r, String(lineId), values);
    return c.redirect(`/quan-tri/ke-hoach/${planId}/kinh-phi?da-luu=sua`, 303);
  });

  app.post("/ke-hoach/:id{[0-9]+}/kinh-phi/:line{[0-9]+}/xoa", async (c) => {
    const planId = Number(c.req.param("id"));
    const r = await removeBudgetLine(
      c.get("deps").db.kysely,
      who(c),
      planId,
      Number(c.req.param("line")),
      c.get("deps").clock(),
    );
    if (!r.ok) throw new AppError(r.status, r.status === 403 ? "forbidden" : "not_found", r.errors._ ?? "");
    return c.redirect(`/quan-tri/ke-hoach/${planId}/kinh-phi?da-luu=xoa`, 303);
  });
  return app;
}
