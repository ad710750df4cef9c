/**
 * A survey's results, as the public page and the API show them: the index by the formula of sipas.ts, overall, per
 * month and per field (lĩnh vực) of the procedures the answers are about.
 */

import type { Kysely } from "kysely";
import type { Database } from "../../core/db/schema.ts";
import { compareVi } from "../../core/text/vi.ts";
import {
  type Answer,
  computeIndex,
  type IndexResult,
  indexByField,
  indexByMonth,
  type Question,
  round1,
} from "./sipas.ts";
import { responseCount, type Survey, surveyAnswers, surveyQuestions } from "./surveys.service.ts";

export interface SurveyResults {
  survey: Survey;
  responses: number;
  index: IndexResult;
  months: { month: string; result: IndexResult }[];
  /** Per field (lĩnh vực) of the procedures the answers are about; null: the respondent named none. */
  fields: { field: string | null; result: IndexResult }[];
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
    fields: indexPerField(questions, answers),
  };
}

/** Pure: the index per field, named fields first in Vietnamese order, answers about no field last. */
export function indexPerField(questions: readonly Question[], answers: readonly Answer[]) {
  return indexByField(questions, answers).sort(
    (a, b) => Number(a.field === null) - Number(b.field === null) || compareVi(a.field ?? "", b.field ?? ""),
  );
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
    byField: r.fields.map((f) => ({
      field: f.field,
      overall: round1(f.result.overall),
      answers: f.result.answers,
      factors: f.result.factors.map((x) => ({ code: x.code, index: round1(x.index) })),
    })),
  };
}
