/**
 * Staff sessions stored in the database: the cookie holds a random token, the table only its SHA-256,
 * so a leaked database or log gives no usable session. A new session id at every login; logout deletes it.
 */
import { createHash, randomBytes } from "node:crypto";
import type { Kysely } from "kysely";
import type { Database, User } from "../db/schema.ts";
import { usernameKey } from "./login-throttle.ts";

export interface SessionPolicy {
  absoluteHours: number;
  idleMinutes: number;
}

export interface ActiveSession {
  id: string;
  csrfToken: string;
  user: User;
}

const tokenHash = (token: string) => createHash("sha256").update(token).digest("hex");

/** How a session was opened: without a second factor (none asked of the account), or after one. */
export type SecondFactor = "not_required" | "passed";

/** Open a session for a user; returns the token to put in the cookie (never stored or logged as is). */
export async function createSession(
  db: Kysely<Database>,
  userId: number,
  policy: SessionPolicy,
  now: Date,
  secondFactor: SecondFactor = "not_required",
  ssoIdToken: string | null = null,
) {
  // A sign-in still waiting for its second factor is no session: see createPendingSignIn.
  return insertSessionRow(db, userId, secondFactor, now, policy.absoluteHours * 3600_000, ssoIdToken);
}

/**
 * A new row of `sessions` in a state, living `lifeMs`; returns its cookie token (only its hash is stored). A session
 * opened through the province's single sign-on keeps the provider's ID token, for signing out there too.
 */
async function insertSessionRow(
  db: Kysely<Database>,
  userId: number,
  state: string,
  now: Date,
  lifeMs: number,
  ssoIdToken: string | null,
) {
  const token = randomBytes(32).toString("base64url");
  const csrfToken = randomBytes(24).toString("base64url");
  await db
    .insertInto("sessions")
    .values({
      id: tokenHash(token),
      user_id: userId,
      csrf_token: csrfToken,
      created_at: now.toISOString(),
      last_seen_at: now.toISOString(),
      expires_at: new Date(now.getTime() + lifeMs).toISOString(),
      second_factor: state,
      sso_id_token: ssoIdToken,
    })
    .execute();
  return { token, csrfToken };
}

/** The live session for a cookie token, or null when unknown, expired (absolute or idle) or its account is disabled. */
export async function findSession(
  db: Kysely<Database>,
  token: string,
  policy: SessionPolicy,
  now: Date,
): Promise<ActiveSession | null> {
  const id = tokenHash(token);
  const row = await db
    .selectFrom("sessions")
    .innerJoin("users", "users.id", "sessions.user_id")
    .selectAll("users")
    .select([
      "sessions.id as session_id",
      "sessions.csrf_token",
      "sessions.expires_at",
      "sessions.last_seen_at",
      "sessions.second_factor",
    ])
    .where("sessions.id", "=", id)
    .executeTakeFirst();
  if (!row) return null;
  const idleLimit = new Date(row.last_seen_at).getTime() + policy.idleMinutes * 60_000;
  if (
    now.toISOString() >= row.expires_at ||
    now.getTime() >= idleLimit ||
    row.active !== 1 ||
    !SESSION_STATES.has(row.second_factor)
  ) {
    if (SESSION_STATES.has(row.second_factor)) await db.deleteFrom("sessions").where("id", "=", id).execute();
    return null;
  }
  // Touch at most once a minute: enough for idle expiry, without a write on every request.
  if (now.getTime() - new Date(row.last_seen_at).getTime() > 60_000) {
    await db.updateTable("sessions").set({ last_seen_at: now.toISOString() }).where("id", "=", id).execute();
  }
  const { session_id, csrf_token, expires_at: _e, last_seen_at: _l, second_factor: _s, ...user } = row;
  return { id: session_id, csrfToken: csrf_token, user };
}

const SESSION_STATES = new Set<string>(["not_required", "passed"] satisfies SecondFactor[]);

/**
 * A sign-in in progress: the password (or the province's sign-on) proved who it is, and the second factor is still
 * to come: "pending" asks for the code, "enrol" for setting one up (a role that needs it). Kept as a short-lived row
 * of `sessions` that `findSession` never accepts, under its own cookie; it lives PENDING_SIGN_IN_MINUTES.
 */
