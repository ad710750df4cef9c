/**
 * Several processes behind nginx (issue 12 §10): `npx tsx bench/nginx.ts` prints JSON; `runNginxBench()` returns the
 * same figures for `npm run bench`.
 *
 * On a fresh PostgreSQL schema (BENCH_DATABASE_URL or DATABASE_URL; without one the figures are skipped, with the
 * reason: several processes on one SQLite file is not a deployment) two real servers (src/main.ts), each with its
 * own data folder, and the README's nginx configuration (deploy/nginx.conf.example, rendered by
 * test/helpers/nginx.ts) in front of them. One cached public page (the home page, asked as a browser asks:
 * `Accept-Encoding: gzip, deflate, br`) is loaded by autocannon from a process of its own (bench/load.ts), in the
 * same run: one process directly; one process behind nginx; two processes behind nginx; nginx serving the same bytes
 * and headers as a static file; a bare Node server serving the same bytes from memory. Targets: two processes behind
 * nginx at least 1.6× one process (on this 2-core machine the load generator and nginx share the cores with the two
 * servers, which the figures beside it show), and one process at least 0.5 of the bare server.
 */

import fs from "node:fs";
import http from "node:http";
import os from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { NGINX, type RunningNginx, startNginx, startStaticNginx } from "../test/helpers/nginx.ts";
import { type CpuFigures, childPids, cpuFigures, type Parts } from "./cpu.ts";
import { load } from "./load.ts";
import { freePort, freshTarget, postgresUrl, type RunningServer, startServer } from "./server.ts";

const DURATION_S = Number(process.env.BENCH_NGINX_SECONDS ?? process.env.BENCH_SECONDS ?? 10);
const CONNECTIONS = 50;
const PAGE = "/";
const ACCEPT = { "accept-encoding": "gzip, deflate, br" };
const TARGET_TWO_PROCESSES = 1.6;
const TARGET_OF_BARE = 0.5;

/** The page's bytes and headers as the server sends them (compressed: http.get does not decode). */
function raw(url: string): Promise<{ status: number; headers: http.IncomingHttpHeaders; body: Buffer }> {
  return new Promise((resolve, reject) => {
    http
      .get(url, { headers: ACCEPT }, (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("end", () =>
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }),
        );
        res.on("error", reject);
      })
      .on("error", reject);
  });
}

async function ready(url: string) {
  for (let i = 0; i < 1200; i++) {
    const res = await fetch(`${url}/readyz`).catch(() => null);
    await res?.arrayBuffer();
    if (res?.status === 200) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`${url} never became ready`);
}

type Phase = ReturnType<typeof figure> & { cpu: CpuFigures | null };

/** CPU-seconds per 1,000 requests of the parts whose names start with `prefix` (app1 + app2 for "app"). */
function per1000(p: Phase, prefix: string): number {
  return Object.entries(p.cpu?.parts ?? {})
    .filter(([name]) => name.startsWith(prefix))
    .reduce((sum, [, v]) => sum + v.cpuSecondsPer1000Requests, 0);
}

/** Share of the machine's cores the parts starting with `prefix` used in a phase. */
function share(p: Phase, prefix: string): number {
  const v = Object.entries(p.cpu?.parts ?? {})
    .filter(([name]) => name.startsWith(prefix))
    .reduce((sum, [, f]) => sum + f.percentOfCores, 0);
  return Math.round(v * 10) / 10;
}

const f3 = (n: number) => Math.round(n * 1000) / 1000;

/**
 * Why two processes behind nginx give what they give, from the phases' CPU samples: where the cores went while they
 * were loaded, what one request costs through nginx (app + nginx + load generator) against one process directly,
 * and the most the machine's cores could carry at those costs.
 */
