/**
 * Background jobs: the one interface for work no request should wait for (a bulletin's speech audio) or that must
 * happen at a time nobody is there (a publication scheduled for 07:00). A feature defines its kinds at module level
 * with `defineJob`, enqueues them with `enqueueJob` inside the transaction that makes them necessary (so a rolled
 * back write queues nothing), and the server's runner (`startJobRunner`, main.ts) runs them when due.
 *
 * The queue is the `jobs` table (migration 029) on both databases, so one deployment needs no other service:
 * - A runner claims a due job by moving it to `running` with a lease (`locked_until`) in one statement; on
 *   PostgreSQL the candidate row is locked `for update skip locked`, so several servers on one database never run
 *   the same job twice and never wait on each other. A runner that dies mid-job leaves it to be claimed again when
 *   the lease ends: handlers are written to be safe to run twice (they check the state they are about to change).
 * - A failure goes back to the queue with a growing delay until `maxAttempts`, then stays `failed` with its error
 *   for staff to see.
 * - What a job changes is an ordinary write, so cached pages and feeds change when it runs, not before.
 */
import { type Kysely, sql, type Transaction } from "kysely";
import type { Logger } from "pino";
import type { Db } from "../db/connection.ts";
import type { Database } from "../db/schema.ts";
import type { FileStore } from "../file-store.ts";

type Q = Kysely<Database> | Transaction<Database>;

export interface JobContext {
  db: Db;
  /** The time the runner started this job (a test's clock, or the wall clock). */
  now: Date;
  log: Pick<Logger, "info" | "warn" | "error">;
  dataDir: string;
  /** The deployment's file store (core/file-store.ts): where a job puts the bytes it makes. */
  files: FileStore;
}

export interface JobOptions {
  /** Tries before the job stays failed. */
  maxAttempts?: number;
  /** How long one run may take before another runner may claim the job again. */
  leaseMs?: number;
}

export interface JobKind<P> {
  readonly kind: string;
  readonly maxAttempts: number;
  readonly leaseMs: number;
  run(payload: P, ctx: JobContext): Promise<void>;
}

const registry = new Map<string, JobKind<unknown>>();

/** Declare a kind of job and its handler (once per kind, at module level). */
export function defineJob<P>(
  kind: string,
  run: (payload: P, ctx: JobContext) => Promise<void>,
  opts: JobOptions = {},
): JobKind<P> {
  if (registry.has(kind)) throw new Error(`job kind "${kind}" is defined twice`);
  const job: JobKind<P> = { kind, run, maxAttempts: opts.maxAttempts ?? 5, leaseMs: opts.leaseMs ?? 10 * 60_000 };
  registry.set(kind, job as JobKind<unknown>);
  return job;
}

export interface EnqueueOptions {
  /** When it becomes due; now when absent. */
  runAt?: Date;
  /** What the job is about: a queued job with the same key is replaced (rescheduling), never doubled. */
  key?: string;
  wardId?: number;
}

/** Queue a job in the caller's transaction; returns its id. */
export async function enqueueJob<P>(
  trx: Q,
  job: JobKind<P>,
  payload: P,
  opts: EnqueueOptions,
  now: Date,
): Promise<number> {
  if (opts.key) await cancelJobs(trx, opts.key);
  const row = await trx
    .insertInto("jobs")
    .values({
      kind: job.kind,
      payload_json: JSON.stringify(payload),
      key: opts.key ?? null,
      ward_id: opts.wardId ?? null,
      status: "queued",
      run_at: (opts.runAt ?? now).toISOString(),
      created_at: now.toISOString(),
    })
    .returning("id")
    .executeTakeFirstOrThrow();
  return Number(row.id);
}

/** Drop the queued (not yet running) jobs about `key`; returns how many. */
export async function cancelJobs(trx: Q, key: string): Promise<number> {
  const r = await trx.deleteFrom("jobs").where("key", "=", key).where("status", "=", "queued").executeTakeFirst();
  return Number(r.numDeletedRows);
}

interface Claimed {
  id: number;
  kind: string;
  payload_json: string;
  attempts: number;
}

/** Claim the next due job (queued and due, or running with its lease over), or null. */
async function claimNext(db: Db, now: Date, leaseMs: number): Promise<Claimed | null> {
  const at = now.toISOString();
  const until = new Date(now.getTime() + leaseMs).toISOString();
  const lock = db.dialect === "postgres" ? sql`for update skip locked` : sql``;
  const r = await sql<Claimed>`
    update jobs set status = 'running', attempts = attempts + 1, locked_until = ${until}
    where id = (
      select id from jobs
      where (status = 'queued' and run_at <= ${at}) or (status = 'running' and locked_until < ${at})
      order by run_at, id limit 1 ${lock}
    )
    returning id, kind, payload_json, attempts`.execute(db.kysely);
  const row = r.rows[0];
  return row ? { ...row, id: Number(row.id), attempts: Number(row.attempts) } : null;
}

