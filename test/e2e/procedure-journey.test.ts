// A citizen on a phone (390×844) in a real browser, against the real app over a SQLite database holding the 588
// real commune-level procedures (one of them amended by a later decision):
//   catalogue → a procedure (what to bring comes first) → its print view (A4, with the QR code) → the comparison
//   of its two versions → the printable notice board.
// axe-core must report no serious or critical violation on any page visited.
import assert from "node:assert/strict";
import fs from "node:fs";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { after, before, test } from "node:test";
import { type ServerType, serve } from "@hono/node-server";
import type { Browser, Page } from "playwright-core";
import { SYSTEM_ACTOR } from "../../src/core/audit.ts";
import { vnToday } from "../../src/core/text/vi.ts";
import { importProcedures } from "../../src/features/procedures/procedures.service.ts";
import { readProcedureFile } from "../../src/features/procedures/read-records.ts";
import { createWorld, SHARED_DIR, type TestWorld, testDatabases } from "../helpers/env.ts";
import { assertNoSeriousA11y, describeBrowser, launchBrowser, newPage } from "./browser.ts";

const PHONE = { width: 390, height: 844 };
const TIMEOUT_MS = 30_000;
const DATA = path.join(SHARED_DIR, "data/tthc-dichvucong-2026/cap-xa.jsonl");
const CODE = "1.004222"; // Đăng ký thường trú

const EXPECTED_CHECKS = [
  "search results",
  "procedure reached by search",
  "catalogue",
  "procedure",
  "procedure (print)",
  "comparison",
  "notice board (print)",
];

