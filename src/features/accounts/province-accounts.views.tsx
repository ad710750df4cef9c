/**
 * Views of a province's accounts (the deployment operator's pages): the list, the new-account form, one account's
 * page (new password; disable or enable). The list and the forms of one account are the ward's (users.views.tsx).
 */
import { PROVINCE_ROLES, type Role } from "../../core/auth/roles.ts";
import type { AdminUnit } from "../../core/db/schema.ts";
import { formatDate } from "../../core/text/vi.ts";
import { describedBy, EMPTY_FORM, FieldError, type FormState, SavedNotice, TextField } from "../../core/web/forms.tsx";
import { ErrorSummary } from "../../core/web/layout.tsx";
import type { AccountView } from "./users.service.ts";
import {
  AccountsListPage,
  NewAccountForm,
  PasswordForm,
  SAVED,
  SsoForm,
  type SsoIdentityView,
  StatusForm,
} from "./users.views.tsx";

/** Where a province's accounts live: `/quan-tri/tinh/51/tai-khoan`. */
export const provinceAccountsBase = (province: Pick<AdminUnit, "code">) => `/quan-tri/tinh/${province.code}/tai-khoan`;

/** The province's pages beside its accounts: its wards, read only. */
const viewOf = (province: Pick<AdminUnit, "code">) => `/quan-tri/tinh/${province.code}`;

export type Department = { id: number; name: string; code: string | null };

/** A province's accounts. */
export function ProvinceAccountsPage({ province, accounts }: { province: AdminUnit; accounts: AccountView[] }) {
  return (
    <AccountsListPage
      accounts={accounts}
      base={provinceAccountsBase(province)}
      title={`Tài khoản cấp tỉnh: ${province.name}`}
      unitLabel="Sở, ngành"
    >
      <p class="small">
        <a href="/quan-tri/tinh">← Các tỉnh, thành phố</a> · <a href={viewOf(province)}>Các xã, phường của tỉnh</a>
      </p>
      <p>
        Tài khoản của tỉnh (hoặc của một sở, ngành thuộc tỉnh) xem được mọi xã, phường trong tỉnh, gửi yêu cầu báo cáo
        và lập báo cáo tổng hợp của tỉnh; không sửa dữ liệu của xã, phường nào.
      </p>
    </AccountsListPage>
  );
}

/** The new-account form of a province: role, department (found or made), first password. */
export function ProvinceCreatePage(props: {
  csrf: string;
  province: AdminUnit;
  departments: Department[];
  state: FormState;
}) {
  const { csrf, province, departments, state } = props;
  const base = provinceAccountsBase(province);
  const chosenRole = state.values.role ?? "";
  const known = departments.map((d) => (d.code ? `${d.name} (${d.code})` : d.name)).join(", ");
  return (
    <NewAccountForm
      csrf={csrf}
      base={base}
      back="← Tài khoản cấp tỉnh"
      title={`Tạo tài khoản cấp tỉnh: ${province.name}`}
      state={state}
      example="chuyenvien.snv"
    >
      <label for="role">Vai trò</label>
      <FieldError errors={state.errors} id="role" />
      <select id="role" name="role" aria-describedby={describedBy(state.errors, "role")}>
        {chosenRole ? null : <option value="">— Chọn vai trò —</option>}
        {Object.entries(PROVINCE_ROLES).map(([code, label]) => (
          <option value={code} selected={code === chosenRole}>
            {label}
          </option>
        ))}
      </select>
      <TextField
        id="department"
        name="department"
        label="Sở, ngành (không bắt buộc)"
        hint={`Tên hoặc ký hiệu của sở, ngành thuộc tỉnh; chưa có thì hệ thống tạo mới, ký hiệu là chữ đầu các từ (Sở Nội vụ: SNV). Để trống: tài khoản của tỉnh.${known ? ` Đã có: ${known}.` : ""}`}
        state={state}
        autocomplete="off"
      />
    </NewAccountForm>
  );
}

/** One account of a province: its facts, a new password, disable or enable. */
export function ProvinceAccountPage(props: {
  csrf: string;
  province: AdminUnit;
  a: AccountView;
  state: FormState<"p" | "s" | "o">;
  saved?: string;
  /** With single sign-on set up: the identities bound to the account, for its sign-on form. */
  sso?: SsoIdentityView[] | null;
}) {
  const { csrf, province, a, state, saved } = props;
  const base = provinceAccountsBase(province);
  return (
    <>
      <ErrorSummary errors={state.errors} />
      <SavedNotice message={state.form || !saved ? undefined : SAVED[saved]} />
      <p class="small">
        <a href={base}>← Tài khoản cấp tỉnh</a>
      </p>
      <h1>
        {a.displayName} <span class="muted">({a.username})</span>
      </h1>
      <dl class="facts">
        <dt>Thuộc</dt>
        <dd>{province.name}</dd>
        <dt>Sở, ngành</dt>
        <dd>{a.unit?.name ?? "—"}</dd>
        <dt>Vai trò</dt>
        <dd>{PROVINCE_ROLES[a.role as Role] ?? a.roleLabel}</dd>
        <dt>Trạng thái</dt>
        <dd>{a.active ? "Đang hoạt động" : "Đã khóa"}</dd>
        <dt>Tạo ngày</dt>
        <dd>{formatDate(a.createdAt)}</dd>
      </dl>
      <PasswordForm csrf={csrf} action={`${base}/${a.id}/mat-khau`} state={state.form === "p" ? state : EMPTY_FORM} />
      {props.sso ? (
        <SsoForm
          csrf={csrf}
          action={`${base}/${a.id}/sso`}
          a={a}
          identities={props.sso}
          state={state.form === "o" ? state : EMPTY_FORM}
        />
      ) : null}
      <StatusForm csrf={csrf} action={`${base}/${a.id}/trang-thai`} a={a} self={false} />
    </>
  );
}
