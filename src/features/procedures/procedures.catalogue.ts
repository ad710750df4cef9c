/**
 * The catalogue as a ward reads it: the version of each procedure in force on a date, the ward's local values,
 * the printable notice board and what changed since it was last printed, and the staff's review reminders.
 * Writing versions (imports, decisions) lives in procedures.service.ts; this file only reads.
 */
import type { Kysely, Selectable } from "kysely";
import { ChangeMemo } from "../../core/db/change-memo.ts";
import type { Db } from "../../core/db/connection.ts";
import type { Database, ProcedureOverrideTable } from "../../core/db/schema.ts";
import { compareVi, vnToday } from "../../core/text/vi.ts";
import type { Ward } from "../../core/web/context.ts";
import type { ProcedureRecord } from "./procedure-record.ts";
import { type ChangeType, type ProcedureStatus, RECENT_DAYS, STATUS_OF } from "./procedures.service.ts";
import * as q from "./procedures.sql.ts";

export interface CatalogueEntry {
  id: number;
  code: string;
  name: string;
  field: string;
  levels: string[];
  status: ProcedureStatus;
  changeType: ChangeType;
  effectiveFrom: string;
  versionNo: number;
  /** A change within RECENT_DAYS: shown as a badge. */
  recentChange: ChangeType | null;
  scope: string;
}

/**
 * Pure: from a procedure's version rows (oldest first), the one in force on a date, or null if none yet: the
 * latest announced (highest number) among those already effective. Not the latest effective date: a decision
 * is often recorded after the day it took effect (an amendment effective 01/03 imported over a baseline recorded
 * on 02/03), and it must still replace what was recorded before it.
 */
export function versionInForce<T extends { version_no: number; effective_from: string }>(
  versions: T[],
  onDate: string,
): T | null {
  let best: T | null = null;
  for (const v of versions) {
    if (v.effective_from > onDate) continue;
    if (!best || v.version_no > best.version_no) best = v;
  }
  return best;
}

function daysBetween(a: string, b: string): number {
  return Math.round((Date.parse(b) - Date.parse(a)) / 86_400_000);
}

/** The catalogue a ward sees on a date: national procedures at the configured levels and its province's own. */
export async function catalogue(
  db: Kysely<Database>,
  opts: { provinceId: number | null; wardId: number; onDate: string; levels: readonly string[] },
): Promise<CatalogueEntry[]> {
  return (await catalogues(db, { ...opts, onDates: [opts.onDate] }))[0] ?? [];
}

/**
 * The catalogue on several dates, from one read of the versions: the public catalogue shows today's and what is
 * announced for later, and reading every version twice cost as much as rendering the page.
 */
export async function catalogues(
  db: Kysely<Database>,
  opts: { provinceId: number | null; wardId: number; onDates: readonly string[]; levels: readonly string[] },
): Promise<CatalogueEntry[][]> {
  const rows = await q.catalogueRows(
    db,
    [opts.provinceId, opts.wardId].filter((x): x is number => x != null),
  );
  const byProcedure = new Map<number, typeof rows>();
  for (const r of rows) {
    const list = byProcedure.get(r.id) ?? [];
    list.push(r);
    byProcedure.set(r.id, list);
  }
  return opts.onDates.map((onDate) => catalogueOn([...byProcedure.values()], onDate, opts.levels));
}

/** Pure: the entries in force on a date, from each procedure's version rows (oldest first), sorted for reading. */
function catalogueOn(
  procedures: Awaited<ReturnType<typeof q.catalogueRows>>[],
  onDate: string,
  levelsShown: readonly string[],
): CatalogueEntry[] {
  const out: CatalogueEntry[] = [];
  for (const versions of procedures) {
    const v = versionInForce(versions, onDate);
    if (!v) continue;
    const levels = JSON.parse(v.levels) as string[];
    if (v.scope === "national" && !levels.some((l) => levelsShown.includes(l))) continue;
    const changeType = v.change_type as ChangeType;
    const recent =
      changeType !== "baseline" && daysBetween(v.effective_from, onDate) <= RECENT_DAYS ? changeType : null;
    out.push({
      id: v.id,
      code: v.code,
      name: v.name,
      field: v.field,
      levels,
      status: STATUS_OF[changeType],
      changeType,
      effectiveFrom: v.effective_from,
      versionNo: v.version_no,
      recentChange: recent,
      scope: v.scope,
    });
  }
  return out.sort((a, b) => compareVi(a.field, b.field) || compareVi(a.name, b.name) || a.code.localeCompare(b.code));
}

/** One procedure with all its versions and the one in force on a date; null when unknown. */
export async function procedureDetail(db: Kysely<Database>, code: string, onDate: string) {
  const p = await q.procedureByCode(db, code);
  if (!p) return null;
  const rows = await q.versionsOf(db, p.id);
  const inForce = versionInForce(rows, onDate);
  // Only versions that will replace the current one: announced after it, effective later.
  const upcoming = rows.filter((v) => v.effective_from > onDate && v.version_no > (inForce?.version_no ?? 0));
  // Each record parsed once; the one in force is one of them.
  const versions = rows.map((v) => ({ ...v, record: JSON.parse(v.data_json) as ProcedureRecord }));
  const current = inForce ? (versions.find((v) => v.id === inForce.id) ?? null) : null;
  return { procedure: p, versions, current, upcoming };
}
export type ProcedureDetail = NonNullable<Awaited<ReturnType<typeof procedureDetail>>>;

