/**
 * Staff pages of account administration (administrator only): the ward's accounts, a new account, and one
 * account's page (name, role and unit; new password; disable or enable). A generated password is shown once, on
 * the page answering the POST, and never stored anywhere readable. Works without JavaScript; every POST carries
 * the CSRF token.
 */
import { type Context, Hono } from "hono";
import type { Actor } from "../../core/audit.ts";
import { ROLES } from "../../core/auth/roles.ts";
import { formatDate, vnToday } from "../../core/text/vi.ts";
import type { AppEnv } from "../../core/web/context.ts";
import { AppError, notFound } from "../../core/web/errors.ts";
import { ErrorSummary, Layout } from "../../core/web/layout.tsx";
import { requireAction, requireCsrf, requireStaff } from "../../core/web/middleware.ts";
import { type FieldErrors, formFields } from "../../core/web/validation.ts";
import { unitChoices } from "../units/org-units.service.ts";
import {
  type AccountView,
  accountOf,
  changeAccount,
  createAccount,
  type Failure,
  listAccounts,
  resetPassword,
  setAccountActive,
} from "./users.service.ts";

type C = Context<AppEnv>;
type Values = Record<string, string>;
interface FormState {
  form?: "e" | "p" | "s";
  values: Values;
  errors: FieldErrors;
}
const EMPTY: FormState = { values: {}, errors: {} };
const BASE = "/quan-tri/tai-khoan";
const manage = requireAction("users.manage");
type UnitChoice = { id: number; name: string };

function sessionOf(c: C) {
  const s = c.get("session");
  if (!s) throw new AppError(401, "unauthenticated", "Cần đăng nhập.");
  return s;
}
const actorOf = (c: C): Actor => {
  const u = sessionOf(c).user;
  return { userId: u.id, name: u.username, wardId: u.ward_id };
};
const wardIdOf = (c: C) => sessionOf(c).user.ward_id;
const todayOf = (c: C) => vnToday(c.get("deps").clock());

async function readForm(c: C): Promise<Values> {
  const values = formFields(await c.req.parseBody());
  delete values._csrf;
  return values;
}

/** Service errors → this page's field ids; errors about the whole form point at the form. */
function pageErrors(errors: FieldErrors, prefix: string, formId: string): FieldErrors {
  const out: FieldErrors = {};
  for (const [k, v] of Object.entries(errors))
    out[k === "_" || k === "wardId" || k === "userId" ? formId : prefix ? `${prefix}-${k}` : k] ??= v;
  return out;
}

const FieldError = ({ errors, id }: { errors: FieldErrors; id: string }) =>
  errors[id] ? (
    <span class="field-error" id={`${id}-loi`}>
      {errors[id]}
    </span>
  ) : null;
const describedBy = (errors: FieldErrors, id: string, hint?: string) =>
  [hint, errors[id] ? `${id}-loi` : undefined].filter(Boolean).join(" ") || undefined;

function Field(props: {
  id: string;
  name: string;
  label: string;
  hint?: string;
  state: FormState;
  value?: string;
  type?: "text" | "password";
  autocomplete?: string;
}) {
  const { id, name, label, hint, state } = props;
  const hintId = hint ? `${id}-goi-y` : undefined;
  return (
    <>
      <label for={id}>
        {label}{" "}
        {hint ? (
          <span class="hint" id={hintId}>
            {hint}
          </span>
        ) : null}
      </label>
      <FieldError errors={state.errors} id={id} />
      <input
        type={props.type ?? "text"}
        id={id}
        name={name}
        // Never echo a password back into the page.
        value={props.type === "password" ? "" : (state.values[name] ?? props.value ?? "")}
        autocomplete={props.autocomplete}
        aria-describedby={describedBy(state.errors, id, hintId)}
        aria-invalid={state.errors[id] ? "true" : undefined}
      />
    </>
  );
}

