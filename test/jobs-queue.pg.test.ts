/**
 * The job queue on PostgreSQL through pg-boss (issue 12 §5), in this process on a schema of its own: a job queued in a
 * transaction is delivered only if that transaction commits, rescheduling (a key) cancels the replaced delivery, a
 * failure is tried again up to the kind's maximum and then stays failed with its error on the `jobs` row (what staff
 * and the metrics read), rows queued while no runner was up are adopted at start, and a row left running by a process
 * that died on its last try is marked failed at the next start. The kill -9 proof with real
 * servers is test/jobs-once.pg.test.ts.
 */

import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { sql } from "kysely";
import type { Db } from "../src/core/db/connection.ts";
import { migrateToLatest } from "../src/core/db/migrate.ts";
import { LocalFileStore } from "../src/core/file-store.ts";
import { cancelJobs, defineJob, enqueueJob, retryFailedJob, startJobRunner } from "../src/core/jobs/jobs.ts";
import { activeQueue, queueSchemaFor, ROWS_QUEUE } from "../src/core/jobs/pg-queue.ts";
import { testDatabases } from "./helpers/env.ts";

const quiet = { info() {}, warn() {}, error() {} };

const runs: string[] = [];
const echo = defineJob<{ tag: string }>("pgq-test.echo", async (p) => {
  runs.push(p.tag);
});
const broken = defineJob<{ tag: string }>(
  "pgq-test.broken",
  async (p) => {
    runs.push(p.tag);
    throw new Error(`hỏng (${p.tag})`);
  },
  { maxAttempts: 2, retryDelayMs: 1000 },
);

/** Fails until mended: a failed job staff run again once its cause is fixed (the jobs page's "Chạy lại"). */
let mended = false;
const mendable = defineJob<{ tag: string }>(
  "pgq-test.mendable",
  async (p) => {
    runs.push(p.tag);
    if (!mended) throw new Error("chưa sửa");
  },
  { maxAttempts: 1 },
);

