/** The composition root: builds the whole application from its dependencies, so tests can pass their own. */

import { Hono } from "hono";
import { bodyLimit } from "hono/body-limit";
import { HTTPException } from "hono/http-exception";
import { matchedRoutes } from "hono/route";
import { PAGE_CACHE_MB_DEFAULT } from "./core/config.ts";
import { changesOf } from "./core/db/changes.ts";
import { databaseUnavailable } from "./core/db/connection.ts";
import { FileOwners } from "./core/files.ts";
import { RequestMetrics } from "./core/metrics.ts";
import { serveStaticAssets } from "./core/web/assets.ts";
import { CITIZEN_FORMS_CSS_ASSET } from "./core/web/citizen-forms-css.ts";
import { compressText } from "./core/web/compress.ts";
import type { AppEnv, Deps } from "./core/web/context.ts";
import { refuseWritesWhenDatabaseLost } from "./core/web/database-guard.ts";
import { AppError } from "./core/web/errors.ts";
import { Layout, SITE_CSS } from "./core/web/layout.tsx";
import { clientAddress, loadSession, oversizedIds, securityHeaders } from "./core/web/middleware.ts";
import { observeRequests, routeLabel } from "./core/web/observe.ts";
import { NOT_READY, opsRoutes } from "./core/web/ops.ts";
import { PageCache, publicPageCache } from "./core/web/page-cache.ts";
import { storedFileRoutes } from "./core/web/stored-files.ts";
import { staffWard, wardFromRequest } from "./core/web/ward.ts";
import { accountsRoutes } from "./features/accounts/accounts.routes.tsx";
import { provinceAccountsRoutes } from "./features/accounts/province-accounts.routes.tsx";
import { secondFactorStaffRoutes } from "./features/accounts/second-factor.routes.tsx";
import { ssoRoutes } from "./features/accounts/sso.routes.tsx";
import { usersStaffRoutes } from "./features/accounts/users.routes.tsx";
import { openApiDocument } from "./features/api/openapi.ts";
import { calendarRoutes } from "./features/calendar/calendar.routes.tsx";
import { registerDocumentFiles } from "./features/documents/documents.files.ts";
import { documentsApi, documentsPublicRoutes } from "./features/documents/documents.public.tsx";
import { documentsStaffRoutes } from "./features/documents/documents.routes.tsx";
import { registerEventFiles } from "./features/events/events.files.ts";
import { eventsApi, eventsPublicRoutes } from "./features/events/events.public.tsx";
import { eventsStaffRoutes } from "./features/events/events.routes.tsx";
import { feedbackApi } from "./features/feedback/feedback.api.ts";
import { registerFeedbackFiles } from "./features/feedback/feedback.files.ts";
import { feedbackPublicRoutes } from "./features/feedback/feedback.public.tsx";
import { feedbackStaffRoutes } from "./features/feedback/feedback.staff.tsx";
import { feedbackWorkflowRoutes } from "./features/feedback/feedback.workflow.routes.tsx";
import { jobsStaffRoutes } from "./features/jobs/jobs.routes.tsx";
import { registerNewsFiles } from "./features/news/news.files.ts";
import { newsApi, newsPublicRoutes } from "./features/news/news.public.tsx";
import { newsStaffRoutes } from "./features/news/news.routes.tsx";
import { budgetStaffRoutes } from "./features/plans/budget.routes.tsx";
import { registerEvidenceFiles } from "./features/plans/evidence-files.ts";
import { ledgerStaffRoutes } from "./features/plans/ledger.routes.tsx";
import { nextPlanRoutes } from "./features/plans/next-plan.routes.tsx";
import { PLAN_MAX_BYTES } from "./features/plans/plan-document.ts";
import { plansApi } from "./features/plans/plans.api.ts";
import { plansPublicRoutes } from "./features/plans/plans.public.tsx";
import { plansStaffRoutes } from "./features/plans/plans.staff.tsx";
import { trackingStaffRoutes } from "./features/plans/tracking.routes.tsx";
import { privacyRoutes } from "./features/privacy/privacy.routes.tsx";
import { proceduresApi } from "./features/procedures/procedures.api.ts";
import { proceduresImportRoutes } from "./features/procedures/procedures.import.tsx";
import { proceduresPublicRoutes } from "./features/procedures/procedures.public.tsx";
import { proceduresStaffRoutes } from "./features/procedures/procedures.staff.tsx";
import { PROCEDURES_CSS_ASSET } from "./features/procedures/views/shared.tsx";
import { provinceRoutes } from "./features/province/province.routes.tsx";
import { questionsRoutes } from "./features/questions/questions.routes.tsx";
import { radioApi, radioPublicRoutes } from "./features/radio/radio.public.tsx";
import { radioStaffRoutes } from "./features/radio/radio.routes.tsx";
import { registerReportFiles } from "./features/reports/report-files.ts";
import { provinceReportsPublicRoutes, reportsApi, reportsPublicRoutes } from "./features/reports/reports.api.ts";
import { reportsStaffRoutes } from "./features/reports/reports.routes.tsx";
import { requestsRoutes } from "./features/reports/requests.routes.tsx";
import { rollupApi } from "./features/rollup/rollup.api.ts";
import { rollupPublicRoutes } from "./features/rollup/rollup.public.tsx";
import { searchPublicRoutes, searchStaffRoutes } from "./features/search/search.routes.tsx";
import {
  searchIndexBytes,
  searchIndexDocuments,
  searchIndexReady,
  startSearchIndexBuild,
} from "./features/search/search.service.ts";
import { searchLearnRoutes } from "./features/search/search-learn.routes.tsx";
import { searchPriorRoutes } from "./features/search/search-prior.routes.tsx";
import { setupRoutes } from "./features/setup/setup.routes.tsx";
import { staffHomeRoutes } from "./features/staff/staff.routes.tsx";
import { surveysRoutes } from "./features/surveys/surveys.routes.ts";
import { trainingStaffRoutes } from "./features/training/training.routes.tsx";
import { orgUnitsStaffRoutes } from "./features/units/units.routes.tsx";
import { wardProfileRoutes, withWardContact } from "./features/ward-profile/ward-profile.routes.tsx";

