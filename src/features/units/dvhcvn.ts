/**
 * Vietnamese administrative units before and after the reform of 1 July 2025, with time, from the dvhcvn-2025 files
 * (merges.json NEW→OLD, splits.json OLD→NEW, 915_CTK-CSCL.csv province codes, 1027_CTK-CSCL.md commune list).
 *
 * Codes are reused across the reform (21439 was Phường Nguyễn Nghiêm and is now Phường Đức Phổ), so a unit is an
 * identity (`key`) plus code, name, type, level, validity period, parent, and succession links (full | partial).
 *
 * `buildDvhcvn` is pure over the parsed JSON and the raw text of the two documents; `readDvhcvn(dir)` reads the files.
 * Besides the 34 + 63 provinces and 3,321 + 10,047 communes, the files hold five old island districts (huyện
 * Bạch Long Vĩ, Cồn Cỏ, Hoàng Sa, Lý Sơn, Côn Đảo) that became đặc khu; they are kept as level "district", type "huyen".
 */
import { readFile } from "node:fs/promises";
import path from "node:path";
import { foldWords, nfc, squash } from "../../core/text/vi.ts";

/** New units are valid from this date. */
export const REFORM_DATE = "2025-07-01";
/** Old units are valid to this date (inclusive). */
export const OLD_VALID_TO = "2025-06-30";

export type UnitType = "tinh" | "thanh_pho_tw" | "huyen" | "xa" | "phuong" | "dac_khu" | "thi_tran";
export type UnitLevel = "province" | "district" | "commune";

export interface UnitRecord {
  /** Stable identity within the dataset: "p:51@2025-07-01", "c:21439@2025-07-01", "c:21439@old", "d:536@old". */
  key: string;
  /** Official code: "51" (province), "536" (old district), "21439" (commune). */
  code: string;
  /** Full name as written, NFC, trimmed, single spaces: "Phường Đức Phổ", "Tỉnh Quảng Ngãi". */
  name: string;
  /** Name without the type word: "Đức Phổ", "Quảng Ngãi", "Hà Nội" (numbered units keep it: "Phường 1"). */
  shortName: string;
  type: UnitType;
  level: UnitLevel;
  /** Commune or district → its province (old units → their old province); null for provinces. */
  parentKey: string | null;
  /** ISO date; new units REFORM_DATE; old units null (start unknown). */
  validFrom: string | null;
  /** ISO date, inclusive; old units OLD_VALID_TO; new units null. */
  validTo: string | null;
}

export interface SuccessionLink {
  fromKey: string;
  toKey: string;
  kind: "full" | "partial";
}

export interface UnitsDataset {
  units: UnitRecord[];
  links: SuccessionLink[];
}

export interface DvhcvnAnomaly {
  kind:
    | "old-district" // an old district-level unit (island huyện without communes) succeeded by a commune-level unit
    | "old-unit-only-in-merges" // an old unit referenced by merges.json but absent from splits.json
    | "old-unit-only-in-splits" // an old unit in splits.json that no entry of merges.json references
    | "link-only-in-merges"
    | "link-only-in-splits"
    | "link-to-unknown-unit" // splits.json names a new code that merges.json does not have (link dropped)
    | "old-unit-without-successor"
    | "cross-province-link" // an old commune whose successor is not in a successor of its old province
    | "kind-inconsistent" // merges.json says full for an old unit with several successors, or partial for one with one
    | "name-mismatch" // two files give different names for the same unit (after normalisation)
    | "name-variant" // ... differing only in spelling: tone placement (Hoà/Hòa), case, apostrophe (’/'), diacritics
    | "type-from-list" // the name has no type word; type taken from 1027_CTK-CSCL.md
    | "duplicate-code" // the same code twice in one period (later one dropped)
    | "province-list-mismatch" // merges.json vs 915_CTK-CSCL.csv
    | "commune-list-mismatch"; // merges.json vs 1027_CTK-CSCL.md
  code: string;
  detail: string;
}

