import assert from "node:assert/strict";
import { test } from "node:test";
import { brotliDecompressSync, gunzipSync } from "node:zlib";
import { Changes } from "../db/changes.ts";
import { vnToday } from "../text/vi.ts";
import {
  acceptsEncoding,
  acceptsGzip,
  cachedAnswer,
  cachedAnswerNow,
  canonicalQuery,
  compressPage,
  dayOf,
  directAnswer,
  isCanonicalQuery,
  matchesEtag,
  PageCache,
  pageKey,
  wireAnswer,
} from "./page-cache.ts";

test("acceptsGzip reads Accept-Encoding as browsers and proxies send it", () => {
  for (const yes of ["gzip", "gzip, deflate, br", "br;q=1.0, gzip;q=0.8, *;q=0.1", "GZIP", "*", "deflate, gzip;q=0.5"])
    assert.equal(acceptsGzip(yes), true, yes);
  for (const no of [undefined, "", "identity", "br", "gzip;q=0", "deflate, gzip;q=0.0", "*;q=0"])
    assert.equal(acceptsGzip(no), false, String(no));
});

test("brotli is taken only when named (or by *) with a weight above zero", () => {
  for (const yes of ["gzip, deflate, br", "br", "br;q=0.5", "gzip;q=0, *"])
    assert.equal(acceptsEncoding(yes, "br"), true, yes);
  for (const no of [undefined, "", "gzip, deflate", "br;q=0", "*;q=0", "br;q=0, *"])
    assert.equal(acceptsEncoding(no, "br"), false, String(no));
});

test("If-None-Match matches a validator weakly, in a list, or as *", () => {
  const tag = 'W/"abc"';
  for (const yes of ['W/"abc"', '"abc"', '"x", W/"abc"', "*"]) assert.equal(matchesEtag(yes, tag), true, yes);
  for (const no of [undefined, "", '"abcd"', 'W/"ab"']) assert.equal(matchesEtag(no, tag), false, String(no));
});

test("a stored page is compressed both ways once and answered as the client takes it, or 304", async () => {
  const html = Buffer.from(`<!doctype html><title>Thủ tục</title>${"<p>Đăng ký khai sinh</p>".repeat(200)}`);
  const page = await compressPage(html);
  assert.deepEqual(gunzipSync(page.gzip), html, "the gzip body is the page");
  assert.deepEqual(brotliDecompressSync(page.brotli), html, "the brotli body is the page");
  assert.equal((await compressPage(Buffer.from(html))).etag, page.etag, "the same bytes, the same validator");
  assert.notEqual((await compressPage(Buffer.from(`${html}.`))).etag, page.etag, "other bytes, another validator");
  const entry = new PageCache(1_000_000).set("/p", { day: "d", at: 0, units: [1] }, page, "text/html; charset=UTF-8");
  const ask = (acceptEncoding?: string, ifNoneMatch?: string) =>
    cachedAnswer(entry, { acceptEncoding, ifNoneMatch }, "hit");
  const br = await ask("gzip, deflate, br");
  assert.equal(br.headers["Content-Encoding"], "br", "brotli when taken");
  assert.equal(br.body, page.brotli, "the stored bytes, not compressed again");
  assert.equal((await ask("gzip")).headers["Content-Encoding"], "gzip", "gzip otherwise");
  const plain = await ask(undefined);
  assert.deepEqual(plain.body, html, "the page itself for a client taking neither");
  assert.equal(plain.headers["Content-Encoding"], undefined, "and no encoding said");
  for (const a of [br, plain]) {
    assert.equal(a.headers["Cache-Control"], "no-cache", "kept by browsers and proxies only if they ask again");
    assert.match(a.headers.Vary ?? "", /Accept-Encoding/, "varies with the encoding");
    assert.equal(a.headers.ETag, page.etag, "with its validator");
  }
  const unchanged = await ask("br", page.etag);
  assert.equal(unchanged.status, 304, "a client holding this page is told so");
  assert.equal(unchanged.body, null, "with no body");
  assert.equal((await ask("br", 'W/"other"')).status, 200, "an old validator gets the page");
});

test("the page cache holds at most its bytes, dropping the least recently used first", () => {
  const cache = new PageCache(20_000);
  const changes = new Changes();
  const view = { day: "d1", changes };
  const at = { day: "d1", at: changes.stamp(), units: [1] };
  const page = (n: number) => ({ gzip: Buffer.alloc(n, 1), brotli: Buffer.alloc(0), etag: 'W/"x"' });
  for (const p of ["a", "b", "c", "d"]) cache.set(`http://x/${p}`, at, page(4000), "text/html");
  assert.ok(cache.get("http://x/a", view), "a is held and now the most recent");
  cache.set("http://x/e", at, page(4000), "text/html");
  assert.equal(cache.get("http://x/b", view), undefined, "b, the least recently used, went");
  assert.ok(cache.get("http://x/a", view), "a stayed");
  assert.ok(cache.stats().bytes <= 20_000, `the cache holds ${cache.stats().bytes} bytes`);
  cache.set("http://x/huge", at, page(5000), "text/html");
  assert.equal(cache.get("http://x/huge", view), undefined, "over a quarter of the cap: not stored");
  assert.equal(cache.get("http://x/a", { day: "d2", changes }), undefined, "another day: a miss");
  assert.equal(cache.get("http://x/a", view), undefined, "and the stale entry is gone");
  for (let i = 0; i < 500; i++) cache.set(`http://x/p${i}`, at, page(100 + (i % 7) * 200), "text/html");
  assert.ok(cache.stats().bytes <= 20_000, `after 500 pages the cache holds ${cache.stats().bytes} bytes`);
});

