/**
 * Staff side of surveys (`survey.manage`, CSRF): `GET /quan-tri/khao-sat` the ward's surveys with their rounds,
 * `POST` creates one for a field and a unit (audited), `POST /quan-tri/khao-sat/:id/ket-thuc-dot` closes the current
 * round — counted once in the plan's activity ledger — and optionally the survey.
 */
import { type Context, Hono } from "hono";
import { z } from "zod";
import { formatDate, formatDateTime } from "../../core/text/vi.ts";
import type { AppEnv } from "../../core/web/context.ts";
import { AppError } from "../../core/web/errors.ts";
import { EMPTY_FORM, type FormState, pageErrors, readFormValues } from "../../core/web/forms.tsx";
import { Layout } from "../../core/web/layout.tsx";
import { requireAction, requireCsrf, requireStaff } from "../../core/web/middleware.ts";
import { actorOf, sessionOf, todayOf, wardIdOf } from "../../core/web/staff.ts";
import { periodQuery, validate } from "../../core/web/validation.ts";
import { orgUnitsWithAliases } from "../units/units.service.ts";
import { responsesOfPeriod } from "./surveys.figures.ts";
import { closeRound, roundStatus } from "./surveys.rounds.ts";
import { createSurvey, defaultSurveyUnit, listSurveys, parseSurveyInput } from "./surveys.service.ts";
import { SurveyStaffPage } from "./surveys.staff.views.tsx";

type C = Context<AppEnv>;

async function render(c: C, state: FormState, status: 200 | 400 | 404 | 409, saved?: string) {
  const db = c.get("deps").db.kysely;
  const wardId = wardIdOf(c);
  const [surveys, units] = await Promise.all([listSurveys(db, wardId), orgUnitsWithAliases(db, wardId, todayOf(c))]);
  const status_ = await roundStatus(
    db,
    wardId,
    surveys.map((s) => s.id),
    c.get("deps").clock(),
  );
  const unitName = new Map(units.map((u) => [u.id, u.name]));
  const rows = surveys.map((s) => ({
    survey: s,
    rounds: status_.get(s.id)?.rounds ?? 0,
    pending: status_.get(s.id)?.pending ?? 0,
    unitName: s.org_unit_id == null ? null : (unitName.get(s.org_unit_id) ?? null),
  }));
  return c.html(
    <SurveyStaffPage
      ward={c.get("ward")}
      session={sessionOf(c)}
      rows={rows}
      units={units}
      defaultUnitId={defaultSurveyUnit(units)?.id ?? null}
      state={state}
      saved={saved}
    />,
    status,
  );
}

const SAVED: Record<string, string> = {
  tao: "Đã tạo cuộc khảo sát.",
  dot: "Đã kết thúc đợt khảo sát và ghi vào sổ theo dõi hoạt động.",
  dong: "Đã đóng cuộc khảo sát.",
};

/** `?tu=…&den=…[&khao-sat=id]`: the responses a report counts for the rounds closed in a period. */
const responsesQuery = periodQuery({
  "khao-sat": z
    .string()
    .regex(/^\d{1,9}$/, "Cuộc khảo sát không hợp lệ.")
    .transform(Number)
    .optional(),
});

/** The link behind a report's survey figure. */
export function surveyResponsesHref(period: { from: string; to: string }, surveyId?: number) {
  const p = new URLSearchParams({ tu: period.from, den: period.to });
  if (surveyId != null) p.set("khao-sat", String(surveyId));
  return `/quan-tri/khao-sat/phieu?${p}`;
}

export function surveysStaffRoutes() {
  const app = new Hono<AppEnv>();
  const guard = [requireStaff, requireCsrf, requireAction("survey.manage")] as const;

  app.get("/khao-sat/phieu", requireStaff, requireCsrf, requireAction("report.draft"), async (c) => {
    const parsed = validate(responsesQuery, c.req.query());
    if (!parsed.ok) throw new AppError(400, "bad_request", Object.values(parsed.errors)[0] ?? "Bộ lọc không hợp lệ.");
    const q = parsed.value;
    const rows = await responsesOfPeriod(
      c.get("deps").db.kysely,
      c.get("ward").scopeIds,
      { from: q.tu, to: q.den },
      q["khao-sat"] ?? null,
    );
    return c.html(
      <Layout title="Phiếu khảo sát trong kỳ" ward={c.get("ward")} session={c.get("session")} staff>
        <h1>Phiếu khảo sát của các đợt kết thúc trong kỳ</h1>
        <p>
          Từ {formatDate(q.tu)} đến {formatDate(q.den)}
          {q["khao-sat"] != null ? `, cuộc khảo sát số ${q["khao-sat"]}` : ""}:{" "}
          <strong data-count={rows.length}>{rows.length}</strong> phiếu. Phiếu không ghi tên người trả lời.
        </p>
        <section class="table-wrap" aria-label="Phiếu khảo sát" tabindex={0}>
          <table>
            <thead>
              <tr>
                <th scope="col">Cuộc khảo sát</th>
                <th scope="col">Đợt</th>
                <th scope="col">Thời điểm gửi</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((r) => (
                <tr>
                  <td>{r.title}</td>
                  <td class="num">{r.roundNo}</td>
                  <td>{formatDateTime(r.submittedAt)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
      </Layout>,
    );
  });

  app.get("/khao-sat", ...guard, (c) => render(c, EMPTY_FORM, 200, SAVED[c.req.query("da-luu") ?? ""]));

  app.post("/khao-sat", ...guard, async (c) => {
    const values = await readFormValues(c);
    const parsed = parseSurveyInput(values);
    if (!parsed.ok) return render(c, { values, errors: pageErrors(parsed.errors, "ks", "ks-new") }, 400);
    const { db, clock } = c.get("deps");
    const units = await orgUnitsWithAliases(db.kysely, wardIdOf(c), todayOf(c));
    const r = await createSurvey(db.kysely, actorOf(c), wardIdOf(c), parsed.value, units, clock());
    if (!r.ok) return render(c, { values, errors: pageErrors(r.errors, "ks", "ks-new") }, 400);
    return c.redirect("/quan-tri/khao-sat?da-luu=tao", 303);
  });

  app.post("/khao-sat/:id{[0-9]{1,9}}/ket-thuc-dot", ...guard, async (c) => {
    const id = Number(c.req.param("id"));
    const values = await readFormValues(c);
    const { db, clock } = c.get("deps");
    const user = sessionOf(c).user;
    const r = await closeRound(db.kysely, actorOf(c), user, id, { closeSurvey: values.closeSurvey === "1" }, clock());
    if (!r.ok) return render(c, { values: {}, errors: pageErrors(r.errors, "", `ks-dot-${id}`) }, r.status);
    return c.redirect(`/quan-tri/khao-sat?da-luu=${r.value.roundNo == null ? "dong" : "dot"}`, 303);
  });

  return app;
}
