/**
 * Cache-busting loops against the real server: `npx tsx bench/cache-busting.ts` prints JSON; `runCacheBustingBench()`
 * returns the same figures for `npm run bench`.
 *
 * The server (src/main.ts) in a child process on a fresh database with the demo ward and the 588 real procedures (the
 * notice board is megabytes of HTML); the load comes from this process, 8 connections at once. Two loops:
 * - undeclared parameters: `/thu-tuc/bang-niem-yet?x=1…N` (once 3.9 GB and a dead process);
 * - declared values: distinct searches (`/tim-kiem?q=`, `/hoi-dap?q=`, `/gop-y/da-tra-loi?q=&trang=`), and every
 *   twentieth request the notice board under a new Host (the page key keeps the origin), each one a full render.
 * Meanwhile `/healthz` is asked every 50 ms on its own connection, and the server's RSS and heap are sampled by a
 * preloaded probe (bench/memory-probe.mjs). SQLite always; PostgreSQL as well when BENCH_DATABASE_URL is set.
 */
import fs from "node:fs";
import http from "node:http";
import os from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { SYSTEM_ACTOR } from "../src/core/audit.ts";
import { PAGE_CACHE_MB_DEFAULT } from "../src/core/config.ts";
import { vnToday } from "../src/core/text/vi.ts";
import { importProcedures } from "../src/features/procedures/procedures.service.ts";
import { readProcedureFile } from "../src/features/procedures/read-records.ts";
import { freshTarget, postgresUrl, ROOT, SHARED_DIR, startServer } from "./server.ts";

const REQUESTS = Number(process.env.BENCH_CACHE_REQUESTS ?? 1100);
const CONNECTIONS = 8;
const MB = 1024 * 1024;
/** Targets on 2 cores: memory stays near the idle server plus the cache's cap; health answers within 250 ms. */
const TARGET_RSS_MB = 600;
const TARGET_HEAP_MB = 400;
const TARGET_HEALTH_P99_MS = 250;

function get(agent: http.Agent, url: string, host?: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = http.get(url, { agent, headers: { "accept-encoding": "gzip", ...(host ? { host } : {}) } }, (res) => {
      res.resume();
      res.on("end", () => resolve(res.statusCode ?? 0));
      res.on("error", reject);
    });
    req.on("error", reject);
  });
}

const quantile = (sorted: number[], q: number) =>
  sorted.length ? (sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)] as number) : 0;
const round = (n: number) => Math.round(n * 10) / 10;

interface Memory {
  now: { rss: number; heapUsed: number };
  peak: { rss: number; heapUsed: number };
}
const readMemory = (file: string): Memory | null => {
  try {
    return JSON.parse(fs.readFileSync(file, "utf8")) as Memory;
  } catch {
    return null;
  }
};

