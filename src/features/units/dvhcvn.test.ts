import assert from "node:assert/strict";
import path from "node:path";
import { performance } from "node:perf_hooks";
import { test } from "node:test";
import { vnToday } from "../../core/text/vi.ts";
import {
  buildDvhcvn,
  cleanName,
  findInForce,
  OLD_VALID_TO,
  parseCommuneListMd,
  parseUnitRef,
  REFORM_DATE,
  readDvhcvn,
  type UnitRecord,
  unitKey,
} from "./dvhcvn.ts";

const dir = path.resolve(process.env.CCHC_SHARED_DIR ?? "../shared", "data/dvhcvn-2025");

const t0 = performance.now();
const ds = await readDvhcvn(dir);
const ms = performance.now() - t0;
const t1 = performance.now();
await readDvhcvn(dir);
const msWarm = performance.now() - t1;
console.log(
  `readDvhcvn: ${ms.toFixed(1)} ms (again: ${msWarm.toFixed(1)} ms); ${ds.units.length} units, ${ds.links.length} links`,
);
console.log(`report: ${JSON.stringify({ ...ds.report, anomalies: undefined })}`);

const today = vnToday();
const byKey = new Map(ds.units.map((u) => [u.key, u]));
const inForce = (onDate: string) =>
  ds.units.filter((u) => u.validFrom !== null && u.validFrom <= onDate && u.validTo === null);
const count = (us: UnitRecord[], f: (u: UnitRecord) => boolean) => us.filter(f).length;

test("34 provinces in force today and 63 old ones", () => {
  const now = ds.units.filter((u) => u.level === "province" && findInForce([u], u.code, today));
  assert.equal(now.length, 34);
  const old = ds.units.filter((u) => u.level === "province" && findInForce([u], u.code, "2024-02-19"));
  assert.equal(old.length, 63);
  assert.equal(
    count(now, (u) => u.type === "thanh_pho_tw"),
    6,
  );
  assert.equal(
    count(now, (u) => u.type === "tinh"),
    28,
  );
  const hn = byKey.get("p:01@2025-07-01");
  assert.equal(hn?.name, "Thành phố Hà Nội");
  assert.equal(hn?.shortName, "Hà Nội");
  // No province-level check failed against 915_CTK-CSCL.csv.
  assert.equal(ds.report.checkedProvinceList, true);
  assert.equal(ds.report.anomalyCounts["province-list-mismatch"] ?? 0, 0);
});

test("3,321 communes in force: 2,621 xã, 687 phường, 13 đặc khu, as in 1027_CTK-CSCL.md", () => {
  const communes = inForce(today).filter((u) => u.level === "commune");
  assert.equal(communes.length, 3321);
  assert.equal(
    count(communes, (u) => u.type === "xa"),
    2621,
  );
  assert.equal(
    count(communes, (u) => u.type === "phuong"),
    687,
  );
  assert.equal(
    count(communes, (u) => u.type === "dac_khu"),
    13,
  );
  assert.ok(
    communes.every((u) => u.parentKey !== null && byKey.get(u.parentKey)?.validTo === null),
    "expected: communes.every((u) => u.parentKey !== null && byKey.get(u.parentKey)?.validTo === null)",
  );
  assert.equal(ds.report.checkedCommuneList, true);
  assert.equal(ds.report.anomalyCounts["commune-list-mismatch"] ?? 0, 0);
  // Old communes: 10,047 in splits.json, none of them in force today.
  const oldCommunes = ds.units.filter((u) => u.level === "commune" && u.validTo === OLD_VALID_TO);
  assert.equal(oldCommunes.length, 10047);
  assert.ok(
    oldCommunes.every((u) => ["xa", "phuong", "thi_tran"].includes(u.type) && u.validFrom === null),
    'expected: oldCommunes.every((u) => ["xa", "phuong", "thi_tran"].includes(u.type) && u.validFrom =...',
  );
});

test("keys are unique and every link and parent points at a unit", () => {
  assert.equal(byKey.size, ds.units.length);
  for (const u of ds.units) if (u.parentKey !== null) assert.ok(byKey.has(u.parentKey), u.key);
  for (const l of ds.links) assert.ok(byKey.has(l.fromKey) && byKey.has(l.toKey), `${l.fromKey} → ${l.toKey}`);
  // Parents come before their children.
  const pos = new Map(ds.units.map((u, i) => [u.key, i]));
  for (const u of ds.units)
    if (u.parentKey !== null)
      assert.ok(
        (pos.get(u.parentKey) ?? -1) < (pos.get(u.key) ?? -1),
        "expected: (pos.get(u.parentKey) ?? -1) < (pos.get(u.key) ?? -1)",
      );
});

