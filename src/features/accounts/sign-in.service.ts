/**
 * Finishing a sign-in, whatever proved who the person is (the password here; the province's single sign-on later):
 * the second-factor gate, then the session. Every way in calls `finishSignIn`, so none can skip the second factor.
 *
 * An account with a second factor gets no session yet: a sign-in in progress (core/auth/sessions.ts
 * `createPendingSignIn`, ten minutes, its own cookie) that only the code page accepts. An account whose role needs a
 * second factor (TOTP_REQUIRED_ROLES) and has none gets one that only the set-up page accepts. Each step is audited.
 */
import type { Kysely } from "kysely";
import { type Actor, audit } from "../../core/audit.ts";
import type { Role } from "../../core/auth/roles.ts";
import {
  createPendingSignIn,
  createSession,
  endPendingSignIn,
  endSession,
  type PendingSignIn,
  type SessionPolicy,
} from "../../core/auth/sessions.ts";
import type { Database, User } from "../../core/db/schema.ts";
import { inTransaction } from "../../core/db/transaction.ts";
import {
  auditFailure,
  checkSecondFactor,
  confirmEnrolment,
  type Result,
  secondFactorRequired,
  tooManyCodes,
  WRONG_CODE_OR_RECOVERY,
} from "./second-factor.service.ts";
import * as q from "./second-factor.sql.ts";

type Db = Kysely<Database>;

/** How the person proved who they are. */
export type SignInMethod = "password" | "oidc";

/**
 * Where a verified person goes next: `signed_in` with a session token (the staff cookie), or a sign-in in progress
 * (its own cookie) that waits for the code (`second_factor`) or for setting a second factor up (`enrol`).
 */
export type SignInOutcome =
  | { step: "signed_in"; token: string }
  | { step: "second_factor"; token: string }
  | { step: "enrol"; token: string };

/** How the person of a sign-in in progress proved who they are: the provider's ID token came with it, or not. */
const methodOf = (pending: PendingSignIn): SignInMethod => (pending.ssoIdToken ? "oidc" : "password");

const actorOfUser = (user: User): Actor => ({ userId: user.id, name: user.username, wardId: user.ward_id });

/**
 * The person is verified as this (active) account: apply the second-factor gate, then open the session. The one
 * function every sign-in method calls after its own check (accounts.service.ts `logIn` for passwords).
 */
export async function finishSignIn(
  db: Db,
  user: User,
  ctx: {
    method: SignInMethod;
    policy: SessionPolicy;
    totpRequiredRoles?: readonly Role[];
    now: Date;
    /** The provider's ID token of a single sign-on: kept with the session (server-side) for signing out there. */
    ssoIdToken?: string | null;
  },
): Promise<SignInOutcome> {
  const { now, method } = ctx;
  const idToken = ctx.ssoIdToken ?? null;
  const entry = { entity: "user", entityId: user.id, after: { method } };
  if (user.totp_secret) {
    const { token } = await createPendingSignIn(db, user.id, "pending", now, idToken);
    await audit(db, actorOfUser(user), { action: "session.second_factor_asked", ...entry }, now);
    return { step: "second_factor", token };
  }
  if (secondFactorRequired(user.role, ctx.totpRequiredRoles)) {
    const { token } = await createPendingSignIn(db, user.id, "enrol", now, idToken);
    await audit(db, actorOfUser(user), { action: "session.second_factor_enrol_required", ...entry }, now);
    return { step: "enrol", token };
  }
  const { token } = await createSession(db, user.id, ctx.policy, now, "not_required", idToken);
  await audit(db, actorOfUser(user), { action: "session.login", ...entry }, now);
  return { step: "signed_in", token };
}

/**
 * The second step of a sign-in: the app's code (or a recovery code, then used up) turns the sign-in in progress into
 * a session. Wrong codes are throttled and audited; the sign-in in progress is finished by one request only.
 */
export async function completeSecondFactor(
  db: Db,
  pending: PendingSignIn,
  input: { code: string; ip: string },
  policy: SessionPolicy,
  now: Date,
): Promise<Result<{ token: string; recoveryCodeUsed: boolean; recoveryCodesLeft: number }>> {
  const { user } = pending;
  const actor = actorOfUser(user);
  const check = await checkSecondFactor(db, user, { code: input.code, ip: input.ip, allowRecovery: true }, now);
  if (!check.ok) {
    await auditFailure(db, actor, user, "sign_in", now);
    return check.reason === "throttled"
      ? { ok: false, status: 429, errors: { code: tooManyCodes(check.wait) }, wait: check.wait }
      : { ok: false, status: 400, errors: { code: WRONG_CODE_OR_RECOVERY } };
  }
  if (!(await endPendingSignIn(db, pending.id)))
    return { ok: false, status: 409, errors: { code: "Phiên đăng nhập này đã kết thúc. Hãy đăng nhập lại." } };
  const recoveryCodesLeft = check.kind === "recovery" ? await q.unusedRecoveryCodes(db, user.id) : -1;
  const { token } = await createSession(db, user.id, policy, now, "passed", pending.ssoIdToken);
  await db.transaction().execute(async (trx) => {
    if (check.kind === "recovery")
      await audit(
        trx,
        actor,
        { action: "user.totp_recovery_used", entity: "user", entityId: user.id, after: { left: recoveryCodesLeft } },
        now,
      );
    await audit(
      trx,
      actor,
      {
        action: "session.login",
        entity: "user",
        entityId: user.id,
        after: { method: methodOf(pending), secondFactor: check.kind },
      },
      now,
    );
  });
  return { ok: true, value: { token, recoveryCodeUsed: check.kind === "recovery", recoveryCodesLeft } };
}

/**
 * Setting up a second factor a role needs, as the last step of its sign-in: the confirming code switches it on, and
 * the sign-in in progress becomes a session. Returns the recovery codes, to be shown once.
 */
export async function completeEnrolment(
  db: Db,
  pending: PendingSignIn,
  input: { code: string },
  policy: SessionPolicy,
  now: Date,
): Promise<Result<{ token: string; recoveryCodes: string[] }>> {
  const { user } = pending;
  const r = await confirmEnrolment(
    db,
    actorOfUser(user),
    { userId: user.id, code: input.code, keepSession: pending.id },
    now,
  );
  if (!r.ok) return r;
  if (!(await endPendingSignIn(db, pending.id)))
    return { ok: false, status: 409, errors: { code: "Phiên đăng nhập này đã kết thúc. Hãy đăng nhập lại." } };
  const { token } = await createSession(db, user.id, policy, now, "passed", pending.ssoIdToken);
  await audit(
    db,
    actorOfUser(user),
    {
      action: "session.login",
      entity: "user",
      entityId: user.id,
      after: { method: methodOf(pending), secondFactor: "enrolled" },
    },
    now,
  );
  return { ok: true, value: { token, recoveryCodes: r.value.recoveryCodes } };
}

/**
 * Signing out: the session ends and the audit log says who left and how they had signed in, in one transaction. A
 * cookie of a session already gone (expired, or ended in another tab) ends nothing and records nothing.
 */
export async function signOut(
  db: Kysely<Database>,
  token: string,
  user: User | null,
  now: Date,
): Promise<{ ssoIdToken: string | null } | null> {
  return inTransaction(db, async (trx) => {
    const ended = await endSession(trx, token);
    if (ended && user) {
      const after = { method: ended.ssoIdToken ? "oidc" : "local" };
      await audit(trx, actorOfUser(user), { action: "session.logout", entity: "user", entityId: user.id, after }, now);
    }
    return ended;
  });
}
