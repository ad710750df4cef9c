/**
 * A cheap fingerprint of the database's contents: it changes whenever any process commits a write.
 * Cached pages are valid only while it is unchanged, so a CLI import or another server's change shows at once.
 * - SQLite: `PRAGMA data_version` moves when another connection commits; `total_changes()` when this one writes.
 * - PostgreSQL: statement triggers on every table advance the `data_epoch` sequence (migration 004).
 */
import { sql } from "kysely";
import type { Db } from "./connection.ts";

export async function dataVersion(db: Db): Promise<string> {
  if (db.sqlite) {
    const v = db.sqlite.pragma("data_version", { simple: true });
    const own = db.sqlite.prepare("select total_changes() as n").get() as { n: number };
    return `${v}:${own.n}`;
  }
  const r = await sql<{
    last_value: number | string;
    is_called: boolean;
  }>`select last_value, is_called from data_epoch`.execute(db.kysely);
  const row = r.rows[0];
  return row ? `${row.last_value}:${row.is_called}` : "0";
}
