/**
 * The search prior (issue 11 §3) over HTTP on every database, with the real 588 commune-level procedures: a staff
 * edit at /quan-tri/uu-tien-tim-kiem changes the ranking at once and its removal restores it; the nation's weights
 * are changed only by an operator; role, CSRF and bad input are refused with nothing written; opens counted through
 * the results' redirect are learned by the job, log-scaled and capped; an exact official match ("khai hải quan")
 * stays first; the results page says what the lexicon read, escaped.
 */
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { runDueJobs } from "../src/core/jobs/jobs.ts";
import { createLogger } from "../src/core/log.ts";
import { LEARNED_CAP, learnedWeight, ORGANISATIONS_ONLY } from "../src/core/search/prior.ts";
import { vnToday } from "../src/core/text/vi.ts";
import type { Ward } from "../src/core/web/context.ts";
import { fresh, wardScopes } from "../src/features/search/search.service.ts";
import { flushSearchLog } from "../src/features/search/search-log.ts";
import { LEARN_JOB_KEY } from "../src/features/search/search-prior.service.ts";
import { type Browser, createWorld, logIn, pw, setUpOtherWard, type TestWorld, testDatabases } from "./helpers/env.ts";
import { resultLinks } from "./helpers/fixtures.ts";
import { importRealProcedures } from "./helpers/real-procedures.ts";

const PAGE = "/quan-tri/uu-tien-tim-kiem";

