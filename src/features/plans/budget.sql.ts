/** SQL of a plan's budget: its lines, the stated total, and what its activities cost (the ledger is the spending). */
import type { Kysely, Transaction } from "kysely";
import type { Database } from "../../core/db/schema.ts";

type Q = Kysely<Database> | Transaction<Database>;

/** Đồng as a number: PostgreSQL returns bigint as text. */
export const dong = (v: number | string | null): number | null => (v == null ? null : Number(v));

export function budgetLinesOf(db: Q, planId: number) {
  return db
    .selectFrom("plan_budget_lines")
    .leftJoin("org_units", "org_units.id", "plan_budget_lines.org_unit_id")
    .select([
      "plan_budget_lines.id",
      "plan_budget_lines.plan_id",
      "plan_budget_lines.position",
      "plan_budget_lines.amount",
      "plan_budget_lines.source",
      "plan_budget_lines.purpose",
      "plan_budget_lines.channel_kind",
      "plan_budget_lines.org_unit_id",
      "org_units.name as unit_name",
    ])
    .where("plan_budget_lines.plan_id", "=", planId)
    .orderBy("plan_budget_lines.position")
    .orderBy("plan_budget_lines.id")
    .execute();
}

export function budgetLineById(db: Q, id: number) {
  return db.selectFrom("plan_budget_lines").selectAll().where("id", "=", id).executeTakeFirst();
}

export function planBudgetState(db: Q, planId: number) {
  return db
    .selectFrom("plans")
    .select(["id", "ward_id", "budget_stated", "budget_edited_at"])
    .where("id", "=", planId)
    .executeTakeFirst();
}

export interface BudgetLineRow {
  amount: number | null;
  source: string | null;
  purpose: string;
  channel_kind: string | null;
  org_unit_id: number | null;
}

export async function insertBudgetLine(trx: Q, planId: number, position: number, l: BudgetLineRow, now: string) {
  return (
    await trx
      .insertInto("plan_budget_lines")
      .values({ plan_id: planId, position, ...l, created_at: now, updated_at: now })
      .returning("id")
      .executeTakeFirstOrThrow()
  ).id;
}

export const updateBudgetLine = (trx: Q, id: number, l: BudgetLineRow, now: string) =>
  trx
    .updateTable("plan_budget_lines")
    .set({ ...l, updated_at: now })
    .where("id", "=", id)
    .execute();

export const deleteBudgetLine = (trx: Q, id: number) =>
  trx.deleteFrom("plan_budget_lines").where("id", "=", id).execute();

export const deleteBudgetLines = (trx: Q, planId: number) =>
  trx.deleteFrom("plan_budget_lines").where("plan_id", "=", planId).execute();

export async function nextBudgetPosition(trx: Q, planId: number): Promise<number> {
  const r = await trx
    .selectFrom("plan_budget_lines")
    .select((eb) => eb.fn.max("position").as("p"))
    .where("plan_id", "=", planId)
    .executeTakeFirst();
  return r?.p == null ? 0 : Number(r.p) + 1;
}

export const setBudgetState = (
  trx: Q,
  planId: number,
  values: { budget_stated?: number | null; budget_edited_at?: string | null },
) => trx.updateTable("plans").set(values).where("id", "=", planId).execute();

/** A plan's live tasks with the units linked to them (lead first): where the budget task is found. */
export function tasksWithUnits(db: Q, planId: number) {
  return db
    .selectFrom("tasks")
    .innerJoin("task_units", "task_units.task_id", "tasks.id")
    .innerJoin("org_units", "org_units.id", "task_units.org_unit_id")
    .select([
      "tasks.id",
      "tasks.text",
      "tasks.group_heading",
      "task_units.role",
      "org_units.id as unit_id",
      "org_units.name as unit_name",
    ])
    .where("tasks.plan_id", "=", planId)
    .where("tasks.removed_at", "is", null)
    .orderBy("tasks.position")
    .execute();
}

/** An org unit's ward, to check a chosen unit belongs to the ward. */
export const orgUnitWard = (db: Q, id: number) =>
  db.selectFrom("org_units").select(["id", "ward_id", "name"]).where("id", "=", id).executeTakeFirst();