export interface AppOptions {
  /** The client's socket address, where the server knows it. */
  remoteAddress?: (c: import("hono").Context<AppEnv>) => string | undefined;
  /** The request counts /metrics reports; main.ts shares them with the cache's hot path (cached-listener.ts). */
  requestMetrics?: RequestMetrics;
  /** True once the process is stopping (main.ts): /readyz then answers 503. */
  stopping?: () => boolean;
  /** The public page cache; by default one of `config.pageCacheBytes` (a test passes its own to watch its size). */
  pageCache?: PageCache;
}

export function createApp(deps: Deps, options: AppOptions = {}) {
  const app = new Hono<AppEnv>();

  const requestMetrics = options.requestMetrics ?? new RequestMetrics();
  const pageCache =
    options.pageCache ?? new PageCache(deps.config.pageCacheBytes ?? PAGE_CACHE_MB_DEFAULT * 1024 * 1024);
  // Learn of writes from now on (core/db/changes.ts): on PostgreSQL, the listening connection opens before any page.
  changesOf(deps.db);
  const remoteAddress = options.remoteAddress ?? (() => undefined);
  app.use("*", async (c, next) => {
    c.set("deps", deps);
    await next();
  });
  // Outermost: the request id, the one log line and the metrics see every answer, whoever gave it.
  app.use("*", observeRequests(requestMetrics, remoteAddress));
  app.use("*", securityHeaders);
  app.use("*", oversizedIds);
  app.use("*", compressText());
  app.use("*", refuseWritesWhenDatabaseLost);
  // Health, readiness and metrics: before the cache, the ward and the session, which they need none of.
  app.route(
    "/",
    opsRoutes({
      requestMetrics,
      pageCache,
      stopping: options.stopping,
      readiness: [
        () => {
          if (searchIndexReady(deps.db)) return null;
          // Built at start-up (main.ts); here again if that failed, so readiness comes back by itself.
          startSearchIndexBuild(deps.db, deps.log);
          return NOT_READY.searchIndex;
        },
      ],
      metrics: [
        () => [
          {
            name: "cchc_search_index_ready",
            help: "Whether this process has built its search index (1) or not yet (0).",
            type: "gauge",
            samples: [{ value: searchIndexReady(deps.db) ? 1 : 0 }],
          },
          {
            name: "cchc_search_index_documents",
            help: "Documents in this process's search index (its memory grows with them).",
            type: "gauge",
            samples: [{ value: searchIndexDocuments(deps.db) }],
          },
          {
            name: "cchc_search_index_bytes",
            help: "Memory of this process's search index in bytes, computed from its structures (an estimate).",
            type: "gauge",
            samples: [{ value: searchIndexBytes(deps.db) }],
          },
        ],
      ],
    }),
  );
  app.use("*", serveStaticAssets([SITE_CSS, PROCEDURES_CSS_ASSET, CITIZEN_FORMS_CSS_ASSET]));
  // First after the headers: a cached page costs one version check and nothing else.
  app.use("*", publicPageCache(pageCache));
  // One ceiling for every body, checked before anything reads it; features check their own tighter limits.
  app.use(
    "*",
    bodyLimit({
      maxSize: Math.max(PLAN_MAX_BYTES, deps.config.uploadMaxBytes * 3) + 256 * 1024,
      onError: () => {
        throw new AppError(413, "too_large", "Nội dung gửi lên quá lớn.");
      },
    }),
  );
  app.use("*", clientAddress(remoteAddress));

  app.get("/api/openapi.json", (c) => c.json(openApiDocument()));

  app.use("*", wardFromRequest);
  app.use("*", withWardContact);
  app.use("*", loadSession);
  app.use("/quan-tri/*", staffWard);
  app.use("/quan-tri", staffWard);

  app.route("/", setupRoutes());
  app.route("/", accountsRoutes());
  app.route("/", ssoRoutes());
  app.route("/api/v1", plansApi());
  app.route("/api/v1", proceduresApi());
  app.route("/api/v1", feedbackApi());
  app.route("/api/v1", reportsApi());
  app.route("/api/v1", rollupApi());
  app.route("/api/v1", eventsApi());
  app.route("/api/v1", documentsApi());
  app.route("/api/v1", radioApi());
  app.route("/api/v1", newsApi());
  app.route("/quan-tri", storedFileRoutes(fileOwners()));
  app.route("/quan-tri", staffHomeRoutes());
  app.route("/quan-tri", plansStaffRoutes());
  app.route("/quan-tri", budgetStaffRoutes());
  app.route("/quan-tri", nextPlanRoutes());
  app.route("/quan-tri", trackingStaffRoutes());
  app.route("/quan-tri", ledgerStaffRoutes());
  app.route("/quan-tri", orgUnitsStaffRoutes());
  app.route("/quan-tri", usersStaffRoutes());
  app.route("/quan-tri", jobsStaffRoutes());
  app.route("/quan-tri", secondFactorStaffRoutes());
  app.route("/quan-tri", proceduresImportRoutes());
  app.route("/quan-tri", proceduresStaffRoutes());
  app.route("/quan-tri", searchStaffRoutes());
  app.route("/quan-tri", searchLearnRoutes());
  app.route("/quan-tri", searchPriorRoutes());
  app.route("/quan-tri", feedbackStaffRoutes());
  app.route("/quan-tri", feedbackWorkflowRoutes());
  app.route("/quan-tri", calendarRoutes());
  app.route("/quan-tri", privacyRoutes());
  app.route("/quan-tri", reportsStaffRoutes());
  app.route("/quan-tri", trainingStaffRoutes());
  app.route("/quan-tri", requestsRoutes());
  app.route("/quan-tri", provinceRoutes());
  app.route("/quan-tri", provinceAccountsRoutes());
  app.route("/quan-tri", wardProfileRoutes());
  app.route("/quan-tri", eventsStaffRoutes());
  app.route("/quan-tri", documentsStaffRoutes());
  app.route("/quan-tri", radioStaffRoutes());
  app.route("/quan-tri", newsStaffRoutes());
  app.route("/", plansPublicRoutes());
  app.route("/w/:ward", plansPublicRoutes());
  app.route("/", proceduresPublicRoutes());
  app.route("/w/:ward", proceduresPublicRoutes());
  app.route("/", searchPublicRoutes());
  app.route("/w/:ward", searchPublicRoutes());
  app.route("/", feedbackPublicRoutes());
  app.route("/w/:ward", feedbackPublicRoutes());
  app.route("/", questionsRoutes());
  app.route("/", reportsPublicRoutes());
  app.route("/", provinceReportsPublicRoutes());
  app.route("/w/:ward", reportsPublicRoutes());
  app.route("/", surveysRoutes());
  app.route("/", rollupPublicRoutes());
  app.route("/", eventsPublicRoutes());
  app.route("/w/:ward", eventsPublicRoutes());
  app.route("/", documentsPublicRoutes());
  app.route("/w/:ward", documentsPublicRoutes());
  app.route("/", radioPublicRoutes());
  app.route("/w/:ward", radioPublicRoutes());
  app.route("/", newsPublicRoutes());
  app.route("/w/:ward", newsPublicRoutes());

  app.notFound((c) => renderError(c, new AppError(404, "not_found", "Không tìm thấy trang bạn cần.")));
  app.onError((err, c) => {
    if (err instanceof AppError) {
      // A 503 is "not now" (the search index still building, …): when to ask again, for browsers and the proxy.
      if (err.status === 503) c.header("Retry-After", "5");
      return renderError(c, err);
    }
    if (err instanceof HTTPException)
      return renderError(
        c,
        new AppError(
          err.status === 413 ? 413 : 400,
          "bad_request",
          err.status === 413 ? "Tệp hoặc nội dung gửi lên quá lớn." : "Yêu cầu không hợp lệ.",
        ),
      );
    if (databaseUnavailable(err)) {
      // A restart or failover of the database: say so and when to try again, not a 500 (a transaction cut midway was
      // rolled back; the public forms and the API take an idempotency key for the retry).
      deps.log.warn({ reqId: c.get("requestId"), err: { message: err.message } }, "database unavailable");
      c.header("Retry-After", "5");
      return renderError(
        c,
        new AppError(
          503,
          "database_unavailable",
          "Hệ thống tạm thời không kết nối được cơ sở dữ liệu. Vui lòng thử lại sau ít phút.",
        ),
      );
    }
    // The route pattern, never the path as sent (it can hold a public id or a code); the id joins it to its request.
    deps.log.error(
      {
        err: { message: err.message, stack: err.stack },
        reqId: c.get("requestId"),
        route: routeLabel(matchedRoutes(c), c.req.routeIndex),
      },
      "unhandled error",
    );
    return renderError(c, new AppError(500, "internal", "Hệ thống gặp sự cố. Vui lòng thử lại sau."));
  });
  return app;
}

/** Every kind of record that owns stored files, with the rule that decides who may read them. */
function fileOwners(): FileOwners {
  const owners = new FileOwners();
  registerFeedbackFiles(owners);
  registerEvidenceFiles(owners);
  registerReportFiles(owners);
  registerDocumentFiles(owners);
  registerNewsFiles(owners);
  registerEventFiles(owners);
  return owners;
}

function renderError(c: import("hono").Context<AppEnv>, err: AppError) {
  c.status(err.status);
  if (c.req.path.startsWith("/api/")) return c.json({ error: { id: err.id, message: err.message } });
  const ward = c.get("ward") ?? null;
  return c.html(
    <Layout title="Lỗi" ward={ward} session={c.get("session") ?? null}>
      <h1>
        {err.status === 404 ? "Không tìm thấy trang" : err.status === 403 ? "Không có quyền truy cập" : "Có lỗi xảy ra"}
      </h1>
      <p>{err.message}</p>
      <p>
        <a href={`${ward?.base ?? ""}/`}>Về trang chủ</a>
      </p>
    </Layout>,
  );
}
