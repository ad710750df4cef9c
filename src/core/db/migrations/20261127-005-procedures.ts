/**
 * The procedure catalogue as history: announcing decisions, procedures and their versions (never overwritten),
 * local overrides, review marks and notice-board prints; and the search documents every feature contributes to.
 */
import { type Kysely, sql } from "kysely";
import { idColumn, type MigrationContext } from "../migrate-helpers.ts";
import { watchAllTables } from "./20261127-004-data-epoch.ts";

export async function up(db: Kysely<unknown>, ctx: MigrationContext): Promise<void> {
  await db.schema
    .createTable("decisions")
    .addColumn("id", idColumn(ctx), (c) => c.primaryKey())
    .addColumn("number", "text", (c) => c.notNull())
    .addColumn("number_key", "text", (c) => c.notNull().unique())
    .addColumn("decided_on", "text")
    .addColumn("issuer", "text")
    .addColumn("summary", "text")
    .addColumn("scope", "text", (c) => c.notNull().check(sql`scope in ('national', 'province', 'ward')`))
    .addColumn("scope_unit_id", "integer", (c) => c.references("admin_units.id"))
    .addColumn("created_at", "text", (c) => c.notNull())
    .execute();

  await db.schema
    .createTable("procedures")
    .addColumn("id", idColumn(ctx), (c) => c.primaryKey())
    .addColumn("code", "text", (c) => c.notNull().unique())
    .addColumn("scope", "text", (c) => c.notNull().check(sql`scope in ('national', 'province', 'ward')`))
    .addColumn("scope_unit_id", "integer", (c) => c.references("admin_units.id"))
    .addColumn("created_at", "text", (c) => c.notNull())
    .execute();

  await db.schema
    .createTable("procedure_versions")
    .addColumn("id", idColumn(ctx), (c) => c.primaryKey())
    .addColumn("procedure_id", "integer", (c) => c.notNull().references("procedures.id"))
    .addColumn("version_no", "integer", (c) => c.notNull())
    .addColumn("decision_id", "integer", (c) => c.references("decisions.id"))
    .addColumn("change_type", "text", (c) =>
      c.notNull().check(sql`change_type in ('baseline', 'new', 'amended', 'replaced', 'abolished')`),
    )
    .addColumn("effective_from", "text", (c) => c.notNull())
    .addColumn("replaces_code", "text")
    .addColumn("name", "text", (c) => c.notNull())
    .addColumn("field", "text", (c) => c.notNull())
    .addColumn("levels", "text", (c) => c.notNull())
    .addColumn("data_json", "text", (c) => c.notNull())
    .addColumn("content_hash", "text", (c) => c.notNull())
    .addColumn("created_at", "text", (c) => c.notNull())
    .addUniqueConstraint("procedure_versions_no", ["procedure_id", "version_no"])
    .execute();
  await db.schema
    .createIndex("procedure_versions_effective")
    .on("procedure_versions")
    .columns(["procedure_id", "effective_from"])
    .execute();

  await db.schema
    .createTable("procedure_overrides")
    .addColumn("id", idColumn(ctx), (c) => c.primaryKey())
    .addColumn("procedure_code", "text", (c) => c.notNull())
    .addColumn("unit_id", "integer", (c) => c.notNull().references("admin_units.id"))
    .addColumn("fee", "text")
    .addColumn("receiving_address", "text")
    .addColumn("opening_hours", "text")
    .addColumn("note", "text")
    .addColumn("updated_at", "text", (c) => c.notNull())
    .addUniqueConstraint("procedure_overrides_unit", ["procedure_code", "unit_id"])
    .execute();

  await db.schema
    .createTable("procedure_reviews")
    .addColumn("id", idColumn(ctx), (c) => c.primaryKey())
    .addColumn("procedure_id", "integer", (c) => c.notNull().references("procedures.id"))
    .addColumn("ward_id", "integer", (c) => c.notNull().references("admin_units.id"))
    .addColumn("user_id", "integer", (c) => c.references("users.id"))
    .addColumn("reviewed_at", "text", (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex("procedure_reviews_ward")
    .on("procedure_reviews")
    .columns(["ward_id", "procedure_id"])
    .execute();

  await db.schema
    .createTable("board_prints")
    .addColumn("id", idColumn(ctx), (c) => c.primaryKey())
    .addColumn("ward_id", "integer", (c) => c.notNull().references("admin_units.id"))
    .addColumn("user_id", "integer", (c) => c.references("users.id"))
    .addColumn("printed_at", "text", (c) => c.notNull())
    .execute();

  // One search mechanism for every kind of content: rows here, an in-memory index per process built from them.
  await db.schema
    .createTable("search_docs")
    .addColumn("id", idColumn(ctx), (c) => c.primaryKey())
    .addColumn("doc_key", "text", (c) => c.notNull().unique())
    .addColumn("kind", "text", (c) => c.notNull())
    .addColumn("title", "text", (c) => c.notNull())
    .addColumn("body", "text", (c) => c.notNull())
    .addColumn("keywords", "text", (c) => c.notNull())
    .addColumn("url", "text", (c) => c.notNull())
    // "national" or "unit:{admin unit id}": which wards see the document.
    .addColumn("scope", "text", (c) => c.notNull())
    .addColumn("deleted", "integer", (c) => c.notNull().defaultTo(0))
    // Increases with every change, so each process reloads only what changed since it last looked.
    .addColumn("seq", "integer", (c) => c.notNull())
    .execute();
  await db.schema.createIndex("search_docs_seq").on("search_docs").column("seq").execute();

  await db.schema
    .createTable("search_synonyms")
    .addColumn("id", idColumn(ctx), (c) => c.primaryKey())
    .addColumn("term", "text", (c) => c.notNull().unique())
    .addColumn("expansions", "text", (c) => c.notNull())
    .execute();

  await watchAllTables(db, ctx);
}
