/**
 * Background jobs: the one interface for work no request should wait for (a bulletin's speech audio) or that must
 * happen at a time nobody is there (a publication scheduled for 07:00). A feature defines its kinds at module level
 * with `defineJob`, enqueues them with `enqueueJob` inside the transaction that makes them necessary (so a rolled
 * back write queues nothing), and the server's runner (`startJobRunner`, main.ts) runs them when due. Periodic work
 * (the retention purges) is a `PeriodicTask` the runner runs on its schedule.
 *
 * The `jobs` table (migration 029) is the record on both databases: what is queued, running, done or failed (with its
 * error, for staff and the metrics). Who runs a row differs:
 * - SQLite (one process by definition): the in-process runner claims a due row by moving it to `running` with a lease
 *   (`locked_until`) in one statement, and runs the periodic tasks on timers.
 * - PostgreSQL (any number of processes): pg-boss (pg-queue.ts) delivers each row to exactly one runner across the
 *   processes. Its job is sent in the same transaction as the row; a runner killed mid-job lets the delivery expire
 *   after the kind's lease, and pg-boss delivers it again (to this or another process). Periodic tasks are pg-boss
 *   cron schedules: one run per tick across every process.
 * Either way a job may run again after a crash: handlers are written to be safe to run twice (they check the state
 * they are about to change), so a kill -9 mid-job leaves exactly one effect.
 * - A failure is tried again with a growing delay until `maxAttempts`, then stays `failed` with its error.
 * - What a job changes is an ordinary write, so cached pages and feeds change when it runs, not before.
 */
import { type Kysely, sql, type Transaction } from "kysely";
import type { Logger } from "pino";
import type { Db } from "../db/connection.ts";
import type { Database } from "../db/schema.ts";
import type { FileStore } from "../file-store.ts";
import {
  activeQueue,
  cancelDeliveries,
  onPostgres,
  periodicQueue,
  ROWS_QUEUE,
  sendDelivery,
  startQueue,
  stopQueue,
} from "./pg-queue.ts";

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
  /** The delay before the first retry (default 30 s), growing with each failure. */
  retryDelayMs?: number;
}

export interface JobKind<P> {
  readonly kind: string;
  readonly maxAttempts: number;
  readonly leaseMs: number;
  readonly retryDelayMs: number;
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
  const job: JobKind<P> = {
    kind,
    run,
    maxAttempts: opts.maxAttempts ?? 5,
    leaseMs: opts.leaseMs ?? 10 * 60_000,
    retryDelayMs: opts.retryDelayMs ?? 30_000,
  };
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
  const id = Number(row.id);
  // PostgreSQL with a runner in this process: pg-boss's delivery of the row, in the same transaction.
  const boss = activeQueue();
  if (boss && onPostgres(trx)) {
    const runAt = opts.runAt ?? now;
    const queueId = await sendDelivery(boss, trx, { jobId: id, runAt, ...job });
    await trx.updateTable("jobs").set({ queue_id: queueId }).where("id", "=", id).execute();
  }
  return id;
}

/** Drop the queued (not yet running) jobs about `key`, and their deliveries; returns how many. */
export async function cancelJobs(trx: Q, key: string): Promise<number> {
  const boss = activeQueue();
  if (boss && onPostgres(trx)) {
    const twins = await trx
      .selectFrom("jobs")
      .select("queue_id")
      .where("key", "=", key)
      .where("status", "=", "queued")
      .where("queue_id", "is not", null)
      .execute();
    await cancelDeliveries(
      boss,
      trx,
      twins.map((t) => String(t.queue_id)),
    );
  }
  // A delivery left behind (cancelled by a process without a runner) finds no row and does nothing.
  const r = await trx.deleteFrom("jobs").where("key", "=", key).where("status", "=", "queued").executeTakeFirst();
  return Number(r.numDeletedRows);
}

