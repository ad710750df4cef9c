/**
 * Staff pages of account administration (administrator only): the ward's accounts, a new account, and one
 * account's page (name, role and unit; new password; disable or enable). A generated password is shown once, on
 * the page answering the POST, and never stored anywhere readable. Works without JavaScript; every POST carries
 * the CSRF token.
 */
import { type Context, Hono } from "hono";
import type { AppEnv } from "../../core/web/context.ts";
import { notFound } from "../../core/web/errors.ts";
import { EMPTY_FORM, type FormState, type FormValues, pageErrors, readFormValues } from "../../core/web/forms.tsx";
import { Layout } from "../../core/web/layout.tsx";
import { requireAction, requireCsrf, requireStaff } from "../../core/web/middleware.ts";
import { actorOf, sessionOf, todayOf, wardIdOf } from "../../core/web/staff.ts";
import { unitChoices } from "../units/units.service.ts";
import { ssoIdentitiesOf } from "./accounts.sql.ts";
import {
  accountOf,
  changeAccount,
  createAccount,
  type Failure,
  listAccounts,
  resetPassword,
  setAccountActive,
  setAccountSso,
} from "./users.service.ts";
import {
  type AccountForm,
  AccountPage,
  AccountsListPage,
  BASE,
  CreatePage,
  GeneratedPassword,
} from "./users.views.tsx";

type C = Context<AppEnv>;
const manage = requireAction("users.manage");
/** Service error keys that name no field of the forms: they point at the form itself. */
const FORM_KEYS = ["wardId", "userId"];

async function renderAccount(
  c: C,
  userId: number,
  state: FormState<AccountForm> = EMPTY_FORM,
  status: 200 | 400 | 409 = 200,
) {
  const { db } = c.get("deps");
  const [a, units] = await Promise.all([
    accountOf(db.kysely, wardIdOf(c), userId, todayOf(c)),
    unitChoices(db.kysely, wardIdOf(c), todayOf(c)),
  ]);
  if (!a) throw notFound("Không tìm thấy tài khoản.");
  const sso = c.get("deps").config.sso ? await ssoIdentitiesOf(db.kysely, a.id) : null;
  const session = sessionOf(c);
  c.status(status);
  return c.html(
    <Layout title={a.displayName} ward={c.get("ward")} session={session} staff>
      <AccountPage
        csrf={session.csrfToken}
        a={a}
        self={a.id === session.user.id}
        state={state}
        units={units}
        saved={c.req.query("da-luu")}
        sso={sso}
      />
    </Layout>,
  );
}

function onFailure(c: C, userId: number, r: Failure, form: AccountForm, formId: string, values: FormValues) {
  if (r.status === 404) throw notFound(r.errors._);
  return renderAccount(c, userId, { form, values, errors: pageErrors(r.errors, form, formId, FORM_KEYS) }, r.status);
}

async function renderGenerated(c: C, userId: number, password: string, created: boolean) {
  const a = await accountOf(c.get("deps").db.kysely, wardIdOf(c), userId, todayOf(c));
  if (!a) throw notFound("Không tìm thấy tài khoản.");
  return c.html(
    <Layout
      title={created ? "Đã tạo tài khoản" : "Đã đặt mật khẩu mới"}
      ward={c.get("ward")}
      session={sessionOf(c)}
      staff
    >
      <GeneratedPassword account={a} password={password} created={created} />
    </Layout>,
  );
}

