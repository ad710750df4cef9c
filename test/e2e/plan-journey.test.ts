// The coordinator's journey in a real browser (Chromium, driven by playwright-core), against the real app on
// loopback over a real migrated SQLite database:
//   log in → staff home → "Nhập kế hoạch" → upload the seed plan → preview → confirm → plan overview (0 done)
//   → open the radio unit's task → mark it done with a PNG as evidence → task page shows "Hoàn thành" and the
//   evidence link → overview now counts 1 done → public plan page (desktop and phone).
// Then an officer of another unit (justice) opens that task: no update form, and a forged POST gets 403.
// axe-core must report no serious or critical violation on any page visited.
import assert from "node:assert/strict";
import type { AddressInfo } from "node:net";
import { after, before, test } from "node:test";
import { type ServerType, serve } from "@hono/node-server";
import type { Browser, Locator, Page } from "playwright-core";
import { createWorld, pw, seedPlanText, type TestWorld, testDatabases } from "../helpers/env.ts";
import { assertNoSeriousA11y, describeBrowser, launchBrowser, newPage } from "./browser.ts";

const DESKTOP = { width: 1366, height: 900 };
const PHONE = { width: 390, height: 844 };
const TIMEOUT_MS = 30_000;

/** A valid 1×1 PNG: the evidence attached to the task. */
const PNG_1X1 = Buffer.from(
  "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==",
  "base64",
);
const EVIDENCE_NAME = "minh-chung-ban-tin.png";

/** The radio unit's first task in the seed plan (group 4, "Đài truyền thanh phường"). */
const RADIO_TASK = /^Tăng cường công tác thông tin, tuyên truyền cải cách hành chính trên Đài truyền thanh/;

/** Every page the journey must have checked with axe-core, by label. */
const EXPECTED_CHECKS = [
  "login page",
  "staff home",
  "import form",
  "import preview",
  "plan overview (before)",
  "task page",
  "task page after update",
  "plan overview (after)",
  "public plan page (desktop)",
  "public plan page (phone)",
  "login page (officer)",
  "officer's task list",
  "task page seen by another unit's officer",
];

