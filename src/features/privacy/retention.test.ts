import assert from "node:assert/strict";
import { test } from "node:test";
import { dueForErasure, type RetentionCandidate } from "./retention.ts";

const NOW = new Date("2031-06-01T00:00:00Z");
const item = (over: Partial<RetentionCandidate>): RetentionCandidate => ({
  kind: "feedback",
  id: 1,
  status: "published",
  closedAt: null,
  publishedAt: null,
  receivedAt: "2020-01-01T00:00:00Z",
  erasedAt: null,
  ...over,
});

test("closed longer ago than the period is due; closed more recently is not", () => {
  const old = item({ id: 1, closedAt: "2026-05-31T23:59:59Z" });
  const recent = item({ id: 2, closedAt: "2026-06-01T00:00:01Z" });
  assert.deepEqual(
    dueForErasure([old, recent], NOW, 1826).map((c) => c.id),
    [1],
  );
  assert.deepEqual(dueForErasure([old, recent], NOW, 1827), []);
});

test("only closed statuses count, per kind", () => {
  const c = [
    item({ id: 1, status: "published" }),
    item({ id: 2, status: "rejected" }),
    item({ id: 3, status: "forwarded" }),
    item({ id: 4, status: "in_scope" }),
    item({ id: 5, status: "decided" }),
    item({ id: 6, kind: "question", status: "published" }),
    item({ id: 7, kind: "question", status: "closed" }),
    item({ id: 8, kind: "question", status: "approved" }),
    // "rejected" is no status of a question: an unknown status never erases.
    item({ id: 9, kind: "question", status: "rejected" }),
  ];
  assert.deepEqual(
    dueForErasure(c, NOW, 30).map((x) => x.id),
    [1, 2, 3, 6, 7],
  );
});

test("already erased items and a period of 0 (keep) give nothing", () => {
  assert.deepEqual(dueForErasure([item({ erasedAt: "2030-01-01T00:00:00Z" })], NOW, 30), []);
  assert.deepEqual(dueForErasure([item({})], NOW, 0), []);
});

test("the clock starts at the closing step, else at publication, else at receipt", () => {
  const stepRecent = item({ closedAt: "2031-05-20T00:00:00Z", publishedAt: "2020-01-01T00:00:00Z" });
  assert.deepEqual(dueForErasure([stepRecent], NOW, 30), [], "the step's time wins over an old publication");
  const pubRecent = item({ publishedAt: "2031-05-20T00:00:00Z" });
  assert.deepEqual(dueForErasure([pubRecent], NOW, 30), []);
  const onlyReceived = item({ receivedAt: "2031-01-01T00:00:00Z" });
  assert.equal(dueForErasure([onlyReceived], NOW, 30).length, 1);
  assert.deepEqual(dueForErasure([item({ closedAt: "not a date" })], NOW, 30), [], "an unreadable time erases nothing");
});
