/**
 * A staff account's second factor (issue 12 §8): a time-based one-time password from a phone app, with ten recovery
 * codes for a lost phone. Set up by the account itself (the secret shown, a code from it confirms it, the recovery
 * codes shown once); switched off or given new recovery codes only with a current code; reset by a ward's
 * administrator for an account of that ward (audited). Wrong codes count against the login throttle
 * (core/auth/login-throttle.ts) under their own key, so guessing codes slows down as guessing passwords does.
 *
 * The secret is kept as is in `users.totp_secret`: the portal has no key kept apart from its database (its other
 * secrets, like the public forms' signing key, live in the database too), so encrypting it with a key stored beside
 * it would protect nothing. A deployment that wants it encrypted needs a key from the environment first.
 */
import type { Kysely } from "kysely";
import { type Actor, audit } from "../../core/audit.ts";
import { claimLoginAttempt, loginSucceeded } from "../../core/auth/login-throttle.ts";
import type { Role } from "../../core/auth/roles.ts";
import { deleteUserSessions } from "../../core/auth/sessions.ts";
import {
  acceptedStep,
  newRecoveryCodes,
  newTotpSecret,
  RECOVERY_CODE_COUNT,
  recoveryCodeHash,
} from "../../core/auth/totp.ts";
import type { Database } from "../../core/db/schema.ts";
import type { FieldErrors } from "../../core/web/validation.ts";
import * as users from "./accounts.sql.ts";
import * as q from "./second-factor.sql.ts";

type Db = Kysely<Database>;
type Failure = { ok: false; status: 400 | 404 | 409 | 429; errors: FieldErrors; wait?: number };
export type Result<T> = { ok: true; value: T } | Failure;

export const WRONG_CODE = "Mã xác thực không đúng hoặc đã được dùng. Hãy nhập mã đang hiện trong ứng dụng xác thực.";
export const WRONG_CODE_OR_RECOVERY =
  "Mã xác thực không đúng hoặc đã được dùng. Hãy nhập mã đang hiện trong ứng dụng xác thực, hoặc một mã khôi phục chưa dùng.";
/** A wait in words: "45 giây", "4 phút". */
export const waitText = (seconds: number) => (seconds < 90 ? `${seconds} giây` : `${Math.ceil(seconds / 60)} phút`);
export const tooManyCodes = (wait: number) => `Nhập sai mã nhiều lần. Vui lòng chờ ${waitText(wait)} rồi thử lại.`;

/** The throttle's account key for codes, apart from the password's: a wrong code never slows the password down. */
const throttleKey = (username: string) => `2fa:${username}`;

export type CodeCheck =
  | { ok: true; kind: "totp" | "recovery" }
  | { ok: false; reason: "invalid" }
  | { ok: false; reason: "throttled"; wait: number };

/**
 * Check a code of an account whose second factor is on: its app's code for a step not used before (±1 step), or,
 * when `allowRecovery`, one of its unused recovery codes (then used up). Throttled per account and address.
 */
export async function checkSecondFactor(
  db: Db,
  user: { id: number; username: string },
  input: { code: string; ip: string; allowRecovery: boolean },
  now: Date,
): Promise<CodeCheck> {
  const claim = await claimLoginAttempt(db, throttleKey(user.username), input.ip, now);
  if (!claim.ok) return { ok: false, reason: "throttled", wait: claim.wait };
  const row = await q.totpOf(db, user.id);
  let kind: "totp" | "recovery" | null = null;
  if (row?.totp_secret) {
    const step = acceptedStep(row.totp_secret, input.code, now, row.totp_last_step);
    if (step != null && (await q.takeStep(db, user.id, step, row.totp_last_step))) kind = "totp";
    else if (input.allowRecovery) {
      const hash = recoveryCodeHash(user.id, input.code);
      if (hash && (await q.useRecoveryCode(db, user.id, hash, now))) kind = "recovery";
    }
  }
  if (!kind) return { ok: false, reason: "invalid" };
  await loginSucceeded(db, throttleKey(user.username), input.ip);
  return { ok: true, kind };
}

