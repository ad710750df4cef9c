/**
 * Reports in the open data API and their public downloads: `GET /api/v1/reports?ward=CODE` lists the ward's reports
 * (anonymous callers and other wards' staff: only the issued reports the ward chose to publish; the ward's own
 * staff: all of them); `?ward=51`, a province's code, the province's own (roll-up) reports by the same rule.
 *
 * What the public gets of a published report: the signed copy (the PDF with the signature and seal — the only copy
 * with legal standing) at `/bao-cao/{id}/bao-cao.pdf`, and the XLSX of its figure tables at `/bao-cao/{id}/bao-cao.xlsx`
 * (computed figures only, machine-readable open data). The DOCX and the PDF the portal renders are unsigned working
 * copies: published beside the signed one they could be taken for it (or edited and passed off as it), so they stay
 * with staff — `files.docx` and `files.pdf` are null for everyone else.
 */

import { type Context, Hono } from "hono";
import { isProvinceAccount } from "../../core/auth/owners.ts";
import { allowed, can, type Role } from "../../core/auth/roles.ts";
import { renderXlsx, XLSX_TYPE } from "../../core/documents/xlsx-writer.ts";
import { fileStoreOf } from "../../core/file-store.ts";
import { contentDisposition } from "../../core/files.ts";
import { vnToday } from "../../core/text/vi.ts";
import { apiQuery, PROVINCE_REF_PATTERN } from "../../core/web/api-query.ts";
import type { AppEnv } from "../../core/web/context.ts";
import { AppError, notFound } from "../../core/web/errors.ts";
import { storedFileHref } from "../../core/web/stored-files.ts";
import { adminUnitInForce } from "../units/units.service.ts";
import { reportSheets, signedCopyBytes } from "./report-files.ts";
import { documentOf, type ReportRow, reportsOf } from "./reports.service.ts";
import { reportOf } from "./reports.sql.ts";

type C = Context<AppEnv>;

/** Whether the caller is staff of this ward allowed to see its unpublished reports. */
const wardStaff = (c: C) => {
  const s = c.get("session");
  return !!s && c.get("ward").scopeIds.includes(s.user.ward_id) && can(s.user.role as Role, "report.draft");
};

const numberOf = (r: Pick<ReportRow, "number" | "symbol">) =>
  r.number == null ? null : `${String(r.number).padStart(2, "0")}/${r.symbol}`;

/** A report as the open data contract names it; `staff`: the caller is the ward's staff (working copies too). */
export function reportJson(r: ReportRow, base: string, staff: boolean) {
  const published = r.status === "issued" && r.published === 1;
  const staffPath = `/quan-tri/bao-cao/${r.id}`;
  const publicPath = `${base}/bao-cao/${r.id}`;
  return {
    id: r.id,
    number: numberOf(r),
    kind: r.kind,
    title: r.title,
    period: { from: r.period_from, to: r.period_to },
    status: r.status,
    issuedOn: r.issued_on,
    published,
    files: staff
      ? {
          docx: `${staffPath}/tai.docx`,
          pdf: `${staffPath}/tai.pdf`,
          xlsx: `${staffPath}/tai.xlsx`,
          signed: r.signed_file_id == null ? null : storedFileHref(r.signed_file_id),
        }
      : {
          docx: null,
          pdf: null,
          xlsx: published ? `${publicPath}/bao-cao.xlsx` : null,
          signed: published && r.signed_file_id != null ? `${publicPath}/bao-cao.pdf` : null,
        },
  };
}

/**
 * A province's own reports (its roll-up reports), for `?ward=51`: the same items and the same rule — the province's
 * accounts that draft reports see all of them, everyone else only the published ones (downloads under `/tinh/51/`).
 */
async function provinceReports(c: C, code: string) {
  const db = c.get("deps").db.kysely;
  const province = await provinceInForce(c, code);
  const s = c.get("session");
  const staff = !!s && isProvinceAccount(s.user) && s.user.ward_id === province.id && allowed(s.user, "report.draft");
  const rows = await reportsOf(db, [province.id], !staff);
  c.header("Cache-Control", "no-store");
  return c.json({ total: rows.length, items: rows.map((r) => reportJson(r, `/tinh/${province.code}`, staff)) });
}

