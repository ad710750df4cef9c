// A residents' meeting from draft to the plan's progress and back (issue 10 §4, "Done when"), in Chromium against
// the real app over SQLite, each person in a browser session of their own:
//   the radio unit's officer drafts the meeting (on a day of the seed plan's year) and submits it → the office
//   reviews it → the leader approves it → it is on the public /su-kien list and its page (no JavaScript) → the
//   officer marks it held with the people present by group and writes its minutes (biên bản) → the ledger shows one
//   activity and the plan page counts it with its audience → the leader withdraws it → the ledger and the plan's
//   figure are back where they were, and the public page says it was cancelled.
// axe-core must report no serious or critical violation on the pages of the journey.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import type { Browser, Page } from "playwright-core";
import { createWorld, pw, type TestWorld, testDatabases } from "../helpers/env.ts";
import { importSeedPlan } from "../helpers/fixtures.ts";
import { assertNoSeriousA11y, describeBrowser, launchBrowser, newPage, press, serveApp, staffPage } from "./browser.ts";

const TIMEOUT_MS = 30_000;
const TITLE = "Sinh hoạt tổ dân phố 4 về đăng ký cư trú trực tuyến";
/** The seed plan's year: the ledger attaches the activity to the plan in force on the meeting's day. */
const LEDGER = "/quan-tri/hoat-dong?tu=2024-01-01&den=2024-12-31";