test("21439 today is Phường Đức Phổ in Tỉnh Quảng Ngãi (51); before the reform it was Phường Nguyễn Nghiêm", () => {
  const u = findInForce(ds.units, "21439", today);
  assert.equal(u?.key, "c:21439@2025-07-01");
  assert.equal(u?.name, "Phường Đức Phổ");
  assert.equal(u?.shortName, "Đức Phổ");
  assert.equal(u?.type, "phuong");
  assert.equal(u?.validFrom, REFORM_DATE);
  const p = u?.parentKey ? byKey.get(u.parentKey) : undefined;
  assert.equal(p?.code, "51");
  assert.equal(p?.name, "Tỉnh Quảng Ngãi");
  assert.equal(p?.type, "tinh");

  const old = findInForce(ds.units, "21439", "2024-02-19");
  assert.equal(old?.key, "c:21439@old");
  assert.equal(old?.name, "Phường Nguyễn Nghiêm");
  assert.equal(old?.validTo, OLD_VALID_TO);
  assert.equal(old?.parentKey, "p:51@old");
  // The boundary days.
  assert.equal(findInForce(ds.units, "21439", "2025-06-30")?.name, "Phường Nguyễn Nghiêm");
  assert.equal(findInForce(ds.units, "21439", "2025-07-01")?.name, "Phường Đức Phổ");
});

test("21463 has no unit in force today; on 2024-02-19 it is Phường Phổ Minh, succeeded in full by 21439", () => {
  assert.equal(findInForce(ds.units, "21463", today), undefined);
  const u = findInForce(ds.units, "21463", "2024-02-19");
  assert.equal(u?.name, "Phường Phổ Minh");
  const out = ds.links.filter((l) => l.fromKey === u?.key);
  assert.deepEqual(out, [{ fromKey: "c:21463@old", toKey: "c:21439@2025-07-01", kind: "full" }]);
});

test("Phường Đức Phổ has five predecessors, all in full", () => {
  const preds = ds.links
    .filter((l) => l.toKey === "c:21439@2025-07-01")
    .map((l) => ({ code: byKey.get(l.fromKey)?.code, name: byKey.get(l.fromKey)?.name, kind: l.kind }))
    .sort((a, b) => String(a.code).localeCompare(String(b.code)));
  assert.deepEqual(preds, [
    { code: "21439", name: "Phường Nguyễn Nghiêm", kind: "full" },
    { code: "21460", name: "Phường Phổ Ninh", kind: "full" },
    { code: "21463", name: "Phường Phổ Minh", kind: "full" },
    { code: "21466", name: "Phường Phổ Vinh", kind: "full" },
    { code: "21469", name: "Phường Phổ Hòa", kind: "full" },
  ]);
});

test("a split old commune has several partial links (Phường Điện Biên, Ba Đình, Hà Nội)", () => {
  const out = ds.links.filter((l) => l.fromKey === "c:00019@old");
  assert.equal(byKey.get("c:00019@old")?.name, "Phường Điện Biên");
  assert.equal(out.length, 4);
  assert.ok(
    out.every((l) => l.kind === "partial"),
    'expected: out.every((l) => l.kind === "partial")',
  );
  assert.deepEqual(out.map((l) => byKey.get(l.toKey)?.code).sort(), ["00004", "00070", "00190", "00226"]);
  // Across the data: 460 old communes are split, and every one of their links is partial.
  const succ = new Map<string, string[]>();
  for (const l of ds.links)
    if (l.fromKey.startsWith("c:")) succ.set(l.fromKey, [...(succ.get(l.fromKey) ?? []), l.kind]);
  const split = [...succ.values()].filter((ks) => ks.length > 1);
  assert.equal(split.length, 460);
  assert.ok(
    split.every((ks) => ks.every((k) => k === "partial")),
    'expected: split.every((ks) => ks.every((k) => k === "partial"))',
  );
  assert.equal(ds.report.anomalyCounts["kind-inconsistent"] ?? 0, 0);
});

test("provinces: old → new links, e.g. Kon Tum and Quảng Ngãi into Quảng Ngãi", () => {
  const into51 = ds.links
    .filter((l) => l.toKey === "p:51@2025-07-01")
    .map((l) => l.fromKey)
    .sort();
  assert.deepEqual(into51, ["p:51@old", "p:62@old"]);
  assert.ok(
    ds.links.filter((l) => l.fromKey.startsWith("p:")).every((l) => l.kind === "full"),
    'expected: ds.links.filter((l) => l.fromKey.startsWith("p:")).every((l) => l.kind === "full")',
  );
  assert.equal(ds.links.filter((l) => l.fromKey.startsWith("p:")).length, 63);
});

test("the five old island districts are kept and succeeded in full by đặc khu", () => {
  const d = ds.units.filter((u) => u.level === "district");
  assert.deepEqual(d.map((u) => u.code).sort(), ["318", "471", "498", "536", "755"]);
  assert.ok(
    d.every((u) => u.type === "huyen" && u.validTo === OLD_VALID_TO && u.parentKey?.startsWith("p:")),
    'expected: d.every((u) => u.type === "huyen" && u.validTo === OLD_VALID_TO && u.parentKey?.startsW...',
  );
  const lySon = ds.links.find((l) => l.fromKey === unitKey("district", "536", "old"));
  assert.deepEqual(lySon, { fromKey: "d:536@old", toKey: "c:21548@2025-07-01", kind: "full" });
  assert.equal(byKey.get("c:21548@2025-07-01")?.name, "Đặc khu Lý Sơn");
});

