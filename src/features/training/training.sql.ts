/** SQL of the training list and the commendations list: always filtered by ward. */
import type { Kysely, Transaction } from "kysely";
import type { Database } from "../../core/db/schema.ts";

type Q = Kysely<Database> | Transaction<Database>;

export function trainingOf(db: Q, wardIds: number[], period?: { from: string; to: string }) {
  let q = db
    .selectFrom("training_records")
    .innerJoin("org_units", "org_units.id", "training_records.org_unit_id")
    .selectAll("training_records")
    .select("org_units.name as unit_name")
    .where("training_records.ward_id", "in", wardIds);
  if (period)
    q = q.where("training_records.ends_on", ">=", period.from).where("training_records.ends_on", "<=", period.to);
  return q.orderBy("training_records.starts_on", "desc").orderBy("training_records.id", "desc").execute();
}

export function commendationsOf(db: Q, wardIds: number[], period?: { from: string; to: string }) {
  let q = db
    .selectFrom("commendations")
    .leftJoin("org_units", "org_units.id", "commendations.org_unit_id")
    .selectAll("commendations")
    .select("org_units.name as unit_name")
    .where("commendations.ward_id", "in", wardIds);
  if (period)
    q = q.where("commendations.decided_on", ">=", period.from).where("commendations.decided_on", "<=", period.to);
  return q.orderBy("commendations.decided_on", "desc").orderBy("commendations.id", "desc").execute();
}

export const trainingById = (db: Q, id: number) =>
  db.selectFrom("training_records").selectAll().where("id", "=", id).executeTakeFirst();
export const commendationById = (db: Q, id: number) =>
  db.selectFrom("commendations").selectAll().where("id", "=", id).executeTakeFirst();

export interface TrainingRow {
  person_name: string;
  position: string;
  org_unit_id: number;
  course: string;
  organiser: string;
  starts_on: string;
  ends_on: string;
  attendance: string;
}

export async function insertTraining(trx: Q, wardId: number, r: TrainingRow, by: number | null, now: string) {
  return (
    await trx
      .insertInto("training_records")
      .values({ ward_id: wardId, ...r, created_by: by, created_at: now, updated_at: now })
      .returning("id")
      .executeTakeFirstOrThrow()
  ).id;
}
export const updateTraining = (trx: Q, id: number, r: TrainingRow, now: string) =>
  trx
    .updateTable("training_records")
    .set({ ...r, updated_at: now })
    .where("id", "=", id)
    .execute();
export const deleteTraining = (trx: Q, id: number) => trx.deleteFrom("training_records").where("id", "=", id).execute();

export interface CommendationRow {
  recipient_kind: string;
  person_name: string | null;
  position: string | null;
  org_unit_id: number | null;
  form: string;
  decision: string;
  decided_on: string;
  reason: string;
}

export async function insertCommendation(trx: Q, wardId: number, r: CommendationRow, by: number | null, now: string) {
  return (
    await trx
      .insertInto("commendations")
      .values({ ward_id: wardId, ...r, created_by: by, created_at: now, updated_at: now })
      .returning("id")
      .executeTakeFirstOrThrow()
  ).id;
}
export const updateCommendation = (trx: Q, id: number, r: CommendationRow, now: string) =>
  trx
    .updateTable("commendations")
    .set({ ...r, updated_at: now })
    .where("id", "=", id)
    .execute();
export const deleteCommendation = (trx: Q, id: number) =>
  trx.deleteFrom("commendations").where("id", "=", id).execute();

/** An org unit's ward, to check a chosen unit belongs to the ward. */
export const orgUnitWard = (db: Q, id: number) =>
  db.selectFrom("org_units").select(["id", "ward_id"]).where("id", "=", id).executeTakeFirst();
