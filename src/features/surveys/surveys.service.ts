/**
 * Survey use cases: create a survey for a field with the default SIPAS questions (audited), read a survey and its
 * questions, store one anonymous response per one-time form token, and the raw answers its results are computed
 * from (sipas.ts). Scores are checked here too, and by the table's CHECK.
 */
import type { Kysely } from "kysely";
import { z } from "zod";
import { type Actor, audit } from "../../core/audit.ts";
import type { Database } from "../../core/db/schema.ts";
import { vnToday } from "../../core/text/vi.ts";
import { oneLine, optionalIdField, type Validated, validate } from "../../core/web/validation.ts";
import { type Answer, defaultQuestions, type Question } from "./sipas.ts";
import { surveysWithResponseCounts } from "./surveys.sql.ts";

type Db = Kysely<Database>;

export const SCORE_MESSAGE = "Mức hài lòng phải là một số nguyên từ 1 đến 5.";
export const NONE_MESSAGE = "Hãy chọn mức hài lòng cho ít nhất một tiêu chí.";

export const surveyInput = z.object({
  title: z.preprocess(
    oneLine,
    z
      .string({ error: "Cần nhập tên cuộc khảo sát." })
      .min(5, "Tên cuộc khảo sát cần ít nhất 5 ký tự.")
      .max(200, "Tên cuộc khảo sát tối đa 200 ký tự."),
  ),
  field: z.preprocess(
    (v) => (typeof v === "string" && oneLine(v) === "" ? undefined : oneLine(v)),
    z.string().max(200, "Lĩnh vực tối đa 200 ký tự.").optional(),
  ),
  orgUnitId: optionalIdField("Chọn đơn vị thực hiện khảo sát."),
});
export type SurveyInput = z.infer<typeof surveyInput>;

/**
 * Create a survey with the 22 default criteria as its questions; audited in the same transaction. `units`: the
 * ward's units in force, the only ones that may run it; none chosen: the office unit (code "office"), which runs
 * ward-wide work such as the satisfaction survey, else the first unit.
 */
export async function createSurvey(
  db: Db,
  actor: Actor,
  wardId: number,
  input: SurveyInput,
  units: readonly { id: number; code: string | null }[],
  now: Date,
): Promise<Validated<number>> {
  if (input.orgUnitId != null && !units.some((u) => u.id === input.orgUnitId))
    return { ok: false, errors: { orgUnitId: "Chọn một đơn vị của phường." } };
  const orgUnitId = input.orgUnitId ?? defaultSurveyUnit(units)?.id ?? null;
  const id = await db.transaction().execute(async (trx) => {
    const row = await trx
      .insertInto("surveys")
      .values({
        ward_id: wardId,
        title: input.title,
        field: input.field ?? null,
        open: 1,
        org_unit_id: orgUnitId,
        created_at: now.toISOString(),
      })
      .returning("id")
      .executeTakeFirstOrThrow();
    await trx
      .insertInto("survey_questions")
      .values(
        defaultQuestions().map((q) => ({
          survey_id: row.id,
          factor: q.factor,
          factor_title: q.factorTitle,
          criterion: q.criterion,
          text: q.text,
          position: q.position,
        })),
      )
      .execute();
    await audit(
      trx,
      actor,
      { action: "survey.create", entity: "survey", entityId: row.id, wardId, after: { ...input, orgUnitId } },
      now,
    );
    return row.id;
  });
  return { ok: true, value: id };
}

/** The unit a survey is run by when staff choose none: the office unit, else the first. */
export const defaultSurveyUnit = <U extends { code: string | null }>(units: readonly U[]): U | undefined =>
  units.find((u) => u.code === "office") ?? units[0];

export type Survey = NonNullable<Awaited<ReturnType<typeof findSurvey>>>;

/** A survey of one of these wards (the ward and its predecessors); undefined otherwise. */
export function findSurvey(db: Db, id: number, wardIds: readonly number[]) {
  return db
    .selectFrom("surveys")
    .selectAll()
    .where("id", "=", id)
    .where("ward_id", "in", [...wardIds])
    .executeTakeFirst();
}

/** One survey as citizens see it listed: what it is about and how many have answered so far. */
export interface PublicSurvey {
  id: number;
  title: string;
  field: string | null;
  createdAt: string;
  responses: number;
}

/**
 * The surveys a ward's citizens may take part in or read the results of: its own and its predecessors' (the
 * records it carries, whose pages findSurvey serves), split into open and closed, newest first in each.
 */
