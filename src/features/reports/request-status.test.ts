import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { countStatuses, requestWardStatus } from "./request-status.ts";

describe("a ward's status on a report request", () => {
  const deadline = "2026-03-20";
  test("issued on or before the deadline is on time; after it, late", () => {
    assert.equal(requestWardStatus([{ status: "issued", issued_on: "2026-03-20" }], deadline, "2026-04-01"), "issued");
    assert.equal(
      requestWardStatus([{ status: "issued", issued_on: "2026-03-21" }], deadline, "2026-04-01"),
      "issued_late",
    );
  });
  test("a draft or an approved report does not answer: pending until the deadline, overdue after", () => {
    const drafts = [
      { status: "draft", issued_on: null },
      { status: "approved", issued_on: null },
    ];
    assert.equal(requestWardStatus(drafts, deadline, "2026-03-20"), "pending");
    assert.equal(requestWardStatus(drafts, deadline, "2026-03-21"), "overdue");
    assert.equal(requestWardStatus([], deadline, "2026-03-21"), "overdue");
  });
  test("the first issued report counts", () => {
    const rs = [
      { status: "issued", issued_on: "2026-03-25" },
      { status: "issued", issued_on: "2026-03-19" },
    ];
    assert.equal(requestWardStatus(rs, deadline, "2026-04-01"), "issued");
  });
  test("counts per status", () => {
    assert.deepEqual(countStatuses(["issued", "overdue", "overdue", "pending"]), {
      issued: 1,
      issued_late: 0,
      pending: 1,
      overdue: 2,
    });
  });
});
