/**
 * The satisfaction index of a report's period: the rounds of the ward's surveys closed in the period (Vietnamese
 * calendar days), each round's responses (sent after the previous round's end, up to its own), scored by the one
 * formula of sipas.ts (`computeIndex`) over the questions of their surveys — criteria of the same factor code from
 * several surveys count together, as the factor's mean. Computed from stored answers only.
 */
import type { Kysely } from "kysely";
import type { Database } from "../../core/db/schema.ts";
import { vnDaysAsInstants } from "../../core/text/vi.ts";
import { type Answer, computeIndex, round1 } from "./sipas.ts";
import { surveyQuestions } from "./surveys.service.ts";

export interface SatisfactionFigures {
  /** Rounds closed in the period, and the responses they count. */
  rounds: number;
  responses: number;
  /** 0–100 with one decimal, null when no answer went in. */
  overall: number | null;
  /** The five SIPAS factors (or a survey's own), in the order of their first question. */
  factors: { code: string; title: string; index: number | null }[];
  /** The surveys whose rounds count, with their rounds and responses, for links to their results. */
  surveys: { id: number; rounds: number; responses: number }[];
}

export async function satisfactionFigures(
  db: Kysely<Database>,
  wardIds: number[],
  period: { from: string; to: string },
): Promise<SatisfactionFigures> {
  const { start, end } = vnDaysAsInstants(period.from, period.to);
  const rounds = await db
    .selectFrom("survey_rounds as r")
    .innerJoin("surveys as s", "s.id", "r.survey_id")
    .select(["r.survey_id", "r.from_at", "r.to_at", "r.responses"])
    .where("s.ward_id", "in", wardIds)
    .where("r.to_at", ">=", start)
    .where("r.to_at", "<=", end)
    .orderBy("r.survey_id")
    .orderBy("r.round_no")
    .execute();
  const surveyIds = [...new Set(rounds.map((r) => r.survey_id))];
  const questions = (await Promise.all(surveyIds.map((id) => surveyQuestions(db, id)))).flat();
  const answers: Answer[] = [];
  for (const r of rounds) {
    let q = db
      .selectFrom("survey_answers as a")
      .innerJoin("survey_responses as p", "p.id", "a.response_id")
      .select(["a.question_id as questionId", "a.score", "p.month", "p.field"])
      .where("p.survey_id", "=", r.survey_id)
      .where("p.submitted_at", "<=", r.to_at);
    if (r.from_at) q = q.where("p.submitted_at", ">", r.from_at);
    for (const a of await q.execute()) answers.push({ ...a, score: Number(a.score) });
  }
  const index = computeIndex(questions, answers);
  return {
    rounds: rounds.length,
    responses: rounds.reduce((n, r) => n + Number(r.responses), 0),
    overall: round1(index.overall),
    factors: index.factors.map((f) => ({ code: f.code, title: f.title, index: round1(f.index) })),
    surveys: surveyIds.map((id) => {
      const mine = rounds.filter((r) => r.survey_id === id);
      return { id, rounds: mine.length, responses: mine.reduce((n, r) => n + Number(r.responses), 0) };
    }),
  };
}
