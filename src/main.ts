/** Start: config → database → migrations → first start (demo or setup) → app → listen. */
import type { Server } from "node:http";
import { getConnInfo } from "@hono/node-server/conninfo";
import { createApp } from "./app.tsx";
import { ConfigError, loadConfig, PAGE_CACHE_MB_DEFAULT } from "./core/config.ts";
import {
  claimForServer,
  markPortal,
  readMarker,
  refuseForeignDatabase,
  refuseLostSqliteDatabase,
} from "./core/data-folder.ts";
import { openDatabase } from "./core/db/connection.ts";
import { migrateToLatest } from "./core/db/migrate.ts";
import { withSetupLock } from "./core/db/setup-lock.ts";
import { prewarmPdfConverter } from "./core/documents/pdf.ts";
import { DATABASE_STORE_NEEDS_POSTGRES, fileStoreOf } from "./core/file-store.ts";
import { finishedJobsPurgeTask, startJobRunner } from "./core/jobs/jobs.ts";
import { createLogger } from "./core/log.ts";
import { RequestMetrics } from "./core/metrics.ts";
import { servePortal } from "./core/web/cached-listener.ts";
import { databaseLost } from "./core/web/database-guard.ts";
import { drainOnStop } from "./core/web/graceful-stop.ts";
import { PageCache } from "./core/web/page-cache.ts";
import { flushNewsViews, FLUSH_MS as NEWS_VIEWS_FLUSH_MS } from "./features/news/news.views-count.ts";
import { personalDataPurgeTask } from "./features/privacy/privacy.service.ts";
import { codeVersion, NO_PUBLIC_URL_WARNING } from "./features/procedures/page-copies.tsx";
import { startSearchIndexBuild } from "./features/search/search.service.ts";
import { flushSearchLog, SEARCH_LOG_RETENTION_DEFAULT, searchLogPurgeTask } from "./features/search/search-log.ts";
import { scheduleLearning } from "./features/search/search-prior.service.ts";
import { firstStart } from "./features/setup/setup.service.ts";

