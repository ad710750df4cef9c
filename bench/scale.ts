/**
 * `npm run bench -- --scale [--wards N] [--years Y] [--activities A] [--seconds S]` (issue 12 "Figures"): one
 * deployment at national size on PostgreSQL (BENCH_DATABASE_URL or DATABASE_URL; without one it says so and stops).
 *
 * 1. The dataset, as an operator makes it: `cli demo-data --wards N --years Y --activities A` in a child process on a
 *    fresh schema (default: the country's 3,321 wards × 2 years × 500 activities), then `vacuum analyze`.
 * 2. The server (src/main.ts in a child process): start-up to `/readyz` ready, and its memory (RSS, heap, the page
 *    cache's bytes, the search index's documents) when ready and after the load.
 * 3. Cached: the home page at 20 connections against a bare Node server sending the same bytes, in the same run.
 * 4. Uncached (`PAGE_CACHE_MB=0`: every request renders, but the notice board and the catalogue, served from their
 *    pre-rendered copies, which `cli prerender` makes first for the wards walked): each public page kind asked across
 *    the wards in turn (`/w/{code}/…`, a different ward each request) at 20 connections, its p99 against 100 ms; the
 *    plan page and a ward officer's task list (`/quan-tri/viec-cua-toi`, signed in) against 300 requests a second.
 *    Each load is of a process in its steady state, as after minutes of traffic: before it, each of its pages is
 *    asked once (the process then knows the wards, its code for that page is compiled, the database has read those
 *    rows once); the rate of these first visits is reported beside, as `firstVisits`.
 * Load always comes from a process of its own (bench/load.ts). Each figure is printed beside its target and whether
 * it is met. test/scale.test.ts runs a reduced size (a few wards) in `npm test` and checks the figures are all there
 * and every answer was a success; it asserts no timing.
 */
import { spawn } from "node:child_process";
import fs from "node:fs";
import http from "node:http";
import os from "node:os";
import { pathToFileURL } from "node:url";
import { sql } from "kysely";
import { SYSTEM_ACTOR } from "../src/core/audit.ts";
import { createUser } from "../src/features/accounts/accounts.service.ts";
import { type CpuFigures, cpuFigures } from "./cpu.ts";
import { load } from "./load.ts";
import { existingTarget, freshTarget, postgresUrl, ROOT, SHARED_DIR, startServer, type Target } from "./server.ts";

export interface ScaleOptions {
  wards: number;
  years: number;
  activities: number;
  /** Seconds of load per figure. */
  seconds: number;
  /** Leave the generated schema in place afterwards (its name is in the output) to measure it again. */
  keep?: boolean;
  /** Measure this existing schema (one a `--keep` run left) instead of generating a new dataset. */
  schema?: string;
}

/** What every browser sends: pages are answered compressed, as citizens' phones receive them. */
const AS_A_BROWSER = { "accept-encoding": "gzip, deflate, br" };

export const FULL_SCALE: ScaleOptions = { wards: 3321, years: 2, activities: 500, seconds: 8 };
const CONNECTIONS = 20;
const TARGETS = { uncachedP99Ms: 100, cachedRatioToBare: 0.5, staffPagesPerSecond: 300, readyMs: 15_000, rssMb: 400 };
const METRICS_TOKEN = "bench-scale-metrics-token-0123456789";
const OFFICER = { username: "bench-canbo", password: "Do-Hieu-Nang-Quy-Mo-2026!" };
/** How many wards the uncached loads walk through (all of them up to this). */
const WARDS_WALKED = 1000;

function parseArgs(argv: readonly string[]): ScaleOptions {
  const opts = { ...FULL_SCALE };
  for (const key of ["wards", "years", "activities", "seconds"] as const) {
    const i = argv.indexOf(`--${key}`);
    if (i < 0) continue;
    const n = Number(argv[i + 1]);
    if (!Number.isInteger(n) || n < 1) throw new Error(`--${key} needs a whole number ≥ 1`);
    opts[key] = n;
  }
  if (argv.includes("--keep")) opts.keep = true;
  const s = argv.indexOf("--schema");
  if (s >= 0) opts.schema = argv[s + 1];
  return opts;
}

