/**
 * The higher level's view of its wards, as pure functions: which administrative units' records each row of the
 * roll-up counts (the counting rules), how a row's figures are folded from per-unit figures, the satisfaction index
 * from answer counts, and the table's sort orders. No database, no clock.
 *
 * Counting rules (issue 9 §5): each record counts once, under its own ward; a predecessor that merged whole into a
 * ward (a "full" link, the only successor) counts under that successor, transitively; a predecessor split between
 * several wards (one old commune whose area went to two or more new ones) can be given to none of them without
 * double counting, so it gets a row of its own, marked "trước sắp xếp", and its records appear there only.
 */

import { NATION, unitOwner } from "../../core/auth/owners.ts";
import { compareVi } from "../../core/text/vi.ts";
import { round1, SATISFIED_FROM } from "../surveys/sipas.ts";

export const BEFORE_REFORM_LABEL = "trước sắp xếp";

export interface UnitRef {
  id: number;
  code: string;
  name: string;
}

export interface SuccessionLink {
  fromId: number;
  toId: number;
  kind: string;
}

export interface RollupRow {
  /** The unit the row is named after: a ward in force, or a split predecessor. */
  unit: UnitRef;
  /** A split predecessor's own row ("trước sắp xếp"). */
  beforeReform: boolean;
  /** For a split predecessor: the wards its area went to; empty for a ward. */
  successors: UnitRef[];
  /** Every unit whose records count in this row (the ward and the predecessors merged whole into it). */
  memberIds: number[];
}

const byName = (a: UnitRef, b: UnitRef) => compareVi(a.name, b.name) || a.code.localeCompare(b.code);

/**
 * Pure: the rows of a roll-up over these wards (in force), given the units and succession links around them.
 * Wards come first in name order, then the split predecessors' rows in name order. A unit belongs to one row only,
 * so no record is counted twice even when the register names a predecessor under two wards.
 */
export function rollupRows(
  wards: readonly UnitRef[],
  units: ReadonlyMap<number, UnitRef>,
  links: readonly SuccessionLink[],
): RollupRow[] {
  const into = new Map<number, SuccessionLink[]>();
  const outOf = new Map<number, SuccessionLink[]>();
  for (const l of links) {
    into.set(l.toId, [...(into.get(l.toId) ?? []), l]);
    outOf.set(l.fromId, [...(outOf.get(l.fromId) ?? []), l]);
  }
  const split = (id: number) => {
    const out = outOf.get(id) ?? [];
    return out.length > 1 || out.some((l) => l.kind === "partial");
  };
  const taken = new Set<number>(wards.map((w) => w.id));
  const splitRows = new Map<number, RollupRow>();
  const wardIds = new Set(wards.map((w) => w.id));

  /** The unit and the predecessors merged whole into it, transitively; split ones become rows of their own. */
  const membersOf = (rootId: number): number[] => {
    const members = [rootId];
    let frontier = [rootId];
    while (frontier.length) {
      const next: number[] = [];
      for (const id of frontier)
        for (const l of into.get(id) ?? []) {
          const p = l.fromId;
          if (split(p)) {
            if (!splitRows.has(p) && !wardIds.has(p)) {
              const unit = units.get(p);
              if (unit) splitRows.set(p, { unit, beforeReform: true, successors: [], memberIds: [] });
            }
            continue;
          }
          if (taken.has(p)) continue;
          taken.add(p);
          members.push(p);
          next.push(p);
        }
      frontier = next;
    }
    return members;
  };

  const wardRows = [...wards]
    .sort(byName)
    .map((w) => ({ unit: w, beforeReform: false, successors: [], memberIds: membersOf(w.id) }) as RollupRow);
  // A split predecessor's own (full) predecessors count in its row; its successors are listed beside it.
  const done = new Set<number>();
  let pending = [...splitRows.keys()];
  while (pending.length) {
    for (const id of pending) {
      done.add(id);
      taken.add(id);
      const row = splitRows.get(id) as RollupRow;
      row.memberIds = membersOf(id);
      row.successors = (outOf.get(id) ?? [])
        .map((l) => units.get(l.toId))
        .filter((u): u is UnitRef => !!u && wardIds.has(u.id))
        .sort(byName);
    }
    pending = [...splitRows.keys()].filter((id) => !done.has(id));
  }
  return [...wardRows, ...[...splitRows.values()].sort((a, b) => byName(a.unit, b.unit))];
}

/** The name a row shows: a split predecessor's carries the marker. */
export const rowName = (r: Pick<RollupRow, "unit" | "beforeReform">) =>
  r.beforeReform ? `${r.unit.name} (${BEFORE_REFORM_LABEL})` : r.unit.name;

/** Answers to one criterion (question) of a survey of one unit over the period. */
export interface CriterionCount {
  unitId: number;
  factor: string;
  questionId: number;
  answers: number;
  satisfied: number;
}

