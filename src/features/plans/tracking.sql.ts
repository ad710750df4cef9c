/**
 * Every query of task tracking and the activity ledger. Plain Kysely that runs alike on SQLite and PostgreSQL:
 * dates are ISO text compared as text, flags 0/1, no dialect functions; aggregates are converted to numbers by
 * the callers (PostgreSQL returns bigint sums as strings unless the driver parses them).
 */
import { type Insertable, type Kysely, sql, type Transaction } from "kysely";
import type { ActivityTable, Database } from "../../core/db/schema.ts";
import { type LedgerSumRow, type LedgerSums, ledgerSumsOf } from "./ledger-sums.ts";

type Q = Kysely<Database> | Transaction<Database>;

const TASK_COLUMNS = [
  "tasks.id",
  "tasks.plan_id",
  "tasks.ward_id",
  "tasks.group_code",
  "tasks.group_heading",
  "tasks.position",
  "tasks.text",
  "tasks.status",
  "tasks.due_on",
  "tasks.recurrence",
  "tasks.removed_at",
  "tasks.updated_at",
] as const;

const PLAN_COLUMNS = [
  "plans.number as plan_number",
  "plans.title as plan_title",
  "plans.period_from",
  "plans.period_to",
  "plans.issued_on as plan_issued_on",
] as const;

const tasksWithPlan = (db: Q) =>
  db
    .selectFrom("tasks")
    .innerJoin("plans", "plans.id", "tasks.plan_id")
    .select([...TASK_COLUMNS, ...PLAN_COLUMNS]);

/**
 * The latest work on a task: its latest activity date and its latest update instant (UTC; the caller turns it into a
 * Vietnamese calendar date), as two columns looked up per task through the (task, day) and (task, instant) indexes
 * (one index probe each), never by grouping the ledger. Added to a query over `tasks`.
 */
const lastWorkColumns = [
  sql<string | null>`(select max(a.occurred_on) from activities a where a.task_id = tasks.id)`.as("last_on"),
  sql<string | null>`(select max(u.at) from task_updates u where u.task_id = tasks.id)`.as("last_at"),
] as const;

/** One task with its plan's number, title and period. */
export function taskWithPlan(db: Q, taskId: number) {
  return tasksWithPlan(db).where("tasks.id", "=", taskId).executeTakeFirst();
}

/** Live tasks of plans issued by these wards, with their plan and latest work, in plan then document order. */
export function liveTasksOfWards(db: Q, wardIds: number[]) {
  return tasksWithPlan(db)
    .select(lastWorkColumns)
    .where("tasks.ward_id", "in", wardIds)
    .where("tasks.removed_at", "is", null)
    .orderBy("plans.issued_on", "desc")
    .orderBy("tasks.plan_id")
    .orderBy("tasks.position")
    .execute();
}

/** Live tasks of one plan, in document order. */
export function liveTasksOfPlan(db: Q, planId: number) {
  return tasksWithPlan(db)
    .where("tasks.plan_id", "=", planId)
    .where("tasks.removed_at", "is", null)
    .orderBy("tasks.position")
    .execute();
}

/** Live tasks a unit is linked to (lead or support), with its role and their latest work. */
export function liveTasksOfUnit(db: Q, orgUnitId: number, wardIds: number[]) {
  return db
    .selectFrom("task_units")
    .innerJoin("tasks", "tasks.id", "task_units.task_id")
    .innerJoin("plans", "plans.id", "tasks.plan_id")
    .select([...TASK_COLUMNS, ...PLAN_COLUMNS, ...lastWorkColumns, "task_units.role as unit_role"])
    .where("task_units.org_unit_id", "=", orgUnitId)
    .where("tasks.ward_id", "in", wardIds)
    .where("tasks.removed_at", "is", null)
    .orderBy("plans.issued_on", "desc")
    .orderBy("tasks.plan_id")
    .orderBy("tasks.position")
    .execute();
}

const TASK_UNIT_COLUMNS = [
  "task_units.task_id",
  "task_units.role",
  "org_units.id as unit_id",
  "org_units.name as unit_name",
] as const;

/** Units of one task, lead first. */
export function unitsOfTask(db: Q, taskId: number) {
  return db
    .selectFrom("task_units")
    .innerJoin("org_units", "org_units.id", "task_units.org_unit_id")
    .select(TASK_UNIT_COLUMNS)
    .where("task_units.task_id", "=", taskId)
    .orderBy("task_units.role") // "lead" < "support"
    .orderBy("task_units.id")
    .execute();
}

