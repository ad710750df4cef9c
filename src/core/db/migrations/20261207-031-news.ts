/**
 * News and good models (issue 10 §2): articles (tin, bài) and good-model stories (mô hình, điển hình tốt) written by a
 * unit, reviewed by the office, approved by a leader, then published at once or at a scheduled time; every saved text
 * is a version of its own, so two can be compared. Publishing writes the article's one ledger activity (audience: its
 * views, counted in memory and added in batches so a view never invalidates the cached pages on every hit). Photos
 * are stored files (re-encoded without metadata) listed with their alt text. Posters and banners (băng rôn, pa nô,
 * áp phích) are recorded with a photo and a place, each one ledger activity.
 */
import type { Kysely } from "kysely";
import { idColumn, type MigrationContext } from "../migrate-helpers.ts";
import { watchAllTables } from "./20261127-004-data-epoch.ts";

export async function up(db: Kysely<unknown>, ctx: MigrationContext): Promise<void> {
  await db.schema
    .createTable("news_articles")
    .addColumn("id", idColumn(ctx), (c) => c.primaryKey())
    .addColumn("ward_id", "integer", (c) => c.notNull().references("admin_units.id"))
    .addColumn("org_unit_id", "integer", (c) => c.notNull().references("org_units.id"))
    // news | model
    .addColumn("kind", "text", (c) => c.notNull())
    .addColumn("title", "text", (c) => c.notNull())
    .addColumn("summary", "text", (c) => c.notNull())
    // Markdown (the safe subset of core/text/markdown.ts); rendered when read.
    .addColumn("body", "text", (c) => c.notNull())
    .addColumn("area_ids_json", "text", (c) => c.notNull().defaultTo("[]"))
    // The version the current text is (news_versions.version_no).
    .addColumn("version_no", "integer", (c) => c.notNull().defaultTo(1))
    // draft → submitted → reviewed → scheduled | published; any → withdrawn
    .addColumn("status", "text", (c) => c.notNull())
    .addColumn("round", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("return_reason", "text")
    .addColumn("approved_by", "integer", (c) => c.references("users.id"))
    .addColumn("publish_at", "text")
    .addColumn("published_at", "text")
    .addColumn("views", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("withdrawn_reason", "text")
    .addColumn("created_by", "integer", (c) => c.references("users.id"))
    .addColumn("created_at", "text", (c) => c.notNull())
    .addColumn("updated_at", "text", (c) => c.notNull())
    .execute();
  await db.schema.createIndex("news_articles_ward").on("news_articles").columns(["ward_id", "status"]).execute();

  await db.schema
    .createTable("news_versions")
    .addColumn("id", idColumn(ctx), (c) => c.primaryKey())
    .addColumn("article_id", "integer", (c) => c.notNull().references("news_articles.id"))
    .addColumn("version_no", "integer", (c) => c.notNull())
    .addColumn("title", "text", (c) => c.notNull())
    .addColumn("summary", "text", (c) => c.notNull())
    .addColumn("body", "text", (c) => c.notNull())
    .addColumn("area_ids_json", "text", (c) => c.notNull())
    .addColumn("user_id", "integer", (c) => c.references("users.id"))
    .addColumn("actor", "text", (c) => c.notNull())
    .addColumn("created_at", "text", (c) => c.notNull())
    .addUniqueConstraint("news_versions_once", ["article_id", "version_no"])
    .execute();

  await db.schema
    .createTable("news_steps")
    .addColumn("id", idColumn(ctx), (c) => c.primaryKey())
    .addColumn("article_id", "integer", (c) => c.notNull().references("news_articles.id"))
    .addColumn("from_status", "text", (c) => c.notNull())
    .addColumn("to_status", "text", (c) => c.notNull())
    .addColumn("at", "text", (c) => c.notNull())
    .addColumn("user_id", "integer", (c) => c.references("users.id"))
    .addColumn("actor", "text", (c) => c.notNull())
    .addColumn("note", "text")
    .addColumn("round", "integer", (c) => c.notNull().defaultTo(0))
    .addUniqueConstraint("news_steps_once", ["article_id", "round", "to_status"])
    .execute();

  await db.schema
    .createTable("news_photos")
    .addColumn("id", idColumn(ctx), (c) => c.primaryKey())
    .addColumn("article_id", "integer", (c) => c.notNull().references("news_articles.id"))
    .addColumn("file_id", "integer", (c) => c.notNull().references("stored_files.id"))
    .addColumn("alt", "text", (c) => c.notNull())
    .addColumn("width", "integer", (c) => c.notNull())
    .addColumn("height", "integer", (c) => c.notNull())
    .addColumn("created_at", "text", (c) => c.notNull())
    .execute();
  await db.schema.createIndex("news_photos_article").on("news_photos").column("article_id").execute();

  await db.schema
    .createTable("news_posters")
    .addColumn("id", idColumn(ctx), (c) => c.primaryKey())
    .addColumn("ward_id", "integer", (c) => c.notNull().references("admin_units.id"))
    .addColumn("org_unit_id", "integer", (c) => c.notNull().references("org_units.id"))
    // banner (băng rôn) | panel (pa nô) | poster (áp phích)
    .addColumn("kind", "text", (c) => c.notNull())
    .addColumn("title", "text", (c) => c.notNull())
    .addColumn("place", "text", (c) => c.notNull())
    .addColumn("put_up_on", "text", (c) => c.notNull())
    .addColumn("quantity", "integer", (c) => c.notNull())
    .addColumn("area_ids_json", "text", (c) => c.notNull().defaultTo("[]"))
    .addColumn("cost", "integer")
    // Set in the same transaction, once the photo's stored file (owned by this row) is saved.
    .addColumn("file_id", "integer", (c) => c.references("stored_files.id"))
    .addColumn("alt", "text", (c) => c.notNull())
    .addColumn("withdrawn_reason", "text")
    .addColumn("created_by", "integer", (c) => c.references("users.id"))
    .addColumn("created_at", "text", (c) => c.notNull())
    .execute();
  await watchAllTables(db, ctx);
}
