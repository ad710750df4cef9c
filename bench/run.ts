/**
 * `npm run bench`: figures as JSON on stdout. A fresh SQLite database in a temporary folder, the real register and
 * seed plan from ../shared, the real server on loopback, autocannon as the load in a process of its own (bench/load.ts); then feedback submissions against
 * the server started as in production (bench/submissions.ts, also on PostgreSQL when BENCH_DATABASE_URL is set), and
 * memory and /healthz latency during cache-busting loops (bench/cache-busting.ts, likewise), and a busy ward's
 * year report as HTML, DOCX and PDF (bench/reports.ts, likewise), and a 600-word radio bulletin spoken in the
 * background with the public pages' p99 beside it (bench/radio.ts), PostgreSQL restarted under load on a private
 * cluster (bench/db-restart.ts), and a cached page through one and two processes behind nginx against nginx and a
 * bare Node server serving the same bytes (bench/nginx.ts, PostgreSQL only).
 */
import fs from "node:fs";
import http from "node:http";
import os from "node:os";
import path from "node:path";
import { createApp } from "../src/app.tsx";
import { SYSTEM_ACTOR } from "../src/core/audit.ts";
import { loadConfig, PAGE_CACHE_MB_DEFAULT } from "../src/core/config.ts";
import { openSqlite } from "../src/core/db/connection.ts";
import { migrateToLatest } from "../src/core/db/migrate.ts";
import { createLogger } from "../src/core/log.ts";
import { vnToday } from "../src/core/text/vi.ts";
import { servePortal } from "../src/core/web/cached-listener.ts";
import { PageCache } from "../src/core/web/page-cache.ts";
import { confirmPlanImport } from "../src/features/plans/plans.service.ts";
import { DEFAULT_WARD_UNITS } from "../src/features/plans/unit-match.ts";
import { importProcedures } from "../src/features/procedures/procedures.service.ts";
import { readProcedureFile } from "../src/features/procedures/read-records.ts";
import { readDvhcvn } from "../src/features/units/dvhcvn.ts";
import { adminUnitInForce, createOrgUnit, loadAdminUnits, wardOf } from "../src/features/units/units.service.ts";
import { runCacheBustingBench } from "./cache-busting.ts";
import { runDbRestartBench } from "./db-restart.ts";
import { runImportLoadBench } from "./import-load.ts";
import { load } from "./load.ts";
import { runNewsBench, seedNews } from "./news.ts";
import { runNginxBench } from "./nginx.ts";
import { runRadioBench } from "./radio.ts";
import { runReportsBench } from "./reports.ts";
import { runRollupBench } from "./rollup.ts";
import { parseScaleArgs, runScaleBench } from "./scale.ts";
import { runSearchBench } from "./search.ts";
import { runSubmissionsBench } from "./submissions.ts";

const DURATION_S = Number(process.env.BENCH_SECONDS ?? 10);
const CONNECTIONS = 50;