function RoleAndUnit({
  prefix,
  state,
  role,
  unitId,
  units,
}: {
  prefix: string;
  state: FormState;
  role?: string;
  unitId?: number | null;
  units: UnitChoice[];
}) {
  const roleId = prefix ? `${prefix}-role` : "role";
  const unitFieldId = prefix ? `${prefix}-orgUnitId` : "orgUnitId";
  const chosenRole = state.values.role ?? role ?? "";
  const chosenUnit = state.values.orgUnitId ?? (unitId == null ? "" : String(unitId));
  return (
    <>
      <label for={roleId}>Vai trò</label>
      <FieldError errors={state.errors} id={roleId} />
      <select id={roleId} name="role" aria-describedby={describedBy(state.errors, roleId)}>
        {chosenRole ? null : <option value="">— Chọn vai trò —</option>}
        {Object.entries(ROLES).map(([code, label]) => (
          <option value={code} selected={code === chosenRole}>
            {label}
          </option>
        ))}
      </select>
      <label for={unitFieldId}>
        Đơn vị{" "}
        <span class="hint" id={`${unitFieldId}-goi-y`}>
          Bắt buộc với cán bộ đơn vị: họ chỉ cập nhật được nhiệm vụ của đơn vị mình.
        </span>
      </label>
      <FieldError errors={state.errors} id={unitFieldId} />
      <select
        id={unitFieldId}
        name="orgUnitId"
        aria-describedby={describedBy(state.errors, unitFieldId, `${unitFieldId}-goi-y`)}
      >
        <option value="">— Không thuộc đơn vị nào —</option>
        {units.map((u) => (
          <option value={String(u.id)} selected={String(u.id) === chosenUnit}>
            {u.name}
          </option>
        ))}
      </select>
    </>
  );
}

const SAVED: Record<string, string> = {
  tao: "Đã tạo tài khoản.",
  sua: "Đã lưu thay đổi.",
  "mat-khau": "Đã đặt mật khẩu mới; các phiên đăng nhập của tài khoản đã kết thúc.",
  khoa: "Đã khóa tài khoản; các phiên đăng nhập của tài khoản đã kết thúc.",
  "mo-khoa": "Đã mở khóa tài khoản.",
};

const unitText = (a: AccountView) => (a.unit ? `${a.unit.name}${a.unit.retired ? " (đã thôi hoạt động)" : ""}` : "—");

/** The password the system generated, shown on this one page only. */
function GeneratedPassword({
  account,
  password,
  created,
}: {
  account: AccountView;
  password: string;
  created: boolean;
}) {
  return (
    <>
      <div class="notice" role="status">
        <h1>{created ? "Đã tạo tài khoản" : "Đã đặt mật khẩu mới"}</h1>
        <p>
          Tên đăng nhập: <strong>{account.username}</strong>
          <br />
          Mật khẩu: <code id="mat-khau-moi">{password}</code>
        </p>
        <p>
          Hãy ghi lại và trao tận tay cho {account.displayName}. Mật khẩu chỉ hiển thị một lần này; nếu quên, hãy đặt
          mật khẩu mới.
        </p>
      </div>
      <p>
        <a href={`${BASE}/${account.id}`}>Xem tài khoản</a> · <a href={BASE}>Danh sách tài khoản</a>
      </p>
    </>
  );
}

function CreatePage({ c, state, units }: { c: C; state: FormState; units: UnitChoice[] }) {
  return (
    <>
      <ErrorSummary errors={state.errors} />
      <p class="small">
        <a href={BASE}>← Tài khoản</a>
      </p>
      <h1>Tạo tài khoản</h1>
      <form method="post" action={`${BASE}/moi`} id="tao" tabindex={-1}>
        <input type="hidden" name="_csrf" value={sessionOf(c).csrfToken} />
        <Field
          id="username"
          name="username"
          label="Tên đăng nhập"
          hint="3–40 ký tự: chữ không dấu, số, dấu chấm, gạch ngang hoặc gạch dưới. Ví dụ: nguyenvan.a"
          state={state}
          autocomplete="off"
        />
        <Field id="displayName" name="displayName" label="Họ tên" state={state} autocomplete="off" />
        <RoleAndUnit prefix="" state={state} units={units} />
        <Field
          id="password"
          name="password"
          type="password"
          label="Mật khẩu ban đầu (không bắt buộc)"
          hint="Ít nhất 8 ký tự, không chứa tên đăng nhập. Để trống để hệ thống tạo mật khẩu ngẫu nhiên và hiển thị một lần."
          state={state}
          autocomplete="new-password"
        />
        <div>
          <button type="submit" class="btn">
            Tạo tài khoản
          </button>
        </div>
      </form>
    </>
  );
}

