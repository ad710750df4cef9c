/**
 * The procedure catalogue as history. Imports and announcing decisions add versions; nothing is overwritten.
 * What the public sees is, for each procedure, the version in force on the day asked about.
 */
import { createHash } from "node:crypto";
import type { Kysely, Selectable, Transaction } from "kysely";
import { type Actor, audit } from "../../core/audit.ts";
import type { Database, ProcedureOverrideTable } from "../../core/db/schema.ts";
import type { SearchDoc } from "../../core/search/index.ts";
import { fold, foldWords, vnToday } from "../../core/text/vi.ts";
import type { Ward } from "../../core/web/context.ts";
import { scopeText } from "../search/search.service.ts";
import { normalizeRecord } from "./normalize-record.ts";
import type { ProcedureRecord, RowProblem } from "./procedure-record.ts";
import * as q from "./procedures.sql.ts";

export type ChangeType = "baseline" | "new" | "amended" | "replaced" | "abolished";
export type ProcedureStatus = "in_force" | "amended" | "replaced" | "abolished";

export const STATUS_OF: Record<ChangeType, ProcedureStatus> = {
  baseline: "in_force",
  new: "in_force",
  amended: "amended",
  replaced: "replaced",
  abolished: "abolished",
};

export const CHANGE_LABELS: Record<ChangeType, string> = {
  baseline: "Công bố",
  new: "Mới",
  amended: "Sửa đổi, bổ sung",
  replaced: "Thay thế",
  abolished: "Bãi bỏ",
};

/** How long a change keeps its badge on the public pages. */
export const RECENT_DAYS = 90;

export const decisionKey = (n: string) => fold(n).replace(/\s+/g, "");

/** A stable fingerprint of a record's content, so re-importing the same data is recognised as unchanged. */
export function contentHash(r: ProcedureRecord): string {
  return createHash("sha256").update(JSON.stringify(r)).digest("hex");
}

export interface DecisionInput {
  number: string;
  decidedOn?: string | null;
  effectiveFrom?: string | null;
  issuer?: string | null;
  summary?: string | null;
}

export interface ImportOptions {
  /** The announcing decision the whole file belongs to; else each record's own decision number, undated. */
  decision?: DecisionInput;
  /** The province a provincially announced file belongs to, when the records do not say. */
  provinceId?: number | null;
  dryRun: boolean;
  today: string;
  now: Date;
}

export interface ImportItem {
  line: number;
  code: string;
  name: string;
  outcome: "new" | "changed" | "unchanged";
}

export interface ImportReport {
  ok: boolean;
  dryRun: boolean;
  counts: { new: number; changed: number; unchanged: number; bad: number };
  items: ImportItem[];
  problems: RowProblem[];
}

/** Provincial decisions ("…/QĐ-UBND") belong to one province; ministries' decisions are national. */
export function isProvincialDecision(number: string): boolean {
  return /-UBND(?:\b|$)/i.test(number.replace(/\s+/g, ""));
}

/** Find the one province a provincial record names ("tỉnh Hà Tĩnh"), as the unit in force today. */
async function provinceNamedIn(db: Kysely<Database>, r: ProcedureRecord): Promise<number | null> {
  const text = foldWords(
    [r.receivingAddress, r.competentAgency, r.implementingAgency, r.requirements, r.stepsText, r.name].join(" "),
  );
  const provinces = await db
    .selectFrom("admin_units")
    .select(["id", "name_key", "valid_to"])
    .where("level", "=", "province")
    .execute();
  const found = new Set<number>();
  for (const p of provinces) {
    if (!new RegExp(`\\b(tinh|thanh pho) ${p.name_key}\\b`).test(text)) continue;
    if (!p.valid_to) found.add(p.id);
    else {
      const next = await db.selectFrom("admin_unit_links").select("to_id").where("from_id", "=", p.id).execute();
      if (next.length === 1 && next[0]) found.add(next[0].to_id);
    }
  }
  return found.size === 1 ? ([...found][0] ?? null) : null;
}

/**
 * Import portal records. A dry run reports N new, M changed, K unchanged and every bad row; the real import is
 * all-or-nothing (any bad row refuses the whole file) and creates versions only for what changed.
 */
