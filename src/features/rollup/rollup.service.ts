/**
 * The roll-up of a province's wards (or of the whole country) over a period: per row (a ward with the predecessors
 * merged whole into it, or a split predecessor "trước sắp xếp"), the plan in force, its tasks, the ledger, feedback,
 * the satisfaction index and the last report issued. Set-based queries for all rows at once (rollup.sql.ts; the task
 * and feedback counts are the plans' `taskCountsOfPlans` and feedback's `feedbackCounts`, each next to the rule it
 * repeats in SQL), folded by the pure rules of rollup.domain.ts. `computeRollup` is the entry point other features
 * build on (the province's roll-up report).
 */
import type { Kysely } from "kysely";
import type { Database } from "../../core/db/schema.ts";
import { vnDaysAsInstants, vnToday } from "../../core/text/vi.ts";
import { feedbackCounts } from "../feedback/feedback.sql.ts";
import { CHANNEL_KINDS } from "../plans/plan-draft.ts";
import { monthStart, quarterStart } from "../plans/progress.ts";
import { taskCountsOfPlans } from "../plans/tracking.sql.ts";
import {
  planOfRow,
  type RollupRow,
  rollupRows,
  rowName,
  SATISFIED_SCORE,
  satisfactionIndex,
  type TaskCounts,
  type UnitRef,
} from "./rollup.domain.ts";
import * as q from "./rollup.sql.ts";

/** The whole country: the operator's view. */
export const COUNTRY = "country";

export interface RollupQuery {
  /** A province's code ("51") or COUNTRY. */
  unitCode: string;
  from: string;
  to: string;
}

export interface RollupItem {
  ward: { code: string; name: string };
  /** The admin unit's id (internal: links and joins, never in the API). */
  unitId: number;
  beforeReform: boolean;
  /** A split predecessor's successors in this roll-up. */
  successors: { code: string; name: string }[];
  /** Whether the ward has a portal on this deployment (its name links to it). */
  hasPortal: boolean;
  planInForce: string | null;
  tasks: TaskCounts;
  activities: number;
  byChannel: { key: string; label: string; count: number }[];
  audience: number;
  spent: number;
  feedback: { received: number; answeredOnTime: number; overdue: number };
  satisfaction: number | null;
  lastReport: {
    id: number;
    number: string;
    issuedOn: string;
    period: { from: string; to: string };
    published: boolean;
  } | null;
}

export interface Rollup {
  unit: { code: string; name: string };
  period: { from: string; to: string };
  total: number;
  items: RollupItem[];
}

/** The unit of a roll-up: a province in force today, or the country; null when no such province exists. */
export async function rollupUnit(db: Kysely<Database>, unitCode: string, today: string) {
  if (unitCode === COUNTRY) return { id: null, code: COUNTRY, name: "Toàn quốc" };
  const p = await q.provinceInForce(db, unitCode, today);
  return p ? { id: p.id, code: p.code, name: p.name } : null;
}

/** The rows of a roll-up: the wards in force today of the province (or country) and their predecessors. */
async function rowsOf(db: Kysely<Database>, provinceId: number | null, today: string): Promise<RollupRow[]> {
  const wards: UnitRef[] = await q.communesInForce(db, provinceId, today);
  const units = new Map<number, UnitRef>(wards.map((w) => [w.id, w]));
  const links: { fromId: number; toId: number; kind: string }[] = [];
  const asLinks = (rows: { from_id: number; to_id: number; kind: string }[]) =>
    rows.map((l) => ({ fromId: l.from_id, toId: l.to_id, kind: l.kind }));
  if (provinceId == null) {
    links.push(...asLinks(await q.linksInto(db, null)));
  } else {
    // Walk back from the wards, a generation at a time (the register has one or two), then read every link out
    // of the predecessors found, so a split is seen even when its other successor lies in another province.
    const seen = new Set(wards.map((w) => w.id));
    let frontier = [...seen];
    const into: ReturnType<typeof asLinks> = [];
    while (frontier.length) {
      const found = asLinks(await q.linksInto(db, frontier));
      into.push(...found);
      frontier = [...new Set(found.map((l) => l.fromId))].filter((id) => !seen.has(id));
      for (const id of frontier) seen.add(id);
    }
    const preds = [...new Set(into.map((l) => l.fromId))];
    const byKey = new Map<string, (typeof links)[number]>();
    for (const l of [...into, ...asLinks(await q.linksOutOf(db, preds))]) byKey.set(`${l.fromId}>${l.toId}`, l);
    links.push(...byKey.values());
  }
  const missing = [...new Set(links.flatMap((l) => [l.fromId, l.toId]))].filter((id) => !units.has(id));
  for (let i = 0; i < missing.length; i += 5000)
    for (const u of await q.unitsById(db, missing.slice(i, i + 5000))) units.set(u.id, u);
  return rollupRows(wards, units, links);
}

const reportNumber = (n: number | null, symbol: string) =>
  n == null ? symbol : `${String(n).padStart(2, "0")}/${symbol}`;

/**
 * The roll-up of a province (by code) or of the country (COUNTRY) over a period [from, to] (ISO days, Vietnam);
 * null when the province does not exist. Plans and tasks are read as of the period's end (or today, if earlier),
 * as a ward's report reads them. Figures only: nothing personal is read.
 */
export function computeRollup(db: Kysely<Database>, query: RollupQuery, now: Date): Promise<Rollup | null> {
  return q.withoutJit(db, (trx) => compute(trx, query, now));
}

