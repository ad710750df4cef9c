/**
 * The queries of the ledger's entry point for other features (ledger.ts): the plan in force, its content areas,
 * the ward's office unit, and the insert that a partial UNIQUE index (migration 013) keeps to one row per
 * (ward, source, source_ref). Plain Kysely for SQLite and PostgreSQL alike.
 */
import {
  type Expression,
  type ExpressionBuilder,
  type Insertable,
  type Kysely,
  type SqlBool,
  sql,
  type Transaction,
} from "kysely";
import type { ActivityTable, Database } from "../../core/db/schema.ts";

type Q = Kysely<Database> | Transaction<Database>;

/**
 * The plan whose period covers `onDate` (ISO) among those issued by these wards (a ward and the units merged into
 * it: a plan issued before a merger still runs); the latest issued when several do.
 */
/** One plan of these wards, by id (a report scoped to it). */
export const planOfWards = (db: Q, wardIds: number[], id: number) =>
  db
    .selectFrom("plans")
    .select(["id", "number", "title"])
    .where("id", "=", id)
    .where("ward_id", "in", wardIds)
    .executeTakeFirst();

/** The plans of these wards, newest first: what a report may be scoped to. */
export const plansOfWards = (db: Q, wardIds: number[]) =>
  db
    .selectFrom("plans")
    .select(["id", "number", "title", "period_from", "period_to"])
    .where("ward_id", "in", wardIds)
    .orderBy("period_to", "desc")
    .orderBy("id", "desc")
    .execute();

export function planInForce(db: Q, wardIds: number[], onDate: string) {
  return db
    .selectFrom("plans")
    .select(["id", "number", "title"])
    .where("ward_id", "in", wardIds)
    .where("period_from", "<=", onDate)
    .where("period_to", ">=", onDate)
    .orderBy("issued_on", "desc")
    .orderBy("id", "desc")
    .executeTakeFirst();
}

/** A plan's content areas with their items (JSON text), in document order. */
export function contentAreasWithItems(db: Q, planId: number) {
  return db
    .selectFrom("plan_content_areas")
    .select(["code", "title", "pillar", "items_json"])
    .where("plan_id", "=", planId)
    .orderBy("position")
    .execute();
}

/** The ward's office unit (code "office") in force, else its first unit in force: who runs ward-wide work. */
export function officeUnit(db: Q, wardId: number) {
  return db
    .selectFrom("org_units")
    .select(["id", "name"])
    .where("ward_id", "=", wardId)
    .where("valid_to", "is", null)
    .orderBy((eb) => eb.case().when("code", "=", "office").then(0).else(1).end())
    .orderBy("id")
    .executeTakeFirst();
}

/** Insert a ledger row unless the same (ward, source, source_ref) exists: the new id, or null when it existed. */
/** The whole row another feature recorded for one of its records (for the audit of its withdrawal). */
export function activityOfSource(db: Q, wardId: number, source: string, sourceRef: string) {
  return db
    .selectFrom("activities")
    .selectAll()
    .where("ward_id", "=", wardId)
    .where("source", "=", source)
    .where("source_ref", "=", sourceRef)
    .executeTakeFirst();
}

export async function deleteActivity(db: Q, id: number): Promise<void> {
  await db.deleteFrom("activities").where("id", "=", id).execute();
}

export async function setActivityAudience(db: Q, id: number, audience: number): Promise<void> {
  await db.updateTable("activities").set({ audience }).where("id", "=", id).execute();
}

export async function insertActivityOnce(trx: Q, row: Insertable<ActivityTable>): Promise<number | null> {
  // No conflict target: the partial index is the table's only UNIQUE besides the key, and naming its predicate
  // would need a literal (SQLite cannot match a partial index against a bound parameter).
  const r = await trx
    .insertInto("activities")
    .values(row)
    .onConflict((oc) => oc.doNothing())
    .returning("id")
    .executeTakeFirst();
  return r ? Number(r.id) : null;
}

/** Ledger rows of these wards with their unit's name: what the staff lists of activities show. */
const activityRows = (db: Q, wardIds: number[]) =>
  db
    .selectFrom("activities")
    .innerJoin("org_units", "org_units.id", "activities.org_unit_id")
    .select([
      "activities.id",
      "activities.ward_id",
      "activities.channel_kind",
      "activities.pillar",
      "activities.title",
      "activities.occurred_on",
      "activities.audience",
      "activities.cost",
      "activities.source",
      "activities.task_id",
      "org_units.name as unit_name",
    ])
    .where("activities.ward_id", "in", wardIds);