interface Claimed {
  id: number;
  kind: string;
  payload_json: string;
  attempts: number;
}

/** Claim the next due job no pg-boss delivers (queued and due, or running with its lease over), or null. */
async function claimNext(db: Db, now: Date, leaseMs: number): Promise<Claimed | null> {
  const at = now.toISOString();
  const until = new Date(now.getTime() + leaseMs).toISOString();
  const lock = db.dialect === "postgres" ? sql`for update skip locked` : sql``;
  const r = await sql<Claimed>`
    update jobs set status = 'running', attempts = attempts + 1, locked_until = ${until}
    where id = (
      select id from jobs
      where ((status = 'queued' and run_at <= ${at}) or (status = 'running' and locked_until < ${at}))
        and queue_id is null
      order by run_at, id limit 1 ${lock}
    )
    returning id, kind, payload_json, attempts`.execute(db.kysely);
  const row = r.rows[0];
  return row ? { ...row, id: Number(row.id), attempts: Number(row.attempts) } : null;
}

/** Delay before try n+1 after n failures: 30 s (or the kind's first delay), 2 min, 8 min… capped at an hour. */
export function retryDelayMs(attempts: number, firstMs = 30_000): number {
  return Math.min(60 * 60_000, firstMs * 4 ** Math.max(0, attempts - 1));
}

/** The longest lease of the defined kinds: a claim must outlast any handler that may run. */
function longestLease(): number {
  let max = 60_000;
  for (const j of registry.values()) max = Math.max(max, j.leaseMs);
  return max;
}

/**
 * Run a claimed job and record the outcome on its row. A failure goes back to `queued` with a later `run_at` until
 * `maxAttempts`, then stays `failed`; returns the error (null when done).
 */
async function runClaimed(ctx: JobContext, job: Claimed): Promise<Error | null> {
  const kind = registry.get(job.kind);
  try {
    if (!kind) throw new Error(`no handler for job kind "${job.kind}"`);
    await kind.run(JSON.parse(job.payload_json), ctx);
    await ctx.db.kysely
      .updateTable("jobs")
      .set({ status: "done", finished_at: ctx.now.toISOString(), locked_until: null, last_error: null })
      .where("id", "=", job.id)
      .execute();
    return null;
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
              run_at: new Date(ctx.now.getTime() + retryDelayMs(job.attempts, kind.retryDelayMs)).toISOString(),
              locked_until: null,
              last_error: message,
            },
      )
      .where("id", "=", job.id)
      .execute();
    ctx.log.warn({ event: "job.failed", id: job.id, kind: job.kind, attempts: job.attempts, giveUp, message });
    return err instanceof Error ? err : new Error(message);
  }
}

/**
 * Run every job due at `ctx.now` that no pg-boss delivers (on SQLite, all of them), one after another, and return
 * how many ran (done or failed). The SQLite runner calls it on a timer; tests call it to make the background happen
 * at a moment of their choosing.
 */
export async function runDueJobs(ctx: JobContext, limit = 100): Promise<number> {
  let ran = 0;
  while (ran < limit) {
    const job = await claimNext(ctx.db, ctx.now, longestLease());
    if (!job) break;
    ran++;
    await runClaimed(ctx, job);
  }
  return ran;
}

/**
 * Run the row pg-boss delivered (`queueId` is the delivery, `attempt` its try: 1 + pg-boss's retries). A row that
 * is gone (cancelled, replaced), already finished, or delivered by another job is left alone. A failure is thrown
 * back to pg-boss, which tries again later or, past the kind's maximum, marks the delivery failed too.
 */