/** `cli demo-data` on the target, as an operator runs it; its JSON summary. */
function demoData(target: Target, o: ScaleOptions): Promise<Record<string, unknown>> {
  const args = ["demo-data", "--wards", String(o.wards), "--years", String(o.years)];
  return cli(target, [...args, "--activities", String(o.activities)]);
}

/**
 * `cli prerender` for these wards, as an operator runs it after loading a deployment: the notice board and the
 * catalogue of each, pre-rendered (page-copies.tsx), in two processes (the machine's two cores). Its seconds.
 */
async function prerender(target: Target, codes: readonly string[]): Promise<number> {
  const t0 = performance.now();
  const half = Math.ceil(codes.length / 2);
  const parts = [codes.slice(0, half), codes.slice(half)].filter((p) => p.length > 0);
  await Promise.all(parts.map((p) => cli(target, ["prerender", "--ward", p.join(",")])));
  return Math.round((performance.now() - t0) / 100) / 10;
}

/** The CLI on the target in a child process; its last line of output, as JSON. */
function cli(target: Target, command: readonly string[]): Promise<Record<string, unknown>> {
  const args = ["--import", "tsx", "src/cli.ts", ...command];
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, {
      cwd: ROOT,
      env: {
        PATH: process.env.PATH ?? "/usr/bin:/bin",
        HOME: process.env.HOME ?? os.tmpdir(),
        CCHC_SHARED_DIR: SHARED_DIR,
        LOG_LEVEL: "warn",
        ...target.env,
      },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let out = "";
    let err = "";
    child.stdout.on("data", (d: Buffer) => {
      out += d.toString("utf8");
    });
    child.stderr.on("data", (d: Buffer) => {
      err += d.toString("utf8");
    });
    child.on("error", reject);
    child.on("close", (code) => {
      const last = out.trim().split("\n").at(-1) ?? "";
      if (code !== 0) return reject(new Error(`${command[0]} exited with ${code}: ${err.slice(-600)}`));
      try {
        resolve(JSON.parse(last) as Record<string, unknown>);
      } catch {
        reject(new Error(`${command[0]} printed no JSON summary: ${last.slice(0, 300)}`));
      }
    });
  });
}

function fetchBytes(url: string, headers: Record<string, string> = {}) {
  return new Promise<{ status: number; bytes: Buffer; headers: http.IncomingHttpHeaders }>((resolve, reject) => {
    http
      .get(url, { headers }, (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("end", () =>
          resolve({ status: res.statusCode ?? 0, bytes: Buffer.concat(chunks), headers: res.headers }),
        );
        res.on("error", reject);
      })
      .on("error", reject);
  });
}

