/**
 * Reports to the higher level (issue 9): a ward's report over a period, its figures stored as computed (frozen when
 * issued: later records never change an issued report), the document as staff edited it, its workflow status, and
 * the issuing body's outgoing-document register (sổ văn bản đi): numbers restart each year and are unique per
 * issuer, year and register, never a database id.
 */
import type { Kysely } from "kysely";
import { idColumn, type MigrationContext } from "../migrate-helpers.ts";
import { watchAllTables } from "./20261127-004-data-epoch.ts";

export async function up(db: Kysely<unknown>, ctx: MigrationContext): Promise<void> {
  await db.schema
    .createTable("reports")
    .addColumn("id", idColumn(ctx), (c) => c.primaryKey())
    .addColumn("ward_id", "integer", (c) => c.notNull().references("admin_units.id"))
    .addColumn("kind", "text", (c) => c.notNull())
    .addColumn("quarter", "integer")
    .addColumn("period_from", "text", (c) => c.notNull())
    .addColumn("period_to", "text", (c) => c.notNull())
    .addColumn("title", "text", (c) => c.notNull())
    // draft → submitted → approved → issued
    .addColumn("status", "text", (c) => c.notNull())
    .addColumn("figures_json", "text", (c) => c.notNull())
    .addColumn("computed_at", "text", (c) => c.notNull())
    .addColumn("document_json", "text", (c) => c.notNull())
    .addColumn("number", "integer")
    .addColumn("symbol", "text", (c) => c.notNull())
    .addColumn("issued_on", "text")
    .addColumn("signer_name", "text")
    .addColumn("approved_by", "integer", (c) => c.references("users.id"))
    .addColumn("published", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("created_by", "integer", (c) => c.references("users.id"))
    .addColumn("created_at", "text", (c) => c.notNull())
    .addColumn("updated_at", "text", (c) => c.notNull())
    .execute();
  await db.schema.createIndex("reports_ward").on("reports").columns(["ward_id", "period_to"]).execute();

  await db.schema
    .createTable("document_register")
    .addColumn("id", idColumn(ctx), (c) => c.primaryKey())
    // The issuing body's unit (a ward, later a province or its department).
    .addColumn("issuer_unit_id", "integer", (c) => c.notNull().references("admin_units.id"))
    .addColumn("year", "integer", (c) => c.notNull())
    .addColumn("number", "integer", (c) => c.notNull())
    .addColumn("symbol", "text", (c) => c.notNull())
    .addColumn("issued_on", "text", (c) => c.notNull())
    .addColumn("report_id", "integer", (c) => c.references("reports.id"))
    .addColumn("created_at", "text", (c) => c.notNull())
    .addUniqueConstraint("document_register_number_once", ["issuer_unit_id", "year", "number"])
    .execute();
  await watchAllTables(db, ctx);
}
