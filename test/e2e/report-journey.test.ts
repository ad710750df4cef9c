// From one recorded activity to the province's table (issue 9, "Done when"), in Chromium against the real app over
// SQLite, each person in a browser session of their own:
//   the radio unit's officer records a bulletin on their task (the plain form, no JavaScript widget) → the office
//   opens the first-quarter 2024 report, sees the bulletin counted, saves the draft and submits it → the leader
//   approves it → the office issues it with the register's number → the province's table of its wards, read by
//   anyone, counts the activity under Phường Đức Phổ and shows the report just issued. The issued report's PDF, as the
//   office downloads it, opens in Chromium's own PDF viewer with its Vietnamese title and every page.
// axe-core must report no serious or critical violation on the pages of the journey.
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { after, before, test } from "node:test";
import { pathToFileURL } from "node:url";
import type { Browser, Page } from "playwright-core";
import sharp from "sharp";
import { createWorld, pw, type TestWorld, testDatabases } from "../helpers/env.ts";
import { importSeedPlan, leadTaskOf } from "../helpers/fixtures.ts";
import { assertNoSeriousA11y, describeBrowser, launchBrowser, newPage, serveApp } from "./browser.ts";

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
    await Promise.all([page.waitForNavigation(), page.getByRole("button", { name }).click()]);
    const errors = page.locator(".error-summary");
    assert.equal(await errors.count(), 0, `${name}: ${(await errors.count()) ? await errors.textContent() : ""}`);
  };

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
    const page = await staffPage("daitt");
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
    const page = await staffPage("dieuphoi");
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
    const leader = await staffPage("lanhdao");
    await leader.goto(reportUrl);
    await press(leader, "Duyệt báo cáo");
    await leader.close();

    const office = await staffPage("dieuphoi");
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

  test("the issued report's PDF opens in Chromium's PDF viewer with its Vietnamese title and all its pages", {
    timeout: 240_000,
  }, async () => {
    const office = await staffPage("dieuphoi");
    const res = await office.request.get(`${reportUrl}/tai.pdf`, { timeout: 180_000 });
    assert.equal(res.status(), 200, "the office downloads the PDF");
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "cchc-pdf-view-"));
    const file = path.join(dir, "bao-cao-quy-1-2024.pdf");
    fs.writeFileSync(file, await res.body());
    try {
      const info = execFileSync("pdfinfo", [file], { encoding: "utf8" });
      const pages = Number(/^Pages:\s+(\d+)/m.exec(info)?.[1]);
      assert.ok(pages >= 1, `pdfinfo reads its pages: ${info}`);

      // The viewer is Chromium's built-in extension (PDFium); it shows the PDF's own title and its page count.
      const viewer = await newPage(browser, { viewport: { width: 1000, height: 1200 } });
      await viewer.goto(pathToFileURL(file).href);
      const state = async () => {
        const frame = viewer.frames().find((f) => f.url().startsWith("chrome-extension://"));
        if (!frame) return null;
        return frame.evaluate(() => {
          const toolbar = document.querySelector("pdf-viewer")?.shadowRoot?.querySelector("viewer-toolbar");
          const selector = toolbar?.shadowRoot?.querySelector("viewer-page-selector") as { docLength?: number } | null;
          return {
            title: toolbar?.shadowRoot?.querySelector("#title")?.textContent?.trim() ?? "",
            pages: Number(selector?.docLength ?? 0),
          };
        });
      };
      let seen: Awaited<ReturnType<typeof state>> = null;
      for (let until = Date.now() + 90_000; Date.now() < until; await viewer.waitForTimeout(500)) {
        seen = await state().catch(() => null);
        if (seen && seen.pages > 0) break;
      }
      assert.equal(seen?.pages, pages, `the viewer laid out every page: ${JSON.stringify(seen)}`);
      const title = "BÁO CÁO Kết quả thực hiện công tác tuyên truyền cải cách hành chính quý I năm 2024";
      assert.equal(seen?.title, title, "the viewer reads the Vietnamese title from the PDF, diacritics intact");
      assert.equal(seen?.title, seen?.title.normalize("NFC"), "and in NFC");
      // The page is drawn: a screenshot of the document area is not one flat colour.
      const shot = await viewer.screenshot({ clip: { x: 400, y: 100, width: 500, height: 400 } });
      const { channels } = await sharp(shot).stats();
      const spread = channels[0]?.stdev ?? 0;
      assert.ok(spread > 10, `the viewer painted the page's text (brightness spread ${spread.toFixed(1)})`);
      await viewer.close();
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
      await office.close();
    }
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
