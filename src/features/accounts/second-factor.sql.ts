/** Every query of the second factor: the account's TOTP columns and its recovery codes. */
import type { Kysely, Transaction } from "kysely";
import type { Database } from "../../core/db/schema.ts";

type Q = Kysely<Database> | Transaction<Database>;

/** The second-factor columns of one account. */
export function totpOf(db: Q, userId: number) {
  return db
    .selectFrom("users")
    .select([
      "id",
      "username",
      "ward_id",
      "role",
      "totp_secret",
      "totp_pending_secret",
      "totp_last_step",
      "totp_enabled_at",
    ])
    .where("id", "=", userId)
    .executeTakeFirst();
}

/** Keep the secret shown at enrolment, unless one is already kept (two tabs show the same). Returns the kept one. */
export async function keepPendingSecret(db: Q, userId: number, secret: string): Promise<string | null> {
  await db
    .updateTable("users")
    .set({ totp_pending_secret: secret })
    .where("id", "=", userId)
    .where("totp_pending_secret", "is", null)
    .execute();
  const r = await db.selectFrom("users").select("totp_pending_secret").where("id", "=", userId).executeTakeFirst();
  return r?.totp_pending_secret ?? null;
}

/**
 * Record that a code of `step` was used, only if no code of that step or a later one was: compare-and-set, so two
 * requests with the same code cannot both pass. True when this request took the step.
 */
export async function takeStep(db: Q, userId: number, step: number, lastStep: number | null): Promise<boolean> {
  let q = db.updateTable("users").set({ totp_last_step: step }).where("id", "=", userId);
  q = lastStep == null ? q.where("totp_last_step", "is", null) : q.where("totp_last_step", "=", lastStep);
  return Number((await q.executeTakeFirst()).numUpdatedRows) === 1;
}

/** Switch the second factor on with the confirmed secret (the step of the confirming code counts as used). */
export async function switchOn(db: Q, userId: number, secret: string, step: number, now: Date): Promise<void> {
  await db
    .updateTable("users")
    .set({ totp_secret: secret, totp_pending_secret: null, totp_last_step: step, totp_enabled_at: now.toISOString() })
    .where("id", "=", userId)
    .execute();
}

/** Switch the second factor off and forget its secret, its pending secret and its recovery codes. */
export async function switchOff(db: Q, userId: number): Promise<void> {
  await db
    .updateTable("users")
    .set({ totp_secret: null, totp_pending_secret: null, totp_last_step: null, totp_enabled_at: null })
    .where("id", "=", userId)
    .execute();
  await db.deleteFrom("totp_recovery_codes").where("user_id", "=", userId).execute();
}

/** Replace an account's recovery codes by these hashes. */
export async function replaceRecoveryCodes(db: Q, userId: number, hashes: string[], now: Date): Promise<void> {
  await db.deleteFrom("totp_recovery_codes").where("user_id", "=", userId).execute();
  await db
    .insertInto("totp_recovery_codes")
    .values(hashes.map((code_hash) => ({ user_id: userId, code_hash, created_at: now.toISOString(), used_at: null })))
    .execute();
}

/** Use up an unused recovery code of the account; true when this request used it (each code works once). */
export async function useRecoveryCode(db: Q, userId: number, hash: string, now: Date): Promise<boolean> {
  const r = await db
    .updateTable("totp_recovery_codes")
    .set({ used_at: now.toISOString() })
    .where("user_id", "=", userId)
    .where("code_hash", "=", hash)
    .where("used_at", "is", null)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

/** How many of the account's recovery codes are still unused. */
export async function unusedRecoveryCodes(db: Q, userId: number): Promise<number> {
  const r = await db
    .selectFrom("totp_recovery_codes")
    .select((eb) => eb.fn.countAll<string | number>().as("n"))
    .where("user_id", "=", userId)
    .where("used_at", "is", null)
    .executeTakeFirst();
  return Number(r?.n ?? 0);
}
