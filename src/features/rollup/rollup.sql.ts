/**
 * Every query of the roll-up, set-based: each reads all the units of a province (or, with `null`, of the whole
 * country) at once, grouped by unit, so the cost grows with the records, never with one round trip per ward.
 * `unitIds: null` means "every unit" (the country): no IN list of thousands of ids, rows of other units are
 * dropped by the caller. Plain Kysely for SQLite and PostgreSQL alike.
 */
import { type Kysely, sql, type Transaction } from "kysely";
import type { Database } from "../../core/db/schema.ts";

type Q = Kysely<Database> | Transaction<Database>;
type Ids = readonly number[] | null;

const inForce = (onDate: string) =>
  sql<boolean>`(valid_from is null or valid_from <= ${onDate}) and (valid_to is null or valid_to >= ${onDate})`;

/** A province (level "province") with this code in force on a day. */
export const provinceInForce = (db: Q, code: string, onDate: string) =>
  db
    .selectFrom("admin_units")
    .select(["id", "code", "name"])
    .where("code", "=", code)
    .where("level", "=", "province")
    .where(inForce(onDate))
    .executeTakeFirst();

/** The communes in force on a day: of one province, or of the whole country (null). */
export function communesInForce(db: Q, provinceId: number | null, onDate: string) {
  let query = db
    .selectFrom("admin_units")
    .select(["id", "code", "name"])
    .where("level", "=", "commune")
    .where(inForce(onDate));
  if (provinceId != null) query = query.where("parent_id", "=", provinceId);
  return query.execute();
}

/** Succession links into these units (null: all links). */
export function linksInto(db: Q, toIds: Ids) {
  let query = db.selectFrom("admin_unit_links").select(["from_id", "to_id", "kind"]);
  if (toIds) query = query.where("to_id", "in", toIds.length ? toIds : [-1]);
  return query.execute();
}

/** Succession links out of these units (to tell a split predecessor from one merged whole). */
export const linksOutOf = (db: Q, fromIds: readonly number[]) =>
  db
    .selectFrom("admin_unit_links")
    .select(["from_id", "to_id", "kind"])
    .where("from_id", "in", fromIds.length ? fromIds : [-1])
    .execute();

/** Units by id, to name the predecessors and successors. */
export const unitsById = (db: Q, ids: readonly number[]) =>
  db
    .selectFrom("admin_units")
    .select(["id", "code", "name"])
    .where("id", "in", ids.length ? ids : [-1])
    .execute();

const forUnits = (column: string, ids: Ids) =>
  ids ? sql<boolean>`${sql.ref(column)} in (${sql.join(ids.length ? ids : [-1])})` : sql<boolean>`1 = 1`;

/** Plans of these units whose period covers a day. */
export const plansCovering = (db: Q, unitIds: Ids, onDate: string) =>
  db
    .selectFrom("plans")
    .select(["id", "ward_id", "number", "issued_on", "period_from"])
    .where(forUnits("plans.ward_id", unitIds))
    .where("period_from", "<=", onDate)
    .where("period_to", ">=", onDate)
    .execute();

/**
 * The live tasks of these plans with what the overdue rule reads: the latest activity day and the latest progress
 * update instant of each task (grouped once over the plans' tasks, not per task).
 */
export function tasksOfPlans(db: Q, planIds: readonly number[]) {
  const ids = planIds.length ? planIds : [-1];
  const lastActivity = db
    .selectFrom("activities")
    .innerJoin("tasks as ta", "ta.id", "activities.task_id")
    .select(["activities.task_id", (eb) => eb.fn.max("activities.occurred_on").as("last_on")])
    .where("ta.plan_id", "in", ids)
    .groupBy("activities.task_id")
    .as("la");
  const lastUpdate = db
    .selectFrom("task_updates")
    .innerJoin("tasks as tu", "tu.id", "task_updates.task_id")
    .select(["task_updates.task_id", (eb) => eb.fn.max("task_updates.at").as("last_at")])
    .where("tu.plan_id", "in", ids)
    .groupBy("task_updates.task_id")
    .as("lu");
  return db
    .selectFrom("tasks")
    .leftJoin(lastActivity, "la.task_id", "tasks.id")
    .leftJoin(lastUpdate, "lu.task_id", "tasks.id")
    .select(["tasks.plan_id", "tasks.status", "tasks.due_on", "tasks.recurrence", "la.last_on", "lu.last_at"])
    .where("tasks.plan_id", "in", ids)
    .where("tasks.removed_at", "is", null)
    .execute();
}