/** One loop: `paths(i)` for i < REQUESTS over CONNECTIONS, with /healthz probed alongside. */
async function loop(base: string, memoryFile: string, request: (i: number) => { path: string; host?: string }) {
  const agent = new http.Agent({ keepAlive: true, maxSockets: CONNECTIONS });
  const healthAgent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  const statuses: Record<number, number> = {};
  let errors = 0;
  let next = 0;
  let running = true;
  const health: number[] = [];
  let healthFailures = 0;
  let peakRss = 0;
  let peakHeap = 0;
  const prober = (async () => {
    while (running) {
      const t = performance.now();
      try {
        if ((await get(healthAgent, `${base}/healthz`)) !== 200) healthFailures++;
      } catch {
        healthFailures++;
      }
      health.push(performance.now() - t);
      const m = readMemory(memoryFile);
      if (m) {
        peakRss = Math.max(peakRss, m.now.rss);
        peakHeap = Math.max(peakHeap, m.now.heapUsed);
      }
      await new Promise((r) => setTimeout(r, 50));
    }
  })();
  const started = performance.now();
  await Promise.all(
    Array.from({ length: CONNECTIONS }, async () => {
      while (next < REQUESTS) {
        const { path: p, host } = request(next++);
        try {
          const status = await get(agent, `${base}${p}`, host);
          statuses[status] = (statuses[status] ?? 0) + 1;
        } catch {
          errors++;
        }
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  running = false;
  await prober;
  agent.destroy();
  healthAgent.destroy();
  const alive = (await fetch(`${base}/healthz`).catch(() => null))?.status === 200;
  health.sort((a, b) => a - b);
  return {
    requests: REQUESTS,
    seconds: round(seconds),
    statuses,
    errors,
    serverAnswersAfter: alive,
    rssPeakMB: round(peakRss / MB),
    heapPeakMB: round(peakHeap / MB),
    healthz: {
      probes: health.length,
      failures: healthFailures,
      p50Ms: round(quantile(health, 0.5)),
      p99Ms: round(quantile(health, 0.99)),
      maxMs: round(health.at(-1) ?? 0),
    },
  };
}

const WORDS = [
  "khai sinh",
  "kết hôn",
  "hộ tịch",
  "đất đai",
  "chứng thực",
  "tạm trú",
  "xây dựng",
  "bhxh",
  "dk",
  "sổ đỏ",
];

async function runOn(database: "sqlite" | "postgres", url: string | null) {
  const target = await freshTarget(database, url);
  const memoryFile = path.join(os.tmpdir(), `cchc-bench-memory-${process.pid}-${database}.json`);
  try {
    const server = await startServer(target, {
      NODE_OPTIONS: `--import=${pathToFileURL(path.join(ROOT, "bench/memory-probe.mjs")).href}`,
      BENCH_MEMORY_FILE: memoryFile,
    });
    try {
      const db = target.open();
      try {
        const read = await readProcedureFile(
          fs.readFileSync(path.join(SHARED_DIR, "data/tthc-dichvucong-2026/cap-xa.jsonl")),
          "cap-xa.jsonl",
        );
        const now = new Date();
        await importProcedures(db.kysely, SYSTEM_ACTOR, read.rows, read.problems, {
          dryRun: false,
          today: vnToday(now),
          now,
        });
      } finally {
        await db.close();
      }
      const board = await fetch(`${server.url}/thu-tuc/bang-niem-yet`);
      const boardBytes = (await board.arrayBuffer()).byteLength;
      await new Promise((r) => setTimeout(r, 300));
      const idle = readMemory(memoryFile);
      const undeclared = await loop(server.url, memoryFile, (i) => ({ path: `/thu-tuc/bang-niem-yet?x=${i + 1}` }));
      const declared = await loop(server.url, memoryFile, (i) => {
        if (i % 20 === 0) return { path: "/thu-tuc/bang-niem-yet", host: `may-${i}.example` };
        const q = encodeURIComponent(`${WORDS[i % WORDS.length]} ${i}`);
        const paths = [`/tim-kiem?q=${q}`, `/hoi-dap?q=${q}`, `/gop-y/da-tra-loi?q=${q}&trang=${(i % 7) + 1}`];
        return { path: paths[i % paths.length] as string };
      });
      const peak = readMemory(memoryFile)?.peak;
      const loops = { undeclaredParameters: undeclared, declaredValues: declared };
      return {
        database,
        boardBytes,
        idleRssMB: round((idle?.now.rss ?? 0) / MB),
        idleHeapMB: round((idle?.now.heapUsed ?? 0) / MB),
        processPeakRssMB: round((peak?.rss ?? 0) / MB),
        processPeakHeapMB: round((peak?.heapUsed ?? 0) / MB),
        loops,
        targets: Object.fromEntries(
          Object.entries(loops).map(([name, l]) => [
            name,
            {
              [`rssUnder${TARGET_RSS_MB}MB`]: l.rssPeakMB <= TARGET_RSS_MB,
              [`heapUnder${TARGET_HEAP_MB}MB`]: l.heapPeakMB <= TARGET_HEAP_MB,
              [`healthzP99Under${TARGET_HEALTH_P99_MS}ms`]: l.healthz.p99Ms <= TARGET_HEALTH_P99_MS,
              healthzNeverFailed: l.healthz.failures === 0,
              serverAnswersAfter: l.serverAnswersAfter,
              noErrors: l.errors === 0 && Object.keys(l.statuses).every((s) => Number(s) < 500),
            },
          ]),
        ),
      };
    } finally {
      await server.stop();
    }
  } finally {
    fs.rmSync(memoryFile, { force: true });
    await target.cleanup();
  }
}

/** The figures for every database available. */
export async function runCacheBustingBench() {
  const url = postgresUrl();
  const runs = [await runOn("sqlite", null)];
  if (url) runs.push(await runOn("postgres", url));
  return {
    server: "src/main.ts in a child process, demo ward and the 588 real procedures; load from the bench process",
    requestsPerLoop: REQUESTS,
    connections: CONNECTIONS,
    pageCacheMB: PAGE_CACHE_MB_DEFAULT,
    target: `RSS ≤ ${TARGET_RSS_MB} MB, heap ≤ ${TARGET_HEAP_MB} MB, /healthz p99 ≤ ${TARGET_HEALTH_P99_MS} ms and never failing, no 5xx, the server alive after each loop, on ${os.cpus().length} cores`,
    runs,
  };
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  runCacheBustingBench()
    .then((figures) => console.log(JSON.stringify(figures, null, 2)))
    .catch((e) => {
      console.error(e);
      process.exit(1);
    });
}
