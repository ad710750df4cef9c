/**
 * Staff second factor (issue 12 §8): time-based one-time passwords with recovery codes. `users.totp_secret` (from
 * 001, unused until now) holds the secret of an account whose second factor is on; `totp_pending_secret` the one
 * shown at enrolment until a code from it confirms it; `totp_last_step` the latest 30-second step a code was accepted
 * for, so no code is accepted twice. Recovery codes are stored only as hashes, each used once (`used_at`).
 * `sessions.second_factor` (001) now also holds a signed-in-by-password state that is not yet a session: "pending"
 * (the code is asked) and "enrol" (the account's role needs a second factor it has not set up). Frozen: a migration
 * never imports live code; no data-epoch trigger on the new table, whose writes change no public page.
 */
import type { Kysely } from "kysely";
import { idColumn, type MigrationContext } from "../migrate-helpers.ts";

export async function up(db: Kysely<unknown>, ctx: MigrationContext): Promise<void> {
  await db.schema.alterTable("users").addColumn("totp_pending_secret", "text").execute();
  await db.schema.alterTable("users").addColumn("totp_last_step", "integer").execute();
  await db.schema.alterTable("users").addColumn("totp_enabled_at", "text").execute();
  await db.schema
    .createTable("totp_recovery_codes")
    .addColumn("id", idColumn(ctx), (c) => c.primaryKey())
    .addColumn("user_id", "integer", (c) => c.notNull().references("users.id").onDelete("cascade"))
    .addColumn("code_hash", "text", (c) => c.notNull())
    .addColumn("created_at", "text", (c) => c.notNull())
    .addColumn("used_at", "text")
    .addUniqueConstraint("totp_recovery_codes_once", ["user_id", "code_hash"])
    .execute();
}
