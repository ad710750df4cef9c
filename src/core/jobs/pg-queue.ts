/**
 * The PostgreSQL side of the job queue (issue 12 §5): pg-boss, a maintained queue, delivers each queued `jobs` row to
 * exactly one runner across every process on the database, expires a delivery whose runner died (kill -9, power cut)
 * and delivers it again, with a growing delay after a failure and a maximum number of tries. Its tables live in a
 * schema of their own beside ours (`pgboss` for `public`, `<schema>_pgboss` otherwise, so each test file's schema
 * keeps its own queue); pg-boss creates and migrates them at start under an advisory lock, so two processes starting
 * at once do not race.
 *
 * The `jobs` row stays the record (what staff and the metrics see, what the tests read): the pg-boss job only carries
 * its id, is sent in the same transaction as the row (`executorOf`: pg-boss's insert runs on the caller's Kysely
 * transaction), and is cancelled with it. Nothing here knows a job kind: jobs.ts runs what is delivered.
 */

import { CompiledQuery, type Kysely, PostgresAdapter, type Transaction } from "kysely";
import PgBoss from "pg-boss";
import type { Db } from "../db/connection.ts";
import type { Database } from "../db/schema.ts";
import { withSetupLock } from "../db/setup-lock.ts";

type Q = Kysely<Database> | Transaction<Database>;

/** The one pg-boss queue of the `jobs` rows (its data is `{ jobId }`). */
export const ROWS_QUEUE = "cchc.jobs";
/** The queue of a periodic task (one per task, each with its cron schedule). */
export const periodicQueue = (name: string) => `cchc.periodic.${name}`;

/** pg-boss's schema for the schema our tables are in. */
export function queueSchemaFor(schema: string): string {
  return schema === "public" ? "pgboss" : `${schema}_pgboss`;
}

/** What pg-boss needs to run a statement: here, on a Kysely connection or transaction of ours. */
export function executorOf(q: Q): PgBoss.Db {
  return {
    async executeSql(text: string, values: unknown[] = []) {
      const r = await q.executeQuery(CompiledQuery.raw(text, values));
      return { rows: r.rows as unknown[] as never[] };
    },
  };
}

/** The pg-boss this process started (the server's runner, or a test's), or null: SQLite, or no runner here. */
let active: PgBoss | null = null;

export function activeQueue(): PgBoss | null {
  return active;
}

/** True when `q` runs on PostgreSQL (a row queued on SQLite never has a pg-boss twin, even in a mixed test run). */
export function onPostgres(q: Q): boolean {
  return q.getExecutor().adapter instanceof PostgresAdapter;
}

export interface QueueStartOptions {
  /** The server's connection string (its search_path names our schema). */
  connectionString: string;
  db: Db;
  /** How often pg-boss looks for expired deliveries (a dead runner's job comes back within lease + this). */
  maintenanceSeconds: number;
  log: { error(o: object, m?: string): void; warn(o: object, m?: string): void };
}

/** Start pg-boss on the schema beside ours (creating or migrating its tables), with the rows' queue. */
export async function startQueue(opts: QueueStartOptions): Promise<PgBoss> {
  const current = CompiledQuery.raw("select current_schema() as s", []);
  const schema = String((await opts.db.kysely.executeQuery<{ s: string }>(current)).rows[0]?.s ?? "public");
  const boss = new PgBoss({
    connectionString: opts.connectionString,
    schema: queueSchemaFor(schema),
    application_name: "cchc-jobs",
    max: 3,
    maintenanceIntervalSeconds: opts.maintenanceSeconds,
    // Finished deliveries are kept a week (the `jobs` rows are the record), then deleted by pg-boss's maintenance.
    deleteAfterDays: 7,
  });
  boss.on("error", (err) => opts.log.error({ event: "jobs.queue_error", message: err.message }, "job queue error"));
  // Under the setup lock: pg-boss creates its schema when it finds none, and a second process that waited on pg-boss's
  // own lock meanwhile would then create it again and fail ("relation version already exists").
  await withSetupLock(opts.db, async () => {
    await boss.start();
    // A queue that exists already is left as it is (pg-boss inserts it `on conflict do nothing`).
    await boss.createQueue(ROWS_QUEUE);
  });
  active = boss;
  return boss;
}

export async function stopQueue(boss: PgBoss): Promise<void> {
  if (active === boss) active = null;
  await boss.stop({ graceful: true, wait: true, timeout: 10_000 });
}

/** Send the delivery of row `jobId` in the caller's transaction; returns the pg-boss job's id. */
export async function sendDelivery(
  boss: PgBoss,
  q: Q,
  job: { jobId: number; runAt: Date; leaseMs: number; maxAttempts: number; retryDelayMs: number },
): Promise<string> {
  const id = await boss.send(
    ROWS_QUEUE,
    { jobId: job.jobId },
    {
      db: executorOf(q),
      startAfter: job.runAt,
      expireInSeconds: Math.max(1, Math.ceil(job.leaseMs / 1000)),
      // pg-boss counts the first delivery apart: `maxAttempts` tries are the first and `maxAttempts - 1` retries.
      retryLimit: Math.max(0, job.maxAttempts - 1),
      // Between 1 and 2 times the first delay, doubling (with jitter) after each failure.
      retryDelay: Math.max(1, Math.round(job.retryDelayMs / 1000)),
      retryBackoff: true,
    },
  );
  if (!id) throw new Error(`the job queue refused job ${job.jobId}`);
  return id;
}

/** Cancel deliveries not yet run, in the caller's transaction. */
export async function cancelDeliveries(boss: PgBoss, q: Q, ids: string[]): Promise<void> {
  if (ids.length > 0) await boss.cancel(ROWS_QUEUE, ids, { db: executorOf(q) });
}