/**
 * `procedureDetail` remembered by each process, per code and day, for the public pages: a procedure's record is the
 * same for every ward that sees it, and it changes only when the level that owns it imports or decides. An entry holds
 * until a write to shared data, or to the province owning a provincial procedure, reaches this process (db/changes.ts:
 * at once here, by LISTEN/NOTIFY from other processes) — the rule the page cache keeps its pages by. Read-only for
 * its callers: the same objects serve every request.
 */
const details = new ChangeMemo<ProcedureDetail | null>(4_000);

export function rememberedProcedureDetail(db: Db, code: string, onDate: string): Promise<ProcedureDetail | null> {
  return details.get(db, `${code}|${onDate}`, async () => {
    const value = await procedureDetail(db.kysely, code, onDate);
    // A national procedure changes with shared data (any such write ends every entry); a provincial one with its province.
    const owner = value?.procedure.scope_unit_id;
    return { value, units: owner == null ? [] : [owner] };
  });
}

// --- Added for the ward's public pages, the notice board and the staff reminders ---

/** The levels whose national procedures a ward's catalogue lists. */
/** Levels of national procedures a ward shows by default (the deployment may set others: PROCEDURE_LEVELS). */
export const WARD_LEVELS: readonly string[] = ["Cấp xã"];

/** Units whose own procedures and local values a ward sees: its province, then itself (the later wins). */
export const wardUnitIds = (ward: Ward): number[] =>
  [ward.province?.id, ward.unit.id].filter((x): x is number => x != null);

/** The catalogue a ward sees on a date (abolished procedures included, with their status). */
export const wardCatalogue = (
  db: Kysely<Database>,
  ward: Ward,
  onDate: string,
  levels: readonly string[] = WARD_LEVELS,
) => catalogue(db, { provinceId: ward.province?.id ?? null, wardId: ward.unit.id, onDate, levels });

/** The catalogue a ward sees on several dates, read once (see `catalogues`). */
export const wardCatalogues = (
  db: Kysely<Database>,
  ward: Ward,
  onDates: readonly string[],
  levels: readonly string[] = WARD_LEVELS,
) => catalogues(db, { provinceId: ward.province?.id ?? null, wardId: ward.unit.id, onDates, levels });

export interface LocalOverride {
  fee: string | null;
  receivingAddress: string | null;
  openingHours: string | null;
  note: string | null;
  /** When the latest of the merged rows was saved (ISO instant). */
  updatedAt: string;
}

/** Pure: merge override rows field by field, in the order of `unitIds` (the ward's own after its province's). */
export function mergeOverrides(rows: Selectable<ProcedureOverrideTable>[], unitIds: number[]): LocalOverride | null {
  let out: LocalOverride | null = null;
  for (const id of unitIds) {
    const r = rows.find((x) => x.unit_id === id);
    if (!r) continue;
    const o: LocalOverride = out ?? {
      fee: null,
      receivingAddress: null,
      openingHours: null,
      note: null,
      updatedAt: r.updated_at,
    };
    o.fee = r.fee || o.fee;
    o.receivingAddress = r.receiving_address || o.receivingAddress;
    o.openingHours = r.opening_hours || o.openingHours;
    o.note = r.note || o.note;
    if (r.updated_at > o.updatedAt) o.updatedAt = r.updated_at;
    out = o;
  }
  return out;
}

/** Pure: the day a procedure's public information last changed, its version's or its local values'. */
export function updatedOnOf(effectiveFrom: string, override: LocalOverride | null): string {
  const day = override ? vnToday(new Date(override.updatedAt)) : "";
  return [effectiveFrom, day].sort().at(-1) ?? effectiveFrom;
}

const visibleToWard = (p: { scope: string; scope_unit_id: number | null }, ward: Ward) =>
  p.scope === "national" || (p.scope_unit_id != null && wardUnitIds(ward).includes(p.scope_unit_id));

/**
 * A procedure as a ward sees it, with its successors and local values; null when unknown or another province's.
 * `known`: its detail as the caller already holds it (`rememberedProcedureDetail`), else read here.
 */
export async function procedureForWard(
  db: Kysely<Database>,
  code: string,
  ward: Ward,
  onDate: string,
  known?: ProcedureDetail | null,
) {
  const d = known === undefined ? await procedureDetail(db, code, onDate) : known;
  if (!d || !visibleToWard(d.procedure, ward)) return null;
  const successors = (await q.successorsOf(db, code)).filter((s) => visibleToWard(s, ward));
  const override = mergeOverrides(await q.overridesFor(db, code, wardUnitIds(ward)), wardUnitIds(ward));
  return { ...d, successors, override };
}
export type WardProcedure = NonNullable<Awaited<ReturnType<typeof procedureForWard>>>;

