/**
 * The ledger counts what other features did, once each: a published feedback answer, a published question's
 * answer, a closed survey round. A partial UNIQUE index on (ward_id, source, source_ref) for rows another feature
 * wrote (manual rows are typed by people and may repeat) makes a retried or raced step unable to count twice;
 * partial indexes work alike on SQLite and PostgreSQL.
 *
 * Surveys gain the unit that runs them (the ledger row needs a unit; null: the ward's office unit at close time)
 * and their rounds (đợt khảo sát): each closed round covers the responses sent since the previous one, is numbered
 * once per survey (UNIQUE), and becomes one ledger row. A response may name the procedure it is about, so the index
 * can be shown per field (lĩnh vực) of the procedures the answers are about.
 */
import { type Kysely, sql } from "kysely";
import { idColumn, type MigrationContext } from "../migrate-helpers.ts";
import { watchAllTables } from "./20261127-004-data-epoch.ts";

export async function up(db: Kysely<unknown>, ctx: MigrationContext): Promise<void> {
  await db.schema
    .createIndex("activities_source_once")
    .on("activities")
    .columns(["ward_id", "source", "source_ref"])
    .unique()
    .where(sql.ref("source"), "<>", "manual")
    .execute();

  await db.schema
    .alterTable("surveys")
    .addColumn("org_unit_id", "integer", (c) => c.references("org_units.id"))
    .execute();
  await db.schema.alterTable("survey_responses").addColumn("procedure_code", "text").execute();

  await db.schema
    .createTable("survey_rounds")
    .addColumn("id", idColumn(ctx), (c) => c.primaryKey())
    .addColumn("survey_id", "integer", (c) => c.notNull().references("surveys.id"))
    .addColumn("round_no", "integer", (c) => c.notNull())
    // Responses submitted after from_at (exclusive; null: since the survey began) up to to_at (inclusive).
    .addColumn("from_at", "text")
    .addColumn("to_at", "text", (c) => c.notNull())
    .addColumn("responses", "integer", (c) => c.notNull())
    .addColumn("closed_by", "integer", (c) => c.references("users.id"))
    .addUniqueConstraint("survey_rounds_once", ["survey_id", "round_no"])
    .execute();
  await watchAllTables(db, ctx);
}
