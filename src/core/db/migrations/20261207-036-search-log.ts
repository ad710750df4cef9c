/**
 * The loop that learns from searches (issue 11 §5): `search_log` counts the public queries of each ward per day —
 * the query folded and stripped of personal data, how many times it was searched, how many results it found, how
 * many times a result was opened — never who searched; `search_best_bets` pins a document as the first answer to a
 * query in one ward. The log is quiet (its writes change no public page: no data-epoch trigger, see 004's QUIET);
 * a best bet changes the search page, so it keeps its trigger.
 */
import type { Kysely } from "kysely";
import { idColumn, type MigrationContext } from "../migrate-helpers.ts";
import { watchAllTables } from "./20261127-004-data-epoch.ts";

export async function up(db: Kysely<unknown>, ctx: MigrationContext): Promise<void> {
  await db.schema
    .createTable("search_log")
    .addColumn("id", idColumn(ctx), (c) => c.primaryKey())
    .addColumn("unit_id", "integer", (c) => c.notNull().references("admin_units.id"))
    // Folded words ("dang ky khai sinh"): the row's identity within the ward and day.
    .addColumn("query_key", "text", (c) => c.notNull())
    // The query as first typed that day (NFC, lower case, personal data removed), for staff to read.
    .addColumn("query", "text", (c) => c.notNull())
    // Vietnam local date, yyyy-mm-dd.
    .addColumn("day", "text", (c) => c.notNull())
    .addColumn("searches", "integer", (c) => c.notNull().defaultTo(0))
    // Results of the latest search counted (null: only opens were counted so far).
    .addColumn("results", "integer")
    .addColumn("opens", "integer", (c) => c.notNull().defaultTo(0))
    .addUniqueConstraint("search_log_once", ["unit_id", "query_key", "day"])
    .execute();
  await db.schema.createIndex("search_log_unit_day").on("search_log").columns(["unit_id", "day"]).execute();
  await db.schema.createIndex("search_log_day").on("search_log").column("day").execute();

  await db.schema
    .createTable("search_best_bets")
    .addColumn("id", idColumn(ctx), (c) => c.primaryKey())
    .addColumn("unit_id", "integer", (c) => c.notNull().references("admin_units.id"))
    .addColumn("query_key", "text", (c) => c.notNull())
    .addColumn("query", "text", (c) => c.notNull())
    // A search document's key ("procedure:1.001193").
    .addColumn("doc_key", "text", (c) => c.notNull())
    .addColumn("created_by", "integer", (c) => c.references("users.id"))
    .addColumn("created_at", "text", (c) => c.notNull())
    .addUniqueConstraint("search_best_bets_once", ["unit_id", "query_key"])
    .execute();
  await watchAllTables(db, ctx);
}