export async function importProcedures(
  db: Kysely<Database>,
  actor: Actor,
  rows: { line: number; raw: Record<string, unknown> }[],
  readProblems: RowProblem[],
  opts: ImportOptions,
): Promise<ImportReport> {
  const problems = [...readProblems];
  const records: { line: number; record: ProcedureRecord; provinceId: number | null }[] = [];
  const seen = new Map<string, number>();
  for (const row of rows) {
    const r = normalizeRecord(row.raw, row.line);
    if (!r.ok) {
      problems.push(r.problem);
      continue;
    }
    const first = seen.get(r.record.code);
    if (first != null) {
      problems.push({
        line: row.line,
        code: r.record.code,
        reason: `Mã thủ tục ${r.record.code} trùng với dòng ${first}.`,
      });
      continue;
    }
    seen.set(r.record.code, row.line);
    let provinceId: number | null = null;
    const decisionNumber = opts.decision?.number ?? r.record.decisionNumber;
    if (isProvincialDecision(decisionNumber)) {
      provinceId = opts.provinceId ?? (await provinceNamedIn(db, r.record));
      if (!provinceId) {
        problems.push({
          line: row.line,
          code: r.record.code,
          reason: `Thủ tục do UBND tỉnh công bố (${decisionNumber}) nhưng không rõ tỉnh nào: hãy chọn tỉnh khi nhập.`,
        });
        continue;
      }
    }
    records.push({ line: row.line, record: r.record, provinceId });
  }

  const existing = new Map(
    (
      await q.latestVersionsByCode(
        db,
        records.map((r) => r.record.code),
      )
    ).map((v) => [v.code, v]),
  );
  const items: ImportItem[] = records.map(({ line, record }) => {
    const before = existing.get(record.code);
    const outcome = !before ? "new" : before.content_hash === contentHash(record) ? "unchanged" : "changed";
    return { line, code: record.code, name: record.name, outcome };
  });
  const counts = {
    new: items.filter((i) => i.outcome === "new").length,
    changed: items.filter((i) => i.outcome === "changed").length,
    unchanged: items.filter((i) => i.outcome === "unchanged").length,
    bad: problems.length,
  };
  const report: ImportReport = { ok: problems.length === 0, dryRun: opts.dryRun, counts, items, problems };
  if (opts.dryRun || problems.length || (counts.new === 0 && counts.changed === 0)) return report;

  const firstImport = (await q.countProcedures(db)) === 0;
  const nowIso = opts.now.toISOString();
  const effectiveFrom = opts.decision?.effectiveFrom ?? opts.today;
  await db.transaction().execute(async (trx) => {
    const decisionIds = new Map<string, number>();
    let seq = await q.nextSearchSeq(trx);
    for (const { record, provinceId } of records) {
      const item = items.find((i) => i.code === record.code);
      if (!item || item.outcome === "unchanged") continue;
      const number = opts.decision?.number ?? record.decisionNumber;
      const decisionId = number
        ? await ensureDecision(trx, decisionIds, { ...opts.decision, number }, provinceId, nowIso)
        : null;
      const before = existing.get(record.code);
      let procedureId = before?.id;
      if (!procedureId) {
        procedureId = (
          await trx
            .insertInto("procedures")
            .values({
              code: record.code,
              scope: provinceId ? "province" : "national",
              scope_unit_id: provinceId,
              created_at: nowIso,
            })
            .returning("id")
            .executeTakeFirstOrThrow()
        ).id;
      }
      const changeType: ChangeType = before ? "amended" : firstImport ? "baseline" : "new";
      await insertVersion(
        trx,
        procedureId,
        (before?.version_no ?? 0) + 1,
        decisionId,
        changeType,
        effectiveFrom,
        record,
        null,
        nowIso,
      );
      await upsertSearchDoc(trx, record, provinceId, seq++);
    }
    await audit(
      trx,
      actor,
      {
        action: "procedure.import",
        entity: "procedure_catalogue",
        after: { ...counts, decision: opts.decision?.number ?? null, effectiveFrom },
      },
      opts.now,
    );
  });
  return report;
}

/** The decision with this number, created once (shared by imports and decisions applied by hand). */
export async function ensureDecision(
  trx: Transaction<Database>,
  cache: Map<string, number>,
  d: DecisionInput,
  provinceId: number | null,
  nowIso: string,
): Promise<number> {
  const key = decisionKey(d.number);
  const hit = cache.get(key);
  if (hit) return hit;
  const found = await q.decisionByKey(trx, key);
  const id =
    found?.id ??
    (
      await trx
        .insertInto("decisions")
        .values({
          number: d.number,
          number_key: key,
          decided_on: d.decidedOn ?? null,
          issuer: d.issuer ?? null,
          summary: d.summary ?? null,
          scope: provinceId ? "province" : "national",
          scope_unit_id: provinceId,
          created_at: nowIso,
        })
        .returning("id")
        .executeTakeFirstOrThrow()
    ).id;
  cache.set(key, id);
  return id;
}

/** Append one version of a procedure; versions are never updated. */
export async function insertVersion(
  trx: Transaction<Database>,
  procedureId: number,
  versionNo: number,
  decisionId: number | null,
  changeType: ChangeType,
  effectiveFrom: string,
  r: ProcedureRecord,
  replacesCode: string | null,
  nowIso: string,
) {
  await trx
    .insertInto("procedure_versions")
    .values({
      procedure_id: procedureId,
      version_no: versionNo,
      decision_id: decisionId,
      change_type: changeType,
      effective_from: effectiveFrom,
      replaces_code: replacesCode,
      name: r.name,
      field: r.field,
      levels: JSON.stringify(r.levels),
      data_json: JSON.stringify(r),
      content_hash: contentHash(r),
      created_at: nowIso,
    })
    .execute();
}

