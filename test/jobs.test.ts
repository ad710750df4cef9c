/** The background job queue (src/core/jobs/) on a real database: transactional enqueue, schedule, retry, one run. */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import type { Db } from "../src/core/db/connection.ts";
import { migrateToLatest } from "../src/core/db/migrate.ts";
import { LocalFileStore } from "../src/core/file-store.ts";
import {
  cancelJobs,
  defineJob,
  enqueueJob,
  FINISHED_JOBS_KEPT_DAYS,
  finishedJobsPurgeTask,
  type JobContext,
  retryDelayMs,
  runDueJobs,
  startJobRunner,
} from "../src/core/jobs/jobs.ts";
import { testDatabases } from "./helpers/env.ts";

const quiet = { info() {}, warn() {}, error() {} };

/** The newest job about `key`, as the table holds it. */
async function latestJob(db: Db["kysely"], key: string) {
  const r = await db.selectFrom("jobs").selectAll().where("key", "=", key).orderBy("id", "desc").executeTakeFirst();
  return r ? { status: r.status, runAt: r.run_at, attempts: Number(r.attempts), lastError: r.last_error } : null;
}
const T0 = new Date("2026-03-02T03:00:00Z");
const later = (ms: number) => new Date(T0.getTime() + ms);

// Kinds are defined once per process; each database's suite reads its own runs by a prefix in the payload.
const runs: string[] = [];
const echo = defineJob<{ tag: string }>("test.echo", async (p) => {
  runs.push(p.tag);
});
let failuresLeft = new Map<string, number>();
const flaky = defineJob<{ tag: string }>(
  "test.flaky",
  async (p) => {
    const left = failuresLeft.get(p.tag) ?? 0;
    if (left > 0) {
      failuresLeft.set(p.tag, left - 1);
      throw new Error(`không được lần này (${p.tag})`);
    }
    runs.push(p.tag);
  },
  { maxAttempts: 3 },
);
const slow = defineJob<{ tag: string }>("test.slow", async (p) => {
  await new Promise((r) => setTimeout(r, 30));
  runs.push(p.tag);
});

