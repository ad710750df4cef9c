/**
 * Administering the ward's staff accounts: list, create (with a password typed or generated), change name, role
 * and unit, disable or enable, reset a password. Each use case is audited in its own transaction; no password or
 * hash ever reaches the audit log. An administrator cannot disable or demote themself, so a ward always keeps one.
 */
import type { Kysely } from "kysely";
import { z } from "zod";
import { type Actor, audit } from "../../core/audit.ts";
import { hashPassword, passwordProblem, randomPassword } from "../../core/auth/passwords.ts";
import { ROLES, type Role, WARD_ROLES } from "../../core/auth/roles.ts";
import { deleteUserSessions } from "../../core/auth/sessions.ts";
import type { Database } from "../../core/db/schema.ts";
import { inTransaction } from "../../core/db/transaction.ts";
import { vnToday } from "../../core/text/vi.ts";
import { type FieldErrors, idField, oneLine, optionalIdField, validate } from "../../core/web/validation.ts";
import { findOrgUnit } from "../units/units.service.ts";
import { createUser, newUserSchema } from "./accounts.service.ts";
import * as q from "./accounts.sql.ts";
import { normalEmail } from "./sso.service.ts";

export type Failure = { ok: false; status: 400 | 404 | 409; errors: FieldErrors };
export type Result<T> = { ok: true; value: T } | Failure;

const invalid = (errors: FieldErrors): Failure => ({ ok: false, status: 400, errors });
const USER_NOT_FOUND: Failure = { ok: false, status: 404, errors: { _: "Không tìm thấy tài khoản." } };

// ---------------------------------------------------------------------------------------------------------------
// Reading

export interface AccountView {
  id: number;
  username: string;
  displayName: string;
  role: Role;
  roleLabel: string;
  unit: { id: number; name: string; retired: boolean } | null;
  active: boolean;
  createdAt: string;
  /** The e-mail granted for single sign-on, or null. */
  ssoEmail: string | null;
  /** Whether the account signs in with a second factor (a one-time code). */
  secondFactor: boolean;
}

function toView(r: q.AccountRow, today: string) {
  return {
    id: r.id,
    username: r.username,
    displayName: r.display_name,
    role: r.role as Role,
    roleLabel: ROLES[r.role as Role] ?? r.role,
    unit:
      r.org_unit_id != null && r.unit_name != null
        ? { id: r.org_unit_id, name: r.unit_name, retired: r.unit_valid_to != null && r.unit_valid_to < today }
        : null,
    active: r.active === 1,
    createdAt: r.created_at,
    ssoEmail: r.sso_email,
    secondFactor: r.totp_enabled_at != null,
  } satisfies AccountView;
}

/** The ward's accounts, active first, then by username. */
export async function listAccounts(db: Kysely<Database>, wardId: number, today: string): Promise<AccountView[]> {
  const rows = await q.accountRows(db, wardId);
  return rows.map((r) => toView(r, today));
}

/** One account of the ward, or null. */
export async function accountOf(db: Kysely<Database>, wardId: number, id: number, today: string) {
  const row = await q.accountRow(db, wardId, id);
  return row ? toView(row, today) : null;
}

// ---------------------------------------------------------------------------------------------------------------
// Schemas

// A ward's accounts take a ward's roles; the province's accounts are made with the command line (create-user --province).
const ROLE_CODES = WARD_ROLES as [Role, ...Role[]];
const optionalUnit = optionalIdField("Hãy chọn đơn vị trong danh sách.");

const editSchema = z.object({
  wardId: z.number().int().positive(),
  userId: idField("Mã tài khoản không hợp lệ."),
  displayName: z.preprocess(
    oneLine,
    z.string({ error: "Cần họ tên." }).min(2, "Cần họ tên.").max(100, "Họ tên dài tối đa 100 ký tự."),
  ),
  role: z.enum(ROLE_CODES, { error: "Hãy chọn vai trò trong danh sách." }),
  orgUnitId: optionalUnit,
});

/** An empty password means "generate one"; a typed one must pass the policy. */
export function choosePassword(typed: string, username: string): { password: string; generated: boolean } | string {
  if (typed !== "") {
    const problem = passwordProblem(typed, username);
    return problem ?? { password: typed, generated: false };
  }
  for (;;) {
    const password = randomPassword();
    if (!passwordProblem(password, username)) return { password, generated: true };
  }
}

