/** A survey's results, as the public page and the API show them: the index by the formula of sipas.ts. */
import type { Kysely } from "kysely";
import type { Database } from "../../core/db/schema.ts";
import { computeIndex, type IndexResult, indexByMonth, round1 } from "./sipas.ts";
import { responseCount, type Survey, surveyAnswers, surveyQuestions } from "./surveys.service.ts";

export interface SurveyResults {
  survey: Survey;
  responses: number;
  index: IndexResult;
  months: { month: string; result: IndexResult }[];
}

export async function surveyResults(db: Kysely<Database>, survey: Survey): Promise<SurveyResults> {
  const [questions, answers, responses] = await Promise.all([
    surveyQuestions(db, survey.id),
    surveyAnswers(db, survey.id),
    responseCount(db, survey.id),
  ]);
  return {
    survey,
    responses,
    index: computeIndex(questions, answers),
    months: indexByMonth(questions, answers),
  };
}

/** The API's body: indices 0–100 with one decimal, or null. */
export function resultsJson(r: SurveyResults) {
  return {
    surveyId: r.survey.id,
    overall: round1(r.index.overall),
    factors: r.index.factors.map((f) => ({
      code: f.code,
      title: f.title,
      index: round1(f.index),
      criteria: f.criteria.map((c) => ({ code: c.code, text: c.text, index: round1(c.index), answers: c.answers })),
    })),
    byMonth: r.months.map((m) => ({ month: m.month, overall: round1(m.result.overall) })),
  };
}
