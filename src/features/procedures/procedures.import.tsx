/**
 * Staff import of procedure files: upload → dry run (N new, M changed, K unchanged, every bad row) → confirm →
 * real import, all or nothing. Between the two steps the upload waits in the database (core/staged-uploads.ts) under an
 * unguessable token bound to the user, for an hour, so the confirmation needs no second upload and no JavaScript, and
 * may reach another app process than the dry run did.
 */
import { type Context, Hono } from "hono";
import type { Actor } from "../../core/audit.ts";
import { dropStaged, stageUpload, takeStaged } from "../../core/staged-uploads.ts";
import { vnToday } from "../../core/text/vi.ts";
import type { AppEnv } from "../../core/web/context.ts";
import { Layout } from "../../core/web/layout.tsx";
import { requireAction, requireCsrf, requireOperator, requireStaff } from "../../core/web/middleware.ts";
import { formFields } from "../../core/web/validation.ts";
import { importDecision } from "./procedures.lifecycle.ts";
import { type DecisionInput, importProcedures } from "./procedures.service.ts";
import { readProcedureFileIsolated } from "./read-records.ts";
import { ImportForm, type ImportFormValues, ImportReportView } from "./views/import.tsx";

/** How long an upload waits for its confirmation. */
const STAGE_MS = 60 * 60 * 1000;
/** The staged uploads' purpose (core/staged-uploads.ts). */
const PURPOSE = "procedures-import";

interface Staged {
  decision: DecisionInput | null;
  provinceId: number | null;
}

const actorOf = (c: Context<AppEnv>): Actor => {
  const u = c.get("session")?.user;
  return { userId: u?.id ?? null, name: u?.username ?? "?", wardId: u?.ward_id ?? null };
};

export function proceduresImportRoutes() {
  const app = new Hono<AppEnv>();
  // The catalogue is national and provincial: importing it is the operator's, never one ward's (owner levels).
  const manage = [requireAction("procedures.manage"), requireOperator] as const;

  const formPage = (c: Context<AppEnv>, values: ImportFormValues, errors: Record<string, string>) => {
    const { config } = c.get("deps");
    const ward = c.get("ward");
    const s = c.get("session");
    return c.html(
      <Layout title="Nhập danh mục thủ tục" ward={ward} session={s} staff>
        <ImportForm
          csrf={s?.csrfToken ?? ""}
          values={values}
          errors={errors}
          provinceName={ward.province?.name ?? null}
          maxMb={Math.round(config.uploadMaxBytes / 1024 / 1024)}
        />
      </Layout>,
    );
  };

  app.get("/thu-tuc/nhap", requireStaff, requireCsrf, ...manage, (c) => formPage(c, {}, {}));

  app.post("/thu-tuc/nhap", requireStaff, requireCsrf, ...manage, async (c) => {
    const { db, config, clock } = c.get("deps");
    const ward = c.get("ward");
    const s = c.get("session");
    const body = await c.req.parseBody();
    const values = formFields(body) as ImportFormValues;
    const file = body.file;
    const options = importDecision({
      decision: values.decision ?? "",
      decidedOn: values.decidedOn ?? "",
      effectiveFrom: values.effectiveFrom ?? "",
      issuer: values.issuer ?? "",
    });
    const errors: Record<string, string> = options.ok ? {} : { ...options.errors };
    let status: 400 | 413 = 400;
    if (!(file instanceof File) || file.size === 0) errors.file = "Hãy chọn tệp thủ tục.";
    else if (file.size > config.uploadMaxBytes) {
      status = 413;
      errors.file = `Tệp quá lớn: tối đa ${Math.round(config.uploadMaxBytes / 1024 / 1024)} MB.`;
    }
    if (!options.ok || Object.keys(errors).length || !(file instanceof File)) {
      c.status(status);
      return formPage(c, values, errors);
    }
    const now = clock();
    const bytes = new Uint8Array(await file.arrayBuffer());
    const read = await readProcedureFileIsolated(bytes, file.name);
    const provinceId = values.province === "own" ? (ward.province?.id ?? null) : null;
    const report = await importProcedures(db.kysely, actorOf(c), read.rows, read.problems, {
      decision: options.decision,
      provinceId,
      dryRun: true,
      today: vnToday(now),
      now,
    });
    const worth = report.ok && report.counts.new + report.counts.changed > 0;
    const token = worth
      ? await stageUpload<Staged>(db.kysely, {
          purpose: PURPOSE,
          userId: s?.user.id ?? 0,
          fileName: file.name,
          meta: { decision: options.decision ?? null, provinceId },
          bytes,
          now,
          ttlMs: STAGE_MS,
        })
      : null;
    if (!report.ok) c.status(422);
    return c.html(
      <Layout title="Kết quả kiểm tra tệp" ward={ward} session={s} staff>
        <ImportReportView report={report} csrf={s?.csrfToken ?? ""} token={token} fileName={file.name} />
      </Layout>,
    );
  });

  app.post("/thu-tuc/nhap/xac-nhan", requireStaff, requireCsrf, ...manage, async (c) => {
    const { db, clock } = c.get("deps");
    const s = c.get("session");
    const token = formFields(await c.req.parseBody()).token ?? "";
    const now = clock();
    const staged = await takeStaged<Staged>(db.kysely, {
      purpose: PURPOSE,
      token,
      userId: s?.user.id ?? -1,
      now,
      ttlMs: STAGE_MS,
    });
    if (!staged) {
      c.status(400);
      return formPage(c, {}, { file: "Tệp đã kiểm tra không còn (quá một giờ hoặc đã nhập). Hãy tải lên lại." });
    }
    const read = await readProcedureFileIsolated(staged.bytes, staged.fileName);
    const report = await importProcedures(db.kysely, actorOf(c), read.rows, read.problems, {
      decision: staged.meta.decision ?? undefined,
      provinceId: staged.meta.provinceId,
      dryRun: false,
      today: vnToday(now),
      now,
    });
    if (!report.ok) {
      c.status(422);
      return c.html(
        <Layout title="Kết quả kiểm tra tệp" ward={c.get("ward")} session={s} staff>
          <ImportReportView report={report} csrf={s?.csrfToken ?? ""} token={null} fileName={staged.fileName} />
        </Layout>,
      );
    }
    await dropStaged(db.kysely, token);
    const { counts } = report;
    return c.redirect(`/quan-tri/thu-tuc?da-nhap=${counts.new}.${counts.changed}.${counts.unchanged}`, 303);
  });

  return app;
}
