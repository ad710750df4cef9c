/**
 * The page cache's hot path at the Node server (cached-listener.ts), over real HTTP on every database: a stored page
 * is answered without the framework with the same bytes and headers the app gives, validated by ETag (304), encoded
 * as the client takes it, never stale after a write, never for a staff session; what a route counts on a cached
 * answer (a search) is still counted.
 */
import assert from "node:assert/strict";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { after, before, describe, test } from "node:test";
import { brotliDecompressSync, gunzipSync } from "node:zlib";
import { createApp } from "../src/app.tsx";
import { loadConfig } from "../src/core/config.ts";
import { createLogger } from "../src/core/log.ts";
import { RequestMetrics } from "../src/core/metrics.ts";
import { servePortal } from "../src/core/web/cached-listener.ts";
import { PageCache } from "../src/core/web/page-cache.ts";
import { queryKey } from "../src/features/search/search.service.ts";
import { flushSearchLog } from "../src/features/search/search-log.ts";
import { createWorld, logIn, pw, SHARED_DIR, type TestWorld, testDatabases } from "./helpers/env.ts";

interface Raw {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
}

/** A GET with exactly these headers, the body as sent (no decoding): what a phone or the proxy receives. */
function get(port: number, path: string, headers: Record<string, string> = {}): Promise<Raw> {
  return new Promise((resolve, reject) => {
    http
      .get({ host: "127.0.0.1", port, path, headers, agent: false }, (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("end", () =>
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }),
        );
      })
      .on("error", reject);
  });
}

const decoded = (r: Raw) =>
  (r.headers["content-encoding"] === "br"
    ? brotliDecompressSync(r.body)
    : r.headers["content-encoding"] === "gzip"
      ? gunzipSync(r.body)
      : r.body
  ).toString("utf8");

