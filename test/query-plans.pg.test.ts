/**
 * Every request path indexed (issue 12 §2), on PostgreSQL: a broad walk of the HTTP app — every public page of two
 * wards, the feeds and the /api/v1 endpoints, every staff page each role reaches by its links, and the common writes
 * (the seed plan imported, a task updated, an activity recorded, feedback, questions, a survey, an event, an article,
 * two documents, a bulletin, a report, a search) — with `CCHC_CAPTURE_SQL` on, so every distinct statement the app
 * compiles lands in a file. Each statement is then planned with generic parameters (PREPARE + EXPLAIN EXECUTE under
 * `plan_cache_mode = force_generic_plan`: the plan the server uses for any value) and `enable_seqscan = off`, and the
 * test fails on any sequential scan of a table that grows with the number of wards or years, listing each statement.
 * A statement that cannot be planned is reported as a failure too, never skipped.
 *
 * PostgreSQL only (TEST_DATABASE_URL): SQLite's planner answers a different question, and the scale target is
 * PostgreSQL (issue 12).
 */
import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { after, before, describe, test } from "node:test";
import { sql } from "kysely";
import { createApp } from "../src/app.tsx";
import { SYSTEM_ACTOR } from "../src/core/audit.ts";
import { loadConfig } from "../src/core/config.ts";
import { type Db, openDatabase } from "../src/core/db/connection.ts";
import { runDueJobs } from "../src/core/jobs/jobs.ts";
import { createLogger } from "../src/core/log.ts";
import { vnToday } from "../src/core/text/vi.ts";
import { importProcedures } from "../src/features/procedures/procedures.service.ts";
import { publishChannelItems } from "./helpers/channel-items.ts";
import {
  createWorld,
  type Browser as HttpSession,
  logIn,
  pw,
  SHARED_DIR,
  seedPlanText,
  setUpOtherWard,
  type TestWorld,
  testDatabases,
} from "./helpers/env.ts";
import { capturedStatements, explainStatements } from "./helpers/query-plans.ts";

const PNG = Buffer.from(
  "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==",
  "base64",
);
const postgres = testDatabases().find((d) => d.name === "postgres");

/** Session-less and staff sessions walk the app; each walk follows the links of the pages it gets. */
interface Walker {
  name: string;
  get(url: string): Promise<Response>;
}