/** The server process's resident memory, from the kernel (Linux). */
function rssMb(pid: number): number | null {
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${pid}/status`, "utf8"));
    return m ? Math.round(Number(m[1]) / 1024) : null;
  } catch {
    return null;
  }
}

/** A Prometheus sample's value from /metrics (the first line for that name and labels). */
function metric(text: string, name: string): number | null {
  const m = new RegExp(`^${name}(?:\\{[^}]*\\})? ([0-9.e+-]+)$`, "m").exec(text);
  return m ? Number(m[1]) : null;
}

async function memory(serverUrl: string, pid: number) {
  const res = await fetch(`${serverUrl}/metrics`, { headers: { authorization: `Bearer ${METRICS_TOKEN}` } });
  const text = await res.text();
  const mb = (v: number | null) => (v === null ? null : Math.round((v / 1048576) * 10) / 10);
  return {
    rssMb: rssMb(pid),
    heapUsedMb: mb(metric(text, "nodejs_heap_size_used_bytes")),
    externalMb: mb(metric(text, "nodejs_external_memory_bytes")),
    pageCacheMb: mb(metric(text, "cchc_page_cache_bytes")),
    pageCacheEntries: metric(text, "cchc_page_cache_entries"),
    // The search index's part, computed by the index from its structures (src/core/search/index-memory.ts).
    searchIndexMb: mb(metric(text, "cchc_search_index_bytes")),
    searchIndexDocuments: metric(text, "cchc_search_index_documents"),
  };
}

async function waitReady(serverUrl: string): Promise<void> {
  for (let i = 0; i < 3000; i++) {
    const r = await fetch(`${serverUrl}/readyz`).catch(() => null);
    if (r?.status === 200) return;
    await new Promise((ok) => setTimeout(ok, 50));
  }
  throw new Error("the server was not ready within 150 s");
}

/** Each path asked once, ten at a time, from this process (not measured as load): the rate and any failure. */
async function askEachOnce(base: string, paths: readonly string[]) {
  const t0 = performance.now();
  let next = 0;
  let failed = 0;
  await Promise.all(
    Array.from({ length: 10 }, async () => {
      while (next < paths.length) {
        const res = await fetch(`${base}${paths[next++]}`, { headers: AS_A_BROWSER });
        await res.arrayBuffer();
        if (res.status !== 200) failed++;
      }
    }),
  );
  const s = (performance.now() - t0) / 1000;
  return { pages: paths.length, requestsPerSecond: Math.round(paths.length / s), failed };
}

async function logIn(base: string): Promise<string> {
  const res = await fetch(`${base}/dang-nhap`, {
    method: "POST",
    redirect: "manual",
    body: new URLSearchParams(OFFICER),
    headers: { "content-type": "application/x-www-form-urlencoded" },
  });
  if (res.status !== 303) throw new Error(`the officer's sign-in failed: ${res.status}`);
  return (res.headers.get("set-cookie") ?? "").split(";")[0] as string;
}

const figure = (r: Awaited<ReturnType<typeof load>>) => ({
  requestsPerSecond: Math.round(r.requests.average),
  latencyP50Ms: r.latency.p50,
  latencyP99Ms: r.latency.p99,
  errors: r.errors + r.timeouts + r.non2xx,
});