export type SignInStep = "pending" | "enrol";

/** How long a sign-in may wait for its second factor (enough to find the phone, or scan a code and type one). */
export const PENDING_SIGN_IN_MINUTES = 10;

/** Open a sign-in in progress; returns the token for its own cookie and the CSRF token of its forms. */
export function createPendingSignIn(
  db: Kysely<Database>,
  userId: number,
  step: SignInStep,
  now: Date,
  ssoIdToken: string | null = null,
) {
  return insertSessionRow(db, userId, step, now, PENDING_SIGN_IN_MINUTES * 60_000, ssoIdToken);
}

export interface PendingSignIn {
  /** The row's id (the token's hash): what `endPendingSignIn` takes. */
  id: string;
  csrfToken: string;
  step: SignInStep;
  user: User;
  /** The provider's ID token when the person came through the single sign-on, for the session it becomes. */
  ssoIdToken: string | null;
}

/** The sign-in in progress for a cookie token, or null when unknown, expired, or its account is disabled. */
export async function findPendingSignIn(db: Kysely<Database>, token: string, now: Date): Promise<PendingSignIn | null> {
  const id = tokenHash(token);
  const row = await db
    .selectFrom("sessions")
    .innerJoin("users", "users.id", "sessions.user_id")
    .selectAll("users")
    .select([
      "sessions.id as session_id",
      "sessions.csrf_token",
      "sessions.expires_at",
      "sessions.second_factor",
      "sessions.sso_id_token",
    ])
    .where("sessions.id", "=", id)
    .where("sessions.second_factor", "in", ["pending", "enrol"])
    .executeTakeFirst();
  if (!row) return null;
  if (now.toISOString() >= row.expires_at || row.active !== 1) {
    await db.deleteFrom("sessions").where("id", "=", id).execute();
    return null;
  }
  const { session_id, csrf_token, expires_at: _e, second_factor, sso_id_token, ...user } = row;
  return { id: session_id, csrfToken: csrf_token, step: second_factor as SignInStep, user, ssoIdToken: sso_id_token };
}

/** End a sign-in in progress (done, or abandoned); true when it was still there (so only one request finishes it). */
export async function endPendingSignIn(db: Kysely<Database>, id: string): Promise<boolean> {
  const r = await db
    .deleteFrom("sessions")
    .where("id", "=", id)
    .where("second_factor", "in", ["pending", "enrol"])
    .executeTakeFirst();
  return Number(r.numDeletedRows) === 1;
}

export async function deleteSession(db: Kysely<Database>, token: string): Promise<void> {
  await db.deleteFrom("sessions").where("id", "=", tokenHash(token)).execute();
}

/**
 * Sign out: delete the session of a cookie token and return what it held for the provider's sign-out (the ID token
 * of a single sign-on; null for a password's session), or null when there was no such session.
 */
export async function endSession(db: Kysely<Database>, token: string): Promise<{ ssoIdToken: string | null } | null> {
  const row = await db
    .deleteFrom("sessions")
    .where("id", "=", tokenHash(token))
    .where("second_factor", "in", [...SESSION_STATES])
    .returning("sso_id_token")
    .executeTakeFirst();
  return row ? { ssoIdToken: row.sso_id_token } : null;
}

/** End every session of a user, except `keep` (an administrator's own, when they reset their own password). */
export async function deleteUserSessions(db: Kysely<Database>, userId: number, keep?: string | null): Promise<void> {
  let q = db.deleteFrom("sessions").where("user_id", "=", userId);
  if (keep) q = q.where("id", "<>", keep);
  await q.execute();
}

/** The history of login attempts (who tried which account from where); throttling is login-throttle.ts. */
export async function recordLoginAttempt(db: Kysely<Database>, username: string, ip: string, ok: boolean, now: Date) {
  await db
    .insertInto("login_attempts")
    .values({ username_key: usernameKey(username), ip, at: now.toISOString(), ok: ok ? 1 : 0 })
    .execute();
}
