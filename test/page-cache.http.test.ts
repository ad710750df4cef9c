/**
 * The public page cache under cache-busting loops, on every database, with the real 588 procedures (the notice
 * board is megabytes of HTML): undeclared query parameters are redirected to the canonical URL and never stored;
 * many declared values (searches, pages, hosts) leave the cache's bytes under its cap; the server keeps answering.
 */
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { brotliDecompressSync } from "node:zlib";
import { createApp } from "../src/app.tsx";
import { loadConfig } from "../src/core/config.ts";
import { createLogger } from "../src/core/log.ts";
import { PageCache } from "../src/core/web/page-cache.ts";
import { createWorld, logIn, pw, SHARED_DIR, type TestWorld, testDatabases } from "./helpers/env.ts";
import { importRealProcedures } from "./helpers/fixtures.ts";

const MB = 1024 * 1024;

for (const target of testDatabases()) {
  describe(`public page cache under cache-busting loops (${target.name})`, () => {
    let w: TestWorld;
    before(async () => {
      w = await createWorld(target);
      await importRealProcedures(w);
    });
    after(async () => w.cleanup());

    /** An app over the world's database with a page cache of its own, so the test can read its size. */
    const appWithCache = (maxBytes: number) => {
      const cache = new PageCache(maxBytes);
      const config = loadConfig({ DATA_DIR: w.dataDir, LOG_LEVEL: "silent", CCHC_SHARED_DIR: SHARED_DIR });
      const app = createApp({ db: w.db, config, clock: w.now, log: createLogger("silent") }, { pageCache: cache });
      return { app, cache };
    };
    const gz = { "accept-encoding": "gzip, deflate, br" };
    /** The notice board's full-text print: the heaviest public page (megabytes of HTML). */
    const FULL_BOARD = "/thu-tuc/bang-niem-yet?ban=day-du";

    test("undeclared query parameters are redirected to the canonical page, never rendered or stored", async () => {
      const { app, cache } = appWithCache(4 * MB);
      const board = await app.request(FULL_BOARD);
      assert.equal(board.status, 200, "the board renders");
      const html = await board.text();
      assert.ok(html.length > 2 * MB, `the full-text board is megabytes of HTML (${html.length} characters)`);
      const stored = cache.stats();
      assert.equal(stored.entries, 1, "the board is stored once");
      for (let i = 1; i <= 100; i++) {
        const res = await app.request(`${FULL_BOARD}&x=${i}`, { headers: gz });
        assert.equal(res.status, 302, `&x=${i} is redirected`);
        assert.equal(res.headers.get("location"), FULL_BOARD, `&x=${i} goes to the canonical URL`);
        if (i % 25 === 0) assert.equal((await app.request("/healthz")).status, 200, "the server keeps answering");
      }
      assert.deepEqual(cache.stats(), stored, "nothing was added by the loop");
      // Undeclared parameters beside declared ones are dropped, and declared ones are put in their order.
      const mixed = await app.request("/tim-kiem?utm_source=zalo&trang=2&q=khai%20sinh&fbclid=abc");
      assert.equal(mixed.status, 302, "a search with extra parameters is redirected");
      assert.equal(mixed.headers.get("location"), "/tim-kiem?q=khai+sinh&trang=2", "only q and trang, in order");
      const again = await app.request("/tim-kiem?q=khai+sinh&trang=2");
      assert.equal(again.status, 200, "the canonical search answers");
      // The page itself answers the same after the redirect, gzipped or not.
      const hit = await app.request(FULL_BOARD, { headers: gz });
      assert.equal(hit.headers.get("x-cache"), "hit", "the canonical board is served from the cache");
      assert.equal(hit.headers.get("content-encoding"), "br", "brotli for a client that takes it");
      const plain = await app.request(FULL_BOARD);
      assert.equal(plain.headers.get("content-encoding"), null, "plain for a client that does not");
      assert.equal(
        brotliDecompressSync(Buffer.from(await hit.arrayBuffer())).toString("utf8"),
        await plain.text(),
        "both carry the same page",
      );
      assert.match(hit.headers.get("vary") ?? "", /Accept-Encoding/, "caches are told the answer varies");
    });

    test("many declared values (searches, pages) keep the cache under its cap, and the server answers", async () => {
      const cap = 64 * 1024;
      const { app, cache } = appWithCache(cap);
      const words = ["khai sinh", "kết hôn", "hộ tịch", "đất đai", "chứng thực", "tạm trú", "xây dựng", "bhxh"];
      let served = 0;
      for (let i = 0; i < 60; i++) {
        const word = encodeURIComponent(`${words[i % words.length]} ${i}`).replace(/%20/g, "+");
        const paths = [
          `/tim-kiem?q=${word}`,
          `/tim-kiem?q=${word}&trang=${(i % 5) + 2}`,
          `/hoi-dap?q=${word}`,
          `/gop-y/da-tra-loi?q=${word}`,
        ];
        for (const p of paths) {
          const res = await app.request(p, { headers: gz });
          assert.equal(res.status, 200, `${p} answers`);
          served++;
        }
        assert.ok(cache.stats().bytes <= cap, `after ${served} pages the cache holds ${cache.stats().bytes} bytes`);
      }
      assert.ok(
        cache.stats().entries < served,
        `older pages were dropped (${cache.stats().entries} of ${served} kept)`,
      );
      assert.equal((await app.request("/healthz")).status, 200, "the server answers");
    });

    test("the heaviest pages keep the cache under its cap, many hosts share one entry; health answers meanwhile", async () => {
      const cap = 2 * MB;
      const { app, cache } = appWithCache(cap);
      const health = [];
      // Each field's full-text board: heavy pages with declared values, more of them than the cap holds.
      const fields = ["Hải quan", "Thuế", "Hộ tịch", "Hàng hải và đường thủy nội địa", "Đất đai", "Thủy lợi"];
      for (const [i, field] of fields.entries()) {
        const pending = app.request(`${FULL_BOARD}&linh-vuc=${encodeURIComponent(field)}`, { headers: gz });
        health.push(app.request("/healthz"));
        assert.equal((await pending).status, 200, `board ${i} answers`);
        assert.ok(cache.stats().bytes <= cap, `after board ${i} the cache holds ${cache.stats().bytes} bytes`);
      }
      for (const h of await Promise.all(health)) assert.equal(h.status, 200, "health answered during the renders");
      // The host is not part of the key: a client sending many Host headers gets the one stored page.
      const before = cache.stats();
      for (let i = 0; i < 10; i++) {
        const res = await app.request(`http://host-${i}.example${FULL_BOARD}`, { headers: gz });
        assert.equal(res.status, 200, `host ${i} answers`);
      }
      assert.ok(cache.stats().entries <= before.entries + 1, "ten hosts add at most one entry (the page itself)");
      assert.ok(cache.stats().bytes <= cap, "and the cache stays under its cap");
    });

    test("a page over a quarter of the cap is served but not stored; staff never get cached pages", async () => {
      const { app, cache } = appWithCache(256 * 1024);
      const res = await app.request(FULL_BOARD, { headers: gz });
      assert.equal(res.status, 200, "the board still answers");
      assert.equal(cache.stats().entries, 0, "too big for this cap: not stored");
      await w.createStaff("xembang", "coordinator", "office");
      const staff = await logIn(app, "xembang", pw("xembang"));
      await app.request("/thu-tuc", { headers: gz });
      const seen = await app.request("/thu-tuc", { headers: { cookie: staff.cookie } });
      assert.equal(seen.headers.get("x-cache"), null, "a staff member's page is rendered for them");
    });
  });
}
