/**
 * Uploads waiting for their confirmation (a procedure catalogue file: checked first, then confirmed), in the
 * database rather than in a process's data folder, so the confirmation may reach another app process than the check
 * did (issue 12: several processes behind nginx). A row is the upload's bytes and what the confirmation needs, under
 * the SHA-256 of the token the form carries (the token itself is never stored), bound to the user who uploaded, kept
 * an hour.
 * Quiet (no change notification, no data-version trigger): no page shows it.
 */
import { type Kysely, sql } from "kysely";
import type { MigrationContext } from "../migrate-helpers.ts";

export async function up(db: Kysely<unknown>, ctx: MigrationContext): Promise<void> {
  await db.schema
    .createTable("staged_uploads")
    .addColumn("token_sha256", "text", (c) => c.primaryKey())
    .addColumn("purpose", "text", (c) => c.notNull())
    .addColumn("user_id", "integer", (c) => c.notNull().references("users.id").onDelete("cascade"))
    .addColumn("file_name", "text", (c) => c.notNull())
    .addColumn("meta", "text", (c) => c.notNull())
    .addColumn("bytes", ctx.dialect === "postgres" ? sql`bytea` : sql`blob`, (c) => c.notNull())
    .addColumn("created_at", "text", (c) => c.notNull())
    .execute();
  await db.schema.createIndex("staged_uploads_created").on("staged_uploads").column("created_at").execute();
  await db.schema.createIndex("staged_uploads_user").on("staged_uploads").column("user_id").execute();
}
