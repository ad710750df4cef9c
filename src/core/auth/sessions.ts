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

/** Open a session for a user; returns the token to put in the cookie (never stored or logged as is). */
export async function createSession(db: Kysely<Database>, userId: number, policy: SessionPolicy, now: Date) {
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
      expires_at: new Date(now.getTime() + policy.absoluteHours * 3600_000).toISOString(),
      // Where a second factor is added, login will set "pending" here and only "passed" grants access.
      second_factor: "not_required",
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
    row.second_factor === "pending"
  ) {
    if (row.second_factor !== "pending") await db.deleteFrom("sessions").where("id", "=", id).execute();
    return null;
  }
  // Touch at most once a minute: enough for idle expiry, without a write on every request.
  if (now.getTime() - new Date(row.last_seen_at).getTime() > 60_000) {
    await db.updateTable("sessions").set({ last_seen_at: now.toISOString() }).where("id", "=", id).execute();
  }
  const { session_id, csrf_token, expires_at: _e, last_seen_at: _l, second_factor: _s, ...user } = row;
  return { id: session_id, csrfToken: csrf_token, user };
}

export async function deleteSession(db: Kysely<Database>, token: string): Promise<void> {
  await db.deleteFrom("sessions").where("id", "=", tokenHash(token)).execute();
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