/** Routes under /quan-tri: `app.route("/quan-tri", usersStaffRoutes())`. Each route checks login, CSRF and role. */
export function usersStaffRoutes(): Hono<AppEnv> {
  const app = new Hono<AppEnv>();

  app.get("/tai-khoan", requireStaff, requireCsrf, manage, async (c) => {
    const accounts = await listAccounts(c.get("deps").db.kysely, wardIdOf(c), todayOf(c));
    return c.html(
      <Layout title="Tài khoản" ward={c.get("ward")} session={sessionOf(c)} staff>
        <AccountsListPage accounts={accounts} />
      </Layout>,
    );
  });

  app.get("/tai-khoan/moi", requireStaff, requireCsrf, manage, async (c) => {
    const units = await unitChoices(c.get("deps").db.kysely, wardIdOf(c), todayOf(c));
    return c.html(
      <Layout title="Tạo tài khoản" ward={c.get("ward")} session={sessionOf(c)} staff>
        <CreatePage csrf={sessionOf(c).csrfToken} state={EMPTY_FORM} units={units} />
      </Layout>,
    );
  });

  app.post("/tai-khoan/moi", requireStaff, requireCsrf, manage, async (c) => {
    const values = await readFormValues(c);
    const { db, clock } = c.get("deps");
    const r = await createAccount(
      db.kysely,
      actorOf(c),
      {
        wardId: wardIdOf(c),
        username: values.username ?? "",
        displayName: values.displayName ?? "",
        role: values.role ?? "",
        orgUnitId: values.orgUnitId ?? null,
        password: values.password ?? "",
      },
      clock(),
    );
    if (r.ok) {
      if (r.value.generatedPassword) return renderGenerated(c, r.value.id, r.value.generatedPassword, true);
      return c.redirect(`${BASE}/${r.value.id}?da-luu=tao`, 303);
    }
    const units = await unitChoices(db.kysely, wardIdOf(c), todayOf(c));
    c.status(r.status === 404 ? 400 : r.status);
    const state = { values, errors: pageErrors(r.errors, "", "tao", FORM_KEYS) };
    return c.html(
      <Layout title="Tạo tài khoản" ward={c.get("ward")} session={sessionOf(c)} staff>
        <CreatePage csrf={sessionOf(c).csrfToken} state={state} units={units} />
      </Layout>,
    );
  });

  app.get("/tai-khoan/:id{[0-9]+}", requireStaff, requireCsrf, manage, (c) =>
    renderAccount(c, Number(c.req.param("id"))),
  );

  app.post("/tai-khoan/:id{[0-9]+}/sua", requireStaff, requireCsrf, manage, async (c) => {
    const userId = Number(c.req.param("id"));
    const values = await readFormValues(c);
    const { db, clock } = c.get("deps");
    const r = await changeAccount(
      db.kysely,
      actorOf(c),
      {
        wardId: wardIdOf(c),
        userId,
        displayName: values.displayName ?? "",
        role: values.role ?? "",
        orgUnitId: values.orgUnitId ?? null,
      },
      clock(),
    );
    if (!r.ok) return onFailure(c, userId, r, "e", "sua", values);
    return c.redirect(`${BASE}/${userId}?da-luu=sua`, 303);
  });

  app.post("/tai-khoan/:id{[0-9]+}/mat-khau", requireStaff, requireCsrf, manage, async (c) => {
    const userId = Number(c.req.param("id"));
    const values = await readFormValues(c);
    const { db, clock } = c.get("deps");
    const r = await resetPassword(
      db.kysely,
      actorOf(c),
      { wardId: wardIdOf(c), userId, password: values.password ?? "", currentSessionId: sessionOf(c).id },
      clock(),
    );
    if (!r.ok) return onFailure(c, userId, r, "p", "mat-khau", {});
    if (r.value.generatedPassword) return renderGenerated(c, userId, r.value.generatedPassword, false);
    return c.redirect(`${BASE}/${userId}?da-luu=mat-khau`, 303);
  });

  app.post("/tai-khoan/:id{[0-9]+}/trang-thai", requireStaff, requireCsrf, manage, async (c) => {
    const userId = Number(c.req.param("id"));
    const values = await readFormValues(c);
    const active = values.active === "1";
    const { db, clock } = c.get("deps");
    const r = await setAccountActive(db.kysely, actorOf(c), { wardId: wardIdOf(c), userId, active }, clock());
    if (!r.ok) return onFailure(c, userId, r, "s", "trang-thai", values);
    return c.redirect(`${BASE}/${userId}?da-luu=${active ? "mo-khoa" : "khoa"}`, 303);
  });

  app.post("/tai-khoan/:id{[0-9]+}/sso", requireStaff, requireCsrf, manage, async (c) => {
    if (!c.get("deps").config.sso) throw notFound();
    const userId = Number(c.req.param("id"));
    const values = await readFormValues(c);
    const { db, clock } = c.get("deps");
    const r = await setAccountSso(
      db.kysely,
      actorOf(c),
      { wardId: wardIdOf(c), userId, email: values.ssoEmail ?? "" },
      clock(),
    );
    if (!r.ok) return onFailure(c, userId, r, "o", "sso", values);
    return c.redirect(`${BASE}/${userId}?da-luu=sso`, 303);
  });

  return app;
}
