/**
 * The site search over HTTP on every database, with the real 588 commune-level records: the search page (folding,
 * NFD, capitals, highlights, paging, the page that helps when nothing matches, hostile input), the search box on
 * every public page, another connection's write found at the next query, the staff synonym table taking effect at
 * once, the procedure API ranking by the same index, and the same top 3 on SQLite and PostgreSQL.
 */
import assert from "node:assert/strict";
import path from "node:path";
import { after, before, describe, test } from "node:test";
import { type Db, openPostgres, openSqlite } from "../src/core/db/connection.ts";
import { OTHER_WRITERS_MS } from "../src/core/db/data-version.ts";
import { fresh } from "../src/features/search/search.service.ts";
import {
  type Browser,
  createWorld,
  logIn,
  pw,
  SHARED_DIR,
  setUpOtherWard,
  type TestWorld,
  testDatabases,
} from "./helpers/env.ts";
import { resultLinks } from "./helpers/fixtures.ts";
import { importRealProcedures } from "./helpers/real-procedures.ts";

const _DATA = path.join(SHARED_DIR, "data/tthc-dichvucong-2026/cap-xa.jsonl");
const BIRTH = "1.001193"; // Thủ tục đăng ký khai sinh
const HA_TINH_ONLY = "2.001428"; // a Hà Tĩnh record: never found from a ward of Quảng Ngãi

/** Queries whose top 3 must be the same on every database. */
const SAME_TOP3 = [
  "dang ky khai sinh",
  "khai tu",
  "ho khau",
  "so do",
  "cccd",
  "chung thuc ban sao",
  "giay phep xay dung",
  "tam tru",
  "ket hon",
  "bhxh",
  "thu",
  "dang ky",
  "xin giấy xác nhận cư trú",
  "dang ky khai sihn",
  "be moi sinh",
  "cho em hoi lam giay khai sinh can giay to gi",
  "bố tôi mất",
];
const tops = new Map<string, Map<string, string[]>>();

