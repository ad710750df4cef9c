/**
 * A cheap fingerprint of the database's contents: it changes whenever any process commits a write.
 * Cached pages are valid only while it is unchanged, so a CLI import or another server's change shows at once.
 * - SQLite: `PRAGMA data_version` moves when another connection commits; `total_changes()` when this one writes.
 * - PostgreSQL: statement triggers on every table advance the `data_epoch` sequence (migration 004).
 */
import { sql } from "kysely";
import type { Db } from "./connection.ts";

// Prepared once per connection: this runs on every cached page view.
const statements = new WeakMap<
  object,
  { version: { pluck(): { get(): unknown } }; changes: { pluck(): { get(): unknown } } }
>();

export async function dataVersion(db: Db): Promise<string> {
  if (db.sqlite) {
    let s = statements.get(db.sqlite);
    if (!s) {
      s = { version: db.sqlite.prepare("pragma data_version"), changes: db.sqlite.prepare("select total_changes()") };
      statements.set(db.sqlite, s);
    }
    return `${s.version.pluck().get()}:${s.changes.pluck().get()}`;
  }
  const r = await sql<{
    last_value: number | string;
    is_called: boolean;
  }>`select last_value, is_called from data_epoch`.execute(db.kysely);
  const row = r.rows[0];
  return row ? `${row.last_value}:${row.is_called}` : "0";
}