/** Units of tasks (with the tasks joined, for the caller to choose which), lead first. */
const unitsOfTasks = (db: Q) =>
  db
    .selectFrom("task_units")
    .innerJoin("tasks", "tasks.id", "task_units.task_id")
    .innerJoin("org_units", "org_units.id", "task_units.org_unit_id")
    .select(TASK_UNIT_COLUMNS)
    .orderBy("task_units.role")
    .orderBy("task_units.id");

/** Units of every task of these wards' plans (one query for a whole list page). */
export function unitsOfWardTasks(db: Q, wardIds: number[]) {
  return unitsOfTasks(db).where("tasks.ward_id", "in", wardIds).where("tasks.removed_at", "is", null).execute();
}

/** Units of the live tasks a unit is linked to (what an officer's own list shows), not of every task of the ward. */
export function unitsOfUnitTasks(db: Q, orgUnitId: number, wardIds: number[]) {
  return unitsOfTasks(db)
    .where("tasks.ward_id", "in", wardIds)
    .where("tasks.removed_at", "is", null)
    .where((eb) =>
      eb.exists(
        eb
          .selectFrom("task_units as mine")
          .select("mine.id")
          .whereRef("mine.task_id", "=", "tasks.id")
          .where("mine.org_unit_id", "=", orgUnitId),
      ),
    )
    .execute();
}

/** Units of every task of one plan. */
export function unitsOfPlanTasks(db: Q, planId: number) {
  return unitsOfTasks(db).where("tasks.plan_id", "=", planId).execute();
}

/** Whether a unit is linked to a task (lead or support). */
export async function unitLinkedToTask(db: Q, taskId: number, orgUnitId: number): Promise<boolean> {
  const row = await db
    .selectFrom("task_units")
    .select("id")
    .where("task_id", "=", taskId)
    .where("org_unit_id", "=", orgUnitId)
    .executeTakeFirst();
  return row !== undefined;
}

/**
 * Latest work per task: the latest activity date and the latest update instant (UTC; the caller turns it into a
 * Vietnamese calendar date). Scoped by plan (every task of it) or by wards (their live tasks). One statement.
 */
export async function lastWorkByTask(db: Q, scope: { planId: number } | { wardIds: number[] }) {
  let query = db.selectFrom("tasks").select(["tasks.id", ...lastWorkColumns]);
  query =
    "planId" in scope
      ? query.where("tasks.plan_id", "=", scope.planId)
      : query.where("tasks.ward_id", "in", scope.wardIds).where("tasks.removed_at", "is", null);
  return (await query.execute()).map((r) => ({ taskId: r.id, lastOn: r.last_on, lastAt: r.last_at }));
}

/** Progress updates of a task, newest first, with who wrote them. */
export function updatesOfTask(db: Q, taskId: number) {
  return db
    .selectFrom("task_updates")
    .innerJoin("users", "users.id", "task_updates.user_id")
    .select([
      "task_updates.id",
      "task_updates.at",
      "task_updates.status",
      "task_updates.note",
      "users.display_name as user_name",
    ])
    .where("task_updates.task_id", "=", taskId)
    .orderBy("task_updates.at", "desc")
    .orderBy("task_updates.id", "desc")
    .execute();
}

const ACTIVITY_COLUMNS = [
  "activities.id",
  "activities.ward_id",
  "activities.org_unit_id",
  "org_units.name as unit_name",
  "activities.plan_id",
  "activities.task_id",
  "activities.channel_kind",
  "activities.pillar",
  "activities.title",
  "activities.occurred_on",
  "activities.place",
  "activities.audience",
  "activities.participants",
  "activities.cost",
  "activities.source",
  "activities.source_ref",
  "activities.created_at",
] as const;

const activitiesWithUnit = (db: Q) =>
  db.selectFrom("activities").innerJoin("org_units", "org_units.id", "activities.org_unit_id").select(ACTIVITY_COLUMNS);

/** Ledger rows of a task, latest first. */
export function activitiesOfTask(db: Q, taskId: number) {
  return activitiesWithUnit(db)
    .where("activities.task_id", "=", taskId)
    .orderBy("activities.occurred_on", "desc")
    .orderBy("activities.id", "desc")
    .execute();
}