/** The ledger of these units over a period, summed by unit and channel (count, people reached, cost). */
export async function activityTotals(db: Q, unitIds: Ids, from: string, to: string) {
  const rows = await db
    .selectFrom("activities")
    .select([
      "ward_id",
      "channel_kind",
      (eb) => eb.fn.countAll<number | string>().as("n"),
      (eb) => eb.fn.sum<number | string | null>("audience").as("audience"),
      (eb) => eb.fn.sum<number | string | null>("cost").as("cost"),
    ])
    .where(forUnits("ward_id", unitIds))
    .where("occurred_on", ">=", from)
    .where("occurred_on", "<=", to)
    .groupBy(["ward_id", "channel_kind"])
    .execute();
  return rows.map((r) => ({
    unitId: Number(r.ward_id),
    channel: r.channel_kind,
    count: Number(r.n),
    audience: Number(r.audience ?? 0),
    cost: Number(r.cost ?? 0),
  }));
}

/** The feedback items of these units that may bear on a period (received by its end, not answered before it). */
export const feedbackRows = (db: Q, unitIds: Ids, start: string, end: string) =>
  db
    .selectFrom("feedback_items")
    .select(["ward_id", "channel", "status", "classification", "due_on", "received_at", "published_at"])
    .where(forUnits("ward_id", unitIds))
    .where("received_at", "<=", end)
    .where((eb) => eb.or([eb("published_at", "is", null), eb("published_at", ">=", start)]))
    .execute();

/** Survey answers of these units' surveys submitted in a period, counted per criterion: all, and satisfied ones. */
export async function criterionCounts(db: Q, unitIds: Ids, start: string, end: string, satisfiedFrom: number) {
  const rows = await db
    .selectFrom("survey_answers")
    .innerJoin("survey_responses", "survey_responses.id", "survey_answers.response_id")
    .innerJoin("surveys", "surveys.id", "survey_responses.survey_id")
    .innerJoin("survey_questions", "survey_questions.id", "survey_answers.question_id")
    .select([
      "surveys.ward_id",
      "survey_questions.factor",
      "survey_answers.question_id",
      (eb) => eb.fn.countAll<number | string>().as("n"),
      sql<number | string>`sum(case when survey_answers.score >= ${satisfiedFrom} then 1 else 0 end)`.as("ok"),
    ])
    .where(forUnits("surveys.ward_id", unitIds))
    .where("survey_responses.submitted_at", ">=", start)
    .where("survey_responses.submitted_at", "<=", end)
    .where("survey_answers.score", ">=", 1)
    .where("survey_answers.score", "<=", 5)
    .groupBy(["surveys.ward_id", "survey_questions.factor", "survey_answers.question_id"])
    .execute();
  return rows.map((r) => ({
    unitId: Number(r.ward_id),
    factor: r.factor,
    questionId: Number(r.question_id),
    answers: Number(r.n),
    satisfied: Number(r.ok),
  }));
}

/** The issued reports of these units issued on or before a day (the latest per unit is picked by the caller). */
export const issuedReports = (db: Q, unitIds: Ids, onOrBefore: string) =>
  db
    .selectFrom("reports")
    .select(["id", "ward_id", "number", "symbol", "issued_on", "period_from", "period_to", "published"])
    .where(forUnits("ward_id", unitIds))
    .where("status", "=", "issued")
    .where("issued_on", "<=", onOrBefore)
    .execute();

/** Which of these units have a portal here (staff accounts, units of their own or plans): their names link. */
export async function unitsWithPortal(db: Q, unitIds: Ids): Promise<Set<number>> {
  const [users, units, plans] = await Promise.all([
    db.selectFrom("users").select("ward_id").distinct().where(forUnits("ward_id", unitIds)).execute(),
    db.selectFrom("org_units").select("ward_id").distinct().where(forUnits("ward_id", unitIds)).execute(),
    db.selectFrom("plans").select("ward_id").distinct().where(forUnits("ward_id", unitIds)).execute(),
  ]);
  return new Set([...users, ...units, ...plans].map((r) => Number(r.ward_id)));
}