test("a cache of 0 bytes (PAGE_CACHE_MB=0) holds nothing: every request renders", () => {
  const cache = new PageCache(0);
  const changes = new Changes();
  const page = { gzip: Buffer.alloc(10, 1), brotli: Buffer.alloc(0), etag: 'W/"x"' };
  cache.set("http://x/a", { day: "d", at: changes.stamp(), units: [1] }, page, "text/html");
  assert.equal(cache.get("http://x/a", { day: "d", changes }), undefined, "nothing stored");
  assert.equal(cache.stats().entries, 0, "no entry");
});

test("a stored page is stale after a change to its units or shared data, never after another unit's", () => {
  const cache = new PageCache(1_000_000);
  const changes = new Changes();
  const view = { day: "d", changes };
  const page = { gzip: Buffer.alloc(10), brotli: Buffer.alloc(0), etag: 'W/"x"' };
  const store = (key: string, units: number[] | null) =>
    cache.set(key, { day: "d", at: changes.stamp(), units }, page, "text/html");
  store("/a", [1, 10]);
  store("/b", [2, 10]);
  changes.changed("news_articles", [2]);
  assert.ok(cache.get("/a", view), "a write in unit 2 leaves unit 1's page");
  assert.equal(cache.get("/b", view), undefined, "and makes unit 2's stale");
  store("/b", [2, 10]);
  changes.changed("news_articles", [10]);
  assert.equal(cache.get("/a", view), undefined, "a write of the province (10) reaches its wards' pages");
  assert.equal(cache.get("/b", view), undefined, "every one");
  store("/a", [1, 10]);
  store("/any", null);
  changes.changed("news_articles", [3]);
  assert.ok(cache.get("/a", view), "unit 3 is not unit 1's");
  assert.equal(cache.get("/any", view), undefined, "a page of no ward is stale after any write");
  changes.changed("procedures", "*");
  assert.equal(cache.get("/a", view), undefined, "shared data: every page is stale");
  store("/a", [1, 10]);
  changes.changedEverything();
  assert.equal(cache.get("/a", view), undefined, "and when anything may have changed");
});

test("a query is canonical when it holds its declared parameters once each, in order, however encoded", () => {
  const q = (s: string, ...declared: string[]) => canonicalQuery(new URLSearchParams(s), declared);
  const ok = (s: string, ...declared: string[]) => isCanonicalQuery(new URLSearchParams(s), declared);
  assert.equal(q("x=1"), "");
  assert.equal(ok("x=1"), false, "an undeclared parameter");
  assert.equal(ok(""), true, "no parameter");
  assert.equal(q("trang=2&q=a&x=1", "q", "trang"), "q=a&trang=2");
  assert.equal(ok("trang=2&q=a", "q", "trang"), false, "out of order");
  assert.equal(ok("q=a&trang=2", "q", "trang"), true, "in order");
  assert.equal(q("q=a&q=b", "q"), "q=a");
  assert.equal(ok("q=a&q=b", "q"), false, "repeated");
  assert.equal(q("q=khai%20sinh", "q"), "q=khai+sinh");
  assert.equal(ok("q=khai%20sinh", "q"), true, "%20 is as good as +");
  assert.equal(ok("q=", "q"), true, "an empty value is a value");
  assert.equal(q("q=%", "q"), "q=%25");
  assert.equal(pageKey("http://h/tim-kiem?q=khai%20sinh"), pageKey("http://h/tim-kiem?q=khai+sinh"), "one key");
  assert.equal(pageKey("http://h/thu-tuc"), "/thu-tuc");
  assert.equal(
    pageKey("/tim-kiem?q=khai%20sinh"),
    pageKey("http://h/tim-kiem?q=khai+sinh"),
    "a request line's path too",
  );
  assert.equal(pageKey("http://a.example/thu-tuc"), pageKey("http://b.example/thu-tuc"), "the host is not part of it");
});