function AccountPage(props: { c: C; a: AccountView; state: FormState; units: UnitChoice[] }) {
  const { c, a, state } = props;
  const s = (form: FormState["form"]): FormState => (state.form === form ? state : EMPTY);
  const self = a.id === sessionOf(c).user.id;
  const csrf = <input type="hidden" name="_csrf" value={sessionOf(c).csrfToken} />;
  // A retired unit stays selectable for an account that still has it, so saving the name does not fail.
  const units = a.unit && !props.units.some((u) => u.id === a.unit?.id) ? [...props.units, a.unit] : props.units;
  const saved = c.req.query("da-luu");
  return (
    <>
      <ErrorSummary errors={state.errors} />
      {!state.form && saved && SAVED[saved] ? (
        <div class="notice" role="status">
          {SAVED[saved]}
        </div>
      ) : null}
      <p class="small">
        <a href={BASE}>← Tài khoản</a>
      </p>
      <h1>
        {a.displayName} <span class="muted">({a.username})</span>
      </h1>
      <dl class="facts">
        <dt>Vai trò</dt>
        <dd>{a.roleLabel}</dd>
        <dt>Đơn vị</dt>
        <dd>{unitText(a)}</dd>
        <dt>Trạng thái</dt>
        <dd>{a.active ? "Đang hoạt động" : "Đã khóa"}</dd>
        <dt>Tạo ngày</dt>
        <dd>{formatDate(a.createdAt)}</dd>
      </dl>

      <form method="post" action={`${BASE}/${a.id}/sua`} id="sua" tabindex={-1}>
        <h2>Họ tên, vai trò, đơn vị</h2>
        {csrf}
        <Field id="e-displayName" name="displayName" label="Họ tên" state={s("e")} value={a.displayName} />
        <RoleAndUnit prefix="e" state={s("e")} role={a.role} unitId={a.unit?.id ?? null} units={units} />
        <div>
          <button type="submit" class="btn">
            Lưu thay đổi
          </button>
        </div>
      </form>

      <form method="post" action={`${BASE}/${a.id}/mat-khau`} id="mat-khau" tabindex={-1}>
        <h2>Đặt mật khẩu mới</h2>
        <p class="hint">Mọi phiên đăng nhập đang mở của tài khoản sẽ kết thúc.</p>
        {csrf}
        <Field
          id="p-password"
          name="password"
          type="password"
          label="Mật khẩu mới (không bắt buộc)"
          hint="Ít nhất 8 ký tự, không chứa tên đăng nhập. Để trống để hệ thống tạo mật khẩu ngẫu nhiên và hiển thị một lần."
          state={s("p")}
          autocomplete="new-password"
        />
        <div>
          <button type="submit" class="btn">
            Đặt mật khẩu mới
          </button>
        </div>
      </form>

      <form method="post" action={`${BASE}/${a.id}/trang-thai`} id="trang-thai" tabindex={-1}>
        <h2>{a.active ? "Khóa tài khoản" : "Mở khóa tài khoản"}</h2>
        {csrf}
        <input type="hidden" name="active" value={a.active ? "0" : "1"} />
        {self && a.active ? (
          <p class="muted">Bạn không thể tự khóa tài khoản của mình.</p>
        ) : (
          <>
            <p class="hint">
              {a.active
                ? "Tài khoản bị khóa không đăng nhập được; trang đang mở của họ bị từ chối ngay. Lịch sử cập nhật được giữ nguyên."
                : "Tài khoản sẽ đăng nhập lại được bằng mật khẩu hiện có."}
            </p>
            <button type="submit" class={a.active ? "btn secondary" : "btn"}>
              {a.active ? "Khóa tài khoản" : "Mở khóa tài khoản"}
            </button>
          </>
        )}
      </form>
    </>
  );
}

