import assert from "node:assert/strict";
import { test } from "node:test";
import { brotliDecompressSync, gunzipSync } from "node:zlib";
import {
  acceptsEncoding,
  acceptsGzip,
  cachedAnswer,
  canonicalQuery,
  compressPage,
  isCanonicalQuery,
  matchesEtag,
  PageCache,
  pageKey,
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
  const entry = new PageCache(1_000_000).set("/p", "v", page, "text/html; charset=UTF-8");
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
  const page = (n: number) => ({ gzip: Buffer.alloc(n, 1), brotli: Buffer.alloc(0), etag: 'W/"x"' });
  for (const p of ["a", "b", "c", "d"]) cache.set(`http://x/${p}`, "v1", page(4000), "text/html");
  assert.ok(cache.get("http://x/a", "v1"), "a is held and now the most recent");
  cache.set("http://x/e", "v1", page(4000), "text/html");
  assert.equal(cache.get("http://x/b", "v1"), undefined, "b, the least recently used, went");
  assert.ok(cache.get("http://x/a", "v1"), "a stayed");
  assert.ok(cache.stats().bytes <= 20_000, `the cache holds ${cache.stats().bytes} bytes`);
  cache.set("http://x/huge", "v1", page(5000), "text/html");
  assert.equal(cache.get("http://x/huge", "v1"), undefined, "over a quarter of the cap: not stored");
  assert.equal(cache.get("http://x/a", "v2"), undefined, "another data version: a miss");
  assert.equal(cache.get("http://x/a", "v1"), undefined, "and the stale entry is gone");
  for (let i = 0; i < 500; i++) cache.set(`http://x/p${i}`, "v1", page(100 + (i % 7) * 200), "text/html");
  assert.ok(cache.stats().bytes <= 20_000, `after 500 pages the cache holds ${cache.stats().bytes} bytes`);
});

test("a cache of 0 bytes (PAGE_CACHE_MB=0) holds nothing: every request renders", () => {
  const cache = new PageCache(0);
  cache.set("http://x/a", "v1", { gzip: Buffer.alloc(10, 1), brotli: Buffer.alloc(0), etag: 'W/"x"' }, "text/html");
  assert.equal(cache.get("http://x/a", "v1"), undefined, "nothing stored");
  assert.equal(cache.stats().entries, 0, "no entry");
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
