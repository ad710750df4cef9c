/**
 * Failed-login throttling that slows guessing without ever locking the real user out.
 *
 * Three counters, each a row of `login_throttle`: the pair (this account from this address), the address (any
 * account) and the account (any address). Each failure past a counter's free allowance makes the next attempt under
 * it wait longer (1 s, 2 s, 4 s … up to a cap); nothing is ever locked. The account counter is a ceiling on
 * distributed guessing: it delays only addresses that have already failed on that account, so a correct password
 * from an address without failures still works at once, however many addresses are guessing.
 *
 * An attempt claims its place before its password is checked: every counter is moved by one conditional UPDATE
 * (compare-and-set on the row as read, and only when its wait has passed), all in one transaction, so parallel
 * attempts are each counted and none slips past a wait. A correct password then gives its claim back.
 */
import { createHash } from "node:crypto";
import type { Kysely, Transaction } from "kysely";
import type { Database } from "../db/schema.ts";
import { fold } from "../text/vi.ts";

type Db = Kysely<Database>;

export interface ThrottleRule {
  /** Failures that cost nothing (a user mistyping). */
  free: number;
  /** The longest wait between two attempts, in seconds. */
  maxDelayS: number;
}

/** The rules of each counter; a counter forgets its failures a day after the last one. */
export const LOGIN_THROTTLE = {
  forgetAfterHours: 24,
  pair: { free: 5, maxDelayS: 15 * 60 },
  address: { free: 30, maxDelayS: 15 * 60 },
  account: { free: 20, maxDelayS: 60 },
} as const satisfies { forgetAfterHours: number } & Record<"pair" | "address" | "account", ThrottleRule>;

/** The wait after the n-th failure under a rule: none within the free allowance, then doubling up to the cap. */
export function delayAfter(failures: number, rule: ThrottleRule): number {
  if (failures < rule.free) return 0;
  return Math.min(rule.maxDelayS, 2 ** Math.min(30, failures - rule.free));
}

/** How usernames are compared for throttling (case, tone marks and spaces do not make a new account). */
export const usernameKey = (username: string) => fold(username.trim()).slice(0, 100);

/** Addresses are personal data: only their equality matters here. */
const addressKey = (ip: string) => createHash("sha256").update(`login|${ip}`).digest("base64url").slice(0, 24);

type Claim = { key: string; rule: ThrottleRule; enforce: boolean };

/**
 * Count one attempt under a key, if its wait has passed (or `enforce` is off): `wait` 0 and the failures counted
 * before it; else the seconds left to wait.
 */
async function claim(trx: Transaction<Database>, c: Claim, now: Date): Promise<{ wait: number; before: number }> {
  const nowIso = now.toISOString();
  const forgetBefore = new Date(now.getTime() - LOGIN_THROTTLE.forgetAfterHours * 3600_000).toISOString();
  await trx
    .insertInto("login_throttle")
    .values({ key: c.key, failures: 0, last_at: nowIso, next_at: nowIso })
    .onConflict((oc) => oc.column("key").doNothing())
    .execute();
  // Compare-and-set: a concurrent attempt that moved the row first makes this UPDATE match nothing; read again.
  for (let tries = 0; tries < 20; tries++) {
    const row = await trx
      .selectFrom("login_throttle")
      .select(["failures", "last_at", "next_at"])
      .where("key", "=", c.key)
      .executeTakeFirstOrThrow();
    const stale = row.last_at < forgetBefore;
    // A wait exists only past the free allowance (a clock set back must not hold anyone up within it).
    if (c.enforce && !stale && delayAfter(row.failures, c.rule) > 0 && row.next_at > nowIso)
      return { wait: Math.max(1, Math.ceil((Date.parse(row.next_at) - now.getTime()) / 1000)), before: row.failures };
    const before = stale ? 0 : row.failures;
    const failures = before + 1;
    const next = new Date(now.getTime() + delayAfter(failures, c.rule) * 1000).toISOString();
    const moved = await trx
      .updateTable("login_throttle")
      .set({ failures, last_at: nowIso, next_at: next })
      .where("key", "=", c.key)
      .where("failures", "=", row.failures)
      .where("last_at", "=", row.last_at)
      .where("next_at", "=", row.next_at)
      .executeTakeFirst();
    if (Number(moved.numUpdatedRows) === 1) return { wait: 0, before };
  }
  return { wait: 1, before: 0 };
}

/**
 * Claim a login attempt for an account from an address before its password is checked. `{ ok: false, wait }` when
 * one of its counters still asks it to wait (nothing is counted then); the caller must report the outcome with
 * `loginSucceeded` when the password was right.
 */
export async function claimLoginAttempt(
  db: Db,
  username: string,
  ip: string,
  now: Date,
): Promise<{ ok: true } | { ok: false; wait: number }> {
  const addr = addressKey(ip);
  const user = usernameKey(username);
  return db
    .transaction()
    .execute(async (trx) => {
      // Throwing rolls back the counters already moved: a refused attempt counts nowhere.
      const address = await claim(trx, { key: `address:${addr}`, rule: LOGIN_THROTTLE.address, enforce: true }, now);
      if (address.wait) throw new WaitSignal(address.wait);
      const pair = await claim(trx, { key: `pair:${addr}:${user}`, rule: LOGIN_THROTTLE.pair, enforce: true }, now);
      if (pair.wait) throw new WaitSignal(pair.wait);
      // The account's ceiling holds back only addresses that already failed on it: never the real user's.
      const account = await claim(
        trx,
        { key: `account:${user}`, rule: LOGIN_THROTTLE.account, enforce: pair.before > 0 },
        now,
      );
      if (account.wait) throw new WaitSignal(account.wait);
      return { ok: true as const };
    })
    .catch((e: unknown) => {
      if (e instanceof WaitSignal) return { ok: false as const, wait: e.wait };
      throw e;
    });
}

class WaitSignal extends Error {
  constructor(readonly wait: number) {
    super("login throttled");
  }
}

/** A correct password: the pair starts afresh, and the attempt is taken off the address's and account's counts. */
export async function loginSucceeded(db: Db, username: string, ip: string): Promise<void> {
  const addr = addressKey(ip);
  const user = usernameKey(username);
  await db.transaction().execute(async (trx) => {
    await trx.deleteFrom("login_throttle").where("key", "=", `pair:${addr}:${user}`).execute();
    await trx
      .updateTable("login_throttle")
      .set((eb) => ({ failures: eb("failures", "-", 1) }))
      .where("key", "in", [`address:${addr}`, `account:${user}`])
      .where("failures", ">", 0)
      .execute();
  });
}

/** Forget counters idle for longer than they are remembered. */
export async function pruneLoginThrottle(db: Db, now: Date): Promise<void> {
  const before = new Date(now.getTime() - LOGIN_THROTTLE.forgetAfterHours * 3600_000).toISOString();
  await db.deleteFrom("login_throttle").where("last_at", "<", before).execute();
}