/** The answer to a wrong or throttled code, for a form whose code field is `field`. */
function codeFailure(check: Exclude<CodeCheck, { ok: true }>, field: string, message = WRONG_CODE): Failure {
  return check.reason === "throttled"
    ? { ok: false, status: 429, errors: { [field]: tooManyCodes(check.wait) }, wait: check.wait }
    : { ok: false, status: 400, errors: { [field]: message } };
}

export interface SecondFactorView {
  enabled: boolean;
  enabledAt: string | null;
  unusedRecoveryCodes: number;
  /** The secret to set up, while the second factor is off (kept until confirmed, so reloading shows the same). */
  pendingSecret: string | null;
  /** Whether the account's role needs a second factor (TOTP_REQUIRED_ROLES): then it cannot be switched off. */
  required: boolean;
}

/** Whether accounts of this role must use a second factor. */
export const secondFactorRequired = (role: string, requiredRoles: readonly Role[] | undefined) =>
  (requiredRoles ?? []).includes(role as Role);

/** An account's second factor as its page shows it; a secret to set up is made when it has none. */
export async function secondFactorOf(
  db: Db,
  userId: number,
  requiredRoles?: readonly Role[],
): Promise<SecondFactorView> {
  const row = await q.totpOf(db, userId);
  if (!row) throw new Error(`no account ${userId}`);
  const enabled = row.totp_secret != null;
  return {
    enabled,
    enabledAt: row.totp_enabled_at,
    unusedRecoveryCodes: enabled ? await q.unusedRecoveryCodes(db, userId) : 0,
    pendingSecret: enabled
      ? null
      : (row.totp_pending_secret ?? (await q.keepPendingSecret(db, userId, newTotpSecret()))),
    required: secondFactorRequired(row.role, requiredRoles),
  };
}

/** New recovery codes for an account: kept as hashes, returned to be shown once. */
async function freshRecoveryCodes(db: Db, userId: number, now: Date): Promise<string[]> {
  const codes = newRecoveryCodes();
  const hashes = codes.map((c) => recoveryCodeHash(userId, c) as string);
  await q.replaceRecoveryCodes(db, userId, hashes, now);
  return codes;
}

/**
 * Switch the second factor on: a code from the secret shown confirms the phone has it. Returns the recovery codes,
 * to be shown once. The account's other sessions end (they were opened without the second factor), except `keep`.
 */
export async function confirmEnrolment(
  db: Db,
  actor: Actor,
  input: { userId: number; code: string; keepSession?: string | null },
  now: Date,
): Promise<Result<{ recoveryCodes: string[] }>> {
  const row = await q.totpOf(db, input.userId);
  if (!row) return { ok: false, status: 404, errors: { _: "Không tìm thấy tài khoản." } };
  if (row.totp_secret) return { ok: false, status: 409, errors: { _: "Xác thực hai bước đã được bật." } };
  const secret = row.totp_pending_secret;
  const step = secret ? acceptedStep(secret, input.code, now, null) : null;
  if (!secret || step == null)
    return {
      ok: false,
      status: 400,
      errors: { code: "Mã không đúng. Hãy nhập mã 6 chữ số đang hiện trong ứng dụng." },
    };
  return db.transaction().execute(async (trx) => {
    await q.switchOn(trx, row.id, secret, step, now);
    const recoveryCodes = await freshRecoveryCodes(trx, row.id, now);
    await deleteUserSessions(trx, row.id, input.keepSession);
    await audit(
      trx,
      actor,
      {
        action: "user.totp_enable",
        entity: "user",
        entityId: row.id,
        wardId: row.ward_id,
        after: { secondFactor: "totp", recoveryCodes: RECOVERY_CODE_COUNT, otherSessionsEnded: true },
      },
      now,
    );
    return { ok: true as const, value: { recoveryCodes } };
  });
}