/** The unit an account is given must be one of the ward's units in force (or the one it already has). */
async function checkUnit(db: Kysely<Database>, wardId: number, unitId: number | null, keep: number | null, now: Date) {
  if (unitId == null || unitId === keep) return null;
  const unit = await findOrgUnit(db, wardId, unitId, vnToday(now));
  if (!unit) return "Hãy chọn đơn vị trong danh sách.";
  if (!unit.inForce) return `Đơn vị “${unit.name}” đã thôi hoạt động: hãy chọn đơn vị khác.`;
  return null;
}

// ---------------------------------------------------------------------------------------------------------------
// Use cases

export interface CreateAccountInput {
  wardId: number;
  username: string;
  displayName: string;
  role: string;
  orgUnitId: number | string | null;
  /** Empty: the system generates one, returned once to show to the administrator. */
  password: string;
}

/** Create an account of the ward. Returns the generated password when none was typed (to be shown once). */
export async function createAccount(
  db: Kysely<Database>,
  actor: Actor,
  input: CreateAccountInput,
  now: Date,
): Promise<Result<{ id: number; generatedPassword: string | null }>> {
  const unitParsed = validate(z.object({ orgUnitId: optionalUnit }), { orgUnitId: input.orgUnitId });
  const orgUnitId = unitParsed.ok ? unitParsed.value.orgUnitId : null;
  const candidate = { ...input, orgUnitId, role: input.role as Role, password: "" };
  // Every problem at once, so the form shows them all: the account fields, the password policy, the unit.
  const v = validate(newUserSchema, candidate);
  const errors: FieldErrors = v.ok ? {} : { ...v.errors };
  delete errors.password;
  if (!unitParsed.ok) Object.assign(errors, unitParsed.errors);
  const username = v.ok ? v.value.username : input.username.trim().toLowerCase();
  const chosen = choosePassword(input.password, username);
  if (typeof chosen === "string") errors.password = chosen;
  if (input.role === "officer" && orgUnitId == null && unitParsed.ok)
    errors.orgUnitId = "Cán bộ đơn vị cần thuộc một đơn vị.";
  const unitProblem = await checkUnit(db, input.wardId, orgUnitId, null, now);
  if (unitProblem) errors.orgUnitId ??= unitProblem;
  if (Object.keys(errors).length || typeof chosen === "string") return invalid(errors);
  // createUser checks the username is free, stores the hash and writes the audit record in one transaction.
  const r = await createUser(db, actor, { ...candidate, password: chosen.password }, now);
  if (!r.ok) return { ok: false, status: r.errors.username ? 409 : 400, errors: r.errors };
  return { ok: true, value: { id: r.value.id, generatedPassword: chosen.generated ? chosen.password : null } };
}

/** Change an account's name, role and unit. An administrator cannot take the administrator role from themself. */
export async function changeAccount(
  db: Kysely<Database>,
  actor: Actor,
  input: {
    wardId: number;
    userId: number | string;
    displayName: string;
    role: string;
    orgUnitId: number | string | null;
  },
  now: Date,
): Promise<Result<{ id: number }>> {
  const v = validate(editSchema, input);
  if (!v.ok) return invalid(v.errors);
  const { wardId, userId, displayName, role, orgUnitId } = v.value;
  return db.transaction().execute(async (trx): Promise<Result<{ id: number }>> => {
    const user = await q.userOfWard(trx, wardId, userId);
    if (!user) return USER_NOT_FOUND;
    const errors: FieldErrors = {};
    if (user.id === actor.userId && user.role === "admin" && role !== "admin")
      errors.role = "Bạn không thể tự bỏ vai trò quản trị của mình. Hãy nhờ một quản trị viên khác nếu cần.";
    if (role === "officer" && orgUnitId == null) errors.orgUnitId = "Cán bộ đơn vị cần thuộc một đơn vị.";
    const unitProblem = await checkUnit(trx, wardId, orgUnitId, user.org_unit_id, now);
    if (unitProblem) errors.orgUnitId ??= unitProblem;
    if (Object.keys(errors).length) return invalid(errors);
    const before = { displayName: user.display_name, role: user.role, orgUnitId: user.org_unit_id };
    const after = { displayName, role, orgUnitId };
    if (JSON.stringify(before) === JSON.stringify(after)) return { ok: true, value: { id: user.id } };
    await q.updateUser(trx, user.id, { display_name: displayName, role, org_unit_id: orgUnitId });
    await audit(trx, actor, { action: "user.change", entity: "user", entityId: user.id, wardId, before, after }, now);
    return { ok: true, value: { id: user.id } };
  });
}

