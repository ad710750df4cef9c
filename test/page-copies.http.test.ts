/**
 * Pre-rendered copies of the notice board and the catalogue (issue 12), over HTTP on every database, with the real
 * 588 procedures: the copy is served once the job has rendered it (X-Cache: copy, the same bytes and ETag as a live
 * render), never after a write that changes what it shows (a withdrawn procedure, a ward's local values, its contact
 * details) even before the job runs again, never on another day than its own, and a write in another ward leaves it
 * alone. Conditional requests and encodings as the page cache answers them.
 */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import path from "node:path";
import { after, before, describe, test } from "node:test";
import { brotliDecompressSync, gunzipSync } from "node:zlib";
import { SYSTEM_ACTOR } from "../src/core/audit.ts";
import { runDueJobs } from "../src/core/jobs/jobs.ts";
import { createLogger } from "../src/core/log.ts";
import { vnToday } from "../src/core/text/vi.ts";
import { copyRenders, eveningBefore } from "../src/features/procedures/page-copies.tsx";
import { latestRecordOf } from "../src/features/procedures/procedures.catalogue.ts";
import { applyDecision, saveOverride } from "../src/features/procedures/procedures.lifecycle.ts";
import { createWorld, FIXED_NOW, SHARED_DIR, setUpOtherWard, type TestWorld, testDatabases } from "./helpers/env.ts";
import { importRealProcedures } from "./helpers/fixtures.ts";

const BOARD = "/thu-tuc/bang-niem-yet";
const OTHER = "21451";
const ABOLISHED = "1.000419"; // Đăng ký khai tử lưu động
const AMENDED = "1.000253"; // Khai báo tạm trú cho người nước ngoài
const br = { "accept-encoding": "gzip, deflate, br" };

