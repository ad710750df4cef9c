/**
 * The province's read-only view of its wards (issue 9 §5), at `/quan-tri/tinh`: the communes in force under the
 * province, one ward's plans, reports and requests, a plan's tasks and ledger, a report's DOCX and PDF.
 *
 * A view of its own rather than the wards' staff pages: those act on the signed-in account's ward and are built for
 * the ward's work (forms, citizens' personal data in feedback); here one check at the entrance — the ward is a
 * commune in force under the account's province — guards every page, nothing here writes, and nothing personal is
 * shown beyond what the ward's own staff record in its plan and ledger.
 */
import { type Context, Hono } from "hono";
import type { AppEnv, Ward } from "../../core/web/context.ts";
import { notFound } from "../../core/web/errors.ts";
import { requireAction, requireStaff } from "../../core/web/middleware.ts";
import { sessionOf, todayOf } from "../../core/web/staff.ts";
import { plansOfWard } from "../plans/plans.service.ts";
import { exportable } from "../plans/tracking.read.ts";
import { sendDocx, sendPdf } from "../reports/reports.routes.tsx";
import { documentOf, reportOf, reportsOf } from "../reports/reports.service.ts";
import { provinceOf } from "../reports/requests.routes.tsx";
import { requestsForWard } from "../reports/requests.service.ts";
import { adminUnitInForce, communesOfProvince, wardOf } from "../units/units.service.ts";
import { ProvinceHomePage, ProvincePlanPage, ProvinceWardPage } from "./province.views.tsx";

type C = Context<AppEnv>;

/** The ward of the path, only when it is a commune in force under the account's province; 404 otherwise. */
async function wardOfProvince(c: C): Promise<{ ward: Ward; province: Ward }> {
  const province = provinceOf(c);
  const db = c.get("deps").db.kysely;
  const unit = await adminUnitInForce(db, c.req.param("code") ?? "", todayOf(c));
  if (unit?.level !== "commune" || unit.parent_id !== province.unit.id)
    throw notFound(`Không có xã, phường mã ${c.req.param("code")} thuộc ${province.unit.name}.`);
  return { ward: await wardOf(db, unit, `/w/${unit.code}`), province };
}

async function reportOfWard(c: C) {
  const { ward } = await wardOfProvince(c);
  const r = await reportOf(c.get("deps").db.kysely, ward, Number(c.req.param("id")));
  if (!r) throw notFound("Không tìm thấy báo cáo.");
  return r;
}

export function provinceRoutes() {
  const app = new Hono<AppEnv>();
  app.use("/tinh", requireStaff, requireAction("province.read"));
  app.use("/tinh/xa/*", requireStaff, requireAction("province.read"));

  app.get("/tinh", async (c) => {
    const province = provinceOf(c);
    const communes = await communesOfProvince(c.get("deps").db.kysely, province.unit.id, todayOf(c));
    return c.html(<ProvinceHomePage ward={province} session={sessionOf(c)} communes={communes} />);
  });

  app.get("/tinh/xa/:code{[0-9]{5}}", async (c) => {
    const { ward, province } = await wardOfProvince(c);
    const db = c.get("deps").db.kysely;
    const [plans, reports, requests] = await Promise.all([
      plansOfWard(db, ward),
      reportsOf(db, [ward.unit.id], false),
      requestsForWard(db, ward.unit.id, todayOf(c)),
    ]);
    return c.html(
      <ProvinceWardPage
        ward={ward}
        province={province}
        session={sessionOf(c)}
        plans={plans}
        reports={reports}
        requests={requests.filter((r) => r.request.province_id === province.unit.id)}
      />,
    );
  });

  app.get("/tinh/xa/:code{[0-9]{5}}/ke-hoach/:id{[0-9]+}", async (c) => {
    const { ward, province } = await wardOfProvince(c);
    const db = c.get("deps").db.kysely;
    const plan = (await plansOfWard(db, ward)).find((p) => p.id === Number(c.req.param("id")));
    if (!plan) throw notFound("Không tìm thấy kế hoạch của xã, phường này.");
    const rows = await exportable(db, plan.id, todayOf(c));
    return c.html(<ProvincePlanPage ward={ward} province={province} session={sessionOf(c)} plan={plan} rows={rows} />);
  });

  app.get("/tinh/xa/:code{[0-9]{5}}/bao-cao/:id{[0-9]+}/tai.docx", async (c) => {
    const r = await reportOfWard(c);
    return sendDocx(c, documentOf(r).document, r);
  });
  app.get("/tinh/xa/:code{[0-9]{5}}/bao-cao/:id{[0-9]+}/tai.pdf", async (c) => {
    const r = await reportOfWard(c);
    return sendPdf(c, documentOf(r).document, r);
  });
  return app;
}
