/**
 * Photos of a held event (issue 10 §4): re-encoded without metadata on upload (the blob in the file store, owner
 * kind `event_photo`), each with its alt text. Public while the event is held and announced; never once withdrawn.
 */
import type { Kysely } from "kysely";
import { idColumn, type MigrationContext } from "../migrate-helpers.ts";
import { watchAllTables } from "./20261127-004-data-epoch.ts";

export async function up(db: Kysely<unknown>, ctx: MigrationContext): Promise<void> {
  await db.schema
    .createTable("event_photos")
    .addColumn("id", idColumn(ctx), (c) => c.primaryKey())
    .addColumn("event_id", "integer", (c) => c.notNull().references("events.id"))
    .addColumn("file_id", "integer", (c) => c.notNull().references("stored_files.id"))
    .addColumn("alt", "text", (c) => c.notNull())
    .addColumn("width", "integer", (c) => c.notNull())
    .addColumn("height", "integer", (c) => c.notNull())
    .addColumn("created_by", "integer", (c) => c.references("users.id"))
    .addColumn("created_at", "text", (c) => c.notNull())
    .execute();
  await db.schema.createIndex("event_photos_event").on("event_photos").column("event_id").execute();
  await watchAllTables(db, ctx);
}
