/**
 * The province's read-only view of its wards (issue 9 §5), at `/quan-tri/tinh`: the communes in force under the
 * province, one ward's plans, reports and requests, a plan's tasks and ledger, a report's DOCX and PDF.
 *
 * A view of its own rather than the wards' staff pages: those act on the signed-in account's ward and are built for
 * the ward's work (forms, citizens' personal data in feedback); here one check at the entrance — the ward is a
 * commune in force under the account's province — guards every page, nothing here writes, and nothing personal is
 * shown beyond what the ward's own staff record in its plan and ledger.
 *
 * The deployment operator opens any province's view at `/quan-tri/tinh/{code}` (the list of provinces, with their
 * accounts' pages, at `/quan-tri/tinh`); a province account may use its own code there too. Reads are not audited,
 * as no staff page's reads are.
 */
import { type Context, Hono, type MiddlewareHandler } from "hono";
import { isOperator } from "../../core/auth/owners.ts";
import { allowed } from "../../core/auth/roles.ts";
import type { AppEnv, Ward } from "../../core/web/context.ts";
import { forbidden, notFound } from "../../core/web/errors.ts";
import { requireStaff } from "../../core/web/middleware.ts";
import { sessionOf, todayOf } from "../../core/web/staff.ts";
import { plansOfWard } from "../plans/plans.service.ts";
import { exportable } from "../plans/tracking.read.ts";
import { sendDocx, sendPdf } from "../reports/reports.routes.tsx";
import { documentOf, reportOf, reportsOf } from "../reports/reports.service.ts";
import { provinceOf } from "../reports/requests.routes.tsx";
import { requestsForWard } from "../reports/requests.service.ts";
import { adminUnitInForce, communesOfProvince, provincesInForce, wardOf } from "../units/units.service.ts";
import { ProvinceHomePage, ProvincePlanPage, ProvincesPage, ProvinceWardPage } from "./province.views.tsx";

type C = Context<AppEnv>;

/** The province a view is of, and where its pages are. */
interface Viewed {
  province: Ward;
  /** `/quan-tri/tinh` for a province account's own; `/quan-tri/tinh/{code}` when the path names the province. */
  base: string;
  /** A deployment operator looking at a province: read only, no requests of its own. */
  operator: boolean;
}

/** Who may open a province's view at all: a province's account (province.read) or a deployment operator. */
const requireProvinceView: MiddlewareHandler<AppEnv> = async (c, next) => {
  const user = sessionOf(c).user;
  if (!isOperator(user) && !allowed(user, "province.read")) {
    c.get("deps").log.warn({ event: "forbidden", user: user.id, path: c.req.path }, "forbidden");
    throw forbidden();
  }
  await next();
};

/**
 * The province of the request: a province account's own (`/quan-tri/tinh`, or its own code in the path; another
 * province's is refused), any province in force for a deployment operator (its code in the path).
 */
async function viewed(c: C): Promise<Viewed> {
  const code = c.req.param("p");
  if (code === undefined) return { province: provinceOf(c), base: "/quan-tri/tinh", operator: false };
  const user = sessionOf(c).user;
  const db = c.get("deps").db.kysely;
  const unit = await adminUnitInForce(db, code, todayOf(c));
  if (unit?.level !== "province") throw notFound(`Không có tỉnh, thành phố mã ${code}.`);
  const base = `/quan-tri/tinh/${code}`;
  if (isOperator(user)) return { province: await wardOf(db, unit, ""), base, operator: true };
  if (user.ward_id !== unit.id) throw forbidden("Tài khoản cấp tỉnh chỉ xem các xã, phường của tỉnh mình.");
  return { province: provinceOf(c), base, operator: false };
}

/** The ward of the path, only when it is a commune in force under the viewed province; 404 otherwise. */
async function wardOfProvince(c: C): Promise<Viewed & { ward: Ward }> {
  const v = await viewed(c);
  const db = c.get("deps").db.kysely;
  const unit = await adminUnitInForce(db, c.req.param("code") ?? "", todayOf(c));
  if (unit?.level !== "commune" || unit.parent_id !== v.province.unit.id)
    throw notFound(`Không có xã, phường mã ${c.req.param("code")} thuộc ${v.province.unit.name}.`);
  return { ...v, ward: await wardOf(db, unit, `/w/${unit.code}`) };
}

async function reportOfWard(c: C) {
  const { ward } = await wardOfProvince(c);
  const r = await reportOf(c.get("deps").db.kysely, ward, Number(c.req.param("id")));
  if (!r) throw notFound("Không tìm thấy báo cáo.");
  return r;
}

export function provinceRoutes() {
  const app = new Hono<AppEnv>();
  // The province's own view (a province account), and any province's by its code (a province account its own only;
  // a deployment operator every one). Nothing here writes.
  for (const prefix of ["/tinh", "/tinh/:p{[0-9]{2}}"]) {
    app.use(prefix, requireStaff, requireProvinceView);
    app.use(`${prefix}/xa/*`, requireStaff, requireProvinceView);
  }

  app.get("/tinh", async (c) => {
    const db = c.get("deps").db.kysely;
    if (isOperator(sessionOf(c).user)) {
      const provinces = await provincesInForce(db, todayOf(c));
      return c.html(<ProvincesPage ward={c.get("ward")} session={sessionOf(c)} provinces={provinces} />);
    }
    return homePage(c);
  });
  app.get("/tinh/:p{[0-9]{2}}", homePage);

  for (const prefix of ["/tinh", "/tinh/:p{[0-9]{2}}"]) {
    app.get(`${prefix}/xa/:code{[0-9]{5}}`, async (c) => {
      const { ward, province, base, operator } = await wardOfProvince(c);
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
          base={base}
          requestLinks={!operator}
          plans={plans}
          reports={reports}
          requests={requests.filter((r) => r.request.province_id === province.unit.id)}
        />,
      );
    });

    app.get(`${prefix}/xa/:code{[0-9]{5}}/ke-hoach/:id{[0-9]+}`, async (c) => {
      const { ward, province, base } = await wardOfProvince(c);
      const db = c.get("deps").db.kysely;
      const plan = (await plansOfWard(db, ward)).find((p) => p.id === Number(c.req.param("id")));
      if (!plan) throw notFound("Không tìm thấy kế hoạch của xã, phường này.");
      const rows = await exportable(db, plan.id, todayOf(c));
      return c.html(
        <ProvincePlanPage ward={ward} province={province} session={sessionOf(c)} base={base} plan={plan} rows={rows} />,
      );
    });

    app.get(`${prefix}/xa/:code{[0-9]{5}}/bao-cao/:id{[0-9]+}/tai.docx`, async (c) => {
      const r = await reportOfWard(c);
      return sendDocx(c, documentOf(r).document, r);
    });
    app.get(`${prefix}/xa/:code{[0-9]{5}}/bao-cao/:id{[0-9]+}/tai.pdf`, async (c) => {
      const r = await reportOfWard(c);
      return sendPdf(c, documentOf(r).document, r);
    });
  }
  return app;
}

/** A province's list of its wards. */
async function homePage(c: C) {
  const { province, base, operator } = await viewed(c);
  const communes = await communesOfProvince(c.get("deps").db.kysely, province.unit.id, todayOf(c));
  return c.html(
    <ProvinceHomePage ward={province} session={sessionOf(c)} communes={communes} base={base} operator={operator} />,
  );
}
