/** Every query of plan import and plan reading. */
import { type Kysely, sql, type Transaction } from "kysely";
import type { Database } from "../../core/db/schema.ts";

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
