// The ward radio's journey (issue 10 §3, "Done when"), in Chromium against the real app over SQLite, each person in
// a browser session of their own: the radio unit's officer drafts a bulletin in the plain form (no JavaScript
// widget) → the office reviews it → the leader approves it → the speech job runs (as the server's runner would) and
// the public page plays it → the officer logs the broadcast through the ward's loudspeaker clusters → the ledger
// shows one activity with the estimated listens and the plan's progress counts it with them → the leader withdraws
// the bulletin: the activity is gone and the plan's progress is back.
// axe-core must report no serious or critical violation on the pages of the journey.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import type { Browser, Page } from "playwright-core";
import { runDueJobs } from "../../src/core/jobs/jobs.ts";
import { createLogger } from "../../src/core/log.ts";
import { speechAvailable } from "../../src/features/radio/speech.ts";
import { createWorld, pw, type TestWorld, testDatabases } from "../helpers/env.ts";
import { importSeedPlan } from "../helpers/fixtures.ts";
import { assertNoSeriousA11y, describeBrowser, launchBrowser, newPage, serveApp } from "./browser.ts";

const TIMEOUT_MS = 30_000;
const TITLE = "Bản tin cải cách hành chính sáng thứ Hai";

describeBrowser("the ward radio: drafted, approved, spoken, aired, counted, withdrawn", () => {
  let w: TestWorld;
  let server: Awaited<ReturnType<typeof serveApp>> | undefined;
  let base = "";
  let browser: Browser;
  let bulletinUrl = "";
  let planId = 0;
  let figureBefore = { activities: 0, audience: 0 };

  const staffPage = async (username: string): Promise<Page> => {
    const page = await newPage(browser);
    page.setDefaultTimeout(TIMEOUT_MS);
    await page.goto(`${base}/dang-nhap`);
    await page.getByLabel("Tên đăng nhập").fill(username);
    await page.getByLabel("Mật khẩu").fill(pw(username));
    await Promise.all([page.waitForURL(/\/quan-tri/), page.getByRole("button", { name: "Đăng nhập" }).click()]);
    return page;
  };

  const press = async (page: Page, name: string) => {
    await Promise.all([page.waitForNavigation(), page.getByRole("button", { name, exact: true }).click()]);
    const errors = page.locator(".error-summary");
    assert.equal(await errors.count(), 0, `${name}: ${(await errors.count()) ? await errors.textContent() : ""}`);
  };

  const activities = () =>
    w.db.kysely
      .selectFrom("activities")
      .select(["id", "audience", "channel_kind", "plan_id"])
      .where("source", "=", "radio")
      .execute();

  /** The plan page's figure "N hoạt động tuyên truyền, M lượt người được tiếp cận", as staff read it. */
  const planFigure = async (page: Page) => {
    await page.goto(`${base}/quan-tri/ke-hoach/${planId}`);
    const line = page.getByText(/hoạt động tuyên truyền, [\d.]+ lượt người/);
    const m = /([\d.]+) hoạt động tuyên truyền, ([\d.]+) lượt người/.exec((await line.textContent()) ?? "");
    assert.ok(m, "the plan page shows its progress figure");
    return { activities: Number(m[1]?.replace(/\./g, "")), audience: Number(m[2]?.replace(/\./g, "")) };
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

  test("the officer drafts a bulletin and sees its reading", { timeout: 120_000 }, async () => {
    const page = await staffPage("daitt");
    await page.goto(`${base}/quan-tri/phat-thanh`);
    await assertNoSeriousA11y(page, "staff radio list");
    await page.getByRole("link", { name: "Soạn bản tin", exact: true }).click();
    await page.getByLabel("Tên bản tin").fill(TITLE);
    // In the seed plan's year, so the broadcast counts under the plan.
    await page.getByLabel("Ngày phát").fill("20/02/2024");
    await page.locator("#item1Title").fill("Đăng ký thường trú trực tuyến");
    await page
      .locator("#item1Script")
      .fill(
        "Từ ngày 19/02/2024, UBND phường tiếp nhận hồ sơ đăng ký thường trú trên Cổng dịch vụ công, lệ phí 15.000 đồng.",
      );
    await assertNoSeriousA11y(page, "bulletin form");
    await press(page, "Lưu dự thảo");
    bulletinUrl = new URL(page.url()).pathname;
    await page
      .getByText("ngày mười chín tháng hai năm hai nghìn không trăm hai mươi tư, Ủy ban nhân dân phường")
      .waitFor();
    await assertNoSeriousA11y(page, "bulletin page");
    await press(page, "Trình Văn phòng");
    await page.close();
  });

  test("the office reviews it, the leader approves it, the speech is made in the background", {
    timeout: 120_000,
  }, async () => {
    const office = await staffPage("dieuphoi");
    await office.goto(`${base}${bulletinUrl}`);
    await press(office, "Đã xem xét, trình lãnh đạo");
    await office.goto(`${base}/quan-tri/phat-thanh/cum-loa`);
    await office.getByLabel("Tên cụm loa").fill("Cụm loa tổ dân phố 3");
    await office.getByLabel("Số người nghe ước tính").fill("1.500");
    await press(office, "Thêm cụm loa");
    await assertNoSeriousA11y(office, "clusters page");
    await office.close();
    const leader = await staffPage("lanhdao");
    await leader.goto(`${base}${bulletinUrl}`);
    await press(leader, "Duyệt bản tin");
    await leader.getByText("Đã duyệt, chờ phát").first().waitFor();
    await leader.close();
    await runDueJobs({ db: w.db, now: w.now(), log: createLogger("silent"), dataDir: w.dataDir, files: w.files });
    const citizen = await newPage(browser);
    await citizen.goto(`${base}/phat-thanh`);
    await citizen.getByRole("link", { name: TITLE }).waitFor();
    if (await speechAvailable()) {
      const src = await citizen.locator("audio").first().getAttribute("src");
      assert.match(src ?? "", /\/phat-thanh\/\d+\/am-thanh\.mp3$/, "a player of the bulletin's MP3");
      await citizen.getByRole("link", { name: /Tải tệp âm thanh/ }).waitFor();
    }
    await assertNoSeriousA11y(citizen, "public radio page");
    await citizen.close();
  });

  test("the officer logs the broadcast: one ledger activity, the plan's progress moves; withdrawing undoes both", {
    timeout: 120_000,
  }, async () => {
    const page = await staffPage("daitt");
    figureBefore = await planFigure(page);
    await page.goto(`${base}${bulletinUrl}`);
    await page.getByLabel("Ngày phát").fill("20/02/2024");
    await page.getByLabel("Giờ phát").fill("06:30");
    await page.getByLabel("Thời lượng (phút)").fill("5");
    await press(page, "Ghi nhận đã phát");
    const rows = await activities();
    assert.equal(rows.length, 1, "one ledger activity");
    assert.equal(rows[0]?.audience, 1500, "the listens estimated from the cluster");
    assert.equal(rows[0]?.channel_kind, "radio", "counted as a radio broadcast");
    assert.equal(rows[0]?.plan_id, planId, "under the plan in force on the day it aired");
    await page.goto(`${base}/quan-tri/hoat-dong?tu=2024-01-01&den=2024-12-31&hinh-thuc=radio`);
    await page.getByText(`Phát thanh: ${TITLE}`).first().waitFor();
    assert.deepEqual(
      await planFigure(page),
      { activities: figureBefore.activities + 1, audience: figureBefore.audience + 1500 },
      "the plan's progress counts the broadcast and its 1.500 listens",
    );
    await assertNoSeriousA11y(page, "plan page with the broadcast");
    await page.close();

    const leader = await staffPage("lanhdao");
    await leader.goto(`${base}${bulletinUrl}`);
    await leader.locator("#huy-reason").fill("Bản tin phát nhầm ngày, sẽ phát lại bản khác");
    await press(leader, "Hủy bản tin");
    assert.equal((await activities()).length, 0, "the activity is gone");
    await leader.goto(`${base}/quan-tri/hoat-dong?tu=2024-01-01&den=2024-12-31&hinh-thuc=radio`);
    assert.equal(await leader.getByText(`Phát thanh: ${TITLE}`).count(), 0, "the ledger no longer lists it");
    assert.deepEqual(await planFigure(leader), figureBefore, "the plan's progress is back");
    await leader.close();
  });
});
