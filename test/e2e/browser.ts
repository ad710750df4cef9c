// Browser harness for end-to-end journeys: Debian's Chromium driven by playwright-core, plus
// axe-core accessibility checks.
//
// Availability rule (the same one scripts/test.mjs checks up front):
//   - Chromium is looked for at $CHROMIUM_PATH, else /usr/bin/chromium.
//   - Found: browser suites run.
//   - Missing, outside CI: browser suites are SKIPPED, with the reason as the skip message.
//   - Missing, under CI (CI=true): browser suites are NOT skipped; launchBrowser() throws a clear
//     error, so every browser test fails. CI must never pass by skipping the browser.
//
// Usage in a journey test:
//   describeBrowser("citizen submits feedback", () => {
//     let browser: Browser;
//     before(async () => { browser = await launchBrowser(); });
//     after(async () => { await browser?.close(); });
//     test("form is accessible", async () => {
//       const page = await newPage(browser);
//       await page.goto(url);
//       await assertNoSeriousA11y(page, "feedback form");
//     });
//   });
// or, for a single test: test("…", { skip: browserSkip }, async () => { … }).

import { accessSync, constants, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { describe, test } from "node:test";
import { type Browser, type BrowserContextOptions, chromium, type Page } from "playwright-core";

export const chromiumPath: string = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";

/** True under CI (CI=true or CI=1), where a missing browser must fail, not skip. */
export const inCI: boolean = /^(1|true|yes)$/i.test(process.env.CI ?? "");

function isExecutable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

export const browserAvailable: boolean = isExecutable(chromiumPath);

const missingMessage = `Chromium not found at ${chromiumPath} (install Debian's "chromium" package or set CHROMIUM_PATH)`;

/**
 * Value for node:test's `skip` option: false when browser tests must run (Chromium found, or
 * under CI, where they then fail), otherwise the reason they are skipped.
 */
export const browserSkip: false | string = browserAvailable || inCI ? false : missingMessage;

/**
 * `describe` for browser suites. When Chromium is missing, the suite's body is not run; in its
 * place stands one test that is skipped with the reason (outside CI), or that fails (under CI),
 * so the runner's summary counts it ("# skipped 1" / "# fail 1").
 */
export function describeBrowser(name: string, fn: () => void | Promise<void>): void {
  if (browserAvailable) {
    describe(name, fn);
  } else if (inCI) {
    describe(name, () => {
      test("Chromium is available", () => {
        throw new Error(`${missingMessage}; CI=true requires it, so browser tests fail instead of skipping`);
      });
    });
  } else {
    describe(name, () => {
      test("needs Chromium", { skip: missingMessage }, () => {});
    });
  }
}

export const chromiumArgs: readonly string[] = [
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  // Without these, Chromium keeps trying to reach Google's hosts, which this network refuses.
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

/** Launches headless Chromium. Throws a clear error when it is missing (see the rule above). */
export async function launchBrowser(): Promise<Browser> {
  if (!browserAvailable) {
    throw new Error(`${missingMessage}${inCI ? "; CI=true requires it, so this test fails instead of skipping" : ""}`);
  }
  return chromium.launch({ executablePath: chromiumPath, headless: true, args: [...chromiumArgs] });
}

/**
 * A page in its own context, set up like a Vietnamese user's browser. CSP is bypassed so that
 * axe-core can be injected into pages that forbid inline scripts. Closing the page closes its context.
 */
export async function newPage(browser: Browser, options: BrowserContextOptions = {}): Promise<Page> {
  const context = await browser.newContext({
    locale: "vi-VN",
    timezoneId: "Asia/Ho_Chi_Minh",
    bypassCSP: true,
    ...options,
  });
  const page = await context.newPage();
  page.once("close", () => {
    context.close().catch(() => {});
  });
  return page;
}

export type Impact = "minor" | "moderate" | "serious" | "critical";

export interface ViolationNode {
  /** CSS selector path(s) of the offending element. */
  target: string[];
  html: string;
  failureSummary: string;
}

export interface Violation {
  id: string;
  impact: Impact;
  help: string;
  helpUrl: string;
  nodes: ViolationNode[];
}

export interface A11yOptions {
  /** axe rule ids to switch off for this check, e.g. ["color-contrast"]; say why at the call site. */
  disableRules?: string[];
}

let axeSource: string | undefined;
function getAxeSource(): string {
  axeSource ??= readFileSync(createRequire(import.meta.url).resolve("axe-core/axe.min.js"), "utf8");
  return axeSource;
}

/** Runs axe-core on the page and returns its serious and critical violations (empty = none). */
export async function checkA11y(page: Page, options: A11yOptions = {}): Promise<Violation[]> {
  const hasAxe = () => page.evaluate(() => typeof (globalThis as { axe?: unknown }).axe === "object");
  if (!(await hasAxe())) {
    try {
      await page.addScriptTag({ content: getAxeSource() });
    } catch {
      // Reported below.
    }
    if (!(await hasAxe())) {
      throw new Error(
        "axe-core could not be injected into the page (a Content-Security-Policy?): " +
          "create the page with newPage() from test/e2e/browser.ts, or a context with { bypassCSP: true }",
      );
    }
  }
  const rules = Object.fromEntries((options.disableRules ?? []).map((id) => [id, { enabled: false }]));
  const violations = await page.evaluate(async (rules) => {
    type AxeNode = { target: unknown[]; html: string; failureSummary?: string };
    type AxeResult = { id: string; impact?: string | null; help: string; helpUrl: string; nodes: AxeNode[] };
    type AxeGlobal = { axe: { run(context: unknown, options: unknown): Promise<{ violations: AxeResult[] }> } };
    const axe = (globalThis as unknown as AxeGlobal).axe;
    const result = await axe.run(document, { resultTypes: ["violations"], rules });
    return result.violations.map((v) => ({
      id: v.id,
      impact: v.impact ?? null,
      help: v.help,
      helpUrl: v.helpUrl,
      nodes: v.nodes.map((n) => ({
        target: n.target.map((t) => (typeof t === "string" ? t : JSON.stringify(t))),
        html: n.html,
        failureSummary: n.failureSummary ?? "",
      })),
    }));
  }, rules);
  return violations.filter((v): v is Violation => v.impact === "serious" || v.impact === "critical");
}

/** Human-readable list of violations, one rule per block. */
export function formatViolations(violations: Violation[]): string {
  return violations
    .map((v) => {
      const nodes = v.nodes
        .slice(0, 5)
        .map((n) => `    - ${n.target.join(" ")}: ${n.html.length > 160 ? `${n.html.slice(0, 160)}…` : n.html}`)
        .join("\n");
      const more = v.nodes.length > 5 ? `\n    … and ${v.nodes.length - 5} more` : "";
      return `  [${v.impact}] ${v.id}: ${v.help} (${v.nodes.length} element(s))\n${nodes}${more}\n    ${v.helpUrl}`;
    })
    .join("\n");
}

/** Throws, listing them, if axe-core finds serious or critical violations on the page. */
export async function assertNoSeriousA11y(page: Page, label: string, options: A11yOptions = {}): Promise<void> {
  const violations = await checkA11y(page, options);
  if (violations.length > 0) {
    throw new Error(
      `Accessibility: ${violations.length} serious/critical axe violation(s) on ${label} (${page.url()}):\n` +
        formatViolations(violations),
    );
  }
}

/** The smallest tap target a control may offer, in CSS pixels (WCAG 2.5.5). */
export const MIN_TAP_PX = 44;

/**
 * Every visible form control (input, select, textarea, button, summary) smaller than MIN_TAP_PX × MIN_TAP_PX,
 * unless one of its labels is at least that size (clicking a label works its control), each described with its
 * measured size. Empty: every control can be tapped. Measured with getBoundingClientRect as the page is laid out.
 */
export async function smallTapTargets(page: Page): Promise<string[]> {
  return page.evaluate((min) => {
    // No named helper inside: esbuild would wrap it in a `__name` the page lacks.
    const out: string[] = [];
    for (const el of document.querySelectorAll("input, select, textarea, button, summary")) {
      if ((el as HTMLInputElement).type === "hidden" || el.closest("[aria-hidden=true], [hidden]")) continue;
      const r = el.getBoundingClientRect();
      // Not rendered (inside a closed <details>, display:none, the robots' trap off screen): nothing to tap.
      if (r.width === 0 || r.height === 0 || r.right < 0 || r.bottom < 0) continue;
      const boxes = [r, ...[...((el as HTMLInputElement).labels ?? [])].map((l) => l.getBoundingClientRect())];
      if (boxes.some((b) => b.width >= min - 0.5 && b.height >= min - 0.5)) continue;
      const name = el.id ? `#${el.id}` : (el.getAttribute("name") ?? (el.textContent ?? "").trim().slice(0, 30));
      out.push(`${el.tagName.toLowerCase()}${name ? ` ${name}` : ""} ${Math.round(r.width)}×${Math.round(r.height)}px`);
    }
    return out;
  }, MIN_TAP_PX);
}

/** The app on a loopback port for a browser to visit: its base URL, and a close that drops open keep-alives. */
export async function serveApp(fetch: (request: Request) => Response | Promise<Response>) {
  const { serve } = await import("@hono/node-server");
  const server = serve({ fetch, port: 0, hostname: "127.0.0.1" });
  if (!server.listening) await new Promise<void>((resolve) => server.once("listening", () => resolve()));
  const port = (server.address() as import("node:net").AddressInfo).port;
  return {
    base: `http://127.0.0.1:${port}`,
    close: async () => {
      if ("closeAllConnections" in server) server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** A staff member's own browser session, logged in through the login form; it lands on a /quan-tri page. */
export async function staffPage(
  browser: Browser,
  base: string,
  username: string,
  password: string,
  timeoutMs = 30_000,
): Promise<Page> {
  const page = await newPage(browser);
  page.setDefaultTimeout(timeoutMs);
  await page.goto(`${base}/dang-nhap`);
  await page.getByLabel("Tên đăng nhập").fill(username);
  await page.getByLabel("Mật khẩu").fill(password);
  await Promise.all([page.waitForURL(/\/quan-tri/), page.getByRole("button", { name: "Đăng nhập" }).click()]);
  return page;
}

/** Press a button that posts and redirects; fails if the page that comes back shows an error summary. */
export async function press(page: Page, name: string): Promise<void> {
  await Promise.all([page.waitForNavigation(), page.getByRole("button", { name }).click()]);
  const errors = page.locator(".error-summary");
  if (await errors.count()) throw new Error(`${name}: ${await errors.first().textContent()}`);
}
