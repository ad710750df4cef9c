/**
 * One process at a time sets the database up (issue 12): migrations, the first start's demo ward or setup code, the
 * first administrator, the portal's id. Several processes started together on an empty PostgreSQL schema (a
 * province's systemd units after the install) would otherwise race: both create Kysely's bookkeeping tables, both
 * find no user and load the demo, both create an administrator. On PostgreSQL a session advisory lock, keyed by the
 * schema (two deployments or test schemas in one database do not wait for each other), is taken on a connection of
 * its own — not one of the pool's, which the work inside needs — and released when the work is done or has failed
 * (closing the connection releases it too, should the process die). The processes that waited then find everything
 * done and do nothing. SQLite: one file, one process (the data folder's claim refuses a second server): no lock.
 */
import pg from "pg";
import type { Db } from "./connection.ts";

/** The lock's key: one per schema (hashtextextended gives a bigint, the key pg_advisory_lock takes). */
const KEY = "hashtextextended('cchc:setup:' || current_schema(), 0)";

export async function withSetupLock<T>(db: Db, work: () => Promise<T>): Promise<T> {
  if (db.dialect !== "postgres" || !db.postgresUrl) return work();
  const client = new pg.Client({ connectionString: db.postgresUrl });
  // A cut connection (the database restarting) reaches the query in hand; without a listener it would end the process.
  client.on("error", () => {});
  await client.connect();
  try {
    await client.query(`select pg_advisory_lock(${KEY})`);
    try {
      return await work();
    } finally {
      await client.query(`select pg_advisory_unlock(${KEY})`).catch(() => null);
    }
  } finally {
    await client.end().catch(() => null);
  }
}
