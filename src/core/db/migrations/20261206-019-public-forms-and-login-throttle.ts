/**
 * 1. The pieces every public form shares (feedback, questions, surveys) are named for what they are, not for the
 *    feature that introduced them: `feedback_rate_hits` → `public_form_rate_hits`, setting `feedback_form_secret` →
 *    `public_form_secret`. Renamed in place: the hits and the secret (so forms already rendered stay valid) are kept.
 * 2. `login_throttle`: failed-login counters per account, per client address and per pair, each claimed by one
 *    conditional UPDATE before a password is checked, so parallel attempts cannot overshoot the limit.
 *    `next_at` is when the next attempt under that key may be checked (growing delays, never a lock-out).
 */
import { type Kysely, sql } from "kysely";
import type { MigrationContext } from "../migrate-helpers.ts";

export async function up(db: Kysely<unknown>, _ctx: MigrationContext): Promise<void> {
  await sql`alter table feedback_rate_hits rename to public_form_rate_hits`.execute(db);
  // SQLite cannot rename an index: drop and create it under its new name on both databases.
  await db.schema.dropIndex("feedback_rate_hits_client").execute();
  await db.schema
    .createIndex("public_form_rate_hits_client")
    .on("public_form_rate_hits")
    .columns(["bucket", "client_key", "at"])
    .execute();
  await sql`update settings set key = 'public_form_secret' where key = 'feedback_form_secret'`.execute(db);

  await db.schema
    .createTable("login_throttle")
    .addColumn("key", "text", (c) => c.primaryKey())
    .addColumn("failures", "integer", (c) => c.notNull())
    .addColumn("last_at", "text", (c) => c.notNull())
    .addColumn("next_at", "text", (c) => c.notNull())
    .execute();
  await db.schema.createIndex("login_throttle_last_at").on("login_throttle").column("last_at").execute();
}
