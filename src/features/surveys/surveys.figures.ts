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
import { responsesBetween, roundsClosedIn } from "./surveys.sql.ts";

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

/**
 * The responses one report counts for a survey (or every survey) in a period: those of the rounds closed in it, each
 * round's window as the round counted it — the list behind the figure.
 */
export async function responsesOfPeriod(
  db: Kysely<Database>,
  wardIds: number[],
  period: { from: string; to: string },
  surveyId: number | null,
) {
  const { start, end } = vnDaysAsInstants(period.from, period.to);
  const rounds = (await roundsClosedIn(db, wardIds, start, end)).filter(
    (r) => surveyId == null || r.survey_id === surveyId,
  );
  const out: { id: number; title: string; roundNo: number; submittedAt: string }[] = [];
  for (const r of rounds)
    for (const p of await responsesBetween(db, r.survey_id, r.from_at, r.to_at)
      .select(["survey_responses.id", "survey_responses.submitted_at"])
      .orderBy("survey_responses.submitted_at")
      .execute())
      out.push({ id: p.id, title: r.title, roundNo: r.round_no, submittedAt: p.submitted_at });
  return out;
}

export async function satisfactionFigures(
  db: Kysely<Database>,
  wardIds: number[],
  period: { from: string; to: string },
): Promise<SatisfactionFigures> {
  const { start, end } = vnDaysAsInstants(period.from, period.to);
  const rounds = await roundsClosedIn(db, wardIds, start, end);
  const surveyIds = [...new Set(rounds.map((r) => r.survey_id))];
  const questions = (await Promise.all(surveyIds.map((id) => surveyQuestions(db, id)))).flat();
  const answers: Answer[] = [];
  for (const r of rounds) {
    const q = responsesBetween(db, r.survey_id, r.from_at, r.to_at)
      .innerJoin("survey_answers as a", "a.response_id", "survey_responses.id")
      .select(["a.question_id as questionId", "a.score", "survey_responses.month", "survey_responses.field"]);
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
