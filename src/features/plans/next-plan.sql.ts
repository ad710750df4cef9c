/** Every query of next year's plan while it is a draft: the drafts of a ward and their workflow moves. */
import type { Insertable, Kysely, Transaction, Updateable } from "kysely";
import type { Database, PlanDraftTable } from "../../core/db/schema.ts";

type Q = Kysely<Database> | Transaction<Database>;

export const insertDraft = async (db: Q, row: Insertable<PlanDraftTable>) =>
  (await db.insertInto("plan_drafts").values(row).returning("id").executeTakeFirstOrThrow()).id;

/** One draft, only if it belongs to this ward. */
export const draftOf = (db: Q, wardId: number, id: number) =>
  db.selectFrom("plan_drafts").selectAll().where("id", "=", id).where("ward_id", "=", wardId).executeTakeFirst();

/** A ward's drafts, the newest first. */
export const draftsOfWard = (db: Q, wardId: number) =>
  db
    .selectFrom("plan_drafts")
    .select([
      "id",
      "year",
      "title",
      "status",
      "number",
      "symbol",
      "issued_on",
      "plan_id",
      "source_plan_id",
      "updated_at",
    ])
    .where("ward_id", "=", wardId)
    .orderBy("year", "desc")
    .orderBy("id", "desc")
    .limit(200)
    .execute();

/** Move a draft from one status to another (and change fields with it); false when it was no longer in `from`. */
export async function moveDraft(
  db: Q,
  wardId: number,
  id: number,
  from: string,
  changes: Updateable<PlanDraftTable>,
): Promise<boolean> {
  const r = await db
    .updateTable("plan_drafts")
    .set(changes)
    .where("id", "=", id)
    .where("ward_id", "=", wardId)
    .where("status", "=", from)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

/** Insert one task of an issued draft; its id. */
export const insertTask = async (db: Q, row: Insertable<Database["tasks"]>) =>
  (await db.insertInto("tasks").values(row).returning("id").executeTakeFirstOrThrow()).id;

export const insertTaskUnits = (db: Q, rows: Insertable<Database["task_units"]>[]) =>
  db.insertInto("task_units").values(rows).execute();