/** Switch the account's own second factor off, with a current code; refused when its role needs one. */
export async function disableSecondFactor(
  db: Db,
  actor: Actor,
  input: { user: { id: number; username: string; role: string; ward_id: number }; code: string; ip: string },
  requiredRoles: readonly Role[] | undefined,
  now: Date,
): Promise<Result<{ id: number }>> {
  const { user } = input;
  if (secondFactorRequired(user.role, requiredRoles))
    return {
      ok: false,
      status: 409,
      errors: { _: "Vai trò của bạn bắt buộc dùng xác thực hai bước (theo cấu hình hệ thống): không tắt được." },
    };
  const check = await checkSecondFactor(db, user, { code: input.code, ip: input.ip, allowRecovery: false }, now);
  if (!check.ok) {
    await auditFailure(db, actor, user, "disable", now);
    return codeFailure(check, "code");
  }
  await db.transaction().execute(async (trx) => {
    await q.switchOff(trx, user.id);
    await audit(
      trx,
      actor,
      {
        action: "user.totp_disable",
        entity: "user",
        entityId: user.id,
        wardId: user.ward_id,
        after: { secondFactor: null },
      },
      now,
    );
  });
  return { ok: true, value: { id: user.id } };
}

/** New recovery codes (the old ones stop working), with a current code; returned to be shown once. */
export async function regenerateRecoveryCodes(
  db: Db,
  actor: Actor,
  input: { user: { id: number; username: string; ward_id: number }; code: string; ip: string },
  now: Date,
): Promise<Result<{ recoveryCodes: string[] }>> {
  const { user } = input;
  const check = await checkSecondFactor(db, user, { code: input.code, ip: input.ip, allowRecovery: false }, now);
  if (!check.ok) {
    await auditFailure(db, actor, user, "recovery_codes", now);
    return codeFailure(check, "code");
  }
  const recoveryCodes = await db.transaction().execute(async (trx) => {
    const codes = await freshRecoveryCodes(trx, user.id, now);
    await audit(
      trx,
      actor,
      {
        action: "user.totp_recovery_codes",
        entity: "user",
        entityId: user.id,
        wardId: user.ward_id,
        after: { recoveryCodes: RECOVERY_CODE_COUNT, oldCodesRevoked: true },
      },
      now,
    );
    return codes;
  });
  return { ok: true, value: { recoveryCodes } };
}

/** A wrong or throttled code, in the audit trail (never the code typed). */
export async function auditFailure(
  db: Db,
  actor: Actor,
  user: { id: number; ward_id: number },
  during: "sign_in" | "disable" | "recovery_codes",
  now: Date,
): Promise<void> {
  await audit(
    db,
    actor,
    { action: "user.totp_failed", entity: "user", entityId: user.id, wardId: user.ward_id, after: { during } },
    now,
  );
}

/**
 * A ward administrator resets the second factor of an account of their ward (a lost phone): its secret and recovery
 * codes are forgotten and its sessions end; it signs in with its password alone, or sets a new one up at once when
 * its role needs one. Not for the administrator's own account, which needs its own code to switch off.
 */
export async function resetSecondFactor(
  db: Db,
  actor: Actor,
  input: { wardId: number; userId: number },
  now: Date,
): Promise<Result<{ id: number; changed: boolean }>> {
  const user = await users.userOfWard(db, input.wardId, input.userId);
  if (!user) return { ok: false, status: 404, errors: { _: "Không tìm thấy tài khoản." } };
  if (user.id === actor.userId)
    return {
      ok: false,
      status: 409,
      errors: { _: "Không tự đặt lại xác thực hai bước của mình ở đây: hãy dùng trang Xác thực hai bước của bạn." },
    };
  if (user.totp_secret == null && user.totp_pending_secret == null)
    return { ok: true, value: { id: user.id, changed: false } };
  await db.transaction().execute(async (trx) => {
    await q.switchOff(trx, user.id);
    await deleteUserSessions(trx, user.id);
    await audit(
      trx,
      actor,
      {
        action: "user.totp_reset",
        entity: "user",
        entityId: user.id,
        wardId: input.wardId,
        before: { secondFactor: user.totp_secret ? "totp" : null },
        after: { secondFactor: null, recoveryCodesRevoked: true, sessionsEnded: true },
      },
      now,
    );
  });
  return { ok: true, value: { id: user.id, changed: true } };
}
