// Single sign-on in Chromium at phone width, against the real app and a real OpenID provider (oidc-provider): the
// login page with its sign-on button, the provider's round trip by clicking, the "not granted" page, a granted
// person landing on the staff home and signing out through the provider to the portal's "Đã đăng xuất" page, and
// the "provider unreachable" page; each page passes axe (no serious or
// critical violation) and does not scroll sideways at 360 px.
import assert from "node:assert/strict";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { after, before, test } from "node:test";
import type { Browser, Page } from "playwright-core";
import { SSO_CALLBACK_PATH, SSO_SIGNED_OUT_PATH } from "../../src/core/config.ts";
import { createWorld, logIn, pw, type TestWorld, testDatabases } from "../helpers/env.ts";
import { startTestProvider, type TestProvider } from "../helpers/oidc-provider.ts";
import { assertNoSeriousA11y, describeBrowser, launchBrowser, newPage, serveApp } from "./browser.ts";

const PHONE = { width: 360, height: 740 };
const LABEL = "Đăng nhập bằng tài khoản một cửa của tỉnh";

describeBrowser("single sign-on pages in a browser: the button, the round trip, refusals", () => {
  let w: TestWorld;
  let op: TestProvider;
  let browser: Browser;
  let served: Awaited<ReturnType<typeof serveApp>>;
  let app: TestWorld["app"] | null = null;

  before(async () => {
    const sqlite = testDatabases().find((d) => d.name === "sqlite");
    if (!sqlite) throw new Error("no sqlite");
    w = await createWorld(sqlite);
    // The portal's address must be known before the provider registers its redirect URI: serve first, app after.
    served = await serveApp((req) => (app ? app.fetch(req) : new Response("starting", { status: 503 })));
    op = await startTestProvider(`${served.base}${SSO_CALLBACK_PATH}`, `${served.base}${SSO_SIGNED_OUT_PATH}`);
    app = w.appWith({
      OIDC_ISSUER: op.issuer,
      OIDC_CLIENT_ID: op.clientId,
      OIDC_CLIENT_SECRET: op.clientSecret,
      OIDC_LABEL: LABEL,
      PUBLIC_URL: served.base,
    });
    await w.createStaff("quantri", "admin");
    const member = await w.createStaff("thanhvien", "coordinator");
    const admin = await logIn(app, "quantri", pw("quantri"));
    const r = await admin.post(`/quan-tri/tai-khoan/${member.id}/sso`, { ssoEmail: "thanh.vien@quangngai.gov.vn" });
    assert.equal(r.status, 303, "the administrator grants single sign-on");
    op.persons.set("sub-tv", { sub: "sub-tv", email: "thanh.vien@quangngai.gov.vn", emailVerified: true, name: "TV" });
    op.persons.set("sub-la", { sub: "sub-la", email: "la@quangngai.gov.vn", emailVerified: true, name: "Lạ" });
    browser = await launchBrowser();
  });
  after(async () => {
    await browser?.close();
    await served?.close();
    await op?.close();
    await w?.cleanup();
  });

  const noOverflow = async (page: Page, label: string) => {
    const { width, scroll } = await page.evaluate(() => ({
      width: innerWidth,
      scroll: document.scrollingElement?.scrollWidth ?? 0,
    }));
    assert.ok(scroll <= width, `${label}: no horizontal scrolling at 360 px (${scroll} > ${width})`);
  };

  test("an unknown person clicks through and gets the polite refusal; a granted one lands on the staff home", async () => {
    op.defaultPerson = "sub-la";
    const page = await newPage(browser, { viewport: PHONE });
    await page.goto(`${served.base}/dang-nhap`);
    await assertNoSeriousA11y(page, "the login page with the sign-on button");
    await noOverflow(page, "the login page");
    const [res] = await Promise.all([
      page.waitForResponse((r) => r.url().includes(SSO_CALLBACK_PATH)),
      page.getByRole("link", { name: LABEL }).click(),
    ]);
    assert.equal(res.status(), 403, "the unknown person's callback is refused");
    await page.waitForLoadState();
    assert.ok((await page.content()).includes("chưa được cấp quyền"), "the page says they are not granted access");
    await assertNoSeriousA11y(page, "the not-granted page");
    await noOverflow(page, "the not-granted page");

    op.defaultPerson = "sub-tv";
    const granted = await newPage(browser, { viewport: PHONE });
    await granted.goto(`${served.base}/dang-nhap`);
    await Promise.all([granted.waitForURL(/\/quan-tri$/), granted.getByRole("link", { name: LABEL }).click()]);
    assert.ok(
      (await granted.content()).includes("Cán bộ thanhvien"),
      "the granted person is signed in as their account",
    );

    // Signing out goes through the provider's sign-out (its own confirmation page) and back to the portal's page.
    await Promise.all([
      granted.waitForURL((u) => u.href.startsWith(op.issuer)),
      granted.getByRole("button", { name: "Đăng xuất" }).click(),
    ]);
    await Promise.all([
      granted.waitForURL((u) => u.href.startsWith(`${served.base}${SSO_SIGNED_OUT_PATH}`)),
      granted.getByRole("button", { name: "Yes, sign me out" }).click(),
    ]);
    assert.ok((await granted.content()).includes("Đã đăng xuất"), "the portal's signed-out page");
    await assertNoSeriousA11y(granted, "the signed-out page");
    await noOverflow(granted, "the signed-out page");
  });

  test("a provider that cannot be reached: a clear page that passes axe", async () => {
    const closed = http.createServer();
    await new Promise<void>((resolve) => closed.listen(0, "127.0.0.1", resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const down = w.appWith({ OIDC_ISSUER: `http://127.0.0.1:${port}`, OIDC_CLIENT_ID: "c", PUBLIC_URL: served.base });
    const s = await serveApp((req) => down.fetch(req));
    try {
      const page = await newPage(browser, { viewport: PHONE });
      const res = await page.goto(`${s.base}/dang-nhap/sso`);
      assert.equal(res?.status(), 503, "the start answers 503");
      await assertNoSeriousA11y(page, "the provider-unreachable page");
      await noOverflow(page, "the provider-unreachable page");
    } finally {
      await s.close();
    }
  });
});
