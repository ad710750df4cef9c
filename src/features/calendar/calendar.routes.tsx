/**
 * Staff pages of the working-day calendar (`calendar.manage`: administrators and coordinators; CSRF on every POST):
 * `GET /quan-tri/ngay-nghi?nam=` one year's holidays and the stages' working days; `POST /quan-tri/ngay-nghi` adds
 * a day; `POST /quan-tri/ngay-nghi/:id/xoa` removes one; `POST /quan-tri/ngay-nghi/thoi-han` sets the stages;
 * `POST /quan-tri/ngay-nghi/thoi-han/mac-dinh` drops the ward's own stages.
 *
 * Owner levels (core/auth/owners.ts): the public holidays are national, so only a deployment operator adds or
 * removes one. The stages' working days are the ward's own (beside the national defaults); an operator may set the
 * national defaults instead (`pham-vi=ca-nuoc`).
 */
import { type Context, Hono } from "hono";
import { isOperator, mayChange, NATION, type Owner, unitOwner } from "../../core/auth/owners.ts";
import type { AppEnv } from "../../core/web/context.ts";
import { forbidden } from "../../core/web/errors.ts";
import { type FormState, pageErrors, readFormValues } from "../../core/web/forms.tsx";
import { NATIONAL_ONLY, requireAction, requireCsrf, requireOperator, requireStaff } from "../../core/web/middleware.ts";
import { actorOf, sessionOf, todayOf } from "../../core/web/staff.ts";
import {
  addHoliday,
  calendarOverview,
  parseHoliday,
  parseStages,
  removeHoliday,
  resetStageDays,
  updateStageDays,
} from "./calendar.service.ts";
import { CalendarPage } from "./calendar.views.tsx";

type C = Context<AppEnv>;
type State = FormState<"them" | "thoi-han" | "xoa">;

const SAVED: Record<string, string> = {
  them: "Đã thêm vào lịch.",
  xoa: "Đã xóa khỏi lịch.",
  "thoi-han": "Đã lưu thời hạn các bước.",
  "mac-dinh": "Phường dùng lại thời hạn chung.",
};

/** Whose stages a form sets: the ward's own, or (an operator choosing it) the national defaults. */
function stagesOwner(c: C, scope: string | undefined): Owner {
  const user = sessionOf(c).user;
  const owner = scope === "ca-nuoc" ? NATION : unitOwner(user.ward_id);
  if (!mayChange(user, owner === NATION ? "nation" : "ward", owner)) throw forbidden(NATIONAL_ONLY);
  return owner;
}

/** The year asked for (`?nam=`), else this year in Vietnam. */
const yearOf = (c: C) => {
  const y = Number(c.req.query("nam"));
  return Number.isInteger(y) && y >= 2000 && y <= 2100 ? y : Number(todayOf(c).slice(0, 4));
};

async function render(c: C, state: State, status: 200 | 400 | 404 | 409, year = yearOf(c)) {
  const data = await calendarOverview(c.get("deps").db.kysely, year, sessionOf(c).user.ward_id);
  return c.html(
    <CalendarPage
      ward={c.get("ward")}
      session={sessionOf(c)}
      national={isOperator(sessionOf(c).user)}
      data={data}
      state={state}
      saved={SAVED[c.req.query("da-luu") ?? ""]}
    />,
    status,
  );
}

export function calendarRoutes() {
  const app = new Hono<AppEnv>();
  const guard = [requireStaff, requireCsrf, requireAction("calendar.manage")] as const;

  app.get("/ngay-nghi", ...guard, (c) => render(c, { values: {}, errors: {} }, 200));

  app.post("/ngay-nghi", ...guard, requireOperator, async (c) => {
    const values = await readFormValues(c);
    const parsed = parseHoliday(values);
    if (!parsed.ok) return render(c, { form: "them", values, errors: pageErrors(parsed.errors, "nn", "nn-them") }, 400);
    const { db, clock } = c.get("deps");
    const r = await addHoliday(db.kysely, actorOf(c), parsed.value, clock());
    if (!r.ok) return render(c, { form: "them", values, errors: pageErrors(r.errors, "nn", "nn-them") }, r.status);
    return c.redirect(`/quan-tri/ngay-nghi?nam=${parsed.value.date.slice(0, 4)}&da-luu=them`, 303);
  });

  app.post("/ngay-nghi/:id{[0-9]{1,9}}/xoa", ...guard, requireOperator, async (c) => {
    const id = Number(c.req.param("id"));
    const { db, clock } = c.get("deps");
    const r = await removeHoliday(db.kysely, actorOf(c), id, clock());
    if (!r.ok) return render(c, { form: "xoa", values: {}, errors: pageErrors(r.errors, "", "nn-bang") }, r.status);
    return c.redirect(`/quan-tri/ngay-nghi?nam=${r.value.slice(0, 4)}&da-luu=xoa`, 303);
  });

  app.post("/ngay-nghi/thoi-han", ...guard, async (c) => {
    const values = await readFormValues(c);
    const owner = stagesOwner(c, values["pham-vi"]);
    const parsed = parseStages(values);
    if (!parsed.ok) return render(c, { form: "thoi-han", values, errors: pageErrors(parsed.errors, "tg", "tg") }, 400);
    const { db, clock } = c.get("deps");
    await updateStageDays(db.kysely, actorOf(c), owner, parsed.value, clock());
    return c.redirect(`/quan-tri/ngay-nghi?nam=${yearOf(c)}&da-luu=thoi-han`, 303);
  });

  app.post("/ngay-nghi/thoi-han/mac-dinh", ...guard, async (c) => {
    const { db, clock } = c.get("deps");
    await resetStageDays(db.kysely, actorOf(c), stagesOwner(c, undefined), clock());
    return c.redirect(`/quan-tri/ngay-nghi?nam=${yearOf(c)}&da-luu=mac-dinh`, 303);
  });

  return app;
}