export interface DvhcvnReport {
  /** Units by level and period, e.g. `{ "province@new": 34, "commune@old": 10047 }`. */
  units: Record<string, number>;
  /** Units by period and type, e.g. `{ "new:xa": 2621, "old:thi_tran": 617 }`. */
  types: Record<string, number>;
  /** Links by level of the old unit and kind, e.g. `{ "commune:full": 9592 }`. */
  links: Record<string, number>;
  /** Names in the source files that normalisation (NFC, trim, single spaces) changed. */
  namesNormalised: number;
  /** Whether the two documents were supplied and checked. */
  checkedProvinceList: boolean;
  checkedCommuneList: boolean;
  anomalies: DvhcvnAnomaly[];
  anomalyCounts: Record<string, number>;
}

export interface DvhcvnResult extends UnitsDataset {
  report: DvhcvnReport;
}

export interface DvhcvnInput {
  /** Parsed merges.json. */
  merges: unknown;
  /** Parsed splits.json. */
  splits: unknown;
  /** Text of 915_CTK-CSCL.csv; the province check is skipped when absent. */
  provinceListCsv?: string;
  /** Text of 1027_CTK-CSCL.md; the commune check (and the type fallback) is skipped when absent. */
  communeListMd?: string;
}

export const DVHCVN_FILES = {
  merges: "merges.json",
  splits: "splits.json",
  provinceListCsv: "915_CTK-CSCL.csv",
  communeListMd: "1027_CTK-CSCL.md",
} as const;

type Period = "new" | "old";

/** Identity of a unit: level letter, code, and the period ("2025-07-01" for new units, "old" for old ones). */
export function unitKey(level: UnitLevel, code: string, period: Period): string {
  const letter = level === "province" ? "p" : level === "district" ? "d" : "c";
  return `${letter}:${code}@${period === "new" ? REFORM_DATE : "old"}`;
}

/** Normalise a name as stored: NFC, no-break spaces and `<br>` as spaces, trimmed, single spaces. */
export function cleanName(raw: string): string {
  if (ALREADY_CLEAN.test(raw) && raw.normalize("NFC") === raw) return raw; // the common case, several times faster
  return squash(nfc(raw.replace(/<br\s*\/?>/gi, " ")));
}
/** Words of anything but white space, `<` and zero-width characters, separated by single spaces. */
const ALREADY_CLEAN = /^[^\s<\u200b-\u200d\ufeff]+(?: [^\s<\u200b-\u200d\ufeff]+)*$/;

const PROVINCE_PREFIXES: ReadonlyArray<readonly [string, UnitType]> = [
  ["thành phố", "thanh_pho_tw"],
  ["tỉnh", "tinh"],
];
const DISTRICT_PREFIXES: ReadonlyArray<readonly [string, UnitType]> = [["huyện", "huyen"]];
const NEW_COMMUNE_PREFIXES: ReadonlyArray<readonly [string, UnitType]> = [
  ["xã", "xa"],
  ["phường", "phuong"],
  ["đặc khu", "dac_khu"],
];
const OLD_COMMUNE_PREFIXES: ReadonlyArray<readonly [string, UnitType]> = [
  ["xã", "xa"],
  ["phường", "phuong"],
  ["thị trấn", "thi_tran"],
];

const ALL_PREFIXES = [...PROVINCE_PREFIXES, ...DISTRICT_PREFIXES, ...NEW_COMMUNE_PREFIXES, ...OLD_COMMUNE_PREFIXES];

/** Type and short name from the type word the name starts with (case-insensitive: "Thị Trấn" occurs), or null. */
function classify(
  name: string,
  prefixes: ReadonlyArray<readonly [string, UnitType]>,
): { type: UnitType; shortName: string } | null {
  const lower = name.toLowerCase();
  for (const [prefix, type] of prefixes) {
    if (lower.startsWith(`${prefix} `)) {
      const rest = name.slice(prefix.length + 1).trim();
      if (rest === "") return null;
      // "Phường 1" stays whole: a bare number is no name.
      return { type, shortName: /^\d+$/.test(rest) ? name : rest };
    }
  }
  return null;
}