const codeOf = (link: string) => link.replace(/^.*\/thu-tuc\//, "");

for (const target of testDatabases()) {
  describe(`search prior over HTTP (${target.name})`, () => {
    let w: TestWorld;
    let operator: Browser;
    let admin: Browser;
    let officer: Browser;
    let provinceId: number;
    before(async () => {
      w = await createWorld(target);
      await importRealProcedures(w);
      await w.createStaff("vanhanh", "coordinator", "office", { operator: true });
      await w.createStaff("vanphong", "admin", "office");
      await w.createStaff("canbo", "officer", "radio");
      operator = await logIn(w.app, "vanhanh", pw("vanhanh"));
      admin = await logIn(w.app, "vanphong", pw("vanphong"));
      officer = await logIn(w.app, "canbo", pw("canbo"));
      const ward = await w.db.kysely
        .selectFrom("admin_units")
        .select("parent_id")
        .where("id", "=", w.wardId)
        .executeTakeFirstOrThrow();
      provinceId = Number(ward.parent_id);
    });
    after(async () => w?.cleanup());

    const search = async (q: string) => {
      const res = await w.app.request(`/tim-kiem?q=${encodeURIComponent(q).replace(/%20/g, "+")}`);
      assert.equal(res.status, 200, `search «${q}»`);
      return res.text();
    };
    const codes = async (q: string) => resultLinks(await search(q)).map(codeOf);
    const priorRows = () => w.db.kysely.selectFrom("search_priors").selectAll().orderBy("id").execute();
    // What the search service reads of a ward: its unit and its province.
    const ward = () => ({ unit: { id: w.wardId }, province: { id: provinceId } }) as unknown as Ward;

    test("the reviewed national defaults are there, and «khai hải quan» still lists customs first", async () => {
      const rows = await priorRows();
      const customs = rows.find((r) => r.target === "field" && r.key === "Hải quan");
      assert.ok(customs && Number(customs.weight) < 0 && customs.owner === "nation", "customs weighs low by default");
      assert.equal(customs.origin, "default");
      assert.ok(
        rows.some((r) => r.key === "Hộ tịch" && Number(r.weight) > 0),
        "civil status weighs high",
      );
      for (const q of ["khai hải quan", "khai hai quan"]) {
        const html = await search(q);
        const first = /<ol class="items results"[^>]*>[\s\S]*?<li><a [^>]*>([\s\S]*?)<\/a>/.exec(html)?.[1] ?? "";
        assert.match(first.replace(/<[^>]+>/g, ""), /hải quan/i, `«${q}»: customs first`);
      }
    });

    test("wards without synonyms or weights of their own share one table and one prior (made once, not per ward)", async () => {
      const s = await fresh(w.db);
      const province = ward().province;
      // Units with nothing of their own (ids no row names): what most of a province's wards are.
      const a = { unit: { id: 900_001 }, province } as Parameters<typeof s.synonymsFor>[0];
      const b = { unit: { id: 900_002 }, province } as Parameters<typeof s.synonymsFor>[0];
      assert.equal(s.synonymsFor(a), s.synonymsFor(b), "one synonym table for both wards");
      assert.equal(s.priorFor(a), s.priorFor(b), "one prior map for both wards");
      assert.ok(s.synonymsFor(a).length > 0, "the shared table holds the national synonyms");
    });

    test("a staff weight changes the ranking at once; removing it restores it", async () => {
      const s = await fresh(w.db);
      const base = s.priorFor(ward());
      // A query whose first two results swap when the second weighs +1 and the first −1 (found by the engine alone).
      let found: { q: string; first: string; second: string } | null = null;
      for (const q of ["cấp lại", "đăng ký", "xác nhận", "thay đổi", "hỗ trợ", "khai", "chứng nhận", "cấp đổi"]) {
        const opts = {
          scope: wardScopes(ward()),
          synonyms: s.synonymsFor(ward()),
          associations: s.associations,
          limit: 2,
        };
        const top = s.index.search(q, { ...opts, prior: base }).items.map((h) => h.id);
        if (top.length < 2) continue;
        const changed = new Map(base);
        changed.set(top[0] as string, -1);
        changed.set(top[1] as string, 1);
        const after = s.index.search(q, { ...opts, prior: changed }).items.map((h) => h.id);
        if (after[0] === top[1]) {
          found = { q, first: (top[0] as string).slice(10), second: (top[1] as string).slice(10) };
          break;
        }
      }
      assert.ok(found, "some query's first two results are close enough to swap");
      const { q, first, second } = found;
      assert.deepEqual((await codes(q)).slice(0, 2), [first, second], "the page shows the engine's order");
      const set = (code: string, weight: string) =>
        admin.post(PAGE, { target: "procedure", code, weight, note: "thử nghiệm" });
      let res = await set(first, "-1");
      assert.equal(res.status, 303, "saved");
      res = await set(second, "1");
      assert.equal(res.status, 303, "saved");
      assert.equal((await codes(q))[0], second, "at once, the common one first (the cached page emptied)");
      const own = (await priorRows()).filter((r) => r.owner === `unit:${w.wardId}`);
      assert.deepEqual(own.map((r) => [r.target, r.key, Number(r.weight), r.origin]).sort(), [
        ["procedure", first, -1, "staff"],
        ["procedure", second, 1, "staff"],
      ]);
      const audits = await w.db.kysely
        .selectFrom("audit_log")
        .select("action")
        .where("action", "=", "search.prior.set")
        .execute();
      assert.equal(audits.length, 2, "each change audited");
      const page = await (await admin.get(PAGE)).text();
      assert.ok(page.includes(`Thủ tục ${second}`), "the ward's own weights are listed");
      for (const r of own) assert.equal((await admin.post(`${PAGE}/xoa`, { id: String(r.id) })).status, 303);
      assert.equal((await codes(q))[0], first, "removed: the lexical order again");
    });

    test("who may file: a procedure only organisations file is capped by the audience's weight, which a ward may change", async () => {
      const rows = await priorRows();
      const audience = rows.find((r) => r.target === "audience" && r.key === ORGANISATIONS_ONLY);
      assert.ok(audience && audience.owner === "nation" && audience.origin === "default", "the shipped default (047)");
      assert.equal(Number(audience.weight), -1);
      let s = await fresh(w.db);
      const fieldWeights = new Map(rows.filter((r) => r.target === "field").map((r) => [r.key, Number(r.weight)]));
      const procs = [...s.procedures()];
      // An organisations' procedure of a field citizens often deal with (a weight above 0), and a citizens' one.
      const org = procs.find((p) => p.audience === ORGANISATIONS_ONLY && (fieldWeights.get(p.field) ?? 0) > 0);
      const citizens = procs.find((p) => p.audience === null && p.field === org?.field);
      assert.ok(org && citizens, "the catalogue has both kinds in one field");
      const fieldWeight = fieldWeights.get(org.field) as number;
      assert.equal(s.priorFor(ward()).get(org.id), -1, "capped at the audience's −1");
      assert.equal(s.priorFor(ward()).get(citizens.id), fieldWeight, "a citizens' procedure keeps its field's weight");
      const res = await admin.post(PAGE, { target: "audience", weight: "0", note: "thử nghiệm" });
      assert.equal(res.status, 303, "saved");
      s = await fresh(w.db);
      assert.equal(s.priorFor(ward()).get(org.id) ?? 0, 0, "the ward's own cap of 0 applies at once");
      const page = await (await admin.get(PAGE)).text();
      assert.ok(page.includes("Đối tượng: Thủ tục chỉ tổ chức"), "the audience rows are listed");
      const own = (await priorRows()).filter((r) => r.owner === `unit:${w.wardId}` && r.target === "audience");
      assert.equal(own.length, 1, "one row of the ward's own");
      assert.equal((await admin.post(`${PAGE}/xoa`, { id: String(own[0]?.id) })).status, 303, "removed");
      assert.equal((await fresh(w.db)).priorFor(ward()).get(org.id), -1, "the nation's cap again");
    });

    test("only an operator changes the nation's weights; role and CSRF are checked", async () => {
      const before = await priorRows();
      const national = before.find((r) => r.owner === "nation") as (typeof before)[number];
      let res = await admin.post(PAGE, { "pham-vi": "ca-nuoc", target: "field", field: "Hải quan", weight: "1" });
      assert.equal(res.status, 403, "a ward's administrator may not change the shared weights");
      res = await admin.post(`${PAGE}/xoa`, { id: String(national.id) });
      assert.equal(res.status, 403, "nor remove one");
      // Another ward's own weight: not this ward's to remove.
      const otherWard = await setUpOtherWard(w, "21451");
      const theirs = await w.db.kysely
        .insertInto("search_priors")
        .values({ owner: `unit:${otherWard}`, target: "field", key: "Hộ tịch", weight: 0.2, updated_at: "2026-03-01" })
        .returning("id")
        .executeTakeFirstOrThrow();
      res = await admin.post(`${PAGE}/xoa`, { id: String(theirs.id) });
      assert.equal(res.status, 403, "one ward never removes another's weight");
      assert.ok(
        (await priorRows()).some((r) => r.id === theirs.id),
        "still there",
      );
      const before2 = await priorRows();
      res = await officer.post(PAGE, { target: "field", field: "Hải quan", weight: "1" });
      assert.equal(res.status, 403, "an officer has no access");
      assert.equal((await officer.get(PAGE)).status, 403);
      res = await w.app.request(PAGE, {
        method: "POST",
        body: new URLSearchParams({ target: "field", field: "Hải quan", weight: "1" }),
        headers: { cookie: admin.cookie, "content-type": "application/x-www-form-urlencoded" },
      });
      assert.equal(res.status, 403, "no CSRF token: refused");
      assert.deepEqual(await priorRows(), before2, "nothing written");
      res = await operator.post(PAGE, { "pham-vi": "ca-nuoc", target: "field", field: "Hải quan", weight: "-0,5" });
      assert.equal(res.status, 303, "an operator changes the shared weight");
      const row = (await priorRows()).find((r) => r.owner === "nation" && r.key === "Hải quan");
      assert.ok(row && Number(row.weight) === -0.5 && row.origin === "staff", "edited: no longer a default");
    });

    test("bad input: a clear Vietnamese message, nothing written", async () => {
      const before = await priorRows();
      const cases: [Record<string, string>, string][] = [
        [{ target: "field", field: "Hộ tịch", weight: "2" }, "Mức ưu tiên là một số từ"],
        [{ target: "field", field: "Hộ tịch", weight: "nhiều" }, "Mức ưu tiên là một số từ"],
        [{ target: "field", field: "", weight: "1" }, "Chọn lĩnh vực."],
        [{ target: "field", field: "Lĩnh vực bịa ra", weight: "1" }, "không có trong danh mục"],
        [{ target: "procedure", code: "9.999999", weight: "1" }, "Không có thủ tục mang mã này"],
        [{ target: "khac", weight: "1" }, "Chọn lĩnh vực, một thủ tục hoặc đối tượng."],
        [{ target: "field", field: "Hộ tịch", weight: "1", note: "x".repeat(201) }, "Ghi chú tối đa"],
      ];
      for (const [form, message] of cases) {
        const res = await admin.post(PAGE, form);
        assert.equal(res.status, 400, JSON.stringify(form));
        assert.ok((await res.text()).includes(message), `«${message}» for ${JSON.stringify(form)}`);
      }
      assert.deepEqual(await priorRows(), before, "nothing written");
    });

    test("opens are learned by the job: log-scaled, capped, and the next run scheduled", async () => {
      const birth = "1.001193";
      const open = (den: string) =>
        w.app.request(`/tim-kiem/mo?q=${encodeURIComponent("khai sinh")}&den=${encodeURIComponent(den)}`);
      for (let i = 0; i < 7; i++) assert.equal((await open(`/thu-tuc/${birth}`)).status, 303);
      assert.equal((await open("/tin-tuc")).status, 303, "a page that is no search document");
      await flushSearchLog(w.db);
      const opens = await w.db.kysely.selectFrom("search_opens").selectAll().execute();
      assert.deepEqual(
        opens.map((r) => [r.doc_key, Number(r.opens), r.unit_id]),
        [[`procedure:${birth}`, 7, w.wardId]],
        "counted per document, only search documents",
      );
      // Another procedure opened a million times (as if over months): still capped.
      const customs = (await codes("khai hải quan"))[0] as string;
      await w.db.kysely
        .insertInto("search_opens")
        .values({ unit_id: w.wardId, doc_key: `procedure:${customs}`, day: vnToday(w.now()), opens: 1_000_000 })
        .execute();
      const res = await admin.post(`${PAGE}/hoc`, {});
      assert.equal(res.status, 303);
      const ctx = { db: w.db, now: w.now(), log: createLogger("silent"), dataDir: w.dataDir, files: w.files };
      assert.ok((await runDueJobs(ctx)) >= 1, "the learning ran");
      const learned = await w.db.kysely.selectFrom("search_prior_learned").selectAll().orderBy("doc_key").execute();
      const byDoc = new Map(learned.map((r) => [r.doc_key, Number(r.weight)]));
      assert.equal(byDoc.get(`procedure:${birth}`), learnedWeight(7), "log-scaled");
      assert.equal(byDoc.get(`procedure:${customs}`), LEARNED_CAP, "capped: popularity cannot snowball");
      const next = await w.db.kysely
        .selectFrom("jobs")
        .selectAll()
        .where("key", "=", LEARN_JOB_KEY)
        .where("status", "=", "queued")
        .execute();
      assert.equal(next.length, 1, "the next run is queued");
      assert.ok(new Date(next[0]?.run_at as string) > w.now(), "a day later");
      // The capped popularity never lifts customs past the exact match of another query.
      assert.equal((await codes("đăng ký khai sinh"))[0], birth, "an exact official match stays first");
      const page = await (await admin.get(PAGE)).text();
      assert.ok(page.includes("Học từ lượt mở kết quả"), "the staff page shows what was learned");
    });

    test("the results page says what the lexicon read, escaped", async () => {
      const html = await search("mới sinh con");
      assert.match(html, /Kết quả cho: <strong>[^<]*khai sinh[^<]*<\/strong> \(từ “mới sinh con”\)/);
      const tricky = await search("<b>mới sinh con</b>");
      assert.ok(!tricky.includes("<b>mới"), "the query is escaped");
      assert.ok(tricky.includes("(từ “&lt;b&gt;mới sinh con&lt;/b&gt;”)"), "escaped in the line too");
      assert.ok(!(await search("đăng ký khai sinh")).includes("Kết quả cho:"), "official words: no such line");
    });
  });
}
