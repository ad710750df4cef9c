/**
 * The procedure catalogue as history. Imports and announcing decisions add versions; nothing is overwritten.
 * What the public sees is, for each procedure, the version in force on the day asked about.
 */
import { createHash } from "node:crypto";
import type { Kysely, Transaction } from "kysely";
import { type Actor, audit } from "../../core/audit.ts";
import type { Database } from "../../core/db/schema.ts";
import { fold, foldWords } from "../../core/text/vi.ts";
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
async function provinceNamedIn(db: Kysely<Database>, r: ProcedureRecord, today: string): Promise<number | null> {
  const text = foldWords([r.receivingAddress, r.competentAgency, r.implementingAgency, r.requirements, r.stepsText, r.name].join(" "));
  const provinces = await db.selectFrom("admin_units").select(["id", "name_key", "valid_to"]).where("level", "=", "province").execute();
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
      problems.push({ line: row.line, code: r.record.code, reason: `Mã thủ tục ${r.record.code} trùng với dòng ${first}.` });
      continue;
    }
    seen.set(r.record.code, row.line);
    let provinceId: number | null = null;
    const decisionNumber = opts.decision?.number ?? r.record.decisionNumber;
    if (isProvincialDecision(decisionNumber)) {
      provinceId = opts.provinceId ?? (await provinceNamedIn(db, r.record, opts.today));
      if (!provinceId) {
        problems.push({ line: row.line, code: r.record.code, reason: `Thủ tục do UBND tỉnh công bố (${decisionNumber}) nhưng không rõ tỉnh nào: hãy chọn tỉnh khi nhập.` });
        continue;
      }
    }
    records.push({ line: row.line, record: r.record, provinceId });
  }

  const existing = new Map((await q.latestVersionsByCode(db, records.map((r) => r.record.code))).map((v) => [v.code, v]));
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
      const decisionId = number ? await ensureDecision(trx, decisionIds, { ...opts.decision, number }, provinceId, nowIso) : null;
      const before = existing.get(record.code);
      let procedureId = before?.id;
      if (!procedureId) {
        procedureId = (
          await trx
            .insertInto("procedures")
            .values({ code: record.code, scope: provinceId ? "province" : "national", scope_unit_id: provinceId, created_at: nowIso })
            .returning("id")
            .executeTakeFirstOrThrow()
        ).id;
      }
      const changeType: ChangeType = before ? "amended" : firstImport ? "baseline" : "new";
      await insertVersion(trx, procedureId, (before?.version_no ?? 0) + 1, decisionId, changeType, effectiveFrom, record, null, nowIso);
      await upsertSearchDoc(trx, record, provinceId, seq++);
    }
    await audit(trx, actor, { action: "procedure.import", entity: "procedure_catalogue", after: { ...counts, decision: opts.decision?.number ?? null, effectiveFrom } }, opts.now);
  });
  return report;
}

async function ensureDecision(trx: Transaction<Database>, cache: Map<string, number>, d: DecisionInput, provinceId: number | null, nowIso: string): Promise<number> {
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

async function insertVersion(
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

/** The search document of a procedure: what citizens type is matched on its name first, then its field and text. */
export async function upsertSearchDoc(trx: Transaction<Database>, r: ProcedureRecord, provinceId: number | null, seq: number, deleted = false) {
  const values = {
    kind: "procedure",
    title: r.name,
    body: [r.field, r.subjects.join(", "), r.results.map((x) => x.name).join(", "), r.dossier.flatMap((g) => g.items.map((i) => i.name)).join(", ")].join(" · "),
    keywords: [r.code, r.field, ...r.levels].join(" "),
    url: `/thu-tuc/${r.code}`,
    scope: provinceId ? `unit:${provinceId}` : r.levels.includes("Cấp xã") ? "national" : "national:other-levels",
    deleted: deleted ? 1 : 0,
    seq,
  };
  const key = `procedure:${r.code}`;
  const found = await trx.selectFrom("search_docs").select("id").where("doc_key", "=", key).executeTakeFirst();
  if (found) await trx.updateTable("search_docs").set(values).where("id", "=", found.id).execute();
  else await trx.insertInto("search_docs").values({ ...values, doc_key: key }).execute();
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

/** Pure: from a procedure's version rows (oldest first), the one in force on a date, or null if none yet. */
export function versionInForce<T extends { version_no: number; effective_from: string }>(versions: T[], onDate: string): T | null {
  let best: T | null = null;
  for (const v of versions) {
    if (v.effective_from > onDate) continue;
    if (!best || v.effective_from > best.effective_from || (v.effective_from === best.effective_from && v.version_no > best.version_no)) best = v;
  }
  return best;
}

function daysBetween(a: string, b: string): number {
  return Math.round((Date.parse(b) - Date.parse(a)) / 86_400_000);
}

/** The catalogue a ward sees on a date: national procedures at the configured levels and its province's own. */
export async function catalogue(
  db: Kysely<Database>,
  opts: { provinceId: number | null; wardId: number; onDate: string; levels: string[] },
): Promise<CatalogueEntry[]> {
  const rows = await q.catalogueRows(db, [opts.provinceId, opts.wardId].filter((x): x is number => x != null));
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
    const recent = changeType !== "baseline" && daysBetween(v.effective_from, opts.onDate) <= RECENT_DAYS ? changeType : null;
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
  return out.sort((a, b) => a.field.localeCompare(b.field, "vi") || a.name.localeCompare(b.name, "vi") || a.code.localeCompare(b.code));
}

/** One procedure with all its versions and the one in force on a date; null when unknown. */
export async function procedureDetail(db: Kysely<Database>, code: string, onDate: string) {
  const p = await q.procedureByCode(db, code);
  if (!p) return null;
  const versions = await q.versionsOf(db, p.id);
  const current = versionInForce(versions, onDate);
  const upcoming = versions.filter((v) => v.effective_from > onDate);
  return {
    procedure: p,
    versions: versions.map((v) => ({ ...v, record: JSON.parse(v.data_json) as ProcedureRecord })),
    current: current ? { ...current, record: JSON.parse(current.data_json) as ProcedureRecord } : null,
    upcoming,
  };
}
export type ProcedureDetail = NonNullable<Awaited<ReturnType<typeof procedureDetail>>>;