/** Ledger rows of a plan (with or without a task), in date order. */
export function activitiesOfPlan(db: Q, planId: number) {
  return activitiesWithUnit(db)
    .where("activities.plan_id", "=", planId)
    .orderBy("activities.occurred_on")
    .orderBy("activities.id")
    .execute();
}

const FILE_COLUMNS = [
  "stored_files.id as file_id",
  "stored_files.original_name",
  "stored_files.mime",
  "stored_files.size",
] as const;

/** Evidence files attached to a task's updates. */
export function evidenceOfTaskUpdates(db: Q, taskId: number) {
  return db
    .selectFrom("evidence")
    .innerJoin("task_updates", "task_updates.id", "evidence.task_update_id")
    .innerJoin("stored_files", "stored_files.id", "evidence.file_id")
    .select(["evidence.task_update_id as owner_id", ...FILE_COLUMNS])
    .where("task_updates.task_id", "=", taskId)
    .orderBy("evidence.id")
    .execute();
}

const activityEvidence = (db: Q) =>
  db
    .selectFrom("evidence")
    .innerJoin("activities", "activities.id", "evidence.activity_id")
    .innerJoin("stored_files", "stored_files.id", "evidence.file_id")
    .select(["evidence.activity_id as owner_id", ...FILE_COLUMNS])
    .orderBy("evidence.id");

/** Evidence files attached to a task's activities. */
export function evidenceOfTaskActivities(db: Q, taskId: number) {
  return activityEvidence(db).where("activities.task_id", "=", taskId).execute();
}

/** Evidence files of a plan's activities (for exports). */
export function evidenceOfPlanActivities(db: Q, planId: number) {
  return activityEvidence(db).where("activities.plan_id", "=", planId).execute();
}

export async function insertTaskUpdate(
  trx: Q,
  row: { task_id: number; user_id: number; at: string; status: string; note: string },
): Promise<number> {
  const r = await trx.insertInto("task_updates").values(row).returning("id").executeTakeFirstOrThrow();
  return Number(r.id);
}

export function setTaskStatus(trx: Q, taskId: number, status: string, at: string) {
  return trx.updateTable("tasks").set({ status, updated_at: at }).where("id", "=", taskId).execute();
}

export async function insertActivity(trx: Q, row: Insertable<ActivityTable>): Promise<number> {
  const r = await trx.insertInto("activities").values(row).returning("id").executeTakeFirstOrThrow();
  return Number(r.id);
}

/** A ledger row another feature already wrote for the same thing (so a retry never counts twice). */
export function activityBySource(db: Q, wardId: number, source: string, sourceRef: string) {
  return db
    .selectFrom("activities")
    .select(["id"])
    .where("ward_id", "=", wardId)
    .where("source", "=", source)
    .where("source_ref", "=", sourceRef)
    .executeTakeFirst();
}

export async function insertEvidence(
  trx: Q,
  rows: { file_id: number; task_update_id: number | null; activity_id: number | null }[],
) {
  if (rows.length) await trx.insertInto("evidence").values(rows).execute();
}

/** The ward of the task a progress update belongs to (for access to its evidence). */
export async function wardOfTaskUpdate(db: Q, updateId: number): Promise<number | null> {
  const row = await db
    .selectFrom("task_updates")
    .innerJoin("tasks", "tasks.id", "task_updates.task_id")
    .select("tasks.ward_id")
    .where("task_updates.id", "=", updateId)
    .executeTakeFirst();
  return row ? Number(row.ward_id) : null;
}

/** The ward of an activity of the ledger (for access to its evidence). */
export async function wardOfActivity(db: Q, activityId: number): Promise<number | null> {
  const row = await db.selectFrom("activities").select("ward_id").where("id", "=", activityId).executeTakeFirst();
  return row ? Number(row.ward_id) : null;
}

/** A plan's ward and period, for access checks and the overdue rule. */
export function planHead(db: Q, planId: number) {
  return db
    .selectFrom("plans")
    .select(["id", "ward_id", "number", "title", "issued_on", "period_from", "period_to"])
    .where("id", "=", planId)
    .executeTakeFirst();
}

export function contentAreasOfPlan(db: Q, planId: number) {
  return db
    .selectFrom("plan_content_areas")
    .select(["code", "title", "pillar"])
    .where("plan_id", "=", planId)
    .orderBy("position")
    .execute();
}

/** One of the ward's own units (for checking the unit an activity is recorded against). */
export function orgUnitHead(db: Q, id: number) {
  return db
    .selectFrom("org_units")
    .select(["id", "ward_id", "name", "valid_to"])
    .where("id", "=", id)
    .executeTakeFirst();
}