/** Strip any known type word (for documents that write names with or without it). */
function stripAnyPrefix(name: string, prefixes: ReadonlyArray<readonly [string, UnitType]>): string {
  return classify(name, prefixes)?.shortName ?? name;
}

// ---------------------------------------------------------------------------------------------------------------
// Shape checks of the raw JSON (the files are third-party data: fail with a path, not with a TypeError).

type Json = Record<string, unknown>;

function obj(x: unknown, where: string): Json {
  if (x === null || typeof x !== "object" || Array.isArray(x)) throw new Error(`dvhcvn: ${where} is not an object`);
  return x as Json;
}
function arr(x: unknown, where: string): unknown[] {
  if (!Array.isArray(x)) throw new Error(`dvhcvn: ${where} is not an array`);
  return x;
}
function optArr(x: unknown, where: string): unknown[] {
  return x === undefined || x === null ? [] : arr(x, where);
}
function str(x: unknown, where: string): string {
  if (typeof x !== "string") throw new Error(`dvhcvn: ${where} is not a string`);
  return x;
}
function code(x: unknown, where: string, pattern: RegExp): string {
  const s = str(x, where).trim();
  if (!pattern.test(s)) throw new Error(`dvhcvn: ${where} = ${JSON.stringify(s)} is not a valid code`);
  return s;
}
function linkKind(x: unknown): "full" | "partial" | null {
  return x === "full" || x === "partial" ? x : null;
}

const PROVINCE_CODE = /^\d{2}$/;
const DISTRICT_CODE = /^\d{3}$/;
const COMMUNE_CODE = /^\d{5}$/;
const OLD_ID = /^(\d{2}|\d{3}|\d{5})$/;

// ---------------------------------------------------------------------------------------------------------------
// The two documents.

/** 915_CTK-CSCL.csv: `Stt,Mã số,Tên` → code → name. */
export function parseProvinceListCsv(text: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const line of text.split(/\r?\n/)) {
    const cells = line.split(",");
    const c = cells[1]?.trim() ?? "";
    if (cells.length < 3 || !PROVINCE_CODE.test(c)) continue;
    out.set(c, cleanName(cells.slice(2).join(",")));
  }
  return out;
}

export interface CommuneListEntry {
  code: string;
  name: string;
  /** Type from the name's first words; null if none recognised. */
  type: UnitType | null;
  /** Province heading the row was under (as written, e.g. "TỈNH QUẢNG NGÃI"), or null. */
  provinceHeading: string | null;
}

/**
 * 1027_CTK-CSCL.md: markdown tables `| Stt | Mã số | Tên | Tỉnh |`, split by page, with province headings as rows
 * without number and code; cells may contain `<br>`.
 */
export function parseCommuneListMd(text: string): CommuneListEntry[] {
  const out: CommuneListEntry[] = [];
  let heading: string | null = null;
  for (const line of text.split(/\r?\n/)) {
    if (!line.trimStart().startsWith("|")) continue;
    const cells = line.trim().split("|").slice(1, -1).map(cleanName);
    if (cells.length < 3) continue;
    const [stt, c, name] = cells as [string, string, string];
    if (stt === "" && c === "" && name !== "") {
      heading = name;
      continue;
    }
    if (!/^\d+$/.test(stt) || !COMMUNE_CODE.test(c)) continue;
    out.push({ code: c, name, type: classify(name, NEW_COMMUNE_PREFIXES)?.type ?? null, provinceHeading: heading });
  }
  return out;
}

// ---------------------------------------------------------------------------------------------------------------

function bump(counts: Record<string, number>, key: string, by = 1): void {
  counts[key] = (counts[key] ?? 0) + by;
}

interface PendingLink {
  fromKey: string;
  toKey: string;
  kind: "full" | "partial" | null;
  inMerges: boolean;
  inSplits: boolean;
}