/** The province in force today with this code, or 404. */
async function provinceInForce(c: C, code: string) {
  const unit = await adminUnitInForce(c.get("deps").db.kysely, code, vnToday(c.get("deps").clock()));
  if (unit?.level !== "province") throw new AppError(404, "ward_not_found", `Không có tỉnh, thành phố mã ${code}.`);
  return unit;
}

export function reportsApi() {
  const app = new Hono<AppEnv>();
  app.get("/reports", async (c) => {
    apiQuery(c, {}, { province: true });
    const ref = new URL(c.req.url).searchParams.get("ward");
    if (ref !== null && PROVINCE_REF_PATTERN.test(ref)) return provinceReports(c, ref);
    const ward = c.get("ward");
    const staff = wardStaff(c);
    const rows = await reportsOf(c.get("deps").db.kysely, ward.scopeIds, !staff);
    c.header("Cache-Control", "no-store");
    return c.json({ total: rows.length, items: rows.map((r) => reportJson(r, ward.base, staff)) });
  });
  return app;
}

/** A published report, of the ward the request names (or of these units: a province's), or 404. */
async function publishedReport(c: C, unitIds = c.get("ward").scopeIds) {
  const r = await reportOf(c.get("deps").db.kysely, unitIds, Number(c.req.param("id")));
  if (r?.status !== "issued" || r.published !== 1) throw notFound("Không tìm thấy báo cáo đã công khai.");
  return r;
}

/** The download name of a published report's file: "Bao-cao-so-01-BC-UBND.pdf". */
const publicName = (r: ReportRow, ext: string) =>
  `Bao-cao-so-${(numberOf(r) ?? String(r.id)).replace("/", "-")}.${ext}`;

/** The public files of a published report: its signed copy and its figures (XLSX). */
async function sendSigned(c: C, r: ReportRow) {
  const { db, config } = c.get("deps");
  const bytes = await signedCopyBytes(db.kysely, fileStoreOf({ db, config }), r);
  if (!bytes) throw notFound("Không tìm thấy bản đã ký của báo cáo.");
  c.header("Content-Type", "application/pdf");
  c.header("Content-Disposition", contentDisposition(publicName(r, "pdf")));
  c.header("X-Content-Type-Options", "nosniff");
  return c.body(bytes as Uint8Array<ArrayBuffer>);
}

async function sendFigures(c: C, r: ReportRow) {
  const { document } = documentOf(r);
  c.header("Content-Type", XLSX_TYPE);
  c.header("Content-Disposition", contentDisposition(publicName(r, "xlsx")));
  return c.body(new Uint8Array(await renderXlsx(reportSheets(document, `${document.type} ${document.title}`))));
}

export function reportsPublicRoutes() {
  const app = new Hono<AppEnv>();
  app.get("/bao-cao/:id{[0-9]+}/bao-cao.pdf", async (c) => sendSigned(c, await publishedReport(c)));
  app.get("/bao-cao/:id{[0-9]+}/bao-cao.xlsx", async (c) => sendFigures(c, await publishedReport(c)));
  return app;
}

/** A province's published reports' public files, at `/tinh/{code}/bao-cao/{id}/…` (mounted once, at the root). */
export function provinceReportsPublicRoutes() {
  const app = new Hono<AppEnv>();
  const of = async (c: C) => publishedReport(c, [(await provinceInForce(c, c.req.param("code") ?? "")).id]);
  app.get("/tinh/:code{[0-9]{2}}/bao-cao/:id{[0-9]+}/bao-cao.pdf", async (c) => sendSigned(c, await of(c)));
  app.get("/tinh/:code{[0-9]{2}}/bao-cao/:id{[0-9]+}/bao-cao.xlsx", async (c) => sendFigures(c, await of(c)));
  return app;
}