/**
 * Disable or enable an account. Disabling ends its sessions in the same transaction, so a page it has open is
 * refused at its next request. An administrator cannot disable themself.
 */
export async function setAccountActive(
  db: Kysely<Database>,
  actor: Actor,
  input: { wardId: number; userId: number; active: boolean },
  now: Date,
): Promise<Result<{ id: number; changed: boolean }>> {
  return db.transaction().execute(async (trx): Promise<Result<{ id: number; changed: boolean }>> => {
    const user = await q.userOfWard(trx, input.wardId, input.userId);
    if (!user) return USER_NOT_FOUND;
    if (!input.active && user.id === actor.userId)
      return invalid({ _: "Bạn không thể tự khóa tài khoản của mình. Hãy nhờ một quản trị viên khác nếu cần." });
    const active = input.active ? 1 : 0;
    if (user.active === active) return { ok: true, value: { id: user.id, changed: false } };
    await q.updateUser(trx, user.id, { active });
    if (!input.active) await deleteUserSessions(trx, user.id);
    await audit(
      trx,
      actor,
      {
        action: input.active ? "user.enable" : "user.disable",
        entity: "user",
        entityId: user.id,
        wardId: input.wardId,
        before: { active: user.active === 1 },
        after: { active: input.active, sessionsEnded: !input.active },
      },
      now,
    );
    return { ok: true, value: { id: user.id, changed: true } };
  });
}

/**
 * Set a new password for an account (typed and checked against the policy, or generated and returned once).
 * Every session of the account ends, except the administrator's own current one when they reset their own.
 */
export async function resetPassword(
  db: Kysely<Database>,
  actor: Actor,
  input: { wardId: number; userId: number; password: string; currentSessionId?: string | null },
  now: Date,
): Promise<Result<{ id: number; generatedPassword: string | null }>> {
  const user = await q.userOfWard(db, input.wardId, input.userId);
  if (!user) return USER_NOT_FOUND;
  const chosen = choosePassword(input.password, user.username);
  if (typeof chosen === "string") return invalid({ password: chosen });
  const hash = await hashPassword(chosen.password);
  const own = user.id === actor.userId && input.currentSessionId ? input.currentSessionId : null;
  await db.transaction().execute(async (trx) => {
    await q.updateUser(trx, user.id, { password_hash: hash });
    await deleteUserSessions(trx, user.id, own);
    await audit(
      trx,
      actor,
      {
        action: "user.password_reset",
        entity: "user",
        entityId: user.id,
        wardId: input.wardId,
        // Never the password or its hash: only that it changed, and how.
        after: { passwordChanged: true, generated: chosen.generated, sessionsEnded: true },
      },
      now,
    );
  });
  return { ok: true, value: { id: user.id, generatedPassword: chosen.generated ? chosen.password : null } };
}

const ssoEmailSchema = z.preprocess(
  (v) => (typeof v === "string" ? normalEmail(v) : v),
  z.union([
    z.literal(""),
    z
      .string()
      .max(254, "Địa chỉ thư điện tử dài tối đa 254 ký tự.")
      .regex(/^[^@\s]+@[^@\s]+\.[^@\s]+$/, "Hãy nhập một địa chỉ thư điện tử, ví dụ nguyenvana@quangngai.gov.vn."),
  ]),
);

/**
 * Grant (or withdraw, with an empty e-mail) single sign-on to an account of the ward: the person whose e-mail the
 * province's provider verifies as this one signs in as this account, with the role and unit the portal gives it.
 * A changed e-mail forgets the identities bound with the old one. One e-mail, one account across the deployment.
 */
export async function setAccountSso(
  db: Kysely<Database>,
  actor: Actor,
  input: { wardId: number; userId: number; email: string },
  now: Date,
): Promise<Result<{ id: number; changed: boolean }>> {
  const v = validate(z.object({ ssoEmail: ssoEmailSchema }), { ssoEmail: input.email });
  if (!v.ok) return invalid(v.errors);
  const email = v.value.ssoEmail || null;
  return inTransaction(db, async (trx): Promise<Result<{ id: number; changed: boolean }>> => {
    const user = await q.userOfWard(trx, input.wardId, input.userId);
    if (!user) return USER_NOT_FOUND;
    if (user.sso_email === email) return { ok: true, value: { id: user.id, changed: false } };
    if (email) {
      const holder = await q.userBySsoEmail(trx, email);
      if (holder && holder.id !== user.id)
        return {
          ok: false,
          status: 409,
          errors: { ssoEmail: "Địa chỉ thư điện tử này đã được cấp cho một tài khoản khác." },
        };
    }
    await q.updateUser(trx, user.id, { sso_email: email });
    const unbound = await q.unbindSso(trx, user.id);
    await audit(
      trx,
      actor,
      {
        action: "user.sso",
        entity: "user",
        entityId: user.id,
        wardId: input.wardId,
        before: { ssoEmail: user.sso_email },
        after: { ssoEmail: email, identitiesUnbound: unbound },
      },
      now,
    );
    return { ok: true, value: { id: user.id, changed: true } };
  });
}