test("a page the cache will not keep is sent in one encoding, with the same validator, or 304", async () => {
  const html = Buffer.from(`<!doctype html><title>t</title>${"<p>Đăng ký khai sinh</p>".repeat(200)}`);
  const type = "text/html; charset=UTF-8";
  const plain = await directAnswer(html, type, { acceptEncoding: undefined, ifNoneMatch: undefined });
  assert.equal(plain.status, 200);
  assert.equal(plain.headers["Content-Encoding"], undefined, "no coding for a client taking none");
  assert.deepEqual(plain.body, html, "the page itself");
  assert.equal(plain.headers["Cache-Control"], "no-cache");
  assert.equal(plain.headers.ETag, (await compressPage(html)).etag, "the validator a kept page would have");
  const gz = await directAnswer(html, type, { acceptEncoding: "gzip, deflate, br", ifNoneMatch: undefined });
  assert.equal(gz.headers["Content-Encoding"], "gzip");
  assert.deepEqual(gunzipSync(gz.body as Buffer), html, "gzip of the page");
  const br = await directAnswer(html, type, { acceptEncoding: "br", ifNoneMatch: undefined });
  assert.deepEqual(brotliDecompressSync(br.body as Buffer), html, "brotli when that is all the client takes");
  const again = await directAnswer(html, type, { acceptEncoding: "gzip", ifNoneMatch: plain.headers.ETag });
  assert.equal(again.status, 304);
  assert.equal(again.body, null);
});

test("the cache keeps nothing when off, and refuses pages too large for its cap before compressing them", () => {
  assert.equal(new PageCache(0).mayKeep(1), false, "PAGE_CACHE_MB=0 keeps nothing");
  assert.equal(new PageCache(4_000_000).mayKeep(1_000_000), true, "a page well under a quarter of the cap");
  assert.equal(new PageCache(1_000_000).mayKeep(20_000_000), false, "a page no compression would fit");
});

test("the hot path's answer (headers built once per entry) is the cache's answer, header for header", async () => {
  const html = Buffer.from(`<!doctype html><title>Bảng niêm yết</title>${"<p>Thủ tục</p>".repeat(100)}`);
  const page = await compressPage(html);
  const entry = new PageCache(1_000_000).set("/p", { day: "d", at: 0, units: [1] }, page, "text/html; charset=UTF-8");
  const asked: [string | undefined, string | undefined][] = [
    ["gzip, deflate, br", undefined],
    ["gzip", undefined],
    ["br;q=0, gzip", undefined],
    ["gzip;q=0, *", undefined],
    ["gzip, deflate, br", page.etag],
    [undefined, `"x", ${page.etag}`],
    ["gzip", 'W/"other"'],
  ];
  // Twice: the second time from the headers and the client's coding remembered the first time.
  for (const round of [1, 2])
    for (const [acceptEncoding, ifNoneMatch] of asked) {
      const label = `${round}: ${acceptEncoding} / ${ifNoneMatch}`;
      const expected = cachedAnswerNow(entry, { acceptEncoding, ifNoneMatch }, "hit");
      const wire = wireAnswer(entry, acceptEncoding, ifNoneMatch);
      assert.ok(expected && wire, `both answer at once (${label})`);
      const headers: Record<string, string> = {};
      for (let i = 0; i < wire.head.length; i += 2) headers[wire.head[i] as string] = wire.head[i + 1] as string;
      const withLength = expected.body
        ? { ...expected.headers, "Content-Length": String(expected.body.byteLength) }
        : expected.headers;
      assert.deepEqual(Object.entries(headers), Object.entries(withLength), `the same headers in order (${label})`);
      assert.equal(wire.status, expected.status, `the same status (${label})`);
      assert.equal(wire.body, expected.body, `the same stored bytes (${label})`);
    }
  for (const neither of [undefined, "", "identity", "deflate", "gzip;q=0"])
    assert.equal(
      wireAnswer(entry, neither, undefined),
      null,
      `a client taking neither coding waits for unzipping (${neither})`,
    );
});

test("a hit on the most recent page keeps the LRU order right", () => {
  // Four pages of about 2.3 kB fit in 10 kB, a fifth does not.
  const cache = new PageCache(10_000);
  const changes = new Changes();
  const view = { day: "d", changes };
  const at = { day: "d", at: changes.stamp(), units: [1] };
  const page = { gzip: Buffer.alloc(2000, 1), brotli: Buffer.alloc(0), etag: 'W/"x"' };
  for (const p of ["/a", "/b", "/c", "/d"]) cache.set(p, at, page, "text/html");
  assert.equal(cache.stats().entries, 4, "four pages held");
  for (let i = 0; i < 3; i++) assert.ok(cache.get("/d", view), "the newest, asked again and again");
  assert.ok(cache.get("/a", view), "then the oldest, which becomes the newest");
  cache.set("/e", at, page, "text/html");
  assert.equal(cache.get("/b", view), undefined, "the least recently used went first");
  assert.ok(cache.get("/a", view) && cache.get("/c", view) && cache.get("/d", view), "the others stayed");
});

test("the day a page is checked against turns at midnight in Vietnam, to the minute", () => {
  for (const iso of ["2026-03-01T16:59:00.000Z", "2026-03-01T16:59:59.999Z", "2026-03-01T17:00:00.000Z"]) {
    const now = new Date(iso);
    assert.equal(dayOf(now), vnToday(now), `the same day as vnToday at ${iso}`);
  }
  assert.equal(dayOf(new Date("2026-03-01T17:00:00.000Z")), "2026-03-02", "midnight in Hà Nội is the next day");
  assert.equal(dayOf(new Date("2026-03-01T16:59:59.999Z")), "2026-03-01", "a millisecond before, the day before");
});