describeBrowser("plan journey: coordinator imports the seed, completes a task, progress moves", () => {
  let world: TestWorld;
  let server: ServerType;
  let base: string;
  let browser: Browser;
  let coordinator: Page;
  let planId = 0;
  let taskPath = "";
  const checked: string[] = [];

  /** axe-core on the page as it is now; every page visited goes through here. */
  const a11y = async (page: Page, label: string) => {
    await assertNoSeriousA11y(page, label);
    checked.push(label);
  };

  const open = async (viewport = DESKTOP) => {
    const page = await newPage(browser, { viewport });
    page.setDefaultTimeout(TIMEOUT_MS);
    page.setDefaultNavigationTimeout(TIMEOUT_MS);
    return page;
  };

  /** The figure "N/M nhiệm vụ hoàn thành" shown above the progress charts. */
  const doneFigure = async (page: Page) => {
    const line = page.getByText(/\d+\/\d+ nhiệm vụ hoàn thành/);
    await line.waitFor();
    const m = /(\d+)\/(\d+) nhiệm vụ hoàn thành/.exec((await line.textContent()) ?? "");
    assert.ok(m, "the progress line is shown");
    return { done: Number(m[1]), total: Number(m[2]) };
  };

  /** The row of the task table whose task text matches. */
  const taskRow = (page: Page, text: RegExp): Locator => page.getByRole("row").filter({ hasText: text });

  const logIn = async (page: Page, username: string, label: string) => {
    const res = await page.goto(`${base}/dang-nhap`);
    assert.equal(res?.status(), 200);
    await page.getByRole("heading", { level: 1, name: "Cán bộ đăng nhập" }).waitFor();
    await a11y(page, label);
    await page.getByLabel("Tên đăng nhập").fill(username);
    await page.getByLabel("Mật khẩu").fill(pw(username));
    await Promise.all([
      page.waitForURL(/\/quan-tri(\/viec-cua-toi)?$/),
      page.getByRole("button", { name: "Đăng nhập" }).click(),
    ]);
  };

  before(async () => {
    const sqlite = testDatabases().find((d) => d.name === "sqlite");
    if (!sqlite) throw new Error("the SQLite test database is missing");
    world = await createWorld(sqlite);
    await world.createStaff("dieuphoi", "coordinator", "office");
    await world.createStaff("canbotuphap", "officer", "justice");
    server = serve({ fetch: world.app.fetch, port: 0, hostname: "127.0.0.1" });
    if (!server.listening) await new Promise<void>((resolve) => server.once("listening", () => resolve()));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    browser = await launchBrowser();
    coordinator = await open();
  });

  after(async () => {
    await browser?.close();
    if (server) {
      if ("closeAllConnections" in server) server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
    await world?.cleanup();
  });

  test("the coordinator logs in and reaches the staff home", { timeout: 120_000 }, async () => {
    const page = coordinator;
    await logIn(page, "dieuphoi", "login page");
    assert.equal(new URL(page.url()).pathname, "/quan-tri");
    await page.getByRole("heading", { level: 1, name: "Tổng quan" }).waitFor();
    await page.getByText("Chưa có kế hoạch.").waitFor();
    await a11y(page, "staff home");
  });

  test("the coordinator imports the seed plan through upload, preview and confirmation", {
    timeout: 120_000,
  }, async () => {
    const page = coordinator;
    await Promise.all([
      page.waitForURL(/\/quan-tri\/ke-hoach\/nhap$/),
      page.getByRole("navigation", { name: "Chính" }).getByRole("link", { name: "Nhập kế hoạch" }).click(),
    ]);
    await page.getByRole("heading", { level: 1, name: "Nhập kế hoạch" }).waitFor();
    await a11y(page, "import form");

    await page.getByLabel("Tệp văn bản").setInputFiles({
      name: "ke-hoach-18-KH-UBND.txt",
      mimeType: "text/plain",
      buffer: Buffer.from(seedPlanText(), "utf8"),
    });
    await page.getByRole("button", { name: "Xem trước" }).click();
    await page.getByRole("heading", { level: 1, name: "Xem trước kế hoạch" }).waitFor();
    await page.getByText("6 nhóm nhiệm vụ với 16 nhiệm vụ", { exact: false }).waitFor();
    await page.getByText("Phường Phổ Minh (mã 21463)").waitFor();
    await a11y(page, "import preview");

    await Promise.all([
      page.waitForURL(/\/quan-tri\/ke-hoach\/\d+\?ket-qua=created$/),
      page.getByRole("button", { name: "Xác nhận và lưu" }).click(),
    ]);
    planId = Number(/\/quan-tri\/ke-hoach\/(\d+)/.exec(page.url())?.[1]);
    assert.ok(planId > 0, "redirected to the new plan's overview");
    await page.getByRole("status").filter({ hasText: "Đã lưu kế hoạch." }).waitFor();
    await page.getByRole("heading", { level: 1, name: /^Kế hoạch 18\/KH-UBND:/ }).waitFor();
    assert.deepEqual(await doneFigure(page), { done: 0, total: 16 });
    // The two progress charts are drawn as labelled SVG images.
    assert.equal(await page.locator("svg[role=img]").count(), 2);
    assert.match((await taskRow(page, RADIO_TASK).getByRole("cell").nth(1).textContent()) ?? "", /Đài truyền thanh/);
    assert.notEqual(
      ((await taskRow(page, RADIO_TASK).locator(".tag").textContent()) ?? "").trim(),
      "Hoàn thành",
      "the task is not done yet",
    );
    await a11y(page, "plan overview (before)");
  });

  test("the coordinator marks the radio unit's task done with a PNG as evidence", { timeout: 120_000 }, async () => {
    const page = coordinator;
    await Promise.all([
      page.waitForURL(/\/quan-tri\/nhiem-vu\/\d+$/),
      page.getByRole("link", { name: RADIO_TASK }).click(),
    ]);
    taskPath = new URL(page.url()).pathname;
    await page.getByRole("heading", { level: 1, name: "Nhiệm vụ" }).waitFor();
    await page.getByText(RADIO_TASK).first().waitFor();
    const form = page.locator("form").filter({ has: page.getByRole("heading", { name: "Cập nhật tiến độ" }) });
    await form.waitFor();
    await a11y(page, "task page");

    await form.getByLabel("Tình trạng", { exact: true }).selectOption({ label: "Hoàn thành" });
    await form.getByLabel("Nội dung cập nhật").fill("Đã phát 4 bản tin CCHC trên Đài truyền thanh phường trong quý I.");
    await form.getByLabel("Minh chứng (không bắt buộc)").setInputFiles({
      name: EVIDENCE_NAME,
      mimeType: "image/png",
      buffer: PNG_1X1,
    });
    await Promise.all([
      page.waitForURL(/\/quan-tri\/nhiem-vu\/\d+\?da-luu=cap-nhat$/),
      form.getByRole("button", { name: "Lưu cập nhật" }).click(),
    ]);
    await page.getByRole("status").filter({ hasText: "Đã lưu cập nhật tiến độ." }).waitFor();

    // The status tag in the task's facts.
    const facts = page.locator("dl.facts");
    assert.equal(((await facts.locator(".tag").textContent()) ?? "").trim(), "Hoàn thành");
    // The evidence is listed under the update, and downloads as the PNG that was sent.
    const link = page.getByRole("link", { name: EVIDENCE_NAME });
    await link.waitFor();
    const href = await link.getAttribute("href");
    assert.match(href ?? "", /^\/quan-tri\/tep\/\d+$/);
    const download = await page.request.get(`${base}${href}`);
    assert.equal(download.status(), 200);
    assert.equal(download.headers()["content-type"], "image/png");
    assert.deepEqual(Buffer.from(await download.body()), PNG_1X1);
    await page.getByText("Đã phát 4 bản tin CCHC").waitFor();
    await a11y(page, "task page after update");
  });

  test("the overview's progress moves from 0 to 1 done", { timeout: 120_000 }, async () => {
    const page = coordinator;
    await Promise.all([
      page.waitForURL(new RegExp(`/quan-tri/ke-hoach/${planId}$`)),
      page.getByRole("link", { name: /^Kế hoạch 18\/KH-UBND:/ }).click(),
    ]);
    assert.deepEqual(await doneFigure(page), { done: 1, total: 16 });
    assert.equal(((await taskRow(page, RADIO_TASK).locator(".tag").textContent()) ?? "").trim(), "Hoàn thành");
    // The chart's spoken summary counts the radio unit's task as done.
    const summary = (await page.locator("svg[role=img]").first().getAttribute("aria-label")) ?? "";
    assert.match(summary, /Đài truyền thanh[^;]*1 hoàn thành/);
    await a11y(page, "plan overview (after)");
  });

  test("the public plan page shows the new progress, on a desktop and on a phone", { timeout: 120_000 }, async () => {
    for (const [viewport, label] of [
      [DESKTOP, "public plan page (desktop)"],
      [PHONE, "public plan page (phone)"],
    ] as const) {
      const page = await open(viewport);
      try {
        const res = await page.goto(`${base}/ke-hoach/${planId}`);
        assert.equal(res?.status(), 200);
        await page.getByRole("heading", { level: 1, name: /^Kế hoạch 18\/KH-UBND:/ }).waitFor();
        assert.deepEqual(await doneFigure(page), { done: 1, total: 16 });
        assert.equal(((await taskRow(page, RADIO_TASK).locator(".tag").textContent()) ?? "").trim(), "Hoàn thành");
        // Public: no staff links, no staff navigation, no evidence.
        assert.equal(await page.locator('a[href^="/quan-tri"]').count(), 0, `${label}: no staff links`);
        assert.equal(await page.getByText(EVIDENCE_NAME).count(), 0);
        await a11y(page, label);
      } finally {
        await page.close();
      }
    }
  });

  // WCAG 1.4.10 Reflow: once failed because the charts' data tables overflowed a 390px phone.
  test("the public plan page does not scroll sideways on a phone", {
    timeout: 120_000,
  }, async () => {
    const page = await open(PHONE);
    try {
      await page.goto(`${base}/ke-hoach/${planId}`);
      await page.getByRole("heading", { level: 1, name: /^Kế hoạch 18\/KH-UBND:/ }).waitFor();
      // Wide tables and charts may scroll inside their own boxes; the page itself must not scroll sideways.
      const { overflow, culprits } = await page.evaluate(() => {
        const width = document.documentElement.clientWidth;
        const outside = [...document.querySelectorAll("main *")].filter((e) => {
          const r = e.getBoundingClientRect();
          if (r.right <= width) return false;
          // Only the outermost offender, not each of its descendants.
          const parent = e.parentElement?.getBoundingClientRect();
          return !parent || parent.right <= width;
        });
        return {
          overflow: document.documentElement.scrollWidth - width,
          culprits: outside.slice(0, 5).map((e) => `${e.tagName.toLowerCase()}.${e.className}`),
        };
      });
      assert.ok(
        overflow <= 0,
        `the public plan page scrolls sideways by ${overflow}px at 390px; outermost offenders: ${culprits.join(", ")}`,
      );
    } finally {
      await page.close();
    }
  });

  test("an officer of another unit sees the task without the update form and cannot post an update", {
    timeout: 120_000,
  }, async () => {
    const page = await open();
    try {
      await logIn(page, "canbotuphap", "login page (officer)");
      await page.goto(`${base}/quan-tri/viec-cua-toi`);
      await page.getByRole("heading", { level: 1, name: "Việc của đơn vị tôi" }).waitFor();
      await page.getByRole("link", { name: /^Lồng ghép nội dung tuyên truyền cải cách hành chính/ }).waitFor();
      assert.equal(await page.getByRole("link", { name: RADIO_TASK }).count(), 0, "the radio task is not justice's");
      await a11y(page, "officer's task list");

      const res = await page.goto(`${base}${taskPath}`);
      assert.equal(res?.status(), 200);
      await page.getByRole("heading", { level: 1, name: "Nhiệm vụ" }).waitFor();
      assert.equal(((await page.locator("dl.facts .tag").textContent()) ?? "").trim(), "Hoàn thành");
      assert.equal(await page.getByRole("heading", { name: "Cập nhật tiến độ" }).count(), 0, "no update form");
      assert.equal(await page.getByRole("button", { name: "Lưu cập nhật" }).count(), 0);
      assert.equal(await page.getByRole("button", { name: "Ghi nhận hoạt động" }).count(), 0, "no activity form");
      await a11y(page, "task page seen by another unit's officer");

      // A hand-made POST with the officer's own valid CSRF token is refused all the same.
      const csrf = await page.locator('input[name="_csrf"]').first().getAttribute("value");
      assert.ok(csrf, "the session's CSRF token is on the page (logout form)");
      const post = await page.request.post(`${base}${taskPath}/cap-nhat`, {
        multipart: {
          _csrf: csrf,
          status: "not_started",
          note: "Cập nhật trái phép",
          files: { name: "x.png", mimeType: "image/png", buffer: PNG_1X1 },
        },
        maxRedirects: 0,
      });
      assert.equal(post.status(), 403);
      assert.match(await post.text(), /Bạn chỉ cập nhật được nhiệm vụ mà đơn vị mình chủ trì hoặc phối hợp/);

      await page.reload();
      assert.equal(((await page.locator("dl.facts .tag").textContent()) ?? "").trim(), "Hoàn thành");
      assert.equal(await page.getByText("Cập nhật trái phép").count(), 0);
    } finally {
      await page.close();
    }
  });

  test("axe-core checked every page visited", () => {
    assert.deepEqual(checked, EXPECTED_CHECKS);
  });
});
