// An article from draft to the public and back (issue 10 §2, "Done when"), in Chromium against the real app over
// SQLite, each person in a browser session of their own, with plain forms (no JavaScript widget):
//   the radio unit's officer writes an article and adds a photo, and submits it → the office reviews it → the
//   leader approves and publishes it now → anyone reads it at /tin-tuc with its photo; the ledger holds exactly one
//   activity for it and the plan's progress counts it → the leader withdraws it with a reason: its page is gone and
//   the plan's progress no longer counts it.
// axe-core must report no serious or critical violation on the pages of the journey.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import type { Browser, Page } from "playwright-core";
import sharp from "sharp";
import { SYSTEM_ACTOR } from "../../src/core/audit.ts";
import { vnToday } from "../../src/core/text/vi.ts";
import { confirmPlanImport } from "../../src/features/plans/plans.service.ts";
import { resolveWard } from "../../src/features/units/units.service.ts";
import { createWorld, pw, seedPlanText, type TestWorld, testDatabases } from "../helpers/env.ts";
import { assertNoSeriousA11y, describeBrowser, launchBrowser, newPage, serveApp } from "./browser.ts";

const TIMEOUT_MS = 30_000;
const TITLE = "Phường hướng dẫn đăng ký khai sinh trực tuyến tại tổ dân phố";
/** The seed plan moved to this year (its dates, 2024 → 2026), so an article published today counts under it. */
const NOW = new Date("2026-03-04T03:00:00Z");

