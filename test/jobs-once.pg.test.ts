/**
 * Jobs, once (issue 12 §5), with real servers (src/main.ts in child processes, as in production) on one fresh
 * PostgreSQL schema: a server kill -9'd in the middle of a job leaves it to another server, which runs it again after
 * the delivery's lease, and the job's effect happens exactly once; two servers running side by side never start the
 * same job twice; a periodic task both servers schedule runs once. The servers carry the test-only job kind and
 * periodic task of src/core/jobs/test-jobs.ts (CCHC_TEST_JOBS=1), whose handler notes each start, and its effect only
 * when it made it, in a file this test reads.
 */
import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import { freshTarget, postgresUrl, type RunningServer, startServer, type Target } from "../bench/server.ts";
import type { Db } from "../src/core/db/connection.ts";
import { enqueueJob } from "../src/core/jobs/jobs.ts";
import { startQueue, stopQueue } from "../src/core/jobs/pg-queue.ts";
import { holdJob } from "../src/core/jobs/test-jobs.ts";

const url = postgresUrl({ BENCH_DATABASE_URL: process.env.TEST_DATABASE_URL });
const quiet = { info() {}, warn() {}, error() {} };

/** Wait (polling) until `check` holds; fails with `what` after `ms`. */
async function until(what: string, check: () => boolean | Promise<boolean>, ms = 60_000): Promise<void> {
  const end = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > end) assert.fail(`still waiting: ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe("jobs, once: kill -9 mid-job, two servers (postgres)", {
  skip: !url && "TEST_DATABASE_URL is not set",
}, () => {
  let target: Target;
  let db: Db;
  let dir: string;
  let file: string;
  let boss: Awaited<ReturnType<typeof startQueue>> | null = null;
  const servers: RunningServer[] = [];
  const lines = () => (fs.existsSync(file) ? fs.readFileSync(file, "utf8").split("\n").filter(Boolean) : []);
  const linesOf = (what: string, tag?: string) =>
    lines()
      .map((l) => l.split(" "))
      .filter((l) => l[0] === what && (tag === undefined || l[2] === tag));
  const start = async () => {
    const s = await startServer(target, {
      CCHC_TEST_JOBS: "1",
      CCHC_TEST_JOBS_FILE: file,
      JOBS_POLL_MS: "500",
      LOG_LEVEL: "error",
    });
    servers.push(s);
    return s;
  };
  const jobRow = (tag: string) =>
    db.kysely
      .selectFrom("jobs")
      .selectAll()
      .where("kind", "=", holdJob.kind)
      .where("payload_json", "like", `%"tag":"${tag}"%`)
      .executeTakeFirst();
  const effects = async (tag: string) =>
    (await db.kysely.selectFrom("settings").select("key").where("key", "=", `test-job:${tag}`).execute()).length;
  /** Queue a hold job in a transaction of ours, its pg-boss delivery in the same transaction. */
  const queue = (tag: string, holdMs: number) =>
    db.kysely
      .transaction()
      .execute((trx) => enqueueJob(trx, holdJob, { tag, file, holdMs }, { key: `hold:${tag}` }, new Date()));

  before(async () => {
    if (!url) return;
    target = await freshTarget("postgres", url);
    db = target.open();
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "cchc-jobs-once-"));
    file = path.join(dir, "jobs.log");
  });
  after(async () => {
    for (const s of servers) await s.kill9().catch(() => {});
    if (boss) await stopQueue(boss);
    await db?.close();
    await target?.cleanup();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  it("a job whose server is killed -9 mid-run is run again by another, with exactly one effect", async () => {
    const a = await start();
    // This process only sends (it runs no job): the delivery goes in the transaction that queues the row.
    boss = await startQueue({
      connectionString: String(target.env.DATABASE_URL),
      db,
      maintenanceSeconds: 60,
      log: quiet,
    });
    await queue("killed", 2500);
    await until("server A starts the job", () => linesOf("start", "killed").length === 1);
    assert.equal(linesOf("start", "killed")[0]?.[1], String(a.pid), "server A took it");
    await a.kill9();
    assert.equal(await effects("killed"), 0, "killed before its effect");
    const b = await start();
    await until("the job is done", async () => (await jobRow("killed"))?.status === "done");
    const starts = linesOf("start", "killed").map((l) => l[1]);
    assert.deepEqual(starts, [String(a.pid), String(b.pid)], "started by A, killed, started again by B");
    assert.equal(await effects("killed"), 1, "exactly one effect in the database");
    assert.equal(linesOf("effect", "killed").length, 1, "the effect was made once");
    assert.equal(Number((await jobRow("killed"))?.attempts), 2, "two tries: the killed one and the finished one");
  });

  it("two servers side by side never start the same job twice, and each job's effect happens once", async () => {
    await start();
    const tags = Array.from({ length: 8 }, (_, i) => `pair-${i}`);
    for (const t of tags) await queue(t, 300);
    for (const t of tags) await until(`job ${t} is done`, async () => (await jobRow(t))?.status === "done");
    for (const t of tags) {
      assert.equal(linesOf("start", t).length, 1, `${t} started once`);
      assert.equal(await effects(t), 1, `${t} has one effect`);
    }
  });

  it("a periodic task every server schedules runs once for all of them", async () => {
    // Three servers have started (A, B, C): each scheduled the test task and asked for its run at start.
    await until("the periodic task ran", () => linesOf("tick").length > 0);
    assert.equal(servers.length, 3, "three servers started");
    assert.equal(linesOf("tick").length, 1, "one run across the servers");
  });
});