for (const target of testDatabases()) {
  describe(`the page cache's hot path at the server (${target.name})`, () => {
    let w: TestWorld;
    let server: ReturnType<typeof servePortal>;
    let port = 0;
    let cache: PageCache;
    let appRequests = 0;
    const metrics = new RequestMetrics();
    /** Requests counted in the metrics for a route pattern, answered with a status class (2xx, 3xx). */
    const counted = (route: string, status: string) =>
      metrics
        .families()[0]
        ?.samples.filter((s) => s.labels?.route === route && s.labels?.status === status)
        .reduce((n, s) => n + Number((s as { value: number }).value), 0) ?? 0;
    before(async () => {
      w = await createWorld(target);
      cache = new PageCache(8 * 1024 * 1024);
      const deps = {
        db: w.db,
        config: loadConfig({ DATA_DIR: w.dataDir, LOG_LEVEL: "silent", CCHC_SHARED_DIR: SHARED_DIR }),
        clock: w.now,
        log: createLogger("silent"),
        metrics,
      };
      const app = createApp(deps, { pageCache: cache, requestMetrics: metrics });
      // Requests that reached the app: the hot path answers without it.
      const countedApp = {
        fetch: (r: Request, env?: unknown) => {
          appRequests++;
          return app.fetch(r, env);
        },
      };
      server = servePortal(countedApp, cache, deps, { port: 0, hostname: "127.0.0.1" });
      await new Promise((ok) => server.once("listening", ok));
      port = (server.address() as AddressInfo).port;
    });
    after(async () => {
      await new Promise((ok) => server.close(ok));
      await w.cleanup();
    });

    const BROWSER = { "accept-encoding": "gzip, deflate, br" };

    test("a stored page is answered at the server with the app's bytes and headers, encoded as asked", async () => {
      const first = await get(port, "/thu-tuc", BROWSER);
      assert.equal(first.status, 200, "the list renders");
      assert.equal(first.headers["x-cache"], "miss", "rendered by the app");
      const reached = appRequests;
      const hit = await get(port, "/thu-tuc", BROWSER);
      assert.equal(hit.headers["x-cache"], "hit", "then answered from the cache");
      assert.equal(appRequests, reached, "at the server, without reaching the app");
      assert.deepEqual(hit.body, first.body, "the same bytes as the rendered answer");
      for (const name of [
        "content-type",
        "content-encoding",
        "etag",
        "cache-control",
        "vary",
        "content-security-policy",
        "x-frame-options",
        "x-content-type-options",
        "referrer-policy",
      ])
        assert.equal(hit.headers[name], first.headers[name], `${name} as the app sent it`);
      assert.equal(hit.headers["content-encoding"], "br", "brotli for a browser");
      assert.equal(hit.headers["cache-control"], "no-cache", "browsers and the proxy must ask again");
      assert.match(String(hit.headers.etag), /^W\/"[\w-]+"$/, "a weak validator");
      assert.equal(Number(hit.headers["content-length"]), hit.body.byteLength, "its length is said");
      const gz = await get(port, "/thu-tuc", { "accept-encoding": "gzip" });
      const plain = await get(port, "/thu-tuc");
      assert.equal(gz.headers["content-encoding"], "gzip", "gzip for a client taking only gzip");
      assert.equal(plain.headers["content-encoding"], undefined, "the page itself for a client taking neither");
      assert.equal(decoded(gz), decoded(hit), "gzip carries the same page");
      assert.equal(decoded(plain), decoded(hit), "so does the plain answer");
      assert.match(decoded(plain), /<html/, "and it is the page");
    });

    test("a client holding the page gets a 304; a write makes the next answer a fresh render", async () => {
      const page = await get(port, "/thu-tuc", BROWSER);
      const etag = String(page.headers.etag);
      const reached = appRequests;
      const same = await get(port, "/thu-tuc", { ...BROWSER, "if-none-match": etag });
      assert.equal(same.status, 304, "not modified");
      assert.equal(appRequests, reached, "answered at the server");
      assert.equal(same.body.byteLength, 0, "without a body");
      assert.equal(same.headers.etag, etag, "naming the validator");
      // Any write moves the data version: the stored page is not served again.
      await w.db.kysely
        .insertInto("settings")
        .values({ key: `hot-path-test-${Date.now()}`, value: "x" })
        .execute();
      const after = await get(port, "/thu-tuc", BROWSER);
      assert.equal(after.headers["x-cache"], "miss", "rendered again after the write");
      const revalidated = await get(port, "/thu-tuc", { ...BROWSER, "if-none-match": etag });
      assert.equal(revalidated.status, 304, "the same HTML after an unrelated write still validates");
    });

    test("a staff session, a HEAD and an unstored URL go to the app", async () => {
      await get(port, "/", BROWSER);
      assert.equal((await get(port, "/", BROWSER)).headers["x-cache"], "hit", "the home page is stored");
      await w.createStaff("nongdong", "coordinator", "office");
      const staff = await logIn(w.app, "nongdong", pw("nongdong"));
      const reached = appRequests;
      const seen = await get(port, "/", { ...BROWSER, cookie: staff.cookie });
      assert.equal(seen.headers["x-cache"], undefined, "a staff member's page is rendered for them");
      assert.equal(appRequests, reached + 1, "by the app");
      const head = await new Promise<number>((resolve, reject) =>
        http
          .request({ host: "127.0.0.1", port, path: "/", method: "HEAD", agent: false }, (res) => {
            res.resume();
            resolve(res.statusCode ?? 0);
          })
          .on("error", reject)
          .end(),
      );
      assert.equal(head, 200, "HEAD is answered by the app");
      const extra = await get(port, "/thu-tuc?utm_source=zalo", BROWSER);
      assert.equal(extra.status, 302, "an undeclared parameter is still redirected by the app");
    });

    test("a hit is counted in the metrics and the cache's hits, under its route, as the app counts its answers", async () => {
      await get(port, "/su-kien", BROWSER);
      const hits = cache.served.hit;
      const before = counted("/su-kien", "2xx");
      const reached = appRequests;
      for (let i = 0; i < 3; i++)
        assert.equal((await get(port, "/su-kien", BROWSER)).headers["x-cache"], "hit", "a hit");
      assert.equal(appRequests, reached, "all three at the server");
      assert.equal(cache.served.hit, hits + 3, "three cache hits counted (cchc_page_cache_requests_total)");
      assert.equal(counted("/su-kien", "2xx"), before + 3, "and three answers of the route in the request metrics");
      const etag = String((await get(port, "/su-kien", BROWSER)).headers.etag);
      const notModified = counted("/su-kien", "3xx");
      assert.equal((await get(port, "/su-kien", { "if-none-match": etag })).status, 304, "a 304 at the server");
      assert.equal(counted("/su-kien", "3xx"), notModified + 1, "counted as a 3xx of the route");
    });

    test("a 304 and a hit asked by another spelling of the URL carry every header of the app's answer", async () => {
      const page = await get(port, "/thu-tuc", BROWSER);
      const reached = appRequests;
      const same = await get(port, "/thu-tuc", { "if-none-match": String(page.headers.etag) });
      assert.equal(same.status, 304, "not modified");
      for (const name of ["content-security-policy", "x-frame-options", "x-content-type-options", "referrer-policy"])
        assert.equal(same.headers[name], page.headers[name], `${name} on the 304 too`);
      assert.equal(same.headers.vary, "Accept-Encoding, Cookie", "Vary on the 304");
      assert.equal(same.headers["cache-control"], "no-cache", "Cache-Control on the 304");
      assert.match(String(same.headers["x-request-id"]), /^[0-9a-f]{32}$/, "a request id of its own");
      // Not a plain path: the hot path's key comes from the URL parser, which makes it the same page.
      const dotted = await get(port, "/./thu-tuc", BROWSER);
      assert.equal(dotted.headers["x-cache"], "hit", "/./thu-tuc is /thu-tuc, from the cache");
      assert.deepEqual(dotted.body, page.body, "with the same bytes");
      assert.equal(appRequests, reached, "both at the server");
    });

    test("from a client that is not a trusted proxy, its request id and X-Forwarded-Proto are not believed", async () => {
      await get(port, "/thu-tuc", BROWSER);
      const hit = await get(port, "/thu-tuc", {
        ...BROWSER,
        "x-request-id": "chosen-by-client",
        "x-forwarded-proto": "https",
      });
      assert.equal(hit.headers["x-cache"], "hit", "a hit");
      assert.notEqual(hit.headers["x-request-id"], "chosen-by-client", "a request id of our own");
      assert.equal(hit.headers["strict-transport-security"], undefined, "no HSTS on a client's word");
    });

    test("a search answered at the server still counts as a search", async () => {
      const ask = () => get(port, "/tim-kiem?q=ket+hon", BROWSER);
      assert.equal((await ask()).status, 200, "the search renders");
      assert.equal((await ask()).headers["x-cache"], "hit", "then comes from the cache");
      assert.equal((await ask()).headers["x-cache"], "hit", "again");
      await flushSearchLog(w.db);
      const row = await w.db.kysely
        .selectFrom("search_log")
        .select("searches")
        .where("query_key", "=", queryKey("ket hon"))
        .executeTakeFirst();
      assert.equal(Number(row?.searches), 3, "three searches, two of them answered at the server");
    });
  });
}
