import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { periodProblem, periodTitle, statutoryPeriod } from "./periods.ts";

describe("statutory reporting periods (Nghị định 09/2019, Điều 12)", () => {
  test("quarters run from the 15th of the month before to the 14th of their last month", () => {
    assert.deepEqual(
      [1, 2, 3, 4].map((q) => {
        const p = statutoryPeriod("quarter", 2024, q);
        return [p.from, p.to];
      }),
      [
        ["2023-12-15", "2024-03-14"],
        ["2024-03-15", "2024-06-14"],
        ["2024-06-15", "2024-09-14"],
        ["2024-09-15", "2024-12-14"],
      ],
    );
  });
  test("six months, nine months and the year start at 15/12 of the year before", () => {
    assert.deepEqual(statutoryPeriod("half", 2024), {
      kind: "half",
      year: 2024,
      quarter: null,
      from: "2023-12-15",
      to: "2024-06-14",
    });
    assert.equal(statutoryPeriod("nine_months", 2024).to, "2024-09-14");
    const y = statutoryPeriod("year", 2024);
    assert.deepEqual([y.from, y.to], ["2023-12-15", "2024-12-14"]);
  });
  test("a quarter needs its number", () => {
    assert.throws(() => statutoryPeriod("quarter", 2024, 5), RangeError);
  });
  test("titles in the words of a report", () => {
    assert.equal(periodTitle(statutoryPeriod("quarter", 2024, 1)), "quý I năm 2024");
    assert.equal(periodTitle(statutoryPeriod("half", 2024)), "6 tháng đầu năm 2024");
    assert.equal(
      periodTitle({ kind: "ad_hoc", year: 2024, quarter: null, from: "2024-03-01", to: "2024-03-31" }),
      "từ ngày 01/03/2024 đến ngày 31/03/2024",
    );
  });
  test("an empty, reversed or future period is refused", () => {
    assert.equal(periodProblem("", "2024-03-01", "2026-03-02"), "empty");
    assert.equal(periodProblem("2024-03-31", "2024-03-01", "2026-03-02"), "reversed");
    assert.equal(periodProblem("2026-04-01", "2026-06-30", "2026-03-02"), "future");
    assert.equal(periodProblem("2026-01-01", "2026-06-30", "2026-03-02"), null, "a period running today is fine");
  });
});
