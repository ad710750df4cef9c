import assert from "node:assert/strict";
import { test } from "node:test";
import { countFeedback, type FeedbackFigureRow } from "./feedback.figures.ts";

const row = (r: Partial<FeedbackFigureRow>): FeedbackFigureRow => ({
  channel: "web",
  status: "received",
  classification: null,
  due_on: null,
  receivedOn: "2024-02-01",
  publishedOn: null,
  ...r,
});

test("feedback figures of a period: received by channel and class, answered on time, overdue at the end", () => {
  const f = countFeedback(
    [
      row({
        channel: "desk",
        classification: "in_scope",
        status: "published",
        due_on: "2024-02-15",
        publishedOn: "2024-02-10",
      }),
      row({ classification: "in_scope", status: "published", due_on: "2024-02-15", publishedOn: "2024-02-20" }),
      row({ classification: "in_scope", status: "processing", due_on: "2024-03-01" }),
      row({ classification: "forwarded", status: "forwarded" }),
      row({ status: "rejected", classification: "rejected" }),
      // Received before the period, answered in it.
      row({
        receivedOn: "2023-12-01",
        classification: "in_scope",
        status: "published",
        due_on: "2023-12-20",
        publishedOn: "2023-12-16",
      }),
      // Due before the end, answered after it: overdue at the period's end.
      row({ classification: "in_scope", status: "published", due_on: "2024-03-05", publishedOn: "2024-03-20" }),
    ],
    "2023-12-15",
    "2024-03-14",
  );
  assert.equal(f.received, 6, "received in the period");
  assert.deepEqual(
    f.byChannel.map((c) => [c.key, c.count]),
    [
      ["web", 5],
      ["desk", 1],
    ],
  );
  assert.equal(f.inScope, 4);
  assert.equal(f.forwarded, 1);
  assert.equal(f.notAccepted, 1);
  assert.equal(f.answered, 3, "published within the period");
  assert.equal(f.answeredOnTime, 2, "on or before the due day");
  assert.equal(f.overdue, 2, "the open one and the one answered after the period");
});
