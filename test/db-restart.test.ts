/**
 * PostgreSQL restarted under load (bench/db-restart.ts, on a private cluster of its own): the server stays up, every
 * answer is a success or a clear Vietnamese 503 (never a 500, a hang or a cut connection), every acknowledged
 * submission is found afterwards, and the server serves again by itself once the database is back. The recovery time
 * is a figure of `npm run bench`, not asserted here.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { postgresInstalled, runDbRestartBench } from "../bench/db-restart.ts";

const installed = await postgresInstalled();

test("PostgreSQL restarted under load: clear 503s meanwhile, nothing acknowledged lost, recovery by itself", {
  skip: installed ? false : "PostgreSQL's server programs are not installed",
  timeout: 300_000,
}, async () => {
  const r = await runDbRestartBench();
  assert.ok(!("skipped" in r), "it ran");
  if ("skipped" in r) return;
  const shown = JSON.stringify(r, null, 1);
  assert.equal(r.serverAlive, true, `the server survived its database going away: ${shown}`);
  assert.equal(r.wrongAnswers, 0, `only successes and clear 503s: ${shown}`);
  assert.ok(
    Object.keys(r.answers).some((k) => k.startsWith("down:") && k.endsWith(" 503")),
    `the outage was seen as 503s: ${shown}`,
  );
  assert.ok(r.acknowledged > 0, `submissions were acknowledged: ${shown}`);
  assert.equal(r.acknowledgedLost, 0, `every acknowledged submission is found: ${shown}`);
  assert.notEqual(r.recoveredMs, null, `ready and accepting submissions again without a restart: ${shown}`);
  assert.ok(
    Object.keys(r.answers).some((k) => k.startsWith("after:") && k.endsWith(" 201")),
    `submissions accepted after the database came back: ${shown}`,
  );
});