/** Wait (polling) until `check` holds; fails with `what` after `ms`. */
async function until(what: string, check: () => Promise<boolean>, ms = 30_000): Promise<void> {
  const end = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > end) assert.fail(`still waiting: ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

const target = testDatabases().find((t) => t.name === "postgres");

describe("job queue through pg-boss (postgres)", { skip: !target && "TEST_DATABASE_URL is not set" }, () => {
  let db: Db;
  let url: string;
  let bossSchema: string;
  let cleanup: () => Promise<void>;
  let stop: (() => Promise<void>) | null = null;
  const start = async () => {
    stop = await startJobRunner({
      db,
      log: quiet,
      dataDir: ".",
      files: new LocalFileStore("."),
      clock: () => new Date(),
      pollMs: 500,
      databaseUrl: url,
    });
  };
  const row = (id: number) => db.kysely.selectFrom("jobs").selectAll().where("id", "=", id).executeTakeFirstOrThrow();
  const deliveries = async (state?: string) => {
    const r = await sql<{ n: string }>`select count(*) as n from ${sql.table(`${bossSchema}.job`)}
      where name = ${ROWS_QUEUE} ${state ? sql`and state = ${state}` : sql``}`.execute(db.kysely);
    return Number(r.rows[0]?.n);
  };
  const enqueue = <P>(
    kind: Parameters<typeof enqueueJob<P>>[1],
    payload: P,
    opts: { key?: string; runAt?: Date } = {},
  ) => db.kysely.transaction().execute((trx) => enqueueJob(trx, kind, payload, opts, new Date()));

  before(async () => {
    if (!target) return;
    const opened = await target.open();
    db = opened.db;
    url = String(opened.env.DATABASE_URL);
    cleanup = opened.cleanup;
    await migrateToLatest(db);
    const s = await sql<{ s: string }>`select current_schema() as s`.execute(db.kysely);
    bossSchema = queueSchemaFor(String(s.rows[0]?.s));
    await start();
  });
  after(async () => {
    await stop?.();
    await cleanup?.();
  });

  it("starts pg-boss in a schema beside the test's own", async () => {
    assert.ok(activeQueue(), "the runner started pg-boss in this process");
    assert.ok(bossSchema.endsWith("_pgboss") && bossSchema !== "pgboss", `a schema of this test's own: ${bossSchema}`);
  });

  it("delivers a job queued in a committed transaction once, and nothing for a rolled back one", async () => {
    const before = await deliveries();
    await assert.rejects(
      db.kysely.transaction().execute(async (trx) => {
        await enqueueJob(trx, echo, { tag: "rolled-back" }, {}, new Date());
        throw new Error("thôi");
      }),
      /thôi/,
    );
    assert.equal(await deliveries(), before, "the rolled back transaction sent no pg-boss job");
    const id = await enqueue(echo, { tag: "committed" });
    const queued = await row(id);
    assert.ok(queued.queue_id, "the row names its pg-boss delivery");
    await until("the committed job is done", async () => (await row(id)).status === "done");
    assert.deepEqual(
      runs.filter((r) => r === "committed" || r === "rolled-back"),
      ["committed"],
      "ran once, the rolled back one never",
    );
    assert.equal((await row(id)).attempts, 1, "one try");
  });

  it("rescheduling (the same key) cancels the replaced delivery; cancelJobs cancels it too", async () => {
    const inAnHour = new Date(Date.now() + 3600_000);
    const first = await enqueue(echo, { tag: "k1" }, { key: "pgq:k", runAt: inAnHour });
    const firstDelivery = String((await row(first)).queue_id);
    const second = await enqueue(echo, { tag: "k2" }, { key: "pgq:k", runAt: inAnHour });
    const keyed = await db.kysely.selectFrom("jobs").select("id").where("key", "=", "pgq:k").execute();
    assert.deepEqual(
      keyed.map((k) => Number(k.id)),
      [second],
      "one queued row for the key",
    );
    const state = async (id: string) =>
      (
        await sql<{ state: string }>`select state from ${sql.table(`${bossSchema}.job`)} where id = ${id}`.execute(
          db.kysely,
        )
      ).rows[0]?.state;
    assert.equal(await state(firstDelivery), "cancelled", "the replaced job's delivery is cancelled");
    const secondDelivery = String((await row(second)).queue_id);
    assert.equal(await state(secondDelivery), "created", "the new one waits for its time");
    const n = await db.kysely.transaction().execute((trx) => cancelJobs(trx, "pgq:k"));
    assert.equal(n, 1, "one job cancelled");
    assert.equal(await state(secondDelivery), "cancelled", "and its delivery with it");
  });

  it("tries a failing job again up to its maximum, then keeps it failed with its error", async () => {
    const id = await enqueue(broken, { tag: "broken" });
    await until("the broken job has failed for good", async () => (await row(id)).status === "failed");
    const r = await row(id);
    assert.equal(r.attempts, 2, "two tries (maxAttempts)");
    assert.match(String(r.last_error), /hỏng \(broken\)/, "the error is kept for staff");
    assert.equal(runs.filter((t) => t === "broken").length, 2, "the handler ran twice, never more");
    await until("pg-boss marks its delivery failed", async () => (await deliveries("failed")) === 1);
  });

  it("a failed job run again by staff gets a new delivery in the same transaction and runs once more", async () => {
    const id = await enqueue(mendable, { tag: "mendable" });
    await until("the job has failed for good", async () => (await row(id)).status === "failed");
    const old = String((await row(id)).queue_id);
    mended = true;
    const ok = await db.kysely.transaction().execute((trx) => retryFailedJob(trx, id, new Date()));
    assert.ok(ok, "the failed job is queued again");
    const again = await row(id);
    assert.ok(again.queue_id && again.queue_id !== old, "with a new pg-boss delivery");
    await until("the retried job is done", async () => (await row(id)).status === "done");
    assert.equal(runs.filter((t) => t === "mendable").length, 2, "the handler ran twice: the failure and the retry");
    assert.equal(
      await db.kysely.transaction().execute((trx) => retryFailedJob(trx, id, new Date())),
      false,
      "a job that is not failed is not retried",
    );
  });

  it("adopts at start the rows queued while no runner was up", async () => {
    await stop?.();
    stop = null;
    assert.equal(activeQueue(), null, "no runner in this process");
    const id = await enqueue(echo, { tag: "adopted" });
    assert.equal((await row(id)).queue_id, null, "queued without a delivery");
    await start();
    await until("the adopted job is done", async () => (await row(id)).status === "done");
    assert.ok((await row(id)).queue_id, "it got a delivery at start");
    assert.equal(runs.filter((t) => t === "adopted").length, 1, "ran once");
  });

  it("marks failed at start a row left running whose delivery has ended (its runner died on the last try)", async () => {
    const id = await enqueue(echo, { tag: "orphan" }, { runAt: new Date(Date.now() + 3600_000) });
    const delivery = String((await row(id)).queue_id);
    await stop?.();
    stop = null;
    // What a kill -9 during the last try leaves: the row running past its lease, pg-boss done with the delivery.
    await sql`update ${sql.table(`${bossSchema}.job`)} set state = 'failed' where id = ${delivery}`.execute(db.kysely);
    await db.kysely
      .updateTable("jobs")
      .set({ status: "running", locked_until: new Date(Date.now() - 60_000).toISOString() })
      .where("id", "=", id)
      .execute();
    await start();
    const r = await row(id);
    assert.equal(r.status, "failed", "no longer shown as running forever");
    assert.match(String(r.last_error), /lần thử cuối/, "with why, for staff");
    assert.equal(runs.filter((t) => t === "orphan").length, 0, "not run");
  });
});