/** Build the dataset from the parsed files. Pure: no I/O, no clock. */
export function buildDvhcvn(input: DvhcvnInput): DvhcvnResult {
  const units: UnitRecord[] = [];
  const byKey = new Map<string, UnitRecord>();
  const anomalies: DvhcvnAnomaly[] = [];
  let namesNormalised = 0;

  const note = (kind: DvhcvnAnomaly["kind"], c: string, detail: string) => anomalies.push({ kind, code: c, detail });
  const name = (raw: unknown, where: string): string => {
    const s = str(raw, where);
    const clean = cleanName(s);
    if (clean !== s) namesNormalised++;
    if (clean === "") throw new Error(`dvhcvn: ${where} is empty`);
    return clean;
  };
  /** Same name, the type word aside ("Tỉnh Sơn La" / "Sơn La")? Else a spelling variant, else a mismatch. */
  const compareNames = (c: string, a: string, b: string, what: string) => {
    if (a === b) return;
    const sa = stripAnyPrefix(a, ALL_PREFIXES);
    const sb = stripAnyPrefix(b, ALL_PREFIXES);
    if (sa === sb) return;
    const kind = foldWords(sa) === foldWords(sb) ? "name-variant" : "name-mismatch";
    note(kind, c, `${what} "${a}" / "${b}"`);
  };
  const add = (u: UnitRecord): boolean => {
    if (byKey.has(u.key)) {
      note("duplicate-code", u.code, `${u.key} "${u.name}" appears again; kept "${byKey.get(u.key)?.name}"`);
      return false;
    }
    byKey.set(u.key, u);
    units.push(u);
    return true;
  };
  const typed = (
    n: string,
    prefixes: ReadonlyArray<readonly [string, UnitType]>,
    where: string,
  ): { type: UnitType; shortName: string } => {
    const t = classify(n, prefixes);
    if (!t) throw new Error(`dvhcvn: cannot tell the type of ${where} "${n}" from its name`);
    return t;
  };

  const communeList = input.communeListMd === undefined ? null : parseCommuneListMd(input.communeListMd);
  const communeListByCode = new Map<string, CommuneListEntry>();
  for (const e of communeList ?? []) {
    if (communeListByCode.has(e.code)) note("commune-list-mismatch", e.code, "code listed twice in 1027_CTK-CSCL.md");
    else communeListByCode.set(e.code, e);
  }

  const mergesData = arr(obj(input.merges, "merges.json").data, "merges.json data");
  const splitsData = arr(obj(input.splits, "splits.json").data, "splits.json data");

  // --- New provinces and communes (merges.json). Raw merge references are kept for links and old-unit lookup.
  interface NewProvince {
    key: string;
    code: string;
    merges: Json[];
    level2s: { key: string; code: string; merges: Json[] }[];
  }
  const newProvinces: NewProvince[] = [];
  const newCommunes: UnitRecord[] = [];
  mergesData.forEach((rawP, i) => {
    const where = `merges.json data[${i}]`;
    const p = obj(rawP, where);
    const pCode = code(p.level1_id, `${where}.level1_id`, PROVINCE_CODE);
    const pName = name(p.name, `${where}.name`);
    const pKey = unitKey("province", pCode, "new");
    add({
      key: pKey,
      code: pCode,
      name: pName,
      ...typed(pName, PROVINCE_PREFIXES, `new province ${pCode}`),
      level: "province",
      parentKey: null,
      validFrom: REFORM_DATE,
      validTo: null,
    });
    const np: NewProvince = {
      key: pKey,
      code: pCode,
      merges: optArr(p.merges, `${where}.merges`).map((m, j) => obj(m, `${where}.merges[${j}]`)),
      level2s: [],
    };
    newProvinces.push(np);
    arr(p.level2s, `${where}.level2s`).forEach((rawC, j) => {
      const cw = `${where}.level2s[${j}]`;
      const c = obj(rawC, cw);
      const cCode = code(c.level2_id, `${cw}.level2_id`, COMMUNE_CODE);
      const cName = name(c.name, `${cw}.name`);
      let t = classify(cName, NEW_COMMUNE_PREFIXES);
      if (!t) {
        const listed = communeListByCode.get(cCode)?.type;
        if (!listed) throw new Error(`dvhcvn: cannot tell the type of new commune ${cCode} "${cName}"`);
        t = { type: listed, shortName: cName };
        note("type-from-list", cCode, `"${cName}" has no type word; 1027_CTK-CSCL.md says ${listed}`);
      }
      const u: UnitRecord = {
        key: unitKey("commune", cCode, "new"),
        code: cCode,
        name: cName,
        ...t,
        level: "commune",
        parentKey: pKey,
        validFrom: REFORM_DATE,
        validTo: null,
      };
      if (add(u)) {
        newCommunes.push(u);
        np.level2s.push({
          key: u.key,
          code: cCode,
          merges: optArr(c.merges, `${cw}.merges`).map((m, k) => obj(m, `${cw}.merges[${k}]`)),
        });
      }
    });
  });

  // --- Old provinces, island districts and communes (splits.json).
  interface OldUnitSplits {
    key: string;
    splits: Json[];
  }
  const oldSplits: OldUnitSplits[] = [];
  const oldProvinceSplits: OldUnitSplits[] = [];
  splitsData.forEach((rawP, i) => {
    const where = `splits.json data[${i}]`;
    const p = obj(rawP, where);
    const pCode = code(p.level1_id, `${where}.level1_id`, PROVINCE_CODE);
    const pName = name(p.name, `${where}.name`);
    const pKey = unitKey("province", pCode, "old");
    const pAdded = add({
      key: pKey,
      code: pCode,
      name: pName,
      ...typed(pName, PROVINCE_PREFIXES, `old province ${pCode}`),
      level: "province",
      parentKey: null,
      validFrom: null,
      validTo: OLD_VALID_TO,
    });
    if (pAdded) {
      oldProvinceSplits.push({
        key: pKey,
        splits: optArr(p.splits, `${where}.splits`).map((s, j) => obj(s, `${where}.splits[${j}]`)),
      });
    }
    const children: [string, UnitLevel, RegExp, ReadonlyArray<readonly [string, UnitType]>][] = [
      ["level2s", "district", DISTRICT_CODE, DISTRICT_PREFIXES],
      ["level3s", "commune", COMMUNE_CODE, OLD_COMMUNE_PREFIXES],
    ];
    for (const [field, level, pattern, prefixes] of children) {
      const idField = field === "level2s" ? "level2_id" : "level3_id";
      optArr(p[field], `${where}.${field}`).forEach((rawC, j) => {
        const cw = `${where}.${field}[${j}]`;
        const c = obj(rawC, cw);
        const cCode = code(c[idField], `${cw}.${idField}`, pattern);
        const cName = name(c.name, `${cw}.name`);
        const key = unitKey(level, cCode, "old");
        const ok = add({
          key,
          code: cCode,
          name: cName,
          ...typed(cName, prefixes, `old ${level} ${cCode}`),
          level,
          parentKey: pKey,
          validFrom: null,
          validTo: OLD_VALID_TO,
        });
        if (ok)
          oldSplits.push({ key, splits: optArr(c.splits, `${cw}.splits`).map((s, k) => obj(s, `${cw}.splits[${k}]`)) });
      });
    }
  });

  // --- Links. Pairs from merges.json (with their kind) and from splits.json, joined.
  const pending = new Map<string, PendingLink>();
  const pairKey = (from: string, to: string) => `${from}>${to}`;
  const touch = (fromKey: string, toKey: string, kind: "full" | "partial" | null, source: "merges" | "splits") => {
    const k = pairKey(fromKey, toKey);
    let l = pending.get(k);
    if (!l) {
      l = { fromKey, toKey, kind: null, inMerges: false, inSplits: false };
      pending.set(k, l);
    }
    if (source === "merges") {
      l.inMerges = true;
      l.kind = kind;
    } else l.inSplits = true;
  };

  /** Old province of a new unit's predecessor when only merges.json knows it: the sole old province of its new one. */
  const oldProvinceOf = (np: NewProvince): string | null => {
    const olds = np.merges.map((m) => str(m.old_id, `province ${np.code} merges old_id`).trim());
    return olds.length === 1 && olds[0] !== undefined ? unitKey("province", olds[0], "old") : null;
  };
  const mergedOldNames = new Map<string, string>();

  for (const np of newProvinces) {
    np.merges.forEach((m, j) => {
      const where = `merges.json province ${np.code} merges[${j}]`;
      const oldCode = code(m.old_id, `${where}.old_id`, PROVINCE_CODE);
      const oldName = name(m.name, `${where}.name`);
      const key = unitKey("province", oldCode, "old");
      if (!byKey.has(key)) {
        note("old-unit-only-in-merges", oldCode, `old province "${oldName}" is in merges.json only`);
        add({
          key,
          code: oldCode,
          name: oldName,
          ...typed(oldName, PROVINCE_PREFIXES, `old province ${oldCode}`),
          level: "province",
          parentKey: null,
          validFrom: null,
          validTo: OLD_VALID_TO,
        });
      }
      mergedOldNames.set(key, oldName);
      touch(key, np.key, linkKind(m.type), "merges");
    });
    for (const nc of np.level2s) {
      nc.merges.forEach((m, j) => {
        const where = `merges.json commune ${nc.code} merges[${j}]`;
        const oldCode = code(m.old_id, `${where}.old_id`, OLD_ID);
        const oldName = name(m.name, `${where}.name`);
        const level: UnitLevel = oldCode.length === 5 ? "commune" : oldCode.length === 3 ? "district" : "province";
        const key = unitKey(level, oldCode, "old");
        if (!byKey.has(key)) {
          note("old-unit-only-in-merges", oldCode, `old ${level} "${oldName}" (→ ${nc.code}) is in merges.json only`);
          const prefixes =
            level === "commune" ? OLD_COMMUNE_PREFIXES : level === "district" ? DISTRICT_PREFIXES : PROVINCE_PREFIXES;
          add({
            key,
            code: oldCode,
            name: oldName,
            ...typed(oldName, prefixes, `old ${level} ${oldCode}`),
            level,
            parentKey: level === "province" ? null : oldProvinceOf(np),
            validFrom: null,
            validTo: OLD_VALID_TO,
          });
        }
        const prev = mergedOldNames.get(key);
        if (prev !== undefined) compareNames(oldCode, prev, oldName, `merges.json names old ${oldCode} both`);
        mergedOldNames.set(key, oldName);
        touch(key, nc.key, linkKind(m.type), "merges");
      });
    }
  }

  const linkFromSplits = (o: OldUnitSplits, newLevel: UnitLevel) => {
    const from = byKey.get(o.key);
    o.splits.forEach((s, j) => {
      const where = `splits.json ${o.key} splits[${j}]`;
      const newCode = code(s.new_id, `${where}.new_id`, newLevel === "province" ? PROVINCE_CODE : COMMUNE_CODE);
      const newName = name(s.name, `${where}.name`);
      const to = byKey.get(unitKey(newLevel, newCode, "new"));
      if (!to) {
        note("link-to-unknown-unit", newCode, `${o.key} "${from?.name}" → ${newCode} "${newName}": no such new unit`);
        return;
      }
      compareNames(newCode, to.name, newName, "merges.json / splits.json:");
      touch(o.key, to.key, null, "splits");
    });
  };
  for (const o of oldProvinceSplits) linkFromSplits(o, "province");
  for (const o of oldSplits) linkFromSplits(o, "commune");

  // Names of old units: splits.json vs merges.json.
  for (const [key, mergedName] of mergedOldNames) {
    const u = byKey.get(key);
    if (u) compareNames(u.code, u.name, mergedName, "splits.json / merges.json:");
  }

  // Kinds: merges.json's where given; else "partial" when the old unit has several successors, else "full".
  const successors = new Map<string, number>();
  for (const l of pending.values()) successors.set(l.fromKey, (successors.get(l.fromKey) ?? 0) + 1);
  const links: SuccessionLink[] = [];
  for (const l of pending.values()) {
    const many = (successors.get(l.fromKey) ?? 0) > 1;
    const code0 = byKey.get(l.fromKey)?.code ?? l.fromKey;
    if (l.inMerges && !l.inSplits) note("link-only-in-merges", code0, `${l.fromKey} → ${l.toKey}`);
    if (l.inSplits && !l.inMerges) note("link-only-in-splits", code0, `${l.fromKey} → ${l.toKey}`);
    if ((l.kind === "full" && many) || (l.kind === "partial" && !many)) {
      note(
        "kind-inconsistent",
        code0,
        `${l.fromKey} → ${l.toKey} is ${l.kind} but the old unit has ${successors.get(l.fromKey)} successor(s)`,
      );
    }
    links.push({ fromKey: l.fromKey, toKey: l.toKey, kind: l.kind ?? (many ? "partial" : "full") });
  }

  // Old units nobody succeeds, and old units merges.json never mentions.
  const hasSuccessor = new Set(links.map((l) => l.fromKey));
  for (const u of units) {
    if (u.validTo === null) continue;
    if (!mergedOldNames.has(u.key))
      note("old-unit-only-in-splits", u.code, `${u.key} "${u.name}" is not referenced by merges.json`);
    if (u.level === "district") note("old-district", u.code, `${u.key} "${u.name}" is an old district-level unit`);
    if (!hasSuccessor.has(u.key)) note("old-unit-without-successor", u.code, `${u.key} "${u.name}" has no successor`);
  }

  // Cross-province: an old unit's successor should lie in a successor of its old province.
  const newProvincesOfOld = new Map<string, Set<string>>();
  for (const l of links) {
    if (!l.fromKey.startsWith("p:")) continue;
    const s = newProvincesOfOld.get(l.fromKey) ?? new Set<string>();
    s.add(l.toKey);
    newProvincesOfOld.set(l.fromKey, s);
  }
  for (const l of links) {
    const from = byKey.get(l.fromKey);
    const to = byKey.get(l.toKey);
    if (!from?.parentKey || !to?.parentKey) continue;
    if (!newProvincesOfOld.get(from.parentKey)?.has(to.parentKey)) {
      note(
        "cross-province-link",
        from.code,
        `${from.key} "${from.name}" (${from.parentKey}) → ${to.key} "${to.name}" (${to.parentKey})`,
      );
    }
  }

  // --- Checks against the two documents.
  const checkedProvinceList = input.provinceListCsv !== undefined;
  if (input.provinceListCsv !== undefined) {
    const listed = parseProvinceListCsv(input.provinceListCsv);
    const newProvinceUnits = units.filter((u) => u.level === "province" && u.validTo === null);
    for (const u of newProvinceUnits) {
      const n = listed.get(u.code);
      if (n === undefined) note("province-list-mismatch", u.code, `"${u.name}" is not in 915_CTK-CSCL.csv`);
      else if (n !== u.name && n !== u.shortName)
        note("province-list-mismatch", u.code, `915_CTK-CSCL.csv "${n}", merges.json "${u.name}"`);
    }
    for (const [c, n] of listed) {
      if (!byKey.has(unitKey("province", c, "new")))
        note("province-list-mismatch", c, `"${n}" is in 915_CTK-CSCL.csv only`);
    }
  }
  const checkedCommuneList = communeList !== null;
  if (communeList !== null) {
    const provinceByHeading = new Map<string, string>();
    for (const u of units) {
      if (u.level === "province" && u.validTo === null) provinceByHeading.set(u.name.toUpperCase(), u.key);
    }
    for (const e of communeListByCode.values()) {
      const u = byKey.get(unitKey("commune", e.code, "new"));
      if (!u) {
        note("commune-list-mismatch", e.code, `"${e.name}" is in 1027_CTK-CSCL.md only`);
        continue;
      }
      if (e.name !== u.name && stripAnyPrefix(e.name, NEW_COMMUNE_PREFIXES) !== u.shortName) {
        note("commune-list-mismatch", e.code, `1027_CTK-CSCL.md "${e.name}", merges.json "${u.name}"`);
      }
      if (e.type !== null && e.type !== u.type)
        note("commune-list-mismatch", e.code, `type ${e.type} in 1027, ${u.type} in merges.json`);
      const headingKey = e.provinceHeading ? provinceByHeading.get(e.provinceHeading.toUpperCase()) : undefined;
      if (headingKey !== undefined && headingKey !== u.parentKey) {
        note(
          "commune-list-mismatch",
          e.code,
          `listed under ${e.provinceHeading}, merges.json puts it in ${u.parentKey}`,
        );
      }
    }
    for (const u of newCommunes) {
      if (!communeListByCode.has(u.code))
        note("commune-list-mismatch", u.code, `"${u.name}" is not in 1027_CTK-CSCL.md`);
    }
  }

  // Parents first (provinces, districts, communes; new before old) so callers can insert in order.
  const levelRank: Record<UnitLevel, number> = { province: 0, district: 1, commune: 2 };
  units.sort(
    (a, b) => levelRank[a.level] - levelRank[b.level] || Number(a.validTo !== null) - Number(b.validTo !== null),
  );

  const report: DvhcvnReport = {
    units: {},
    types: {},
    links: {},
    namesNormalised,
    checkedProvinceList,
    checkedCommuneList,
    anomalies,
    anomalyCounts: {},
  };
  for (const u of units) {
    const period = u.validTo === null ? "new" : "old";
    bump(report.units, `${u.level}@${period}`);
    bump(report.types, `${period}:${u.type}`);
  }
  for (const l of links) bump(report.links, `${byKey.get(l.fromKey)?.level}:${l.kind}`);
  for (const a of anomalies) bump(report.anomalyCounts, a.kind);

  return { units, links, report };
}

