/**
 * Staff pages of a ward's report to the higher level: choose a period (a statutory quarter, six or nine months, the
 * year, or ad hoc dates), see every figure computed from the records, and download the draft in the Decree 30 layout
 * as DOCX or PDF. Reads only (GET); the draft carries no number until it is issued.
 */

import { type Context, Hono } from "hono";
import { isProvinceAccount } from "../../core/auth/owners.ts";
import type { AdminDocument } from "../../core/documents/admin-document.ts";
import { docxToPdf, PdfUnavailableError, prewarmPdfConverter } from "../../core/documents/pdf.ts";
import { renderXlsx, XLSX_TYPE } from "../../core/documents/xlsx-writer.ts";
import { fileStoreOf } from "../../core/file-store.ts";
import { formatDate } from "../../core/text/vi.ts";
import type { AppEnv } from "../../core/web/context.ts";
import { docxOf } from "../../core/web/document-response.ts";
import { AppError, notFound } from "../../core/web/errors.ts";
import { readFormValues } from "../../core/web/forms.tsx";
import { requireAction, requireCsrf, requireStaff } from "../../core/web/middleware.ts";
import { actorOf, sessionOf, todayOf } from "../../core/web/staff.ts";
import { validate } from "../../core/web/validation.ts";
import { planOfWards, plansOfWards } from "../plans/ledger.ts";
import { findOrgUnit } from "../units/units.service.ts";
import { periodTitle } from "./periods.ts";
import { attachSignedCopy, type FileResult, reportSheets } from "./report-files.ts";
import { issueForm, narrativeForm, periodOfQuery, reportQuery } from "./reports.schemas.ts";
import {
  changesSince,
  createReport,
  type Department,
  documentOf,
  draftOf,
  editNarrative,
  issueReport,
  moveStatus,
  type Result,
  refreshFigures,
  reportOf,
  reportsOf,
} from "./reports.service.ts";
import { ReportFormPage, ReportPage, ReportPreviewPage } from "./reports.views.tsx";
import { requestsForWard } from "./requests.service.ts";

type C = Context<AppEnv>;

/** The department a province account issues for (its organisational unit of the province), or null. */
async function departmentOf(c: C): Promise<Department | null> {
  const user = sessionOf(c).user;
  if (!isProvinceAccount(user) || user.org_unit_id == null) return null;
  const unit = await findOrgUnit(c.get("deps").db.kysely, user.ward_id, user.org_unit_id, todayOf(c));
  return unit?.code ? { id: unit.id, name: unit.name, code: unit.code } : null;
}

/** The period of the request and the draft document with its figures, or the form again with what is wrong. */
async function previewOf(c: C) {
  const query = c.req.query();
  const parsed = validate(reportQuery, query);
  const today = todayOf(c);
  if (!parsed.ok) return { ok: false as const, values: query, errors: parsed.errors };
  const period = periodOfQuery(parsed.value, today);
  if (!period.ok) return { ok: false as const, values: query, errors: { [period.field]: period.message } };
  const { db, clock } = c.get("deps");
  const ward = c.get("ward");
  const planId = parsed.value.kehoach ?? null;
  if (planId != null && !(await planOfWards(db.kysely, ward.scopeIds, planId)))
    return {
      ok: false as const,
      values: query,
      errors: { kehoach: "Kế hoạch đã chọn không phải của xã, phường này." },
    };
  const d = await draftOf(db.kysely, ward, period.period, await departmentOf(c), clock(), today, {
    planId,
    procedureLevels: c.get("deps").config.procedureLevels,
  });
  return { ok: true as const, period: period.period, figures: d.figures, document: d.document, query };
}

const fileName = (p: { from: string; to: string }, ext: string) => `bao-cao-cchc-${p.from}-${p.to}.${ext}`;

