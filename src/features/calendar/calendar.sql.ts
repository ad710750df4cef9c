/**
 * Every query of the working-day calendar: the public holidays and make-up working days (`holidays`) and the
 * working days each feedback stage may take (`feedback_stage_days`), both from migration 008. The feedback
 * workflow reads the same tables when it computes a due date, so a change here applies to the next deadline.
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

export function stageDays(db: Q) {
  return db.selectFrom("feedback_stage_days").select(["stage", "working_days", "note"]).orderBy("stage").execute();
}

/** Set a stage's working days (the stage rows exist from migration 008; a missing one is added). */
export async function setStageDays(trx: Q, stage: string, days: number, note: string): Promise<void> {
  const r = await trx
    .updateTable("feedback_stage_days")
    .set({ working_days: days })
    .where("stage", "=", stage)
    .executeTakeFirst();
  if (Number(r.numUpdatedRows) === 0)
    await trx.insertInto("feedback_stage_days").values({ stage, working_days: days, note }).execute();
}