for (const target of testDatabases()) {
  describe(`background jobs (${target.name})`, () => {
    let db: Db;
    let cleanup: () => Promise<void>;
    const ctx = (now: Date): JobContext => ({ db, now, log: quiet, dataDir: ".", files: new LocalFileStore(".") });
    const tag = (t: string) => `${target.name}:${t}`;
    const ranOf = (t: string) => runs.filter((r) => r === tag(t)).length;

    before(async () => {
      const opened = await target.open();
      db = opened.db;
      cleanup = opened.cleanup;
      await migrateToLatest(db);
      failuresLeft = new Map();
    });
    after(async () => cleanup());

    it("queues nothing when the transaction that enqueued rolls back", async () => {
      await assert.rejects(
        db.kysely.transaction().execute(async (trx) => {
          await enqueueJob(trx, echo, { tag: tag("rolled-back") }, {}, T0);
          throw new Error("rollback");
        }),
      );
      await runDueJobs(ctx(later(1000)));
      assert.equal(ranOf("rolled-back"), 0, "a job of a rolled-back write never runs");
    });

    it("the nightly purge drops the rows of jobs done long ago, and keeps recent and failed ones", async () => {
      const day = 86_400_000;
      const row = (key: string, status: string, finishedAgoDays: number) => ({
        kind: "test.echo",
        payload_json: "{}",
        key,
        status,
        attempts: 1,
        run_at: T0.toISOString(),
        created_at: T0.toISOString(),
        finished_at: new Date(T0.getTime() - finishedAgoDays * day).toISOString(),
      });
      await db.kysely
        .insertInto("jobs")
        .values([
          row("purge:old-done", "done", FINISHED_JOBS_KEPT_DAYS + 1),
          row("purge:recent-done", "done", FINISHED_JOBS_KEPT_DAYS - 1),
          row("purge:old-failed", "failed", FINISHED_JOBS_KEPT_DAYS + 30),
        ])
        .execute();
      await finishedJobsPurgeTask(quiet).run(ctx(T0));
      const left = await db.kysely.selectFrom("jobs").select("key").where("key", "like", "purge:%").execute();
      assert.deepEqual(
        left.map((r) => r.key).sort(),
        ["purge:old-failed", "purge:recent-done"],
        "a job done long ago is gone; one done lately and one failed (waiting for the operator) stay",
      );
    });

    it("runs a job once, when it is due and not before", async () => {
      await db.kysely
        .transaction()
        .execute((trx) => enqueueJob(trx, echo, { tag: tag("at-seven") }, { runAt: later(60_000), key: "k1" }, T0));
      await runDueJobs(ctx(later(59_000)));
      assert.equal(ranOf("at-seven"), 0, "not run before its time");
      await runDueJobs(ctx(later(60_000)));
      await runDueJobs(ctx(later(120_000)));
      assert.equal(ranOf("at-seven"), 1, "run exactly once when due");
      assert.equal((await latestJob(db.kysely, "k1"))?.status, "done", "the job is marked done");
    });

    it("a key reschedules: the queued job is replaced, and cancelling drops it", async () => {
      await enqueueJob(db.kysely, echo, { tag: tag("first") }, { runAt: later(10_000), key: "news:1" }, T0);
      await enqueueJob(db.kysely, echo, { tag: tag("second") }, { runAt: later(20_000), key: "news:1" }, T0);
      await runDueJobs(ctx(later(30_000)));
      assert.equal(ranOf("first"), 0, "the replaced job never runs");
      assert.equal(ranOf("second"), 1, "the replacement runs");
      await enqueueJob(db.kysely, echo, { tag: tag("cancelled") }, { runAt: later(10_000), key: "news:2" }, T0);
      assert.equal(await cancelJobs(db.kysely, "news:2"), 1, "one queued job cancelled");
      await runDueJobs(ctx(later(30_000)));
      assert.equal(ranOf("cancelled"), 0, "a cancelled job never runs");
    });

    it("retries a failure later with a growing delay, then gives up with the error kept", async () => {
      failuresLeft.set(tag("twice"), 1);
      await enqueueJob(db.kysely, flaky, { tag: tag("twice") }, { key: "flaky-1" }, T0);
      assert.equal(await runDueJobs(ctx(T0)), 1, "the first try ran");
      assert.equal(ranOf("twice"), 0, "the first try failed");
      let state = await latestJob(db.kysely, "flaky-1");
      assert.equal(state?.status, "queued", "a failure with tries left goes back to the queue");
      assert.match(state?.lastError ?? "", /không được lần này/, "the error is kept");
      assert.equal(state?.runAt, later(retryDelayMs(1)).toISOString(), "the next try waits the first delay");
      await runDueJobs(ctx(later(retryDelayMs(1))));
      assert.equal(ranOf("twice"), 1, "the second try succeeded");

      failuresLeft.set(tag("never"), 99);
      await enqueueJob(db.kysely, flaky, { tag: tag("never") }, { key: "flaky-2" }, T0);
      for (let i = 0, at = T0; i < 5; i++, at = new Date(at.getTime() + 3 * 60 * 60_000)) await runDueJobs(ctx(at));
      state = await latestJob(db.kysely, "flaky-2");
      assert.equal(state?.status, "failed", "after maxAttempts the job stays failed");
      assert.equal(state?.attempts, 3, "it was tried maxAttempts times");
    });

    it("a job of an unknown kind fails at once instead of looping", async () => {
      await db.kysely
        .insertInto("jobs")
        .values({
          kind: "nobody.handles.this",
          payload_json: "{}",
          key: "orphan",
          status: "queued",
          run_at: T0.toISOString(),
          created_at: T0.toISOString(),
        })
        .execute();
      await runDueJobs(ctx(T0));
      assert.equal((await latestJob(db.kysely, "orphan"))?.status, "failed", "unknown kind → failed");
    });

    it("two runners at once never run the same job twice", async () => {
      for (let i = 0; i < 6; i++) await enqueueJob(db.kysely, slow, { tag: tag(`race-${i}`) }, {}, T0);
      const counts = await Promise.all([runDueJobs(ctx(T0)), runDueJobs(ctx(T0)), runDueJobs(ctx(T0))]);
      assert.equal(
        counts.reduce((a, b) => a + b, 0),
        6,
        `the runners ran six jobs between them (${counts.join("+")})`,
      );
      for (let i = 0; i < 6; i++) assert.equal(ranOf(`race-${i}`), 1, `job ${i} ran exactly once`);
    });

    it("a job left running by a dead runner is claimed again when its lease ends", async () => {
      await db.kysely
        .insertInto("jobs")
        .values({
          kind: echo.kind,
          payload_json: JSON.stringify({ tag: tag("abandoned") }),
          key: "abandoned",
          status: "running",
          attempts: 1,
          locked_until: later(5_000).toISOString(),
          run_at: T0.toISOString(),
          created_at: T0.toISOString(),
        })
        .execute();
      await runDueJobs(ctx(later(1_000)));
      assert.equal(ranOf("abandoned"), 0, "not taken while its lease holds");
      await runDueJobs(ctx(later(6_000)));
      assert.equal(ranOf("abandoned"), 1, "taken again after its lease");
    });
  });
}

describe("periodic tasks on SQLite: the in-process runner's timers", () => {
  const sqlite = testDatabases().find((t) => t.name === "sqlite");
  it("runs a task soon after start and on its interval, never two runs at once, and stops when told", async () => {
    assert.ok(sqlite, "SQLite is always tested");
    const opened = await sqlite.open();
    await migrateToLatest(opened.db);
    let runs = 0;
    let inFlight = 0;
    let overlapped = false;
    const stop = await startJobRunner({
      db: opened.db,
      log: quiet,
      dataDir: opened.dataDir,
      files: new LocalFileStore(opened.dataDir),
      clock: () => new Date(),
      pollMs: 1000,
      periodic: [
        {
          name: "test.periodic",
          cron: "0 0 1 1 *",
          everyMs: 50,
          async run() {
            inFlight++;
            if (inFlight > 1) overlapped = true;
            await new Promise((r) => setTimeout(r, 120));
            runs++;
            inFlight--;
          },
        },
      ],
    });
    const end = Date.now() + 20_000;
    while (runs < 3 && Date.now() < end) await new Promise((r) => setTimeout(r, 50));
    await stop();
    const stoppedAt = runs;
    await new Promise((r) => setTimeout(r, 400));
    await opened.cleanup();
    assert.ok(stoppedAt >= 3, `the task ran again and again (${stoppedAt} runs)`);
    assert.ok(!overlapped, "never two runs of the task at once");
    assert.ok(
      runs <= stoppedAt + 1,
      `no new run after stop (only the one in hand may finish): ${runs} vs ${stoppedAt}`,
    );
  });
});
