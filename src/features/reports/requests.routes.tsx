/**
 * The province's side of report requests: `/quan-tri/tinh/yeu-cau` lists its requests with how many wards issued
 * theirs and takes a new one; `/quan-tri/tinh/yeu-cau/{id}` shows every ward's status. Province accounts only (a
 * ward's account is refused by the level check of `requireAction`).
 */
import { type Context, Hono } from "hono";
import { isProvinceAccount } from "../../core/auth/owners.ts";
import { allowed } from "../../core/auth/roles.ts";
import type { AppEnv } from "../../core/web/context.ts";
import { forbidden, notFound } from "../../core/web/errors.ts";
import { requireAction, requireCsrf, requireStaff } from "../../core/web/middleware.ts";
import { actorOf, sessionOf, todayOf } from "../../core/web/staff.ts";
import { formFields } from "../../core/web/validation.ts";
import { communesOfProvince } from "../units/units.service.ts";
import { createRequest, requestDetail, requestsOfProvince } from "./requests.service.ts";
import { RequestPage, RequestsPage } from "./requests.views.tsx";

type C = Context<AppEnv>;

/** The province of a province account (its own unit, which the staff pages act on). */
export function provinceOf(c: C) {
  const user = sessionOf(c).user;
  const ward = c.get("ward");
  if (!isProvinceAccount(user) || ward.unit.id !== user.ward_id || ward.unit.level !== "province") throw forbidden();
  return ward;
}

async function listPage(c: C, values: Record<string, string>, chosen: string[], errors: Record<string, string>) {
  const db = c.get("deps").db.kysely;
  const province = provinceOf(c);
  const session = sessionOf(c);
  const today = todayOf(c);
  const [requests, communes] = await Promise.all([
    requestsOfProvince(db, province.unit.id, today),
    communesOfProvince(db, province.unit.id, today),
  ]);
  return c.html(
    <RequestsPage
      ward={province}
      session={session}
      requests={requests}
      communes={communes}
      canRequest={allowed(session.user, "report.request")}
      values={values}
      chosen={chosen}
      errors={errors}
      today={today}
    />,
  );
}

export function requestsRoutes() {
  const app = new Hono<AppEnv>();
  app.use("/tinh/yeu-cau", requireStaff, requireCsrf, requireAction("province.read"));
  app.use("/tinh/yeu-cau/*", requireStaff, requireCsrf, requireAction("province.read"));

  app.get("/tinh/yeu-cau", (c) => listPage(c, {}, [], {}));

  app.post("/tinh/yeu-cau", requireAction("report.request"), async (c) => {
    const body = await c.req.parseBody({ all: true });
    const raw = body.xa;
    const wards = (Array.isArray(raw) ? raw : raw === undefined ? [] : [raw]).filter(
      (v): v is string => typeof v === "string",
    );
    const values = formFields(body);
    delete values._csrf;
    delete values.xa;
    const province = provinceOf(c);
    const { db, clock } = c.get("deps");
    const a = actorOf(c);
    const r = await createRequest(
      db.kysely,
      { ...a, userId: a.userId as number },
      province,
      sessionOf(c).user.org_unit_id,
      { values, wards },
      clock(),
      todayOf(c),
    );
    if (r.ok) return c.redirect(`/quan-tri/tinh/yeu-cau/${r.id}?da-gui=1`, 303);
    c.status(400);
    return listPage(c, values, wards, r.errors);
  });

  app.get("/tinh/yeu-cau/:id{[0-9]+}", async (c) => {
    const province = provinceOf(c);
    const d = await requestDetail(c.get("deps").db.kysely, province.unit.id, Number(c.req.param("id")), todayOf(c));
    if (!d) throw notFound("Không tìm thấy yêu cầu báo cáo.");
    return c.html(
      <RequestPage
        ward={province}
        session={sessionOf(c)}
        request={d.request}
        wards={d.wards}
        counts={d.counts}
        saved={c.req.query("da-gui") === "1"}
      />,
    );
  });
  return app;
}
