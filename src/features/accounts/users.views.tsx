/**
 * Views of account administration (staff side): the ward's accounts, the new-account form, one account's page
 * with its forms (name, role and unit; new password; disable or enable), and the page that shows a generated
 * password once.
 */
import type { Child } from "hono/jsx";
import { ROLES, WARD_ROLES } from "../../core/auth/roles.ts";
import { formatDate } from "../../core/text/vi.ts";
import {
  CsrfField,
  describedBy,
  EMPTY_FORM,
  FieldError,
  type FormState,
  SavedNotice,
  TextField,
} from "../../core/web/forms.tsx";
import { ErrorSummary } from "../../core/web/layout.tsx";
import type { AccountView } from "./users.service.ts";

/** Where the accounts pages live. */
export const BASE = "/quan-tri/tai-khoan";

/** An account page's forms: edit, password, status. */
export type AccountForm = "e" | "p" | "s" | "o";
export type UnitChoice = { id: number; name: string };

const PASSWORD_HINT =
  "Ít nhất 8 ký tự, không chứa tên đăng nhập. Để trống để hệ thống tạo mật khẩu ngẫu nhiên và hiển thị một lần.";

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
        {WARD_ROLES.map((code) => [code, ROLES[code]] as const).map(([code, label]) => (
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

export const SAVED: Record<string, string> = {
  tao: "Đã tạo tài khoản.",
  sua: "Đã lưu thay đổi.",
  "mat-khau": "Đã đặt mật khẩu mới; các phiên đăng nhập của tài khoản đã kết thúc.",
  khoa: "Đã khóa tài khoản; các phiên đăng nhập của tài khoản đã kết thúc.",
  "mo-khoa": "Đã mở khóa tài khoản.",
  sso: "Đã lưu cấp quyền đăng nhập một lần.",
  "xac-thuc-dat-lai":
    "Đã đặt lại xác thực hai bước: khóa bí mật và mã khôi phục cũ bị xóa, các phiên đăng nhập của tài khoản đã kết thúc.",
};

const unitText = (a: AccountView) => (a.unit ? `${a.unit.name}${a.unit.retired ? " (đã thôi hoạt động)" : ""}` : "—");

/**
 * A list of accounts: the ward's (by default), or a province's (`base` its accounts' path, `title` naming it, the
 * unit column its departments, `children` between the title and the list).
 */
export function AccountsListPage({
  accounts,
  base = BASE,
  title = "Tài khoản cán bộ",
  unitLabel = "Đơn vị",
  children,
}: {
  accounts: AccountView[];
  base?: string;
  title?: string;
  unitLabel?: string;
  children?: Child;
}) {
  return (
    <>
      <h1>{title}</h1>
      {children}
      <p>
        <a class="btn" href={`${base}/moi`}>
          Tạo tài khoản
        </a>
      </p>
      <section class="table-wrap" aria-label={title} tabindex={0}>
        <table>
          <thead>
            <tr>
              <th scope="col">Tên đăng nhập</th>
              <th scope="col">Họ tên</th>
              <th scope="col">Vai trò</th>
              <th scope="col">{unitLabel}</th>
              <th scope="col">Trạng thái</th>
            </tr>
          </thead>
          <tbody>
            {accounts.map((a) => (
              <tr>
                <td>
                  <a href={`${base}/${a.id}`}>{a.username}</a>
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
    </>
  );
}

/** The password the system generated, shown on this one page only. */
export function GeneratedPassword({
  account,
  password,
  created,
  base = BASE,
}: {
  account: AccountView;
  password: string;
  created: boolean;
  /** Where the account's list is (its page is `{base}/{id}`). */
  base?: string;
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
        <a href={`${base}/${account.id}`}>Xem tài khoản</a> · <a href={base}>Danh sách tài khoản</a>
      </p>
    </>
  );
}

/** The new-account form. */
export function CreatePage({ csrf, state, units }: { csrf: string; state: FormState; units: UnitChoice[] }) {
  return (
    <NewAccountForm
      csrf={csrf}
      base={BASE}
      back="← Tài khoản"
      title="Tạo tài khoản"
      state={state}
      example="nguyenvan.a"
    >
      <RoleAndUnit prefix="" state={state} units={units} />
    </NewAccountForm>
  );
}

/**
 * A new account's form at `{base}/moi`: username and name, then the level's own fields (`children`: role, unit or
 * department), then the first password (typed, or left empty to have one generated and shown once).
 */
export function NewAccountForm(props: {
  csrf: string;
  base: string;
  back: string;
  title: string;
  state: FormState;
  example: string;
  children: Child;
}) {
  const { csrf, base, state } = props;
  return (
    <>
      <ErrorSummary errors={state.errors} />
      <p class="small">
        <a href={base}>{props.back}</a>
      </p>
      <h1>{props.title}</h1>
      <form method="post" action={`${base}/moi`} id="tao" tabindex={-1}>
        <CsrfField token={csrf} />
        <TextField
          id="username"
          name="username"
          label="Tên đăng nhập"
          hint={`3–40 ký tự: chữ không dấu, số, dấu chấm, gạch ngang hoặc gạch dưới. Ví dụ: ${props.example}`}
          state={state}
          autocomplete="off"
        />
        <TextField id="displayName" name="displayName" label="Họ tên" state={state} autocomplete="off" />
        {props.children}
        <TextField
          id="password"
          name="password"
          type="password"
          label="Mật khẩu ban đầu (không bắt buộc)"
          hint={PASSWORD_HINT}
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

/**
 * One account's page: its facts, then its forms. `self`: the administrator's own account, which they cannot
 * disable; `saved` is the `da-luu` of the redirect after a POST.
 */
export function AccountPage(props: {
  csrf: string;
  a: AccountView;
  self: boolean;
  state: FormState<AccountForm>;
  units: UnitChoice[];
  saved?: string;
  /** With single sign-on set up (OIDC_*): the identities bound to the account, for its sign-on form. */
  sso?: SsoIdentityView[] | null;
}) {
  const { csrf, a, self, state, saved } = props;
  const s = (form: AccountForm): FormState<AccountForm> => (state.form === form ? state : EMPTY_FORM);
  // A retired unit stays selectable for an account that still has it, so saving the name does not fail.
  const units = a.unit && !props.units.some((u) => u.id === a.unit?.id) ? [...props.units, a.unit] : props.units;
  return (
    <>
      <ErrorSummary errors={state.errors} />
      <SavedNotice message={state.form || !saved ? undefined : SAVED[saved]} />
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
        <dt>Xác thực hai bước</dt>
        <dd>{a.secondFactor ? "Đang bật" : "Chưa bật"}</dd>
        <dt>Tạo ngày</dt>
        <dd>{formatDate(a.createdAt)}</dd>
      </dl>

      <form method="post" action={`${BASE}/${a.id}/sua`} id="sua" tabindex={-1}>
        <h2>Họ tên, vai trò, đơn vị</h2>
        <CsrfField token={csrf} />
        <TextField id="e-displayName" name="displayName" label="Họ tên" state={s("e")} value={a.displayName} />
        <RoleAndUnit prefix="e" state={s("e")} role={a.role} unitId={a.unit?.id ?? null} units={units} />
        <div>
          <button type="submit" class="btn">
            Lưu thay đổi
          </button>
        </div>
      </form>

      <PasswordForm csrf={csrf} action={`${BASE}/${a.id}/mat-khau`} state={s("p")} />
      {props.sso ? (
        <SsoForm csrf={csrf} action={`${BASE}/${a.id}/sso`} a={a} identities={props.sso} state={s("o")} />
      ) : null}
      <StatusForm csrf={csrf} action={`${BASE}/${a.id}/trang-thai`} a={a} self={self} />
      {a.secondFactor && !self ? (
        <form method="post" action={`${BASE}/${a.id}/xac-thuc-hai-buoc/dat-lai`} id="xac-thuc" tabindex={-1}>
          <h2>Đặt lại xác thực hai bước</h2>
          <p class="hint">
            Khi cán bộ mất điện thoại và hết mã khôi phục: khóa bí mật và mã khôi phục bị xóa, các phiên đăng nhập kết
            thúc. Lần đăng nhập sau chỉ cần mật khẩu (hoặc phải bật lại ngay nếu vai trò bắt buộc).
          </p>
          <CsrfField token={csrf} />
          <button type="submit" class="btn secondary">
            Đặt lại xác thực hai bước
          </button>
        </form>
      ) : null}
    </>
  );
}

/** An account's new-password form (typed, or generated and shown once). */
export function PasswordForm({ csrf, action, state }: { csrf: string; action: string; state: FormState }) {
  return (
    <form method="post" action={action} id="mat-khau" tabindex={-1}>
      <h2>Đặt mật khẩu mới</h2>
      <p class="hint">Mọi phiên đăng nhập đang mở của tài khoản sẽ kết thúc.</p>
      <CsrfField token={csrf} />
      <TextField
        id="p-password"
        name="password"
        type="password"
        label="Mật khẩu mới (không bắt buộc)"
        hint={PASSWORD_HINT}
        state={state}
        autocomplete="new-password"
      />
      <div>
        <button type="submit" class="btn">
          Đặt mật khẩu mới
        </button>
      </div>
    </form>
  );
}

/** An account's disable-or-enable form; `self`: the signed-in account's own, which cannot be disabled. */
export function StatusForm({ csrf, action, a, self }: { csrf: string; action: string; a: AccountView; self: boolean }) {
  return (
    <form method="post" action={action} id="trang-thai" tabindex={-1}>
      <h2>{a.active ? "Khóa tài khoản" : "Mở khóa tài khoản"}</h2>
      <CsrfField token={csrf} />
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
  );
}

export interface SsoIdentityView {
  issuer: string;
  bound_at: string;
  last_sign_in_at: string;
}

/**
 * An account's single sign-on: the e-mail the province's provider must verify for the person to sign in as this
 * account, and the identity bound at their first sign-in. Roles and units stay the portal's.
 */
export function SsoForm(props: {
  csrf: string;
  action: string;
  a: AccountView;
  identities: SsoIdentityView[];
  state: FormState;
}) {
  const { csrf, action, a, identities, state } = props;
  return (
    <form method="post" action={action} id="sso" tabindex={-1}>
      <h2>Đăng nhập một lần</h2>
      <p class="hint">
        Người có địa chỉ thư điện tử này, đã được hệ thống đăng nhập một lần của tỉnh xác thực, sẽ đăng nhập vào tài
        khoản này với vai trò và đơn vị ở trên; vai trò do cổng này cấp, không lấy từ hệ thống của tỉnh. Để trống để thu
        hồi.
      </p>
      {identities.length ? (
        <ul>
          {identities.map((i) => (
            <li>
              Đã liên kết ngày {formatDate(i.bound_at)}, lần đăng nhập gần nhất {formatDate(i.last_sign_in_at)} (
              {i.issuer})
            </li>
          ))}
        </ul>
      ) : (
        <p class="muted">Chưa liên kết: lần đăng nhập một lần đầu tiên sẽ liên kết.</p>
      )}
      <CsrfField token={csrf} />
      <TextField
        id="o-ssoEmail"
        name="ssoEmail"
        type="email"
        label="Thư điện tử dùng để đăng nhập một lần"
        hint="Đổi địa chỉ sẽ hủy liên kết cũ."
        state={state}
        value={a.ssoEmail ?? ""}
        autocomplete="off"
      />
      <div>
        <button type="submit" class="btn">
          Lưu
        </button>
      </div>
    </form>
  );
}