async function main() {
  let config: ReturnType<typeof loadConfig>;
  try {
    config = loadConfig();
  } catch (e) {
    if (e instanceof ConfigError) {
      console.error(e.message);
      process.exit(2);
    }
    throw e;
  }
  // Files in the database need PostgreSQL: refused before anything is opened or written.
  if (config.fileStore === "database" && !config.databaseUrl) {
    console.error(DATABASE_STORE_NEEDS_POSTGRES);
    process.exit(2);
  }
  const log = createLogger(config.logLevel);
  // A folder that once held a portal never starts on a missing or foreign database (it would load the demo over the
  // ward's data), and never while a restore is writing it; the entry also lets `restore` refuse while we run.
  refuseLostSqliteDatabase(config);
  const folder = claimForServer(config.dataDir);
  const hadPortal = readMarker(config.dataDir) !== null;
  // Printed notice boards carry QR codes to the portal: without its public address they cannot.
  if (!config.publicUrl) log.warn(NO_PUBLIC_URL_WARNING);
  const db = openDatabase(config);
  const files = fileStoreOf({ db, config });
  await refuseForeignDatabase(db, config);
  // Migrations and the first start, one process at a time: N processes started together on an empty PostgreSQL
  // schema all come up, and exactly one of them loads the demo (or writes the setup code) and prints its credentials.
  const first = await withSetupLock(db, async () => {
    await migrateToLatest(db);
    const saved = await db.kysely
      .selectFrom("settings")
      .select("value")
      .where("key", "=", "default_ward")
      .executeTakeFirst();
    if (saved && !process.env.DEFAULT_WARD) config.defaultWard = saved.value;
    const started = await firstStart(db, {
      sharedDir: config.sharedDir,
      defaultWard: config.defaultWard,
      now: new Date(),
      loadDemo: !hadPortal,
    });
    await markPortal(db, config);
    return started;
  });
  // Credentials go to the terminal once, never to the structured log.
  for (const line of first.lines) console.log(line);

  let stopping = false;
  const requestMetrics = new RequestMetrics();
  const deps = { db, config, clock: () => new Date(), log };
  const pageCache = new PageCache(config.pageCacheBytes ?? PAGE_CACHE_MB_DEFAULT * 1024 * 1024);
  const app = createApp(deps, {
    remoteAddress: (c) => getConnInfo(c).remote.address,
    pageCache,
    requestMetrics,
    stopping: () => stopping,
  });
  // Background work runs here, never in a request (see core/jobs/jobs.ts): the queued jobs (speech audio, scheduled
  // publications, the search prior's learning) and the periodic tasks — personal data past its retention period
  // (PERSONAL_DATA_RETENTION_DAYS; 0 keeps it) and the search log's days past SEARCH_LOG_RETENTION_DAYS (0: the log
  // is off, emptied), each soon after start and nightly. PostgreSQL: through pg-boss, one run across every process.
  // TEST ONLY (CCHC_TEST_JOBS=1): a job kind and a periodic task that test/jobs-once.pg.test.ts can kill -9 us during.
  const testJobs = process.env.CCHC_TEST_JOBS === "1" ? await import("./core/jobs/test-jobs.ts") : null;
  const personalPurge = personalDataPurgeTask({ retentionDays: config.personalDataRetentionDays ?? 0, log });
  const stopJobs = await startJobRunner({
    db,
    log,
    dataDir: config.dataDir,
    files,
    clock: () => new Date(),
    pollMs: config.jobsPollMs ?? 2000,
    databaseUrl: config.databaseUrl,
    periodic: [
      ...(personalPurge ? [personalPurge] : []),
      searchLogPurgeTask({ retentionDays: config.searchLogRetentionDays ?? SEARCH_LOG_RETENTION_DEFAULT, log }),
      finishedJobsPurgeTask(log),
      ...(testJobs ? [testJobs.tickTask(process.env.CCHC_TEST_JOBS_FILE ?? `${config.dataDir}/test-jobs.log`)] : []),
    ],
  });
  // The search index is built now, beside the listen rather than before it: /readyz says 503 until it is done, so
  // a balancer sends no citizen's search to a process that would build it on the request. After the job runner has
  // its connections: building holds the event loop for seconds at national size, and on a busy machine a connection
  // being opened meanwhile (pg-boss's, at its start) ran past its time-out and the start failed.
  startSearchIndexBuild(db, log);
  // The search prior learns from opened results once a day (a job that schedules its next run; queued once here).
  scheduleLearning(db, new Date()).catch((err) =>
    log.warn({ err: { message: (err as Error).message } }, "search prior learning not scheduled"),
  );
  // The stamp of pre-rendered copies digests this program's source: read now, not on the first visitor's request.
  codeVersion();
  // The first PDF should not wait seconds for LibreOffice to start (PDF_PREWARM=0: start it at the first PDF).
  prewarmPdfConverter();
  // Article views counted in memory reach the database every minute even when no later view comes to carry them.
  const saveViews = () =>
    flushNewsViews(db).catch((err) => log.warn({ err: { message: (err as Error).message } }, "news views not saved"));
  const viewsTimer = setInterval(saveViews, NEWS_VIEWS_FLUSH_MS);
  viewsTimer.unref();
  // A deleted or replaced SQLite file is noticed by the next write or health check, and within seconds without them.
  const watch = setInterval(() => databaseLost({ db, config, log }), 5_000);
  watch.unref();
  const server = servePortal(
    app,
    pageCache,
    { ...deps, metrics: requestMetrics },
    { port: config.port, hostname: config.host },
    (info) => {
      console.log(
        `CCHC đang chạy tại http://localhost:${info.port} (cơ sở dữ liệu: ${db.dialect === "sqlite" ? config.sqliteFile : "PostgreSQL"})`,
      );
    },
  );
  // A clean stop: /readyz turns 503, no new connections are taken, every answer from now on closes its connection,
  // idle keep-alive connections are left for the proxy to close (never closed under it: core/web/graceful-stop.ts),
  // the requests in flight finish (their answers were promised), then the database closes; at most STOP_GRACE_MS.
  // A kill -9 skips all this and still loses nothing acknowledged: every 201 follows a commit that SQLite (WAL,
  // synchronous=FULL) or PostgreSQL has made durable.
  const drain = drainOnStop(server as Server);
  const stop = (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, "stopping");
    drain.stop(() => {
      clearInterval(watch);
      clearInterval(viewsTimer);
      // What is counted in memory (article views, the search log) is written before the database closes, and a job
      // in hand is given a few seconds to finish.
      Promise.allSettled([saveViews(), flushSearchLog(db), stopJobs()])
        .then(() => db.close())
        .then(
          () => {
            folder.release();
            process.exit(0);
          },
          (e) => {
            log.error({ err: e }, "closing the database failed");
            process.exit(1);
          },
        );
    });
  };
  process.on("SIGINT", stop);
  process.on("SIGTERM", stop);
}

main().catch((e) => {
  console.error(`Không khởi động được: ${e instanceof Error ? e.message : String(e)}`);
  process.exit(1);
});