/** Delay before try n+1 after n failures: 30 s, 2 min, 8 min… capped at an hour. */
export function retryDelayMs(attempts: number): number {
  return Math.min(60 * 60_000, 30_000 * 4 ** Math.max(0, attempts - 1));
}

/** The longest lease of the defined kinds: a claim must outlast any handler that may run. */
function longestLease(): number {
  let max = 60_000;
  for (const j of registry.values()) max = Math.max(max, j.leaseMs);
  return max;
}

/**
 * Run every job due at `ctx.now`, one after another, and return how many ran (done or failed). The runner calls it
 * on a timer; tests call it to make the background happen at a moment of their choosing.
 */
export async function runDueJobs(ctx: JobContext, limit = 100): Promise<number> {
  let ran = 0;
  while (ran < limit) {
    const job = await claimNext(ctx.db, ctx.now, longestLease());
    if (!job) break;
    ran++;
    const kind = registry.get(job.kind);
    try {
      if (!kind) throw new Error(`no handler for job kind "${job.kind}"`);
      await kind.run(JSON.parse(job.payload_json), ctx);
      await ctx.db.kysely
        .updateTable("jobs")
        .set({ status: "done", finished_at: ctx.now.toISOString(), locked_until: null, last_error: null })
        .where("id", "=", job.id)
        .execute();
    } catch (err) {
      const message = (err as Error).message?.slice(0, 2000) ?? String(err);
      const giveUp = !kind || job.attempts >= kind.maxAttempts;
      await ctx.db.kysely
        .updateTable("jobs")
        .set(
          giveUp
            ? { status: "failed", finished_at: ctx.now.toISOString(), locked_until: null, last_error: message }
            : {
                status: "queued",
                run_at: new Date(ctx.now.getTime() + retryDelayMs(job.attempts)).toISOString(),
                locked_until: null,
                last_error: message,
              },
        )
        .where("id", "=", job.id)
        .execute();
      ctx.log.warn({ event: "job.failed", id: job.id, kind: job.kind, attempts: job.attempts, giveUp, message });
    }
  }
  return ran;
}

/** The queue as a scrape sees it: jobs waiting (of which due now), running, and failed for good. */
export interface QueueDepth {
  queued: number;
  due: number;
  running: number;
  failed: number;
}

/** Count the queue at `now`: one grouped read over the (status, run_at) index, never the done jobs. */
export async function queueDepth(db: Db, now: Date): Promise<QueueDepth> {
  const at = now.toISOString();
  const rows = await db.kysely
    .selectFrom("jobs")
    .select((eb) => [
      "status",
      eb.fn.countAll<number | string>().as("n"),
      eb.fn.sum<number | string | null>(eb.case().when("run_at", "<=", at).then(1).else(0).end()).as("due"),
    ])
    .where("status", "in", ["queued", "running", "failed"])
    .groupBy("status")
    .execute();
  const depth: QueueDepth = { queued: 0, due: 0, running: 0, failed: 0 };
  for (const r of rows) {
    const n = Number(r.n);
    if (r.status === "queued") {
      depth.queued = n;
      depth.due = Number(r.due ?? 0);
    } else if (r.status === "running") depth.running = n;
    else if (r.status === "failed") depth.failed = n;
  }
  return depth;
}

/**
 * Poll for due jobs every `pollMs` (one indexed query when there is nothing to do) and run them; never two polls
 * at once in one process. Returns a function that stops it.
 */
export function startJobRunner(deps: {
  db: Db;
  log: JobContext["log"];
  dataDir: string;
  files: FileStore;
  clock: () => Date;
  pollMs: number;
}): () => void {
  let running = false;
  const tick = async () => {
    if (running) return;
    running = true;
    try {
      await runDueJobs({ db: deps.db, log: deps.log, dataDir: deps.dataDir, files: deps.files, now: deps.clock() });
    } catch (err) {
      deps.log.error({ event: "job.runner_failed", message: (err as Error).message });
    } finally {
      running = false;
    }
  };
  const timer = setInterval(tick, deps.pollMs);
  timer.unref();
  return () => clearInterval(timer);
}