export async function runDelivered(ctx: JobContext, jobId: number, queueId: string, attempt: number): Promise<void> {
  const kind0 = await ctx.db.kysely.selectFrom("jobs").select("kind").where("id", "=", jobId).executeTakeFirst();
  const leaseMs = (kind0 && registry.get(kind0.kind)?.leaseMs) || longestLease();
  const row = await ctx.db.kysely
    .updateTable("jobs")
    .set({ status: "running", attempts: attempt, locked_until: new Date(ctx.now.getTime() + leaseMs).toISOString() })
    .where("id", "=", jobId)
    .where("queue_id", "=", queueId)
    .where("status", "in", ["queued", "running"])
    .returning(["id", "kind", "payload_json", "attempts"])
    .executeTakeFirst();
  if (!row) return;
  const err = await runClaimed(ctx, { ...row, id: Number(row.id), attempts: Number(row.attempts) });
  if (err) throw err;
}

/**
 * Run a job that failed for good once more, as staff ask (the jobs page): in the caller's transaction the row goes
 * back to `queued`, due `now`, its tries counted afresh (its last error stays until the next outcome), and on
 * PostgreSQL with a runner in this process pg-boss gets a new delivery in the same transaction; otherwise the row
 * has none, and the SQLite runner (or, on PostgreSQL, the next start's adoption) runs it. `wardId`: only a job of
 * that ward. Returns false when there is no such failed job (another request retried it first, or it is not failed).
 */
export async function retryFailedJob(trx: Q, id: number, now: Date, scope: { wardId?: number } = {}): Promise<boolean> {
  let q = trx
    .updateTable("jobs")
    .set({
      status: "queued",
      attempts: 0,
      run_at: now.toISOString(),
      finished_at: null,
      locked_until: null,
      queue_id: null,
    })
    .where("id", "=", id)
    .where("status", "=", "failed");
  if (scope.wardId !== undefined) q = q.where("ward_id", "=", scope.wardId);
  const row = await q.returning(["id", "kind"]).executeTakeFirst();
  if (!row) return false;
  const boss = activeQueue();
  if (boss && onPostgres(trx)) {
    const kind = registry.get(row.kind);
    const queueId = await sendDelivery(boss, trx, {
      jobId: id,
      runAt: now,
      leaseMs: kind?.leaseMs ?? longestLease(),
      maxAttempts: kind?.maxAttempts ?? 1,
      retryDelayMs: kind?.retryDelayMs ?? 30_000,
    });
    await trx.updateTable("jobs").set({ queue_id: queueId }).where("id", "=", id).execute();
  }
  return true;
}

/**
 * How long a finished job's row is kept: the jobs page lists a week of them (features/jobs), then they are history
 * nobody reads. A job failed for good stays until it is run again: it waits for the operator.
 */
export const FINISHED_JOBS_KEPT_DAYS = 14;

/** Delete the rows of jobs done before `before`; returns how many. */
export async function purgeFinishedJobs(db: Db, before: Date): Promise<number> {
  const r = await db.kysely
    .deleteFrom("jobs")
    .where("status", "=", "done")
    .where("finished_at", "<", before.toISOString())
    .executeTakeFirst();
  return Number(r.numDeletedRows);
}