describeBrowser("events journey: drafted, approved, announced, held with minutes, counted, withdrawn", () => {
  let w: TestWorld;
  let server: Awaited<ReturnType<typeof serveApp>> | undefined;
  let base = "";
  let browser: Browser;
  let planId = 0;
  let eventUrl = "";
  let figureBefore = { activities: 0, audience: 0 };

  const staff = (username: string) => staffPage(browser, base, username, pw(username), TIMEOUT_MS);

  /** The plan page's figure "N hoạt động tuyên truyền, M lượt người được tiếp cận". */
  const planFigure = async (page: Page) => {
    await page.goto(`${base}/quan-tri/ke-hoach/${planId}`);
    const line = page.getByText(/hoạt động tuyên truyền, [\d.]+ lượt người/);
    const m = /([\d.]+) hoạt động tuyên truyền, ([\d.]+) lượt người/.exec((await line.textContent()) ?? "");
    assert.ok(m, "the plan page shows its progress figure");
    return { activities: Number(m[1]?.replace(/\./g, "")), audience: Number(m[2]?.replace(/\./g, "")) };
  };

  /** The ledger's count of activities in the seed plan's year. */
  const ledgerCount = async (page: Page) => {
    await page.goto(`${base}${LEDGER}`);
    return Number(await page.locator("strong[data-count]").first().getAttribute("data-count"));
  };

  before(async () => {
    const sqlite = testDatabases().find((d) => d.name === "sqlite");
    if (!sqlite) throw new Error("the SQLite test database is missing");
    w = await createWorld(sqlite);
    await importSeedPlan(w);
    planId = (await w.db.kysely.selectFrom("plans").select("id").executeTakeFirstOrThrow()).id;
    await w.createStaff("daitt", "officer", "radio");
    await w.createStaff("dieuphoi", "coordinator", "office");
    await w.createStaff("lanhdao", "leader");
    server = await serveApp(w.app.fetch);
    base = server.base;
    browser = await launchBrowser();
  });

  after(async () => {
    await browser?.close();
    await server?.close();
    await w?.cleanup();
  });

  test("the office notes the plan's figure before", { timeout: 120_000 }, async () => {
    const page = await staff("dieuphoi");
    figureBefore = await planFigure(page);
    assert.equal(await ledgerCount(page), figureBefore.activities, "the ledger and the plan agree");
    await page.close();
  });

  test("the radio unit's officer drafts the meeting and submits it", { timeout: 120_000 }, async () => {
    const page = await staff("daitt");
    await page.goto(`${base}/quan-tri/su-kien`);
    await Promise.all([page.waitForNavigation(), page.getByRole("link", { name: "Thêm sự kiện" }).click()]);
    await page.locator("#title").fill(TITLE);
    await page.locator("#kind").selectOption("residential");
    await page.locator("#place").fill("Nhà văn hóa tổ dân phố 4");
    await page.locator("#startsOn").fill("15/03/2024");
    await page.locator("#startsAt").fill("19:30");
    await page.locator("#endsAt").fill("21:00");
    await page.locator("#partners").fill("Ban công tác Mặt trận tổ dân phố 4\nChi hội Phụ nữ tổ dân phố 4");
    await page.locator('input[name="areaIds"]').first().check();
    await page.locator("#expectedAudience").fill("100");
    await page.locator("#description").fill("Hướng dẫn người dân đăng ký thường trú, tạm trú trên Cổng dịch vụ công.");
    await assertNoSeriousA11y(page, "event form");
    await press(page, "Lưu dự thảo");
    eventUrl = page.url().replace(/\?.*$/, "");
    assert.match(eventUrl, /\/quan-tri\/su-kien\/\d+$/, "the draft has its page");
    await press(page, "Trình Văn phòng");
    assert.match((await page.locator("main").textContent()) ?? "", /Chờ Văn phòng xem xét/, "submitted");
    await assertNoSeriousA11y(page, "event page (submitted)");
    await page.close();
  });

  test("the office reviews it, the leader approves it, the public sees it", { timeout: 120_000 }, async () => {
    const office = await staff("dieuphoi");
    await office.goto(eventUrl);
    await press(office, "Đã xem xét, trình lãnh đạo");
    await office.close();
    const leader = await staff("lanhdao");
    await leader.goto(eventUrl);
    await press(leader, "Duyệt và thông báo công khai");
    assert.match((await leader.locator("main").textContent()) ?? "", /Đã duyệt, thông báo công khai/, "approved");
    await leader.close();

    // A phone; the pages need no JavaScript (the last step reads one without), axe-core itself does.
    const visitor = await newPage(browser, { viewport: { width: 360, height: 740 } });
    visitor.setDefaultTimeout(TIMEOUT_MS);
    await visitor.goto(`${base}/su-kien`);
    await assertNoSeriousA11y(visitor, "public events list");
    await Promise.all([visitor.waitForNavigation(), visitor.getByRole("link", { name: TITLE }).click()]);
    assert.equal(await visitor.getByRole("heading", { level: 1 }).textContent(), TITLE, "its public page");
    assert.match((await visitor.locator("main").textContent()) ?? "", /Nhà văn hóa tổ dân phố 4/, "with its place");
    await assertNoSeriousA11y(visitor, "public event page");
    await visitor.close();
  });

  test("the officer marks it held with the people present and writes its minutes", { timeout: 120_000 }, async () => {
    const page = await staff("daitt");
    await page.goto(eventUrl);
    await page.getByLabel("Cán bộ, công chức").fill("6");
    await page.getByLabel("Hội viên, đoàn viên").fill("20");
    await page.getByLabel("Người dân").fill("74");
    await press(page, "Ghi nhận đã tổ chức");
    assert.match((await page.locator("main").textContent()) ?? "", /Tham dự\s*100 người/, "100 people present");

    await Promise.all([page.waitForNavigation(), page.getByRole("link", { name: "Viết biên bản" }).click()]);
    await page.locator("#chairName").fill("Nguyễn Văn An");
    await page.locator("#chairTitle").fill("Tổ trưởng tổ dân phố 4");
    await page.locator("#secretaryName").fill("Trần Thị Bích");
    await page
      .locator("#attendees")
      .fill("Đại diện UBND phường\nBan công tác Mặt trận tổ dân phố 4\nNgười dân tổ dân phố 4");
    await page
      .locator("#agenda")
      .fill("Cán bộ Đài truyền thanh hướng dẫn đăng ký cư trú trực tuyến.\n- Các bước nộp hồ sơ");
    await page.locator("#opinions").fill("Người dân đề nghị có buổi hướng dẫn trực tiếp tại nhà văn hóa.");
    await page.locator("#conclusions").fill("Tổ dân phố phối hợp tổ chức buổi hướng dẫn trực tiếp vào tháng 4.");
    await assertNoSeriousA11y(page, "minutes form");
    await press(page, "Lưu biên bản");
    assert.match((await page.locator("main").textContent()) ?? "", /Đã lưu biên bản/, "saved");
    const docx = await page.request.get(`${eventUrl}/bien-ban.docx`);
    assert.equal(docx.status(), 200, "the minutes download as a DOCX");
    await page.close();
  });

  test("the ledger shows one activity and the plan's figure moves", { timeout: 120_000 }, async () => {
    const page = await staff("dieuphoi");
    assert.equal(await ledgerCount(page), figureBefore.activities + 1, "one more activity in the ledger");
    assert.equal(await page.getByRole("cell", { name: TITLE }).count(), 1, "the meeting is listed once");
    await assertNoSeriousA11y(page, "ledger with the meeting");
    const after = await planFigure(page);
    assert.deepEqual(
      after,
      { activities: figureBefore.activities + 1, audience: figureBefore.audience + 100 },
      "the plan counts the meeting and its 100 people",
    );
    await assertNoSeriousA11y(page, "plan page with the meeting");
    await page.close();
  });

  test("the leader withdraws it: the ledger and the plan are back, the public page says so", {
    timeout: 120_000,
  }, async () => {
    const leader = await staff("lanhdao");
    await leader.goto(eventUrl);
    await leader.locator("#huy-reason").fill("Ghi nhận nhầm buổi sinh hoạt của tổ dân phố khác");
    await press(leader, "Hủy sự kiện");
    assert.match((await leader.locator("main").textContent()) ?? "", /Đã hủy/, "withdrawn");
    await leader.close();

    const office = await staff("dieuphoi");
    assert.equal(await ledgerCount(office), figureBefore.activities, "the ledger no longer counts it");
    assert.deepEqual(await planFigure(office), figureBefore, "the plan's figure is back");
    await office.close();

    const visitor = await newPage(browser, { javaScriptEnabled: false });
    visitor.setDefaultTimeout(TIMEOUT_MS);
    await visitor.goto(eventUrl.replace("/quan-tri", ""));
    assert.match((await visitor.locator("main").textContent()) ?? "", /Sự kiện này đã hủy/, "cancelled in public");
    await visitor.close();
  });
});
