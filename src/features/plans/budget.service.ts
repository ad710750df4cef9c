/**
 * A plan's budget: the lines read from its text on import (see budget.ts), edited afterwards by the office
 * (coordinators) and by officers of the unit the plan gives the budget task to; spending is only what activities
 * cost (the ledger), compared with the lines by channel and by unit. Each change is validated, checked against the
 * ward and the unit, written in one transaction with its audit record, and marks the budget as edited (a re-import
 * keeps staff's lines from then on).
 */
import type { Kysely, Transaction } from "kysely";
import { type Actor, audit } from "../../core/audit.ts";
import { can, isUnitScoped, type Role } from "../../core/auth/roles.ts";
import type { Database } from "../../core/db/schema.ts";
import type { Ward } from "../../core/web/context.ts";
import { type FieldErrors, validate } from "../../core/web/validation.ts";
import { budgetLineSchema, statedTotalSchema } from "./budget.schemas.ts";
import * as q from "./budget.sql.ts";
import { type BudgetDraft, budgetTotal, type ComparisonRow, comparePlannedSpent, isBudgetTask } from "./budget.ts";
import { channelKindOf } from "./classify.ts";
import type { LedgerSums } from "./ledger-sums.ts";
import { CHANNEL_KINDS } from "./plan-draft.ts";
import { planLedgerSums } from "./tracking.sql.ts";

export type BudgetFailure = { ok: false; status: 400 | 403 | 404; errors: FieldErrors };
export type BudgetResult<T> = { ok: true; value: T } | BudgetFailure;

const FORBIDDEN: BudgetFailure = {
  ok: false,
  status: 403,
  errors: {
    _: "Chỉ Văn phòng (điều phối) và cán bộ của đơn vị được kế hoạch giao nhiệm vụ bố trí kinh phí mới được sửa kinh phí của kế hoạch.",
  },
};
const PLAN_NOT_FOUND: BudgetFailure = { ok: false, status: 404, errors: { _: "Không tìm thấy kế hoạch." } };
const LINE_NOT_FOUND: BudgetFailure = { ok: false, status: 404, errors: { _: "Không tìm thấy dòng kinh phí." } };

export interface BudgetLine {
  id: number;
  amount: number | null;
  source: string | null;
  purpose: string;
  channelKind: string | null;
  unit: { id: number; name: string } | null;
}

export interface PlanBudget {
  /** The total the plan states (read from its text, or set by staff); null when none. */
  stated: number | null;
  /** `budgetTotal`: the stated total, else the lines' sum when every line has an amount, else null. */
  total: number | null;
  lines: BudgetLine[];
  editedAt: string | null;
}

/** A plan's budget as stored. */
export async function planBudget(db: Kysely<Database>, planId: number): Promise<PlanBudget> {
  const [state, rows] = await Promise.all([q.planBudgetState(db, planId), q.budgetLinesOf(db, planId)]);
  return budgetOf(state ?? null, rows);
}

type BudgetState = { budget_stated: number | string | null; budget_edited_at: string | null };
type BudgetLineRows = Awaited<ReturnType<typeof q.budgetLinesOf>>;

/** A plan's budget from its row's budget columns and its lines (as `budgetLinesOf` reads them). */
function budgetOf(state: BudgetState | null, rows: BudgetLineRows): PlanBudget {
  const lines = rows.map((r) => ({
    id: r.id,
    amount: q.dong(r.amount),
    source: r.source,
    purpose: r.purpose,
    channelKind: r.channel_kind,
    unit: r.org_unit_id != null ? { id: r.org_unit_id, name: r.unit_name ?? "" } : null,
  }));
  const stated = q.dong(state?.budget_stated ?? null);
  return { stated, total: budgetTotal(stated, lines), lines, editedAt: state?.budget_edited_at ?? null };
}

/** The units the plan gives its budget task to (lead units of the tasks about money; any linked unit if none leads). */
export async function budgetKeepers(db: Kysely<Database>, planId: number): Promise<{ id: number; name: string }[]> {
  const rows = (await q.tasksWithUnits(db, planId)).filter((r) => isBudgetTask(r.text));
  const leads = rows.filter((r) => r.role === "lead");
  const chosen = leads.length ? leads : rows;
  const units = new Map<number, string>();
  for (const r of chosen) units.set(r.unit_id, r.unit_name);
  return [...units].map(([id, name]) => ({ id, name }));
}