/**
 * The search document of a procedure (pure): what citizens type is matched on its name first, then its field and
 * levels (keywords), then who it is for and what it produces (body). Not the list of papers to bring: the same
 * papers (identity documents, "bản sao", "hộ chiếu") recur in hundreds of procedures, and matching them buried the
 * procedures whose names answer the query (4 fewer of the quality set's queries pass).
 * Scope, as the search engine reads it (see features/search/search.service.ts): none for a national procedure at
 * commune level (every ward shows it), `unit:{provinceId}` for a province's own, `national:other-levels` for a
 * national procedure no commune carries out (no ward's search includes that scope).
 */
export function procedureSearchDoc(r: ProcedureRecord, provinceId: number | null): SearchDoc & { url: string } {
  return {
    id: `procedure:${r.code}`,
    kind: "procedure",
    title: r.name,
    body: [r.field, r.subjects.join(", "), r.results.map((x) => x.name).join(", ")].join(" · "),
    keywords: [r.code, r.field, ...r.levels].join(" "),
    url: `/thu-tuc/${r.code}`,
    scope: provinceId ? [`unit:${provinceId}`] : r.levels.includes("Cấp xã") ? undefined : ["national:other-levels"],
  };
}

/** Write (or mark deleted) a procedure's search document, with the next search sequence number. */
export async function upsertSearchDoc(
  trx: Transaction<Database>,
  r: ProcedureRecord,
  provinceId: number | null,
  seq: number,
  deleted = false,
) {
  const doc = procedureSearchDoc(r, provinceId);
  const values = {
    kind: doc.kind,
    title: doc.title,
    body: doc.body ?? "",
    keywords: doc.keywords ?? "",
    url: doc.url,
    scope: scopeText(doc.scope),
    deleted: deleted ? 1 : 0,
    seq,
  };
  const found = await trx.selectFrom("search_docs").select("id").where("doc_key", "=", doc.id).executeTakeFirst();
  if (found) await trx.updateTable("search_docs").set(values).where("id", "=", found.id).execute();
  else
    await trx
      .insertInto("search_docs")
      .values({ ...values, doc_key: doc.id })
      .execute();
}

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
  const out: CatalogueEntry[] = [];
  for (const versions of byProcedure.values()) {
    const v = versionInForce(versions, opts.onDate);
    if (!v) continue;
    const levels = JSON.parse(v.levels) as string[];
    if (v.scope === "national" && !levels.some((l) => opts.levels.includes(l))) continue;
    const changeType = v.change_type as ChangeType;
    const recent =
      changeType !== "baseline" && daysBetween(v.effective_from, opts.onDate) <= RECENT_DAYS ? changeType : null;
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
  return out.sort(
    (a, b) =>
      a.field.localeCompare(b.field, "vi") || a.name.localeCompare(b.name, "vi") || a.code.localeCompare(b.code),
  );
}

/** One procedure with all its versions and the one in force on a date; null when unknown. */
export async function procedureDetail(db: Kysely<Database>, code: string, onDate: string) {
  const p = await q.procedureByCode(db, code);
  if (!p) return null;
  const versions = await q.versionsOf(db, p.id);
  const current = versionInForce(versions, onDate);
  // Only versions that will replace the current one: announced after it, effective later.
  const upcoming = versions.filter((v) => v.effective_from > onDate && v.version_no > (current?.version_no ?? 0));
  return {
    procedure: p,
    versions: versions.map((v) => ({ ...v, record: JSON.parse(v.data_json) as ProcedureRecord })),
    current: current ? { ...current, record: JSON.parse(current.data_json) as ProcedureRecord } : null,
    upcoming,
  };
}
export type ProcedureDetail = NonNullable<Awaited<ReturnType<typeof procedureDetail>>>;

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

/** A procedure as a ward sees it, with its successors and local values; null when unknown or another province's. */
export async function procedureForWard(db: Kysely<Database>, code: string, ward: Ward, onDate: string) {
  const d = await procedureDetail(db, code, onDate);
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
  const records = new Map(rows.map((r) => [`${r.procedure_id}:${r.version_no}`, r.data_json]));
  const overrides = await q.overridesOfUnits(db, wardUnitIds(ward));
  return entries.flatMap((entry) => {
    const json = records.get(`${entry.id}:${entry.versionNo}`);
    if (!json) return [];
    const override = mergeOverrides(
      overrides.filter((o) => o.procedure_code === entry.code),
      wardUnitIds(ward),
    );
    const updatedOn = updatedOnOf(entry.effectiveFrom, override);
    return [{ entry, record: JSON.parse(json) as ProcedureRecord, override, updatedOn }];
  });
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