async function renderAccount(c: C, userId: number, state: FormState = EMPTY, status: 200 | 400 | 409 = 200) {
  const { db } = c.get("deps");
  const [a, units] = await Promise.all([
    accountOf(db.kysely, wardIdOf(c), userId, todayOf(c)),
    unitChoices(db.kysely, wardIdOf(c), todayOf(c)),
  ]);
  if (!a) throw notFound("Không tìm thấy tài khoản.");
  c.status(status);
  return c.html(
    <Layout title={a.displayName} ward={c.get("ward")} session={sessionOf(c)} staff>
      <AccountPage c={c} a={a} state={state} units={units} />
    </Layout>,
  );
}

function onFailure(c: C, userId: number, r: Failure, form: "e" | "p" | "s", formId: string, values: Values) {
  if (r.status === 404) throw notFound(r.errors._);
  return renderAccount(c, userId, { form, values, errors: pageErrors(r.errors, form, formId) }, r.status);
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
        <h1>Tài khoản cán bộ</h1>
        <p>
          <a class="btn" href={`${BASE}/moi`}>
            Tạo tài khoản
          </a>
        </p>
        <section class="table-wrap" aria-label="Tài khoản cán bộ" tabindex={0}>
          <table>
            <thead>
              <tr>
                <th scope="col">Tên đăng nhập</th>
                <th scope="col">Họ tên</th>
                <th scope="col">Vai trò</th>
                <th scope="col">Đơn vị</th>
                <th scope="col">Trạng thái</th>
              </tr>
            </thead>
            <tbody>
              {accounts.map((a) => (
                <tr>
                  <td>
                    <a href={`${BASE}/${a.id}`}>{a.username}</a>
                  </td>
                  <td>{a.displayName}</td>
                  <td>{a.roleLabel}</td>
                  <td>{unitText(a)}</td>
                  <td>{a.active ? "Đang hoạt động" : <strong>Đã khóa</strong>}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
      </Layout>,
    );
  });

  app.get("/tai-khoan/moi", requireStaff, requireCsrf, manage, async (c) => {
    const units = await unitChoices(c.get("deps").db.kysely, wardIdOf(c), todayOf(c));
    return c.html(
      <Layout title="Tạo tài khoản" ward={c.get("ward")} session={sessionOf(c)} staff>
        <CreatePage c={c} state={EMPTY} units={units} />
      </Layout>,
    );
  });

  app.post("/tai-khoan/moi", requireStaff, requireCsrf, manage, async (c) => {
    const values = await readForm(c);
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
    return c.html(
      <Layout title="Tạo tài khoản" ward={c.get("ward")} session={sessionOf(c)} staff>
        <CreatePage c={c} state={{ values, errors: pageErrors(r.errors, "", "tao") }} units={units} />
      </Layout>,
    );
  });

  app.get("/tai-khoan/:id{[0-9]+}", requireStaff, requireCsrf, manage, (c) =>
    renderAccount(c, Number(c.req.param("id"))),
  );

  app.post("/tai-khoan/:id{[0-9]+}/sua", requireStaff, requireCsrf, manage, async (c) => {
    const userId = Number(c.req.param("id"));
    const values = await readForm(c);
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
    const values = await readForm(c);
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
    const values = await readForm(c);
    const active = values.active === "1";
    const { db, clock } = c.get("deps");
    const r = await setAccountActive(db.kysely, actorOf(c), { wardId: wardIdOf(c), userId, active }, clock());
    if (!r.ok) return onFailure(c, userId, r, "s", "trang-thai", values);
    return c.redirect(`${BASE}/${userId}?da-luu=${active ? "mo-khoa" : "khoa"}`, 303);
  });

  return app;
}
