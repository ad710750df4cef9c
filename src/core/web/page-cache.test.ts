import assert from "node:assert/strict";
import { test } from "node:test";
import { acceptsGzip, canonicalQuery, isCanonicalQuery, PageCache, pageKey } from "./page-cache.ts";

test("acceptsGzip reads Accept-Encoding as browsers and proxies send it", () => {
  for (const yes of ["gzip", "gzip, deflate, br", "br;q=1.0, gzip;q=0.8, *;q=0.1", "GZIP", "*", "deflate, gzip;q=0.5"])
    assert.equal(acceptsGzip(yes), true, yes);
  for (const no of [undefined, "", "identity", "br", "gzip;q=0", "deflate, gzip;q=0.0", "*;q=0"])
    assert.equal(acceptsGzip(no), false, String(no));
});

test("the page cache holds at most its bytes, dropping the least recently used first", () => {
  const cache = new PageCache(20_000);
  const page = (n: number) => Buffer.alloc(n, 1);
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
  assert.equal(pageKey("http://a.example/thu-tuc"), pageKey("http://b.example/thu-tuc"), "the host is not part of it");
});
