/**
 * The database file store (issue 12 §6, FILE_STORE=database on PostgreSQL): stored files' bytes in the database every
 * app process reaches. `file_blobs` holds one row per blob (by SHA-256: content-addressed, written once) and
 * `file_chunks` its bytes cut in chunks of `chunk_size`, so a range request of a long recording reads only what it
 * sends. Created on SQLite too (the same schema everywhere), where it stays empty: SQLite keeps files in the folder.
 * No data-epoch trigger (004's QUIET list): a blob changes no page until a row naming it is written.
 */
import { type Kysely, sql } from "kysely";
import type { MigrationContext } from "../migrate-helpers.ts";

export async function up(db: Kysely<unknown>, ctx: MigrationContext): Promise<void> {
  await db.schema
    .createTable("file_blobs")
    .addColumn("sha256", "text", (c) => c.primaryKey())
    .addColumn("size", "bigint", (c) => c.notNull())
    .addColumn("chunk_size", "integer", (c) => c.notNull())
    .addColumn("created_at", "text", (c) => c.notNull())
    .execute();
  await db.schema
    .createTable("file_chunks")
    .addColumn("sha256", "text", (c) => c.notNull().references("file_blobs.sha256"))
    .addColumn("n", "integer", (c) => c.notNull())
    .addColumn("bytes", ctx.dialect === "postgres" ? sql`bytea` : sql`blob`, (c) => c.notNull())
    .addPrimaryKeyConstraint("file_chunks_pk", ["sha256", "n"])
    .execute();
  // Photos, PDFs and MP3s do not compress: stored out of line without trying.
  if (ctx.dialect === "postgres")
    await sql`alter table file_chunks alter column bytes set storage external`.execute(db);
}
