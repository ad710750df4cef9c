/**
 * Operations (issue 12 §9) over HTTP, on every database: /readyz says 200 only when the process should get traffic
 * and 503 with the reasons otherwise (search index not built yet, migrations pending, another portal's database, the
 * database away or its file lost, the process stopping); every request has an id, returned and in its one JSON log
 * line, which names the route pattern and never the query or a code; /metrics exists only with METRICS_TOKEN and
 * then counts requests by route and status class, the page cache's answers and the job queue.
 */
import assert from "node:assert/strict";
import fs from "node:fs";
import type { AddressInfo } from "node:net";
import os from "node:os";
import path from "node:path";
import { Writable } from "node:stream";
import { after, before, describe, test } from "node:test";
import { z } from "zod";
import { createApp } from "../src/app.tsx";
import { loadConfig } from "../src/core/config.ts";
import { writeMarker } from "../src/core/data-folder.ts";
import { openPostgres, openSqlite } from "../src/core/db/connection.ts";
import { MIGRATION_NAMES } from "../src/core/db/migrate.ts";
import { defineJob, enqueueJob } from "../src/core/jobs/jobs.ts";
import { createLogger } from "../src/core/log.ts";
import { RequestMetrics } from "../src/core/metrics.ts";
import { servePortal } from "../src/core/web/cached-listener.ts";
import { AppError } from "../src/core/web/errors.ts";
import { PageCache } from "../src/core/web/page-cache.ts";
import { fresh, searchIndexReady } from "../src/features/search/search.service.ts";
import { createWorld, SHARED_DIR, type TestWorld, testDatabases } from "./helpers/env.ts";

const opsProbeJob = defineJob<{ n: number }>("ops-test:probe", async () => {});

type Json = Record<string, unknown>;
interface ReadyBody {
  status: string;
  db: string;
  reason?: string;
  message?: string;
  problems?: { reason: string; message: string }[];
}

const TOKEN = "metrics-token-0123456789abcdef";
const VIETNAMESE = /[àáảãạăằắẳẵặâầấẩẫậđèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợùúủũụưừứửữựỳýỷỹỵ]/i;

/** Every JSON line the app logged, parsed. */
function captureLog() {
  const lines: Json[] = [];
  const stream = new Writable({
    write(chunk, _enc, done) {
      for (const line of String(chunk).split("\n")) if (line.trim()) lines.push(JSON.parse(line) as Json);
      done();
    },
  });
  return { lines, text: () => lines.map((l) => JSON.stringify(l)).join("\n"), log: createLogger("info", stream) };
}

