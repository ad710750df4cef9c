/**
 * The scale bench at a reduced size (bench/scale.ts; issue 12 "Done when": CI runs a reduced-size scale test): a few
 * wards of demo data on PostgreSQL, the server started twice (cached, then with the cache off), every kind of public
 * page asked across the wards and a signed-in officer's task list. It checks that everything ran and answered
 * (no error, no non-2xx), and that every figure stands beside its target; it asserts no timing.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { runScaleBench } from "../bench/scale.ts";

const url = process.env.TEST_DATABASE_URL;

test("the scale bench runs end to end at a reduced size, every page answering", {
  skip: url ? false : "TEST_DATABASE_URL is not set",
  timeout: 600_000,
}, async () => {
  process.env.BENCH_DATABASE_URL = url;
  const r = await runScaleBench({ wards: 3, years: 1, activities: 20, seconds: 2 });
  assert.ok(!("skipped" in r), "it ran on PostgreSQL");
  if ("skipped" in r) return;
  const shown = JSON.stringify(r, null, 1).slice(0, 4000);
  assert.equal((r.dataset as { wards?: number }).wards, 3, `three wards generated: ${shown}`);
  assert.ok(typeof r.startUp.readyMs === "number" && r.startUp.readyMs > 0, `start-up to ready measured: ${shown}`);
  assert.ok((r.startUp.memoryAtReady.rssMb ?? 0) > 0, `the server's RSS read: ${shown}`);
  assert.ok(r.cached.bareServer.requestsPerSecond > 0, `the bare server measured beside the cached page: ${shown}`);
  const kinds = Object.keys(r.uncached);
  for (const k of ["home", "procedure", "noticeBoard", "plan", "news", "events", "radio", "documents", "search"])
    assert.ok(kinds.includes(k), `uncached ${k} measured: ${shown}`);
  assert.ok(kinds.includes("staffTaskList"), `the officer's task list measured: ${shown}`);
  for (const k of kinds.filter((k) => k !== "staffTaskList")) {
    assert.equal(r.firstVisits[k]?.pages, 3, `the warm-up of ${k} asked each ward's page once: ${shown}`);
    assert.equal(r.firstVisits[k]?.failed, 0, `and every first visit of ${k} answered: ${shown}`);
  }
  for (const [k, f] of Object.entries(r.uncached)) assert.equal(f.errors, 0, `${k}: no error or non-2xx answer`);
  assert.equal(r.targets.noErrors, true, "the targets say no errors");
  for (const k of ["cachedRatioMet", "planPageRateMet", "staffTaskListRateMet", "readyMet", "rssMet"] as const)
    assert.equal(typeof r.targets[k], "boolean", `${k} states met or not`);
});