function explainTwoProcesses(p: Record<"oneDirect" | "oneBehind" | "twoBehind" | "twoNoLog" | "twoTwoWorkers", Phase>) {
  const { oneDirect: d, twoBehind: t } = p;
  if (!d.cpu || !t.cpu) return { skipped: "no CPU samples (not Linux, or a load under 3 s)" };
  const cores = t.cpu.cores;
  const costDirect = per1000(d, "app") + per1000(d, "loadGenerator");
  const costTwo = per1000(t, "app") + per1000(t, "nginx") + per1000(t, "loadGenerator");
  // With every core busy with this work alone, requests/s = cores / CPU-seconds per request; one process also
  // cannot use more than one core, and one nginx worker neither.
  const ceiling = (cost: number) => (cost > 0 ? (cores * 1000) / cost : Number.POSITIVE_INFINITY);
  const appOne = per1000(d, "app");
  // autocannon is one thread too: at most one core's worth of requests.
  const oneCore = (cost: number) => (cost > 0 ? 1000 / cost : Number.POSITIVE_INFINITY);
  const ceilingOne = Math.min(ceiling(costDirect), oneCore(appOne), oneCore(per1000(d, "loadGenerator")));
  // Through nginx the requests alternate between the two processes: each carries half.
  const perApp = Math.max(per1000(t, "app1"), per1000(t, "app2")) * 2;
  const nginxT = per1000(t, "nginx");
  const ceilingTwo = Math.min(
    ceiling(costTwo),
    perApp > 0 ? (2 * 1000) / perApp : Number.POSITIVE_INFINITY,
    oneCore(nginxT),
    oneCore(per1000(t, "loadGenerator")),
  );
  const best = Number.isFinite(ceilingTwo) && Number.isFinite(ceilingOne) ? f3(ceilingTwo / ceilingOne) : null;
  const other = t.cpu.otherPercentOfCores ?? 0;
  const verdict =
    best === null
      ? "The costs could not be measured."
      : best < TARGET_TWO_PROCESSES
        ? `So even on a quiet machine the most two processes behind nginx can give is ${best}× the most one process gives directly: on ${cores} cores the proxy and the load generator cost more per request than a second app process saves, and the 1.6× target needs cores that nginx and the clients do not share with the app.`
        : other >= 15
          ? `The cores could carry ${best}× at those costs: what held this run below it is the machine being shared (other processes took ${other}% of the cores).`
          : `The cores could carry ${best}× at those costs; this run did not reach it with the machine ${t.cpu.machinePercentOfCores}% busy.`;
  const statement =
    `Two processes behind nginx: ${t.requestsPerSecond} req/s, ${f3(t.requestsPerSecond / Math.max(1, d.requestsPerSecond))}× one process direct (${d.requestsPerSecond}). ` +
    `While loaded, the load generator used ${share(t, "loadGenerator")}% of the ${cores} cores, nginx ${share(t, "nginx")}%, the two app processes ${share(t, "app")}%, ` +
    `other processes on the machine ${other}% (machine total ${t.cpu.machinePercentOfCores}%). ` +
    `CPU-seconds per 1,000 requests through nginx: app ${f3(per1000(t, "app"))}, nginx ${f3(nginxT)}, load generator ${f3(per1000(t, "loadGenerator"))}, total ${f3(costTwo)}; ` +
    `directly to one process: app ${f3(appOne)}, load generator ${f3(per1000(d, "loadGenerator"))}, total ${f3(costDirect)}. ` +
    `At those costs the cores carry at most ${Math.round(ceilingTwo)} req/s through nginx and ${Math.round(ceilingOne)} directly to one process. ${verdict}`;
  return {
    statement,
    cpuSecondsPer1000Requests: {
      oneDirect: { app: f3(per1000(d, "app")), loadGenerator: f3(per1000(d, "loadGenerator")), total: f3(costDirect) },
      twoBehindNginx: {
        app: f3(per1000(t, "app")),
        nginx: f3(per1000(t, "nginx")),
        loadGenerator: f3(per1000(t, "loadGenerator")),
        total: f3(costTwo),
      },
    },
    percentOfCoresInTwoBehindNginx: {
      loadGenerator: share(t, "loadGenerator"),
      nginx: share(t, "nginx"),
      app: share(t, "app"),
      other: t.cpu.otherPercentOfCores,
      machine: t.cpu.machinePercentOfCores,
    },
    ceilingRequestsPerSecond: { twoBehindNginx: Math.round(ceilingTwo), oneDirect: Math.round(ceilingOne) },
    bestPossibleTwoToOne: best,
    nginxAccessLog: {
      withLog: t.requestsPerSecond,
      without: p.twoNoLog.requestsPerSecond,
      nginxCpuSecondsPer1000: { withLog: f3(per1000(t, "nginx")), without: f3(per1000(p.twoNoLog, "nginx")) },
    },
    nginxTwoWorkers: {
      requestsPerSecond: p.twoTwoWorkers.requestsPerSecond,
      nginxCpuSecondsPer1000: f3(per1000(p.twoTwoWorkers, "nginx")),
    },
  };
}

