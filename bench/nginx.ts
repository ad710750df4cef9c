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

    const run = (base: string) =>
      load({ url: `${base}${PAGE}`, connections: CONNECTIONS, duration: DURATION_S, headers: ACCEPT });
    // A short load first, so no figure below pays for the JIT's warm-up or the first renders.
    await load({ url: `${two.url}${PAGE}`, connections: CONNECTIONS, duration: 2, headers: ACCEPT });
    const oneDirect = await run(servers[0]?.url as string);
    const oneBehind = await run(one.url);
    const twoBehind = await run(two.url);
    const staticNginx = await run(nginxStatic.url);
    const bareNode = await run(`http://127.0.0.1:${barePort}`);
    bare.close();
    const ratio = (a: number, b: number) => Math.round((a / b) * 100) / 100;
    const twoToOne = ratio(twoBehind.requests.average, oneDirect.requests.average);
    const oneToBare = ratio(oneDirect.requests.average, bareNode.requests.average);
    return {
      database: "postgres",
      page: PAGE,
      bytes: page.body.length,
      contentEncoding: headers["content-encoding"] ?? "identity",
      connections: CONNECTIONS,
      durationS: DURATION_S,
      cpus: os.cpus().length,
      nginxWorkers: 1,
      oneProcessDirect: figure(oneDirect),
      oneProcessBehindNginx: figure(oneBehind),
      twoProcessesBehindNginx: figure(twoBehind),
      nginxStaticSameBytes: figure(staticNginx),
      bareNodeSameBytes: figure(bareNode),
      twoProcessesToOne: twoToOne,
      oneProcessToBareNode: oneToBare,
      oneProcessToNginxStatic: ratio(oneDirect.requests.average, staticNginx.requests.average),
      nginxCostOnOneProcess: ratio(oneBehind.requests.average, oneDirect.requests.average),
      twoProcessesToOneBothBehindNginx: ratio(twoBehind.requests.average, oneBehind.requests.average),
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
