/**
 * Personal data erased on request or at the end of the retention period (Luật Bảo vệ dữ liệu cá nhân
 * 91/2025/QH15, Nghị định 356/2025/NĐ-CP): when and why a sender's or an asker's data was erased.
 *
 * Erasure blanks the personal fields rather than deleting the row, so the item, its workflow history and its
 * public answer stay. The NOT NULL columns (name, address, phone) become empty strings, the nullable ones (email,
 * an asker's phone) NULL: relaxing NOT NULL would mean rebuilding both tables on SQLite (it has no ALTER COLUMN)
 * and would change the column types other features read; an empty string is never a valid name, address or
 * normalised phone, so nothing can match it. `erased_at` is the marker the pages and the purge rely on.
 * The consent time and text stay: they record the lawful basis on which the data was held.
 */
import type { Kysely } from "kysely";
import type { MigrationContext } from "../migrate-helpers.ts";
import { watchAllTables } from "./20261127-004-data-epoch.ts";

export async function up(db: Kysely<unknown>, ctx: MigrationContext): Promise<void> {
  // SQLite adds one column per statement.
  for (const table of ["feedback_senders", "question_askers"]) {
    await db.schema.alterTable(table).addColumn("erased_at", "text").execute();
    await db.schema.alterTable(table).addColumn("erased_reason", "text").execute();
  }
  await watchAllTables(db, ctx);
}
