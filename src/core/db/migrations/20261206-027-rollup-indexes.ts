/**
 * The roll-up of a province's wards (issue 9 §5) sums a year of the ledger of a hundred wards per request: an index
 * holding every column it reads (ward, day, channel, people reached, cost) lets both databases answer from the
 * index alone instead of visiting ~200,000 table rows; two more answer the overdue rule of recurring tasks per task.
 */
import type { Kysely } from "kysely";

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createIndex("activities_rollup")
    .on("activities")
    .columns(["ward_id", "occurred_on", "channel_kind", "audience", "cost"])
    .execute();
  // The overdue rule of recurring tasks asks, per task, whether any work falls on or after a day.
  await db.schema.createIndex("activities_task_day").on("activities").columns(["task_id", "occurred_on"]).execute();
  await db.schema.createIndex("task_updates_task_at").on("task_updates").columns(["task_id", "at"]).execute();
}
