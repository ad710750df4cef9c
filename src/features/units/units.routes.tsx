/**
 * Staff pages of the ward's own units (administrator and coordinator): the list, a new unit, and one unit's page
 * with its forms (rename, aliases, retire). Thin handlers: read the form, call one service function, then redirect,
 * or re-render with the errors and what was typed. Works without JavaScript; every POST carries the CSRF token.
 */
import { type Context, Hono } from "hono";
import type { AppEnv } from "../../core/web/context.ts";
import { notFound } from "../../core/web/errors.ts";
import { EMPTY_FORM, type FormState, type FormValues, pageErrors, readFormValues } from "../../core/web/forms.tsx";
import { Layout } from "../../core/web/layout.tsx";
import { requireAction, requireCsrf, requireStaff } from "../../core/web/middleware.ts";
import { actorOf, sessionOf, todayOf, wardIdOf } from "../../core/web/staff.ts";
import { addAlias, createUnit, type Failure, removeAlias, renameUnit, retireUnit } from "./org-units.service.ts";
import { listOrgUnits } from "./units.service.ts";
import { BASE, CreateForm, type UnitForm, UnitPage, UnitsListPage } from "./units.views.tsx";

type C = Context<AppEnv>;
const manage = requireAction("units.manage");

async function renderUnit(
  c: C,
  unitId: number,
  state: FormState<UnitForm> = EMPTY_FORM,
  status: 200 | 400 | 409 = 200,
) {
  const all = await listOrgUnits(c.get("deps").db.kysely, wardIdOf(c), todayOf(c));
  const u = all.find((x) => x.id === unitId);
  if (!u) throw notFound("Không tìm thấy đơn vị.");
  c.status(status);
  return c.html(
    <Layout title={u.name} ward={c.get("ward")} session={sessionOf(c)} staff>
      <UnitPage csrf={sessionOf(c).csrfToken} u={u} all={all} state={state} saved={c.req.query("da-luu")} />
    </Layout>,
  );
}

/** A failed use case on a unit's page: a missing unit goes to the error page, the rest re-render the form. */
function onFailure(c: C, unitId: number, r: Failure, form: UnitForm, formId: string, values: FormValues) {
  if (r.status === 404) throw notFound(r.errors._);
  return renderUnit(c, unitId, { form, values, errors: pageErrors(r.errors, form, formId) }, r.status);
}

/** Routes under /quan-tri: `app.route("/quan-tri", orgUnitsStaffRoutes())`. Each route checks login, CSRF and role. */
export function orgUnitsStaffRoutes(): Hono<AppEnv> {
  const app = new Hono<AppEnv>();

  app.get("/don-vi", requireStaff, requireCsrf, manage, async (c) => {
    const all = await listOrgUnits(c.get("deps").db.kysely, wardIdOf(c), todayOf(c));
    return c.html(
      <Layout title="Đơn vị" ward={c.get("ward")} session={sessionOf(c)} staff>
        <UnitsListPage units={all} />
      </Layout>,
    );
  });

  app.get("/don-vi/moi", requireStaff, requireCsrf, manage, (c) =>
    c.html(
      <Layout title="Thêm đơn vị" ward={c.get("ward")} session={sessionOf(c)} staff>
        <CreateForm csrf={sessionOf(c).csrfToken} state={EMPTY_FORM} />
      </Layout>,
    ),
  );

  app.post("/don-vi/moi", requireStaff, requireCsrf, manage, async (c) => {
    const values = await readFormValues(c);
    const r = await createUnit(
      c.get("deps").db.kysely,
      actorOf(c),
      {
        wardId: wardIdOf(c),
        name: values.name ?? "",
        code: values.code ?? null,
        aliases: values.aliases ?? "",
        validFrom: values.validFrom ?? null,
      },
      c.get("deps").clock(),
    );
    if (r.ok) return c.redirect(`${BASE}/${r.value.id}?da-luu=tao`, 303);
    c.status(r.status === 404 ? 400 : r.status);
    return c.html(
      <Layout title="Thêm đơn vị" ward={c.get("ward")} session={sessionOf(c)} staff>
        <CreateForm csrf={sessionOf(c).csrfToken} state={{ values, errors: pageErrors(r.errors, "", "tao") }} />
      </Layout>,
    );
  });

  app.get("/don-vi/:id{[0-9]+}", requireStaff, requireCsrf, manage, (c) => renderUnit(c, Number(c.req.param("id"))));

  app.post("/don-vi/:id{[0-9]+}/doi-ten", requireStaff, requireCsrf, manage, async (c) => {
    const unitId = Number(c.req.param("id"));
    const values = await readFormValues(c);
    const { db, clock } = c.get("deps");
    const r = await renameUnit(
      db.kysely,
      actorOf(c),
      { wardId: wardIdOf(c), unitId, name: values.name ?? "" },
      clock(),
    );
    if (!r.ok) return onFailure(c, unitId, r, "r", "doi-ten", values);
    return c.redirect(`${BASE}/${unitId}?da-luu=doi-ten`, 303);
  });

  app.post("/don-vi/:id{[0-9]+}/ten-goi", requireStaff, requireCsrf, manage, async (c) => {
    const unitId = Number(c.req.param("id"));
    const values = await readFormValues(c);
    const { db, clock } = c.get("deps");
    const r = await addAlias(
      db.kysely,
      actorOf(c),
      { wardId: wardIdOf(c), unitId, alias: values.alias ?? "" },
      clock(),
    );
    if (!r.ok) return onFailure(c, unitId, r, "a", "them-ten-goi", values);
    return c.redirect(`${BASE}/${unitId}?da-luu=ten-goi`, 303);
  });

  app.post("/don-vi/:id{[0-9]+}/ten-goi/:aliasId{[0-9]+}/xoa", requireStaff, requireCsrf, manage, async (c) => {
    const unitId = Number(c.req.param("id"));
    const { db, clock } = c.get("deps");
    const r = await removeAlias(
      db.kysely,
      actorOf(c),
      { wardId: wardIdOf(c), unitId, aliasId: c.req.param("aliasId") },
      clock(),
    );
    if (!r.ok) return onFailure(c, unitId, r, "a", "ten-goi", {});
    return c.redirect(`${BASE}/${unitId}?da-luu=xoa-ten-goi`, 303);
  });

  app.post("/don-vi/:id{[0-9]+}/thoi-hoat-dong", requireStaff, requireCsrf, manage, async (c) => {
    const unitId = Number(c.req.param("id"));
    const values = await readFormValues(c);
    const { db, clock } = c.get("deps");
    const r = await retireUnit(
      db.kysely,
      actorOf(c),
      {
        wardId: wardIdOf(c),
        unitId,
        validTo: values.validTo ?? "",
        successorId: values.successorId ?? null,
        moveAliases: values.moveAliases === "1",
      },
      clock(),
    );
    if (!r.ok) return onFailure(c, unitId, r, "x", "thoi-hoat-dong", values);
    return c.redirect(`${BASE}/${unitId}?da-luu=thoi-hoat-dong`, 303);
  });

  return app;
}
