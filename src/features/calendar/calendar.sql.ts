/**
 * Every query of the working-day calendar: the public holidays and make-up working days (`holidays`, national) and
 * the working days each feedback stage may take (`feedback_stage_days`, the national defaults, and
 * `feedback_stage_days_local`, a ward's or province's own, migration 018). The feedback workflow reads them through
 * `stageDaysOfWard` when it computes a due date, so a change here applies to the next deadline.
 */
import type { Kysely, Transaction } from "kysely";
import type { Database } from "../../core/db/schema.ts";

type Q = Kysely<Database> | Transaction<Database>;

/** Every calendar entry, in date order (a few dozen a year). */
export function allHolidays(db: Q) {
  return db.selectFrom("holidays").select(["id", "date", "kind", "name"]).orderBy("date").orderBy("id").execute();
}

export function holidayById(db: Q, id: number) {
  return db.selectFrom("holidays").select(["id", "date", "kind", "name"]).where("id", "=", id).executeTakeFirst();
}

export function holidayOn(db: Q, date: string) {
  return db.selectFrom("holidays").select(["id", "kind", "name"]).where("date", "=", date).executeTakeFirst();
}

export async function insertHoliday(trx: Q, row: { date: string; kind: string; name: string }): Promise<number> {
  const r = await trx.insertInto("holidays").values(row).returning("id").executeTakeFirstOrThrow();
  return Number(r.id);
}

/** Remove one entry; true when this call removed it. */
export async function deleteHoliday(trx: Q, id: number): Promise<boolean> {
  const r = await trx.deleteFrom("holidays").where("id", "=", id).executeTakeFirst();
  return Number(r.numDeletedRows) > 0;
}

/** The national working days per stage: the defaults every ward reads until it sets its own. */
export function nationalStageDays(db: Q) {
  return db.selectFrom("feedback_stage_days").select(["stage", "working_days", "note"]).orderBy("stage").execute();
}

/** The own values of these owners (a ward's, its province's). */
export function localStageDays(db: Q, owners: readonly string[]) {
  return db
    .selectFrom("feedback_stage_days_local")
    .select(["owner", "stage", "working_days"])
    .where("owner", "in", owners.length ? [...owners] : [""])
    .execute();
}

/** The province a ward lies in, if the register knows it. */
export async function provinceIdOf(db: Q, wardId: number): Promise<number | null> {
  const r = await db.selectFrom("admin_units").select("parent_id").where("id", "=", wardId).executeTakeFirst();
  return r?.parent_id ?? null;
}

/** Set a stage's national working days (the stage rows exist from migration 008; a missing one is added). */
export async function setNationalStageDays(trx: Q, stage: string, days: number, note: string): Promise<void> {
  const r = await trx
    .updateTable("feedback_stage_days")
    .set({ working_days: days })
    .where("stage", "=", stage)
    .executeTakeFirst();
  if (Number(r.numUpdatedRows) === 0)
    await trx.insertInto("feedback_stage_days").values({ stage, working_days: days, note }).execute();
}

/** Set an owner's own working days for a stage (a ward's or a province's), beside the national row. */
export async function setLocalStageDays(trx: Q, owner: string, stage: string, days: number): Promise<void> {
  const r = await trx
    .updateTable("feedback_stage_days_local")
    .set({ working_days: days })
    .where("owner", "=", owner)
    .where("stage", "=", stage)
    .executeTakeFirst();
  if (Number(r.numUpdatedRows) === 0)
    await trx.insertInto("feedback_stage_days_local").values({ owner, stage, working_days: days }).execute();
}

/** Drop an owner's own values: the ward reads the national (or provincial) ones again. */
export async function clearLocalStageDays(trx: Q, owner: string): Promise<number> {
  const r = await trx.deleteFrom("feedback_stage_days_local").where("owner", "=", owner).executeTakeFirst();
  return Number(r.numDeletedRows);
}
