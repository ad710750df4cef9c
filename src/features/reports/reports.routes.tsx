/**
 * Staff pages of a ward's report to the higher level: choose a period (a statutory quarter, six or nine months, the
 * year, or ad hoc dates), see every figure computed from the records, and download the draft in the Decree 30 layout
 * as DOCX or PDF. Reads only (GET); the draft carries no number until it is issued.
 */
import { type Context, Hono } from "hono";
import { renderDocx } from "../../core/documents/docx-writer.ts";
import { docxToPdf, PdfUnavailableError } from "../../core/documents/pdf.ts";
import { formatDate } from "../../core/text/vi.ts";
import type { AppEnv } from "../../core/web/context.ts";
import { AppError } from "../../core/web/errors.ts";
import { requireAction, requireStaff } from "../../core/web/middleware.ts";
import { todayOf } from "../../core/web/staff.ts";
import { validate } from "../../core/web/validation.ts";
import { periodTitle } from "./periods.ts";
import { defaultAddressees, draftReport } from "./report-draft.ts";
import { computeReportFigures } from "./report-figures.ts";
import { periodOfQuery, reportQuery } from "./reports.schemas.ts";
import { ReportFormPage, ReportPreviewPage } from "./reports.views.tsx";

type C = Context<AppEnv>;

/** The period of the request and the draft document with its figures, or the form again with what is wrong. */
async function draftOf(c: C) {
  const query = c.req.query();
  const parsed = validate(reportQuery, query);
  const today = todayOf(c);
  if (!parsed.ok) return { ok: false as const, values: query, errors: parsed.errors };
  const period = periodOfQuery(parsed.value, today);
  if (!period.ok) return { ok: false as const, values: query, errors: { [period.field]: period.message } };
  const { db, clock } = c.get("deps");
  const ward = c.get("ward");
  const figures = await computeReportFigures(db.kysely, ward, period.period, clock(), today);
  const heading = {
    wardName: ward.unit.name,
    place: ward.unit.short_name || ward.unit.name,
    provinceName: ward.province?.name ?? null,
    periodTitle: periodTitle(period.period),
    year: Number(period.period.to.slice(0, 4)),
  };
  const document = draftReport(heading, figures, defaultAddressees(heading.provinceName));
  return { ok: true as const, period: period.period, figures, document, query };
}

const fileName = (p: { from: string; to: string }, ext: string) => `bao-cao-cchc-${p.from}-${p.to}.${ext}`;

export function reportsStaffRoutes() {
  const app = new Hono<AppEnv>();
  app.use("/bao-cao", requireStaff, requireAction("report.draft"));
  app.use("/bao-cao/*", requireStaff, requireAction("report.draft"));

  app.get("/bao-cao", (c) =>
    c.html(
      <ReportFormPage ward={c.get("ward")} session={c.get("session")} values={{}} errors={{}} today={todayOf(c)} />,
    ),
  );

  app.get("/bao-cao/du-thao", async (c) => {
    const d = await draftOf(c);
    if (!d.ok) {
      c.status(400);
      return c.html(
        <ReportFormPage
          ward={c.get("ward")}
          session={c.get("session")}
          values={d.values}
          errors={d.errors}
          today={todayOf(c)}
        />,
      );
    }
    const search = new URLSearchParams(d.query).toString();
    return c.html(
      <ReportPreviewPage
        ward={c.get("ward")}
        session={c.get("session")}
        figures={d.figures}
        document={d.document}
        periodText={`${periodTitle(d.period)} (số liệu từ ${formatDate(d.period.from)} đến ${formatDate(d.period.to)})`}
        search={search}
      />,
    );
  });

  app.get("/bao-cao/du-thao.docx", async (c) => {
    const d = await draftOf(c);
    if (!d.ok) throw new AppError(400, "bad_request", Object.values(d.errors)[0] ?? "Kỳ báo cáo không hợp lệ.");
    const bytes = await renderDocx(d.document);
    c.header("Content-Type", "application/vnd.openxmlformats-officedocument.wordprocessingml.document");
    c.header("Content-Disposition", `attachment; filename="${fileName(d.period, "docx")}"`);
    c.header("Cache-Control", "no-store");
    return c.body(new Uint8Array(bytes));
  });

  app.get("/bao-cao/du-thao.pdf", async (c) => {
    const d = await draftOf(c);
    if (!d.ok) throw new AppError(400, "bad_request", Object.values(d.errors)[0] ?? "Kỳ báo cáo không hợp lệ.");
    try {
      const pdf = await docxToPdf(await renderDocx(d.document));
      c.header("Content-Type", "application/pdf");
      c.header("Content-Disposition", `attachment; filename="${fileName(d.period, "pdf")}"`);
      c.header("Cache-Control", "no-store");
      return c.body(new Uint8Array(pdf));
    } catch (err) {
      if (err instanceof PdfUnavailableError) throw new AppError(503, "pdf_unavailable", err.message);
      throw err;
    }
  });
  return app;
}