export async function runScaleBench(o: ScaleOptions) {
  const url = postgresUrl();
  if (!url) return { skipped: "cần PostgreSQL: đặt BENCH_DATABASE_URL (hoặc DATABASE_URL)" };
  const target = o.schema ? existingTarget(url, o.schema) : await freshTarget("postgres", url);
  try {
    const t0 = performance.now();
    const dataset = o.schema ? { reused: o.schema } : await demoData(target, o);
    const db = target.open();
    let wards: { code: string; planId: number }[];
    try {
      await sql`vacuum analyze`.execute(db.kysely);
      const k = db.kysely;
      // Each ward with its newest plan, in the generator's order (the default ward first).
      const rows = await k
        .selectFrom("plans as p")
        .innerJoin("admin_units as u", "u.id", "p.ward_id")
        .select(["u.code", (eb) => eb.fn.max("p.id").as("planId")])
        .where("u.valid_to", "is", null)
        .groupBy("u.code")
        .orderBy("u.code")
        .execute();
      wards = rows.map((r) => ({ code: r.code, planId: Number(r.planId) })).slice(0, WARDS_WALKED);
      const first = await k
        .selectFrom("users")
        .innerJoin("org_units", "org_units.ward_id", "users.ward_id")
        .select(["users.ward_id as wardId", "org_units.id as unitId"])
        .where("users.username", "=", "quantri")
        .executeTakeFirstOrThrow();
      const officer = await k
        .selectFrom("users")
        .select("id")
        .where("username", "=", OFFICER.username)
        .executeTakeFirst();
      const made = officer
        ? { ok: true as const }
        : await createUser(
            k,
            SYSTEM_ACTOR,
            {
              username: OFFICER.username,
              displayName: "Cán bộ (đo hiệu năng)",
              password: OFFICER.password,
              role: "officer",
              wardId: first.wardId as number,
              orgUnitId: first.unitId,
            },
            new Date(),
          );
      if (!made.ok) throw new Error(`the officer was not created: ${JSON.stringify(made)}`);
    } finally {
      await db.close();
    }
    const datasetS = Math.round((performance.now() - t0) / 100) / 10;
    if (wards.length === 0) throw new Error("the dataset has no ward with a plan");

    // Cached: start-up, memory, the home page against a bare server with the same bytes.
    const tStart = performance.now();
    const server = await startServer(target, { METRICS_TOKEN, LOG_LEVEL: "warn" });
    let cached: {
      path: string;
      bytes: number;
      cpu: CpuFigures | null;
      bareServer: ReturnType<typeof figure> & { cpu: CpuFigures | null };
      ratioToBare: number;
    } & ReturnType<typeof figure>;
    let startUp: {
      readyMs: number;
      memoryAtReady: Awaited<ReturnType<typeof memory>>;
      memoryAfterLoad: Awaited<ReturnType<typeof memory>>;
    };
    try {
      await waitReady(server.url);
      const readyMs = Math.round(performance.now() - tStart);
      const atReady = await memory(server.url, server.pid);
      const gzip = { "accept-encoding": "gzip" };
      const page = await fetchBytes(`${server.url}/`, gzip);
      const homeLoad = await load({
        url: `${server.url}/`,
        connections: CONNECTIONS,
        duration: o.seconds,
        headers: gzip,
        measure: { server: () => [server.pid] },
      });
      const home = figure(homeLoad);
      const bare = http.createServer((_req, res) => {
        res.writeHead(200, {
          "content-type": String(page.headers["content-type"] ?? "text/html"),
          "content-encoding": String(page.headers["content-encoding"] ?? "identity"),
          "content-length": page.bytes.length,
        });
        res.end(page.bytes);
      });
      await new Promise<void>((ok) => bare.listen(0, "127.0.0.1", ok));
      const a = bare.address();
      const barePort = typeof a === "object" && a ? a.port : 0;
      // The bare server runs in this process, which does nothing else meanwhile (the load comes from a child).
      const bareLoad = await load({
        url: `http://127.0.0.1:${barePort}/`,
        connections: CONNECTIONS,
        duration: o.seconds,
        headers: gzip,
        measure: { server: () => [process.pid] },
      });
      const bareFig = figure(bareLoad);
      bare.close();
      const afterLoad = await memory(server.url, server.pid);
      startUp = { readyMs, memoryAtReady: atReady, memoryAfterLoad: afterLoad };
      cached = {
        path: "/",
        bytes: page.bytes.length,
        ...home,
        // Where the CPU went in each load (bench/cpu.ts): the server's cost per request against the bare one's.
        cpu: homeLoad.cpu ? cpuFigures(homeLoad.cpu, homeLoad.requests.average) : null,
        bareServer: { ...bareFig, cpu: bareLoad.cpu ? cpuFigures(bareLoad.cpu, bareLoad.requests.average) : null },
        ratioToBare: Math.round((home.requestsPerSecond / Math.max(1, bareFig.requestsPerSecond)) * 100) / 100,
      };
    } finally {
      await server.stop();
    }

    // The notice board and the catalogue are served from their pre-rendered copies, as in a deployment where the
    // copies exist (an operator's `cli prerender`, then the server's own renders of the next days): made first.
    const prerenderS = await prerender(
      target,
      wards.map((w) => w.code),
    );
    // Uncached: every request renders (but for the pre-rendered pages); each kind of page across the wards in turn.
    const uncachedServer = await startServer(target, { PAGE_CACHE_MB: "0", LOG_LEVEL: "warn" });
    const uncached: Record<string, ReturnType<typeof figure> & { path: string; wards: number }> = {};
    const firstVisits: Record<string, Awaited<ReturnType<typeof askEachOnce>>> = {};
    try {
      await waitReady(uncachedServer.url);
      const publicPages: Record<string, (w: { code: string; planId: number }) => string> = {
        home: (w) => `/w/${w.code}`,
        procedures: (w) => `/w/${w.code}/thu-tuc`,
        procedure: (w) => `/w/${w.code}/thu-tuc/1.001193`,
        noticeBoard: (w) => `/w/${w.code}/thu-tuc/bang-niem-yet`,
        plan: (w) => `/w/${w.code}/ke-hoach/${w.planId}`,
        news: (w) => `/w/${w.code}/tin-tuc`,
        events: (w) => `/w/${w.code}/su-kien`,
        radio: (w) => `/w/${w.code}/phat-thanh`,
        documents: (w) => `/w/${w.code}/van-ban`,
        answeredFeedback: (w) => `/w/${w.code}/gop-y/da-tra-loi`,
        questions: (w) => `/w/${w.code}/hoi-dap`,
        search: (w) => `/w/${w.code}/tim-kiem?q=dang+ky+khai+sinh`,
      };
      for (const [name, pathOf] of Object.entries(publicPages)) {
        const paths = wards.map(pathOf);
        const check = await fetchBytes(`${uncachedServer.url}${paths[0]}`);
        if (check.status !== 200) throw new Error(`${paths[0]} answered ${check.status}`);
        // Warm-up, as a deployment is after a few minutes of traffic: each of these pages asked once, which resolves
        // the wards (their units, predecessors and portal, then remembered by the process), compiles this page's
        // code, lets its statements run often enough to be prepared and has the database read its rows once. Its
        // rate is reported as what first visits cost.
        firstVisits[name] = await askEachOnce(uncachedServer.url, paths);
        uncached[name] = {
          path: pathOf({ code: "{code}", planId: 0 }).replace("/0", "/{id}"),
          wards: wards.length,
          ...figure(
            await load({
              url: uncachedServer.url,
              paths,
              connections: CONNECTIONS,
              duration: o.seconds,
              headers: AS_A_BROWSER,
            }),
          ),
        };
      }
      const cookie = await logIn(uncachedServer.url);
      const tasks = await fetchBytes(`${uncachedServer.url}/quan-tri/viec-cua-toi`, { cookie });
      if (tasks.status !== 200) throw new Error(`the task list answered ${tasks.status}`);
      uncached.staffTaskList = {
        path: "/quan-tri/viec-cua-toi",
        wards: 1,
        ...figure(
          await load({
            url: `${uncachedServer.url}/quan-tri/viec-cua-toi`,
            connections: CONNECTIONS,
            duration: o.seconds,
            headers: { ...AS_A_BROWSER, cookie },
          }),
        ),
      };
    } finally {
      await uncachedServer.stop();
    }

    const pub = Object.entries(uncached).filter(([k]) => k !== "staffTaskList");
    const ready = startUp.readyMs;
    const rss = Math.max(startUp.memoryAtReady.rssMb ?? 0, startUp.memoryAfterLoad.rssMb ?? 0);
    return {
      machine: { cpus: os.cpus().length, node: process.version },
      options: o,
      connections: CONNECTIONS,
      dataset: {
        ...dataset,
        totalS: datasetS,
        prerenderS,
        schema: target.schema,
        kept: Boolean(o.keep || o.schema),
      } as Record<string, unknown>,
      startUp,
      cached,
      // Each page of each uncached load asked once before it (its warm-up): what first visits cost.
      firstVisits,
      uncached,
      targets: {
        ...TARGETS,
        // A page that answered nothing within the run has no p99 to meet the target with.
        uncachedP99Met: Object.fromEntries(
          pub.map(([k, f]) => [k, f.requestsPerSecond > 0 && f.latencyP99Ms <= TARGETS.uncachedP99Ms]),
        ),
        cachedRatioMet: cached.ratioToBare >= TARGETS.cachedRatioToBare,
        planPageRateMet: (uncached.plan?.requestsPerSecond ?? 0) >= TARGETS.staffPagesPerSecond,
        staffTaskListRateMet: (uncached.staffTaskList?.requestsPerSecond ?? 0) >= TARGETS.staffPagesPerSecond,
        readyMet: ready <= TARGETS.readyMs,
        rssMet: rss > 0 && rss <= TARGETS.rssMb,
        noErrors:
          Object.values(uncached).every((f) => f.errors === 0) &&
          Object.values(firstVisits).every((f) => f.failed === 0),
      },
    };
  } finally {
    if (o.keep && !o.schema) process.stderr.write(`scale bench: kept schema ${target.schema}\n`);
    else await target.cleanup();
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  console.log(JSON.stringify(await runScaleBench(parseArgs(process.argv.slice(2))), null, 2));
}

export { parseArgs as parseScaleArgs };
