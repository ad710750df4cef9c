/**
 * A province's accounts on the staff pages (issue 9 §5), for the deployment operator only: the province's roles
 * (leader, coordinator, viewer) have no administrator, so nobody at a province manages accounts and every other
 * account — a ward's administrator, a province's own accounts — is refused (403). Under `/quan-tri/tinh/{code}/tai-khoan`:
 * the list, a new account (its department found or made, its first password shown once), one account's page (new
 * password; disable or enable). Creating goes through `createProvinceAccount`, as the command line does; the password
 * and status changes are the ward pages' own use cases, on the province's unit. Every POST carries the CSRF token and
 * is audited by those use cases.
 */
import { type Context, Hono, type MiddlewareHandler } from "hono";
import type { Child } from "hono/jsx";
import { isOperator } from "../../core/auth/owners.ts";
import type { AdminUnit } from "../../core/db/schema.ts";
import type { AppEnv } from "../../core/web/context.ts";
import { forbidden, notFound } from "../../core/web/errors.ts";
import { EMPTY_FORM, type FormState, pageErrors, readFormValues } from "../../core/web/forms.tsx";
import { Layout } from "../../core/web/layout.tsx";
import { requireCsrf, requireStaff } from "../../core/web/middleware.ts";
import { actorOf, sessionOf, todayOf } from "../../core/web/staff.ts";
import { orgUnitsWithAliases } from "../units/units.service.ts";
import { ssoIdentitiesOf } from "./accounts.sql.ts";
import {
  createProvinceAccount,
  provinceAccountOf,
  provinceAccounts,
  provinceByCode,
} from "./province-accounts.service.ts";
import {
  ProvinceAccountPage,
  ProvinceAccountsPage,
  ProvinceCreatePage,
  provinceAccountsBase,
} from "./province-accounts.views.tsx";
import { type Failure, resetPassword, setAccountActive, setAccountSso } from "./users.service.ts";
import { GeneratedPassword } from "./users.views.tsx";

type C = Context<AppEnv>;

/** What anyone but a deployment operator is told. */
export const OPERATOR_ONLY = "Chỉ người vận hành hệ thống (quản trị cấp triển khai) quản lý tài khoản cấp tỉnh.";

/** Only deployment operators pass. */
const operatorOnly: MiddlewareHandler<AppEnv> = async (c, next) => {
  const user = sessionOf(c).user;
  if (!isOperator(user)) {
    c.get("deps").log.warn({ event: "forbidden", user: user.id, path: c.req.path }, "forbidden");
    throw forbidden(OPERATOR_ONLY);
  }
  await next();
};

/** The province of the path, in force today; 404 with a Vietnamese message otherwise. */
async function provinceOfPath(c: C): Promise<AdminUnit> {
  const found = await provinceByCode(c.get("deps").db.kysely, c.req.param("p") ?? "", c.get("deps").clock());
  if (!found.ok) throw notFound(found.error);
  return found.province;
}

const page = (c: C, title: string, body: Child) =>
  c.html(
    <Layout title={title} ward={c.get("ward")} session={sessionOf(c)} staff>
      {body}
    </Layout>,
  );

async function renderCreate(c: C, province: AdminUnit, state: FormState = EMPTY_FORM) {
  const departments = await orgUnitsWithAliases(c.get("deps").db.kysely, province.id, todayOf(c));
  return page(
    c,
    "Tạo tài khoản cấp tỉnh",
    <ProvinceCreatePage csrf={sessionOf(c).csrfToken} province={province} departments={departments} state={state} />,
  );
}

async function accountOrNotFound(c: C, province: AdminUnit, userId: number) {
  const a = await provinceAccountOf(c.get("deps").db.kysely, province.id, userId, todayOf(c));
  if (!a) throw notFound(`Không tìm thấy tài khoản này của ${province.name}.`);
  return a;
}

async function renderAccount(
  c: C,
  province: AdminUnit,
  userId: number,
  state: FormState<"p" | "s" | "o"> = EMPTY_FORM,
) {
  const a = await accountOrNotFound(c, province, userId);
  const sso = c.get("deps").config.sso ? await ssoIdentitiesOf(c.get("deps").db.kysely, a.id) : null;
  return page(
    c,
    a.displayName,
    <ProvinceAccountPage
      csrf={sessionOf(c).csrfToken}
      province={province}
      a={a}
      state={state}
      saved={c.req.query("da-luu")}
      sso={sso}
    />,
  );
}

