import assert from "node:assert/strict";
import { describe, test } from "node:test";
import {
  type RollupWardFigures,
  rollupDocument,
  rollupFigures,
  rollupNarrative,
  rollupSymbol,
} from "./rollup-report.ts";

const row = (code: string, name: string, over: Partial<RollupWardFigures> = {}): RollupWardFigures => ({
  code,
  name,
  beforeReform: false,
  planInForce: "18/KH-UBND",
  tasks: { done: 2, total: 5, overdue: 1 },
  activities: 3,
  byChannel: [{ key: "radio", label: "Đài truyền thanh", count: 3 }],
  audience: 1000,
  spent: 200000,
  feedback: { received: 4, answeredOnTime: 3, overdue: 1 },
  satisfaction: 80,
  ...over,
});

const province = { code: "51", name: "Tỉnh Quảng Ngãi" };
const period = { from: "2023-12-15", to: "2024-03-14" };

describe("the province's roll-up report", () => {
  const f = rollupFigures(
    province,
    period,
    [
      row("21439", "Phường Đức Phổ"),
      row("21451", "Phường Trà Câu", { planInForce: null, satisfaction: null, activities: 1, byChannel: [] }),
      row("21100", "Xã Trà Bùi (trước sắp xếp)", { beforeReform: true, satisfaction: 90 }),
    ],
    "2026-03-02T03:00:00.000Z",
  );
  test("sums every row once; the satisfaction index is the mean of the rows that have one", () => {
    assert.equal(f.totals.activities, 7, "3 + 1 + 3");
    assert.deepEqual(f.totals.tasks, { done: 6, total: 15, overdue: 3 }, "tasks summed");
    assert.equal(f.totals.withPlan, 2, "rows with a plan");
    assert.equal(f.totals.satisfaction, 85, "(80 + 90) / 2, the row without a survey left out");
    assert.deepEqual(f.totals.byChannel, [{ key: "radio", label: "Đài truyền thanh", count: 6 }], "by channel");
  });
  test("a department issues with its own symbol and KT. GIÁM ĐỐC, under its province; the committee with TM.", () => {
    const narrative = rollupNarrative(f, ["Ủy ban nhân dân tỉnh Quảng Ngãi"], "[…]");
    const issue = { number: 1, issuedOn: "2026-03-02", signerName: "Trần Văn Bình" };
    const snv = {
      provinceName: "Tỉnh Quảng Ngãi",
      place: "Quảng Ngãi",
      department: { name: "Sở Nội vụ", code: "SNV" },
    };
    const d = rollupDocument(snv, "quý I năm 2024", f, narrative, issue);
    assert.equal(d.symbol, "BC-SNV", "the department's symbol");
    assert.equal(d.superior, "UBND TỈNH QUẢNG NGÃI", "under its province");
    assert.deepEqual(d.issuer, ["SỞ NỘI VỤ"], "the department issues");
    assert.deepEqual(
      [d.signature.authority, d.signature.onBehalfOf, d.signature.position],
      [null, "KT. GIÁM ĐỐC", "PHÓ GIÁM ĐỐC"],
      "no TM. for a department",
    );
    const tables = d.body.filter((b) => b.kind === "table" && b.caption?.startsWith("Bảng PL."));
    assert.equal(tables.length, 3, "one appendix table per row");
    const committee = rollupDocument({ ...snv, department: null }, "quý I năm 2024", f, narrative, issue);
    assert.equal(rollupSymbol({ department: null }), "BC-UBND", "the committee's symbol");
    assert.equal(committee.signature.authority, "TM. ỦY BAN NHÂN DÂN", "the committee signs with TM.");
    assert.match(
      narrative.shortcomings,
      /1 xã, phường chưa có kế hoạch/,
      "the ward without a plan is named as lagging",
    );
  });
});
