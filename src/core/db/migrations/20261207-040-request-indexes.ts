/**
 * Every request path indexed (issue 12 §2): the statements test/query-plans.pg.test.ts found reading a table that
 * grows with the number of wards or years from end to end, each given the index its filter (and order) needs.
 * Frozen: a migration never imports live code.
 */
import type { Kysely } from "kysely";

/** [name, table, columns]: the filter's columns first, then the order the page reads them in. */
const INDEXES: [string, string, string[]][] = [
  // The plan page's ledger and its totals by pillar, channel and unit (the measured case: ≈ 4.7× faster).
  ["activities_plan_day", "activities", ["plan_id", "occurred_on"]],
  // The notice board's print log of a ward (the latest print, the prints of a period).
  ["board_prints_ward_at", "board_prints", ["ward_id", "printed_at"]],
  // A ward's staff accounts (the accounts page, the units' head counts, "has a portal").
  ["users_ward", "users", ["ward_id"]],
  // A ward's loudspeaker clusters, by name.
  ["radio_clusters_ward_name", "radio_clusters", ["ward_id", "name"]],
  // A ward's posters and banners, newest first.
  ["news_posters_ward_day", "news_posters", ["ward_id", "put_up_on"]],
  // The national roll-up's plans in force on a day: those ending on or after it are the current ones.
  ["plans_period_to", "plans", ["period_to"]],
  // The national roll-up's issued reports up to a day.
  ["reports_status_issued", "reports", ["status", "issued_on"]],
  // A ward's tasks across its plans (the task list, "my tasks", the units of each task, their latest work).
  ["tasks_ward", "tasks", ["ward_id"]],
  // The catalogue of a ward: national procedures or its own local ones (an `or` each side of which has an index).
  ["procedures_scope", "procedures", ["scope"]],
  ["procedures_scope_unit", "procedures", ["scope_unit_id"]],
  // Which procedure a new one replaces (the procedure page's history, the comparison page).
  ["procedure_versions_replaces", "procedure_versions", ["replaces_code"]],
  // The roll-up's survey answers of a period (province and country).
  ["survey_responses_submitted", "survey_responses", ["submitted_at"]],
  // A ward's audit log, newest first, a page at a time.
  ["audit_log_ward_id", "audit_log", ["ward_id", "id"]],
  // A ward's citations of documents in its plans still to confirm.
  ["legal_citations_ward", "legal_citations", ["ward_id", "uncertain"]],
  // A ward's broadcast log, newest first.
  ["radio_broadcasts_ward_day", "radio_broadcasts", ["ward_id", "aired_on"]],
  // The search prior's page: the most opened results first (migration 039's learned weights).
  ["search_prior_learned_opens", "search_prior_learned", ["opens desc", "doc_key"]],
];

export async function up(db: Kysely<unknown>): Promise<void> {
  for (const [name, table, columns] of INDEXES)
    await db.schema.createIndex(name).ifNotExists().on(table).columns(columns).execute();
}