export function reportsStaffRoutes() {
  const app = new Hono<AppEnv>();
  app.use("/bao-cao", requireStaff, requireCsrf, requireAction("report.draft"));
  app.use("/bao-cao/*", requireStaff, requireCsrf, requireAction("report.draft"));

  app.get("/bao-cao", async (c) => {
    const db = c.get("deps").db.kysely;
    const ward = c.get("ward");
    const [reports, requests] = await Promise.all([
      reportsOf(db, [ward.unit.id], false),
      requestsForWard(db, ward.unit.id, todayOf(c)),
    ]);
    return c.html(
      <ReportFormPage
        ward={ward}
        session={c.get("session")}
        values={{}}
        errors={{}}
        today={todayOf(c)}
        reports={reports}
        requests={requests}
        plans={await plansOfWards(db, ward.scopeIds)}
      />,
    );
  });

  app.get("/bao-cao/du-thao", async (c) => {
    const d = await previewOf(c);
    if (!d.ok) {
      c.status(400);
      return c.html(
        <ReportFormPage
          ward={c.get("ward")}
          session={c.get("session")}
          values={d.values}
          errors={d.errors}
          today={todayOf(c)}
          reports={[]}
          plans={await plansOfWards(c.get("deps").db.kysely, c.get("ward").scopeIds)}
        />,
      );
    }
    const search = new URLSearchParams(d.query).toString();
    prewarmPdfConverter(); // the PDF link is on this page
    return c.html(
      <ReportPreviewPage
        ward={c.get("ward")}
        session={c.get("session")}
        figures={d.figures}
        document={d.document}
        periodText={`${periodTitle(d.period)} (số liệu từ ${formatDate(d.period.from)} đến ${formatDate(d.period.to)})`}
        search={search}
        query={d.query}
      />,
    );
  });

  app.get("/bao-cao/du-thao.docx", async (c) => {
    const d = await previewOf(c);
    if (!d.ok) throw new AppError(400, "bad_request", Object.values(d.errors)[0] ?? "Kỳ báo cáo không hợp lệ.");
    return sendDocx(c, d.document, { period_from: d.period.from, period_to: d.period.to });
  });

  app.get("/bao-cao/du-thao.pdf", async (c) => {
    const d = await previewOf(c);
    if (!d.ok) throw new AppError(400, "bad_request", Object.values(d.errors)[0] ?? "Kỳ báo cáo không hợp lệ.");
    return sendPdf(c, d.document, { period_from: d.period.from, period_to: d.period.to });
  });

  app.get("/bao-cao/du-thao.xlsx", async (c) => {
    const d = await previewOf(c);
    if (!d.ok) throw new AppError(400, "bad_request", Object.values(d.errors)[0] ?? "Kỳ báo cáo không hợp lệ.");
    return sendXlsx(c, d.document, { period_from: d.period.from, period_to: d.period.to });
  });

  app.post("/bao-cao", async (c) => {
    const values = await readFormValues(c);
    const parsed = validate(reportQuery, values);
    const today = todayOf(c);
    const period = parsed.ok ? periodOfQuery(parsed.value, today) : null;
    if (!parsed.ok || !period?.ok) {
      c.status(400);
      const errors = !parsed.ok ? parsed.errors : period && !period.ok ? { [period.field]: period.message } : {};
      return c.html(
        <ReportFormPage
          ward={c.get("ward")}
          session={c.get("session")}
          values={values}
          errors={errors}
          today={today}
          reports={[]}
          plans={await plansOfWards(c.get("deps").db.kysely, c.get("ward").scopeIds)}
        />,
      );
    }
    const { db, clock } = c.get("deps");
    const requestId = /^\d{1,9}$/.test(values["yeu-cau"] ?? "") ? Number(values["yeu-cau"]) : null;
    const r = await createReport(db.kysely, staffActor(c), c.get("ward"), period.period, clock(), today, {
      requestId,
      department: await departmentOf(c),
      scope: { planId: parsed.value.kehoach ?? null, procedureLevels: c.get("deps").config.procedureLevels },
    });
    if (!r.ok && r.status === 400) {
      c.status(400);
      return c.html(
        <ReportFormPage
          ward={c.get("ward")}
          session={c.get("session")}
          values={values}
          errors={r.errors}
          today={today}
          reports={[]}
          plans={await plansOfWards(db.kysely, c.get("ward").scopeIds)}
        />,
      );
    }
    if (!r.ok) throw new AppError(r.status, "report", Object.values(r.errors)[0] ?? "");
    return c.redirect(`/quan-tri/bao-cao/${r.id}?da-luu=tao`, 303);
  });

  app.get(`${ID}`, async (c) => {
    prewarmPdfConverter(); // the PDF link is on this page
    return renderReport(c, {}, 200);
  });

  app.get(`${ID}/tai.docx`, async (c) => {
    const r = await loadReport(c);
    return sendDocx(c, documentOf(r).document, r);
  });
  app.get(`${ID}/tai.pdf`, async (c) => {
    const r = await loadReport(c);
    return sendPdf(c, documentOf(r).document, r);
  });

  app.get(`${ID}/tai.xlsx`, async (c) => {
    const r = await loadReport(c);
    return sendXlsx(c, documentOf(r).document, r);
  });
  app.post(`${ID}/ban-ky`, requireAction("report.issue"), async (c) => {
    const body = await c.req.parseBody();
    const f = body.signed;
    const upload =
      f instanceof File && !(f.size === 0 && f.name === "")
        ? { name: f.name, bytes: new Uint8Array(await f.arrayBuffer()) }
        : null;
    const { db, clock, config } = c.get("deps");
    const r = await attachSignedCopy(
      db.kysely,
      { config, files: fileStoreOf({ db, config }) },
      staffActor(c),
      c.get("ward"),
      idOf(c),
      upload,
      clock(),
    );
    return afterStep(c, r, "ban-ky");
  });

  app.post(`${ID}/noi-dung`, async (c) => {
    const v = await readFormValues(c);
    const parsed = validate(narrativeForm, v);
    if (!parsed.ok) return renderReport(c, parsed.errors, 400);
    const { db, clock } = c.get("deps");
    const r = await editNarrative(db.kysely, staffActor(c), c.get("ward"), idOf(c), parsed.value, clock());
    return afterStep(c, r, "noi-dung");
  });
  app.post(`${ID}/tinh-lai`, async (c) => {
    const { db, clock } = c.get("deps");
    const r = await refreshFigures(
      db.kysely,
      staffActor(c),
      c.get("ward"),
      idOf(c),
      clock(),
      todayOf(c),
      c.get("deps").config.procedureLevels,
    );
    return afterStep(c, r, "tinh-lai");
  });
  app.post(`${ID}/trinh`, async (c) => {
    const { db, clock } = c.get("deps");
    return afterStep(c, await moveStatus(db.kysely, staffActor(c), c.get("ward"), idOf(c), "submit", clock()), "trinh");
  });
  app.post(`${ID}/duyet`, requireAction("report.approve"), async (c) => {
    const { db, clock } = c.get("deps");
    return afterStep(
      c,
      await moveStatus(db.kysely, staffActor(c), c.get("ward"), idOf(c), "approve", clock()),
      "duyet",
    );
  });
  app.post(`${ID}/cong-khai`, requireAction("report.approve"), async (c) => {
    const { db, clock } = c.get("deps");
    return afterStep(
      c,
      await moveStatus(db.kysely, staffActor(c), c.get("ward"), idOf(c), "publish", clock()),
      "cong-khai",
    );
  });
  app.post(`${ID}/ban-hanh`, requireAction("report.issue"), async (c) => {
    const v = await readFormValues(c);
    const parsed = validate(issueForm(todayOf(c)), v);
    if (!parsed.ok) return renderReport(c, parsed.errors, 400);
    const { db, clock } = c.get("deps");
    const r = await issueReport(db.kysely, staffActor(c), c.get("ward"), idOf(c), parsed.value, clock());
    return afterStep(c, r, "ban-hanh");
  });
  return app;
}