/**
 * A plan's ledger summed three ways in one statement: per pillar (count, audience, cost), per channel and per
 * recording unit (count, cost; the unit with its name). Every figure of the plan pages (per content area, per
 * channel, per unit) is one of these rows (ledger-sums.ts), and each grouping reads only the columns of the
 * `activities_plan_sums` index (migration 052): no row of the ledger itself.
 */
export async function planLedgerSums(db: Q, planId: number): Promise<LedgerSums> {
  const { rows } = await sql<LedgerSumRow>`${ledgerSumsSelect(planId)}`.execute(db);
  return ledgerSumsOf(rows);
}

/** The statement of `planLedgerSums`, also read as a part of the plan's one statement (plans.sql.ts `planWithParts`). */
export function ledgerSumsSelect(planId: number) {
  return sql<LedgerSumRow>`
    select 'pillar' as kind, pillar, null as channel_kind, cast(null as integer) as org_unit_id, null as unit_name,
      count(*) as n, sum(audience) as audience, sum(cost) as cost
    from activities where plan_id = ${planId} group by pillar
    union all
    select 'channel', null, channel_kind, null, null, count(*), null, sum(cost)
    from activities where plan_id = ${planId} group by channel_kind
    union all
    select 'unit', null, null, org_unit_id, (select o.name from org_units o where o.id = activities.org_unit_id),
      count(*), null, sum(cost)
    from activities where plan_id = ${planId} group by org_unit_id`;
}

/** The days the overdue rule of recurring tasks measures from (progress.ts `taskStatus`), on the day asked. */
export interface RecurrenceLimits {
  /** First day of the previous full month / quarter (ISO day). */
  monthly: string;
  quarterly: string;
  /** The same days' first instant in Vietnam (ISO UTC), for progress updates stored as instants. */
  monthlyStart: string;
  quarterlyStart: string;
}

/**
 * Done, total and overdue live tasks per plan on a day, counted in the database by the rule of the plan pages
 * (progress.ts `taskStatus`; the province roll-up calls it, and test/rollup.http.test.ts holds it to that rule): done
 * is done; otherwise a due day before the day asked is overdue; otherwise a monthly (quarterly) task is overdue when
 * its latest work — activity or progress update — or, with none, the plan's start, is before the first day of the
 * previous full month (quarter). Each task's work is looked up through the (task, day) indexes, never by grouping the
 * whole ledger.
 */
export async function taskCountsOfPlans(db: Q, planIds: readonly number[], asOf: string, limits: RecurrenceLimits) {
  const limit = sql`(case when t.recurrence = 'monthly' then ${limits.monthly} else ${limits.quarterly} end)`;
  const limitStart = sql`(case when t.recurrence = 'monthly' then ${limits.monthlyStart} else ${limits.quarterlyStart} end)`;
  // One CASE, in this order, so the per-task lookups run only for recurring tasks not yet done nor already late
  // (PostgreSQL may reorder the terms of an AND, never the branches of a CASE).
  const overdue = sql`case
      when t.status = 'done' then 0
      when t.due_on is not null and t.due_on < ${asOf} then 1
      when t.recurrence is null or t.recurrence not in ('monthly', 'quarterly') then 0
      when exists (select 1 from activities a where a.task_id = t.id and a.occurred_on >= ${limit}) then 0
      when exists (select 1 from task_updates u where u.task_id = t.id and u.at >= ${limitStart}) then 0
      when exists (select 1 from activities a where a.task_id = t.id) then 1
      when exists (select 1 from task_updates u where u.task_id = t.id) then 1
      when coalesce(p.period_from, p.issued_on) < ${limit} then 1
      else 0 end`;
  const { rows } = await sql<{
    plan_id: number;
    total: number | string;
    done: number | string;
    overdue: number | string;
  }>`
    select t.plan_id, count(*) as total,
      sum(case when t.status = 'done' then 1 else 0 end) as done,
      sum(${overdue}) as overdue
    from tasks t inner join plans p on p.id = t.plan_id
    where t.plan_id in (${sql.join(planIds.length ? planIds : [-1])}) and t.removed_at is null
    group by t.plan_id`.execute(db);
  return rows.map((r) => ({
    planId: Number(r.plan_id),
    total: Number(r.total),
    done: Number(r.done),
    overdue: Number(r.overdue),
  }));
}