/** A free username for a person known by their e-mail: its local part without marks ("nguyen.van.a"), then -2, -3… */
async function usernameForEmail(db: Kysely<Database>, email: string): Promise<string> {
  const local = (email.split("@")[0] ?? "")
    .normalize("NFD")
    .replace(/\p{M}/gu, "")
    .replace(/đ/g, "d")
    .replace(/[^a-z0-9._-]+/g, "-")
    .replace(/^[._-]+|[._-]+$/g, "")
    .slice(0, 34);
  const base = local.length >= 3 ? local : `sso-${local || "canbo"}`;
  for (let n = 1; ; n++) {
    const candidate = n === 1 ? base : `${base}-${n}`;
    if (!(await q.userByUsername(db, candidate))) return candidate;
  }
}

/**
 * Grant single sign-on to a person of the ward by their e-mail at the province's provider, with a role and unit of
 * the portal (the command line's `grant-sso`, for an IT centre granting many): the account holding the e-mail gets
 * the role and unit (`changeAccount`), or a new account is made for it (`createAccount`, a generated password nobody
 * is shown: the person signs in through the provider; an administrator may reset one later) and granted the e-mail
 * (`setAccountSso`), in one transaction. The same validation and audit records as the administrator's pages.
 */
export async function grantSsoAccount(
  db: Kysely<Database>,
  actor: Actor,
  input: {
    wardId: number;
    email: string;
    role: string;
    orgUnitId: number | null;
    username?: string | null;
    displayName?: string | null;
  },
  now: Date,
): Promise<Result<{ id: number; username: string; outcome: "created" | "changed" | "unchanged" }>> {
  const v = validate(z.object({ ssoEmail: ssoEmailSchema }), { ssoEmail: input.email });
  if (!v.ok) return invalid(v.errors);
  const email = v.value.ssoEmail;
  if (!email) return invalid({ ssoEmail: "Cần địa chỉ thư điện tử của người được cấp quyền." });
  const holder = await q.userBySsoEmail(db, email);
  if (holder && holder.ward_id !== input.wardId)
    return {
      ok: false,
      status: 409,
      errors: { ssoEmail: "Địa chỉ thư điện tử này đã được cấp cho một tài khoản khác." },
    };
  if (holder) {
    const user = await q.userOfWard(db, input.wardId, holder.id);
    if (!user) return USER_NOT_FOUND;
    const before = JSON.stringify([user.role, user.org_unit_id]);
    const r = await changeAccount(
      db,
      actor,
      {
        wardId: input.wardId,
        userId: user.id,
        displayName: input.displayName?.trim() || user.display_name,
        role: input.role,
        orgUnitId: input.orgUnitId,
      },
      now,
    );
    if (!r.ok) return r;
    const after = JSON.stringify([input.role, input.orgUnitId]);
    return {
      ok: true,
      value: { id: user.id, username: user.username, outcome: before === after ? "unchanged" : "changed" },
    };
  }
  const username = input.username?.trim() || (await usernameForEmail(db, email));
  return inTransaction(db, async (trx) => {
    const created = await createAccount(
      trx,
      actor,
      {
        wardId: input.wardId,
        username,
        displayName: input.displayName?.trim() || email.split("@")[0] || "",
        role: input.role,
        orgUnitId: input.orgUnitId,
        password: "",
      },
      now,
    );
    if (!created.ok) return created;
    const granted = await setAccountSso(trx, actor, { wardId: input.wardId, userId: created.value.id, email }, now);
    // Nothing half done: a refusal here (the e-mail taken meanwhile) takes the new account back.
    if (!granted.ok) throw new GrantRefused(granted);
    return { ok: true as const, value: { id: created.value.id, username, outcome: "created" as const } };
  }).catch((e) => {
    if (e instanceof GrantRefused) return e.failure;
    throw e;
  });
}

class GrantRefused extends Error {
  constructor(readonly failure: Failure) {
    super("grant refused");
  }
}