async function main() {
  if (process.argv.includes("--scale")) {
    // The national-size run (bench/scale.ts) alone: it builds its own dataset on PostgreSQL.
    console.log(JSON.stringify(await runScaleBench(parseScaleArgs(process.argv.slice(2))), null, 2));
    return;
  }
  const sharedDir = path.resolve(process.env.CCHC_SHARED_DIR ?? "../shared");
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "cchc-bench-"));
  const db = openSqlite(path.join(dataDir, "cchc.sqlite"));
  try {
    await migrateToLatest(db);
    const t0 = performance.now();
    await loadAdminUnits(db, await readDvhcvn(path.join(sharedDir, "data/dvhcvn-2025")));
    const unitsMs = performance.now() - t0;
    const now = new Date();
    const unit = await adminUnitInForce(db.kysely, "21439", vnToday(now));
    if (!unit) throw new Error("21439 missing");
    const ward = await wardOf(db.kysely, unit, "");
    for (const u of DEFAULT_WARD_UNITS)
      await createOrgUnit(
        db.kysely,
        SYSTEM_ACTOR,
        { wardId: unit.id, name: u.name, code: u.code, aliases: [...u.aliases] },
        now,
      );

    const seed = fs.readFileSync(path.join(sharedDir, "seeds/000_5d25a1a03213bf5f.txt"), "utf8");
    const t1 = performance.now();
    const r = await confirmPlanImport(db.kysely, SYSTEM_ACTOR, ward, seed, { now, today: vnToday(now) });
    const importMs = performance.now() - t1;
    if (!r.ok) throw new Error(r.error);
    const t2 = performance.now();
    await confirmPlanImport(db.kysely, SYSTEM_ACTOR, ward, seed, { now, today: vnToday(now) });
    const reimportMs = performance.now() - t2;

    const recordsFile = path.join(sharedDir, "data/tthc-dichvucong-2026/cap-xa.jsonl");
    const read = await readProcedureFile(fs.readFileSync(recordsFile), "cap-xa.jsonl");
    const t3 = performance.now();
    const imported = await importProcedures(db.kysely, SYSTEM_ACTOR, read.rows, read.problems, {
      dryRun: false,
      today: vnToday(now),
      now,
    });
    const procedureImportMs = performance.now() - t3;
    const newestArticle = await seedNews(db, unit.id);

    const config = loadConfig({ DATA_DIR: dataDir, LOG_LEVEL: "silent", CCHC_SHARED_DIR: sharedDir });
    // The server as src/main.ts starts it: the page cache's hot path ahead of the app.
    const deps = { db, config, clock: () => new Date(), log: createLogger("silent") };
    const pageCache = new PageCache(PAGE_CACHE_MB_DEFAULT * 1024 * 1024);
    const app = createApp(deps, { pageCache });
    const server = servePortal(app, pageCache, deps, { port: 0, hostname: "127.0.0.1" });
    await new Promise((ok) => server.once("listening", ok));
    const address = server.address();
    const port = typeof address === "object" && address ? address.port : 0;
    const url = `http://127.0.0.1:${port}/ke-hoach/${r.planId}`;
    const page = await fetch(url);
    const body = await page.arrayBuffer();
    const css = await (await fetch(`http://127.0.0.1:${port}/static/site.css`)).arrayBuffer();
    const planLoad = await load({ url, connections: CONNECTIONS, duration: DURATION_S });

    // A procedure page against a bare Node server returning the same bytes from memory: the framework's overhead.
    const procUrl = `http://127.0.0.1:${port}/thu-tuc/1.001193`;
    const procPage = await fetch(procUrl);
    const procBody = Buffer.from(await procPage.arrayBuffer());
    const procCss = await fetch(`http://127.0.0.1:${port}/thu-tuc/thu-tuc.css`).then((r) =>
      r.ok ? r.arrayBuffer() : new ArrayBuffer(0),
    );
    const procLoad = await load({ url: procUrl, connections: CONNECTIONS, duration: DURATION_S });
    const news = await runNewsBench(`http://127.0.0.1:${port}`, newestArticle, CONNECTIONS, DURATION_S);
    server.close();
    const bare = http.createServer((_req, res) => {
      res.writeHead(200, { "content-type": "text/html; charset=utf-8", "content-length": procBody.length });
      res.end(procBody);
    });
    await new Promise<void>((ok) => bare.listen(0, "127.0.0.1", ok));
    const bareAddress = bare.address();
    const barePort = typeof bareAddress === "object" && bareAddress ? bareAddress.port : 0;
    const bareLoad = await load({
      url: `http://127.0.0.1:${barePort}/`,
      connections: CONNECTIONS,
      duration: DURATION_S,
    });
    bare.close();
    const search = await runSearchBench();
    const submissions = await runSubmissionsBench();
    const cacheBusting = await runCacheBustingBench();
    const importLoad = await runImportLoadBench();
    const reports = await runReportsBench();
    const rollup = await runRollupBench();
    const radio = await runRadioBench();
    const databaseRestart = await runDbRestartBench();
    const nginx = await runNginxBench();
    console.log(
      JSON.stringify(
        {
          machine: { cpus: os.cpus().length, node: process.version },
          database: "sqlite",
          unitsLoadMs: Math.round(unitsMs),
          seedImportMs: Math.round(importMs * 10) / 10,
          seedReimportMs: Math.round(reimportMs * 10) / 10,
          procedureImport: { records: read.rows.length, ms: Math.round(procedureImportMs), counts: imported.counts },
          procedurePage: {
            path: "/thu-tuc/1.001193",
            status: procPage.status,
            bytes: procBody.length,
            cssBytes: procCss.byteLength + css.byteLength,
            requestsPerSecond: Math.round(procLoad.requests.average),
            latencyP99Ms: procLoad.latency.p99,
            bareServerRequestsPerSecond: Math.round(bareLoad.requests.average),
            bareServerLatencyP99Ms: bareLoad.latency.p99,
            ratioToBare: Math.round((procLoad.requests.average / bareLoad.requests.average) * 100) / 100,
            errors: procLoad.errors + procLoad.non2xx,
          },
          news,
          newsTargets: news.targets,
          search,
          submissions,
          submissionTargets: Object.fromEntries(submissions.runs.map((r) => [r.database, r.targets])),
          cacheBusting,
          cacheBustingTargets: Object.fromEntries(cacheBusting.runs.map((r) => [r.database, r.targets])),
          importLoad,
          reports,
          reportTargets: Object.fromEntries(reports.runs.map((r) => [r.database, r.targets])),
          rollup,
          rollupTargets: Object.fromEntries(rollup.runs.map((r) => [r.database, r.targets])),
          radio,
          databaseRestart,
          nginx,
          nginxTargets: nginx.targets,
          procedureTargets: {
            importUnder3s: procedureImportMs <= 3000,
            pageAtLeastHalfOfBareServer: procLoad.requests.average / bareLoad.requests.average >= 0.5,
            pageP99Under20ms: procLoad.latency.p99 <= 20,
            pageWithCssUnder50KB: procBody.length + procCss.byteLength + css.byteLength <= 50 * 1024,
          },
          publicPlanPage: {
            path: `/ke-hoach/${r.planId}`,
            status: page.status,
            bytes: body.byteLength,
            cssBytes: css.byteLength,
            connections: CONNECTIONS,
            durationS: DURATION_S,
            requestsPerSecond: Math.round(planLoad.requests.average),
            latencyP50Ms: planLoad.latency.p50,
            latencyP99Ms: planLoad.latency.p99,
            errors: planLoad.errors,
            non2xx: planLoad.non2xx,
          },
        },
        null,
        2,
      ),
    );
  } finally {
    await db.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
