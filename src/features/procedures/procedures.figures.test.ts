import assert from "node:assert/strict";
import { test } from "node:test";
import { changeKindOf, countProcedureChanges, type ProcedureChangeRow } from "./procedures.figures.ts";

const row = (r: Partial<ProcedureChangeRow>): ProcedureChangeRow => ({
  code: "1.000001",
  scope: "national",
  levels: JSON.stringify(["Cấp xã"]),
  change_type: "new",
  effective_from: "2024-02-01",
  decision_id: 1,
  ...r,
});

test("a decision's versions count by kind: new, amended or replaced, abolished; a baseline import never", () => {
  assert.deepEqual(["new", "amended", "replaced", "abolished", "baseline"].map(changeKindOf), [
    "newInForce",
    "changed",
    "changed",
    "abolished",
    null,
  ]);
});

test("procedure changes of a period: each code once per kind, within the dates, at the ward's level, by a decision", () => {
  const c = countProcedureChanges(
    [
      row({ code: "1.000001" }),
      row({ code: "1.000001", effective_from: "2024-02-02" }), // the same code again: once
      row({ code: "1.000002", change_type: "amended" }),
      row({ code: "1.000003", change_type: "replaced" }),
      row({ code: "1.000004", change_type: "abolished", effective_from: "2024-03-14" }),
      row({ code: "1.000005", effective_from: "2024-03-15" }), // after the period
      row({ code: "1.000006", effective_from: "2023-12-14" }), // before it
      row({ code: "1.000007", levels: JSON.stringify(["Cấp tỉnh"]) }), // not a ward's procedure
      row({ code: "2.000008", scope: "province", levels: JSON.stringify(["Cấp tỉnh"]) }), // the province's own: counts
      row({ code: "1.000009", decision_id: null }), // an import without a decision
      row({ code: "1.000010", change_type: "baseline" }),
    ],
    "2023-12-15",
    "2024-03-14",
  );
  assert.deepEqual(c, {
    newInForce: ["1.000001", "2.000008"],
    changed: ["1.000002", "1.000003"],
    abolished: ["1.000004"],
  });
});
