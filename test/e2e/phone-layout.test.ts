// On a 360 px phone, in Chromium: the public plan page's charts show their text at 12 px or more, the page itself
// never scrolls sideways, and a wide table scrolls inside its frame with its first column kept in view.
import assert from "node:assert/strict";
import type { AddressInfo } from "node:net";
import { after, before, test } from "node:test";
import { type ServerType, serve } from "@hono/node-server";
import type { Browser } from "playwright-core";
import { SYSTEM_ACTOR } from "../../src/core/audit.ts";
import { vnToday } from "../../src/core/text/vi.ts";
import { confirmPlanImport } from "../../src/features/plans/plans.service.ts";
import { adminUnitInForce, wardOf } from "../../src/features/units/units.service.ts";
import { createWorld, seedPlanText, type TestWorld, testDatabases } from "../helpers/env.ts";
import { describeBrowser, launchBrowser, newPage } from "./browser.ts";

const PHONE = { width: 360, height: 740 };

describeBrowser("phone layout at 360 px: chart labels and wide tables", () => {
  let world: TestWorld;
  let server: ServerType;
  let base: string;
  let browser: Browser;
  let planPath = "";

  before(async () => {
    const sqlite = testDatabases().find((d) => d.name === "sqlite");
    if (!sqlite) throw new Error("the SQLite test database is missing");
    world = await createWorld(sqlite);
    const now = world.now();
    const unit = await adminUnitInForce(world.db.kysely, "21439", vnToday(now));
    if (!unit) throw new Error("21439 missing");
    const ward = await wardOf(world.db.kysely, unit, "");
    const r = await confirmPlanImport(world.db.kysely, SYSTEM_ACTOR, ward, seedPlanText(), {
      now,
      today: vnToday(now),
    });
    if (!r.ok) throw new Error(r.error);
    planPath = `/ke-hoach/${r.planId}`;
    server = serve({ fetch: world.app.fetch, port: 0, hostname: "127.0.0.1" });
    if (!server.listening) await new Promise<void>((resolve) => server.once("listening", () => resolve()));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    browser = await launchBrowser();
  });

  after(async () => {
    await browser?.close();
    if (server) {
      if ("closeAllConnections" in server) server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
    await world?.cleanup();
  });

  test("the plan page's chart labels are at least 12 px and the page does not scroll sideways", {
    timeout: 120_000,
  }, async () => {
    const page = await newPage(browser, { viewport: PHONE });
    const res = await page.goto(`${base}${planPath}`);
    assert.equal(res?.status(), 200, "the plan page answers");
    const sizes = await page.$$eval("figure.chart svg text", (texts) =>
      texts.map((t) => {
        const svg = (t as SVGTextElement).ownerSVGElement as SVGSVGElement;
        const scale = svg.getScreenCTM()?.a ?? 1;
        return { text: t.textContent ?? "", px: Number.parseFloat(getComputedStyle(t).fontSize) * scale };
      }),
    );
    assert.ok(sizes.length > 10, `the page has charts with text (${sizes.length} pieces)`);
    const smallest = sizes.reduce((a, b) => (b.px < a.px ? b : a));
    assert.ok(smallest.px >= 12, `the smallest chart text is ${smallest.px.toFixed(1)} px: "${smallest.text}"`);
    const widths = await page.evaluate(() => ({
      page: document.documentElement.scrollWidth,
      view: document.documentElement.clientWidth,
    }));
    assert.ok(widths.page <= widths.view, `the page is ${widths.page} px wide in a ${widths.view} px screen`);
    await page.close();
  });

  test("a wide table scrolls in its frame with the first column kept in view", { timeout: 120_000 }, async () => {
    const page = await newPage(browser, { viewport: PHONE });
    await page.goto(`${base}${planPath}`);
    const tables = await page.$$eval(".table-wrap", (wraps) =>
      wraps.map((wrap, i) => {
        const w = wrap as HTMLElement;
        const wide = w.scrollWidth > w.clientWidth + 1;
        const frame = w.getBoundingClientRect();
        const first = w.querySelector("tbody tr :is(th, td):first-child") as HTMLElement | null;
        const last = w.querySelector("tbody tr :is(th, td):last-child") as HTMLElement | null;
        const lastBefore = last?.getBoundingClientRect().left ?? Number.NaN;
        w.scrollLeft = w.scrollWidth;
        return {
          i,
          wide,
          scrolled: w.scrollLeft,
          frameLeft: frame.left,
          frameRight: frame.right,
          firstLeft: first?.getBoundingClientRect().left ?? Number.NaN,
          lastMoved: lastBefore - (last?.getBoundingClientRect().left ?? Number.NaN),
        };
      }),
    );
    const wide = tables.filter((t) => t.wide);
    assert.ok(wide.length > 0, `at 360 px at least one table is wider than its frame: ${JSON.stringify(tables)}`);
    for (const t of wide) {
      assert.ok(t.scrolled > 0, `table ${t.i} scrolls sideways`);
      assert.ok(t.frameRight <= PHONE.width, `table ${t.i}'s frame stays within the screen (${t.frameRight})`);
      assert.ok(
        Math.abs(t.firstLeft - t.frameLeft) <= 1,
        `table ${t.i}: scrolled to the end, its first column is still at the frame's left (${t.firstLeft} vs ${t.frameLeft})`,
      );
      assert.ok(Math.abs(t.lastMoved - t.scrolled) <= 1, `table ${t.i}: the other columns moved (${t.lastMoved})`);
    }
    await page.close();
  });
});