async function compute(db: Kysely<Database>, query: RollupQuery, now: Date): Promise<Rollup | null> {
  const today = vnToday(now);
  const unit = await rollupUnit(db, query.unitCode, today);
  if (!unit) return null;
  const rows = await rowsOf(db, unit.id, today);
  const memberIds = rows.flatMap((r) => r.memberIds);
  // The country reads every unit's records (no IN list of thousands): rows of units outside the roll-up are dropped.
  const ids = unit.id == null ? null : memberIds;
  const rowOfUnit = new Map<number, number>();
  rows.forEach((r, i) => {
    for (const id of r.memberIds) rowOfUnit.set(id, i);
  });
  const asOf = [query.to, today].sort()[0] as string; // the period's end, or today if earlier
  const { start, end } = vnDaysAsInstants(query.from, query.to);

  const [plans, activities, feedback, criteria, reports, portals] = await Promise.all([
    q.plansCovering(db, ids, asOf),
    q.activityTotals(db, ids, query.from, query.to),
    feedbackCounts(db, ids, query, start, end),
    q.criterionCounts(db, ids, start, end, SATISFIED_SCORE),
    q.issuedReports(db, ids, today),
    q.unitsWithPortal(db, ids),
  ]);
  const candidates = plans.map((p) => ({
    id: p.id,
    unitId: p.ward_id,
    number: p.number,
    issuedOn: p.issued_on,
    periodFrom: p.period_from,
  }));
  const planOf = rows.map((r) => planOfRow(candidates, r.memberIds));
  const chosen = planOf.filter((p) => p != null);
  const limits = {
    monthly: monthStart(asOf, 1),
    quarterly: quarterStart(asOf, 1),
    monthlyStart: vnDaysAsInstants(monthStart(asOf, 1), asOf).start,
    quarterlyStart: vnDaysAsInstants(quarterStart(asOf, 1), asOf).start,
  };
  const tasksByPlan = new Map<number, TaskCounts>();
  for (let i = 0; i < chosen.length; i += 5000)
    for (const t of await taskCountsOfPlans(
      db,
      chosen.slice(i, i + 5000).map((p) => p.id),
      asOf,
      limits,
    ))
      tasksByPlan.set(t.planId, { done: t.done, total: t.total, overdue: t.overdue });

  const items: RollupItem[] = rows.map((r, i) => {
    const plan = planOf[i] ?? null;
    return {
      ward: { code: r.unit.code, name: rowName(r) },
      unitId: r.unit.id,
      beforeReform: r.beforeReform,
      successors: r.successors.map((s) => ({ code: s.code, name: s.name })),
      hasPortal: r.memberIds.some((id) => portals.has(id)),
      planInForce: plan?.number ?? null,
      tasks: (plan && tasksByPlan.get(plan.id)) || { done: 0, total: 0, overdue: 0 },
      activities: 0,
      byChannel: [],
      audience: 0,
      spent: 0,
      feedback: { received: 0, answeredOnTime: 0, overdue: 0 },
      satisfaction: null,
      lastReport: null,
    };
  });

  const channelCounts = rows.map(() => new Map<string, number>());
  for (const a of activities) {
    const i = rowOfUnit.get(a.unitId);
    if (i === undefined) continue;
    const item = items[i] as RollupItem;
    item.activities += a.count;
    item.audience += a.audience;
    item.spent += a.cost;
    const m = channelCounts[i] as Map<string, number>;
    m.set(a.channel, (m.get(a.channel) ?? 0) + a.count);
  }
  const order = Object.keys(CHANNEL_KINDS);
  channelCounts.forEach((m, i) => {
    (items[i] as RollupItem).byChannel = [...m]
      .map(([key, count]) => ({ key, label: CHANNEL_KINDS[key as keyof typeof CHANNEL_KINDS] ?? key, count }))
      .sort((a, b) => (order.indexOf(a.key) + 1 || 99) - (order.indexOf(b.key) + 1 || 99));
  });

  for (const f of feedback) {
    const i = rowOfUnit.get(f.unitId);
    if (i === undefined) continue;
    const sum = (items[i] as RollupItem).feedback;
    sum.received += f.received;
    sum.answeredOnTime += f.answeredOnTime;
    sum.overdue += f.overdue;
  }

  const criteriaByRow = rows.map((): typeof criteria => []);
  for (const c of criteria) {
    const i = rowOfUnit.get(c.unitId);
    if (i !== undefined) criteriaByRow[i]?.push(c);
  }
  criteriaByRow.forEach((list, i) => {
    (items[i] as RollupItem).satisfaction = satisfactionIndex(list);
  });

  for (const r of reports) {
    const i = rowOfUnit.get(Number(r.ward_id));
    if (i === undefined || !r.issued_on) continue;
    const item = items[i] as RollupItem;
    const cur = item.lastReport;
    if (cur && (cur.issuedOn > r.issued_on || (cur.issuedOn === r.issued_on && cur.id > r.id))) continue;
    item.lastReport = {
      id: r.id,
      number: reportNumber(r.number, r.symbol),
      issuedOn: r.issued_on,
      period: { from: r.period_from, to: r.period_to },
      published: r.published === 1,
    };
  }

  return {
    unit: { code: unit.code, name: unit.name },
    period: { from: query.from, to: query.to },
    total: items.length,
    items,
  };
}

/** The open data API's body: figures only, exactly the contract's fields. */
export function rollupJson(r: Rollup) {
  return {
    unit: r.unit,
    period: r.period,
    total: r.total,
    items: r.items.map((i) => ({
      ward: i.ward,
      planInForce: i.planInForce,
      tasks: i.tasks,
      activities: i.activities,
      audience: i.audience,
      spent: i.spent,
      feedback: i.feedback,
      satisfaction: i.satisfaction,
    })),
  };
}
