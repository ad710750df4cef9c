/**
 * The loop that learns from searches (issue 11 §5) over HTTP on every database, with the real 588 commune-level
 * procedures: the log keeps queries without personal data and without who searched, counts a results page the cache
 * served, counts opened results through a redirect that only leads inside the portal; the staff page lists the
 * queries that found nothing or that nobody opened; a best bet and a lexicon entry added from it take effect at once;
 * the log is purged past its retention; one ward never sees nor pins for another.
 */
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { vnToday } from "../src/core/text/vi.ts";
import { queryKey } from "../src/features/search/search.service.ts";
import { flushSearchLog, purgeSearchLog } from "../src/features/search/search-log.ts";
import { type Browser, createWorld, logIn, pw, setUpOtherWard, type TestWorld, testDatabases } from "./helpers/env.ts";
import { resultLinks } from "./helpers/fixtures.ts";
import { importRealProcedures } from "./helpers/real-procedures.ts";

const BIRTH = "1.001193"; // Thủ tục đăng ký khai sinh
const NONSENSE = "bexinhmoiden"; // no procedure says this

/** A section of the staff page, from its heading to the next one. */
const section = (html: string, heading: string) => html.split(heading)[1]?.split("<h2")[0] ?? "";

for (const target of testDatabases()) {
  describe(`search log over HTTP (${target.name})`, () => {
    let w: TestWorld;
    let coord: Browser;
    let plain: Browser;
    let officer: Browser;
    let otherWard: number;
    before(async () => {
      w = await createWorld(target);
      // The provinces some records name, so all 588 import (as in search.http.test.ts).
      // The real records, with the provinces some of them name, so all 588 import (as in search.http.test.ts).
      await importRealProcedures(w);
      await w.createStaff("dieuphoi", "coordinator", "office", { operator: true });
      await w.createStaff("vanphong", "admin", "office");
      await w.createStaff("canbo", "officer", "radio");
      otherWard = await setUpOtherWard(w, "21451");
      coord = await logIn(w.app, "dieuphoi", pw("dieuphoi"));
      plain = await logIn(w.app, "vanphong", pw("vanphong"));
      officer = await logIn(w.app, "canbo", pw("canbo"));
    });
    after(async () => w?.cleanup());

    const search = (q: string, base = "") =>
      w.app.request(`${base}/tim-kiem?q=${encodeURIComponent(q).replace(/%20/g, "+")}`);
    const rows = async () => {
      await flushSearchLog(w.db);
      return w.db.kysely.selectFrom("search_log").selectAll().orderBy("id").execute();
    };
    const rowOf = async (q: string, unit = w.wardId) =>
      (await rows()).find((r) => r.query_key === queryKey(q) && r.unit_id === unit);

    test("a query is kept without phone, ID numbers, e-mail, nor who searched", async () => {
      const q = "Khai sinh 0905 123 456 nguyen.van.a@gmail.com 079012345678 cmnd 212345678";
      assert.equal((await search(q)).status, 200);
      const row = await rowOf("khai sinh cmnd");
      assert.ok(row, `one row for the query without its personal data: ${JSON.stringify(await rows())}`);
      assert.equal(row.query, "khai sinh cmnd");
      for (const gone of ["0905", "123 456", "@", "gmail", "079012345678", "212345678"])
        assert.ok(!JSON.stringify(row).includes(gone), `«${gone}» is not kept`);
      assert.deepEqual(
        Object.keys(row).sort(),
        ["day", "id", "opens", "query", "query_key", "results", "searches", "unit_id"],
        "no address, session, agent or time of day",
      );
      assert.equal(row.day, vnToday(w.now()));
      assert.equal(Number(row.searches), 1);
      assert.ok(row.results !== null, "the number of results is kept");
      // A query of only personal data is not counted at all.
      const before = (await rows()).length;
      await search("0905123456");
      assert.equal((await rows()).length, before, "nothing is left to count");
    });

    test("a results page served from the cache still counts, and counting empties no cached page", async () => {
      const first = await search("ket hon");
      assert.equal(first.status, 200);
      assert.equal((await search("ket hon")).headers.get("x-cache"), "hit");
      assert.equal((await search("Kết  hôn")).status, 200, "another spelling: its own cached page, the same query");
      assert.equal(Number((await rowOf("ket hon"))?.searches), 3, "three searches, two of them not rendered");
      // Writing the counts (a quiet write) leaves the cached page valid.
      assert.equal((await search("ket hon")).headers.get("x-cache"), "hit");
      await flushSearchLog(w.db);
      assert.equal((await search("ket hon")).headers.get("x-cache"), "hit", "still cached after the log was written");
      assert.equal(Number((await rowOf("ket hon"))?.searches), 5);
      // The next pages of a search are the same search.
      await w.app.request("/tim-kiem?q=ket+hon&trang=2");
      assert.equal(Number((await rowOf("ket hon"))?.searches), 5, "page 2 is not another search");
    });

    test("results open through a redirect that counts the open and leads only inside the portal", async () => {
      const html = await (await search("dang ky khai sinh")).text();
      assert.match(
        html,
        /<a href="\/tim-kiem\/mo\?q=dang%20ky%20khai%20sinh&amp;den=\/thu-tuc\/1\.001193" rel="nofollow">/,
      );
      const res = await w.app.request(`/tim-kiem/mo?q=dang%20ky%20khai%20sinh&den=/thu-tuc/${BIRTH}`);
      assert.equal(res.status, 303);
      assert.equal(res.headers.get("location"), `/thu-tuc/${BIRTH}`);
      assert.equal(Number((await rowOf("dang ky khai sinh"))?.opens), 1);
      const ward = await w.app.request(`/w/21451/tim-kiem/mo?q=khai+sinh&den=/w/21451/thu-tuc/${BIRTH}`);
      assert.equal(ward.headers.get("location"), `/w/21451/thu-tuc/${BIRTH}`);
      for (const den of [
        "https://evil.example/",
        "//evil.example/thu-tuc",
        "/\\evil.example",
        "http:evil.example",
        "javascript:alert(1)",
        "\t//evil.example",
        "/\t/evil.example",
        "",
      ]) {
        const bad = await w.app.request(`/tim-kiem/mo?q=dang+ky+khai+sinh&den=${encodeURIComponent(den)}`);
        assert.equal(bad.status, 400, `«${den}» refused`);
        assert.equal(bad.headers.get("location"), null, `«${den}» leads nowhere`);
      }
      assert.equal(Number((await rowOf("dang ky khai sinh"))?.opens), 1, "refused links count nothing");
    });

    test("the staff page lists the queries that found nothing and those nobody opened; staff only", async () => {
      await search(NONSENSE);
      await search(NONSENSE);
      await search("chung thuc ban sao");
      assert.equal((await w.app.request("/quan-tri/nhat-ky-tim-kiem")).status, 303, "login first");
      assert.equal((await officer.get("/quan-tri/nhat-ky-tim-kiem")).status, 403, "an officer may not");
      const html = await (await plain.get("/quan-tri/nhat-ky-tim-kiem")).text();
      const zero = section(html, "Không tìm thấy kết quả (");
      const unopened = section(html, "Có kết quả nhưng không ai mở (");
      assert.match(zero, new RegExp(`<td>${NONSENSE}</td><td>2</td><td>0 / 0</td>`), "the failed query, twice");
      assert.ok(!zero.includes("<td>ket hon</td>"), "a query with results is not among the failed ones");
      assert.ok(unopened.includes("<td>chung thuc ban sao</td>"), "results nobody opened");
      assert.ok(unopened.includes("<td>ket hon</td>"), "results nobody opened");
      assert.ok(!unopened.includes("<td>dang ky khai sinh</td>"), "an opened result leaves the list");
      // A period before the searches lists nothing.
      const old = await (await plain.get("/quan-tri/nhat-ky-tim-kiem?tu=01/01/2026&den=31/01/2026")).text();
      assert.ok(!old.includes(NONSENSE), "the period is applied");
      assert.equal((await plain.get("/quan-tri/nhat-ky-tim-kiem?tu=31/02/2026")).status, 400, "a bad date is said");
    });

    test("adding a lexicon entry from the page makes a failing query find the procedure at once", async () => {
      assert.equal(resultLinks(await (await search(NONSENSE)).text()).length, 0);
      const empty = await plain.post("/quan-tri/nhat-ky-tim-kiem/tu-dong-nghia", {
        term: NONSENSE,
        expansions: " ",
        o: "goi-z-0",
      });
      assert.equal(empty.status, 400, "an empty meaning would make the query a filler word");
      assert.match(await empty.text(), /<a href="#goi-z-0">Nhập cách gọi trong danh mục/);
      assert.equal(
        (await officer.post("/quan-tri/nhat-ky-tim-kiem/tu-dong-nghia", { term: NONSENSE, expansions: "khai sinh" }))
          .status,
        403,
      );
      const res = await plain.post("/quan-tri/nhat-ky-tim-kiem/tu-dong-nghia", {
        term: NONSENSE,
        expansions: "đăng ký khai sinh",
        o: "goi-z-0",
        "pham-vi": "ca-nuoc",
      });
      assert.equal(res.status, 403, "only an operator adds to the national list");
      const ok = await plain.post("/quan-tri/nhat-ky-tim-kiem/tu-dong-nghia", {
        term: NONSENSE,
        expansions: "đăng ký khai sinh",
        o: "goi-z-0",
      });
      assert.equal(ok.status, 303);
      assert.equal(resultLinks(await (await search(NONSENSE)).text())[0], `/thu-tuc/${BIRTH}`, "found at once");
      const row = await w.db.kysely
        .selectFrom("search_synonyms")
        .selectAll()
        .where("term", "=", NONSENSE)
        .executeTakeFirstOrThrow();
      assert.equal(row.owner, `unit:${w.wardId}`, "the ward's own entry");
      const audited = await w.db.kysely
        .selectFrom("audit_log")
        .select("action")
        .where("entity", "=", "search_synonym")
        .where("entity_id", "=", String(row.id))
        .execute();
      assert.deepEqual(
        audited.map((a) => a.action),
        ["search.synonym.add"],
      );
      // Other wards keep their own search.
      assert.equal(resultLinks(await (await search(NONSENSE, "/w/21451")).text()).length, 0, "ward B unchanged");
    });

    test("pinning a best bet puts it first at once, for every spelling of the query, in this ward only", async () => {
      const before = resultLinks(await (await search("giay to nha dat")).text());
      assert.notEqual(before[0], `/thu-tuc/${BIRTH}`, "not first before");
      const bad = await plain.post("/quan-tri/nhat-ky-tim-kiem/ghim", {
        q: "giay to nha dat",
        ma: "9.999999",
        o: "ma-u-0",
      });
      assert.equal(bad.status, 400);
      assert.match(await bad.text(), /<a href="#ma-u-0">Không có thủ tục mã «9\.999999»/);
      assert.equal(
        (await officer.post("/quan-tri/nhat-ky-tim-kiem/ghim", { q: "giay to nha dat", ma: BIRTH })).status,
        403,
      );
      const res = await plain.post("/quan-tri/nhat-ky-tim-kiem/ghim", {
        q: "Giấy tờ nhà đất",
        ma: `${BIRTH} — Thủ tục đăng ký khai sinh`,
        // Whatever the form says, the pin is for the signed-in user's ward.
        ward: "21451",
        unit_id: String(otherWard),
      });
      assert.equal(res.status, 303);
      for (const q of ["giay to nha dat", "GIẤY TỜ NHÀ ĐẤT", "giấy  tờ nhà đất"]) {
        const html = await (await search(q)).text();
        assert.equal(resultLinks(html)[0], `/thu-tuc/${BIRTH}`, `«${q}»: the pinned procedure first`);
        assert.equal(resultLinks(html).filter((l) => l === `/thu-tuc/${BIRTH}`).length, 1, "and only once");
      }
      const api = (await (await w.app.request("/api/v1/procedures?q=giay+to+nha+dat")).json()) as {
        items: { code: string }[];
      };
      assert.equal(api.items[0]?.code, BIRTH, "the procedure API puts it first too");
      assert.deepEqual(
        resultLinks(await (await search("giay to nha dat", "/w/21451")).text()).slice(0, 3),
        before.slice(0, 3).map((l) => `/w/21451${l}`),
        "ward B's search is unchanged",
      );
      const bet = await w.db.kysely.selectFrom("search_best_bets").selectAll().executeTakeFirstOrThrow();
      assert.equal(bet.unit_id, w.wardId);
      assert.equal(bet.query_key, queryKey("giay to nha dat"));
      const audit = await w.db.kysely
        .selectFrom("audit_log")
        .selectAll()
        .where("action", "=", "search.best_bet.pin")
        .executeTakeFirstOrThrow();
      assert.equal(audit.ward_id, w.wardId);
      // Listed on the page, and unpinned from there.
      const page = await (await plain.get("/quan-tri/nhat-ky-tim-kiem")).text();
      assert.match(page, /«giấy tờ nhà đất» → Thủ tục đăng ký khai sinh/);
      const removed = await plain.post("/quan-tri/nhat-ky-tim-kiem/bo-ghim", { id: String(bet.id) });
      assert.equal(removed.status, 303);
      assert.deepEqual(resultLinks(await (await search("giay to nha dat")).text()).slice(0, 3), before.slice(0, 3));
    });

    test("tenancy: a ward's page never shows another ward's queries; an operator sees every ward together", async () => {
      await search("xac nhan tinh trang hon nhan zqzq", "/w/21451");
      assert.ok(await rowOf("xac nhan tinh trang hon nhan zqzq", otherWard), "counted for ward B");
      const mine = await (await plain.get("/quan-tri/nhat-ky-tim-kiem")).text();
      assert.ok(!mine.includes("zqzq"), "ward A's page: not ward B's query");
      const asked = await (await plain.get("/quan-tri/nhat-ky-tim-kiem?pham-vi=ca-nuoc")).text();
      assert.ok(!asked.includes("zqzq"), "only an operator may see every ward");
      const all = await (await coord.get("/quan-tri/nhat-ky-tim-kiem?pham-vi=ca-nuoc")).text();
      assert.ok(all.includes("zqzq"), "the operator's national view");
      assert.ok(!all.includes('action="/quan-tri/nhat-ky-tim-kiem/ghim"'), "no pin from the national view");
      // B's best bet cannot be removed from A.
      const [bet] = await w.db.kysely
        .insertInto("search_best_bets")
        .values({
          unit_id: otherWard,
          query_key: "zz",
          query: "zz",
          doc_key: `procedure:${BIRTH}`,
          created_by: null,
          created_at: w.now().toISOString(),
        })
        .returning("id")
        .execute();
      await plain.post("/quan-tri/nhat-ky-tim-kiem/bo-ghim", { id: String(bet?.id) });
      assert.ok(
        await w.db.kysely
          .selectFrom("search_best_bets")
          .select("id")
          .where("unit_id", "=", otherWard)
          .executeTakeFirst(),
        "ward B's pin stays",
      );
    });

    test("the log is purged past its retention; 0 turns it off", async () => {
      const k = w.db.kysely;
      await k
        .insertInto("search_log")
        .values([
          { unit_id: w.wardId, query_key: "cu", query: "cũ", day: "2025-08-01", searches: 4, results: 0, opens: 0 },
          { unit_id: w.wardId, query_key: "vua", query: "vừa", day: "2026-02-01", searches: 1, results: 0, opens: 0 },
        ])
        .execute();
      const deleted = await purgeSearchLog(w.db, 180, w.now());
      assert.ok(deleted >= 1, "the old day goes");
      const keys = (await rows()).map((r) => r.query_key);
      assert.ok(!keys.includes("cu") && keys.includes("vua") && keys.includes(queryKey("ket hon")), keys.join(", "));

      const off = w.appWith({ SEARCH_LOG_RETENTION_DAYS: "0" });
      const before = (await rows()).length;
      await off.request("/tim-kiem?q=thu+tuc+moi+tinh");
      assert.equal((await rows()).length, before, "nothing counted while the log is off");
      await purgeSearchLog(w.db, 0, w.now());
      assert.equal((await rows()).length, 0, "and the purge empties it");
    });
  });
}
