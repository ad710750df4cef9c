/** Every query of plan import and plan reading. */
import { type Kysely, PostgresAdapter, sql, type Transaction } from "kysely";
import { jsonArrayFrom as pgJsonArrayFrom } from "kysely/helpers/postgres";
import { jsonArrayFrom as sqliteJsonArrayFrom } from "kysely/helpers/sqlite";
import type { Database } from "../../core/db/schema.ts";
import type { LedgerSumRow } from "./ledger-sums.ts";
import { ledgerSumsSelect } from "./tracking.sql.ts";

type Q = Kysely<Database> | Transaction<Database>;

export function planByIdentity(db: Q, wardId: number, numberKey: string, issuedOn: string) {
  return db
    .selectFrom("plans")
    .selectAll()
    .where("ward_id", "=", wardId)
    .where("number_key", "=", numberKey)
    .where("issued_on", "=", issuedOn)
    .executeTakeFirst();
}

export function planById(db: Q, id: number) {
  return db.selectFrom("plans").selectAll().where("id", "=", id).executeTakeFirst();
}

const onPostgres = (db: Q) => db.getExecutor().adapter instanceof PostgresAdapter;

/** A JSON array column as read: PostgreSQL's driver parses json itself, SQLite hands back its text. */
function jsonRows<T>(value: unknown): T[] {
  const v = typeof value === "string" ? JSON.parse(value) : value;
  return Array.isArray(v) ? (v as T[]) : [];
}

/**
 * A plan and all its parts in one statement: its content areas, channels, references, live tasks (with their
 * latest work when `lastWork`), the tasks' units, its budget lines and (`ledgerSums`) the ledger's sums, each part a
 * JSON array in document order. Each part is the same query `loadPlan` used to send on its own (seven or eight round
 * trips, each parsed, planned and answered apart: most of a plan page's cost at a province's size).
 */
export async function planWithParts(db: Q, planId: number, opts: { lastWork?: boolean; ledgerSums?: boolean } = {}) {
  // Built and compiled once per dialect and shape, then run with this plan's id: Kysely would otherwise build and
  // compile the statement's tree (seven subqueries) on every page, a good part of the page's own CPU.
  const key = `${onPostgres(db) ? "postgres" : "sqlite"}:${Boolean(opts.lastWork)}:${Boolean(opts.ledgerSums)}`;
  let compiled = compiledPlanQueries.get(key);
  if (!compiled) {
    const once = planWithPartsQuery(db, ANY_PLAN_ID, opts).compile();
    // Only the plan's id may vary: a statement with other values is compiled per call instead of kept.
    if (once.parameters.every((p) => p === ANY_PLAN_ID)) compiledPlanQueries.set(key, once);
    compiled = once;
  }
  const withId: PlanWithPartsCompiled = { ...compiled, parameters: compiled.parameters.map(() => planId) };
  const { rows } = await db.executeQuery(withId);
  const row = rows[0];
  if (!row) return null;
  const {
    parts_areas,
    parts_channels,
    parts_references,
    parts_tasks,
    parts_task_units,
    parts_budget_lines,
    parts_sums,
    ...plan
  } = row;
  return {
    plan,
    areas: jsonRows<(typeof parts_areas)[number]>(parts_areas),
    channels: jsonRows<(typeof parts_channels)[number]>(parts_channels),
    references: jsonRows<(typeof parts_references)[number]>(parts_references),
    tasks: jsonRows<(typeof parts_tasks)[number]>(parts_tasks),
    taskUnits: jsonRows<(typeof parts_task_units)[number]>(parts_task_units),
    budgetLines: jsonRows<(typeof parts_budget_lines)[number]>(parts_budget_lines),
    sums: opts.ledgerSums ? jsonRows<LedgerSumRow>(parts_sums) : null,
  };
}

const PLAN_COLUMNS = [
  "plans.id",
  "plans.ward_id",
  "plans.kind",
  "plans.number",
  "plans.number_key",
  "plans.issued_on",
  "plans.title",
  "plans.place",
  "plans.issuer",
  "plans.period_from",
  "plans.period_to",
  "plans.basis_json",
  "plans.purposes_json",
  "plans.requirements_json",
  "plans.documents_text",
  "plans.mentions_json",
  "plans.recipients_json",
  "plans.signer_position",
  "plans.signer_name",
  "plans.signer_authority",
  "plans.signer_on_behalf_of",
  "plans.budget_stated",
  "plans.budget_edited_at",
  "plans.source_hash",
  "plans.created_at",
  "plans.updated_at",
] as const;

/** A value no plan id takes, standing for the id in the compiled statement kept by `planWithParts`. */
const ANY_PLAN_ID = -987_654_321;
type PlanWithPartsCompiled = ReturnType<ReturnType<typeof planWithPartsQuery>["compile"]>;
const compiledPlanQueries = new Map<string, PlanWithPartsCompiled>();

