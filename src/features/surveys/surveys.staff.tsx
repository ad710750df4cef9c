/** Staff side of surveys: `GET /quan-tri/khao-sat` the ward's surveys, `POST` creates one for a field (audited). */
import { type Context, Hono } from "hono";
import type { AppEnv } from "../../core/web/context.ts";
import { EMPTY_FORM, type FormState, pageErrors, readFormValues } from "../../core/web/forms.tsx";
import { requireAction, requireCsrf, requireStaff } from "../../core/web/middleware.ts";
import { actorOf, sessionOf, wardIdOf } from "../../core/web/staff.ts";
import { createSurvey, listSurveys, parseSurveyInput } from "./surveys.service.ts";
import { SurveyStaffPage } from "./surveys.views.tsx";

type C = Context<AppEnv>;

async function render(c: C, state: FormState, status: 200 | 400, saved?: string) {
  const surveys = await listSurveys(c.get("deps").db.kysely, wardIdOf(c));
  return c.html(
    <SurveyStaffPage ward={c.get("ward")} session={sessionOf(c)} surveys={surveys} state={state} saved={saved} />,
    status,
  );
}

export function surveysStaffRoutes() {
  const app = new Hono<AppEnv>();
  const guard = [requireStaff, requireCsrf, requireAction("survey.manage")] as const;

  app.get("/khao-sat", ...guard, (c) =>
    render(c, EMPTY_FORM, 200, c.req.query("da-luu") ? "Đã tạo cuộc khảo sát." : undefined),
  );

  app.post("/khao-sat", ...guard, async (c) => {
    const values = await readFormValues(c);
    const parsed = parseSurveyInput(values);
    if (!parsed.ok) return render(c, { values, errors: pageErrors(parsed.errors, "ks", "ks-new") }, 400);
    const { db, clock } = c.get("deps");
    const id = await createSurvey(db.kysely, actorOf(c), wardIdOf(c), parsed.value, clock());
    return c.redirect(`/quan-tri/khao-sat?da-luu=${id}`, 303);
  });

  return app;
}
