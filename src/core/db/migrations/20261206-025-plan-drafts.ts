/**
 * Next year's plan (issue 9 §4): a plan drafted in the portal from an existing one. While it is drafted, submitted
 * and approved it lives here, as the structure staff edit (its content as JSON), apart from the plans in force;
 * once issued with the number of the ward's outgoing-document register it becomes a plan like an imported one
 * (`plan_id`), and the register entry names that plan.
 */
import type { Kysely } from "kysely";
import { idColumn, type MigrationContext } from "../migrate-helpers.ts";
import { watchAllTables } from "./20261127-004-data-epoch.ts";

export async function up(db: Kysely<unknown>, ctx: MigrationContext): Promise<void> {
  await db.schema
    .createTable("plan_drafts")
    .addColumn("id", idColumn(ctx), (c) => c.primaryKey())
    .addColumn("ward_id", "integer", (c) => c.notNull().references("admin_units.id"))
    // The plan it was drafted from (the current year's), kept for the record.
    .addColumn("source_plan_id", "integer", (c) => c.references("plans.id"))
    .addColumn("year", "integer", (c) => c.notNull())
    .addColumn("title", "text", (c) => c.notNull())
    // draft → submitted → approved → issued
    .addColumn("status", "text", (c) => c.notNull())
    .addColumn("content_json", "text", (c) => c.notNull())
    .addColumn("number", "integer")
    .addColumn("symbol", "text", (c) => c.notNull())
    .addColumn("issued_on", "text")
    .addColumn("signer_name", "text")
    .addColumn("approved_by", "integer", (c) => c.references("users.id"))
    // The plan it became when issued.
    .addColumn("plan_id", "integer", (c) => c.references("plans.id"))
    .addColumn("created_by", "integer", (c) => c.references("users.id"))
    .addColumn("created_at", "text", (c) => c.notNull())
    .addColumn("updated_at", "text", (c) => c.notNull())
    .execute();
  await db.schema.createIndex("plan_drafts_ward").on("plan_drafts").columns(["ward_id", "year"]).execute();

  await db.schema
    .alterTable("document_register")
    .addColumn("plan_id", "integer", (c) => c.references("plans.id"))
    .execute();
  await watchAllTables(db, ctx);
}
