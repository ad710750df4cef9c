/**
 * Queries of survey rounds and of the responses they cover, and the public list of surveys with their response
 * counts (the older survey queries live in surveys.service.ts).
 */
import type { Kysely, Transaction } from "kysely";
import type { Database } from "../../core/db/schema.ts";

type Q = Kysely<Database> | Transaction<Database>;

/** A survey's latest closed round, if any. */
export function lastRound(db: Q, surveyId: number) {
  return db
    .selectFrom("survey_rounds")
    .select(["round_no", "to_at"])
    .where("survey_id", "=", surveyId)
    .orderBy("round_no", "desc")
    .executeTakeFirst();
}

/** Responses of a survey sent after `fromAt` (exclusive; null: from the start) up to `toAt` (inclusive): a round's. */
export function responsesBetween(db: Q, surveyId: number, fromAt: string | null, toAt: string) {
  let query = db
    .selectFrom("survey_responses")
    .where("survey_responses.survey_id", "=", surveyId)
    .where("survey_responses.submitted_at", "<=", toAt);
  if (fromAt) query = query.where("survey_responses.submitted_at", ">", fromAt);
  return query;
}

export async function countResponsesBetween(db: Q, surveyId: number, fromAt: string | null, toAt: string) {
  const row = await responsesBetween(db, surveyId, fromAt, toAt)
    .select((eb) => eb.fn.countAll().as("n"))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** The rounds of these wards' surveys closed within [start, end] (instants): what a report's period counts. */
export function roundsClosedIn(db: Q, wardIds: number[], start: string, end: string) {
  return db
    .selectFrom("survey_rounds as r")
    .innerJoin("surveys as s", "s.id", "r.survey_id")
    .select(["r.survey_id", "r.round_no", "r.from_at", "r.to_at", "r.responses", "s.title"])
    .where("s.ward_id", "in", wardIds)
    .where("r.to_at", ">=", start)
    .where("r.to_at", "<=", end)
    .orderBy("r.survey_id")
    .orderBy("r.round_no")
    .execute();
}

export async function insertRound(
  trx: Q,
  row: {
    survey_id: number;
    round_no: number;
    from_at: string | null;
    to_at: string;
    responses: number;
    closed_by: number;
  },
): Promise<number> {
  const r = await trx.insertInto("survey_rounds").values(row).returning("id").executeTakeFirstOrThrow();
  return Number(r.id);
}

/** Stop taking answers; true when this call closed it. */
export async function closeSurvey(trx: Q, surveyId: number): Promise<boolean> {
  const r = await trx
    .updateTable("surveys")
    .set({ open: 0 })
    .where("id", "=", surveyId)
    .where("open", "=", 1)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) > 0;
}

/** Rounds closed per survey of a ward, with the end of the latest. */
export async function roundsOfWard(db: Q, wardId: number) {
  const rows = await db
    .selectFrom("survey_rounds")
    .innerJoin("surveys", "surveys.id", "survey_rounds.survey_id")
    .select([
      "survey_rounds.survey_id",
      (eb) => eb.fn.count("survey_rounds.id").as("n"),
      (eb) => eb.fn.max("survey_rounds.to_at").as("last_to_at"),
    ])
    .where("surveys.ward_id", "=", wardId)
    .groupBy("survey_rounds.survey_id")
    .execute();
  return rows.map((r) => ({ surveyId: r.survey_id, rounds: Number(r.n), lastToAt: r.last_to_at as string | null }));
}

/** Surveys of these wards with the number of responses each has received, open ones first, newest first. */
export async function surveysWithResponseCounts(db: Q, wardIds: readonly number[]) {
  if (wardIds.length === 0) return [];
  const rows = await db
    .selectFrom("surveys")
    .leftJoin("survey_responses", "survey_responses.survey_id", "surveys.id")
    .select([
      "surveys.id",
      "surveys.title",
      "surveys.field",
      "surveys.open",
      "surveys.created_at",
      (eb) => eb.fn.count("survey_responses.id").as("responses"),
    ])
    .where("surveys.ward_id", "in", [...wardIds])
    .groupBy(["surveys.id", "surveys.title", "surveys.field", "surveys.open", "surveys.created_at"])
    .orderBy("surveys.open", "desc")
    .orderBy("surveys.id", "desc")
    .execute();
  return rows.map((r) => ({ ...r, open: Number(r.open) === 1, responses: Number(r.responses) }));
}