export async function publicSurveyList(
  db: Db,
  wardIds: readonly number[],
): Promise<{ open: PublicSurvey[]; closed: PublicSurvey[] }> {
  const rows = await surveysWithResponseCounts(db, wardIds);
  const out = { open: [] as PublicSurvey[], closed: [] as PublicSurvey[] };
  for (const r of rows)
    (r.open ? out.open : out.closed).push({
      id: r.id,
      title: r.title,
      field: r.field,
      createdAt: r.created_at,
      responses: r.responses,
    });
  return out;
}

export function listSurveys(db: Db, wardId: number) {
  return db.selectFrom("surveys").selectAll().where("ward_id", "=", wardId).orderBy("id", "desc").execute();
}

export async function surveyQuestions(db: Db, surveyId: number): Promise<Question[]> {
  const rows = await db
    .selectFrom("survey_questions")
    .selectAll()
    .where("survey_id", "=", surveyId)
    .orderBy("position")
    .orderBy("id")
    .execute();
  return rows.map((r) => ({
    id: r.id,
    factor: r.factor,
    factorTitle: r.factor_title,
    criterion: r.criterion,
    text: r.text,
    position: r.position,
  }));
}

/**
 * The scores of a sent form: fields `q{questionId}` of this survey's questions, each an integer 1–5 or empty.
 * Errors are keyed `q{id}`; `_` when nothing was chosen.
 */
export function readScores(
  values: Record<string, string>,
  questions: readonly Question[],
): Validated<Map<number, number>> {
  const scores = new Map<number, number>();
  const errors: Record<string, string> = {};
  for (const q of questions) {
    const raw = values[`q${q.id}`]?.trim();
    if (!raw) continue;
    if (!/^[1-5]$/.test(raw)) errors[`q${q.id}`] = SCORE_MESSAGE;
    else scores.set(q.id, Number(raw));
  }
  if (Object.keys(errors).length) return { ok: false, errors };
  if (scores.size === 0) return { ok: false, errors: { _: NONE_MESSAGE } };
  return { ok: true, value: scores };
}

const tokenUsed = async (db: Db, token: string) =>
  (await db.selectFrom("survey_responses").select("id").where("form_token", "=", token).executeTakeFirst()) != null;

/** What a response is about: the field (lĩnh vực) its index is counted under, and the procedure when named. */
export interface ResponseAbout {
  field: string | null;
  procedureCode: string | null;
}

/** Store one response; a token already used stores nothing (a double submit, a retried request). */
export async function submitResponse(
  db: Db,
  survey: Survey,
  scores: ReadonlyMap<number, number>,
  token: string,
  now: Date,
  about: ResponseAbout = { field: survey.field, procedureCode: null },
): Promise<{ created: boolean }> {
  if (await tokenUsed(db, token)) return { created: false };
  try {
    await db.transaction().execute(async (trx) => {
      const r = await trx
        .insertInto("survey_responses")
        .values({
          survey_id: survey.id,
          submitted_at: now.toISOString(),
          month: vnToday(now).slice(0, 7),
          field: about.field,
          procedure_code: about.procedureCode,
          form_token: token,
        })
        .returning("id")
        .executeTakeFirstOrThrow();
      await trx
        .insertInto("survey_answers")
        .values([...scores].map(([questionId, score]) => ({ response_id: r.id, question_id: questionId, score })))
        .execute();
    });
    return { created: true };
  } catch (err) {
    // A concurrent post of the same form won the UNIQUE token.
    if (await tokenUsed(db, token)) return { created: false };
    throw err;
  }
}

/** Every raw answer of a survey, with its response's month and field. */
export async function surveyAnswers(db: Db, surveyId: number): Promise<Answer[]> {
  const rows = await db
    .selectFrom("survey_answers")
    .innerJoin("survey_responses", "survey_responses.id", "survey_answers.response_id")
    .select([
      "survey_answers.question_id as questionId",
      "survey_answers.score as score",
      "survey_responses.month as month",
      "survey_responses.field as field",
    ])
    .where("survey_responses.survey_id", "=", surveyId)
    .execute();
  return rows.map((r) => ({ ...r, score: Number(r.score) }));
}

export async function responseCount(db: Db, surveyId: number): Promise<number> {
  const r = await db
    .selectFrom("survey_responses")
    .select((eb) => eb.fn.countAll().as("n"))
    .where("survey_id", "=", surveyId)
    .executeTakeFirstOrThrow();
  return Number(r.n);
}

/** Validate a staff form or body into a survey's input. */
export const parseSurveyInput = (body: unknown) => validate(surveyInput, body);