for (const target of testDatabases()) {
  describe(`pre-rendered copies of the notice board and the catalogue (${target.name})`, () => {
    let w: TestWorld;
    let otherId: number;
    /** The app as the national bench runs it: no page cache in front (PAGE_CACHE_MB=0), so every answer is uncached. */
    let app: TestWorld["app"];
    before(async () => {
      w = await createWorld(target);
      app = w.appWith({ PAGE_CACHE_MB: "0" });
      otherId = await setUpOtherWard(w, OTHER);
      await importRealProcedures(w);
    });
    after(async () => w.cleanup());

    const runJobs = () =>
      runDueJobs({ db: w.db, now: w.now(), log: createLogger("silent"), dataDir: w.dataDir, files: w.files });
    const get = (p: string, headers: Record<string, string> = br) => app.request(p, { headers });
    /** The page's HTML, whichever way it was encoded. */
    const text = async (res: Response) => {
      const bytes = Buffer.from(await res.arrayBuffer());
      const coding = res.headers.get("content-encoding");
      return (coding === "br" ? brotliDecompressSync(bytes) : coding === "gzip" ? gunzipSync(bytes) : bytes).toString(
        "utf8",
      );
    };
    const sheets = (html: string) => html.match(/<article class="sheet /g)?.length ?? 0;
    const queuedCopies = async () =>
      (
        await w.db.kysely
          .selectFrom("jobs")
          .select(["payload_json", "run_at"])
          .where("kind", "=", "procedures.copy")
          .where("status", "=", "queued")
          .execute()
      ).map((j) => ({ ...(JSON.parse(j.payload_json) as { code: string; day: string }), runAt: j.run_at }));

    test("the first visit renders live and queues the copy; once the job ran, the copy is served, byte for byte", async () => {
      const first = await get(BOARD);
      assert.equal(first.status, 200, "the board renders");
      assert.notEqual(first.headers.get("x-cache"), "copy", "no copy exists yet: rendered live");
      const live = await text(first);
      assert.ok(sheets(live) > 500, `the live board has its sheets (${sheets(live)})`);
      const queued = await queuedCopies();
      assert.ok(
        queued.some((j) => j.code === "21439" && j.day === vnToday(w.now())),
        `a render of the ward's copies for today is queued: ${JSON.stringify(queued)}`,
      );
      const before = copyRenders.rendered;
      assert.ok((await runJobs()) >= 1, "the job ran");
      assert.equal(copyRenders.rendered - before, 2, "the job rendered the board and the catalogue");

      const copy = await get(BOARD);
      assert.equal(copy.status, 200, "the copy answers");
      assert.equal(copy.headers.get("x-cache"), "copy", "served from the copy");
      assert.equal(copy.headers.get("content-encoding"), "br", "brotli for a client taking it");
      assert.equal(copy.headers.get("cache-control"), "no-cache", "revalidated every time");
      assert.match(copy.headers.get("vary") ?? "", /Accept-Encoding/, "varies with the encoding");
      assert.equal(copy.headers.get("etag"), first.headers.get("etag"), "the same validator as the live render");
      assert.equal(await text(copy), live, "the same page as the live render");

      const gz = await get(`/w/21439${BOARD}`, { "accept-encoding": "gzip" });
      assert.equal(gz.headers.get("x-cache"), "copy", "the ward's own address is the same copy");
      assert.equal(gz.headers.get("content-encoding"), "gzip", "gzip for a client taking only gzip");
      assert.equal(await text(gz), live, "the gzip body is the same page");
      const plain = await get(BOARD, {});
      assert.equal(plain.headers.get("x-cache"), "copy", "a client taking no coding gets the copy unzipped");
      assert.equal(plain.headers.get("content-encoding"), null, "not encoded");
      assert.equal(await plain.text(), live, "the plain body is the same page");

      const etag = copy.headers.get("etag") ?? "";
      const again = await get(BOARD, { ...br, "if-none-match": etag });
      assert.equal(again.status, 304, "a client holding this page gets 304");
      assert.equal(again.headers.get("x-cache"), "copy", "answered from the copy");

      const filtered = await get(`${BOARD}?ban=day-du`);
      assert.equal(filtered.status, 200, "the full print renders");
      assert.notEqual(filtered.headers.get("x-cache"), "copy", "a variant with a query is rendered live");

      const catalogue = await get("/thu-tuc");
      assert.equal(catalogue.headers.get("x-cache"), "copy", "the catalogue is served from its copy too");
      assert.match(await text(catalogue), /Thủ tục hành chính/, "the catalogue page");
    });

    test("a withdrawn procedure is never served from the copy, even before the job runs again", async () => {
      const held = await text(await get(BOARD));
      assert.ok(held.includes(ABOLISHED), `the board lists ${ABOLISHED} before it is abolished`);
      const today = vnToday(w.now());
      const r = await applyDecision(
        w.db.kysely,
        SYSTEM_ACTOR,
        { number: "77/2026/QĐ-BTP", decidedOn: today, effectiveFrom: today, issuer: "Bộ Tư pháp" },
        [{ type: "abolished", code: ABOLISHED }],
        w.now(),
      );
      assert.ok(r.ok, `the abolishing decision applies: ${JSON.stringify(r)}`);
      const next = await get(BOARD);
      assert.notEqual(next.headers.get("x-cache"), "copy", "the stale copy is not served");
      const html = await text(next);
      assert.ok(!html.includes(`Mã thủ tục: ${ABOLISHED}`), "the abolished procedure is gone from the next answer");
      assert.ok(sheets(html) > 500, "the rest of the board is there");
      const catalogue = await get("/thu-tuc");
      assert.notEqual(catalogue.headers.get("x-cache"), "copy", "the catalogue's stale copy is not served either");

      await runJobs();
      const copy = await get(BOARD);
      assert.equal(copy.headers.get("x-cache"), "copy", "the new copy is served once rendered");
      assert.ok(!(await text(copy)).includes(`Mã thủ tục: ${ABOLISHED}`), "and it does not list the procedure");
    });

    test("a write in another ward leaves this ward's copy alone; its own local values end it", async () => {
      await get(`/w/${OTHER}${BOARD}`);
      await runJobs();
      assert.equal((await get(`/w/${OTHER}${BOARD}`)).headers.get("x-cache"), "copy", "the other ward has its copy");
      assert.equal((await get(BOARD)).headers.get("x-cache"), "copy", "this ward has its copy");

      const saved = await saveOverride(
        w.db.kysely,
        SYSTEM_ACTOR,
        otherId,
        AMENDED,
        { fee: "Miễn phí tại phường bên cạnh" },
        w.now(),
      );
      assert.ok(saved.ok, "the other ward saves its local fee");
      assert.equal((await get(BOARD)).headers.get("x-cache"), "copy", "this ward's copy is still served");
      const other = await get(`/w/${OTHER}${BOARD}`);
      assert.notEqual(other.headers.get("x-cache"), "copy", "the other ward's copy is stale");
      assert.match(await text(other), /Miễn phí tại phường bên cạnh/, "and its board shows the new fee at once");

      await w.db.kysely
        .insertInto("ward_profiles")
        .values({
          ward_id: w.wardId,
          address: "Số 1 đường Phạm Văn Đồng",
          desk_hours: "",
          hotline: "",
          email: "",
          map_url: "",
          updated_at: w.now().toISOString(),
          updated_by: null,
        })
        .execute();
      const mine = await get(BOARD);
      assert.notEqual(mine.headers.get("x-cache"), "copy", "the ward's contact details changed: its copy is stale");
    });

    test("the board of a day shows what is in force that day: tomorrow's copy is rendered the evening before", async () => {
      const today = vnToday(w.now());
      const tomorrow = vnToday(new Date(w.now().getTime() + 86_400_000));
      const record = await latestRecordOf(w.db.kysely, AMENDED);
      assert.ok(record, "the procedure to amend");
      const r = await applyDecision(
        w.db.kysely,
        SYSTEM_ACTOR,
        { number: "88/2026/QĐ-BCA", decidedOn: today, effectiveFrom: tomorrow, issuer: "Bộ Công an" },
        [{ type: "amended", record: { ...record, name: `${record.name} (sửa đổi từ ngày mai)` } }],
        w.now(),
      );
      assert.ok(r.ok, `the amendment effective tomorrow applies: ${JSON.stringify(r)}`);
      await get(BOARD);
      await runJobs();
      const todays = await get(BOARD);
      assert.equal(todays.headers.get("x-cache"), "copy", "today's copy");
      assert.ok(!(await text(todays)).includes("(sửa đổi từ ngày mai)"), "today's board shows today's version");

      const evening = (await queuedCopies()).find((j) => j.code === "21439" && j.day === tomorrow);
      assert.ok(evening, "tomorrow's render is queued");
      assert.equal(evening.runAt, eveningBefore(tomorrow, "21439").toISOString(), "for the evening before");
      assert.ok(evening.runAt > w.now().toISOString(), "not now");
      assert.ok(evening.runAt < new Date(`${tomorrow}T00:00:00+07:00`).toISOString(), "before the day begins");

      // The evening: the job renders tomorrow's copy, today's still served until midnight.
      w.setNow(new Date(evening.runAt));
      await runJobs();
      assert.equal((await get(BOARD)).headers.get("x-cache"), "copy", "today's copy until midnight");
      // After midnight in Vietnam (17:00 UTC): tomorrow's copy, with tomorrow's version, without a render.
      w.setNow(new Date(`${tomorrow}T00:05:00+07:00`));
      const rendered = copyRenders.rendered;
      const next = await get(BOARD);
      assert.equal(next.headers.get("x-cache"), "copy", "the new day's copy was ready");
      const html = await text(next);
      assert.ok(html.includes("(sửa đổi từ ngày mai)"), "the new day's board shows the version in force that day");
      assert.ok(html.includes(tomorrow.split("-").reverse().join("/")), "and prints that day's date");
      assert.equal(copyRenders.rendered, rendered, "nothing was rendered at the request");
      w.setNow(FIXED_NOW);
    });

    test("`cli prerender` renders every ward's copies before anybody asks", async () => {
      // Today, on the wall clock: the command runs on the real date, so does this app for this test.
      const day = vnToday(new Date());
      w.setNow(new Date());
      try {
        await w.db.kysely.deleteFrom("page_copies").execute();
        const run = spawnSync(process.execPath, ["--import", "tsx", "src/cli.ts", "prerender"], {
          cwd: path.resolve(import.meta.dirname, ".."),
          encoding: "utf8",
          env: { ...process.env, ...w.env, CCHC_SHARED_DIR: SHARED_DIR, LOG_LEVEL: "silent" },
          timeout: 300_000,
        });
        assert.equal(run.status, 0, `the command succeeds: ${run.stderr.slice(-800)}`);
        const summary = JSON.parse(run.stdout.trim().split("\n").at(-1) ?? "{}") as { wards: number; rendered: number };
        assert.equal(summary.wards, 2, `both wards with a portal here: ${run.stdout}`);
        assert.equal(summary.rendered, 4, "their boards and catalogues");
        const rows = await w.db.kysely.selectFrom("page_copies").select(["ward_id", "day"]).execute();
        assert.ok(
          rows.every((r) => r.day === day),
          "for today",
        );
        for (const p of [BOARD, `/w/${OTHER}${BOARD}`, "/thu-tuc", `/w/${OTHER}/thu-tuc`])
          assert.equal(
            (await get(p)).headers.get("x-cache"),
            "copy",
            `${p} is served from the copy at its first visit`,
          );
      } finally {
        w.setNow(FIXED_NOW);
      }
    });

    test("`cli prerender --ward` names the codes that are no commune today and renders nothing", async () => {
      await w.db.kysely.deleteFrom("page_copies").execute();
      const run = spawnSync(
        process.execPath,
        ["--import", "tsx", "src/cli.ts", "prerender", "--ward", `${OTHER},99999,abc`],
        {
          cwd: path.resolve(import.meta.dirname, ".."),
          encoding: "utf8",
          env: { ...process.env, ...w.env, CCHC_SHARED_DIR: SHARED_DIR, LOG_LEVEL: "silent" },
          timeout: 300_000,
        },
      );
      assert.notEqual(run.status, 0, "the command fails");
      assert.match(run.stderr, /Không có xã, phường nào mang mã 99999, abc/, `said in Vietnamese: ${run.stderr}`);
      const rows = await w.db.kysely.selectFrom("page_copies").select("ward_id").execute();
      assert.equal(rows.length, 0, "not even the valid ward's pages were rendered");
    });

    test("a copy is served on its own day only", async () => {
      const yesterday = vnToday(new Date(FIXED_NOW.getTime() - 86_400_000));
      w.setNow(new Date(`${yesterday}T12:00:00+07:00`));
      try {
        const res = await get(BOARD);
        assert.equal(res.status, 200, "the board renders");
        assert.notEqual(res.headers.get("x-cache"), "copy", "no copy of that day: rendered live");
      } finally {
        w.setNow(FIXED_NOW);
      }
    });
  });
}