async function readyz(app: { request: (p: string) => Response | Promise<Response> }) {
  const res = await app.request("/readyz");
  return { status: res.status, body: (await res.json()) as ReadyBody, cache: res.headers.get("cache-control") };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** The documented schema of /readyz for a status, as a zod validator. */
async function readyzSchema(app: TestWorld["app"], status: string) {
  const doc = (await (await app.request("/api/openapi.json")).json()) as {
    paths: Record<
      string,
      { get: { responses: Record<string, { content: { "application/json": { schema: Json } } }> } }
    >;
  };
  const schema = doc.paths["/readyz"]?.get.responses[status]?.content["application/json"].schema;
  assert.ok(schema, `/readyz documents its ${status}`);
  return z.fromJSONSchema(schema as never);
}

for (const target of testDatabases()) {
  describe(`operations (${target.name})`, () => {
    let w: TestWorld;
    const captured = captureLog();

    before(async () => {
      w = await createWorld(target, { log: captured.log });
    });
    after(async () => {
      await w.cleanup();
    });

    test("/readyz: 503 until the search index is built (the check starts the build), then 200; as documented", async () => {
      assert.equal(searchIndexReady(w.db), false, "precondition: nothing has searched this database yet");
      const first = await readyz(w.app);
      // The check has just started the build: a search asked now is answered at once, not made to wait for it.
      if (!searchIndexReady(w.db))
        await assert.rejects(
          fresh(w.db),
          (e: unknown) =>
            e instanceof AppError && e.status === 503 && e.id === "search_index_building" && VIETNAMESE.test(e.message),
          "a 503 saying in Vietnamese to try again in a few seconds",
        );
      assert.equal(first.status, 503, "not ready before the index is built");
      assert.equal(first.body.status, "not_ready");
      assert.equal(first.body.reason, "search_index_building", "the reason's code");
      assert.match(first.body.message ?? "", VIETNAMESE, "the reason in Vietnamese");
      assert.deepEqual(
        first.body.problems?.map((p) => p.reason),
        ["search_index_building"],
        "the only problem: the database is fine",
      );
      assert.equal(first.cache, "no-store", "never cached");
      (await readyzSchema(w.app, "503")).parse(first.body);
      // Nobody searches: the readiness check alone has started the build.
      let last = first;
      for (let i = 0; i < 600 && last.status !== 200; i++) {
        await sleep(50);
        last = await readyz(w.app);
      }
      assert.equal(last.status, 200, `ready once the index is built: ${JSON.stringify(last.body)}`);
      assert.deepEqual(last.body, { status: "ready", db: target.name });
      assert.ok(searchIndexReady(w.db), "the index is built");
      (await readyzSchema(w.app, "200")).parse(last.body);
      assert.equal((await w.app.request("/healthz")).status, 200, "/healthz still answers");
    });

    test("/readyz: a migration this version lists but the database lacks is a 503 naming it", async () => {
      const lastName = MIGRATION_NAMES.at(-1) as string;
      await w.db.kysely
        .deleteFrom("kysely_migration" as never)
        .where("name" as never, "=", lastName as never)
        .execute();
      try {
        const r = await readyz(w.appWith());
        assert.equal(r.status, 503, "not ready with a migration pending");
        assert.equal(r.body.reason, "migrations_pending");
        assert.ok(r.body.message?.includes(lastName), `the message names the migration: ${r.body.message}`);
      } finally {
        await w.db.kysely
          .insertInto("kysely_migration" as never)
          .values({ name: lastName, timestamp: new Date().toISOString() } as never)
          .execute();
      }
      assert.equal((await readyz(w.appWith())).status, 200, "ready again once it is applied");
    });

    test("/readyz: the database must still be the portal the data folder names (or the first check saw)", async () => {
      const setId = (id: string) =>
        w.db.kysely
          .insertInto("settings")
          .values({ key: "portal_id", value: id })
          .onConflict((oc) => oc.column("key").doUpdateSet({ value: id }))
          .execute();
      try {
        // With the marker: another portal's id, or none, is not ready.
        writeMarker(w.dataDir, "portal-a");
        await setId("portal-a");
        const app = w.appWith();
        assert.equal((await readyz(app)).status, 200, "the marker's portal");
        await setId("portal-b");
        const foreign = await readyz(app);
        assert.equal(foreign.status, 503, "another portal's database");
        assert.equal(foreign.body.reason, "database_replaced");
        assert.match(foreign.body.message ?? "", /DATABASE_URL/, "the message says what to check");
        await w.db.kysely.deleteFrom("settings").where("key", "=", "portal_id").execute();
        assert.equal((await readyz(app)).body.reason, "database_replaced", "a database without the portal's id");
        // Without a marker: the first id seen is the one.
        fs.rmSync(path.join(w.dataDir, "cchc-portal.json"));
        await setId("portal-c");
        const unmarked = w.appWith();
        assert.equal((await readyz(unmarked)).status, 200, "the first id seen");
        await setId("portal-d");
        assert.equal((await readyz(unmarked)).body.reason, "database_replaced", "a different id later");
      } finally {
        fs.rmSync(path.join(w.dataDir, "cchc-portal.json"), { force: true });
        await w.db.kysely.deleteFrom("settings").where("key", "=", "portal_id").execute();
      }
    });

    test("/readyz: a database that does not answer, one without the portal's tables, and a process that is stopping, are 503 with their reasons", async () => {
      const config = loadConfig({ DATA_DIR: w.dataDir, LOG_LEVEL: "silent", CCHC_SHARED_DIR: SHARED_DIR });
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), "cchc-ops-"));
      const url = process.env.TEST_DATABASE_URL as string;
      const open = () =>
        target.name === "sqlite"
          ? openSqlite(path.join(dir, "cchc.sqlite"))
          : openPostgres(url, { max: 1, searchPath: "ops_test_no_such_schema" });
      const appOver = (db: ReturnType<typeof open>) =>
        createApp({ db, config, clock: w.now, log: createLogger("silent") });
      const empty = open();
      try {
        const r = await readyz(appOver(empty));
        assert.equal(r.status, 503, "not ready on an empty database");
        assert.equal(r.body.reason, "database_not_portal");
        // Away: SQLite's handle closed under it; PostgreSQL's pool ended.
        if (empty.sqlite) empty.sqlite.close();
        else await empty.close();
        const away = await readyz(appOver(empty));
        assert.equal(away.status, 503, "not ready without a database");
        assert.equal(away.body.reason, "database_unreachable");
        assert.match(away.body.message ?? "", VIETNAMESE, "in Vietnamese");
      } finally {
        if (empty.sqlite) await empty.close().catch(() => undefined);
        fs.rmSync(dir, { recursive: true, force: true });
      }
      const stopping = createApp(
        { db: w.db, config, clock: w.now, log: createLogger("silent") },
        { stopping: () => true },
      );
      const s = await readyz(stopping);
      assert.equal(s.status, 503, "not ready while stopping");
      assert.equal(s.body.reason, "shutting_down", "stopping comes first");
    });

    if (target.name === "sqlite")
      test("/readyz: the SQLite file replaced under the server is 503 database_lost", async () => {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "cchc-ops-"));
        const file = path.join(dir, "cchc.sqlite");
        const db = openSqlite(file);
        try {
          const config = loadConfig({ DATA_DIR: dir, LOG_LEVEL: "silent", CCHC_SHARED_DIR: SHARED_DIR });
          const app = createApp({ db, config, clock: w.now, log: createLogger("silent") });
          fs.writeFileSync(`${file}.other`, "");
          fs.renameSync(`${file}.other`, file);
          const r = await readyz(app);
          assert.equal(r.status, 503, "not ready");
          assert.equal(r.body.reason, "database_lost");
        } finally {
          await db.close();
          fs.rmSync(dir, { recursive: true, force: true });
        }
      });

    test("every answer has a request id: a trusted proxy's sane one is kept, any other replaced", async () => {
      const plain = await w.app.request("/readyz", { headers: { "X-Request-Id": "from-a-client-1" } });
      const id = plain.headers.get("x-request-id") ?? "";
      assert.match(id, /^[0-9a-f]{32}$/, "a new id when the peer is no trusted proxy");
      const other = (await w.app.request("/readyz")).headers.get("x-request-id");
      assert.notEqual(other, id, "each request its own id");
      const proxied = w.appWith({ TRUST_PROXY: "10.0.0.1" });
      const via = (ip: string, reqId: string) =>
        proxied.request("/ke-hoach", { headers: { "x-test-ip": ip, "X-Request-Id": reqId } });
      assert.equal(
        (await via("10.0.0.1", "0f1e2d3c4b5a69788796a5b4c3d2e1f0")).headers.get("x-request-id"),
        "0f1e2d3c4b5a69788796a5b4c3d2e1f0",
        "the proxy's id is kept",
      );
      assert.notEqual(
        (await via("10.0.0.2", "0f1e2d3c4b5a69788796a5b4c3d2e1f0")).headers.get("x-request-id"),
        "0f1e2d3c4b5a69788796a5b4c3d2e1f0",
        "another peer's is not",
      );
      for (const bad of ["two words", "x".repeat(129), 'a"b', "ý"])
        assert.match(
          (await via("10.0.0.1", bad)).headers.get("x-request-id") ?? "",
          /^[0-9a-f]{32}$/,
          `an insane id (${bad.slice(0, 10)}) is replaced`,
        );
      const notFound = await w.app.request("/khong-co-trang-nay");
      assert.equal(notFound.status, 404);
      assert.match(notFound.headers.get("x-request-id") ?? "", /^[0-9a-f]{32}$/, "a 404 has one too");
    });

    test("one JSON log line per request: id, method, route pattern, status, ms, ward; no query, code nor phone", async () => {
      const from = captured.lines.length;
      const words = "giấy khai sinh cho bé Nguyễn Thị Mận";
      const search = await w.app.request(`/tim-kiem?q=${encodeURIComponent(words)}`);
      assert.equal(search.status, 200, "the search page");
      const lookup = await w.app.request("/api/v1/feedback/lookup", {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ code: "PA-ZQ7K2M", phone: "0912 345 678" }),
      });
      assert.equal(lookup.status, 404, "a lookup that finds nothing");
      const question = await w.app.request("/hoi-dap/k7m2p9q4zx");
      const api = await w.app.request("/api/v1/procedures?q=chung%20thuc&pageSize=5");
      assert.equal(api.status, 200, "the procedures API");
      const lines = captured.lines.slice(from).filter((l) => l.msg === "request");
      assert.equal(lines.length, 4, `one line per request:\n${captured.text()}`);
      const [s, l, q, a] = lines as [Json, Json, Json, Json];
      assert.deepEqual(
        { ...s, time: 0, pid: 0, hostname: "", ms: 0 },
        {
          level: 30,
          time: 0,
          pid: 0,
          hostname: "",
          reqId: search.headers.get("x-request-id"),
          method: "GET",
          route: "/tim-kiem",
          status: 200,
          ms: 0,
          ward: "21439",
          msg: "request",
        },
        "the search's line",
      );
      assert.equal(typeof s.ms, "number", "its duration in ms");
      assert.deepEqual(
        [l.route, l.method, l.status, l.reqId],
        ["/api/v1/feedback/lookup", "POST", 404, lookup.headers.get("x-request-id")],
        "the lookup's line",
      );
      assert.deepEqual(
        [q.route, q.status],
        ["/hoi-dap/:publicId{[a-z2-9]{10}}", question.status],
        "the question's line: the pattern",
      );
      assert.equal(a.route, "/api/v1/procedures", "the API's line");
      const all = captured.text();
      for (const secret of ["khai sinh", "Mận", "PA-ZQ7K2M", "ZQ7K2M", "0912", "345 678", "k7m2p9q4zx", "chung", "?q="])
        assert.ok(!all.includes(secret), `the log never holds "${secret}"`);
      assert.equal(
        captured.lines.filter((x) => x.msg === "request" && x.reqId === s.reqId).length,
        1,
        "exactly one line carries the search's id",
      );
    });

    test("a page the cache answers at the server, ahead of the app, has its id, its log line and its count too", async () => {
      const cache = new PageCache(8 * 1024 * 1024);
      const requestMetrics = new RequestMetrics();
      const cap = captureLog();
      const deps = {
        db: w.db,
        config: loadConfig({ DATA_DIR: w.dataDir, CCHC_SHARED_DIR: SHARED_DIR, METRICS_TOKEN: TOKEN }),
        clock: w.now,
        log: cap.log,
      };
      const app = createApp(deps, { pageCache: cache, requestMetrics });
      const server = servePortal(app, cache, { ...deps, metrics: requestMetrics }, { port: 0, hostname: "127.0.0.1" });
      await new Promise((ok) => server.once("listening", ok));
      const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      try {
        const first = await fetch(`${base}/ke-hoach`);
        await first.text();
        const hit = await fetch(`${base}/ke-hoach`);
        await hit.text();
        assert.equal(hit.headers.get("x-cache"), "hit", "answered from the cache");
        const id = hit.headers.get("x-request-id") ?? "";
        assert.match(id, /^[0-9a-f]{32}$/, "with a request id");
        assert.notEqual(id, first.headers.get("x-request-id"), "its own");
        const line = cap.lines.find((l) => l.msg === "request" && l.reqId === id);
        assert.ok(line, `its log line:\n${cap.text()}`);
        assert.deepEqual([line.route, line.status, line.method], ["/ke-hoach", 200, "GET"], "naming the route");
        const text = await (await fetch(`${base}/metrics`, { headers: { authorization: `Bearer ${TOKEN}` } })).text();
        assert.match(
          text,
          /^cchc_http_requests_total\{method="GET",route="\/ke-hoach",status="2xx"\} 2$/m,
          "both counted",
        );
        assert.match(text, /^cchc_page_cache_requests_total\{result="hit"\} 1$/m, "the hit counted as one");
      } finally {
        await new Promise((ok) => server.close(ok));
      }
    });

    test("/metrics: absent without METRICS_TOKEN; with it, 401 without the bearer token", async () => {
      assert.equal((await w.app.request("/metrics")).status, 404, "off by default");
      const app = w.appWith({ METRICS_TOKEN: TOKEN });
      const none = await app.request("/metrics");
      assert.equal(none.status, 401, "no token");
      assert.match(none.headers.get("www-authenticate") ?? "", /^Bearer/, "says how to authenticate");
      assert.match(((await none.json()) as { error: { message: string } }).error.message, VIETNAMESE, "in Vietnamese");
      for (const wrong of [`Bearer ${TOKEN}x`, `Basic ${TOKEN}`, TOKEN, "Bearer "])
        assert.equal(
          (await app.request("/metrics", { headers: { authorization: wrong } })).status,
          401,
          `refused: ${wrong.slice(0, 8)}`,
        );
      assert.throws(
        () => loadConfig({ METRICS_TOKEN: "short" }),
        /METRICS_TOKEN: phải dài ít nhất 16 ký tự.*\(ẩn\)/s,
        "a short token stops the start, and is not printed",
      );
    });

    test("/metrics: requests by route and status class, cache hits and misses, the job queue, memory", async () => {
      const app = w.appWith({ METRICS_TOKEN: TOKEN });
      const scrape = async () => {
        const res = await app.request("/metrics", { headers: { authorization: `Bearer ${TOKEN}` } });
        assert.equal(res.status, 200, "the token opens it");
        assert.match(res.headers.get("content-type") ?? "", /^text\/plain; version=0\.0\.4/, "Prometheus text");
        const text = await res.text();
        for (const line of text.split("\n").filter((x) => x && !x.startsWith("#")))
          assert.match(
            line,
            /^[a-zA-Z_:][a-zA-Z0-9_:]*(\{([a-z_]+="([^"\\]|\\.)*",?)*\})? (-?[0-9.e+-]+|[+-]Inf|NaN)$/,
            `a sample line: ${line}`,
          );
        return text;
      };
      const value = (text: string, series: string) => {
        const line = text.split("\n").find((x) => x.startsWith(`${series} `));
        return line === undefined ? undefined : Number(line.slice(series.length + 1));
      };
      const first = await app.request("/ke-hoach");
      assert.equal(first.status, 200, "the plans page");
      const second = await app.request("/ke-hoach");
      assert.equal(second.headers.get("x-cache"), "hit", "then from the cache");
      await app.request("/tin-tuc/987654");
      await app.request("/tin-tuc/987655");
      await app.request("/khong-co/trang-nay");
      await w.db.kysely.transaction().execute((trx) => enqueueJob(trx, opsProbeJob, { n: 1 }, {}, w.now()));
      await w.db.kysely
        .transaction()
        .execute((trx) =>
          enqueueJob(trx, opsProbeJob, { n: 2 }, { runAt: new Date(w.now().getTime() + 86_400_000) }, w.now()),
        );
      const text = await scrape();
      const req = (route: string, status: string) =>
        value(text, `cchc_http_requests_total{method="GET",route="${route}",status="${status}"}`);
      assert.equal(req("/ke-hoach", "2xx"), 2, `the plans page twice, cache hit included:\n${text}`);
      assert.equal(req("/tin-tuc/:id{[0-9]+}", "4xx"), 2, "two unknown articles: one series, the pattern");
      assert.equal(req("(không khớp)", "4xx"), 1, "an unknown URL: one series for all");
      assert.ok(!text.includes("987654") && !text.includes("trang-nay"), "no path as sent");
      assert.equal(
        value(text, 'cchc_http_request_duration_seconds_bucket{method="GET",route="/ke-hoach",status="2xx",le="+Inf"}'),
        2,
        "the latency histogram",
      );
      assert.equal(value(text, 'cchc_page_cache_requests_total{result="hit"}'), 1, "one cache hit");
      assert.equal(
        value(text, 'cchc_page_cache_requests_total{result="miss"}'),
        3,
        "three misses: the plans page's first render and the two unknown articles (cacheable routes, rendered)",
      );
      assert.ok((value(text, "cchc_page_cache_bytes") ?? 0) > 0, "the cache's size");
      assert.equal(value(text, 'cchc_jobs{state="queued"}'), 2, "two jobs queued");
      assert.equal(value(text, 'cchc_jobs{state="due"}'), 1, "one of them due now");
      assert.equal(value(text, "cchc_database_up"), 1, "the database answered");
      assert.equal(value(text, "cchc_search_index_ready"), 1, "the index built (first test)");
      const docs = await w.db.kysely
        .selectFrom("search_docs")
        .select((eb) => eb.fn.countAll().as("n"))
        .where("deleted", "=", 0)
        .executeTakeFirstOrThrow();
      assert.equal(value(text, "cchc_search_index_documents"), Number(docs.n), "the documents it holds");
      assert.ok(
        (value(text, "cchc_search_index_bytes") ?? 0) > 1000 * Number(docs.n),
        `the index's memory in bytes: ${value(text, "cchc_search_index_bytes")} for ${docs.n} documents`,
      );
      assert.ok((value(text, "process_resident_memory_bytes") ?? 0) > 0, "the process's memory");
      await w.db.kysely.deleteFrom("jobs").where("kind", "=", opsProbeJob.kind).execute();
      const again = await scrape();
      assert.equal(value(again, 'cchc_jobs{state="queued"}'), 0, "read at each scrape");
      assert.equal(
        value(again, 'cchc_http_requests_total{method="GET",route="/metrics",status="2xx"}'),
        1,
        "the first scrape counted",
      );
    });
  });
}
