/**
 * The plan page's ledger figures from an index alone (issue 12: the plan page uncached ≥ 300 req/s at national
 * size). The page sums a plan's activities per pillar (count, people reached, cost), per channel and per recording
 * unit (features/plans/tracking.sql.ts `planLedgerSums`); with every column those sums read in one index, each
 * grouping walks the plan's index entries (an index-only scan on PostgreSQL, a covering index on SQLite) instead of
 * fetching each activity's row from the table. Frozen: a migration never imports live code.
 */
import type { Kysely } from "kysely";

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createIndex("activities_plan_sums")
    .ifNotExists()
    .on("activities")
    .columns(["plan_id", "pillar", "channel_kind", "org_unit_id", "audience", "cost"])
    .execute();
}
