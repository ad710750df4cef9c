import assert from "node:assert/strict";
import path from "node:path";
import { before, describe, test } from "node:test";
import { readDvhcvn } from "../units/dvhcvn.ts";
import {
  mayReadRollup,
  planOfRow,
  type RollupRow,
  rollupRows,
  rowName,
  type SuccessionLink,
  satisfactionIndex,
  sortRows,
  type UnitRef,
} from "./rollup.domain.ts";

const SHARED = path.resolve(process.env.CCHC_SHARED_DIR ?? "../shared");

/** The real register as the roll-up sees it: numbered units, links by id, the new wards of one province. */
async function register() {
  const all = await readDvhcvn(path.join(SHARED, "data/dvhcvn-2025"));
  const idOf = new Map(all.units.map((u, i) => [u.key, i + 1]));
  const units = new Map<number, UnitRef>(
    all.units.map((u) => [idOf.get(u.key) as number, { id: idOf.get(u.key) as number, code: u.code, name: u.name }]),
  );
  const links: SuccessionLink[] = all.links.map((l) => ({
    fromId: idOf.get(l.fromKey) as number,
    toId: idOf.get(l.toKey) as number,
    kind: l.kind,
  }));
  const wardsOf = (provinceCode: string) => {
    const p = all.units.find((u) => u.level === "province" && u.code === provinceCode && u.validTo == null);
    return all.units
      .filter((u) => u.parentKey === p?.key && u.validTo == null)
      .map((u) => units.get(idOf.get(u.key) as number) as UnitRef);
  };
  const oldId = (code: string) => idOf.get(`c:${code}@old`) as number;
  return { units, links, wardsOf, oldId };
}

describe("roll-up rows over the real register", () => {
  let reg: Awaited<ReturnType<typeof register>>;
  let rows: RollupRow[];
  before(async () => {
    reg = await register();
    rows = rollupRows(reg.wardsOf("51"), reg.units, reg.links);
  });

  test("Quảng Ngãi: its 96 wards, then the split predecessor Xã Trà Bùi as its own row", () => {
    const wards = rows.filter((r) => !r.beforeReform);
    assert.equal(wards.length, 96, "every commune-level unit of Quảng Ngãi in force has a row");
    const split = rows.filter((r) => r.beforeReform);
    assert.deepEqual(
      split.map((r) => r.unit.name),
      ["Xã Trà Bùi"],
      "Trà Bùi, split between Cà Đam and Tây Trà Bồng, is the province's one split commune",
    );
    const traBui = split[0] as RollupRow;
    assert.deepEqual(
      traBui.successors.map((s) => s.name),
      ["Xã Cà Đam", "Xã Tây Trà Bồng"],
      "its successors are named beside it",
    );
    assert.equal(rowName(traBui), "Xã Trà Bùi (trước sắp xếp)", "the row is marked trước sắp xếp");
    assert.equal(rows.indexOf(traBui), 96, "split rows come after the wards");
  });

  test("Phường Đức Phổ counts its own records and those of the five wards merged whole into it", () => {
    const ducPho = rows.find((r) => r.unit.code === "21439" && !r.beforeReform) as RollupRow;
    assert.ok(ducPho, "Đức Phổ has a row");
    const names = ducPho.memberIds.slice(1).map((id) => reg.units.get(id)?.name);
    assert.deepEqual(
      names.sort((a, b) => String(a).localeCompare(String(b), "vi")),
      ["Phường Nguyễn Nghiêm", "Phường Phổ Hòa", "Phường Phổ Minh", "Phường Phổ Ninh", "Phường Phổ Vinh"],
      "the predecessors of Nghị quyết 1677 item 86",
    );
    assert.equal(ducPho.memberIds[0], ducPho.unit.id, "the ward itself first");
  });

  test("no unit counts in two rows, and the split commune in neither successor", () => {
    const seen = new Map<number, string>();
    for (const r of rows)
      for (const id of r.memberIds) {
        assert.ok(!seen.has(id), `unit ${id} counted under ${seen.get(id)} and ${r.unit.name}`);
        seen.set(id, r.unit.name);
      }
    const traBui = reg.oldId("21142");
    const holders = rows.filter((r) => r.memberIds.includes(traBui));
    assert.deepEqual(
      holders.map((r) => r.beforeReform),
      [true],
      "Trà Bùi's records count in its own row only",
    );
  });

  test("every predecessor of the province's wards is counted somewhere", () => {
    const wardIds = new Set(reg.wardsOf("51").map((w) => w.id));
    const preds = new Set(reg.links.filter((l) => wardIds.has(l.toId)).map((l) => l.fromId));
    const counted = new Set(rows.flatMap((r) => r.memberIds));
    for (const p of preds) assert.ok(counted.has(p), `predecessor ${reg.units.get(p)?.name} is in a row`);
  });

  test("Hà Nội has split communes too, each once, with successors only in Hà Nội", () => {
    const hn = rollupRows(reg.wardsOf("01"), reg.units, reg.links);
    const split = hn.filter((r) => r.beforeReform);
    assert.ok(split.length > 10, `Hà Nội's split communes have rows (${split.length})`);
    const congVi = split.find((r) => r.unit.code === "00007");
    assert.deepEqual(
      congVi?.successors.map((s) => s.name),
      ["Phường Giảng Võ", "Phường Ngọc Hà"],
      "Cống Vị went to Giảng Võ and Ngọc Hà",
    );
    assert.equal(new Set(split.map((r) => r.unit.id)).size, split.length, "one row per split commune");
  });
});

