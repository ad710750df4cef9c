/**
 * Staff pages of the second factor: an account's own (set it up, new recovery codes, switch it off), and a ward
 * administrator's reset of another account's (for a lost phone). Every POST carries the session's CSRF token.
 */
import { type Context, Hono } from "hono";
import { totpUri } from "../../core/auth/totp.ts";
import type { AppEnv } from "../../core/web/context.ts";
import { AppError, notFound } from "../../core/web/errors.ts";
import { EMPTY_FORM, type FormState, readFormValues } from "../../core/web/forms.tsx";
import { Layout } from "../../core/web/layout.tsx";
import { requireAction, requireCsrf, requireStaff } from "../../core/web/middleware.ts";
import { actorOf, sessionOf, wardIdOf } from "../../core/web/staff.ts";
import {
  confirmEnrolment,
  disableSecondFactor,
  regenerateRecoveryCodes,
  resetSecondFactor,
  secondFactorOf,
} from "./second-factor.service.ts";
import { OwnSecondFactorPage, RecoveryCodes, SELF_BASE } from "./second-factor.views.tsx";
import { BASE } from "./users.views.tsx";

type C = Context<AppEnv>;
type Form = "bat" | "ma" | "tat";

const issuerOf = (c: C) => `CCHC ${new URL(c.get("deps").config.publicUrl ?? c.req.url).host}`;

async function renderOwn(c: C, form?: Form, state: FormState = EMPTY_FORM, status: 200 | 400 | 409 | 429 = 200) {
  const { db, config } = c.get("deps");
  const session = sessionOf(c);
  const view = await secondFactorOf(db.kysely, session.user.id, config.totpRequiredRoles);
  const uri = view.pendingSecret ? totpUri(view.pendingSecret, session.user.username, issuerOf(c)) : null;
  const used = c.req.query("da-dung-ma");
  c.status(status);
  return c.html(
    <Layout title="Xác thực hai bước" ward={c.get("ward")} session={session} staff>
      {used && /^\d+$/.test(used) && !form ? (
        <div class="notice" role="status">
          Bạn vừa đăng nhập bằng một mã khôi phục; còn {used} mã chưa dùng. Nếu mất điện thoại, hãy tắt rồi bật lại xác
          thực hai bước với điện thoại mới, hoặc tạo mã khôi phục mới.
        </div>
      ) : null}
      <OwnSecondFactorPage
        csrf={session.csrfToken}
        view={view}
        uri={uri}
        form={form}
        state={state}
        saved={c.req.query("da-luu")}
      />
    </Layout>,
  );
}

function renderCodes(c: C, codes: string[]) {
  return c.html(
    <Layout title="Mã khôi phục" ward={c.get("ward")} session={sessionOf(c)} staff>
      <RecoveryCodes codes={codes} continueTo={SELF_BASE} />
    </Layout>,
  );
}

/** Errors keyed by the form's code field (`code`, `ma-code`, `tat-code`): every error of these forms is about it. */
const formErrors = (errors: Record<string, string>, form: Form) =>
  Object.fromEntries(Object.values(errors).map((v) => [form === "bat" ? "code" : `${form}-code`, v]));

/** Routes under /quan-tri: `app.route("/quan-tri", secondFactorStaffRoutes())`. */
export function secondFactorStaffRoutes(): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  const own = "/tai-khoan/xac-thuc-hai-buoc";

  app.get(own, requireStaff, requireCsrf, (c) => renderOwn(c));

  app.post(`${own}/bat`, requireStaff, requireCsrf, async (c) => {
    const values = await readFormValues(c);
    const { db, clock } = c.get("deps");
    const session = sessionOf(c);
    const r = await confirmEnrolment(
      db.kysely,
      actorOf(c),
      { userId: session.user.id, code: (values.code ?? "").slice(0, 64), keepSession: session.id },
      clock(),
    );
    if (!r.ok)
      return renderOwn(c, "bat", { values: {}, errors: formErrors(r.errors, "bat") }, r.status === 409 ? 409 : 400);
    return renderCodes(c, r.value.recoveryCodes);
  });

  app.post(`${own}/ma-khoi-phuc`, requireStaff, requireCsrf, async (c) => {
    const values = await readFormValues(c);
    const { db, clock } = c.get("deps");
    const r = await regenerateRecoveryCodes(
      db.kysely,
      actorOf(c),
      { user: sessionOf(c).user, code: (values.code ?? "").slice(0, 64), ip: c.get("ip") },
      clock(),
    );
    if (!r.ok) {
      if (r.wait) c.header("Retry-After", String(r.wait));
      return renderOwn(c, "ma", { values: {}, errors: formErrors(r.errors, "ma") }, r.status === 429 ? 429 : 400);
    }
    return renderCodes(c, r.value.recoveryCodes);
  });

  app.post(`${own}/tat`, requireStaff, requireCsrf, async (c) => {
    const values = await readFormValues(c);
    const { db, clock, config } = c.get("deps");
    const r = await disableSecondFactor(
      db.kysely,
      actorOf(c),
      { user: sessionOf(c).user, code: (values.code ?? "").slice(0, 64), ip: c.get("ip") },
      config.totpRequiredRoles,
      clock(),
    );
    if (!r.ok) {
      if (r.wait) c.header("Retry-After", String(r.wait));
      const status = r.status === 429 ? 429 : r.status === 409 ? 409 : 400;
      return renderOwn(c, "tat", { values: {}, errors: formErrors(r.errors, "tat") }, status);
    }
    return c.redirect(`/quan-tri${own}?da-luu=tat`, 303);
  });

  // A ward administrator, for an account of their own ward only (userOfWard): another ward's is "not found".
  app.post(
    "/tai-khoan/:id{[0-9]+}/xac-thuc-hai-buoc/dat-lai",
    requireStaff,
    requireCsrf,
    requireAction("users.manage"),
    async (c) => {
      const userId = Number(c.req.param("id"));
      const { db, clock } = c.get("deps");
      const r = await resetSecondFactor(db.kysely, actorOf(c), { wardId: wardIdOf(c), userId }, clock());
      if (!r.ok && r.status === 404) throw notFound(r.errors._);
      if (!r.ok) throw new AppError(409, "conflict", r.errors._ ?? "Không đặt lại được.");
      return c.redirect(`${BASE}/${userId}?da-luu=xac-thuc-dat-lai`, 303);
    },
  );

  return app;
}
