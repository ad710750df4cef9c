// A citizen on a phone (360×740) in a real browser, against the real app over a SQLite database holding the 588
// real commune-level procedures (one of them amended by a later decision):
//   catalogue → a procedure (what to bring comes first) → its print view (A4, with the QR code) → the comparison
//   of its two versions → the printable notice board. The essentials of a procedure (papers, time, fee, where,
//   online, the feedback and question links) stand within the first two screenfuls; Chromium's A4 PDF of the
//   board's summary print has exactly one page per procedure, its text at 12 pt or more.
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
import { saveProfile } from "../../src/features/ward-profile/ward-profile.service.ts";
import { createWorld, SHARED_DIR, type TestWorld, testDatabases } from "../helpers/env.ts";
import { assertNoSeriousA11y, describeBrowser, launchBrowser, newPage } from "./browser.ts";

const PHONE = { width: 360, height: 740 };
const PUBLIC_URL = "https://cchc.ducpho.example.vn";
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
    await saveProfile(
      world.db.kysely,
      SYSTEM_ACTOR,
      world.wardId,
      {
        address: "Bộ phận Một cửa, UBND phường Đức Phổ, số 1 Nguyễn Nghiêm",
        deskHours: "Thứ Hai đến thứ Sáu: 7 giờ 00 – 11 giờ 30, 13 giờ 30 – 17 giờ 00",
        hotline: "0255 3 859 123",
        email: "motcua@ducpho.example.vn",
        mapUrl: "https://www.openstreetmap.org/?mlat=14.81&mlon=108.96",
      },
      world.now(),
    );
    server = serve({ fetch: world.appWith({ PUBLIC_URL }).fetch, port: 0, hostname: "127.0.0.1" });
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
    const wide = await page.evaluate(() =>
      [...document.querySelectorAll("main *")]
        .filter((el) => el.getBoundingClientRect().right > window.innerWidth + 1)
        .slice(0, 3)
        .map((el) => `${el.tagName} ${el.className} ${(el.textContent ?? "").slice(0, 30)}`),
    );
    assert.ok(
      await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth + 1),
      `no sideways scrolling: ${wide.join(" | ")}`,
    );
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
    assert.match(sections[0] ?? "", /^Thời hạn và phí, lệ phí/, `first section: ${sections[0]}`);
    const time = await page.getByRole("heading", { level: 2, name: /^Thời hạn và phí, lệ phí/ }).boundingBox();
    assert.ok(time && time.y < PHONE.height, "how long and how much start on the first screen");
    assert.ok(
      await page.getByRole("link", { name: "Góp ý về thủ tục này" }).isVisible(),
      'expected: await page.getByRole("link", { name: "Góp ý về thủ tục này" }).isVisible()',
    );
    assert.ok(
      await page.getByText("Bộ phận Một cửa, UBND phường Đức Phổ, số 1 Nguyễn Nghiêm").first().isVisible(),
      "where to submit is the ward's desk",
    );
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

  test("at 360 px the essentials and the feedback links stand within two screenfuls, even on the longest pages", {
    timeout: 120_000,
  }, async () => {
    // Đăng ký thường trú; the catalogue's longest record (55 papers in 7 cases); one whose times have no unit.
    for (const code of [CODE, "1.013229", "1.011471"]) {
      await page.goto(`${base}/thu-tuc/${code}`);
      const bottoms: Record<string, number> = {};
      for (const [what, locator] of [
        ["time and fee", page.getByRole("heading", { level: 2, name: /^Thời hạn và phí, lệ phí/ })],
        ["where and when", page.getByRole("heading", { level: 2, name: /^Nộp hồ sơ ở đâu, khi nào/ })],
        ["online or not", page.getByText("Nộp trực tuyến", { exact: true })],
        ["the main papers", page.getByRole("heading", { level: 2, name: /^Giấy tờ chính cần mang theo/ })],
        ["the feedback link", page.getByRole("link", { name: "Góp ý về thủ tục này" })],
        ["the question link", page.getByRole("link", { name: "Hỏi về trường hợp của bạn" })],
      ] as const) {
        const box = await locator.boundingBox();
        assert.ok(box, `${code}: ${what} is shown`);
        bottoms[what] = Math.round(box.y + box.height);
      }
      for (const [what, bottom] of Object.entries(bottoms))
        assert.ok(bottom <= 2 * PHONE.height, `${code}: ${what} ends at ${bottom}px, within two screens`);
      // The long parts are folded: closed <details>, opened without any script.
      const folded = page.locator("details:not([open]) > summary", { hasText: "Các bước thực hiện" });
      assert.equal(await folded.count(), 1, `${code}: the steps are folded`);
      assert.ok(
        (await page.locator("main").textContent())?.includes(code === "1.011471" ? "(nguồn không ghi đơn vị)" : ""),
        "a time without a unit says so",
      );
    }
    await page.goto(`${base}/thu-tuc/${CODE}`);
  });

  test("the history leads to a readable comparison of the two versions", { timeout: 120_000 }, async () => {
    await Promise.all([
      page.waitForURL(/\/so-sanh\?tu=1&den=2$/),
      (async () => {
        await page.locator("summary", { hasText: "Lịch sử thay đổi" }).click();
        await page.getByRole("link", { name: "So sánh với phiên bản 1" }).click();
      })(),
    ]);
    await page.getByRole("heading", { level: 2, name: "Trình tự thực hiện" }).waitFor();
    await page.getByText("Bước 9: Nhận kết quả qua dịch vụ bưu chính công ích.", { exact: false }).first().waitFor();
    // On a phone the old and new texts are stacked, not side by side.
    const before = await page.locator(".diff-before").first().boundingBox();
    const after = await page.locator(".diff-after").first().boundingBox();
    assert.ok(
      before && after && after.y >= before.y + before.height - 1,
      "expected: before && after && after.y >= before.y + before.height - 1",
    );
    await a11y("comparison");
  });

  test("the notice board prints one sheet per procedure, each with its QR code", { timeout: 180_000 }, async () => {
    await page.goto(`${base}/thu-tuc/bang-niem-yet`);
    await page.emulateMedia({ media: "print" });
    const sheets = await page.locator("article.sheet").count();
    assert.equal(sheets, 571);
    assert.equal(await page.locator("article.sheet-summary").count(), 571, "the summary print by default");
    assert.equal(await page.locator("article.sheet .qr svg").count(), sheets);
    assert.equal(await page.locator("article.sheet").first().locator(".qr svg").isVisible(), true);
    await a11y("notice board (print)");
    await page.emulateMedia({ media: "screen" });
  });

  test("Chromium's A4 PDF of a field's summary print has exactly one page per procedure, at 12 pt or more", {
    timeout: 240_000,
  }, async () => {
    // Hoạt động xây dựng holds the two longest records of the catalogue (53 and 55 papers in 7 cases each);
    // Đất đai one with 28 papers in 8 cases.
    for (const [field, expected] of [
      ["Hoạt động xây dựng", 8],
      ["Đất đai", 17],
    ] as const) {
      await page.goto(`${base}/thu-tuc/bang-niem-yet?ban=tom-tat&linh-vuc=${encodeURIComponent(field)}`);
      const sheets = await page.locator("article.sheet-summary").count();
      assert.equal(sheets, expected, `${field}: ${expected} procedures`);
      assert.equal(await page.locator("article.sheet-summary .qr svg").count(), sheets, `${field}: a QR code each`);
      await page.emulateMedia({ media: "print" });
      const small = await page.evaluate(() =>
        [...document.querySelectorAll("article.sheet-summary *")]
          .filter((el) => [...el.childNodes].some((n) => n.nodeType === 3 && (n.textContent ?? "").trim()))
          .map((el) => ({
            text: (el.textContent ?? "").trim().slice(0, 40),
            px: parseFloat(getComputedStyle(el).fontSize),
          }))
          .filter((x) => x.px < 16),
      );
      assert.deepEqual(small, [], `${field}: text under 12 pt (16 px) on the sheets`);
      const pdf = Buffer.from(await page.pdf({ format: "A4", printBackground: false })).toString("latin1");
      const pages = pdf.match(/\/Type\s*\/Page(?![a-zA-Z])/g)?.length ?? 0;
      assert.equal(pages, sheets, `${field}: ${pages} PDF pages for ${sheets} procedures`);
      await page.emulateMedia({ media: "screen" });
    }
  });

  test("every page was checked for accessibility", () => {
    assert.deepEqual(checked, EXPECTED_CHECKS);
  });
});
