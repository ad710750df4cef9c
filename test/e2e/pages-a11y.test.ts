// Every page of the citizen's voice (feedback, questions, surveys, site search), the home page with the public
// navigation to them, and every staff page of those features, in Chromium at phone width (360×740), against the real app over SQLite (issue 4, non-negotiables):
//   - axe-core: no serious or critical violation;
//   - no horizontal scrolling at 360 px (the document is no wider than the viewport);
//   - every form control has a <label> tied to it;
//   - public pages: no <script> element (they must work without JavaScript) and an HTML weight under
//     PUBLIC_HTML_BUDGET (the response's bytes; the shared CSS files are fetched once and cached, so not counted);
//   - one public form and one staff form sent empty come back with an error summary whose links lead to the fields;
//   - the public feedback form is sent from a browser with JavaScript switched off and gives a tracking code.
// The world is made the way citizens and staff make it: public forms and staff steps over HTTP, so items stand at
// every status the staff pages show (received, registered, rejected, forwarded, processing, drafted, decided,
// published; questions new, routed, drafted, approved, published), a survey has answers and a closed round, and
// another survey is closed.
import assert from "node:assert/strict";
import fs from "node:fs";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { after, before, test } from "node:test";
import { type ServerType, serve } from "@hono/node-server";
import type { Browser, Page, Response } from "playwright-core";
import { createApp } from "../../src/app.tsx";
import { SYSTEM_ACTOR } from "../../src/core/audit.ts";
import { loadConfig } from "../../src/core/config.ts";
import { runDueJobs } from "../../src/core/jobs/jobs.ts";
import { createLogger } from "../../src/core/log.ts";
import { vnToday } from "../../src/core/text/vi.ts";
import { importProcedures } from "../../src/features/procedures/procedures.service.ts";
import { publishChannelItems } from "../helpers/channel-items.ts";
import {
  createWorld,
  FIXED_NOW,
  type Browser as HttpSession,
  logIn,
  pw,
  SHARED_DIR,
  type TestWorld,
  testDatabases,
} from "../helpers/env.ts";
import {
  assertNoSeriousA11y,
  describeBrowser,
  launchBrowser,
  MIN_TAP_PX,
  newPage,
  smallTapTargets,
} from "./browser.ts";

/** The public ids of the published feedback answer and FAQ entry (public pages never use tracking codes). */
const publicIds = { feedback: "", question: "" };
const PHONE = { width: 360, height: 740 };
const TIMEOUT_MS = 30_000;
/**
 * Bytes of HTML a public page may weigh (the response body; the shared CSS files are cached, so not counted). Measured
 * when this test was written, in this world: 1.4–7.1 KB for most pages, 13.2 KB for a survey's results (three charts
 * with their tables), 20.1 KB for the survey form (22 criteria × 5 labelled radios). 30 KB leaves room for longer
 * real content and still catches a page that drags in a framework or inlines its assets.
 */
const PUBLIC_HTML_BUDGET = 30 * 1024;

/** Procedures of the real catalogue in two fields, so the site search and the surveys have something to show. */
const PROCEDURES = ["1.000894", "1.001193", "1.000253"];
const catalogueRows = () =>
  fs
    .readFileSync(path.join(SHARED_DIR, "data/tthc-dichvucong-2026/cap-xa.jsonl"), "utf8")
    .split("\n")
    .filter(Boolean)
    .map((l) => JSON.parse(l) as Record<string, unknown>)
    .filter((r) => PROCEDURES.includes(String(r.ma_thu_tuc)))
    .map((raw, i) => ({ line: i + 1, raw }));

const CITIZEN = { name: "Nguyễn Thị Hồng Nhung", address: "Tổ dân phố 3, phường Đức Phổ", phone: "0905 246 810" };
const PUBLISHED_CONTENT = "Thủ tục đăng ký khai sinh cho con phải chờ quá lâu, đề nghị phường rút ngắn thời gian trả.";
const PUBLISHED_ANSWER = "Từ tháng 3/2026, Bộ phận một cửa trả kết quả đăng ký khai sinh ngay trong ngày làm việc.";
const QUESTION = "Tôi tạm trú ở phường đã hai năm thì có đăng ký khai sinh cho con tại phường được không?";
const QUESTION_ANSWER = "Được. Bạn mang giấy chứng sinh và giấy xác nhận tạm trú đến Bộ phận một cửa của phường.";

type Kind = "public" | "staff";