describeBrowser("an article drafted, reviewed, approved, published, counted and withdrawn", () => {
  let w: TestWorld;
  let server: Awaited<ReturnType<typeof serveApp>> | undefined;
  let base = "";
  let browser: Browser;
  let planId = 0;
  let articleUrl = "";

  const staffPage = async (username: string): Promise<Page> => {
    const page = await newPage(browser);
    page.setDefaultTimeout(TIMEOUT_MS);
    await page.goto(`${base}/dang-nhap`);
    await page.getByLabel("Tên đăng nhập").fill(username);
    await page.getByLabel("Mật khẩu").fill(pw(username));
    await Promise.all([page.waitForURL(/\/quan-tri/), page.getByRole("button", { name: "Đăng nhập" }).click()]);
    return page;
  };

  /** Press a button that posts and redirects; the page that comes back has no error summary. */
  const press = async (page: Page, name: string) => {
    await Promise.all([page.waitForNavigation(), page.getByRole("button", { name, exact: true }).click()]);
    const errors = page.locator(".error-summary");
    assert.equal(await errors.count(), 0, `${name}: ${(await errors.count()) ? await errors.textContent() : ""}`);
  };

  /** "N hoạt động tuyên truyền" on the public plan page, as anyone reads it. */
  const planActivities = async (): Promise<number> => {
    const page = await newPage(browser);
    await page.goto(`${base}/ke-hoach/${planId}`);
    const text = (await page.locator("#main").textContent()) ?? "";
    await page.close();
    const n = /(\d+) hoạt động tuyên truyền/.exec(text)?.[1];
    assert.ok(n != null, "the plan page states its activities");
    return Number(n);
  };

  const ledgerRows = () =>
    w.db.kysely
      .selectFrom("activities")
      .select(["id", "channel_kind", "plan_id"])
      .where("source", "=", "news")
      .execute();

  before(async () => {
    const sqlite = testDatabases().find((d) => d.name === "sqlite");
    if (!sqlite) throw new Error("the SQLite test database is missing");
    w = await createWorld(sqlite, { now: NOW });
    const today = vnToday(w.now());
    const ward = await resolveWard(w.db.kysely, "21439", today, "21439");
    assert.ok(ward, "the demo ward resolves");
    const plan = await confirmPlanImport(w.db.kysely, SYSTEM_ACTOR, ward, seedPlanText().replaceAll("2024", "2026"), {
      now: w.now(),
      today,
    });
    assert.ok(plan.ok, "this year's plan is imported");
    planId = plan.ok ? plan.planId : 0;
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

  test("the radio unit's officer writes the article, adds a photo and submits it", { timeout: 120_000 }, async () => {
    const before = await planActivities();
    assert.equal(before, 0, "nothing counted yet");
    const page = await staffPage("daitt");
    await page.goto(`${base}/quan-tri/tin-tuc`);
    await Promise.all([page.waitForNavigation(), page.getByRole("link", { name: "Viết bài" }).click()]);
    await page.getByLabel("Loại bài").selectOption("news");
    await page.locator("#title").fill(TITLE);
    await page.locator("#summary").fill("Cán bộ phường đến từng tổ dân phố hướng dẫn người dân nộp hồ sơ khai sinh.");
    await page
      .locator("#body")
      .fill("Trong tháng 3, cán bộ tư pháp đến các tổ dân phố.\n\n## Kết quả\n\n- 45 hồ sơ nộp trực tuyến");
    await page.locator("input[name=areaIds]").first().check();
    await press(page, "Lưu dự thảo");
    articleUrl = page.url().replace(/\?.*$/, "");
    assert.match(articleUrl, /\/quan-tri\/tin-tuc\/\d+$/, "the draft has its page");

    const photo = await sharp({ create: { width: 1200, height: 800, channels: 3, background: "#3a7" } })
      .jpeg()
      .toBuffer();
    await page.locator("#photo").setInputFiles({ name: "anh.jpg", mimeType: "image/jpeg", buffer: photo });
    await page.locator("#alt").fill("Cán bộ hướng dẫn người dân tại nhà văn hóa tổ dân phố");
    await press(page, "Thêm ảnh");
    assert.equal(await page.locator("main img[alt^='Cán bộ hướng dẫn']").count(), 1, "the photo is shown with its alt");
    await assertNoSeriousA11y(page, "draft article");
    await press(page, "Trình Văn phòng");
    assert.match((await page.locator("main").textContent()) ?? "", /Chờ Văn phòng xem xét/, "submitted");
    await page.close();
  });

  test("the office reviews it, the leader approves and publishes it: one activity, the plan counts it", {
    timeout: 120_000,
  }, async () => {
    const office = await staffPage("dieuphoi");
    await office.goto(articleUrl);
    await press(office, "Đã xem xét, trình lãnh đạo");
    await office.close();

    const leader = await staffPage("lanhdao");
    await leader.goto(articleUrl);
    await assertNoSeriousA11y(leader, "article waiting for approval");
    await press(leader, "Duyệt và đăng");
    assert.match((await leader.locator("main").textContent()) ?? "", /Đã đăng/, "published");
    await leader.close();

    const citizen = await newPage(browser);
    await citizen.goto(`${base}/tin-tuc`);
    const href = await citizen.getByRole("link", { name: TITLE }).getAttribute("href");
    assert.equal((await citizen.goto(`${base}${href}`))?.status(), 200, "the list links to the article's page");
    assert.equal(await citizen.locator("h1").textContent(), TITLE, "the article's page");
    assert.equal(await citizen.locator("main img[alt^='Cán bộ hướng dẫn']").count(), 1, "with its photo");
    await assertNoSeriousA11y(citizen, "public article");
    await citizen.close();

    const rows = await ledgerRows();
    assert.equal(rows.length, 1, "exactly one ledger activity");
    assert.equal(rows[0]?.channel_kind, "web_portal", "on the ward's website");
    assert.equal(rows[0]?.plan_id, planId, "under the plan in force");
    assert.equal(await planActivities(), 1, "the plan's progress counts it");
  });

  test("the leader withdraws it with a reason: gone from the public, no longer counted", {
    timeout: 120_000,
  }, async () => {
    const leader = await staffPage("lanhdao");
    await leader.goto(articleUrl);
    await leader.getByLabel("Lý do (gỡ bài)").fill("Số liệu hồ sơ cần được cập nhật lại");
    await press(leader, "Gỡ bài");
    assert.match((await leader.locator("main").textContent()) ?? "", /Đã gỡ/, "withdrawn");
    await leader.close();

    const citizen = await newPage(browser);
    const res = await citizen.goto(`${base}/tin-tuc/${articleUrl.split("/").pop()}`);
    assert.equal(res?.status(), 404, "its page is gone");
    await citizen.goto(`${base}/tin-tuc`);
    assert.equal(await citizen.getByRole("link", { name: TITLE }).count(), 0, "not listed");
    await citizen.close();
    assert.equal((await ledgerRows()).length, 0, "the ledger no longer holds it");
    assert.equal(await planActivities(), 0, "the plan's progress no longer counts it");
  });
});
