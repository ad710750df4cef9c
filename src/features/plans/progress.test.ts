import assert from "node:assert/strict";
import { describe, test } from "node:test";
import {
  formatNumber,
  monthStart,
  quarterStart,
  summariseByArea,
  summariseByUnit,
  taskStatus,
  totalsOf,
} from "./progress.ts";

const base = { status: "not_started", dueOn: null, recurrence: null, lastActivityOn: null, periodFrom: "2024-01-01" };

describe("taskStatus", () => {
  test("the recorded status when nothing is late", () => {
    assert.equal(taskStatus(base, "2024-05-10"), "not_started");
    assert.equal(taskStatus({ ...base, status: "in_progress" }, "2024-05-10"), "in_progress");
    assert.equal(taskStatus({ ...base, status: "bogus" }, "2024-05-10"), "not_started");
  });

  test("a due date before today makes an unfinished task overdue; due today is not late; done is done", () => {
    assert.equal(taskStatus({ ...base, dueOn: "2024-05-09" }, "2024-05-10"), "overdue");
    assert.equal(taskStatus({ ...base, status: "in_progress", dueOn: "2024-05-09" }, "2024-05-10"), "overdue");
    assert.equal(taskStatus({ ...base, dueOn: "2024-05-10" }, "2024-05-10"), "not_started");
    assert.equal(taskStatus({ ...base, status: "done", dueOn: "2024-01-01" }, "2024-05-10"), "done");
  });

  test("monthly: overdue when nothing was recorded since the start of the previous full month", () => {
    const monthly = { ...base, status: "in_progress", recurrence: "monthly" };
    assert.equal(taskStatus({ ...monthly, lastActivityOn: "2024-04-01" }, "2024-05-10"), "in_progress");
    assert.equal(taskStatus({ ...monthly, lastActivityOn: "2024-03-31" }, "2024-05-10"), "overdue");
    // Across a year boundary.
    assert.equal(taskStatus({ ...monthly, lastActivityOn: "2023-12-15" }, "2024-01-20"), "in_progress");
    assert.equal(taskStatus({ ...monthly, lastActivityOn: "2023-11-30" }, "2024-01-20"), "overdue");
  });

  test("continuous (“thường xuyên”) is checked monthly; yearly against the previous full year", () => {
    const continuous = { ...base, status: "in_progress", recurrence: "continuous" };
    assert.equal(taskStatus({ ...continuous, lastActivityOn: "2024-04-01" }, "2024-05-10"), "in_progress");
    assert.equal(taskStatus({ ...continuous, lastActivityOn: "2024-03-31" }, "2024-05-10"), "overdue");
    const yearly = { ...base, status: "in_progress", recurrence: "yearly" };
    assert.equal(taskStatus({ ...yearly, lastActivityOn: "2023-01-02" }, "2024-11-10"), "in_progress");
    assert.equal(taskStatus({ ...yearly, lastActivityOn: "2022-12-31" }, "2024-11-10"), "overdue");
  });

  test("with no work yet, the plan's period start is the reference; with neither, nothing is flagged", () => {
    const monthly = { ...base, recurrence: "monthly" };
    assert.equal(taskStatus({ ...monthly, periodFrom: "2024-01-01" }, "2024-05-10"), "overdue");
    assert.equal(taskStatus({ ...monthly, periodFrom: "2024-04-15" }, "2024-05-10"), "not_started");
    assert.equal(taskStatus({ ...monthly, periodFrom: null }, "2024-05-10"), "not_started");
  });

  test("quarterly: overdue when nothing was recorded since the start of the previous full quarter", () => {
    const quarterly = { ...base, status: "in_progress", recurrence: "quarterly" };
    // Today in Q2 2024: the previous full quarter began on 01/01/2024.
    assert.equal(taskStatus({ ...quarterly, lastActivityOn: "2024-01-02" }, "2024-05-10"), "in_progress");
    assert.equal(taskStatus({ ...quarterly, lastActivityOn: "2023-12-31" }, "2024-05-10"), "overdue");
    // Today in Q1 2024: the previous full quarter began on 01/10/2023.
    assert.equal(taskStatus({ ...quarterly, lastActivityOn: "2023-10-01" }, "2024-02-01"), "in_progress");
    assert.equal(taskStatus({ ...quarterly, lastActivityOn: "2023-09-30" }, "2024-02-01"), "overdue");
  });

  test("calendar helpers", () => {
    assert.equal(monthStart("2024-03-31", 1), "2024-02-01");
    assert.equal(monthStart("2024-01-05", 1), "2023-12-01");
    assert.equal(monthStart("2024-01-05", 13), "2022-12-01");
    assert.equal(quarterStart("2024-05-10"), "2024-04-01");
    assert.equal(quarterStart("2024-02-29", 1), "2023-10-01");
    assert.equal(quarterStart("2024-12-31", 1), "2024-07-01");
  });
});

describe("summaries", () => {
  const A = { id: 1, name: "Văn phòng – Thống kê" };
  const B = { id: 2, name: "Văn hóa – Xã hội" };

  test("by unit: each task once, under its lead unit; tasks without a lead last", () => {
    const rows = summariseByUnit([
      { state: "done", lead: A },
      { state: "overdue", lead: null },
      { state: "overdue", lead: A },
      { state: "in_progress", lead: B },
    ]);
    assert.deepEqual(
      rows.map((r) => [r.unitName, r.total, r.counts.done, r.counts.overdue, r.counts.in_progress]),
      [
        ["Văn phòng – Thống kê", 2, 1, 1, 0],
        ["Văn hóa – Xã hội", 1, 0, 0, 1],
        ["Chưa giao đơn vị chủ trì", 1, 0, 1, 0],
      ],
    );
  });

  test("by area: areas sharing a pillar share one row, stray pillars get their own, totals add up", () => {
    const areas = [
      { code: "2.1", title: "Cải cách thể chế", pillar: "institutions" },
      { code: "2.2", title: "Thủ tục hành chính", pillar: "procedures" },
      { code: "2.3", title: "Một cửa", pillar: "procedures" },
      { code: "2.4", title: "Chưa xếp", pillar: null },
    ];
    const rows = summariseByArea(areas, [
      { pillar: "procedures", activities: 3, audience: 250, cost: 1_500_000 },
      { pillar: "e_government", activities: 1, audience: null, cost: null },
      { pillar: null, activities: 2, audience: 40, cost: 0 },
    ]);
    assert.deepEqual(
      rows.map((r) => [r.code, r.title, r.activities, r.audience, r.cost]),
      [
        ["2.1", "Cải cách thể chế", 0, 0, 0],
        ["2.2, 2.3", "Thủ tục hành chính; Một cửa", 3, 250, 1_500_000],
        ["", "Xây dựng Chính phủ điện tử, Chính phủ số; hiện đại hóa hành chính (ngoài nội dung kế hoạch)", 1, 0, 0],
        ["", "Khác, chưa xếp lĩnh vực", 2, 40, 0],
      ],
    );
    const totals = totalsOf(summariseByUnit([{ state: "done", lead: A }]), rows);
    assert.deepEqual(totals, {
      tasks: 1,
      counts: { not_started: 0, in_progress: 0, done: 1, overdue: 0 },
      activities: 6,
      audience: 290,
      cost: 1_500_000,
    });
  });

  test("numbers use Vietnamese thousands dots", () => {
    assert.equal(formatNumber(1_500_000), "1.500.000");
    assert.equal(formatNumber(999), "999");
    assert.equal(formatNumber(0), "0");
  });
});
