// Proves the browser harness works: real Chromium loads pages from a local node:http server and
// axe-core tells an accessible page from an inaccessible one.
import assert from "node:assert/strict";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { after, before, test } from "node:test";
import type { Browser } from "playwright-core";
import { assertNoSeriousA11y, checkA11y, describeBrowser, launchBrowser, newPage } from "./browser.ts";

const logo = `data:image/svg+xml,${encodeURIComponent(
  '<svg xmlns="http://www.w3.org/2000/svg" width="16" height="16"><rect width="16" height="16" fill="#c00"/></svg>',
)}`;

const pages: Record<string, string> = {
  "/good": `<!doctype html>
<html lang="vi">
<head><meta charset="utf-8"><title>Tra cứu thủ tục</title></head>
<body>
  <header><img src="${logo}" alt="Biểu trưng phường"></header>
  <main>
    <h1>Tra cứu thủ tục hành chính</h1>
    <form action="/good" method="get">
      <label for="q">Tên thủ tục</label>
      <input id="q" name="q" type="text">
      <button type="submit">Tìm kiếm</button>
    </form>
  </main>
</body>
</html>`,
  "/bad": `<!doctype html>
<html lang="vi">
<head><meta charset="utf-8"><title>Trang lỗi</title></head>
<body>
  <main>
    <h1>Trang thiếu hỗ trợ tiếp cận</h1>
    <img src="${logo}">
    <form action="/bad" method="get">
      <input name="q" type="text">
      <button type="submit">Tìm kiếm</button>
    </form>
  </main>
</body>
</html>`,
};

describeBrowser("browser harness", () => {
  let server: Server;
  let base: string;
  let browser: Browser;
  let requests = 0;

  before(async () => {
    server = createServer((req, res) => {
      requests++;
      const body = pages[new URL(req.url ?? "/", "http://127.0.0.1").pathname];
      res.writeHead(body ? 200 : 404, {
        "content-type": "text/html; charset=utf-8",
        // As strict as the app's own headers may be: no inline scripts.
        "content-security-policy": "default-src 'self'; img-src 'self' data:; script-src 'self'",
      });
      res.end(body ?? "not found");
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    browser = await launchBrowser();
  });

  after(async () => {
    await browser?.close();
    await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  });

  test("Chromium loads a page served on 127.0.0.1 and renders its Vietnamese text", async () => {
    const page = await newPage(browser);
    const before = requests;
    const response = await page.goto(`${base}/good`);
    assert.equal(response?.status(), 200);
    assert.ok(requests > before, "the local server saw the request");
    assert.equal(await page.title(), "Tra cứu thủ tục");
    assert.equal(await page.locator("h1").textContent(), "Tra cứu thủ tục hành chính");
    // The label really is wired to the input: Playwright finds it by its accessible name.
    await page.getByLabel("Tên thủ tục").fill("khai sinh");
    assert.equal(await page.locator("#q").inputValue(), "khai sinh");
    await page.close();
  });

  test("an accessible page has no serious or critical axe violations", async () => {
    const page = await newPage(browser);
    await page.goto(`${base}/good`);
    assert.deepEqual(await checkA11y(page), []);
    await assertNoSeriousA11y(page, "the accessible page");
    await page.close();
  });

  test("axe-core is injected despite a strict Content-Security-Policy, and explains when it cannot be", async () => {
    const page = await newPage(browser); // bypasses CSP
    await page.goto(`${base}/good`);
    assert.deepEqual(await checkA11y(page), []);
    await page.close();

    const context = await browser.newContext(); // does not
    const strict = await context.newPage();
    await strict.goto(`${base}/good`);
    await assert.rejects(checkA11y(strict), /Content-Security-Policy/);
    await context.close();
  });

  test("an image without alt and an unlabelled input are reported", async () => {
    const page = await newPage(browser);
    await page.goto(`${base}/bad`);
    const violations = await checkA11y(page);
    const ids = violations.map((v) => v.id).sort();
    assert.ok(ids.includes("image-alt"), `image-alt expected, got ${ids.join(", ")}`);
    assert.ok(ids.includes("label"), `label expected, got ${ids.join(", ")}`);
    for (const v of violations) {
      assert.ok(v.impact === "serious" || v.impact === "critical", `${v.id} has impact ${v.impact}`);
    }
    const img = violations.find((v) => v.id === "image-alt");
    assert.equal(img?.nodes.length, 1);
    assert.match(img?.nodes[0]?.html ?? "", /^<img /);

    await assert.rejects(assertNoSeriousA11y(page, "the broken page"), (err: Error) => {
      assert.match(err.message, /on the broken page/);
      assert.match(err.message, /\[critical\] image-alt/);
      assert.match(err.message, /\blabel\b/);
      assert.match(err.message, /<input name="q" type="text">/);
      return true;
    });

    // Switching a rule off is honoured (and only that rule).
    const withoutImageAlt = (await checkA11y(page, { disableRules: ["image-alt"] })).map((v) => v.id);
    assert.ok(!withoutImageAlt.includes("image-alt"), 'expected: !withoutImageAlt.includes("image-alt")');
    assert.ok(withoutImageAlt.includes("label"), 'expected: withoutImageAlt.includes("label")');
    await page.close();
  });
});