/** The nightly purge of finished jobs' rows (every job kind makes one a run: the table would only grow). */
export function finishedJobsPurgeTask(log: { info(o: object, m: string): void }): PeriodicTask {
  return {
    name: "jobs.purge",
    cron: "50 2 * * *",
    everyMs: 24 * 3600_000,
    async run(ctx) {
      const before = new Date(ctx.now.getTime() - FINISHED_JOBS_KEPT_DAYS * 86_400_000);
      const n = await purgeFinishedJobs(ctx.db, before);
      if (n > 0)
        log.info({ event: "jobs.purged", deleted: n, keptDays: FINISHED_JOBS_KEPT_DAYS }, "finished jobs purged");
    },
  };
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
 * Work done on a schedule rather than on demand (a retention purge): once soon after start, then on `cron`
 * (PostgreSQL: a pg-boss schedule, one run per tick across every process; its time zone is Asia/Ho_Chi_Minh) or
 * every `everyMs` (SQLite: a timer in the one process). `run` must be safe to run twice.
 */
export interface PeriodicTask {
  /** Letters, digits, dots and dashes ("privacy.purge"). */
  name: string;
  cron: string;
  everyMs: number;
  run(ctx: JobContext): Promise<void>;
}

export interface RunnerDeps {
  db: Db;
  log: JobContext["log"];
  dataDir: string;
  files: FileStore;
  clock: () => Date;
  pollMs: number;
  /** The server's PostgreSQL connection string; null on SQLite. */
  databaseUrl?: string | null;
  periodic?: PeriodicTask[];
}

/** The shortest lease of the defined kinds: pg-boss looks for expired deliveries at half of it (1 s to 2 min). */
function maintenanceSeconds(): number {
  let min = 240_000;
  for (const j of registry.values()) min = Math.min(min, j.leaseMs);
  return Math.max(1, Math.floor(min / 2000));
}

/**
 * Start the background work of this process: the due jobs and the periodic tasks, on SQLite in this process, on
 * PostgreSQL through pg-boss (see the top of this file). Resolves once started with a function that stops it
 * (waiting a little for a job in hand).
 */
export async function startJobRunner(deps: RunnerDeps): Promise<() => Promise<void>> {
  const ctx = (): JobContext => ({
    db: deps.db,
    log: deps.log,
    dataDir: deps.dataDir,
    files: deps.files,
    now: deps.clock(),
  });
  const runTask = async (task: PeriodicTask) => {
    try {
      await task.run(ctx());
    } catch (err) {
      deps.log.error({ event: "job.periodic_failed", task: task.name, message: (err as Error).message });
      throw err;
    }
  };
  if (deps.db.dialect === "postgres" && deps.databaseUrl) return startPgRunner(deps, ctx, runTask);

  let running = false;
  const tick = async () => {
    if (running) return;
    running = true;
    try {
      await runDueJobs(ctx());
    } catch (err) {
      deps.log.error({ event: "job.runner_failed", message: (err as Error).message });
    } finally {
      running = false;
    }
  };
  const timers: NodeJS.Timeout[] = [setInterval(tick, deps.pollMs)];
  for (const task of deps.periodic ?? []) {
    let busy = false;
    const once = async () => {
      if (busy) return;
      busy = true;
      await runTask(task).catch(() => {});
      busy = false;
    };
    timers.push(setTimeout(once, 2000), setInterval(once, task.everyMs));
  }
  for (const t of timers) t.unref();
  return async () => {
    for (const t of timers) clearTimeout(t);
  };
}

async function startPgRunner(
  deps: RunnerDeps,
  ctx: () => JobContext,
  runTask: (task: PeriodicTask) => Promise<void>,
): Promise<() => Promise<void>> {
  const boss = await startQueue({
    connectionString: String(deps.databaseUrl),
    db: deps.db,
    maintenanceSeconds: maintenanceSeconds(),
    log: deps.log,
  });
  await retryOnDeadlock(() => adoptRows(deps.db, deps.clock()));
  const polling = { pollingIntervalSeconds: Math.max(0.5, deps.pollMs / 1000), batchSize: 1 };
  await boss.work<{ jobId: number }>(ROWS_QUEUE, { ...polling, includeMetadata: true }, async ([job]) => {
    if (job) await runDelivered(ctx(), Number(job.data.jobId), job.id, job.retryCount + 1);
  });
  const names = new Set<string>();
  for (const task of deps.periodic ?? []) {
    const queue = periodicQueue(task.name);
    names.add(queue);
    await retryOnDeadlock(() => boss.createQueue(queue));
    await retryOnDeadlock(() =>
      boss.schedule(queue, task.cron, {}, { tz: "Asia/Ho_Chi_Minh", retryLimit: 2, retryDelay: 300 }),
    );
    await boss.work(queue, polling, async () => runTask(task));
    // Once at start as well, as the timers do on SQLite, unless a process already did in this half day (00:00-12:00 or 12:00-24:00 UTC; pg-boss allows no longer): several processes
    // starting (or restarting) in it share that one run, and the nightly tick runs anyway.
    await retryOnDeadlock(() => boss.send(queue, {}, { singletonKey: "start", singletonSeconds: 43_200 }));
  }
  // A task this deployment no longer runs (a retention set to 0) loses its schedule, or its ticks would pile up.
  for (const s of await boss.getSchedules()) {
    if (s.name.startsWith(periodicQueue("")) && !names.has(s.name)) await boss.unschedule(s.name);
  }
  return () => stopQueue(boss);
}

/**
 * Several processes starting at once on one PostgreSQL (a province's units after an install) run these start-up
 * steps together: handing queued rows to pg-boss in a transaction while another creates its periodic queues (pg-boss
 * creates a table per queue) can deadlock, and PostgreSQL then aborts one of them (40P01), which ended that process's
 * start. Each step here is idempotent or rolled back whole, so the one chosen as the victim runs it again, after a
 * short random pause.
 */
export async function retryOnDeadlock<T>(step: () => Promise<T>, tries = 4): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await step();
    } catch (err) {
      if ((err as { code?: unknown }).code !== "40P01" || attempt >= tries) throw err;
      await new Promise((resolve) => setTimeout(resolve, 50 + Math.random() * 200 * attempt));
    }
  }
}