for (const target of testDatabases()) {
  describe(`site search over HTTP (${target.name})`, () => {
    let w: TestWorld;
    let coord: Browser;
    let officer: Browser;
    let other: Db;
    before(async () => {
      w = await createWorld(target);
      await importRealProcedures(w);
      await w.createStaff("dieuphoi", "coordinator", "office", { operator: true });
      await w.createStaff("canbo", "officer", "radio");
      // Another ward with a portal here (its pages answer only once it is set up).
      await setUpOtherWard(w, "21451");
      coord = await logIn(w.app, "dieuphoi", pw("dieuphoi"));
      officer = await logIn(w.app, "canbo", pw("canbo"));
      // A second connection, as the CLI or another server would have.
      other =
        target.name === "sqlite"
          ? openSqlite(path.join(w.dataDir, "cchc.sqlite"))
          : openPostgres(w.env.DATABASE_URL as string, { max: 1 });
    });
    after(async () => {
      await other?.close();
      await w?.cleanup();
    });

    const page = async (p: string) => {
      const res = await w.app.request(p);
      return { status: res.status, html: await res.text() };
    };
    const search = (q: string, extra = "") => page(`/tim-kiem?q=${encodeURIComponent(q)}${extra}`);

    test("dang ky khai sinh: the plain birth registration first, its words highlighted", async () => {
      const { status, html } = await search("dang ky khai sinh");
      assert.equal(status, 200);
      assert.equal(resultLinks(html)[0], `/thu-tuc/${BIRTH}`);
      assert.match(
        html,
        /<a href="\/tim-kiem\/mo\?q=[^"]*&amp;den=\/thu-tuc\/1\.001193" rel="nofollow">Thủ tục <mark>đăng ký khai sinh<\/mark><\/a>/,
      );
      assert.match(html, /Tìm thấy <strong>\d+<\/strong> kết quả cho «dang ky khai sinh»/);
      assert.match(html, /<span class="muted small">· Thủ tục hành chính<\/span>/);
      // Cached for anonymous visitors, like the other public pages.
      assert.equal((await w.app.request("/tim-kiem?q=dang%20ky%20khai%20sinh")).headers.get("x-cache"), "hit");
    });

    test("citizens' own words, through the national lexicon the database holds (migration 037)", async () => {
      const lexicon = await w.db.kysely
        .selectFrom("search_synonyms")
        .select(["term", "note"])
        .where("owner", "=", "nation")
        .where("term", "in", ["bé mới sinh", "khai sanh", "cho em hỏi"])
        .execute();
      assert.equal(lexicon.length, 3, "the everyday entries are national rows");
      for (const r of lexicon) assert.ok(r.note.length > 0, `«${r.term}» carries a note of its source`);
      for (const [q, code, what] of [
        ["bé mới sinh", BIRTH, "a life event, no official word"],
        ["lam giay khai sanh", BIRTH, "Southern 'sanh', no tone marks"],
        ["cho em hỏi làm giấy khai sinh cần giấy tờ gì ạ", BIRTH, "a question with courtesy words"],
        ["ba tui mới mất, mần giấy chứng tử ở đâu vậy", "1.000656", "a sentence: the lexicon's words decide"],
        ["dangw kys khai sinh", BIRTH, "Telex leftovers"],
      ] as const) {
        const { status, html } = await search(q);
        assert.equal(status, 200, `${q}: answered`);
        assert.equal(resultLinks(html)[0], `/thu-tuc/${code}`, `«${q}» (${what}) finds ${code} first`);
      }
      // Only filler words: the page answers as for any query, never an error.
      const { status } = await search("cho em hỏi với ạ");
      assert.equal(status, 200, "a query of filler words only gets a page");
    });

    test("tone marks, capitals, decomposed Unicode (NFD) and ký/kí find the same first result", async () => {
      for (const q of [
        "Đăng ký khai sinh",
        "ĐĂNG KÝ KHAI SINH",
        "Đăng ký khai sinh".normalize("NFD"),
        "đăng kí khai sinh",
      ]) {
        const { html } = await search(q);
        assert.equal(resultLinks(html)[0], `/thu-tuc/${BIRTH}`, q);
      }
      const { html } = await search("ĐĂNG KÝ KHAI SINH".normalize("NFD"));
      assert.match(html, /Thủ tục <mark>đăng ký khai sinh<\/mark>/, "the title keeps its own letters, NFC");
    });

    test("a ward sees national and its own province's documents, never another province's", async () => {
      const { html } = await search("người có công", "&trang=1");
      assert.ok(
        !resultLinks(html).includes(`/thu-tuc/${HA_TINH_ONLY}`),
        "expected: !resultLinks(html).includes(`/thu-tuc/{HA_TINH_ONLY}`)",
      );
      const api = (await (await w.app.request("/api/v1/procedures?q=nguoi%20co%20cong&pageSize=100")).json()) as {
        items: { code: string }[];
      };
      assert.ok(
        !api.items.some((i) => i.code === HA_TINH_ONLY),
        "expected: !api.items.some((i) => i.code === HA_TINH_ONLY)",
      );
    });

    test("results come 20 a page, with plain links to the other pages", async () => {
      const first = await search("thu tuc");
      const links = resultLinks(first.html);
      assert.equal(links.length, 20);
      assert.match(first.html, /<a href="\/tim-kiem\?q=thu\+tuc&amp;trang=2" rel="next">Trang sau →<\/a>/);
      const second = await search("thu tuc", "&trang=2");
      const more = resultLinks(second.html);
      assert.equal(more.length, 20);
      assert.ok(
        more.every((l) => !links.includes(l)),
        "page 2 continues page 1",
      );
      assert.match(second.html, /<ol class="items results" start="21">/);
      assert.match(second.html, /rel="prev">← Trang trước<\/a>/);
      // Past the last page: the last page.
      assert.ok(
        resultLinks((await search("thu tuc", "&trang=500")).html).length > 0,
        'expected: resultLinks((await search("thu tuc", "&trang=500")).html).length > 0',
      );
    });

    test("an empty query shows the form only; a long one is cut to 200 characters", async () => {
      const empty = await page("/tim-kiem");
      assert.equal(empty.status, 200);
      assert.match(empty.html, /<h1>Tìm kiếm<\/h1>/);
      assert.match(
        empty.html,
        /<label for="q">Tìm thủ tục, thông tin<\/label><input type="search" id="q" name="q" value=""/,
      );
      assert.doesNotMatch(empty.html, /role="status"/);
      const long = await search(`khai sinh ${"a".repeat(400)}`);
      assert.equal(long.status, 200);
      assert.match(long.html, /value="khai sinh a{190}"/);
      assert.doesNotMatch(long.html, /a{191}/);
    });

    test("nothing matched: a suggestion, the closest titles, the fields and a way to ask", async () => {
      const { status, html } = await search("dangkykhaisinh");
      assert.equal(status, 200);
      assert.match(html, /Không tìm thấy kết quả nào cho «dangkykhaisinh»/);
      assert.match(
        html,
        /Có phải bạn muốn tìm: <a href="\/tim-kiem\?q=%C4%91%C4%83ng\+k%C3%BD\+khai\+sinh">đăng ký khai sinh<\/a>\?/,
      );
      assert.match(html, /<h3 id="gan-nhat">Có thể bạn cần<\/h3>/);
      assert.match(
        html,
        /<a href="\/tim-kiem\/mo\?q=[^"]*&amp;den=\/thu-tuc\/1\.001193" rel="nofollow">Thủ tục <mark>đăng ký khai sinh<\/mark><\/a>/,
      );
      assert.match(html, /<a href="\/thu-tuc#lv-ho-tich">Hộ tịch<\/a> <span class="count">\(41\)<\/span>/);
      assert.match(html, /<a href="\/hoi-dap\/hoi">Gửi câu hỏi cho Phường Đức Phổ<\/a>/);
      // The catalogue's anchors are where the field links point.
      assert.match((await page("/thu-tuc")).html, /<h2 id="lv-ho-tich">/);
      // The ward's receiving address, once staff have entered one.
      await w.db.kysely
        .insertInto("procedure_overrides")
        .values({
          procedure_code: BIRTH,
          unit_id: w.wardId,
          receiving_address: "Bộ phận Một cửa, 12 Nguyễn Nghiêm",
          opening_hours: "sáng thứ Hai đến thứ Sáu",
          updated_at: w.now().toISOString(),
        })
        .execute();
      assert.match(
        (await search("qqqzzzxxx")).html,
        /hỏi trực tiếp tại nơi tiếp nhận hồ sơ: Bộ phận Một cửa, 12 Nguyễn Nghiêm \(sáng thứ Hai đến thứ Sáu\)/,
      );
    });

    test("a typo: approximate results, and the corrected query offered", async () => {
      const { html } = await search("dang ky khai sihn");
      assert.equal(resultLinks(html)[0], `/thu-tuc/${BIRTH}`);
      assert.match(html, /kết quả gần đúng/);
      assert.match(html, /Có phải bạn muốn tìm: <a [^>]+>đăng ký khai sinh<\/a>\?/);
    });

    test("a hostile query is escaped everywhere it is echoed", async () => {
      const q = `<script>alert(1)</script>"><img src=x onerror=alert(2)>`;
      const { status, html } = await search(q);
      assert.equal(status, 200);
      assert.doesNotMatch(html, /<script>alert|<img src=x/);
      assert.match(html, /&lt;script&gt;alert\(1\)&lt;\/script&gt;/);
      assert.match(html, /value="&lt;script&gt;alert\(1\)&lt;\/script&gt;&quot;&gt;&lt;img/);
    });

    test("every public page carries the search box; pages that are a search form keep theirs alone", async () => {
      const box =
        /<search class="site-search"><form method="get" action="\/tim-kiem"><label for="tim-nhanh">Tìm thủ tục, thông tin<\/label><span class="site-search-row"><input type="search" id="tim-nhanh" name="q" maxlength="200"\/><button type="submit">Tìm<\/button>/;
      for (const p of ["/ke-hoach", `/thu-tuc/${BIRTH}`, "/khong-co-trang-nay"])
        assert.match((await page(p)).html, box, p);
      // The home page and the catalogue are search pages themselves: their own, larger box stands alone.
      assert.doesNotMatch((await page("/")).html, /site-search/);
      assert.match((await page("/")).html, /<input type="search" id="q-home" name="q"/);
      assert.doesNotMatch((await page("/thu-tuc")).html, /site-search/);
      assert.doesNotMatch((await search("khai sinh")).html, /site-search/);
      assert.doesNotMatch(await (await coord.get("/quan-tri")).text(), /site-search/, "not on staff pages");
    });

    test("another ward's pages search under its own address, with its own links", async () => {
      const { status, html } = await page(`/w/21451/tim-kiem?q=${encodeURIComponent("dang ky khai sinh")}`);
      assert.equal(status, 200);
      assert.equal(resultLinks(html)[0], `/w/21451/thu-tuc/${BIRTH}`);
      assert.match((await page(`/w/21451/thu-tuc/${BIRTH}`)).html, /<form method="get" action="\/w\/21451\/tim-kiem">/);
    });

    test("what the shipped examples teach (migration 058): a stolen registration paper in the citizen's words", async () => {
      const shipped = await w.db.kysely
        .selectFrom("search_examples")
        .select((e) => e.fn.countAll<number>().as("n"))
        .where("owner", "=", "nation")
        .executeTakeFirstOrThrow();
      assert.equal(Number(shipped.n), 3726, "the seven blind sets' queries are national examples");
      // No word of "Cấp lại Giấy chứng nhận đăng ký phương tiện": "cà vẹt" (the registration paper), "mất", "đò máy".
      assert.equal(resultLinks((await search("mat ca vet do may")).html)[0], "/thu-tuc/1.003930");
      // A new national example (an operator's, through another connection) is learnt from at the next search.
      const before = (await fresh(w.db)).associations.n;
      await other.kysely
        .insertInto("search_examples")
        .values({
          owner: "nation",
          query: "ghe bầu chở khách qua sông",
          doc_keys: JSON.stringify(["procedure:1.003930"]),
          source: "test",
          created_at: "2026-03-02T00:00:00.000Z",
        })
        .execute();
      await new Promise((ok) => setTimeout(ok, OTHER_WRITERS_MS + 5));
      assert.equal((await fresh(w.db)).associations.n, before + 1, "the new example is learnt from");
    });

    test("a document written by another connection (CLI, another server) is found at the next query", async () => {
      const otherWritersSeen = () => new Promise((ok) => setTimeout(ok, OTHER_WRITERS_MS + 5));
      const k = other.kysely;
      const seq = async () =>
        Number(
          (
            await k
              .selectFrom("search_docs")
              .select((e) => e.fn.max("seq").as("m"))
              .executeTakeFirst()
          )?.m ?? 0,
        ) + 1;
      const doc = {
        kind: "news",
        title: "Phường ra mắt kênh Zalo hỗ trợ dịch vụ công trực tuyến",
        body: "Người dân gọi tổng đài để được hướng dẫn nộp hồ sơ.",
        keywords: "",
        url: "/tin-tuc/1",
        deleted: 0,
      };
      assert.equal(resultLinks((await search("zalo")).html).length, 0);
      await k
        .insertInto("search_docs")
        .values([
          { ...doc, doc_key: "news:1", scope: `unit:${w.wardId}`, seq: await seq() },
          { ...doc, doc_key: "news:2", url: "/tin-tuc/2", scope: "unit:999999", seq: (await seq()) + 1 },
        ])
        .execute();
      await otherWritersSeen();
      const { html } = await search("zalo");
      assert.deepEqual(resultLinks(html), ["/tin-tuc/1"], "the ward's own news; not another ward's");
      assert.match(html, /kênh <mark>Zalo<\/mark> hỗ trợ.*· Tin tức/s);
      await k
        .updateTable("search_docs")
        .set({ deleted: 1, seq: await seq() })
        .where("doc_key", "=", "news:1")
        .execute();
      // Another process's write reaches the page cache within OTHER_WRITERS_MS (this process's own, at once).
      await otherWritersSeen();
      assert.deepEqual(resultLinks((await search("zalo")).html), []);

      // A row committed out of sequence order (two writers numbering from the same max): the delta misses it, the
      // periodic full comparison of keys and sequence numbers finds it.
      await k
        .insertInto("search_docs")
        .values({ ...doc, doc_key: "news:3", url: "/tin-tuc/3", scope: "national", seq: 1 })
        .execute();
      assert.deepEqual(resultLinks((await search("zalo")).html), []);
      await fresh(w.db, { resync: true });
      // Another declared value (page 1 named) is another cached page: the index answers it afresh.
      assert.deepEqual(resultLinks((await search("zalo", "&trang=1")).html), ["/tin-tuc/3"]);
    });

    test("staff edit the synonym table: an everyday word added takes effect at once, audited; removed, gone", async () => {
      assert.equal((await w.app.request("/quan-tri/tu-dong-nghia")).status, 303, "login first");
      assert.equal((await officer.get("/quan-tri/tu-dong-nghia")).status, 403);
      assert.equal((await officer.post("/quan-tri/tu-dong-nghia", { term: "x", expansions: "y" })).status, 403);
      const list = await (await coord.get("/quan-tri/tu-dong-nghia")).text();
      assert.match(list, /Mục 1–300 trên \d{4}/, "the long national list is shown a page at a time");
      const found = await (await coord.get("/quan-tri/tu-dong-nghia?tim=CCCD")).text();
      assert.match(
        found,
        /<td>cccd<\/td><td>thẻ căn cước; căn cước; căn cước công dân<\/td>/,
        "seeded from the defaults, found by the list's search",
      );
      assert.ok(!found.includes("<td>sổ đỏ</td>"), "the search keeps only the entries that hold its words");
      assert.notEqual(resultLinks((await search("giay cung day nam")).html)[0], `/thu-tuc/${BIRTH}`);

      const bad = await coord.post("/quan-tri/tu-dong-nghia", { term: "  ", expansions: "khai sinh" });
      assert.equal(bad.status, 400);
      assert.match(await bad.text(), /<a href="#term">Nhập từ hoặc cụm từ người dân hay gõ/);

      const res = await coord.post("/quan-tri/tu-dong-nghia", {
        term: "Giấy  cúng đầy năm",
        expansions: "đăng ký khai sinh\nkhai sinh",
      });
      assert.equal(res.status, 303);
      assert.equal(
        res.headers.get("location"),
        `/quan-tri/tu-dong-nghia?da-luu=${encodeURIComponent("giấy cúng đầy năm")}`,
      );
      assert.equal(resultLinks((await search("giay cung day nam")).html)[0], `/thu-tuc/${BIRTH}`);
      const audit = await w.db.kysely
        .selectFrom("audit_log")
        .selectAll()
        .where("action", "=", "search.synonym.add")
        .executeTakeFirstOrThrow();
      assert.equal(audit.actor, "dieuphoi");
      assert.deepEqual(JSON.parse(audit.after_json ?? "{}"), {
        owner: `unit:${w.wardId}`,
        term: "giấy cúng đầy năm",
        to: ["đăng ký khai sinh", "khai sinh"],
      });

      const row = await w.db.kysely
        .selectFrom("search_synonyms")
        .select("id")
        .where("term", "=", "giấy cúng đầy năm")
        .executeTakeFirstOrThrow();
      const del = await coord.post("/quan-tri/tu-dong-nghia/xoa", { id: String(row.id) });
      assert.equal(del.status, 303);
      assert.match(del.headers.get("location") ?? "", /da-xoa=/);
      assert.notEqual(resultLinks((await search("giay cung day nam")).html)[0], `/thu-tuc/${BIRTH}`);
      assert.ok(
        await w.db.kysely
          .selectFrom("audit_log")
          .select("id")
          .where("action", "=", "search.synonym.remove")
          .executeTakeFirst(),
        'expected: await w.db.kysely .selectFrom("audit_log") .select("id") .where("action", "=", "search....',
      );
    });

    test("the procedure API ranks ?q= with the same index: plain procedure first, 20 a page, total", async () => {
      type List = { total: number; items: { code: string }[] };
      const api = async (p: string) => (await (await w.app.request(p)).json()) as List;
      const birth = await api(`/api/v1/procedures?q=${encodeURIComponent("dang ky khai sinh")}`);
      assert.equal(birth.items[0]?.code, BIRTH);
      assert.equal(birth.total, birth.items.length);
      const one = await api("/api/v1/procedures?q=dang%20ky");
      assert.equal(one.items.length, 20);
      assert.ok(one.total > 40, "expected: one.total > 40");
      const two = await api("/api/v1/procedures?q=dang%20ky&page=2");
      assert.equal(two.items.length, 20);
      assert.ok(
        two.items.every((i) => !one.items.some((x) => x.code === i.code)),
        "page 2 continues page 1",
      );
      for (const q of ["dang ky", "so do", "khai tu"])
        assert.deepEqual(
          (await api(`/api/v1/procedures?q=${encodeURIComponent(q)}`)).items.map((i) => `/thu-tuc/${i.code}`),
          resultLinks((await search(q)).html),
          `the API and the search page rank alike: ${q}`,
        );
    });

    test("top 3 of a fixed list of queries, kept for the comparison across databases", async () => {
      const mine = new Map<string, string[]>();
      for (const q of SAME_TOP3) {
        const links = resultLinks((await search(q)).html);
        assert.ok(links.length > 0, q);
        mine.set(q, links.slice(0, 3));
      }
      tops.set(target.name, mine);
    });
  });
}

test("SQLite and PostgreSQL give the same top 3 for the same queries", (t) => {
  const [a, b] = [tops.get("sqlite"), tops.get("postgres")];
  if (!a || !b) return t.skip("needs both databases (set TEST_DATABASE_URL)");
  for (const q of SAME_TOP3) assert.deepEqual(b.get(q), a.get(q), q);
});