function planWithPartsQuery(db: Q, planId: number, opts: { lastWork?: boolean; ledgerSums?: boolean }) {
  const arrayFrom = onPostgres(db) ? pgJsonArrayFrom : sqliteJsonArrayFrom;
  const sums = onPostgres(db)
    ? sql<unknown>`(select coalesce(json_agg(s), '[]') from (${ledgerSumsSelect(planId)}) as s)`
    : sql<unknown>`(select coalesce(json_group_array(json_object('kind', s.kind, 'pillar', s.pillar,
        'channel_kind', s.channel_kind, 'org_unit_id', s.org_unit_id, 'unit_name', s.unit_name, 'n', s.n,
        'audience', s.audience, 'cost', s.cost)), '[]') from (${ledgerSumsSelect(planId)}) as s)`;
  return (
    db
      .selectFrom("plans")
      // Every column but the imported text itself (`source_text`, most of the row), which no page of a plan shows.
      .select(PLAN_COLUMNS)
      .select((eb) => [
        arrayFrom(
          eb
            .selectFrom("plan_content_areas as x")
            .select(["x.id", "x.plan_id", "x.code", "x.title", "x.pillar", "x.items_json", "x.position"])
            .whereRef("x.plan_id", "=", "plans.id")
            .orderBy("x.position"),
        ).as("parts_areas"),
        arrayFrom(
          eb
            .selectFrom("plan_channels as x")
            .select(["x.id", "x.plan_id", "x.code", "x.title", "x.kind", "x.position"])
            .whereRef("x.plan_id", "=", "plans.id")
            .orderBy("x.position"),
        ).as("parts_channels"),
        arrayFrom(
          eb
            .selectFrom("plan_references as x")
            .leftJoin("legal_citations as c", (j) =>
              j.onRef("c.plan_id", "=", "x.plan_id").onRef("c.position", "=", "x.position"),
            )
            .select([
              "x.id",
              "x.plan_id",
              "x.kind",
              "x.number",
              "x.title",
              "x.issued_on",
              "x.issuer",
              "x.year",
              "x.position",
              "c.document_id",
            ])
            .whereRef("x.plan_id", "=", "plans.id")
            .orderBy("x.position"),
        ).as("parts_references"),
        arrayFrom(
          eb
            .selectFrom("tasks as t")
            .select([
              "t.id",
              "t.plan_id",
              "t.ward_id",
              "t.group_code",
              "t.group_heading",
              "t.position",
              "t.text",
              "t.text_key",
              "t.status",
              "t.due_on",
              "t.recurrence",
              "t.removed_at",
              "t.created_at",
              "t.updated_at",
              (opts.lastWork
                ? sql<string | null>`(select max(a.occurred_on) from activities a where a.task_id = t.id)`
                : sql<string | null>`null`
              ).as("last_on"),
              (opts.lastWork
                ? sql<string | null>`(select max(u.at) from task_updates u where u.task_id = t.id)`
                : sql<string | null>`null`
              ).as("last_at"),
            ])
            .whereRef("t.plan_id", "=", "plans.id")
            .where("t.removed_at", "is", null)
            .orderBy("t.position"),
        ).as("parts_tasks"),
        arrayFrom(
          eb
            .selectFrom("task_units as tu")
            .innerJoin("tasks as t", "t.id", "tu.task_id")
            .innerJoin("org_units as o", "o.id", "tu.org_unit_id")
            .select(["tu.task_id", "tu.role", "o.id as unit_id", "o.name as unit_name", "o.kind as unit_kind"])
            .whereRef("t.plan_id", "=", "plans.id")
            .orderBy("tu.id"),
        ).as("parts_task_units"),
        arrayFrom(
          eb
            .selectFrom("plan_budget_lines as b")
            .leftJoin("org_units as o", "o.id", "b.org_unit_id")
            .select([
              "b.id",
              "b.plan_id",
              "b.position",
              "b.amount",
              "b.source",
              "b.purpose",
              "b.channel_kind",
              "b.org_unit_id",
              "o.name as unit_name",
            ])
            .whereRef("b.plan_id", "=", "plans.id")
            .orderBy("b.position")
            .orderBy("b.id"),
        ).as("parts_budget_lines"),
        (opts.ledgerSums ? sums : sql<unknown>`null`).as("parts_sums"),
      ])
      .where("plans.id", "=", planId)
  );
}