describe("roll-up rows, hand-made cases", () => {
  const u = (id: number, name: string): UnitRef => ({ id, code: String(id).padStart(5, "0"), name });
  test("a chain of full mergers counts under the last successor", () => {
    const units = new Map([u(1, "Xã A"), u(2, "Xã B cũ"), u(3, "Xã C cũ hơn")].map((x) => [x.id, x]));
    const rows = rollupRows([u(1, "Xã A")], units, [
      { fromId: 2, toId: 1, kind: "full" },
      { fromId: 3, toId: 2, kind: "full" },
    ]);
    assert.deepEqual(
      rows.map((r) => r.memberIds),
      [[1, 2, 3]],
      "C → B → A all under A",
    );
  });

  test("a predecessor named under two wards as full is counted once", () => {
    const units = new Map([u(1, "Xã A"), u(2, "Xã B"), u(3, "Xã cũ")].map((x) => [x.id, x]));
    // Two links out of 3 make it split, whatever their kind says.
    const rows = rollupRows([u(1, "Xã A"), u(2, "Xã B")], units, [
      { fromId: 3, toId: 1, kind: "full" },
      { fromId: 3, toId: 2, kind: "full" },
    ]);
    assert.deepEqual(
      rows.map((r) => [r.unit.id, r.beforeReform, r.memberIds]),
      [
        [1, false, [1]],
        [2, false, [2]],
        [3, true, [3]],
      ],
      "its own row, in neither ward",
    );
  });
});

describe("figures of a row", () => {
  test("satisfaction: mean of the factors' means of the criteria's shares of 4 and 5", () => {
    const index = satisfactionIndex([
      { factor: "F1", questionId: 1, answers: 4, satisfied: 3 }, // 75
      { factor: "F1", questionId: 2, answers: 2, satisfied: 2 }, // 100 → F1 87.5
      { factor: "F2", questionId: 3, answers: 3, satisfied: 1 }, // 33.33 → F2
      { factor: "F3", questionId: 4, answers: 0, satisfied: 0 }, // unanswered: left out
    ]);
    assert.equal(index, 60.4, "(87.5 + 33.33) / 2 = 60.42, one decimal");
    assert.equal(satisfactionIndex([]), null, "no answers, no index");
  });

  test("plan in force: the latest issued among the row's units", () => {
    const plans = [
      { id: 1, unitId: 10, number: "12/KH-UBND", issuedOn: "2026-01-05" },
      { id: 2, unitId: 11, number: "30/KH-UBND", issuedOn: "2026-02-01" },
      { id: 3, unitId: 99, number: "99/KH-UBND", issuedOn: "2026-03-01" },
    ];
    assert.equal(planOfRow(plans, [10, 11])?.number, "30/KH-UBND", "a predecessor's later plan wins");
    assert.equal(planOfRow(plans, [12]), null, "no plan of the row's units");
  });
});

describe("sorting and access", () => {
  const row = (name: string, activities: number, satisfaction: number | null, done = 0, total = 0) => ({
    ward: { name },
    beforeReform: false,
    planInForce: total ? "1/KH-UBND" : null,
    tasks: { done, total, overdue: 0 },
    activities,
    audience: 0,
    spent: 0,
    feedback: { received: 0, answeredOnTime: 0 },
    satisfaction,
    lastReport: null,
  });
  const rows = [row("Xã Ba Tơ", 5, 70), row("Phường Đức Phổ", 9, null, 3, 4), row("Xã An Phú", 5, 90, 1, 4)];

  test("by a number both ways, ties by name in Vietnamese order", () => {
    assert.deepEqual(
      sortRows(rows, "hoat-dong", true).map((r) => r.ward.name),
      ["Phường Đức Phổ", "Xã An Phú", "Xã Ba Tơ"],
      "most activities first, the tie by name",
    );
    assert.deepEqual(
      sortRows(rows, "hoat-dong", false).map((r) => r.ward.name),
      ["Xã An Phú", "Xã Ba Tơ", "Phường Đức Phổ"],
      "fewest first",
    );
  });

  test("rows without a figure go last whichever the direction", () => {
    for (const descending of [false, true])
      assert.equal(sortRows(rows, "hai-long", descending).at(-1)?.ward.name, "Phường Đức Phổ", "no index: last");
    assert.deepEqual(
      sortRows(rows, "nhiem-vu", true).map((r) => r.ward.name),
      ["Phường Đức Phổ", "Xã An Phú", "Xã Ba Tơ"],
      "75% before 25%, no tasks last",
    );
    assert.equal(rows[0]?.ward.name, "Xã Ba Tơ", "the input is left as it was");
  });

  test("who reads a roll-up", () => {
    assert.ok(mayReadRollup(true, null, 7), "public: anyone reads a province");
    assert.ok(!mayReadRollup(false, null, 7), "closed: not anonymous callers");
    assert.ok(!mayReadRollup(false, { owner_scope: null }, 7), "closed: not a ward's staff");
    assert.ok(!mayReadRollup(false, { owner_scope: "unit:8" }, 7), "closed: not another province's user");
    assert.ok(mayReadRollup(false, { owner_scope: "unit:7" }, 7), "closed: the province's own user");
    assert.ok(mayReadRollup(false, { owner_scope: "nation" }, 7), "closed: an operator");
    assert.ok(!mayReadRollup(true, null, null), "the country: operators only, even when public");
    assert.ok(mayReadRollup(true, { owner_scope: "nation" }, null), "the country: an operator");
  });
});
