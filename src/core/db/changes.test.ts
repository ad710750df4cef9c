import assert from "node:assert/strict";
import { test } from "node:test";
import { applyNotification, Changes, oneAtATime } from "./changes.ts";

/** A fake connection: each query takes a turn of the event loop; records what ran and the most at once. */
function fakeConnection(fails: (text: string) => boolean = () => false) {
  const ran: string[] = [];
  let active = 0;
  let most = 0;
  const query = async (text: string) => {
    active++;
    most = Math.max(most, active);
    ran.push(text);
    await new Promise((r) => setImmediate(r));
    active--;
    if (fails(text)) throw new Error(`${text} failed`);
    return text;
  };
  return { query, ran, most: () => most };
}

test("the listening connection runs one query at a time, however many commits tick the epoch at once", async () => {
  const conn = fakeConnection();
  const inTurn = oneAtATime(conn.query);
  const calls: Promise<unknown>[] = [];
  for (let i = 0; i < 20; i++) {
    calls.push(inTurn("select nextval('data_epoch')"));
    if (i % 5 === 0) calls.push(inTurn("select 1"));
    await new Promise((r) => setImmediate(r));
  }
  await Promise.all(calls);
  assert.equal(conn.most(), 1, "never two queries on the connection at once");
  assert.ok(
    conn.ran.length < calls.length,
    `ticks waiting together share one query: ${conn.ran.length} of ${calls.length}`,
  );
});

test("a tick shares a query not yet sent, never one already sent before its commit", async () => {
  const conn = fakeConnection();
  const inTurn = oneAtATime(conn.query);
  const tick = "select nextval('data_epoch')";
  const first = inTurn(tick);
  assert.equal(inTurn(tick), first, "a tick while the query still waits shares it");
  await new Promise((r) => setImmediate(r));
  assert.equal(conn.ran.length, 1, "the first query is sent");
  const later = inTurn(tick);
  assert.notEqual(later, first, "a tick after it was sent waits for a query of its own");
  await Promise.all([first, later]);
  assert.equal(conn.ran.length, 2, "two queries in all");
});

test("a failed query does not stop the ones after it", async () => {
  const conn = fakeConnection((text) => text === "select 1");
  const inTurn = oneAtATime(conn.query);
  const failed = inTurn("select 1");
  const next = inTurn("select nextval('data_epoch')");
  await assert.rejects(failed, /failed/, "the failure reaches its caller");
  assert.equal(await next, "select nextval('data_epoch')", "the next query still runs");
});

test("a notification ends the pages of its units, but a derived table's (a page copy) ends nothing", () => {
  const changes = new Changes();
  const at = changes.stamp();
  applyNotification(changes, "page_copies:7");
  applyNotification(changes, "copy_inputs:7,0");
  applyNotification(changes, "staged_uploads:7");
  assert.equal(changes.unchangedSince(at, [7]), true, "copies and uploads waiting are never shown: ward 7 unchanged");
  applyNotification(changes, "news_articles:7");
  assert.equal(changes.unchangedSince(at, [7]), false, "a news article of ward 7 changes its pages");
  assert.equal(changes.unchangedSince(at, [8]), true, "and not ward 8's");
  const later = changes.stamp();
  applyNotification(changes, "garbled");
  assert.equal(changes.unchangedSince(later, [8]), false, "a payload not understood changes everything");
});
