/**
 * The crash test (`npm run crash-test`, bench/crash-test.ts) on SQLite, and on PostgreSQL when TEST_DATABASE_URL is
 * set: the real server is killed with SIGKILL while 200 submissions are in flight, restarted on the same data, and
 * every submission that got a code must be there, intact, once. Figures only: no timing is asserted.
 */
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import path from "node:path";
import { describe, test } from "node:test";

const ROOT = path.resolve(import.meta.dirname, "..");

interface Report {
  database: string;
  submissions: number;
  inFlightAtKill: number;
  acknowledged: number;
  found: number;
  lost: number;
  corrupted: number;
  duplicates: number;
  resent: { sameCodeForAcknowledged: number; failures: number };
  sqliteIntegrity: string | null;
  gracefulStop: { answered201: number; storedOfAnswered: number; storedWithoutAnswer: number; exitCode: number | null };
  ok: boolean;
}

/** Run the script as `npm run crash-test` does, on one database; its exit code and its JSON. */
function runCrashTest(database: "sqlite" | "postgres", env: Record<string, string>) {
  return new Promise<{ code: number | null; reports: Report[]; stderr: string }>((resolve, reject) => {
    const child = spawn(process.execPath, ["--import", "tsx", "bench/crash-test.ts", "--database", database], {
      cwd: ROOT,
      env: { PATH: process.env.PATH ?? "/usr/bin:/bin", HOME: process.env.HOME ?? "/tmp", ...env },
    });
    let out = "";
    let err = "";
    child.stdout.on("data", (d) => {
      out += d;
    });
    child.stderr.on("data", (d) => {
      err += d;
    });
    child.on("error", reject);
    child.on("close", (code) => {
      try {
        resolve({ code, reports: JSON.parse(out) as Report[], stderr: err });
      } catch {
        reject(new Error(`no JSON from the crash test (exit ${code}):\n${out}\n${err}`));
      }
    });
  });
}

const targets: { database: "sqlite" | "postgres"; env: Record<string, string> }[] = [{ database: "sqlite", env: {} }];
if (process.env.TEST_DATABASE_URL)
  targets.push({ database: "postgres", env: { BENCH_DATABASE_URL: process.env.TEST_DATABASE_URL } });

for (const { database, env } of targets) {
  describe(`crash test (${database})`, () => {
    test("kill -9 with 200 submissions in flight loses and alters nothing acknowledged", async () => {
      const { code, reports, stderr } = await runCrashTest(database, env);
      assert.equal(reports.length, 1, stderr);
      const r = reports[0] as Report;
      assert.equal(r.database, database);
      assert.equal(r.submissions, 200);
      assert.ok(r.acknowledged > 0, "some submissions were acknowledged before the kill");
      assert.ok(r.inFlightAtKill > 0, "the kill came while submissions were in flight");
      assert.equal(r.lost, 0, "every acknowledged code is found after the restart");
      assert.equal(r.corrupted, 0, "with exactly what was sent");
      assert.equal(r.found, r.acknowledged);
      assert.equal(r.duplicates, 0, "sending again with the same key files nothing twice");
      assert.equal(r.resent.sameCodeForAcknowledged, r.acknowledged, "an acknowledged key gives its own code back");
      assert.equal(r.resent.failures, 0);
      if (database === "sqlite") assert.equal(r.sqliteIntegrity, "ok");
      assert.equal(r.gracefulStop.exitCode, 0, "SIGTERM stops the server cleanly");
      assert.equal(r.gracefulStop.storedOfAnswered, r.gracefulStop.answered201);
      assert.equal(r.gracefulStop.storedWithoutAnswer, 0, "a clean stop answers what it stored");
      assert.ok(r.ok, "expected: r.ok");
      assert.equal(code, 0, "the script exits 0 when nothing is lost");
    });
  });
}