/**
 * Pure: the satisfaction index (0–100, one decimal) of a set of criterion counts, by the formula of sipas.ts: a
 * criterion's index is its answers scoring ≥ 4 over all its answers; a factor's the mean of its answered criteria;
 * the overall the mean of the factors that have one. Null when nobody answered.
 */
export function satisfactionIndex(counts: readonly Omit<CriterionCount, "unitId">[]): number | null {
  const factors = new Map<string, number[]>();
  for (const c of counts) {
    if (c.answers <= 0) continue;
    const list = factors.get(c.factor) ?? [];
    list.push((c.satisfied / c.answers) * 100);
    factors.set(c.factor, list);
  }
  const means = [...factors.values()].map((xs) => xs.reduce((a, b) => a + b, 0) / xs.length);
  return means.length ? round1(means.reduce((a, b) => a + b, 0) / means.length) : null;
}
/** Scores at or above this count as satisfied (re-exported so the SQL and the formula agree). */
export const SATISFIED_SCORE = SATISFIED_FROM;

export interface TaskCounts {
  done: number;
  total: number;
  overdue: number;
}

export interface PlanCandidate {
  id: number;
  unitId: number;
  number: string;
  issuedOn: string;
}

/** Pure: the plan in force for a row: among its members' plans covering the day, the latest issued (then the highest id). */
export function planOfRow<P extends PlanCandidate>(plans: readonly P[], memberIds: readonly number[]): P | null {
  const members = new Set(memberIds);
  let best: P | null = null;
  for (const p of plans) {
    if (!members.has(p.unitId)) continue;
    if (!best || p.issuedOn > best.issuedOn || (p.issuedOn === best.issuedOn && p.id > best.id)) best = p;
  }
  return best;
}

/**
 * Who reads a province's roll-up: anyone while it is public (ROLLUP_PUBLIC, the default: figures only); otherwise a
 * user of that province (owner scope `unit:{province id}`) or a deployment operator. The country's: operators only.
 */
export function mayReadRollup(
  isPublic: boolean,
  user: { owner_scope: string | null } | null,
  provinceId: number | null,
): boolean {
  if (user?.owner_scope === NATION) return true;
  if (provinceId == null) return false;
  return isPublic || user?.owner_scope === unitOwner(provinceId);
}

/** The columns the wards table sorts by, as its links name them. */
export const SORT_KEYS = [
  "ten",
  "ke-hoach",
  "nhiem-vu",
  "qua-han",
  "hoat-dong",
  "nguoi",
  "kinh-phi",
  "gop-y",
  "hai-long",
  "bao-cao",
] as const;
export type SortKey = (typeof SORT_KEYS)[number];

interface Sortable {
  ward: { name: string };
  beforeReform: boolean;
  planInForce: string | null;
  tasks: TaskCounts;
  activities: number;
  audience: number;
  spent: number;
  feedback: { received: number; answeredOnTime: number };
  satisfaction: number | null;
  lastReport: { issuedOn: string } | null;
}

/** The share of tasks done, 0–100; null without tasks. */
export const doneShare = (t: TaskCounts) => (t.total ? (t.done / t.total) * 100 : null);
/** The share of received feedback answered within its deadline, 0–100; null when none was received. */
export const onTimeShare = (f: { received: number; answeredOnTime: number }) =>
  f.received ? (f.answeredOnTime / f.received) * 100 : null;

const SORT_VALUE: Record<SortKey, (i: Sortable) => string | number | null> = {
  ten: (i) => i.ward.name,
  "ke-hoach": (i) => i.planInForce,
  "nhiem-vu": (i) => doneShare(i.tasks),
  "qua-han": (i) => i.tasks.overdue,
  "hoat-dong": (i) => i.activities,
  nguoi: (i) => i.audience,
  "kinh-phi": (i) => i.spent,
  "gop-y": (i) => onTimeShare(i.feedback),
  "hai-long": (i) => i.satisfaction,
  "bao-cao": (i) => i.lastReport?.issuedOn ?? null,
};

/**
 * Pure: the rows sorted by a column, ascending or descending; rows without a figure (no plan, no answers) last
 * either way, ties by name in Vietnamese order. A new array: the input stays as computed.
 */
export function sortRows<T extends Sortable>(items: readonly T[], key: SortKey, descending: boolean): T[] {
  const value = SORT_VALUE[key];
  const byName = (a: T, b: T) => compareVi(a.ward.name, b.ward.name);
  return [...items].sort((a, b) => {
    const x = value(a);
    const y = value(b);
    if (x === null || y === null) return x === y ? byName(a, b) : x === null ? 1 : -1;
    const c = typeof x === "string" ? x.localeCompare(String(y), "vi", { numeric: true }) : x - (y as number);
    return (descending ? -c : c) || byName(a, b);
  });
}