/** Addresses not to follow: they end a session, or only convert a document through LibreOffice (slow, no new SQL). */
const SKIP = [/^\/dang-xuat/, /\.pdf(\?|$)/, /^\/static\//, /^\/assets\//, /\.(css|js|ico|woff2?)(\?|$)/];

/** One key per page shape (numbers and query values folded), so a list of 500 items is not walked item by item. */
const shapeOf = (url: string) => {
  const u = new URL(url, "http://x");
  const keys = [...u.searchParams.keys()].sort().join("&");
  return `${u.pathname.replace(/\d+/g, "N")}?${keys}`;
};

const hrefsOf = (html: string): string[] => {
  const out: string[] = [];
  for (const m of html.matchAll(/\s(?:href|src|action)="([^"]+)"/g)) {
    const raw = (m[1] as string).replaceAll("&amp;", "&");
    if (!raw.startsWith("/") || raw.startsWith("//")) continue;
    out.push(raw.replace(/#.*$/, ""));
  }
  return out;
};

describe("every request path uses an index (PostgreSQL)", {
  skip: postgres ? false : "PostgreSQL only: set TEST_DATABASE_URL to run the query-plan check",
}, () => {
  let w: TestWorld;
  let db: Db;
  let app: ReturnType<typeof createApp>;
  const captureFile = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "cchc-sql-")), "statements.sql");
  /** Addresses visited, with their status, per walker: to report what the walk reached. */
  const visited = new Map<string, number>();

  before(async () => {
    w = await createWorld(postgres as NonNullable<typeof postgres>);
    // The plans are judged on the planner's default estimates, the same in every run: an ANALYZE by autovacuum in
    // the middle of the walk (a table of one report request's wards: every row matches) would make them depend on
    // its timing. A real deployment's statistics come from its real volumes (the scale dataset checks those).
    const tables = await sql<{ tablename: string }>`
      select tablename from pg_tables where schemaname = current_schema()`.execute(w.db.kysely);
    for (const { tablename } of tables.rows)
      await sql`alter table ${sql.id(tablename)} set (autovacuum_enabled = false)`.execute(w.db.kysely);
    // The app under test opens its own connection with the capture on: the world's setup (migrations, the register
    // of units, the first accounts) is not a request path and is not captured.
    process.env.CCHC_CAPTURE_SQL = captureFile;
    try {
      db = openDatabase({ databaseUrl: w.env.DATABASE_URL as string, sqliteFile: "" });
    } finally {
      delete process.env.CCHC_CAPTURE_SQL;
    }
    const config = loadConfig(
      { DATA_DIR: w.dataDir, LOG_LEVEL: "silent", CCHC_SHARED_DIR: SHARED_DIR, PUBLIC_FORM_RATE_LIMIT: "1000" },
      process.cwd(),
    );
    app = createApp({ db, config, clock: w.now, log: createLogger("silent") });
  });
  after(async () => {
    await db?.close();
    await w?.cleanup();
    fs.rmSync(path.dirname(captureFile), { recursive: true, force: true });
  });

  test("the walk: common writes, then every page and endpoint each role reaches", { timeout: 600_000 }, async () => {
    const log = createLogger("silent");
    const k = db.kysely;
    // Procedures of the real catalogue, so the catalogue, the notice board and the search have something to show.
    const wanted = ["1.000894", "1.001193", "1.000253"];
    const rows = fs
      .readFileSync(path.join(SHARED_DIR, "data/tthc-dichvucong-2026/cap-xa.jsonl"), "utf8")
      .split("\n")
      .filter(Boolean)
      .map((l) => JSON.parse(l) as Record<string, unknown>)
      .filter((r) => wanted.includes(String(r.ma_thu_tuc)))
      .map((raw, i) => ({ line: i + 1, raw }));
    const imported = await importProcedures(k, SYSTEM_ACTOR, rows, [], {
      dryRun: false,
      today: vnToday(w.now()),
      now: w.now(),
    });
    assert.equal(imported.problems.length, 0, "the procedures are imported");
    const otherWard = "21451";
    await setUpOtherWard(w, otherWard);
    await w.createStaff("quantri", "admin", undefined, { operator: true });
    await w.createStaff("dieuphoi", "coordinator", "office");
    await w.createStaff("canbo", "officer", "radio");
    await w.createStaff("lanhdao", "leader");
    await w.createProvinceStaff("captinh", "viewer");
    await w.createProvinceStaff("tinhdieuphoi", "coordinator");
    const admin = await logIn(app, "quantri", pw("quantri"));
    const coordinator = await logIn(app, "dieuphoi", pw("dieuphoi"));
    const officer = await logIn(app, "canbo", pw("canbo"));
    const leader = await logIn(app, "lanhdao", pw("lanhdao"));
    const province = await logIn(app, "captinh", pw("captinh"));
    const provinceCoordinator = await logIn(app, "tinhdieuphoi", pw("tinhdieuphoi"));

    const step = async (b: HttpSession, p: string, form: Record<string, string> | FormData = {}) => {
      const res = await b.post(p, form);
      assert.equal(
        res.status,
        303,
        `${p}: ${res.status} ${res.status === 303 ? "" : (await res.text()).slice(0, 400)}`,
      );
      return res.headers.get("location") ?? "";
    };
    const tokenOf = async (p: string) =>
      /name="_form" value="([^"]+)"/.exec(await (await app.request(p)).text())?.[1] as string;
    const publicPost = (p: string, form: Record<string, string>) =>
      app.request(p, {
        method: "POST",
        body: new URLSearchParams(form),
        headers: { "content-type": "application/x-www-form-urlencoded" },
      });
    const radio = String(w.unitIds.get("radio"));

    // The seed plan, imported through the import page (preview, then confirm).
    const planForm = () => {
      const f = new FormData();
      f.set("text", seedPlanText());
      return f;
    };
    assert.equal((await coordinator.post("/quan-tri/ke-hoach/nhap", planForm())).status, 200, "plan preview");
    await step(coordinator, "/quan-tri/ke-hoach/xac-nhan", planForm());
    const task = await k
      .selectFrom("tasks")
      .innerJoin("task_units", "task_units.task_id", "tasks.id")
      .select("tasks.id")
      .where("task_units.org_unit_id", "=", Number(radio))
      .orderBy("tasks.id")
      .executeTakeFirstOrThrow();
    const update = new FormData();
    update.set("status", "in_progress");
    update.set("note", "Đã phát 2 bản tin về dịch vụ công trực tuyến");
    update.append("files", new File([PNG], "anh-bang-tin.png"));
    await step(officer, `/quan-tri/nhiem-vu/${task.id}/cap-nhat`, update);
    const activity = new FormData();
    activity.set("orgUnitId", radio);
    activity.set("channelKind", "radio");
    activity.set("pillar", "procedures");
    activity.set("title", "Chuyên mục phát thanh về dịch vụ công trực tuyến");
    activity.set("occurredOn", "2024-04-10");
    activity.set("audience", "1200");
    activity.set("cost", "2.500.000");
    await step(officer, `/quan-tri/nhiem-vu/${task.id}/hoat-dong`, activity);

    // Feedback through its workflow to publication; a question likewise.
    const CITIZEN = { name: "Nguyễn Thị Hồng Nhung", address: "Tổ dân phố 3, phường Đức Phổ", phone: "0905 246 810" };
    const filed = await publicPost("/gop-y", {
      _form: await tokenOf("/gop-y"),
      content: "Thủ tục đăng ký khai sinh cho con phải chờ quá lâu, đề nghị phường rút ngắn thời gian trả.",
      ...CITIZEN,
      consent: "yes",
      procedureCode: "1.001193",
      subject: "procedure",
      contentType: "obstacle",
    });
    const code = /PA-20\d\d-[0-9A-Z]{5,6}/.exec(await filed.text())?.[0];
    assert.ok(code, `feedback filed (${filed.status})`);
    const item = await k.selectFrom("feedback_items").select("id").where("code", "=", code).executeTakeFirstOrThrow();
    const fb = `/quan-tri/phan-anh/${item.id}`;
    await step(coordinator, `${fb}/vao-so`);
    await step(coordinator, `${fb}/phan-loai`, { classification: "in_scope" });
    await step(coordinator, `${fb}/giao`, { unitId: radio });
    await step(officer, `${fb}/du-thao`, { answer: "Từ tháng 3/2026 phường trả kết quả khai sinh trong ngày." });
    await step(leader, `${fb}/duyet`);
    await step(coordinator, `${fb}/cong-bo`);
    assert.equal(
      (await publicPost("/gop-y/tra-cuu", { _form: await tokenOf("/gop-y/tra-cuu"), code, phone: CITIZEN.phone }))
        .status,
      200,
      "feedback looked up",
    );
    const asked = await publicPost("/hoi-dap/hoi", {
      _form: await tokenOf("/hoi-dap/hoi"),
      question: "Tôi tạm trú ở phường đã hai năm thì có đăng ký khai sinh cho con tại phường được không?",
      name: CITIZEN.name,
      phone: CITIZEN.phone,
      consent: "yes",
      procedureCode: "1.001193",
    });
    const qcode = /HD-20\d\d-[0-9A-Z]{5,6}/.exec(await asked.text())?.[0];
    assert.ok(qcode, `question asked (${asked.status})`);
    const question = await k.selectFrom("questions").select("id").where("code", "=", qcode).executeTakeFirstOrThrow();
    const qp = `/quan-tri/hoi-dap/${question.id}`;
    await step(coordinator, `${qp}/chuyen-don-vi`, { unitId: radio });
    await step(officer, `${qp}/du-thao`, { answer: "Được. Mang giấy chứng sinh và giấy xác nhận tạm trú đến phường." });
    await step(leader, `${qp}/duyet`);
    await step(coordinator, `${qp}/cong-bo`);

    // A survey with answers and a closed round.
    await step(coordinator, "/quan-tri/khao-sat", { title: "Khảo sát sự hài lòng năm 2026", field: "" });
    const survey = await k.selectFrom("surveys").select("id").orderBy("id", "desc").executeTakeFirstOrThrow();
    const sq = await k.selectFrom("survey_questions").select("id").where("survey_id", "=", survey.id).execute();
    for (const n of [0, 1]) {
      const scores = Object.fromEntries(sq.map((q, i) => [`q${q.id}`, String(((i + n) % 5) + 1)]));
      const res = await publicPost(`/khao-sat/${survey.id}`, {
        _form: await tokenOf(`/khao-sat/${survey.id}`),
        field: "Hộ tịch",
        ...scores,
      });
      assert.equal(res.status, 200, `survey answer ${n}`);
    }
    await step(coordinator, `/quan-tri/khao-sat/${survey.id}/ket-thuc-dot`);

    // The channels: an event, an article, two documents, a bulletin, each through its workflow.
    const channels = await publishChannelItems({
      kysely: k,
      coordinator,
      leader,
      radioUnitId: Number(radio),
      now: w.now(),
    });
    const { event, article: news, document: decision, bulletin } = channels;
    await runDueJobs({ db, now: w.now(), log, dataDir: w.dataDir, files: w.files });

    // A quarterly report drafted, edited and sent for approval; training records.
    const report = await step(coordinator, "/quan-tri/bao-cao", { loai: "quarter", nam: "2024", quy: "1" });
    const reportPath = report.replace(/\?.*$/, "");
    await step(coordinator, `${reportPath}/noi-dung`, {
      addressees: "Ủy ban nhân dân tỉnh Quảng Ngãi",
      shortcomings: "- Một số tổ dân phố chưa tổ chức sinh hoạt chuyên đề.",
    });
    await step(coordinator, `${reportPath}/trinh`);
    await step(leader, `${reportPath}/duyet`);
    await step(coordinator, `${reportPath}/ban-hanh`, {
      number: "",
      issuedOn: "2024-03-18",
      signerName: "Nguyễn Văn An",
    });

    // Next year's plan drafted from this one; training and commendation records.
    await step(
      coordinator,
      `/quan-tri/ke-hoach/${(await k.selectFrom("plans").select("id").executeTakeFirstOrThrow()).id}/nam-sau`,
    );
    await step(coordinator, "/quan-tri/dao-tao/boi-duong", {
      personName: "Nguyễn Thị Hoa",
      position: "Công chức Văn phòng – Thống kê",
      orgUnitId: String(w.unitIds.get("office")),
      course: "Bồi dưỡng kỹ năng tuyên truyền cải cách hành chính năm 2024",
      organiser: "Sở Nội vụ tỉnh Quảng Ngãi",
      startsOn: "04/03/2024",
      endsOn: "05/03/2024",
      attendance: "attended",
    });
    await step(coordinator, "/quan-tri/dao-tao/khen-thuong", {
      recipientKind: "unit",
      orgUnitId: radio,
      form: "Tập thể lao động tiên tiến",
      decision: "Quyết định số 80/QĐ-UBND",
      decidedOn: "2024-06-01",
    });
    await runDueJobs({ db, now: w.now(), log, dataDir: w.dataDir, files: w.files });

    // The province asks its wards for a quarterly report.
    await step(provinceCoordinator, "/quan-tri/tinh/yeu-cau", {
      title: "",
      loai: "quarter",
      nam: "2026",
      quy: "1",
      deadline: "20/03/2026",
      note: "Đề nghị gửi báo cáo qua hệ thống.",
      scope: "all",
    });

    // Lookups by tracking code and phone (the public forms and the API), the personal-data search, an export.
    const json = (p: string, body: Record<string, string>) =>
      app.request(p, { method: "POST", body: JSON.stringify(body), headers: { "content-type": "application/json" } });
    const lookups: [string, Response][] = [
      ["question lookup", await publicPost("/hoi-dap/tra-cuu", { code: qcode, contact: CITIZEN.phone })],
      ["feedback lookup (API)", await json("/api/v1/feedback/lookup", { code, phone: CITIZEN.phone })],
      ["question lookup (API)", await json("/api/v1/questions/lookup", { code: qcode, contact: CITIZEN.phone })],
      ["personal data by phone", await admin.post("/quan-tri/du-lieu-ca-nhan", { q: CITIZEN.phone })],
      ["personal data by code", await admin.post("/quan-tri/du-lieu-ca-nhan", { q: code })],
      ["personal data export", await admin.post("/quan-tri/du-lieu-ca-nhan/xuat", { item: `feedback:${item.id}` })],
    ];
    for (const [label, res] of lookups) assert.ok(res.status < 300, `${label}: ${res.status}`);

    // Searches, in citizens' words, on both wards.
    for (const q of ["khai sinh", "dang ky ket hon", "bản tin", "xyzzyqw"]) {
      await app.request(`/tim-kiem?q=${encodeURIComponent(q)}`);
      await app.request(`/w/${otherWard}/tim-kiem?q=${encodeURIComponent(q)}`);
    }

    // --- The walk -------------------------------------------------------------------------------------------
    const routes = [...new Set(app.routes.filter((r) => r.method === "GET").map((r) => r.path))];
    /** The routes the walk is expected to reach: PDFs are skipped (LibreOffice; their SQL is the DOCX's). */
    const walkable = routes.filter((r) => !r.endsWith(".pdf"));
    const fill = (p: string) =>
      p
        .replace(/:ward\b/, otherWard)
        .replace(/:(?:p|code)\{\[0-9\]\{2\}\}/, "51")
        .replace(/:code\{toan-quoc\}/, "toan-quoc")
        .replace(/:code\{\[0-9\]\{5\}\}/, "21439");
    // Every address without an id, for each ward and province the routes name; the pages give the rest.
    const starts = routes.map(fill).filter((p) => !p.includes(":"));
    const plan = await k.selectFrom("plans").select("id").executeTakeFirstOrThrow();
    const api = [
      `/api/v1/plans/${plan.id}`,
      `/ke-hoach/${plan.id}`,
      `/w/${otherWard}/ke-hoach/${plan.id}`,
      `/quan-tri/tinh/xa/21439/ke-hoach/${plan.id}`,
      `/quan-tri/tinh/51/xa/21439/ke-hoach/${plan.id}`,
      `/w/21439/su-kien/${event}`,
      `/w/21439/van-ban/${decision}`,
      `/w/21439/tin-tuc/${news}`,
      `/w/21439/phat-thanh/${bulletin}`,
      `/w/21439/khao-sat/${survey.id}`,
      `/w/21439/hoi-dap/${question.id}`,
      `/hoi-dap/${question.id}`,
      `/w/21439/gop-y/da-tra-loi`,
      `/w/21439/hoi-dap`,
      `/w/21439/ke-hoach/${plan.id}`,
      `/w/21439/thu-tuc/1.001193/so-sanh`,
      `/tim-kiem?q=${encodeURIComponent("khai sinh")}`,
      `/w/21439/tim-kiem?q=${encodeURIComponent("khai sinh")}`,
      "/thu-tuc/1.001193",
      "/thu-tuc/1.001193/so-sanh",
      `/w/${otherWard}/thu-tuc/1.001193`,
      "/quan-tri/thu-tuc/1.001193",
      "/api/v1/plans",
      "/api/v1/feedback?published=1",
      "/api/v1/rollup?unit=51&from=2024-01-01&to=2024-12-31",
      `/api/v1/plans?ward=${otherWard}`,
      "/api/v1/procedures?q=khai%20sinh",
      "/api/v1/procedures/1.001193",
      "/api/v1/feedback?q=khai%20sinh",
      "/api/v1/questions?q=khai%20sinh",
      "/api/v1/reports",
      "/api/v1/reports?ward=51",
      "/api/v1/events",
      `/api/v1/events?ward=${otherWard}`,
      "/api/v1/documents?q=k%E1%BA%BF%20ho%E1%BA%A1ch",
      "/api/v1/bulletins",
      "/api/v1/news",
      `/api/v1/surveys/${survey.id}/results`,
      `/ke-hoach?nam=2024`,
      `/thu-tuc?q=${encodeURIComponent("khai sinh")}`,
      `/gop-y/da-tra-loi?q=${encodeURIComponent("khai sinh")}`,
      `/hoi-dap?q=${encodeURIComponent("khai sinh")}`,
      `/van-ban?q=${encodeURIComponent("kế hoạch")}`,
    ];
    const anonymous: Walker = { name: "anonymous", get: async (u) => app.request(u) };
    const walkers: Walker[] = [
      anonymous,
      { name: "admin", get: admin.get },
      { name: "coordinator", get: coordinator.get },
      { name: "officer", get: officer.get },
      { name: "leader", get: leader.get },
      { name: "province", get: province.get },
      { name: "province coordinator", get: provinceCoordinator.get },
    ];
    const failures: string[] = [];
    for (const walker of walkers) {
      const queue = [...starts, ...api, "/quan-tri"];
      const seen = new Set<string>();
      const shapes = new Map<string, number>();
      while (queue.length > 0) {
        const url = queue.shift() as string;
        if (seen.has(url) || SKIP.some((re) => re.test(url))) continue;
        seen.add(url);
        const shape = shapeOf(url);
        const n = shapes.get(shape) ?? 0;
        if (n >= 2) continue;
        shapes.set(shape, n + 1);
        const res = await walker.get(url);
        visited.set(`${walker.name} ${url}`, res.status);
        if (process.env.QUERY_PLANS_DEBUG) console.log(`# ${walker.name} ${res.status} ${url}`);
        if (res.status >= 500) failures.push(`${walker.name} ${url}: ${res.status}`);
        const type = res.headers.get("content-type") ?? "";
        if (res.status === 200 && type.includes("html")) for (const href of hrefsOf(await res.text())) queue.push(href);
        else await res.arrayBuffer();
      }
    }
    assert.deepEqual(failures, [], "no page of the walk fails");
    // What the walk reached, by route: every route is either reached or listed here.
    const reached = walkable.filter((r) => {
      const re = new RegExp(
        `^${r.replace(/:[a-zA-Z]+\{((?:[^{}]|\{[^{}]*\})*)\}/g, "($1)").replace(/:[a-zA-Z]+/g, "[^/?]+")}(\\?|$)`,
      );
      return [...visited.entries()].some(([k, status]) => status < 400 && re.test(k.split(" ")[1] as string));
    });
    const missed = walkable.filter((r) => !reached.includes(r));
    console.log(
      `# walked ${visited.size} addresses; ${reached.length} of ${walkable.length} GET routes reached; not reached: ${missed.join(", ")}`,
    );
    assert.ok(reached.length >= walkable.length * 0.85, `the walk reaches most routes (missed: ${missed.join(", ")})`);
  });

  test("no captured statement scans a table that grows with wards or years", { timeout: 300_000 }, async () => {
    const statements = capturedStatements(captureFile);
    assert.ok(statements.length > 200, `the walk captured statements (${statements.length})`);
    const { problems, allowed } = await explainStatements(w.env.DATABASE_URL as string, statements);
    console.log(`# ${statements.length} statements explained; ${allowed.length} allowed whole-table reads`);
    assert.deepEqual(problems, [], `${problems.length} statement(s) scan a growing table:\n${problems.join("\n")}`);
  });
});