const figure = (r: Awaited<ReturnType<typeof load>>) => ({
  requestsPerSecond: Math.round(r.requests.average),
  latencyP50Ms: r.latency.p50,
  latencyP99Ms: r.latency.p99,
  errors: r.errors + r.timeouts + r.non2xx,
});

export async function runNginxBench(): Promise<Record<string, unknown>> {
  const url = postgresUrl();
  if (!url) return { skipped: "needs PostgreSQL (BENCH_DATABASE_URL): several processes share one PostgreSQL" };
  if (!fs.existsSync(NGINX)) return { skipped: `${NGINX} is not installed (apt-get install nginx-light)` };
  const target = await freshTarget("postgres", url);
  const servers: RunningServer[] = [];
  const proxies: RunningNginx[] = [];
  const extraDir = fs.mkdtempSync(path.join(os.tmpdir(), "cchc-bench-proc1-"));
  try {
    const settings = { TRUST_PROXY: "1" };
    // The first start loads the demo ward; the second process joins the set-up database with a folder of its own.
    servers.push(await startServer(target, settings));
    servers.push(await startServer(target, { ...settings, DATA_DIR: extraDir }));
    for (const s of servers) await ready(s.url);
    const hosts = servers.map((s) => s.url.replace("http://", ""));
    const one = await startNginx({
      upstreams: [hosts[0] as string],
      port: await freePort(),
      redirectPort: await freePort(),
    });
    proxies.push(one);
    const two = await startNginx({ upstreams: hosts, port: await freePort(), redirectPort: await freePort() });
    proxies.push(two);
    // Both processes render and keep the page; what the load then measures is the cached answer.
    for (let i = 0; i < 4; i++) await raw(`${two.url}${PAGE}`);
    const page = await raw(`${servers[0]?.url}${PAGE}`);
    if (page.status !== 200) throw new Error(`${PAGE}: ${page.status}`);
    const headers: Record<string, string> = {};
    for (const name of ["content-type", "content-encoding", "vary", "cache-control", "etag"]) {
      const v = page.headers[name];
      if (typeof v === "string") headers[name] = v;
    }
    // nginx sets its own type (default_type) and validator (ETag, Last-Modified) on a static file.
    const { "content-type": _type, etag: _etag, ...staticHeaders } = headers;
    const nginxStatic = await startStaticNginx({ port: await freePort(), bytes: page.body, headers: staticHeaders });
    proxies.push(nginxStatic);
    const bare = http.createServer((_req, res) => {
      res.writeHead(200, { ...headers, "content-length": page.body.length });
      res.end(page.body);
    });
    await new Promise<void>((ok) => bare.listen(0, "127.0.0.1", ok));
    const bareAddress = bare.address();
    const barePort = typeof bareAddress === "object" && bareAddress ? bareAddress.port : 0;

    const nginxOf = (n: RunningNginx) => () => [n.pid, ...childPids(n.pid)];
    const app = (i: number) => () => [servers[i]?.pid as number];
    const run = async (base: string, parts: Parts) => {
      const r = await load({
        url: `${base}${PAGE}`,
        connections: CONNECTIONS,
        duration: DURATION_S,
        headers: ACCEPT,
        measure: parts,
      });
      return { ...figure(r), cpu: r.cpu ? cpuFigures(r.cpu, r.requests.average) : null };
    };
    // The same two processes behind nginx as configured for a deployment, but with no access log (a line written
    // per request), and with two workers instead of one: what each of those costs, measured.
    const noLog = await startNginx({
      upstreams: hosts,
      port: await freePort(),
      redirectPort: await freePort(),
      adjust: (site) => site.replace(/access_log [^;]+;/g, "access_log off;"),
    });
    proxies.push(noLog);
    const twoWorkers = await startNginx({
      upstreams: hosts,
      port: await freePort(),
      redirectPort: await freePort(),
      workers: 2,
    });
    proxies.push(twoWorkers);
    for (const n of [noLog, twoWorkers]) for (let i = 0; i < 4; i++) await raw(`${n.url}${PAGE}`);
    // A short load first, so no figure below pays for the JIT's warm-up or the first renders.
    await load({ url: `${two.url}${PAGE}`, connections: CONNECTIONS, duration: 2, headers: ACCEPT });
    const oneDirect = await run(servers[0]?.url as string, { app1: app(0) });
    const oneBehind = await run(one.url, { app1: app(0), nginx: nginxOf(one) });
    const twoBehind = await run(two.url, { app1: app(0), app2: app(1), nginx: nginxOf(two) });
    const twoNoLog = await run(noLog.url, { app1: app(0), app2: app(1), nginx: nginxOf(noLog) });
    const twoTwoWorkers = await run(twoWorkers.url, { app1: app(0), app2: app(1), nginx: nginxOf(twoWorkers) });
    const staticNginx = await run(nginxStatic.url, { nginx: nginxOf(nginxStatic) });
    // The bare server runs in this process, which does nothing else meanwhile (the load comes from a child).
    const bareNode = await run(`http://127.0.0.1:${barePort}`, { bareServer: () => [process.pid] });
    bare.close();
    const ratio = (a: number, b: number) => Math.round((a / b) * 100) / 100;
    const twoToOne = ratio(twoBehind.requestsPerSecond, oneDirect.requestsPerSecond);
    const oneToBare = ratio(oneDirect.requestsPerSecond, bareNode.requestsPerSecond);
    return {
      database: "postgres",
      page: PAGE,
      bytes: page.body.length,
      contentEncoding: headers["content-encoding"] ?? "identity",
      connections: CONNECTIONS,
      durationS: DURATION_S,
      cpus: os.cpus().length,
      nginxWorkers: 1,
      about:
        "Each phase: requests/s, latency, and `cpu`: CPU time (user + system, /proc/<pid>/stat) of each part sampled over the load's window (from its 1st second to half a second before its end) — app1/app2 the app processes, nginx its master and workers, loadGenerator autocannon's process — as CPU-seconds per 1,000 requests and as a share of all the machine's cores; machinePercentOfCores is the whole machine (/proc/stat), otherPercentOfCores what processes outside the bench took meanwhile (a shared machine's noise).",
      oneProcessDirect: oneDirect,
      oneProcessBehindNginx: oneBehind,
      twoProcessesBehindNginx: twoBehind,
      twoProcessesBehindNginxNoAccessLog: twoNoLog,
      twoProcessesBehindNginxTwoWorkers: twoTwoWorkers,
      nginxStaticSameBytes: staticNginx,
      bareNodeSameBytes: bareNode,
      twoProcessesToOne: twoToOne,
      oneProcessToBareNode: oneToBare,
      oneProcessToNginxStatic: ratio(oneDirect.requestsPerSecond, staticNginx.requestsPerSecond),
      nginxCostOnOneProcess: ratio(oneBehind.requestsPerSecond, oneDirect.requestsPerSecond),
      twoProcessesToOneBothBehindNginx: ratio(twoBehind.requestsPerSecond, oneBehind.requestsPerSecond),
      why: explainTwoProcesses({ oneDirect, oneBehind, twoBehind, twoNoLog, twoTwoWorkers }),
      loadAverage: os.loadavg().map((l) => Math.round(l * 10) / 10),
      targets: {
        twoProcessesAtLeast1_6xOne: twoToOne >= TARGET_TWO_PROCESSES,
        cachedPageAtLeastHalfOfBareNode: oneToBare >= TARGET_OF_BARE,
      },
    };
  } finally {
    for (const p of proxies) await p.stop().catch(() => null);
    for (const s of servers) await s.stop().catch(() => null);
    await target.cleanup();
    fs.rmSync(extraDir, { recursive: true, force: true });
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  runNginxBench().then(
    (r) => console.log(JSON.stringify(r, null, 2)),
    (e) => {
      console.error(e);
      process.exit(1);
    },
  );
}
