/**
 * Public survey pages, also under /w/{ward}, no JavaScript: `GET /khao-sat` the ward's surveys (cached for anonymous
 * visitors), `GET/POST /khao-sat/:id` the anonymous form (one
 * response per signed one-time form token, a honeypot field, the per-client rate limit of the feedback form) and
 * `GET /khao-sat/:id/ket-qua` the results with their charts.
 */
import { type Context, Hono } from "hono";
import { vnToday } from "../../core/text/vi.ts";
import type { AppEnv } from "../../core/web/context.ts";
import { notFound } from "../../core/web/errors.ts";
import { type FormState, pageErrors, readFormValues } from "../../core/web/forms.tsx";
import { checkOrigin } from "../../core/web/middleware.ts";
import { cacheable } from "../../core/web/page-cache.ts";
import { overPublicLimit } from "../../core/web/public-form-limit.tsx";
import { formTokenKey, issueFormToken } from "../../core/web/public-forms.ts";
import type { Question } from "./sipas.ts";
import { aboutOf, catalogueFields, type NamedProcedure, namedProcedure } from "./surveys.about.ts";
import { SurveyListPage } from "./surveys.list.views.tsx";
import { surveyResults } from "./surveys.results.ts";
import {
  findSurvey,
  publicSurveyList,
  readScores,
  type Survey,
  submitResponse,
  surveyQuestions,
} from "./surveys.service.ts";
import { SurveyClosedPage, SurveyFormPage, SurveyResultsPage, SurveyThanksPage } from "./surveys.views.tsx";

type C = Context<AppEnv>;

const ID = "/khao-sat/:id{[0-9]{1,9}}";
const EXPIRED = "Phiếu đã hết hạn hoặc không hợp lệ. Hãy kiểm tra lại các lựa chọn và bấm “Gửi đánh giá” lần nữa.";

async function surveyOf(c: C): Promise<Survey> {
  const survey = await findSurvey(c.get("deps").db.kysely, Number(c.req.param("id")), c.get("ward").scopeIds);
  if (!survey) throw notFound("Không tìm thấy cuộc khảo sát.");
  return survey;
}

/** The fields a respondent may choose from: only a survey of every service asks. */
async function fieldsFor(c: C, survey: Survey): Promise<string[]> {
  if (survey.field != null) return [];
  const { db, clock, config } = c.get("deps");
  return catalogueFields(db.kysely, c.get("ward"), vnToday(clock()), config.procedureLevels);
}

async function renderForm(
  c: C,
  survey: Survey,
  questions: Question[],
  about: { fields: string[]; procedure: NamedProcedure | null },
  state: FormState,
  status: 200 | 400,
) {
  const { db, clock } = c.get("deps");
  const ward = c.get("ward");
  const token = await issueFormToken(db.kysely, ward.unit.id, clock());
  c.header("Cache-Control", "no-store");
  return c.html(
    <SurveyFormPage
      ward={ward}
      survey={survey}
      questions={questions}
      fields={about.fields}
      procedure={about.procedure}
      state={state}
      token={token}
    />,
    status,
  );
}

export function surveysPublicRoutes() {
  const app = new Hono<AppEnv>();

  app.get("/khao-sat", cacheable(), async (c) => {
    const ward = c.get("ward");
    const { open, closed } = await publicSurveyList(c.get("deps").db.kysely, ward.scopeIds);
    return c.html(<SurveyListPage ward={ward} open={open} closed={closed} />);
  });

  app.get(ID, async (c) => {
    const survey = await surveyOf(c);
    if (!survey.open) return c.html(<SurveyClosedPage ward={c.get("ward")} survey={survey} />);
    const { db, clock } = c.get("deps");
    const questions = await surveyQuestions(db.kysely, survey.id);
    const procedure = await namedProcedure(db.kysely, c.get("ward"), c.req.query("thu-tuc"), vnToday(clock()));
    const fields = await fieldsFor(c, survey);
    return renderForm(c, survey, questions, { fields, procedure }, { values: {}, errors: {} }, 200);
  });

  app.post(ID, async (c) => {
    checkOrigin(c);
    const { db, clock, log } = c.get("deps");
    const now = clock();
    const ward = c.get("ward");
    const limited = await overPublicLimit(c, "survey");
    c.header("Cache-Control", "no-store");
    if (limited) return limited;
    const survey = await surveyOf(c);
    if (!survey.open) return c.html(<SurveyClosedPage ward={ward} survey={survey} />, 409);
    const values = await readFormValues(c);
    if (values.website?.trim()) {
      // Only a robot fills the hidden field: it is thanked, and nothing is stored.
      log.info({ event: "survey.honeypot", path: c.req.path }, "survey honeypot");
      return c.html(<SurveyThanksPage ward={ward} survey={survey} />);
    }
    const questions = await surveyQuestions(db.kysely, survey.id);
    const key = await formTokenKey(db.kysely, ward.unit.id, values._form, now);
    const parsed = readScores(values, questions);
    const procedure = await namedProcedure(db.kysely, ward, values.thu_tuc, vnToday(now));
    const fields = await fieldsFor(c, survey);
    const about = aboutOf(survey, values.field, procedure, fields);
    if (!key || !parsed.ok || !about.ok) {
      const errors = pageErrors(
        { ...(about.ok ? {} : about.errors), ...(parsed.ok ? {} : parsed.errors) },
        "ks",
        "ks-form",
      );
      if (!key) errors["ks-form"] = EXPIRED;
      return renderForm(c, survey, questions, { fields, procedure }, { values, errors }, 400);
    }
    await submitResponse(db.kysely, survey, parsed.value, `survey:${survey.id}:${key}`, now, about.value);
    return c.html(<SurveyThanksPage ward={ward} survey={survey} />);
  });

  app.get(`${ID}/ket-qua`, async (c) => {
    const survey = await surveyOf(c);
    const results = await surveyResults(c.get("deps").db.kysely, survey);
    return c.html(<SurveyResultsPage ward={c.get("ward")} results={results} />);
  });

  return app;
}
