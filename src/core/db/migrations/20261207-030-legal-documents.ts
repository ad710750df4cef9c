/**
 * The legal documents library (issue 10 §1): a ward's entries for the documents its plans cite and its channels make
 * known, with their dates (status is computed from them when read, never stored), explicit status events
 * (suspension, partial expiry …), paired relations stored once (from the document that acts to the one acted on),
 * the plans' citations (one entry per document however many plans cite it; an uncertain match is flagged for staff)
 * and the channels' mentions (a document communicated on a date, through a channel).
 */
import type { Kysely } from "kysely";
import { idColumn, type MigrationContext } from "../migrate-helpers.ts";
import { watchAllTables } from "./20261127-004-data-epoch.ts";

export async function up(db: Kysely<unknown>, ctx: MigrationContext): Promise<void> {
  await db.schema
    .createTable("legal_documents")
    .addColumn("id", idColumn(ctx), (c) => c.primaryKey())
    .addColumn("ward_id", "integer", (c) => c.notNull().references("admin_units.id"))
    // "Quyết định", "Nghị quyết", "Luật", "Nghị định", "Kế hoạch", …
    .addColumn("kind", "text", (c) => c.notNull())
    // As written, normalised ("181/QĐ-UBND"); null for a law cited by name and year.
    .addColumn("number", "text")
    // Folded number without spaces: the matching key.
    .addColumn("number_key", "text")
    .addColumn("issuer", "text")
    .addColumn("issuer_key", "text", (c) => c.notNull().defaultTo(""))
    // The year of issue: from the issue date, the number ("61/2018/NĐ-CP") or the citation ("Luật … năm 2018").
    .addColumn("year", "integer")
    .addColumn("title", "text")
    .addColumn("title_key", "text", (c) => c.notNull().defaultTo(""))
    .addColumn("issued_on", "text")
    .addColumn("effective_from", "text")
    .addColumn("expires_on", "text")
    .addColumn("official_url", "text")
    .addColumn("file_id", "integer", (c) => c.references("stored_files.id"))
    .addColumn("note", "text", (c) => c.notNull().defaultTo(""))
    // 1 while the entry only holds what a plan cited: staff complete it.
    .addColumn("incomplete", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("created_at", "text", (c) => c.notNull())
    .addColumn("updated_at", "text", (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex("legal_documents_ward_number")
    .on("legal_documents")
    .columns(["ward_id", "number_key"])
    .execute();

  await db.schema
    .createTable("legal_document_events")
    .addColumn("id", idColumn(ctx), (c) => c.primaryKey())
    .addColumn("ward_id", "integer", (c) => c.notNull().references("admin_units.id"))
    .addColumn("document_id", "integer", (c) => c.notNull().references("legal_documents.id"))
    // suspended | suspended_partly | resumed | expired_partly | expired | unsuitable
    .addColumn("kind", "text", (c) => c.notNull())
    .addColumn("on_date", "text", (c) => c.notNull())
    .addColumn("note", "text", (c) => c.notNull().defaultTo(""))
    .addColumn("created_at", "text", (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex("legal_document_events_doc")
    .on("legal_document_events")
    .columns(["document_id"])
    .execute();

  await db.schema
    .createTable("legal_relations")
    .addColumn("id", idColumn(ctx), (c) => c.primaryKey())
    .addColumn("ward_id", "integer", (c) => c.notNull().references("admin_units.id"))
    // The document that acts (amends, replaces, guides …) and the one acted on.
    .addColumn("from_id", "integer", (c) => c.notNull().references("legal_documents.id"))
    .addColumn("to_id", "integer", (c) => c.notNull().references("legal_documents.id"))
    .addColumn("kind", "text", (c) => c.notNull())
    .addColumn("created_at", "text", (c) => c.notNull())
    .addUniqueConstraint("legal_relations_once", ["from_id", "to_id", "kind"])
    .execute();
  await db.schema.createIndex("legal_relations_to").on("legal_relations").columns(["to_id"]).execute();

  await db.schema
    .createTable("legal_citations")
    .addColumn("id", idColumn(ctx), (c) => c.primaryKey())
    .addColumn("ward_id", "integer", (c) => c.notNull().references("admin_units.id"))
    .addColumn("plan_id", "integer", (c) => c.notNull().references("plans.id"))
    // The plan_references row's position: a plan's citations are rewritten with its references.
    .addColumn("position", "integer", (c) => c.notNull())
    .addColumn("document_id", "integer", (c) => c.notNull().references("legal_documents.id"))
    // The reference as the plan cites it (JSON), kept so staff can split an uncertain match.
    .addColumn("cited_json", "text", (c) => c.notNull())
    // 1: matched on part of the identity only (year or issuer unknown on one side): staff confirm or split.
    .addColumn("uncertain", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("created_at", "text", (c) => c.notNull())
    .addUniqueConstraint("legal_citations_once", ["plan_id", "position"])
    .execute();
  await db.schema.createIndex("legal_citations_doc").on("legal_citations").columns(["document_id"]).execute();

  await db.schema
    .createTable("legal_mentions")
    .addColumn("id", idColumn(ctx), (c) => c.primaryKey())
    .addColumn("ward_id", "integer", (c) => c.notNull().references("admin_units.id"))
    .addColumn("document_id", "integer", (c) => c.notNull().references("legal_documents.id"))
    // The channel item that made the document known: "event", "news", "bulletin" …, and its id.
    .addColumn("source", "text", (c) => c.notNull())
    .addColumn("source_ref", "text", (c) => c.notNull())
    .addColumn("on_date", "text", (c) => c.notNull())
    .addColumn("channel", "text", (c) => c.notNull())
    .addColumn("created_at", "text", (c) => c.notNull())
    .addUniqueConstraint("legal_mentions_once", ["document_id", "source", "source_ref"])
    .execute();
  await watchAllTables(db, ctx);
}
