/** PostgreSQL: a sequence every write advances, so cached pages know when data changed (see data-version.ts). */
import { type Kysely, sql } from "kysely";
import type { MigrationContext } from "../migrate-helpers.ts";

/** Tables whose writes never change a public page. */
const QUIET = new Set([
  "sessions",
  "login_attempts",
  "kysely_migration",
  "kysely_migration_lock",
  "jobs",
  "search_log",
  "search_opens",
  "file_blobs",
  "file_chunks",
]);

/** Install the change trigger on every table that has none yet; later migrations call it again for new tables. */
export async function watchAllTables(db: Kysely<unknown>, ctx: MigrationContext): Promise<void> {
  if (ctx.dialect !== "postgres") return;
  const tables = await sql<{
    tablename: string;
  }>`select tablename from pg_tables where schemaname = current_schema()`.execute(db);
  for (const { tablename } of tables.rows) {
    if (QUIET.has(tablename)) continue;
    await sql`drop trigger if exists data_epoch_bump on ${sql.table(tablename)}`.execute(db);
    await sql`create trigger data_epoch_bump after insert or update or delete on ${sql.table(tablename)} for each statement execute function data_epoch_bump()`.execute(
      db,
    );
  }
  // Migration 046's change notification, once it exists: later migrations' new tables get its triggers too.
  const notify = await sql<{ f: string | null }>`select to_regprocedure('cchc_watch_tables()')::text as f`.execute(db);
  if (notify.rows[0]?.f) await sql`select cchc_watch_tables()`.execute(db);
}

export async function up(db: Kysely<unknown>, ctx: MigrationContext): Promise<void> {
  if (ctx.dialect !== "postgres") return;
  await sql`create sequence data_epoch`.execute(db);
  await sql`create function data_epoch_bump() returns trigger language plpgsql as $$ begin perform nextval('data_epoch'); return null; end $$`.execute(
    db,
  );
  await watchAllTables(db, ctx);
}
