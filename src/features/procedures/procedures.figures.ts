/**
 * Procedure figures for a report's period: the procedures the ward handles (national ones at the ward's level, and
 * its province's or its own) that a published decision put in force, changed (amended or replaced) or abolished with
 * effect inside the period, and how many times staff printed the notice board (niêm yết) in it. Stored records only;
 * the counting rule is pure (`countProcedureChanges`) and tested.
 */
import type { Kysely } from "kysely";
import type { Database } from "../../core/db/schema.ts";
import { vnDaysAsInstants } from "../../core/text/vi.ts";
import type { Ward } from "../../core/web/context.ts";
import { WARD_LEVELS, wardUnitIds } from "./procedures.catalogue.ts";

export interface ProcedureFigures {
  /** Newly in force (a new procedure), changed (amended or replaced), abolished: distinct procedure codes. */
  newInForce: number;
  changed: number;
  abolished: number;
  /** Notice-board prints in the period. */
  boardPrints: number;
}

export interface ProcedureChangeRow {
  code: string;
  scope: string;
  levels: string;
  change_type: string;
  effective_from: string;
  decision_id: number | null;
}

/** The kind of change a report counts a version as, or null (a baseline import is no decision's change). */
export function changeKindOf(changeType: string): "newInForce" | "changed" | "abolished" | null {
  if (changeType === "new") return "newInForce";
  if (changeType === "amended" || changeType === "replaced") return "changed";
  if (changeType === "abolished") return "abolished";
  return null;
}

/**
 * Pure: the codes newly in force, changed and abolished among versions taking effect in [from, to] by a decision,
 * national ones only when they apply at one of `levels`. A code counts once per kind.
 */
export function countProcedureChanges(
  rows: readonly ProcedureChangeRow[],
  from: string,
  to: string,
  levels: readonly string[] = WARD_LEVELS,
): Record<"newInForce" | "changed" | "abolished", string[]> {
  const out = { newInForce: new Set<string>(), changed: new Set<string>(), abolished: new Set<string>() };
  for (const r of rows) {
    if (r.decision_id == null || r.effective_from < from || r.effective_from > to) continue;
    const kind = changeKindOf(r.change_type);
    if (!kind) continue;
    if (r.scope === "national" && !(JSON.parse(r.levels) as string[]).some((l) => levels.includes(l))) continue;
    out[kind].add(r.code);
  }
  const sorted = (s: Set<string>) => [...s].sort();
  return { newInForce: sorted(out.newInForce), changed: sorted(out.changed), abolished: sorted(out.abolished) };
}

/** The versions of the ward's procedures taking effect in a period (the rows `countProcedureChanges` reads). */
export function procedureChangesIn(db: Kysely<Database>, ward: Ward, period: { from: string; to: string }) {
  const units = wardUnitIds(ward);
  return db
    .selectFrom("procedure_versions as v")
    .innerJoin("procedures as p", "p.id", "v.procedure_id")
    .select([
      "p.code",
      "p.scope",
      "v.levels",
      "v.change_type",
      "v.effective_from",
      "v.decision_id",
      "v.name",
      "v.field",
    ])
    .where((eb) =>
      eb.or([eb("p.scope", "=", "national"), ...(units.length ? [eb("p.scope_unit_id", "in", units)] : [])]),
    )
    .where("v.effective_from", ">=", period.from)
    .where("v.effective_from", "<=", period.to)
    .execute();
}

/** The notice-board prints of these wards in a period (Vietnamese days): counted by the report, listed behind it. */
export function boardPrintsIn(db: Kysely<Database>, wardIds: number[], period: { from: string; to: string }) {
  const { start, end } = vnDaysAsInstants(period.from, period.to);
  return db
    .selectFrom("board_prints")
    .where("board_prints.ward_id", "in", wardIds)
    .where("board_prints.printed_at", ">=", start)
    .where("board_prints.printed_at", "<=", end);
}

export type ProcedureChangeKind = "newInForce" | "changed" | "abolished";

export interface ProcedureChange {
  code: string;
  name: string;
  field: string | null;
  effectiveFrom: string;
}

/**
 * The procedures each figure counts (newly in force, changed or abolished in the period), each with the name, field
 * and day of the latest version that counts it: the lists behind the numbers, by the same rule
 * (`countProcedureChanges`), in code order.
 */
export async function procedureChangeLists(
  db: Kysely<Database>,
  ward: Ward,
  period: { from: string; to: string },
  levels: readonly string[] = WARD_LEVELS,
): Promise<Record<ProcedureChangeKind, ProcedureChange[]>> {
  const rows = await procedureChangesIn(db, ward, period);
  const counted = countProcedureChanges(rows, period.from, period.to, levels);
  const listOf = (kind: ProcedureChangeKind) =>
    counted[kind].map((code) => {
      const version = rows
        .filter((r) => r.code === code && r.decision_id != null && changeKindOf(r.change_type) === kind)
        .sort((a, b) => b.effective_from.localeCompare(a.effective_from))[0];
      return {
        code,
        name: version?.name ?? "",
        field: version?.field ?? null,
        effectiveFrom: version?.effective_from ?? "",
      };
    });
  return { newInForce: listOf("newInForce"), changed: listOf("changed"), abolished: listOf("abolished") };
}

/** The procedures one figure counts: `procedureChangeLists` for one kind. */
export async function procedureChangeList(
  db: Kysely<Database>,
  ward: Ward,
  period: { from: string; to: string },
  kind: ProcedureChangeKind,
  levels: readonly string[] = WARD_LEVELS,
): Promise<ProcedureChange[]> {
  return (await procedureChangeLists(db, ward, period, levels))[kind];
}

export async function procedureFigures(
  db: Kysely<Database>,
  ward: Ward,
  period: { from: string; to: string },
  levels: readonly string[] = WARD_LEVELS,
): Promise<ProcedureFigures> {
  const [rows, prints] = await Promise.all([
    procedureChangesIn(db, ward, period),
    boardPrintsIn(db, ward.scopeIds, period)
      .select((eb) => eb.fn.countAll().as("n"))
      .executeTakeFirstOrThrow(),
  ]);
  const changes = countProcedureChanges(rows, period.from, period.to, levels);
  return {
    newInForce: changes.newInForce.length,
    changed: changes.changed.length,
    abolished: changes.abolished.length,
    boardPrints: Number(prints.n),
  };
}
