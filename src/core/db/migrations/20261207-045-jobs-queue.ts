/**
 * Jobs, once (issue 12 §5): on PostgreSQL a queued job is delivered by pg-boss, a maintained queue in a schema of its
 * own. `queue_id` is the id of the pg-boss job that delivers this row (sent in the same transaction as the row); null
 * on SQLite, and for a row no pg-boss job delivers yet (the runner adopts those at start). Frozen: a migration never
 * imports live code.
 */
import type { Kysely } from "kysely";

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable("jobs").addColumn("queue_id", "text").execute();
}
