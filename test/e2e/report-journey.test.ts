// From one recorded activity to the province's table (issue 9, "Done when"), in Chromium against the real app over
// SQLite, each person in a browser session of their own:
//   the radio unit's officer records a bulletin on their task (the plain form, no JavaScript widget) → the office
//   opens the first-quarter 2024 report, sees the bulletin counted, saves the draft and submits it → the leader
//   approves it → the office issues it with the register's number → the province's table of its wards, read by
//   anyone, counts the activity under Phường Đức Phổ and shows the report just issued.
// axe-core must report no serious or critical violation on the pages of the journey.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import type { Browser } from "playwright-core";
import { createWorld, pw, type TestWorld, testDatabases } from "../helpers/env.ts";
import { importSeedPlan, leadTaskOf } from "../helpers/fixtures.ts";
import { assertNoSeriousA11y, describeBrowser, launchBrowser, newPage, press, serveApp, staffPage } from "./browser.ts";

const TIMEOUT_MS = 30_000;
const BULLETIN = "Bản tin về đăng ký khai sinh trực tuyến trên Cổng dịch vụ công";
/** The statutory first quarter of 2024 (Nghị định 09/2019/NĐ-CP): 15/12/2023 → 14/03/2024. */
const Q1 = { from: "2023-12-15", to: "2024-03-14" };

describeBrowser("from an activity to an issued report and the province's table", () => {
  let w: TestWorld;
  let server: Awaited<ReturnType<typeof serveApp>> | undefined;
  let base = "";
  let browser: Browser;
  let radioTask = 0;
  let reportUrl = "";

  const staff = (username: string) => staffPage(browser, base, username, pw(username), TIMEOUT_MS);

  before(async () => {
    const sqlite = testDatabases().find((d) => d.name === "sqlite");
    if (!sqlite) throw new Error("the SQLite test database is missing");
    w = await createWorld(sqlite);
    await importSeedPlan(w);
    radioTask = await leadTaskOf(w, "radio");
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

  test("the radio unit's officer records a bulletin on their task", { timeout: 120_000 }, async () => {
    const page = await staff("daitt");
    await page.goto(`${base}/quan-tri/nhiem-vu/${radioTask}`);
    await page.getByLabel("Hình thức tuyên truyền").selectOption("radio");
    await page.getByLabel("Tên hoạt động").fill(BULLETIN);
    await page.getByLabel("Ngày thực hiện").fill("2024-02-20");
    await page.getByLabel("Số lượt người được tiếp cận (không bắt buộc)").fill("1500");
    await page.getByLabel("Kinh phí (đồng, không bắt buộc)").fill("200000");
    await press(page, "Ghi nhận hoạt động");
    await page.getByText(BULLETIN).first().waitFor();
    await assertNoSeriousA11y(page, "task page with the activity");
    await page.close();
  });

  test("the office drafts the first-quarter report: the bulletin is counted; it is saved and submitted", {
    timeout: 120_000,
  }, async () => {
    const page = await staff("dieuphoi");
    await page.goto(`${base}/quan-tri/bao-cao`);
    await page.getByLabel("Loại kỳ báo cáo").selectOption("quarter");
    await page.getByLabel("Năm").fill("2024");
    await page.getByLabel("Quý (khi chọn báo cáo quý)").selectOption("1");
    await press(page, "Xem số liệu và dự thảo");
    const main = page.locator("main");
    assert.match((await main.textContent()) ?? "", /đã thực hiện 1 hoạt động tuyên truyền/, "the bulletin is counted");
    assert.match((await main.textContent()) ?? "", /1\.500 lượt người/, "with its audience");
    await assertNoSeriousA11y(page, "report draft");
    await press(page, "Lưu dự thảo để hoàn thiện và trình ký");
    reportUrl = page.url().replace(/\?.*$/, "");
    assert.match(reportUrl, /\/quan-tri\/bao-cao\/\d+$/, "the saved report has its page");
    await press(page, "Trình lãnh đạo duyệt");
    await page.close();
  });

  test("the leader approves it, the office issues it with the register's number", { timeout: 120_000 }, async () => {
    const leader = await staff("lanhdao");
    await leader.goto(reportUrl);
    await press(leader, "Duyệt báo cáo");
    await leader.close();

    const office = await staff("dieuphoi");
    await office.goto(reportUrl);
    await office.getByLabel("Ngày ban hành").fill("2024-03-18");
    await office.getByLabel("Họ tên người ký").fill("Nguyễn Văn An");
    await press(office, "Ban hành");
    const status = (await office.locator("main").textContent()) ?? "";
    assert.match(status, /Đã ban hành/, "issued");
    assert.match(status, /Số 01\/BC-UBND, ngày 18\/03\/2024/, "with the first number of the ward's register for 2024");
    await assertNoSeriousA11y(office, "issued report");
    await office.close();
  });

  test("the province's table counts the bulletin under Phường Đức Phổ and shows the issued report", {
    timeout: 120_000,
  }, async () => {
    const page = await newPage(browser, { javaScriptEnabled: false, viewport: { width: 360, height: 740 } });
    page.setDefaultTimeout(TIMEOUT_MS);
    const res = await page.goto(`${base}/tinh/51/?tu=${Q1.from}&den=${Q1.to}`);
    assert.equal(res?.status(), 200, "the table is served to anyone");
    const row = page.locator("tbody tr").filter({ has: page.getByRole("link", { name: "Phường Đức Phổ" }) });
    assert.equal(await row.count(), 1, "the ward has one row");
    const cells = (await row.locator("td").allTextContents()).map((t) => t.replace(/\s+/g, " ").trim());
    assert.ok(
      cells.some((t) => /^1\b/.test(t) && /Đài truyền thanh, phát thanh: 1/.test(t)),
      `one activity, on the radio: ${cells.join(" | ")}`,
    );
    assert.ok(cells.includes("1.500"), `its audience: ${cells.join(" | ")}`);
    assert.ok(
      cells.some((t) => /Số 01\/BC-UBND/.test(t) && /18\/03\/2024/.test(t)),
      `the report just issued: ${cells.join(" | ")}`,
    );
    await page.close();
  });
});
