/**
 * Every query of the roll-up, set-based: each reads all the units of a province (or, with `null`, of the whole
 * country) at once, grouped by unit, so the cost grows with the records, never with one round trip per ward.
 * `unitIds: null` means "every unit" (the country): no IN list of thousands of ids, rows of other units are
 * dropped by the caller. Plain Kysely for SQLite and PostgreSQL alike.
 */
import { type Kysely, PostgresAdapter, sql, type Transaction } from "kysely";
import type { Database } from "../../core/db/schema.ts";

type Q = Kysely<Database> | Transaction<Database>;
type Ids = readonly number[] | null;

/**
 * Run the roll-up's queries with PostgreSQL's JIT compiler off: its plans over the whole country cost enough to
 * trigger it, and compiling took longer than the queries (1.3 s of a 3.3 s task count). A read-only transaction
 * scopes the setting; SQLite has no JIT and keeps its single connection free (no transaction).
 */
export function withoutJit<T>(db: Kysely<Database>, run: (db: Kysely<Database>) => Promise<T>): Promise<T> {
  if (!(db.getExecutor().adapter instanceof PostgresAdapter)) return run(db);
  // Called inside a caller's transaction (a report being issued): the setting lasts until that one ends.
  if (db.isTransaction) return sql`set local jit = off`.execute(db).then(() => run(db));
  return db.transaction().execute(async (trx) => {
    await sql`set local jit = off`.execute(trx);
    return run(trx);
  });
}

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
 * (progress.ts `taskStatus`, which test/rollup.http.test.ts holds this to): done is done; otherwise a due day before
 * the day asked is overdue; otherwise a monthly (quarterly) task is overdue when its latest work — activity or
 * progress update — or, with none, the plan's start, is before the first day of the previous full month
 * (quarter). Each task's work is looked up through the (task, day) indexes, never by grouping the whole ledger.
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

/**
 * Feedback figures of these units over a period, counted in the database by the rule of the ward's report
 * (feedback.figures.ts `countFeedback`): received in the period; answers published in it, and of them those
 * published by the end of their due day; items in the ward's competence due before the period's end, received by
 * then and not answered by then. Instants are stored as ISO UTC text, so a Vietnamese day is a range of such text:
 * published by the end of day D (Vietnam) is published ≤ D "T16:59:59.999Z".
 */
export async function feedbackCounts(
  db: Q,
  unitIds: Ids,
  period: { from: string; to: string },
  start: string,
  end: string,
) {
  const rows = await db
    .selectFrom("feedback_items")
    .select([
      "ward_id",
      sql<number | string>`sum(case when received_at >= ${start} and received_at <= ${end} then 1 else 0 end)`.as(
        "received",
      ),
      sql<number | string>`sum(case when published_at >= ${start} and published_at <= ${end}
        and (due_on is null or published_at <= due_on || 'T16:59:59.999Z') then 1 else 0 end)`.as("on_time"),
      sql<number | string>`sum(case when classification = 'in_scope' and due_on is not null and due_on < ${period.to}
        and (published_at is null or published_at > ${end}) then 1 else 0 end)`.as("overdue"),
    ])
    .where(forUnits("ward_id", unitIds))
    .where("received_at", "<=", end)
    .where((eb) => eb.or([eb("published_at", "is", null), eb("published_at", ">=", start)]))
    .groupBy("ward_id")
    .execute();
  return rows.map((r) => ({
    unitId: Number(r.ward_id),
    received: Number(r.received),
    answeredOnTime: Number(r.on_time),
    overdue: Number(r.overdue),
  }));
}

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