/** The notice board: every procedure in force for the ward, with its record, local values and last update day. */
export async function boardSheets(
  db: Kysely<Database>,
  ward: Ward,
  onDate: string,
  levels: readonly string[] = WARD_LEVELS,
) {
  const entries = (await wardCatalogue(db, ward, onDate, levels)).filter((e) => e.status !== "abolished");
  const rows = await q.versionRecords(
    db,
    entries.map((e) => ({ id: e.id, versionNo: e.versionNo })),
  );
  const records = new Map(rows.map((r) => [`${r.procedure_id}:${r.version_no}`, r]));
  const overrides = await q.overridesOfUnits(db, wardUnitIds(ward));
  return entries.flatMap((entry) => {
    const row = records.get(`${entry.id}:${entry.versionNo}`);
    if (!row) return [];
    const override = mergeOverrides(
      overrides.filter((o) => o.procedure_code === entry.code),
      wardUnitIds(ward),
    );
    const updatedOn = updatedOnOf(entry.effectiveFrom, override);
    // What a wall's sheet would differ by since a day: the version took effect, was recorded, or local values saved.
    const changedOn = [updatedOn, vnToday(new Date(String(row.created_at)))].sort().at(-1) ?? updatedOn;
    return [{ entry, record: JSON.parse(row.data_json) as ProcedureRecord, override, updatedOn, changedOn }];
  });
}

/**
 * Pure: the sheets to print — one field's (exact name) or all, and only those whose public information changed on
 * or after `since` (their version took effect or was recorded, or the ward's local values were saved), or all.
 */
export function selectSheets<T extends { record: ProcedureRecord; changedOn: string }>(
  sheets: T[],
  filter: { field: string | null; since: string | null },
): T[] {
  return sheets.filter(
    (s) => (!filter.field || s.record.field === filter.field) && (!filter.since || s.changedOn >= filter.since),
  );
}

/** Versions of the ward's procedures created or taking effect since the notice board was last printed. */
export async function boardChanges(db: Kysely<Database>, ward: Ward, levels: readonly string[] = WARD_LEVELS) {
  const last = await q.lastBoardPrint(db, ward.unit.id);
  if (!last) return { lastPrint: null, changes: [] };
  const rows = await q.versionsChangedSince(db, wardUnitIds(ward), last.printed_at, vnToday(new Date(last.printed_at)));
  const changes = rows.filter(
    (r) => r.scope !== "national" || (JSON.parse(r.levels) as string[]).some((l) => levels.includes(l)),
  );
  return { lastPrint: last.printed_at, changes };
}

/**
 * Review reminders (rà soát): procedures changed by a decision since the last board print and not reviewed
 * since, and procedures in force not reviewed for `months` months (or never).
 */
export async function reviewReminders(
  db: Kysely<Database>,
  ward: Ward,
  now: Date,
  months: number,
  levels: readonly string[] = WARD_LEVELS,
) {
  const today = vnToday(now);
  const entries = (await wardCatalogue(db, ward, today, levels)).filter((e) => e.status !== "abolished");
  const reviewed = new Map((await q.lastReviews(db, ward.unit.id)).map((r) => [r.procedure_id, String(r.reviewed_at)]));
  const last = await q.lastBoardPrint(db, ward.unit.id);
  const sinceIso = last?.printed_at ?? "";
  const rows = await q.versionsChangedSince(db, wardUnitIds(ward), sinceIso, last ? vnToday(new Date(sinceIso)) : "");
  const changed = new Map<string, (typeof rows)[number]>();
  for (const r of rows) {
    if (r.decision_id == null || r.change_type === "baseline" || changed.has(r.code)) continue;
    if (r.scope === "national" && !(JSON.parse(r.levels) as string[]).some((l) => levels.includes(l))) continue;
    if ((reviewed.get(r.id) ?? "") > r.created_at) continue;
    changed.set(r.code, r);
  }
  const cutoff = new Date(now);
  cutoff.setUTCMonth(cutoff.getUTCMonth() - months);
  const stale = entries
    .map((e) => ({ entry: e, reviewedAt: reviewed.get(e.id) ?? null }))
    .filter((x) => x.reviewedAt == null || x.reviewedAt < cutoff.toISOString())
    .sort((a, b) => (a.reviewedAt ?? "").localeCompare(b.reviewedAt ?? "") || a.entry.code.localeCompare(b.entry.code));
  return { lastPrint: last?.printed_at ?? null, changed: [...changed.values()], stale };
}

/** The latest stored record of a procedure (whatever its status), or null. */
export async function latestRecordOf(db: Kysely<Database>, code: string): Promise<ProcedureRecord | null> {
  const p = await q.procedureByCode(db, code);
  if (!p) return null;
  const v = (await q.versionsOf(db, p.id)).at(-1);
  return v ? (JSON.parse(v.data_json) as ProcedureRecord) : null;
}

/** A unit's own local values for a procedure (what its staff form edits), or undefined. */
export const wardOverride = (db: Kysely<Database>, code: string, unitId: number) => q.overrideOf(db, code, unitId);
