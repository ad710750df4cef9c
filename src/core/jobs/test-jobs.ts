/**
 * TEST ONLY: a job kind the server defines when started with CCHC_TEST_JOBS=1 (never in a deployment), so a test can
 * kill -9 a server in the middle of a job and see what the queue does (test/jobs-once.pg.test.ts). Its handler does
 * what a real one does: notes that it started (a line in the payload's file, with this process's id), takes its time,
 * then makes its one effect in the database in a way that is safe to repeat (a `settings` row inserted once) and
 * notes the effect only when it made it. With it comes a periodic task that notes each run, to count them across
 * processes. The file is CCHC_TEST_JOBS_FILE (the payload's for a job).
 */
import fs from "node:fs";
import { defineJob, type PeriodicTask } from "./jobs.ts";

export interface HoldPayload {
  tag: string;
  file: string;
  holdMs: number;
}

export const holdJob = defineJob<HoldPayload>(
  "test.hold",
  async (p, ctx) => {
    fs.appendFileSync(p.file, `start ${process.pid} ${p.tag}\n`);
    await new Promise((r) => setTimeout(r, p.holdMs));
    const r = await ctx.db.kysely
      .insertInto("settings")
      .values({ key: `test-job:${p.tag}`, value: String(process.pid) })
      .onConflict((oc) => oc.column("key").doNothing())
      .returning("key")
      .executeTakeFirst();
    if (r) fs.appendFileSync(p.file, `effect ${process.pid} ${p.tag}\n`);
    fs.appendFileSync(p.file, `end ${process.pid} ${p.tag}\n`);
  },
  // A short lease and retry delay, so a killed run comes back within seconds.
  { leaseMs: 4000, retryDelayMs: 1000, maxAttempts: 4 },
);

/** TEST ONLY: a periodic task that notes each of its runs in `file` (its cron, once a year, never ticks in a test). */
export function tickTask(file: string): PeriodicTask {
  return {
    name: "test.tick",
    cron: "0 0 1 1 *",
    everyMs: 24 * 3600_000,
    async run() {
      fs.appendFileSync(file, `tick ${process.pid}\n`);
    },
  };
}