/** Whether a staff member may change a plan's budget: the role allows it, and an officer only of a keeper unit. */
export function mayEditBudget(user: { role: string; org_unit_id: number | null }, keeperIds: number[]): boolean {
  const role = user.role as Role;
  if (!can(role, "budget.edit")) return false;
  if (!isUnitScoped(role)) return true;
  return user.org_unit_id != null && keeperIds.includes(user.org_unit_id);
}

/**
 * Store the budget read from a plan's text, in the import's transaction: a new plan gets its lines; a revised one
 * gets the new reading only while staff have not edited its budget (their lines are kept otherwise).
 */
export async function storeBudgetReading(
  trx: Transaction<Database>,
  planId: number,
  budget: BudgetDraft | null,
  now: string,
): Promise<void> {
  const state = await q.planBudgetState(trx, planId);
  if (state?.budget_edited_at) return;
  await q.deleteBudgetLines(trx, planId);
  await q.setBudgetState(trx, planId, { budget_stated: budget?.stated ?? null });
  for (const [i, l] of (budget?.lines ?? []).entries()) {
    const kind = channelKindOf(l.purpose);
    await q.insertBudgetLine(
      trx,
      planId,
      i,
      { ...l, channel_kind: kind === "other" ? null : kind, org_unit_id: null },
      now,
    );
  }
}

interface Who {
  actor: Actor;
  user: { role: string; org_unit_id: number | null };
  ward: Ward;
}

/** The plan (visible in the ward) and whether this user may edit its budget. */
async function authorise(db: Kysely<Database>, who: Who, planId: number): Promise<BudgetFailure | null> {
  const plan = await q.planBudgetState(db, planId);
  if (!plan || !who.ward.scopeIds.includes(plan.ward_id)) return PLAN_NOT_FOUND;
  const keepers = await budgetKeepers(db, planId);
  return mayEditBudget(
    who.user,
    keepers.map((k) => k.id),
  )
    ? null
    : FORBIDDEN;
}

async function checkUnit(db: Kysely<Database>, ward: Ward, id: number | null): Promise<FieldErrors | null> {
  if (id == null) return null;
  const unit = await q.orgUnitWard(db, id);
  return unit && ward.scopeIds.includes(unit.ward_id) ? null : { orgUnitId: "Đơn vị không thuộc phường, xã này." };
}

/** Add a line (`lineId` null) or correct one; validated, authorised, audited, in one transaction. */
export async function saveBudgetLine(
  db: Kysely<Database>,
  who: Who,
  planId: number,
  lineId: number | null,
  input: Record<string, unknown>,
  now: Date,
): Promise<BudgetResult<{ id: number }>> {
  const denied = await authorise(db, who, planId);
  if (denied) return denied;
  const parsed = validate(budgetLineSchema, input);
  if (!parsed.ok) return { ok: false, status: 400, errors: parsed.errors };
  const v = parsed.value;
  const badUnit = await checkUnit(db, who.ward, v.orgUnitId);
  if (badUnit) return { ok: false, status: 400, errors: badUnit };
  const row = {
    amount: v.amount,
    source: v.source,
    purpose: v.purpose,
    channel_kind: v.channelKind,
    org_unit_id: v.orgUnitId,
  };
  const at = now.toISOString();
  return db.transaction().execute(async (trx) => {
    let id: number;
    let before: unknown;
    if (lineId == null) {
      id = await q.insertBudgetLine(trx, planId, await q.nextBudgetPosition(trx, planId), row, at);
    } else {
      const old = await q.budgetLineById(trx, lineId);
      if (!old || old.plan_id !== planId) return LINE_NOT_FOUND;
      before = { ...old, amount: q.dong(old.amount) };
      id = lineId;
      await q.updateBudgetLine(trx, lineId, row, at);
    }
    await q.setBudgetState(trx, planId, { budget_edited_at: at });
    await audit(
      trx,
      who.actor,
      {
        action: lineId == null ? "budget_line.create" : "budget_line.update",
        entity: "plan_budget_line",
        entityId: id,
        wardId: who.ward.unit.id,
        before,
        after: { planId, ...row },
      },
      now,
    );
    return { ok: true as const, value: { id } };
  });
}

/** Remove a line; authorised, audited, in one transaction. */
export async function removeBudgetLine(
  db: Kysely<Database>,
  who: Who,
  planId: number,
  lineId: number,
  now: Date,
): Promise<BudgetResult<null>> {
  const denied = await authorise(db, who, planId);
  if (denied) return denied;
  return db.transaction().execute(async (trx) => {
    const old = await q.budgetLineById(trx, lineId);
    if (!old || old.plan_id !== planId) return LINE_NOT_FOUND;
    await q.deleteBudgetLine(trx, lineId);
    await q.setBudgetState(trx, planId, { budget_edited_at: now.toISOString() });
    await audit(
      trx,
      who.actor,
      {
        action: "budget_line.delete",
        entity: "plan_budget_line",
        entityId: lineId,
        wardId: who.ward.unit.id,
        before: { ...old, amount: q.dong(old.amount) },
      },
      now,
    );
    return { ok: true as const, value: null };
  });
}

