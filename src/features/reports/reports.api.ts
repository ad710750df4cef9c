/**
 * Reports in the open data API and their public downloads: `GET /api/v1/reports?ward=CODE` lists the ward's reports
 * (anonymous callers and other wards' staff: only the issued reports the ward chose to publish; the ward's own
 * staff: all of them), and a published report's DOCX and PDF are public at `/bao-cao/{id}/bao-cao.docx|pdf`.
 */
import { type Context, Hono } from "hono";
import { can, type Role } from "../../core/auth/roles.ts";
import { renderDocx } from "../../core/documents/docx-writer.ts";
import { docxToPdf, PdfUnavailableError } from "../../core/documents/pdf.ts";
import { apiQuery } from "../../core/web/api-query.ts";
import type { AppEnv } from "../../core/web/context.ts";
import { AppError, notFound } from "../../core/web/errors.ts";
import { documentOf, type ReportRow, reportsOf } from "./reports.service.ts";
import { reportOf } from "./reports.sql.ts";

type C = Context<AppEnv>;

/** Whether the caller is staff of this ward allowed to see its unpublished reports. */
const wardStaff = (c: C) => {
  const s = c.get("session");
  return !!s && c.get("ward").scopeIds.includes(s.user.ward_id) && can(s.user.role as Role, "report.draft");
};

export function reportJson(r: ReportRow, base: string) {
  const published = r.status === "issued" && r.published === 1;
  return {
    id: r.id,
    number: r.number == null ? null : `${String(r.number).padStart(2, "0")}/${r.symbol}`,
    kind: r.kind,
    title: r.title,
    period: { from: r.period_from, to: r.period_to },
    status: r.status,
    issuedOn: r.issued_on,
    published,
    files: {
      docx: published ? `${base}/bao-cao/${r.id}/bao-cao.docx` : `/quan-tri/bao-cao/${r.id}/tai.docx`,
      pdf: published ? `${base}/bao-cao/${r.id}/bao-cao.pdf` : `/quan-tri/bao-cao/${r.id}/tai.pdf`,
      xlsx: null,
      signed: null,
    },
  };
}

export function reportsApi() {
  const app = new Hono<AppEnv>();
  app.get("/reports", async (c) => {
    apiQuery(c, {});
    const ward = c.get("ward");
    const rows = await reportsOf(c.get("deps").db.kysely, ward.scopeIds, !wardStaff(c));
    c.header("Cache-Control", "no-store");
    return c.json({ total: rows.length, items: rows.map((r) => reportJson(r, ward.base)) });
  });
  return app;
}

/** A published report, of the ward the request names, or 404. */
async function publishedReport(c: C) {
  const r = await reportOf(c.get("deps").db.kysely, c.get("ward").scopeIds, Number(c.req.param("id")));
  if (r?.status !== "issued" || r.published !== 1) throw notFound("Không tìm thấy báo cáo đã công khai.");
  return r;
}

export function reportsPublicRoutes() {
  const app = new Hono<AppEnv>();
  app.get("/bao-cao/:id{[0-9]+}/bao-cao.docx", async (c) => {
    const r = await publishedReport(c);
    c.header("Content-Type", "application/vnd.openxmlformats-officedocument.wordprocessingml.document");
    c.header("Content-Disposition", `attachment; filename="bao-cao-${r.id}.docx"`);
    return c.body(new Uint8Array(await renderDocx(documentOf(r).document)));
  });
  app.get("/bao-cao/:id{[0-9]+}/bao-cao.pdf", async (c) => {
    const r = await publishedReport(c);
    try {
      const pdf = await docxToPdf(await renderDocx(documentOf(r).document));
      c.header("Content-Type", "application/pdf");
      c.header("Content-Disposition", `attachment; filename="bao-cao-${r.id}.pdf"`);
      return c.body(new Uint8Array(pdf));
    } catch (err) {
      if (err instanceof PdfUnavailableError) throw new AppError(503, "pdf_unavailable", err.message);
      throw err;
    }
  });
  return app;
}