describeBrowser("citizen's voice pages at phone width: axe, no overflow, labels, no script, light", () => {
  let world: TestWorld;
  let server: ServerType;
  let base: string;
  let browser: Browser;
  let citizen: Page;
  const staffPages = new Map<string, Page>();
  const checked: string[] = [];
  /** Bytes of HTML of each public page checked, by address: printed at the end, to set the budget from. */
  const weights = new Map<string, number>();
  /** Ids made in the setup, for the pages' addresses. */
  const ids = {
    feedback: {} as Record<string, { id: number; code: string }>,
    question: {} as Record<string, number>,
    survey: 0,
    closedSurvey: 0,
    event: 0,
    document: 0,
    bulletin: 0,
    article: 0,
  };

  // --- The checks every page goes through -------------------------------------------------------------------

  /** What is wider than the viewport, to say where a horizontal overflow comes from. */
  const overflow = (page: Page) =>
    page.evaluate(() => {
      const width = innerWidth;
      const scroll = document.scrollingElement?.scrollWidth ?? 0;
      const culprits: string[] = [];
      if (scroll > width)
        for (const el of document.body.querySelectorAll("*")) {
          const r = el.getBoundingClientRect();
          // The innermost offenders are the useful ones: skip an element whose child overflows too.
          if (r.right > width + 0.5 && ![...el.children].some((k) => k.getBoundingClientRect().right > width + 0.5)) {
            // Inline, not a named helper: esbuild would wrap a named function in a `__name` the page lacks.
            const around = el.parentElement?.closest("table, form, section, dl, ul, ol, pre, div");
            const [outer, inner] = [around, el].map((e) =>
              e
                ? `${e.tagName.toLowerCase()}${e.id ? `#${e.id}` : ""}${[...e.classList].map((c) => `.${c}`).join("")}`
                : "",
            );
            culprits.push(
              `${outer ? `${outer} ` : ""}${inner} (right edge ${Math.round(r.right)}px): ` +
                `${(el.textContent ?? "").trim().slice(0, 40)}`,
            );
          }
          if (culprits.length >= 5) break;
        }
      return { width, scroll, culprits };
    });

  /** Form controls with no <label> tied to them (aria-labelledby to an element on the page also names one). */
  const unlabelled = (page: Page) =>
    page.evaluate(() =>
      [...document.querySelectorAll("input, select, textarea")]
        .filter((el) => !["hidden", "submit", "button", "reset", "image"].includes((el as HTMLInputElement).type))
        .filter((el) => {
          const labelled = (el as HTMLInputElement).labels?.length ?? 0;
          const by = (el.getAttribute("aria-labelledby") ?? "").split(/\s+/).filter(Boolean);
          return labelled === 0 && !(by.length > 0 && by.every((id) => document.getElementById(id)));
        })
        .map((el) => el.outerHTML.slice(0, 120)),
    );

  /** What is wrong with the page as it is now, by every check of this file (empty: nothing). */
  const problemsOf = async (page: Page, kind: Kind, response: Response): Promise<string[]> => {
    const problems: string[] = [];
    if (kind === "public") {
      // Before axe, which is itself a script added to the page.
      const scripts = await page.locator("script").count();
      if (scripts > 0) problems.push(`${scripts} <script> element(s): a public page must not depend on JavaScript`);
      const bytes = (await response.body()).byteLength;
      weights.set(`${response.request().method()} ${page.url().slice(base.length)}`, bytes);
      if (bytes > PUBLIC_HTML_BUDGET) problems.push(`${bytes} bytes of HTML, over the ${PUBLIC_HTML_BUDGET} budget`);
      const small = await smallTapTargets(page);
      if (small.length > 0)
        problems.push(`controls smaller than ${MIN_TAP_PX}×${MIN_TAP_PX}px to tap: ${small.slice(0, 8).join(", ")}`);
    }
    const o = await overflow(page);
    if (o.scroll > o.width)
      problems.push(`${o.scroll}px wide in a ${o.width}px viewport, scrolls sideways: ${o.culprits.join(", ")}`);
    const bare = await unlabelled(page);
    if (bare.length > 0) problems.push(`form controls without a label: ${bare.join(" | ")}`);
    try {
      await assertNoSeriousA11y(page, "the page");
    } catch (e) {
      problems.push((e as Error).message);
    }
    return problems;
  };

  /** Every check on the page as it is now; all of a page's problems are reported together. */
  const check = async (page: Page, label: string, kind: Kind, response: Response | null, status = 200) => {
    assert.ok(response, `${label}: a response`);
    assert.equal(response.status(), status, `${label}: HTTP ${status}`);
    const problems = await problemsOf(page, kind, response);
    assert.deepEqual(problems, [], `${label} (${page.url()}):\n${problems.join("\n")}`);
    checked.push(label);
  };

  /** Open an address and check the page. */
  const visit = async (page: Page, url: string, label: string, kind: Kind, status = 200) => {
    const response = await page.goto(`${base}${url}`);
    await check(page, label, kind, response, status);
  };

  /** Press a submit button and check the page the form's POST answered with (after any redirect). */
  const submit = async (page: Page, button: string, label: string, kind: Kind, status = 200) => {
    const [response] = await Promise.all([
      page.waitForResponse((r) => r.request().isNavigationRequest() && r.status() !== 303),
      page.getByRole("button", { name: button, exact: true }).click(),
    ]);
    await page.waitForLoadState("load");
    await check(page, label, kind, response, status);
  };

  /** A staff member's browser session at phone width, logged in through the login page once. */
  const staff = async (username: string) => {
    const known = staffPages.get(username);
    if (known) return known;
    const page = await newPage(browser, { viewport: PHONE });
    page.setDefaultTimeout(TIMEOUT_MS);
    await page.goto(`${base}/dang-nhap`);
    await page.getByLabel("Tên đăng nhập").fill(username);
    await page.getByLabel("Mật khẩu").fill(pw(username));
    await Promise.all([page.waitForURL(/\/quan-tri/), page.getByRole("button", { name: "Đăng nhập" }).click()]);
    staffPages.set(username, page);
    return page;
  };

  /** The error summary after an empty submit: each of its links points at a field of the form, which it focuses. */
  const assertErrorSummary = async (page: Page, label: string, expectAtLeast: number) => {
    const links = page.locator(".error-summary a[href^='#']");
    const n = await links.count();
    assert.ok(n >= expectAtLeast, `${label}: ${n} error(s) listed, expected at least ${expectAtLeast}`);
    for (let i = 0; i < n; i++) {
      const href = (await links.nth(i).getAttribute("href")) as string;
      const target = await page.evaluate((id) => {
        const el = document.getElementById(id);
        if (!el) return null;
        const field = el.matches("input, select, textarea") ? el : el.querySelector("input, select, textarea");
        return {
          tag: el.tagName.toLowerCase(),
          field: field ? field.tagName.toLowerCase() : null,
          invalid: el.getAttribute("aria-invalid") ?? el.querySelector("[aria-invalid]")?.getAttribute("aria-invalid"),
          described: (el.getAttribute("aria-describedby") ?? "").includes(`${id}-loi`),
          message: document.getElementById(`${id}-loi`)?.textContent ?? null,
        };
      }, href.slice(1));
      assert.ok(target, `${label}: ${href} leads to an element of the page`);
      assert.ok(target.field, `${label}: ${href} leads to a form field (found <${target.tag}>)`);
      assert.ok(target.message, `${label}: the message is repeated beside ${href}`);
      assert.ok(target.described, `${label}: ${href} is described by its message`);
      assert.equal((await links.nth(i).textContent())?.trim(), target.message?.trim(), `${label}: same message`);
    }
    // Following the first link puts the reader on its field, without any script.
    const first = (await links.first().getAttribute("href")) as string;
    await links.first().click();
    assert.equal(await page.evaluate(() => location.hash), first, `${label}: the link moves to the field`);
  };

  // --- The world ----------------------------------------------------------------------------------------------

  before(async () => {
    const sqlite = testDatabases().find((d) => d.name === "sqlite");
    if (!sqlite) throw new Error("the SQLite test database is missing");
    world = await createWorld(sqlite);
    // The setup files a dozen items from one address; the rate limit is not what this file tests.
    const config = loadConfig(
      { DATA_DIR: world.dataDir, LOG_LEVEL: "silent", CCHC_SHARED_DIR: SHARED_DIR, PUBLIC_FORM_RATE_LIMIT: "1000" },
      process.cwd(),
    );
    const app = createApp({ db: world.db, config, clock: world.now, log: createLogger("silent") });
    const imported = await importProcedures(world.db.kysely, SYSTEM_ACTOR, catalogueRows(), [], {
      dryRun: false,
      today: vnToday(world.now()),
      now: world.now(),
    });
    assert.equal(imported.problems.length, 0);
    await world.createStaff("quantri", "admin", undefined, { operator: true });
    await world.createStaff("dieuphoi", "coordinator");
    await world.createStaff("canbo", "officer", "radio");
    await world.createStaff("lanhdao", "leader");
    const coordinator = await logIn(app, "dieuphoi", pw("dieuphoi"));
    const leader = await logIn(app, "lanhdao", pw("lanhdao"));
    const officer = await logIn(app, "canbo", pw("canbo"));

    const tokenOf = async (p: string) =>
      /name="_form" value="([^"]+)"/.exec(await (await app.request(p)).text())?.[1] as string;
    const publicPost = (p: string, form: Record<string, string>) =>
      app.request(p, {
        method: "POST",
        body: new URLSearchParams(form),
        headers: { "content-type": "application/x-www-form-urlencoded" },
      });
    const step = async (b: HttpSession, p: string, form: Record<string, string> = {}) => {
      const res = await b.post(p, form);
      assert.equal(res.status, 303, `${p}: ${res.status} ${res.status === 303 ? "" : await res.text()}`);
    };

    // Feedback at every status of the workflow.
    const file = async (key: string, content: string, extra: Record<string, string> = {}) => {
      const res = await publicPost("/gop-y", {
        _form: await tokenOf("/gop-y"),
        content,
        ...CITIZEN,
        consent: "yes",
        ...extra,
      });
      const code = /PA-20\d\d-[0-9A-Z]{5,6}/.exec(await res.text())?.[0];
      assert.ok(code, `${key} filed (${res.status})`);
      const { id } = await world.db.kysely
        .selectFrom("feedback_items")
        .select("id")
        .where("code", "=", code)
        .executeTakeFirstOrThrow();
      ids.feedback[key] = { id, code };
      return `/quan-tri/phan-anh/${id}`;
    };
    const radio = String(world.unitIds.get("radio"));
    const published = await file("published", PUBLISHED_CONTENT, {
      procedureCode: "1.001193",
      subject: "procedure",
      contentType: "obstacle",
    });
    await file("received", "Đèn chiếu sáng ở ngõ 4 tổ 2 hỏng nhiều tuần nay, buổi tối rất tối, đề nghị sửa.");
    const registered = await file("registered", "Rác thải tập kết sai nơi ở đầu hẻm 12 nhiều ngày chưa được thu gom.");
    const rejected = await file(
      "rejected",
      "Đề nghị phường xem xét lại việc này giúp tôi, tôi không đồng ý với cách làm.",
    );
    const forwarded = await file("forwarded", "Đoạn quốc lộ qua phường xuống cấp nặng, nhiều ổ gà gây nguy hiểm.");
    const processing = await file(
      "processing",
      "Loa truyền thanh ở tổ 5 phát quá to vào buổi sáng sớm, đề nghị chỉnh.",
    );
    const drafted = await file("drafted", "Bản tin truyền thanh phường không nói về lịch tiêm chủng tháng này.");
    const decided = await file(
      "decided",
      "Đề nghị đài truyền thanh phát thêm bản tin vào buổi chiều cho người đi làm.",
    );
    for (const p of [published, registered, rejected, forwarded, processing, drafted, decided])
      await step(coordinator, `${p}/vao-so`);
    await step(coordinator, `${rejected}/phan-loai`, {
      classification: "rejected",
      reason: "Không ghi rõ sự việc.",
    });
    await step(coordinator, `${forwarded}/phan-loai`, {
      classification: "forwarded",
      forwardedTo: "Sở Xây dựng tỉnh Quảng Ngãi",
    });
    for (const p of [published, processing, drafted, decided]) {
      await step(coordinator, `${p}/phan-loai`, { classification: "in_scope" });
      await step(coordinator, `${p}/giao`, { unitId: radio });
    }
    await step(officer, `${drafted}/du-thao`, { answer: "Bản tin ngày 05/03/2026 sẽ có lịch tiêm chủng của phường." });
    await step(officer, `${decided}/du-thao`, { answer: "Từ tuần sau đài phát thêm bản tin lúc 17 giờ hằng ngày." });
    await step(officer, `${published}/du-thao`, { answer: PUBLISHED_ANSWER });
    await step(leader, `${decided}/duyet`);
    await step(leader, `${published}/duyet`);
    await step(coordinator, `${published}/cong-bo`);
    publicIds.feedback =
      (
        await world.db.kysely
          .selectFrom("feedback_items")
          .select("public_id")
          .where("id", "=", Number(published.split("/").pop()))
          .executeTakeFirstOrThrow()
      ).public_id ?? "";
    // One item filed and assigned six weeks ago, so the coordinator's list shows an overdue row.
    world.setNow(new Date(FIXED_NOW.getTime() - 42 * 24 * 60 * 60 * 1000));
    const overdue = await file(
      "overdue",
      "Hố ga trước trường tiểu học bị mất nắp từ lâu, học sinh đi qua rất nguy hiểm.",
    );
    await step(coordinator, `${overdue}/vao-so`);
    await step(coordinator, `${overdue}/phan-loai`, { classification: "in_scope" });
    await step(coordinator, `${overdue}/giao`, { unitId: radio });
    world.setNow(FIXED_NOW);

    // Questions at every status.
    const ask = async (key: string, question: string) => {
      const res = await publicPost("/hoi-dap/hoi", {
        _form: await tokenOf("/hoi-dap/hoi"),
        question,
        name: CITIZEN.name,
        phone: CITIZEN.phone,
        consent: "yes",
        ...(key === "published" ? { procedureCode: "1.001193" } : {}),
      });
      const code = /HD-20\d\d-[0-9A-Z]{5,6}/.exec(await res.text())?.[0];
      assert.ok(code, `question ${key} asked (${res.status})`);
      const { id } = await world.db.kysely
        .selectFrom("questions")
        .select("id")
        .where("code", "=", code)
        .executeTakeFirstOrThrow();
      ids.question[key] = id;
      return `/quan-tri/hoi-dap/${id}`;
    };
    const qPublished = await ask("published", QUESTION);
    await ask("new", "Làm lại căn cước công dân bị mất thì nộp hồ sơ ở phường hay ở đâu?");
    const qRouted = await ask("routed", "Phường có nhận đăng ký kết hôn vào sáng thứ bảy không?");
    const qDrafted = await ask("drafted", "Xin giấy xác nhận tình trạng hôn nhân mất bao lâu?");
    const qApproved = await ask("approved", "Đăng ký tạm trú cho người thuê trọ cần giấy tờ gì?");
    for (const p of [qPublished, qRouted, qDrafted, qApproved])
      await step(coordinator, `${p}/chuyen-don-vi`, { unitId: radio });
    await step(officer, `${qDrafted}/du-thao`, { answer: "Trong ngày làm việc nếu hồ sơ đầy đủ." });
    await step(officer, `${qApproved}/du-thao`, { answer: "Giấy tờ tùy thân và hợp đồng thuê nhà có xác nhận." });
    await step(officer, `${qPublished}/du-thao`, { answer: QUESTION_ANSWER });
    await step(leader, `${qApproved}/duyet`);
    await step(leader, `${qPublished}/duyet`);
    await step(coordinator, `${qPublished}/cong-bo`);
    publicIds.question =
      (
        await world.db.kysely
          .selectFrom("questions")
          .select("public_id")
          .where("id", "=", Number(qPublished.split("/").pop()))
          .executeTakeFirstOrThrow()
      ).public_id ?? "";

    // A survey of every service with answers and a closed round; another survey closed.
    await step(coordinator, "/quan-tri/khao-sat", { title: "Khảo sát sự hài lòng năm 2026", field: "" });
    await step(coordinator, "/quan-tri/khao-sat", { title: "Khảo sát lĩnh vực hộ tịch quý I", field: "Hộ tịch" });
    const surveys = await world.db.kysely.selectFrom("surveys").select(["id", "field"]).orderBy("id").execute();
    ids.survey = (surveys.find((s) => s.field == null) as { id: number }).id;
    ids.closedSurvey = (surveys.find((s) => s.field != null) as { id: number }).id;
    const questions = await world.db.kysely
      .selectFrom("survey_questions")
      .select(["id"])
      .where("survey_id", "=", ids.survey)
      .orderBy("id")
      .execute();
    const fields = ["Hộ tịch", "Hộ tịch", "Quản lý xuất nhập cảnh", ""];
    for (const [n, field] of fields.entries()) {
      const scores = Object.fromEntries(questions.map((q, i) => [`q${q.id}`, String(((i + n) % 5) + 1)]));
      const res = await publicPost(`/khao-sat/${ids.survey}`, {
        _form: await tokenOf(`/khao-sat/${ids.survey}`),
        field,
        ...scores,
      });
      assert.equal(res.status, 200, `survey answer ${n}: ${res.status}`);
    }
    await step(coordinator, `/quan-tri/khao-sat/${ids.survey}/ket-thuc-dot`);
    await step(coordinator, `/quan-tri/khao-sat/${ids.closedSurvey}/ket-thuc-dot`, { closeSurvey: "1" });

    // One item of each channel: an event, an article, two documents, a bulletin.
    const channels = await publishChannelItems({
      kysely: world.db.kysely,
      coordinator,
      leader,
      radioUnitId: Number(world.unitIds.get("radio")),
      now: world.now(),
    });
    ids.event = channels.event;
    ids.article = channels.article;
    ids.document = channels.document;
    ids.bulletin = channels.bulletin;
    await runDueJobs({
      db: world.db,
      now: world.now(),
      log: createLogger("silent"),
      dataDir: world.dataDir,
      files: world.files,
    });

    server = serve({ fetch: app.fetch, port: 0, hostname: "127.0.0.1" });
    if (!server.listening) await new Promise<void>((resolve) => server.once("listening", () => resolve()));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    browser = await launchBrowser();
    citizen = await newPage(browser, { viewport: PHONE });
    citizen.setDefaultTimeout(TIMEOUT_MS);
  });

  after(async () => {
    await browser?.close();
    if (server) {
      if ("closeAllConnections" in server) server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
    await world?.cleanup();
  });

  // --- Public pages -------------------------------------------------------------------------------------------

  test("feedback: form, lookup (form, not found, result with the answer), answered list, search, one answer", {
    timeout: 90_000,
  }, async () => {
    const pub = ids.feedback.published as { code: string };
    await visit(citizen, "/gop-y", "feedback form", "public");
    await visit(citizen, "/gop-y?thu-tuc=1.001193", "feedback form about a procedure", "public");
    await visit(citizen, "/gop-y/tra-cuu", "lookup form", "public");
    await citizen.getByLabel("Mã tra cứu").fill(pub.code);
    await citizen.getByLabel("Số điện thoại đã dùng khi gửi").fill("0999 999 999");
    await submit(citizen, "Tra cứu", "lookup not found", "public", 404);
    await citizen.getByLabel("Mã tra cứu").fill(pub.code.toLowerCase());
    await citizen.getByLabel("Số điện thoại đã dùng khi gửi").fill(CITIZEN.phone);
    await submit(citizen, "Tra cứu", "lookup result with an answer", "public");
    assert.ok((await citizen.locator("main").textContent())?.includes(PUBLISHED_ANSWER), "the answer is shown");
    await visit(citizen, "/gop-y/da-tra-loi", "answered feedback", "public");
    assert.ok((await citizen.locator("main").textContent())?.includes(PUBLISHED_ANSWER), "the answer is listed");
    await visit(
      citizen,
      `/gop-y/da-tra-loi?q=${encodeURIComponent("khai sinh")}`,
      "answered feedback, searched",
      "public",
    );
    assert.ok((await citizen.locator("main").textContent())?.includes(PUBLISHED_ANSWER), "found by its words");
    await visit(citizen, "/gop-y/da-tra-loi?q=xyzzy", "answered feedback, nothing found", "public");
    await visit(citizen, `/gop-y/da-tra-loi/${publicIds.feedback}`, "one answered feedback", "public");
    assert.ok((await citizen.locator("main").textContent())?.includes(PUBLISHED_ANSWER), "the answer is shown");
  });

  test("questions: the list, the ask form, a sent question, one entry", { timeout: 90_000 }, async () => {
    await visit(citizen, "/hoi-dap", "questions list", "public");
    await visit(citizen, "/hoi-dap/hoi", "ask form", "public");
    await citizen.getByLabel(/^Câu hỏi/).fill("Con tôi sinh ở tỉnh khác thì có đăng ký khai sinh ở phường được không?");
    await citizen.getByLabel(/^Họ và tên/).fill(CITIZEN.name);
    await citizen.getByRole("textbox", { name: /^Số điện thoại/ }).fill(CITIZEN.phone);
    await citizen.locator("[name=consent]").check();
    await submit(citizen, "Gửi câu hỏi", "question sent", "public");
    assert.match((await citizen.locator("main").textContent()) ?? "", /HD-20\d\d-[0-9A-Z]{5,6}/);
    await visit(citizen, `/hoi-dap/${ids.question.published}`, "FAQ entry", "public");
    assert.ok((await citizen.locator("main").textContent())?.includes(QUESTION_ANSWER), "the answer is shown");
  });

  test("home: the navigation to every public service fits a phone, and the opinion section", {
    timeout: 90_000,
  }, async () => {
    await visit(citizen, "/", "home", "public");
    const nav = citizen.getByRole("navigation", { name: "Chính" }).getByRole("link");
    const labels = [
      "Trang chủ",
      "Tin tức",
      "Kế hoạch CCHC",
      "Thủ tục hành chính",
      "Góp ý, kiến nghị",
      "Hỏi đáp",
      "Khảo sát",
      "Hội nghị, sinh hoạt",
      "Văn bản",
      "Phát thanh",
    ];
    assert.deepEqual(
      (await nav.allTextContents()).map((t) => t.trim()),
      labels,
    );
    for (const link of await nav.all()) {
      const box = await link.boundingBox();
      assert.ok(
        box && box.x >= 0 && box.x + box.width <= PHONE.width,
        `${await link.textContent()}: inside the screen`,
      );
    }
    const news = citizen.getByRole("region", { name: "Tin tức mới" });
    assert.equal(
      await news.locator(`a[href="/tin-tuc/${ids.article}"]`).count(),
      1,
      "the home page shows the latest article",
    );
    const opinion = citizen.getByRole("region", { name: "Ý kiến của bạn" });
    for (const href of ["/gop-y", "/hoi-dap", "/khao-sat"])
      assert.equal(await opinion.locator(`a[href="${href}"]`).count(), 1, `the home page links to ${href}`);
  });

  test("surveys: the list, the form, the thanks page, the results, a closed survey", { timeout: 90_000 }, async () => {
    await visit(citizen, "/khao-sat", "survey list", "public");
    const listed = citizen.locator("main");
    assert.equal(await listed.getByRole("link", { name: "Tham gia đánh giá" }).count(), 1, "one open survey");
    assert.equal(await listed.getByRole("link", { name: "Xem kết quả" }).count(), 2, "results of both surveys");
    await visit(citizen, `/khao-sat/${ids.survey}`, "survey form", "public");
    await citizen.locator("#ks-field").selectOption("Hộ tịch");
    for (const fieldset of await citizen.locator("fieldset").all()) await fieldset.locator("input").nth(3).check();
    await submit(citizen, "Gửi đánh giá", "survey thanks", "public");
    await visit(citizen, `/khao-sat/${ids.survey}/ket-qua`, "survey results", "public");
    assert.ok(/\d+,?\d*%/.test((await citizen.locator("#ks-overall").textContent()) ?? ""), "an index is shown");
    await visit(citizen, `/khao-sat/${ids.closedSurvey}`, "closed survey", "public");
    await visit(citizen, `/khao-sat/${ids.closedSurvey}/ket-qua`, "closed survey results", "public");
  });

  test("site search: with results from each feature, with none, and empty", { timeout: 90_000 }, async () => {
    await visit(citizen, `/tim-kiem?q=${encodeURIComponent("khai sinh")}`, "search with results", "public");
    // A procedure, the published feedback answer and the FAQ entry: every kind of result is on the page.
    // Each result goes through the redirect that counts opened results (search-log.ts), then to its page.
    for (const href of [
      "/thu-tuc/1.001193",
      `/gop-y/da-tra-loi/${publicIds.feedback}`,
      `/hoi-dap/${publicIds.question}`,
    ])
      assert.equal(await citizen.locator(`main a[href$="den=${href}"]`).count(), 1, `the results link ${href}`);
    await visit(citizen, "/tim-kiem?q=xyzzyqw", "search without results", "public");
    await visit(citizen, "/tim-kiem", "search form", "public");
  });

  test("plans and procedures: the plans, the catalogue, a procedure, the notice board", {
    timeout: 90_000,
  }, async () => {
    await visit(citizen, "/ke-hoach", "plans", "public");
    await visit(citizen, "/thu-tuc", "procedure catalogue", "public");
    await visit(citizen, "/thu-tuc/1.001193", "procedure", "public");
    await visit(citizen, "/thu-tuc/bang-niem-yet", "notice board", "public");
  });

  test("a public form sent empty lists its errors, each linking to its field", { timeout: 90_000 }, async () => {
    await visit(citizen, "/gop-y", "feedback form (before the empty submit)", "public");
    await submit(citizen, "Gửi phản ánh, kiến nghị", "feedback form with errors", "public", 400);
    await assertErrorSummary(citizen, "feedback form", 4);
  });

  test("the feedback form works with JavaScript switched off and gives a tracking code", {
    timeout: 90_000,
  }, async () => {
    const page = await newPage(browser, { viewport: PHONE, javaScriptEnabled: false });
    page.setDefaultTimeout(TIMEOUT_MS);
    try {
      // Proof that scripts really do not run in this context (Playwright's own evaluate still works in it).
      await page.goto("data:text/html,<title>off</title><script>document.title='on'</script>");
      assert.equal(await page.title(), "off", "JavaScript is switched off");
      const form = await page.goto(`${base}/gop-y`);
      assert.equal(form?.status(), 200);
      await page
        .getByLabel("Nội dung phản ánh, kiến nghị")
        .fill("Vỉa hè trước chợ bị lấn chiếm, người đi bộ phải xuống lòng đường rất nguy hiểm.");
      await page.getByLabel("Họ và tên").fill(CITIZEN.name);
      await page.getByLabel("Địa chỉ liên hệ").fill(CITIZEN.address);
      await page.getByRole("textbox", { name: /^Số điện thoại/ }).fill(CITIZEN.phone);
      await page.locator("#gy-consent").check();
      const [receipt] = await Promise.all([
        page.waitForResponse((r) => r.request().isNavigationRequest() && r.request().method() === "POST"),
        page.getByRole("button", { name: "Gửi phản ánh, kiến nghị" }).click(),
      ]);
      assert.equal(receipt.status(), 200);
      await page.waitForLoadState("load");
      const code = ((await page.locator(".gy-code").textContent()) ?? "").trim();
      assert.match(code, /^PA-20\d\d-[0-9A-Z]{5,6}$/);
      const row = await world.db.kysely
        .selectFrom("feedback_items")
        .select("status")
        .where("code", "=", code)
        .executeTakeFirst();
      assert.equal(row?.status, "received", "the item is filed");
    } finally {
      await page.close();
    }
    // The receipt, checked with axe in a context with JavaScript (axe needs it): filed again through the form.
    await visit(citizen, "/gop-y", "feedback form (for the receipt)", "public");
    await citizen.getByLabel("Nội dung phản ánh, kiến nghị").fill("Cống thoát nước ở tổ 6 bị tắc, mưa là ngập đường.");
    await citizen.getByLabel("Họ và tên").fill(CITIZEN.name);
    await citizen.getByLabel("Địa chỉ liên hệ").fill(CITIZEN.address);
    await citizen.getByRole("textbox", { name: /^Số điện thoại/ }).fill(CITIZEN.phone);
    await citizen.locator("#gy-consent").check();
    await submit(citizen, "Gửi phản ánh, kiến nghị", "feedback receipt", "public");
  });

  // --- Staff pages --------------------------------------------------------------------------------------------

  test("staff: the feedback list, for the coordinator and for an officer", {
    timeout: 90_000,
  }, async () => {
    const coordinator = await staff("dieuphoi");
    await visit(coordinator, "/quan-tri/phan-anh", "staff feedback list", "staff");
    assert.equal(await coordinator.locator("tr.gy-overdue").count(), 1, "the overdue item is highlighted");
    await visit(await staff("canbo"), "/quan-tri/phan-anh", "staff feedback list (officer)", "staff");
  });

  test("staff: a feedback item at every status, with the role that works it; the entry form", {
    timeout: 90_000,
  }, async () => {
    const coordinator = await staff("dieuphoi");
    for (const status of [
      "received",
      "registered",
      "rejected",
      "forwarded",
      "processing",
      "overdue",
      "decided",
      "published",
    ])
      await visit(
        coordinator,
        `/quan-tri/phan-anh/${ids.feedback[status]?.id}`,
        `staff feedback item (${status})`,
        "staff",
      );
    await visit(coordinator, "/quan-tri/phan-anh/moi", "staff feedback entry form", "staff");
    const officer = await staff("canbo");
    await visit(officer, `/quan-tri/phan-anh/${ids.feedback.processing?.id}`, "staff feedback item (officer)", "staff");
    const leader = await staff("lanhdao");
    await visit(leader, `/quan-tri/phan-anh/${ids.feedback.drafted?.id}`, "staff feedback item (leader)", "staff");
  });

  test("staff: questions, list and item at every status", { timeout: 90_000 }, async () => {
    const coordinator = await staff("dieuphoi");
    await visit(coordinator, "/quan-tri/hoi-dap", "staff questions list", "staff");
    for (const status of ["new", "routed", "approved", "published"])
      await visit(coordinator, `/quan-tri/hoi-dap/${ids.question[status]}`, `staff question (${status})`, "staff");
    // The officer who drafts and the leader who approves reach the list from the navigation, as they do feedback.
    const officer = await staff("canbo");
    await visit(officer, "/quan-tri", "staff home (officer)", "staff");
    await Promise.all([
      officer.waitForURL(/\/quan-tri\/hoi-dap$/),
      officer.getByRole("navigation", { name: "Chính" }).getByRole("link", { name: "Hỏi đáp" }).click(),
    ]);
    await check(officer, "staff questions list (officer)", "staff", await officer.reload());
    await visit(officer, `/quan-tri/hoi-dap/${ids.question.routed}`, "staff question (officer)", "staff");
    const leader = await staff("lanhdao");
    await Promise.all([
      leader.waitForURL(/\/quan-tri\/hoi-dap$/),
      leader.getByRole("navigation", { name: "Chính" }).getByRole("link", { name: "Hỏi đáp" }).click(),
    ]);
    await check(leader, "staff questions list (leader)", "staff", await leader.reload());
    await visit(leader, `/quan-tri/hoi-dap/${ids.question.drafted}`, "staff question (leader)", "staff");
  });

  test("staff: surveys, the calendar of days off", { timeout: 90_000 }, async () => {
    const coordinator = await staff("dieuphoi");
    await visit(coordinator, "/quan-tri/khao-sat", "staff surveys", "staff");
    await visit(coordinator, "/quan-tri/ngay-nghi", "staff days off", "staff");
  });

  test("events: the public list and page, the staff list, form and an approved event", {
    timeout: 90_000,
  }, async () => {
    await visit(citizen, "/su-kien", "events", "public");
    await visit(citizen, `/su-kien/${ids.event}`, "one event", "public");
    const officer = await staff("canbo");
    await visit(officer, "/quan-tri/su-kien", "staff events", "staff");
    await visit(officer, "/quan-tri/su-kien/moi", "staff event form", "staff");
    await visit(officer, `/quan-tri/su-kien/${ids.event}`, "staff event (approved)", "staff");
  });

  test("news: the public list and article, the staff list, form, article, versions compared, posters", {
    timeout: 90_000,
  }, async () => {
    await visit(citizen, "/tin-tuc", "news", "public");
    await visit(citizen, `/tin-tuc/${ids.article}`, "one article", "public");
    const officer = await staff("canbo");
    await visit(officer, "/quan-tri/tin-tuc", "staff news", "staff");
    await visit(officer, "/quan-tri/tin-tuc/moi", "staff article form", "staff");
    await visit(officer, `/quan-tri/tin-tuc/${ids.article}`, "staff article (published)", "staff");
    await visit(officer, `/quan-tri/tin-tuc/${ids.article}/so-sanh?tu=1&den=2`, "staff article versions", "staff");
    await visit(officer, "/quan-tri/tin-tuc/bang-ron", "staff posters", "staff");
  });

  test("documents: the public library and a document, the staff list, form and a document", {
    timeout: 90_000,
  }, async () => {
    await visit(citizen, "/van-ban", "documents", "public");
    await visit(citizen, `/van-ban/${ids.document}`, "one document", "public");
    const officer = await staff("canbo");
    await visit(officer, "/quan-tri/van-ban", "staff documents", "staff");
    await visit(officer, "/quan-tri/van-ban/moi", "staff document form", "staff");
    await visit(officer, `/quan-tri/van-ban/${ids.document}`, "staff document", "staff");
  });

  test("radio: the public list and a bulletin with its player, the staff list, form, bulletin, clusters, abbreviations", {
    timeout: 90_000,
  }, async () => {
    await visit(citizen, "/phat-thanh", "radio bulletins", "public");
    await visit(citizen, `/phat-thanh/${ids.bulletin}`, "one radio bulletin", "public");
    const officer = await staff("canbo");
    await visit(officer, "/quan-tri/phat-thanh", "staff radio", "staff");
    await visit(officer, "/quan-tri/phat-thanh/moi", "staff bulletin form", "staff");
    await visit(officer, `/quan-tri/phat-thanh/${ids.bulletin}`, "staff bulletin (approved)", "staff");
    await visit(officer, "/quan-tri/phat-thanh/cum-loa", "staff loudspeaker clusters", "staff");
    await visit(officer, "/quan-tri/phat-thanh/viet-tat", "staff abbreviations", "staff");
    // The second factor's set-up (QR code, secret, code field): read here, never confirmed, so logins stay one step.
    await visit(officer, "/quan-tri/tai-khoan/xac-thuc-hai-buoc", "staff second factor set-up", "staff");
  });

  test("staff: personal data — the search, its results, the consent texts", { timeout: 90_000 }, async () => {
    const admin = await staff("quantri");
    await visit(admin, "/quan-tri/du-lieu-ca-nhan", "staff personal data", "staff");
    await admin.locator("#main input[name=q]").fill(CITIZEN.phone);
    await submit(admin, "Tìm", "staff personal data results", "staff");
    assert.ok(
      ((await admin.locator("main").textContent()) ?? "").includes(ids.feedback.published?.code ?? "?"),
      "the citizen's items are found",
    );
    await visit(admin, "/quan-tri/du-lieu-ca-nhan/dong-y", "staff consent texts", "staff");
  });

  test("staff: the operator's provinces, a province's view and its accounts, the jobs", {
    timeout: 90_000,
  }, async () => {
    const admin = await staff("quantri");
    await visit(admin, "/quan-tri/viec-nen", "staff background jobs", "staff");
    await visit(admin, "/quan-tri/tinh", "operator's provinces", "staff");
    await visit(admin, "/quan-tri/tinh/51", "operator's view of a province", "staff");
    await visit(admin, "/quan-tri/tinh/51/tai-khoan", "province accounts", "staff");
    await visit(admin, "/quan-tri/tinh/51/tai-khoan/moi", "new province account", "staff");
    await submit(admin, "Tạo tài khoản", "new province account with errors", "staff", 400);
    await assertErrorSummary(admin, "new province account form", 3);
  });

  test("a staff form sent empty lists its errors, each linking to its field", { timeout: 90_000 }, async () => {
    const coordinator = await staff("dieuphoi");
    await visit(coordinator, "/quan-tri/khao-sat", "staff surveys (before the empty submit)", "staff");
    await submit(coordinator, "Tạo khảo sát", "staff survey form with errors", "staff", 400);
    await assertErrorSummary(coordinator, "staff survey form", 1);
  });

  test("the checks catch what they are for: a script, a wide table, an unlabelled field, an image without text", async () => {
    const page = await newPage(browser, { viewport: PHONE });
    try {
      const broken =
        '<!doctype html><html lang="vi"><head><meta charset="utf-8"><title>Hỏng</title></head><body><main><h1>Hỏng</h1>' +
        '<script>void 0</script><table><tr><td style="min-width:500px">rộng</td></tr></table>' +
        '<form><input type="text" name="x"><button style="all:initial">Gửi</button></form>' +
        '<img src="data:," width="10" height="10"></main></body></html>';
      await page.route(`${base}/__hong`, (route) => route.fulfill({ contentType: "text/html", body: broken }));
      const response = await page.goto(`${base}/__hong`);
      assert.ok(response, "a response");
      const problems = (await problemsOf(page, "public", response)).join("\n");
      for (const expected of [
        /<script> element/,
        /scrolls sideways: table td/,
        /without a label: <input/,
        /image-alt/,
        /smaller than 44×44px to tap: .*button Gửi/,
      ])
        assert.match(problems, expected);
    } finally {
      weights.delete("GET /__hong");
      await page.close();
    }
  });

  test("every page was checked", (t) => {
    const sizes = [...weights.entries()].sort((a, b) => b[1] - a[1]);
    t.diagnostic(
      `public HTML of ${sizes.length} pages: ${sizes.at(-1)?.[1]}–${sizes[0]?.[1]} bytes (heaviest ${sizes[0]?.[0]})`,
    );
    for (const label of [
      "feedback form",
      "lookup result with an answer",
      "answered feedback",
      "answered feedback, searched",
      "one answered feedback",
      "questions list",
      "ask form",
      "FAQ entry",
      "home",
      "survey list",
      "survey form",
      "procedure",
      "notice board",
      "survey results",
      "search with results",
      "search without results",
      "feedback receipt",
      "staff feedback item (received)",
      "staff feedback item (published)",
      "staff feedback entry form",
      "staff questions list",
      "staff questions list (officer)",
      "staff questions list (leader)",
      "staff question (new)",
      "staff surveys",
      "staff days off",
      "staff personal data results",
      "staff consent texts",
      "events",
      "one event",
      "staff events",
      "staff event form",
      "staff event (approved)",
    ])
      assert.ok(checked.includes(label), `checked: ${label}`);
  });
});
