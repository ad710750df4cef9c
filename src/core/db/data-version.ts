/**
 * A cheap fingerprint of the database's contents: it changes whenever any process commits a write.
 * Cached pages are valid only while it is unchanged, so a CLI import or another server's change shows at once.
 * - SQLite: `PRAGMA data_version` moves when another connection commits; `total_changes()` when this one writes.
 * - PostgreSQL: statement triggers on every table advance the `data_epoch` sequence (migration 004).
 */
import { sql, type Transaction } from "kysely";
import type { Db } from "./connection.ts";
import type { Database } from "./schema.ts";

// Prepared once per connection: this runs on every cached page view.
const statements = new WeakMap<
  object,
  { version: { pluck(): { get(): unknown } }; changes: { pluck(): { get(): unknown } } }
>();

// Rows this connection changed in quiet writes, left out of its SQLite version (see `quietWrite`).
const quietChanges = new WeakMap<object, number>();

/**
 * A write no public page shows (a log's counters): it does not move the data version, so it never empties the page
 * cache. On PostgreSQL the table simply has no data-epoch trigger (migration 004's QUIET list); on SQLite the rows
 * the transaction changed are subtracted from this connection's `total_changes()`. A cached page asked for in the
 * middle of the write may be rendered once more: never a stale one.
 */
export async function quietWrite<T>(db: Db, write: (trx: Transaction<Database>) => Promise<T>): Promise<T> {
  return db.kysely.transaction().execute(async (trx) => {
    if (!db.sqlite) return write(trx);
    const changes = async () =>
      Number((await sql<{ n: number }>`select total_changes() as n`.execute(trx)).rows[0]?.n ?? 0);
    const before = await changes();
    const out = await write(trx);
    const handle = db.sqlite;
    quietChanges.set(handle, (quietChanges.get(handle) ?? 0) + (await changes()) - before);
    return out;
  });
}

export async function dataVersion(db: Db): Promise<string> {
  if (db.sqlite) {
    let s = statements.get(db.sqlite);
    if (!s) {
      s = { version: db.sqlite.prepare("pragma data_version"), changes: db.sqlite.prepare("select total_changes()") };
      statements.set(db.sqlite, s);
    }
    return `${s.version.pluck().get()}:${Number(s.changes.pluck().get()) - (quietChanges.get(db.sqlite) ?? 0)}`;
  }
  const r = await sql<{
    last_value: number | string;
    is_called: boolean;
  }>`select last_value, is_called from data_epoch`.execute(db.kysely);
  const row = r.rows[0];
  return row ? `${row.last_value}:${row.is_called}` : "0";
}

/**
 * How long a data version read for the page cache is trusted when this process has not written since: writes by
 * another process (the CLI, another server on the same database) show within this time, this process's own at once.
 */
export const OTHER_WRITERS_MS = 20;
