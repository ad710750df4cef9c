/**
 * Background jobs (issue 10's common rules): one queue for the work no request should wait for — speech audio of a
 * radio bulletin, a publication scheduled for later. A row is claimed by one runner at a time (`locked_until` is
 * its lease: a runner that dies leaves the job to be claimed again when the lease ends). `key` names what a job is
 * about ("news:12:publish"), so rescheduling replaces the queued job instead of adding a second one.
 */
import type { Kysely } from "kysely";
import { idColumn, type MigrationContext } from "../migrate-helpers.ts";

export async function up(db: Kysely<unknown>, ctx: MigrationContext): Promise<void> {
  await db.schema
    .createTable("jobs")
    .addColumn("id", idColumn(ctx), (c) => c.primaryKey())
    .addColumn("kind", "text", (c) => c.notNull())
    .addColumn("payload_json", "text", (c) => c.notNull())
    .addColumn("key", "text")
    .addColumn("ward_id", "integer", (c) => c.references("admin_units.id"))
    // queued → running → done | failed (a failure with attempts left goes back to queued, later)
    .addColumn("status", "text", (c) => c.notNull())
    .addColumn("run_at", "text", (c) => c.notNull())
    .addColumn("attempts", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("locked_until", "text")
    .addColumn("last_error", "text")
    .addColumn("created_at", "text", (c) => c.notNull())
    .addColumn("finished_at", "text")
    .execute();
  await db.schema.createIndex("jobs_due").on("jobs").columns(["status", "run_at"]).execute();
  await db.schema.createIndex("jobs_key").on("jobs").columns(["key", "status"]).execute();
  // No data-epoch trigger on PostgreSQL: claiming a job changes no public page (004's QUIET list names this table);
  // what a job does to content is a write of its own and moves the epoch then.
}
