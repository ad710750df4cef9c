// The province's wards table (issue 9 §5) in Chromium with JavaScript switched off, at phone width: axe-core finds
// no serious or critical violation, the page carries no script, the wide table scrolls inside its frame (the page
// itself never scrolls sideways at 360 px), and following a column's link sorts the rows by it.
import assert from "node:assert/strict";
import type { AddressInfo } from "node:net";
import { after, before, test } from "node:test";
import { type ServerType, serve } from "@hono/node-server";
import type { Browser } from "playwright-core";
import { createWorld, type TestWorld, testDatabases } from "../helpers/env.ts";
import { assertNoSeriousA11y, describeBrowser, launchBrowser, newPage } from "./browser.ts";

describeBrowser("the province's wards table in a browser", () => {
  let w: TestWorld;
  let server: ServerType;
  let browser: Browser;
  let base = "";

  before(async () => {
    w = await createWorld(testDatabases()[0] as ReturnType<typeof testDatabases>[number]);
    const office = w.unitIds.get("office") as number;
    await w.db.kysely
      .insertInto("activities")
      .values({
        ward_id: w.wardId,
        org_unit_id: office,
        channel_kind: "radio",
        pillar: "procedures",
        title: "Bản tin",
        occurred_on: "2026-01-15",
        audience: 100,
        cost: 50000,
        source: "manual",
        created_at: w.now().toISOString(),
      })
      .execute();
    server = serve({ fetch: w.app.fetch, port: 0, hostname: "127.0.0.1" });
    if (!server.listening) await new Promise<void>((resolve) => server.once("listening", () => resolve()));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    browser = await launchBrowser();
  });
  after(async () => {
    await browser?.close();
    server?.close();
    await w?.cleanup();
  });

  test("accessible, script-free, sortable by a link with JavaScript off", async () => {
    const checked = await newPage(browser, { viewport: { width: 360, height: 740 } });
    assert.equal((await checked.goto(`${base}/tinh/51/`))?.status(), 200, "the table is served");
    assert.equal(await checked.locator("script").count(), 0, "no script on a public page (before axe adds its own)");
    await assertNoSeriousA11y(checked, "province wards table");
    const wide = await checked.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth);
    assert.ok(wide, "the page does not scroll sideways at 360 px; the table scrolls in its frame");
    await checked.close();

    // Sorting needs no script: the column headers are plain links.
    const page = await newPage(browser, { javaScriptEnabled: false, viewport: { width: 360, height: 740 } });
    await page.goto(`${base}/tinh/51/`);
    await page.getByRole("link", { name: /^Hoạt động tuyên truyền/ }).click();
    await page.getByRole("link", { name: /^Hoạt động tuyên truyền ▲/ }).click();
    const first = await page.locator("tbody tr th").first().textContent();
    assert.match(first ?? "", /^Phường Đức Phổ/, "most activities first after sorting twice (descending)");
    assert.match(page.url(), /sap-xep=-hoat-dong/, "the sort is in the address, shareable");
    await page.close();
  });
});
