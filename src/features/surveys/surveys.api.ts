/**
 * Surveys over the API: `GET /api/v1/surveys/{id}/results?ward=` → `{surveyId, overall, factors, byMonth, byField}`,
 * indices 0–100 with one decimal or null (formula: sipas.ts). Anonymous figures only.
 */
import { Hono } from "hono";
import { apiQuery } from "../../core/web/api-query.ts";
import type { AppEnv } from "../../core/web/context.ts";
import { notFound } from "../../core/web/errors.ts";
import { resultsJson, surveyResults } from "./surveys.results.ts";
import { findSurvey } from "./surveys.service.ts";

export function surveysApi() {
  const app = new Hono<AppEnv>();

  app.get("/surveys/:id{[0-9]{1,9}}/results", async (c) => {
    apiQuery(c, {});
    const db = c.get("deps").db.kysely;
    const survey = await findSurvey(db, Number(c.req.param("id")), c.get("ward").scopeIds);
    if (!survey) throw notFound("Không tìm thấy cuộc khảo sát.");
    return c.json(resultsJson(await surveyResults(db, survey)));
  });

  return app;
}