describeBrowser("procedure journey: a citizen on a phone finds a procedure and prints it", () => {
  let world: TestWorld;
  let server: ServerType;
  let base: string;
  let browser: Browser;
  let page: Page;
  const checked: string[] = [];

  const a11y = async (label: string) => {
    await assertNoSeriousA11y(page, label);
    checked.push(label);
  };

  /** Import a JSON Lines text through the service, as the CLI and the upload page do. */
  const load = async (text: string, decision?: { number: string; effectiveFrom: string }) => {
    const read = await readProcedureFile(new TextEncoder().encode(text), "thu-tuc.jsonl");
    const now = world.now();
    const r = await importProcedures(world.db.kysely, SYSTEM_ACTOR, read.rows, read.problems, {
      dryRun: false,
      today: vnToday(now),
      now,
      ...(decision ? { decision } : {}),
    });
    assert.ok(r.ok, JSON.stringify(r.problems.slice(0, 3)));
  };

  before(async () => {
    const sqlite = testDatabases().find((d) => d.name === "sqlite");
    if (!sqlite) throw new Error("the SQLite test database is missing");
    world = await createWorld(sqlite);
    // The 17 provincial records belong to provinces outside the test world: the ward would not show them anyway.
    const lines = fs
      .readFileSync(DATA, "utf8")
      .split("\n")
      .filter((l) => l && !l.includes("QĐ-UBND"));
    await load(`${lines.join("\n")}\n`);
    const amended = JSON.parse(lines.find((l) => l.includes(`"ma_thu_tuc": "${CODE}"`)) ?? "{}") as Record<
      string,
      string
    >;
    amended.trinh_tu_thuc_hien = `${amended.trinh_tu_thuc_hien}\nBước 9: Nhận kết quả qua dịch vụ bưu chính công ích.`;
    await load(`${JSON.stringify(amended)}\n`, { number: "88/QĐ-BCA", effectiveFrom: vnToday(world.now()) });
    server = serve({ fetch: world.app.fetch, port: 0, hostname: "127.0.0.1" });
    if (!server.listening) await new Promise<void>((resolve) => server.once("listening", () => resolve()));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    browser = await launchBrowser();
    page = await newPage(browser, { viewport: PHONE });
    page.setDefaultTimeout(TIMEOUT_MS);
    page.setDefaultNavigationTimeout(TIMEOUT_MS);
  });

  after(async () => {
    await browser?.close();
    if (server) {
      if ("closeAllConnections" in server) server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
    await world?.cleanup();
  });

  test("a citizen types without tone marks on a phone and lands on the procedure", { timeout: 120_000 }, async () => {
    await page.goto(`${base}/`);
    await page.getByLabel("Bạn cần làm thủ tục gì?").fill("dang ky thuong tru");
    await Promise.all([
      page.waitForURL(/\/tim-kiem\?q=/),
      page.getByRole("button", { name: "Tìm", exact: true }).click(),
    ]);
    await a11y("search results");
    const first = page
      .locator("main ol a, main ul a")
      .filter({ hasText: /thường trú/i })
      .first();
    assert.match((await first.textContent()) ?? "", /^Đăng ký thường trú$/);
    assert.ok((await first.innerHTML()).includes("<mark>"), "matched words are highlighted");
    await Promise.all([page.waitForURL(new RegExp(`/thu-tuc/${CODE.replace(".", "\\.")}$`)), first.click()]);
    await page.getByRole("heading", { level: 1, name: "Đăng ký thường trú" }).waitFor();
    await a11y("procedure reached by search");
  });

  test("the catalogue lists procedures by field, with a labelled search box", { timeout: 120_000 }, async () => {
    const res = await page.goto(`${base}/thu-tuc`);
    assert.equal(res?.status(), 200);
    await page.getByRole("heading", { level: 1, name: "Thủ tục hành chính" }).waitFor();
    await page.getByRole("heading", { level: 2, name: /^Đăng ký, quản lý cư trú/ }).waitFor();
    assert.equal(await page.getByLabel("Tìm thủ tục").getAttribute("name"), "q");
    // A phone shows the page without sideways scrolling.
    assert.ok(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth + 1));
    await a11y("catalogue");
  });

  test("a procedure puts what to bring first; its print view carries the QR code", { timeout: 120_000 }, async () => {
    const section = page
      .locator("section")
      .filter({ has: page.getByRole("heading", { name: /^Đăng ký, quản lý cư trú/ }) });
    await Promise.all([
      page.waitForURL(new RegExp(`/thu-tuc/${CODE.replace(".", "\\.")}$`)),
      section.getByRole("link", { name: "Đăng ký thường trú", exact: true }).click(),
    ]);
    await page.getByRole("heading", { level: 1, name: "Đăng ký thường trú" }).waitFor();
    const sections = await page.locator("article.procedure h2").allTextContents();
    assert.match(sections[0] ?? "", /^Giấy tờ cần mang theo/, `first section: ${sections[0]}`);
    const bring = await page.getByRole("heading", { level: 2, name: /^Giấy tờ cần mang theo/ }).boundingBox();
    assert.ok(bring && bring.y < PHONE.height, "what to bring starts on the first screen");
    assert.ok(await page.getByRole("link", { name: "Góp ý về thủ tục này" }).isVisible());
    const qr = page.locator(".qr svg[role=img]");
    assert.equal(await qr.count(), 1);
    assert.equal(await qr.isVisible(), false, "the QR code is for paper only");
    await a11y("procedure");

    await page.emulateMedia({ media: "print" });
    assert.equal(await qr.isVisible(), true, "the print view shows the QR code");
    assert.equal(await page.getByRole("link", { name: "Góp ý về thủ tục này" }).isVisible(), false);
    const font = await page.evaluate(() => getComputedStyle(document.body).fontFamily);
    assert.match(font, /Liberation Serif/);
    await a11y("procedure (print)");
    await page.emulateMedia({ media: "screen" });
  });

  test("the history leads to a readable comparison of the two versions", { timeout: 120_000 }, async () => {
    await Promise.all([
      page.waitForURL(/\/so-sanh\?tu=1&den=2$/),
      page.getByRole("link", { name: "So sánh với phiên bản 1" }).click(),
    ]);
    await page.getByRole("heading", { level: 2, name: "Trình tự thực hiện" }).waitFor();
    await page.getByText("Bước 9: Nhận kết quả qua dịch vụ bưu chính công ích.", { exact: false }).first().waitFor();
    // On a phone the old and new texts are stacked, not side by side.
    const before = await page.locator(".diff-before").first().boundingBox();
    const after = await page.locator(".diff-after").first().boundingBox();
    assert.ok(before && after && after.y >= before.y + before.height - 1);
    await a11y("comparison");
  });

  test("the notice board prints one sheet per procedure, each with its QR code", { timeout: 180_000 }, async () => {
    await page.goto(`${base}/thu-tuc/bang-niem-yet`);
    await page.emulateMedia({ media: "print" });
    const sheets = await page.locator("article.sheet").count();
    assert.equal(sheets, 571);
    assert.equal(await page.locator("article.sheet .qr svg").count(), sheets);
    assert.equal(await page.locator("article.sheet").first().locator(".qr svg").isVisible(), true);
    await a11y("notice board (print)");
    await page.emulateMedia({ media: "screen" });
  });

  test("every page was checked for accessibility", () => {
    assert.deepEqual(checked, EXPECTED_CHECKS);
  });
});