test("names are NFC, trimmed and single-spaced", () => {
  for (const u of ds.units) {
    assert.equal(u.name, u.name.normalize("NFC"));
    assert.equal(u.name, u.name.replace(/\s+/g, " ").trim());
    assert.ok(u.shortName.length > 0 && u.name.endsWith(u.shortName), u.key);
  }
  assert.equal(cleanName(" Xã  Cò\u00a0 Nòi ".normalize("NFD")), "Xã Cò Nòi");
  assert.equal(cleanName("Phường Văn Miếu -<br>Quốc Tử Giám"), "Phường Văn Miếu - Quốc Tử Giám");
});

test("parseUnitRef accepts codes of 2 or 5 digits, optionally with a real date", () => {
  assert.deepEqual(parseUnitRef("21439"), { code: "21439", onDate: null });
  assert.deepEqual(parseUnitRef("21463@2024-02-19"), { code: "21463", onDate: "2024-02-19" });
  assert.deepEqual(parseUnitRef("51"), { code: "51", onDate: null });
  assert.deepEqual(parseUnitRef(" 00004@2024-02-29 "), { code: "00004", onDate: "2024-02-29" });
  for (const bad of [
    "",
    "1",
    "214",
    "2143",
    "214390",
    "2143a",
    "21439@",
    "@2024-02-19",
    "21439@2024-02-30",
    "21439@2023-02-29",
    "21439@2024-13-01",
    "21439@2024-2-19",
    "21439@19/02/2024",
    "21439@2024-02-19@x",
    "21439 @2024-02-19",
    "２１４３９",
  ]) {
    assert.equal(parseUnitRef(bad), null, JSON.stringify(bad));
  }
});

test("buildDvhcvn is pure over parsed input and tolerates units present in one file only", () => {
  const merges = {
    data: [
      {
        level1_id: "51",
        name: "Tỉnh Quảng Ngãi",
        merges: [{ old_id: "51", name: "Tỉnh Quảng Ngãi", type: "full" }],
        level2s: [
          {
            level2_id: "21439",
            name: "Phường Đức Phổ",
            merges: [
              { old_id: "21439", name: "Phường Nguyễn Nghiêm", type: "full" },
              { old_id: "21999", name: "Xã  Thử ", type: "full" },
            ],
          },
          { level2_id: "21440", name: "Mới", merges: [] },
        ],
      },
    ],
  };
  const splits = {
    data: [
      {
        level1_id: "51",
        name: "Tỉnh Quảng Ngãi",
        splits: [{ new_id: "51", name: "Tỉnh Quảng Ngãi" }],
        level3s: [
          { level3_id: "21439", name: "Phường Nguyễn Nghiêm", splits: [{ new_id: "21439", name: "Phường Đức Phổ" }] },
          {
            level3_id: "21500",
            name: "Thị Trấn Chỉ Ở Splits",
            splits: [
              { new_id: "21439", name: "Phường Đức Phổ" },
              { new_id: "21440", name: "Xã Mới" },
            ],
          },
        ],
      },
    ],
  };
  const communeListMd =
    "| Stt | Mã số | Tên | Tỉnh |\n|---|---|---|---|\n| | | TỈNH QUẢNG NGÃI | |\n| 1 | 21439 | Phường Đức<br>Phổ | Tỉnh Quảng Ngãi |\n| 2 | 21440 | Xã Mới | Tỉnh Quảng Ngãi |\n";
  assert.equal(parseCommuneListMd(communeListMd)[0]?.name, "Phường Đức Phổ");
  const r = buildDvhcvn({ merges, splits, communeListMd });
  const k = new Map(r.units.map((u) => [u.key, u]));
  assert.equal(k.get("c:21440@2025-07-01")?.type, "xa"); // from the list: the name lacks "Xã"
  assert.equal(k.get("c:21999@old")?.name, "Xã Thử"); // only in merges: included, parent inferred
  assert.equal(k.get("c:21999@old")?.parentKey, "p:51@old");
  assert.equal(k.get("c:21500@old")?.type, "thi_tran");
  const from21500 = r.links.filter((l) => l.fromKey === "c:21500@old");
  assert.deepEqual(
    from21500.map((l) => l.kind),
    ["partial", "partial"],
  );
  assert.equal(r.report.anomalyCounts["old-unit-only-in-merges"], 1);
  assert.equal(r.report.anomalyCounts["old-unit-only-in-splits"], 1);
  assert.equal(r.report.anomalyCounts["type-from-list"], 1);
  assert.equal(r.report.checkedProvinceList, false);
  assert.throws(() =>
    buildDvhcvn({ merges: { data: [{ level1_id: "5", name: "x", level2s: [] }] }, splits: { data: [] } }),
  );
});