/** Plans visible in a ward: its own and its predecessors'. */
export function plansOfWards(db: Q, wardIds: number[]) {
  return db
    .selectFrom("plans")
    .innerJoin("admin_units", "admin_units.id", "plans.ward_id")
    .select([
      "plans.id",
      "plans.number",
      "plans.title",
      "plans.issued_on",
      "plans.period_from",
      "plans.period_to",
      "plans.ward_id",
      "admin_units.code as ward_code",
      "admin_units.name as ward_name",
      "admin_units.valid_to as ward_valid_to",
    ])
    .where("plans.ward_id", "in", wardIds)
    .orderBy("plans.issued_on", "desc")
    .orderBy("plans.id", "desc")
    .execute();
}

export function contentAreasOf(db: Q, planId: number) {
  return db.selectFrom("plan_content_areas").selectAll().where("plan_id", "=", planId).orderBy("position").execute();
}

export function channelsOf(db: Q, planId: number) {
  return db.selectFrom("plan_channels").selectAll().where("plan_id", "=", planId).orderBy("position").execute();
}

/** A plan's cited documents, each with its entry in the ward's library (documents feature), when linked. */
export function referencesOf(db: Q, planId: number) {
  return db
    .selectFrom("plan_references")
    .leftJoin("legal_citations", (j) =>
      j
        .onRef("legal_citations.plan_id", "=", "plan_references.plan_id")
        .onRef("legal_citations.position", "=", "plan_references.position"),
    )
    .selectAll("plan_references")
    .select("legal_citations.document_id")
    .where("plan_references.plan_id", "=", planId)
    .orderBy("plan_references.position")
    .execute();
}

/** Live tasks of a plan (not retired by a later revision), in document order. */
export function tasksOf(db: Q, planId: number, opts: { includeRemoved?: boolean } = {}) {
  let q = db.selectFrom("tasks").selectAll().where("plan_id", "=", planId);
  if (!opts.includeRemoved) q = q.where("removed_at", "is", null);
  return q.orderBy("position").execute();
}

/**
 * A plan's live tasks with their latest work (latest activity day, latest update instant), each looked up through
 * the (task, day) and (task, instant) indexes: what the plan pages show and the overdue rule reads, in one statement.
 */
export function liveTasksWithLastWork(db: Q, planId: number) {
  return db
    .selectFrom("tasks")
    .selectAll()
    .select([
      sql<string | null>`(select max(a.occurred_on) from activities a where a.task_id = tasks.id)`.as("last_on"),
      sql<string | null>`(select max(u.at) from task_updates u where u.task_id = tasks.id)`.as("last_at"),
    ])
    .where("plan_id", "=", planId)
    .where("removed_at", "is", null)
    .orderBy("position")
    .execute();
}

export function taskUnitsOfPlan(db: Q, planId: number) {
  return db
    .selectFrom("task_units")
    .innerJoin("tasks", "tasks.id", "task_units.task_id")
    .innerJoin("org_units", "org_units.id", "task_units.org_unit_id")
    .select([
      "task_units.task_id",
      "task_units.role",
      "org_units.id as unit_id",
      "org_units.name as unit_name",
      "org_units.kind as unit_kind",
    ])
    .where("tasks.plan_id", "=", planId)
    .orderBy("task_units.id")
    .execute();
}

/** Latest activity or update date per task of a plan (drives the overdue check of recurring tasks). */
export function lastWorkOnTasks(db: Q, planId: number) {
  return db
    .selectFrom("activities")
    .select(["task_id", (eb) => eb.fn.max("occurred_on").as("last_on")])
    .where("plan_id", "=", planId)
    .where("task_id", "is not", null)
    .groupBy("task_id")
    .execute();
}

export const deletePlanParts = async (trx: Transaction<Database>, planId: number) => {
  await trx.deleteFrom("plan_content_areas").where("plan_id", "=", planId).execute();
  await trx.deleteFrom("plan_channels").where("plan_id", "=", planId).execute();
  await trx.deleteFrom("legal_citations").where("plan_id", "=", planId).execute();
  await trx.deleteFrom("plan_references").where("plan_id", "=", planId).execute();
};

/** The national vocabularies (pillars, channel kinds) in their stated order. */
export function vocabularyRows(db: Q) {
  return db
    .selectFrom("vocabularies")
    .select(["vocabulary", "code", "label"])
    .orderBy("vocabulary")
    .orderBy("position")
    .execute();
}

/** Content areas of the wards' plans (a ward and its predecessors), newest plan first: the channels' choices. */
export function contentAreasOfWards(db: Q, wardIds: readonly number[]) {
  return db
    .selectFrom("plan_content_areas")
    .innerJoin("plans", "plans.id", "plan_content_areas.plan_id")
    .select([
      "plan_content_areas.id",
      "plan_content_areas.code",
      "plan_content_areas.title",
      "plan_content_areas.pillar",
      "plans.number as plan_number",
    ])
    .where("plans.ward_id", "in", wardIds)
    .orderBy("plans.id", "desc")
    .orderBy("plan_content_areas.position")
    .execute();
}