/** Read the dvhcvn-2025 files from `dir` (e.g. `<CCHC_SHARED_DIR>/data/dvhcvn-2025`) and build the dataset. */
export async function readDvhcvn(dir: string): Promise<DvhcvnResult> {
  const read = (f: string) => readFile(path.join(dir, f), "utf8");
  const [merges, splits, provinceListCsv, communeListMd] = await Promise.all([
    read(DVHCVN_FILES.merges),
    read(DVHCVN_FILES.splits),
    read(DVHCVN_FILES.provinceListCsv),
    read(DVHCVN_FILES.communeListMd),
  ]);
  return buildDvhcvn({
    merges: JSON.parse(merges) as unknown,
    splits: JSON.parse(splits) as unknown,
    provinceListCsv,
    communeListMd,
  });
}

// ---------------------------------------------------------------------------------------------------------------
// Looking units up.

/** Whether a unit is in force on an ISO date (validFrom and validTo inclusive; null = open). */
export function isInForce(unit: UnitRecord, onDate: string): boolean {
  return (unit.validFrom === null || unit.validFrom <= onDate) && (unit.validTo === null || onDate <= unit.validTo);
}

/** The unit with that code in force on that ISO date. Old units have no known start: any date before the reform finds them. */
export function findInForce(units: UnitRecord[], code: string, onDate: string): UnitRecord | undefined {
  return units.find((u) => u.code === code && isInForce(u, onDate));
}

/** Parse "21439" or "21463@2024-02-19": a 2- or 5-digit code, optionally with a real ISO date; null otherwise. */
export function parseUnitRef(ref: string): { code: string; onDate: string | null } | null {
  const m = /^(\d{2}|\d{5})(?:@(\d{4})-(\d{2})-(\d{2}))?$/.exec(ref.trim());
  if (!m?.[1]) return null;
  if (m[2] === undefined) return { code: m[1], onDate: null };
  const iso = `${m[2]}-${m[3]}-${m[4]}`;
  const t = new Date(`${iso}T00:00:00Z`);
  if (Number.isNaN(t.getTime()) || t.toISOString().slice(0, 10) !== iso) return null;
  return { code: m[1], onDate: iso };
}