/**
 * Rows queued without a delivery (by a process with no runner, or before pg-boss) get one now; a row left `running`
 * by such a process past its lease is queued again first. `skip locked`: two processes starting at once never give
 * one row two deliveries. A row left `running` past its lease whose delivery has ended (its process died on the last
 * try, so pg-boss gave up) is marked failed, so staff see it rather than a job running forever.
 */
async function adoptRows(db: Db, now: Date): Promise<void> {
  const boss = activeQueue();
  if (!boss) return;
  const stale = await db.kysely
    .selectFrom("jobs")
    .select(["id", "queue_id"])
    .where("status", "=", "running")
    .where("queue_id", "is not", null)
    .where("locked_until", "<", now.toISOString())
    .execute();
  for (const r of stale) {
    const delivery = await boss.getJobById(ROWS_QUEUE, String(r.queue_id), { includeArchive: true });
    if (delivery && !["completed", "failed", "cancelled"].includes(delivery.state)) continue;
    await db.kysely
      .updateTable("jobs")
      .set({
        status: "failed",
        finished_at: now.toISOString(),
        locked_until: null,
        last_error: "dừng giữa chừng ở lần thử cuối (tiến trình chạy việc đã kết thúc)",
      })
      .where("id", "=", r.id)
      .where("status", "=", "running")
      .where("queue_id", "=", String(r.queue_id))
      .execute();
  }
  await db.kysely.transaction().execute(async (trx) => {
    await trx
      .updateTable("jobs")
      .set({ status: "queued", locked_until: null })
      .where("status", "=", "running")
      .where("queue_id", "is", null)
      .where("locked_until", "<", now.toISOString())
      .execute();
    const rows = await trx
      .selectFrom("jobs")
      .select(["id", "kind", "run_at"])
      .where("status", "=", "queued")
      .where("queue_id", "is", null)
      .forUpdate()
      .skipLocked()
      .execute();
    for (const r of rows) {
      const kind = registry.get(r.kind);
      const queueId = await sendDelivery(boss, trx, {
        jobId: Number(r.id),
        runAt: new Date(r.run_at),
        leaseMs: kind?.leaseMs ?? longestLease(),
        maxAttempts: kind?.maxAttempts ?? 1,
        retryDelayMs: kind?.retryDelayMs ?? 30_000,
      });
      await trx.updateTable("jobs").set({ queue_id: queueId }).where("id", "=", r.id).execute();
    }
  });
}
