/** Staff accounts: create, authenticate, log in and out. */
import type { Kysely } from "kysely";
import { z } from "zod";
import { type Actor, audit } from "../../core/audit.ts";
import { claimLoginAttempt, loginSucceeded } from "../../core/auth/login-throttle.ts";
import { NATION, unitOwner } from "../../core/auth/owners.ts";
import { hashPassword, passwordProblem, randomPassword, verifyPassword } from "../../core/auth/passwords.ts";
import { PROVINCE_ROLES, ROLES, type Role, WARD_ROLES } from "../../core/auth/roles.ts";
import { recordLoginAttempt, type SessionPolicy } from "../../core/auth/sessions.ts";
import type { Database } from "../../core/db/schema.ts";
import { inTransaction } from "../../core/db/transaction.ts";
import { nfc, squash } from "../../core/text/vi.ts";
import { type Validated, validate } from "../../core/web/validation.ts";
import * as q from "./accounts.sql.ts";
import { finishSignIn, type SignInOutcome } from "./sign-in.service.ts";

export const newUserSchema = z.object({
  username: z
    .string({ error: "Cần tên đăng nhập." })
    .trim()
    .toLowerCase()
    .regex(
      /^[a-z0-9._-]{3,40}$/,
      "Tên đăng nhập gồm 3–40 ký tự: chữ không dấu, số, dấu chấm, gạch ngang hoặc gạch dưới.",
    ),
  displayName: z
    .string({ error: "Cần họ tên." })
    .transform((s) => squash(nfc(s)))
    .pipe(z.string().min(2, "Cần họ tên.").max(100, "Họ tên dài tối đa 100 ký tự.")),
  password: z.string({ error: "Cần mật khẩu." }),
  role: z.enum(Object.keys(ROLES) as [Role, ...Role[]], { error: "Vai trò không hợp lệ." }),
  orgUnitId: z.number().int().positive().nullable().default(null),
  /** The account's unit: a ward, or a province for a province user (its department, if any, is `orgUnitId`). */
  wardId: z.number().int().positive(),
  /**
   * A deployment operator besides its role in its ward: changes the national records (core/auth/owners.ts). Only
   * the first start, the first-run setup and the command line set it; no staff form does.
   */
  operator: z.boolean().default(false),
});
export type NewUser = z.input<typeof newUserSchema>;

/**
 * Create a staff account; the password policy and the officer-needs-a-unit rule are checked here. Given a
 * transaction, it writes in it (a caller making the account's unit in the same action: province-accounts.service.ts).
 */
export async function createUser(
  db: Kysely<Database>,
  actor: Actor,
  input: NewUser,
  now: Date,
): Promise<Validated<{ id: number }>> {
  const v = validate(newUserSchema, input);
  if (!v.ok) return v;
  const u = v.value;
  const problem = passwordProblem(u.password, u.username);
  if (problem) return { ok: false, errors: { password: problem } };
  const level = await q.levelOfUnit(db, u.wardId);
  if (level !== "province" && level !== "commune")
    return { ok: false, errors: { wardId: "Tài khoản phải thuộc một xã, phường hoặc một tỉnh, thành phố." } };
  const province = level === "province";
  if (province && !Object.hasOwn(PROVINCE_ROLES, u.role))
    return {
      ok: false,
      errors: {
        role: "Tài khoản cấp tỉnh chỉ có vai trò lãnh đạo (leader), chuyên viên (coordinator) hoặc chỉ xem (viewer).",
      },
    };
  if (!province && !WARD_ROLES.includes(u.role))
    return {
      ok: false,
      errors: { role: "Vai trò chỉ xem (cấp trên) nay là tài khoản cấp tỉnh: hãy tạo tài khoản của tỉnh." },
    };
  if (province && u.operator)
    return { ok: false, errors: { operator: "Người vận hành hệ thống là tài khoản của một xã, phường." } };
  if (u.role === "officer" && !u.orgUnitId)
    return { ok: false, errors: { orgUnitId: "Cán bộ đơn vị cần thuộc một đơn vị." } };
  if (u.orgUnitId && !(await q.orgUnitBelongsTo(db, u.orgUnitId, u.wardId)))
    return { ok: false, errors: { orgUnitId: "Đơn vị không thuộc xã, phường hoặc tỉnh của tài khoản." } };
  const existing = await q.userByUsername(db, u.username);
  if (existing) return { ok: false, errors: { username: "Tên đăng nhập này đã có người dùng." } };
  const hash = await hashPassword(u.password);
  const id = await inTransaction(db, async (trx) => {
    const userId = await q.insertUser(trx, {
      ward_id: u.wardId,
      username: u.username,
      display_name: u.displayName,
      password_hash: hash,
      role: u.role,
      org_unit_id: u.orgUnitId,
      active: 1,
      totp_secret: null,
      created_at: now.toISOString(),
      // A province's account holds its province's scope: it reads the wards under it, changes its own level's records.
      owner_scope: province ? unitOwner(u.wardId) : u.operator ? NATION : null,
    });
    await audit(
      trx,
      actor,
      {
        action: "user.create",
        entity: "user",
        entityId: userId,
        wardId: u.wardId,
        after: { username: u.username, role: u.role, orgUnitId: u.orgUnitId, operator: u.operator, province },
      },
      now,
    );
    return userId;
  });
  return { ok: true, value: { id } };
}

export type LoginResult =
  | { ok: true; outcome: SignInOutcome; userId: number }
  | { ok: false; reason: "invalid" }
  | { ok: false; reason: "throttled"; wait: number };

/**
 * Check a username and password and open a session. The same answer for an unknown user and a wrong password,
 * so accounts cannot be enumerated. Each attempt is first claimed against the throttle (per account, per address and
 * per pair, with growing waits: login-throttle.ts); the real user from an address without failures is never held back.
 * A right password then goes through `finishSignIn` (the second factor, then the session).
 */
export async function logIn(
  db: Kysely<Database>,
  input: { username: string; password: string; ip: string },
  policy: SessionPolicy,
  now: Date,
  totpRequiredRoles?: readonly Role[],
): Promise<LoginResult> {
  const username = input.username.trim().toLowerCase().slice(0, 100);
  const claim = await claimLoginAttempt(db, username, input.ip, now);
  if (!claim.ok) return { ok: false, reason: "throttled", wait: claim.wait };
  const user = await q.userByUsername(db, username);
  // Verify against a real hash even for unknown users, so timing does not reveal which accounts exist.
  let ok = false;
  if (user) ok = await verifyPassword(user.password_hash, input.password);
  else await verifyPassword(await dummyHash(), input.password);
  await recordLoginAttempt(db, username, input.ip, ok && user?.active === 1, now);
  if (!user || !ok || user.active !== 1) return { ok: false, reason: "invalid" };
  await loginSucceeded(db, username, input.ip);
  const outcome = await finishSignIn(db, user, { method: "password", policy, totpRequiredRoles, now });
  return { ok: true, outcome, userId: user.id };
}

let dummy: Promise<string> | null = null;
/** A real argon2id hash of a random password, made once, so an unknown username costs the same time as a known one. */
const dummyHash = () => {
  dummy ??= hashPassword(randomPassword());
  return dummy;
};

/** The ward's users by username. */
export function listUsers(db: Kysely<Database>, wardId: number) {
  return q.usersOfWard(db, wardId);
}
