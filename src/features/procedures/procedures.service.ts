/**
 * The procedure catalogue as history. Imports and announcing decisions add versions; nothing is overwritten.
 * What the public sees is, for each procedure, the version in force on the day asked about: read in
 * procedures.catalogue.ts; this file writes (imports, decisions, versions, search documents).
 */
import { createHash } from "node:crypto";
import type { Kysely, Transaction } from "kysely";
import { type Actor, audit } from "../../core/audit.ts";
import type { Database } from "../../core/db/schema.ts";
import type { SearchDoc } from "../../core/search/index.ts";
import { fold, foldWords } from "../../core/text/vi.ts";
import { scopeText } from "../search/search.service.ts";
import { nextSearchSeq, writeSearchDoc } from "../search/search.sql.ts";
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
    let seq = await nextSearchSeq(trx);
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
  await writeSearchDoc(
    trx,
    {
      key: doc.id,
      kind: doc.kind,
      title: doc.title,
      body: doc.body ?? "",
      keywords: doc.keywords ?? "",
      url: doc.url,
      scope: scopeText(doc.scope),
      deleted,
    },
    seq,
  );
}