/** Set (or clear, with an empty field) the total the plan states; authorised, audited, in one transaction. */
export async function saveStatedTotal(
  db: Kysely<Database>,
  who: Who,
  planId: number,
  input: { stated?: unknown },
  now: Date,
): Promise<BudgetResult<null>> {
  const denied = await authorise(db, who, planId);
  if (denied) return denied;
  const parsed = validate(statedTotalSchema, input);
  if (!parsed.ok) return { ok: false, status: 400, errors: parsed.errors };
  return db.transaction().execute(async (trx) => {
    const old = await q.planBudgetState(trx, planId);
    await q.setBudgetState(trx, planId, { budget_stated: parsed.value.stated, budget_edited_at: now.toISOString() });
    await audit(
      trx,
      who.actor,
      {
        action: "plan.budget_total",
        entity: "plan",
        entityId: planId,
        wardId: who.ward.unit.id,
        before: { stated: q.dong(old?.budget_stated ?? null) },
        after: { stated: parsed.value.stated },
      },
      now,
    );
    return { ok: true as const, value: null };
  });
}

export interface BudgetComparison {
  byChannel: ComparisonRow[];
  byUnit: ComparisonRow[];
  planned: number | null;
  spent: number;
}

const CHANNEL_LABELS: ReadonlyMap<string, string> = new Map(Object.entries(CHANNEL_KINDS));

/**
 * Planned (the lines) against spent (the costs recorded on the plan's activities), by channel and by unit. `sums`:
 * the plan's ledger sums when the caller has read them already (the plan page shares them with its progress).
 */
export async function budgetComparison(
  db: Kysely<Database>,
  planId: number,
  budget: PlanBudget,
  sums?: LedgerSums,
): Promise<BudgetComparison> {
  const spending = sums ?? (await planLedgerSums(db, planId));
  const units = new Map<string, string>();
  for (const l of budget.lines) if (l.unit) units.set(String(l.unit.id), l.unit.name);
  for (const u of spending.byUnit) units.set(String(u.id), u.name);
  const byChannel = comparePlannedSpent(
    budget.lines.map((l) => ({ amount: l.amount, key: l.channelKind })),
    spending.byChannel,
    CHANNEL_LABELS,
    "Chung cho kế hoạch (không gắn hình thức)",
  );
  const byUnit = comparePlannedSpent(
    budget.lines.map((l) => ({ amount: l.amount, key: l.unit ? String(l.unit.id) : null })),
    spending.byUnit.map((u) => ({ key: String(u.id), cost: u.cost, count: u.count })),
    units,
    "Chung cho kế hoạch (không gắn đơn vị)",
  );
  return {
    byChannel,
    byUnit,
    planned: budget.total,
    spent: spending.byChannel.reduce((t, r) => t + r.cost, 0),
  };
}

/**
 * What a plan's pages show of its budget: the lines and planned against spent. `loaded`: what the page has read
 * already (the plan row, its budget lines, its ledger sums), so nothing is read twice.
 */
export async function budgetView(
  db: Kysely<Database>,
  planId: number,
  loaded?: { plan: BudgetState; budgetLines: BudgetLineRows; sums: LedgerSums },
) {
  const budget = loaded ? budgetOf(loaded.plan, loaded.budgetLines) : await planBudget(db, planId);
  return { budget, comparison: await budgetComparison(db, planId, budget, loaded?.sums) };
}

/** The plan JSON's `budget` (open data contract): total and lines in đồng, no names of people. */
export async function budgetJson(db: Kysely<Database>, planId: number) {
  const b = await planBudget(db, planId);
  return {
    total: b.total,
    lines: b.lines.map((l) => ({ amount: l.amount, source: l.source, purpose: l.purpose })),
  };
}

/** The staff plan page's budget section: the view, the keeper units and whether this user may edit. */
export async function staffBudgetView(
  db: Kysely<Database>,
  planId: number,
  user: { role: string; org_unit_id: number | null },
) {
  const [view, keepers] = await Promise.all([budgetView(db, planId), budgetKeepers(db, planId)]);
  return {
    planId,
    ...view,
    keepers,
    mayEdit: mayEditBudget(
      user,
      keepers.map((k) => k.id),
    ),
  };
}