async function renderGenerated(c: C, province: AdminUnit, userId: number, password: string, created: boolean) {
  const a = await accountOrNotFound(c, province, userId);
  return page(
    c,
    created ? "Đã tạo tài khoản" : "Đã đặt mật khẩu mới",
    <GeneratedPassword account={a} password={password} created={created} base={provinceAccountsBase(province)} />,
  );
}

function onFailure(
  c: C,
  province: AdminUnit,
  userId: number,
  r: Failure,
  form: "p" | "s" | "o",
  formId: string,
  values: Record<string, string> = {},
) {
  if (r.status === 404) throw notFound(r.errors._);
  c.status(r.status);
  return renderAccount(c, province, userId, {
    form,
    values,
    errors: pageErrors(r.errors, form, formId, ["userId"]),
  });
}

/** Routes under /quan-tri: `app.route("/quan-tri", provinceAccountsRoutes())`. */
export function provinceAccountsRoutes(): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  const P = "/tinh/:p{[0-9]{2}}/tai-khoan";
  app.use(P, requireStaff, requireCsrf, operatorOnly);
  app.use(`${P}/*`, requireStaff, requireCsrf, operatorOnly);

  app.get(P, async (c) => {
    const province = await provinceOfPath(c);
    const accounts = await provinceAccounts(c.get("deps").db.kysely, province.id, todayOf(c));
    return page(
      c,
      `Tài khoản cấp tỉnh: ${province.name}`,
      <ProvinceAccountsPage province={province} accounts={accounts} />,
    );
  });

  app.get(`${P}/moi`, async (c) => renderCreate(c, await provinceOfPath(c)));

  app.post(`${P}/moi`, async (c) => {
    const province = await provinceOfPath(c);
    const values = await readFormValues(c);
    const { db, clock } = c.get("deps");
    const r = await createProvinceAccount(
      db.kysely,
      actorOf(c),
      {
        province: province.code,
        department: values.department ?? "",
        username: values.username ?? "",
        displayName: values.displayName ?? "",
        role: values.role ?? "",
        password: values.password ?? "",
      },
      clock(),
    );
    if (r.ok) {
      if (r.value.generatedPassword) return renderGenerated(c, province, r.value.id, r.value.generatedPassword, true);
      return c.redirect(`${provinceAccountsBase(province)}/${r.value.id}?da-luu=tao`, 303);
    }
    c.status(r.status === 404 ? 400 : r.status);
    return renderCreate(c, province, { values, errors: pageErrors(r.errors, "", "tao", ["province"]) });
  });

  app.get(`${P}/:id{[0-9]+}`, async (c) => renderAccount(c, await provinceOfPath(c), Number(c.req.param("id"))));

  app.post(`${P}/:id{[0-9]+}/mat-khau`, async (c) => {
    const province = await provinceOfPath(c);
    const userId = Number(c.req.param("id"));
    const values = await readFormValues(c);
    const { db, clock } = c.get("deps");
    const r = await resetPassword(
      db.kysely,
      actorOf(c),
      { wardId: province.id, userId, password: values.password ?? "", currentSessionId: sessionOf(c).id },
      clock(),
    );
    if (!r.ok) return onFailure(c, province, userId, r, "p", "mat-khau");
    if (r.value.generatedPassword) return renderGenerated(c, province, userId, r.value.generatedPassword, false);
    return c.redirect(`${provinceAccountsBase(province)}/${userId}?da-luu=mat-khau`, 303);
  });

  app.post(`${P}/:id{[0-9]+}/trang-thai`, async (c) => {
    const province = await provinceOfPath(c);
    const userId = Number(c.req.param("id"));
    const active = (await readFormValues(c)).active === "1";
    const { db, clock } = c.get("deps");
    const r = await setAccountActive(db.kysely, actorOf(c), { wardId: province.id, userId, active }, clock());
    if (!r.ok) return onFailure(c, province, userId, r, "s", "trang-thai");
    return c.redirect(`${provinceAccountsBase(province)}/${userId}?da-luu=${active ? "mo-khoa" : "khoa"}`, 303);
  });

  app.post(`${P}/:id{[0-9]+}/sso`, async (c) => {
    if (!c.get("deps").config.sso) throw notFound();
    const province = await provinceOfPath(c);
    const userId = Number(c.req.param("id"));
    const values = await readFormValues(c);
    const { db, clock } = c.get("deps");
    const r = await setAccountSso(
      db.kysely,
      actorOf(c),
      { wardId: province.id, userId, email: values.ssoEmail ?? "" },
      clock(),
    );
    if (!r.ok) return onFailure(c, province, userId, r, "o", "sso", values);
    return c.redirect(`${provinceAccountsBase(province)}/${userId}?da-luu=sso`, 303);
  });

  return app;
}