/**
 * Ledger rows recorded while no plan covered their date (plan_id null), of these wards, in date order (latest first).
 * `period` narrows to the rows a plan with that period would cover.
 */
export function planlessActivities(
  db: Q,
  wardIds: number[],
  opts: { period?: { from: string; to: string }; limit?: number },
) {
  let query = activityRows(db, wardIds).where("activities.plan_id", "is", null);
  if (opts.period)
    query = query
      .where("activities.occurred_on", ">=", opts.period.from)
      .where("activities.occurred_on", "<=", opts.period.to);
  query = query.orderBy("activities.occurred_on", "desc").orderBy("activities.id", "desc");
  return (opts.limit ? query.limit(opts.limit) : query).execute();
}

/** How many ledger rows of these wards have no plan, by year (ISO year of the day they happened). */
export async function planlessByYear(db: Q, wardIds: number[]) {
  const year = sql<string>`substr(occurred_on, 1, 4)`;
  const rows = await db
    .selectFrom("activities")
    .select([year.as("year"), (eb) => eb.fn.countAll<number | string>().as("n")])
    .where("plan_id", "is", null)
    .where("ward_id", "in", wardIds)
    .groupBy(year)
    .orderBy(year)
    .execute();
  return rows.map((r) => ({ year: String(r.year), count: Number(r.n) }));
}

/** Attach one planless ledger row to a plan, under the pillar chosen for it; only while it still has no plan. */
export async function attachActivityToPlan(trx: Q, activityId: number, planId: number, pillar: string) {
  const r = await trx
    .updateTable("activities")
    .set({ plan_id: planId, pillar })
    .where("id", "=", activityId)
    .where("plan_id", "is", null)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

/** What a ledger figure counts: rows of these wards in a period, optionally of a channel, a pillar ("none"), a plan. */
export interface LedgerFilter {
  from: string;
  to: string;
  channel?: string;
  pillar?: string;
  planId?: number | null;
}

/**
 * The one rule of which ledger rows a report counts, as a condition on `activities`: the report's sums
 * (`ledgerTotals`) and the staff list behind each sum (`activitiesMatching`) both filter with it.
 */
export function ledgerRowsOf(wardIds: number[], f: LedgerFilter) {
  return (eb: ExpressionBuilder<Database, "activities">) => {
    const parts: Expression<SqlBool>[] = [
      eb("activities.ward_id", "in", wardIds),
      eb("activities.occurred_on", ">=", f.from),
      eb("activities.occurred_on", "<=", f.to),
    ];
    if (f.channel) parts.push(eb("activities.channel_kind", "=", f.channel));
    if (f.pillar === "none") parts.push(eb("activities.pillar", "is", null));
    else if (f.pillar) parts.push(eb("activities.pillar", "=", f.pillar));
    if (f.planId != null) parts.push(eb("activities.plan_id", "=", f.planId));
    return eb.and(parts);
  };
}

/** Ledger rows of these wards in a period, summed by channel and pillar: what reports count. */
export async function ledgerTotals(db: Q, wardIds: number[], from: string, to: string, planId: number | null = null) {
  const rows = await db
    .selectFrom("activities")
    .select([
      "channel_kind",
      "pillar",
      (eb) => eb.fn.countAll<number | string>().as("n"),
      (eb) => eb.fn.sum<number | string | null>("audience").as("audience"),
      (eb) => eb.fn.sum<number | string | null>("cost").as("cost"),
    ])
    .where(ledgerRowsOf(wardIds, { from, to, planId }))
    .groupBy(["channel_kind", "pillar"])
    .execute();
  return rows.map((r) => ({
    channel: r.channel_kind,
    pillar: r.pillar,
    count: Number(r.n),
    audience: Number(r.audience ?? 0),
    cost: Number(r.cost ?? 0),
  }));
}

/** The ledger rows behind a figure (`ledgerRowsOf`), with their unit's name, newest first. */
export function activitiesMatching(db: Q, wardIds: number[], f: LedgerFilter, limit: number) {
  const query = activityRows(db, wardIds).where(ledgerRowsOf(wardIds, f));
  return query.orderBy("activities.occurred_on", "desc").orderBy("activities.id", "desc").limit(limit).execute();
}