const ID = "/bao-cao/:id{[0-9]+}";
const idOf = (c: C) => Number(c.req.param("id"));
const staffActor = (c: C) => {
  const a = actorOf(c);
  return { ...a, userId: a.userId as number };
};

async function loadReport(c: C) {
  const r = await reportOf(c.get("deps").db.kysely, c.get("ward"), idOf(c));
  if (!r) throw notFound("Không tìm thấy báo cáo.");
  return r;
}

async function renderReport(c: C, errors: Record<string, string>, status: 200 | 400 | 404 | 409 | 413 | 415) {
  const r = await loadReport(c);
  const { db, clock } = c.get("deps");
  const { document, figures, narrative } = documentOf(r);
  const changes =
    r.status === "issued"
      ? await changesSince(db.kysely, c.get("ward"), r, clock(), todayOf(c), c.get("deps").config.procedureLevels)
      : [];
  c.status(status);
  return c.html(
    <ReportPage
      ward={c.get("ward")}
      session={sessionOf(c)}
      report={r}
      document={document}
      figures={figures}
      narrative={narrative}
      changes={changes}
      errors={errors}
      saved={c.req.method === "GET" ? c.req.query("da-luu") : undefined}
      today={todayOf(c)}
    />,
  );
}

async function afterStep(c: C, r: Result | FileResult, saved: string) {
  if (r.ok) return c.redirect(`/quan-tri/bao-cao/${r.id}?da-luu=${saved}`, 303);
  if (r.status === 404) throw notFound("Không tìm thấy báo cáo.");
  return renderReport(c, r.errors, r.status);
}

/** A report's document as a DOCX download (never cached). */
export function sendDocx(c: C, document: AdminDocument, r: { period_from: string; period_to: string }) {
  return docxOf(document).then((bytes) => {
    c.header("Content-Type", "application/vnd.openxmlformats-officedocument.wordprocessingml.document");
    c.header(
      "Content-Disposition",
      `attachment; filename="${fileName({ from: r.period_from, to: r.period_to }, "docx")}"`,
    );
    c.header("Cache-Control", "no-store");
    return c.body(new Uint8Array(bytes));
  });
}

async function sendXlsx(c: C, document: AdminDocument, r: { period_from: string; period_to: string }) {
  const bytes = await renderXlsx(reportSheets(document, `${document.type} ${document.title}`));
  c.header("Content-Type", XLSX_TYPE);
  c.header(
    "Content-Disposition",
    `attachment; filename="${fileName({ from: r.period_from, to: r.period_to }, "xlsx")}"`,
  );
  c.header("Cache-Control", "no-store");
  return c.body(new Uint8Array(bytes));
}

/** A report's document as a PDF download (503 with the reason when LibreOffice is missing). */
export async function sendPdf(c: C, document: AdminDocument, r: { period_from: string; period_to: string }) {
  try {
    const pdf = await docxToPdf(await docxOf(document));
    c.header("Content-Type", "application/pdf");
    c.header(
      "Content-Disposition",
      `attachment; filename="${fileName({ from: r.period_from, to: r.period_to }, "pdf")}"`,
    );
    c.header("Cache-Control", "no-store");
    return c.body(new Uint8Array(pdf));
  } catch (err) {
    if (err instanceof PdfUnavailableError) throw new AppError(503, "pdf_unavailable", err.message);
    throw err;
  }
}
