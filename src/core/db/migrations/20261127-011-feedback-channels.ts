/**
 * Feedback received off the web and feedback with files: who entered an item taken at the desk, by phone, by letter
 * or from the Front and unions (`entered_by`; the channel column exists since 007), and the files a sender attached
 * (images and PDF scans in `stored_files`, linked here, each once). Indexes for the two lists that grow: the public
 * list of published answers and an officer's list of their unit's items.
 */
import type { Kysely } from "kysely";
import { idColumn, type MigrationContext } from "../migrate-helpers.ts";
import { watchAllTables } from "./20261127-004-data-epoch.ts";

export async function up(db: Kysely<unknown>, ctx: MigrationContext): Promise<void> {
  await db.schema
    .alterTable("feedback_items")
    .addColumn("entered_by", "integer", (c) => c.references("users.id"))
    .execute();
  await db.schema
    .createTable("feedback_files")
    .addColumn("id", idColumn(ctx), (c) => c.primaryKey())
    .addColumn("feedback_id", "integer", (c) => c.notNull().references("feedback_items.id"))
    .addColumn("file_id", "integer", (c) => c.notNull().references("stored_files.id"))
    .addUniqueConstraint("feedback_files_once", ["feedback_id", "file_id"])
    .execute();
  await db.schema
    .createIndex("feedback_items_ward_published")
    .on("feedback_items")
    .columns(["ward_id", "status", "published_at"])
    .execute();
  await db.schema
    .createIndex("feedback_items_unit")
    .on("feedback_items")
    .columns(["assigned_unit_id", "received_at"])
    .execute();
  await watchAllTables(db, ctx);
}
