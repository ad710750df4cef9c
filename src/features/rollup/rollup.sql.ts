/**
 * Every query of the roll-up, set-based: each reads all the units of a province (or, with `null`, of the whole
 * country) at once, grouped by unit, so the cost grows with the records, never with one round trip per ward.
 * `unitIds: null` means "every unit" (the country): no IN list of thousands of ids, rows of other units are
 * dropped by the caller. Plain Kysely for SQLite and PostgreSQL alike.
 */
import { type Kysely, PostgresAdapter, sql, type Transaction } from "kysely";
import type { Database } from "../../core/db/schema.ts";
import { forUnits, type UnitIds as Ids } from "../../core/db/unit-filter.ts";

type Q = Kysely<Database> | Transaction<Database>;

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

/** Plans of these units whose period covers a day. */
export const plansCovering = (db: Q, unitIds: Ids, onDate: string) =>
  db
    .selectFrom("plans")
    .select(["id", "ward_id", "number", "issued_on", "period_from"])
    .where(forUnits("plans.ward_id", unitIds))
    .where("period_from", "<=", onDate)
    .where("period_to", ">=", onDate)
    .execute();

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
