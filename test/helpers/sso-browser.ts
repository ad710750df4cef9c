/**
 * A browser for the single sign-on tests, walked over HTTP redirect by redirect against the portal (in-process) and a
 * real OpenID provider (test/helpers/oidc-provider.ts): two cookie jars, the portal's and the provider's.
 */
import assert from "node:assert/strict";
import type { TestWorld } from "./env.ts";

export const ORIGIN = "http://cchc.test";
export type App = TestWorld["app"];

/** A browser: two cookie jars (the portal's, the provider's), redirects followed by hand. */
export class SsoBrowser {
  portal = new Map<string, string>();
  provider = new Map<string, string>();
  constructor(private app: App) {}

  private static store(jar: Map<string, string>, res: Response) {
    for (const line of res.headers.getSetCookie()) {
      const [pair = "", ...attrs] = line.split(";");
      const eq = pair.indexOf("=");
      const name = pair.slice(0, eq).trim();
      const value = pair.slice(eq + 1).trim();
      const gone = attrs.some((a) => /^\s*max-age=0\s*$/i.test(a) || /^\s*expires=thu, 01 jan 1970/i.test(a));
      if (gone || value === "") jar.delete(name);
      else jar.set(name, value);
    }
  }

  private static header(jar: Map<string, string>) {
    return [...jar].map(([k, v]) => `${k}=${v}`).join("; ");
  }

  /** One request of the portal (a path or a URL of ORIGIN), its cookies kept. */
  async portalGet(pathOrUrl: string): Promise<Response> {
    const path = pathOrUrl.startsWith(ORIGIN) ? pathOrUrl.slice(ORIGIN.length) : pathOrUrl;
    const res = await this.app.request(path, { headers: { cookie: SsoBrowser.header(this.portal) } });
    SsoBrowser.store(this.portal, res);
    return res;
  }

  async portalPost(path: string, form: Record<string, string>): Promise<Response> {
    const res = await this.app.request(path, {
      method: "POST",
      body: new URLSearchParams(form),
      headers: { cookie: SsoBrowser.header(this.portal), "content-type": "application/x-www-form-urlencoded" },
    });
    SsoBrowser.store(this.portal, res);
    return res;
  }

  async providerGet(url: string): Promise<Response> {
    const res = await fetch(url, { redirect: "manual", headers: { cookie: SsoBrowser.header(this.provider) } });
    SsoBrowser.store(this.provider, res);
    return res;
  }

  /** How many times the provider asked this browser to log in (its login page, the interaction). */
  interactions = 0;

  /**
   * At the provider's sign-out page (the portal sent the browser there): confirm "yes, sign me out", as a person
   * clicks it. Returns where the provider then sends the browser.
   */
  async confirmProviderSignOut(endSessionUrl: string): Promise<string> {
    const page = await this.providerGet(endSessionUrl);
    const html = await page.text();
    assert.equal(page.status, 200, `the provider shows its sign-out page (got ${page.status}: ${html.slice(0, 300)})`);
    const action = /<form id="op.logoutForm" method="post" action="([^"]+)"/.exec(html)?.[1] ?? "";
    const xsrf = /name="xsrf" value="([^"]+)"/.exec(html)?.[1] ?? "";
    assert.ok(action && xsrf, "the sign-out page has the provider's confirmation form");
    const res = await fetch(new URL(action, endSessionUrl), {
      method: "POST",
      redirect: "manual",
      body: new URLSearchParams({ xsrf, logout: "yes" }),
      headers: { cookie: SsoBrowser.header(this.provider), "content-type": "application/x-www-form-urlencoded" },
    });
    SsoBrowser.store(this.provider, res);
    assert.ok([302, 303].includes(res.status), `the provider signs out and redirects (got ${res.status})`);
    return res.headers.get("location") ?? "";
  }

  /**
   * Click the sign-on button and log in at the provider as `as`; stop at the portal's answer to the callback.
   * `beforeCallback` may rewrite the callback URL (a forged state). Returns that answer, the callback URL and the
   * state cookie the browser held when it went there.
   */
  async signIn(as: string, opts: { beforeCallback?: (url: URL) => void; start?: string } = {}) {
    let res = await this.portalGet(opts.start ?? "/dang-nhap/sso");
    assert.equal(res.status, 303, `the sign-on button sends the browser to the provider (got ${res.status})`);
    let location = res.headers.get("location") ?? "";
    for (let hops = 0; hops < 10; hops++) {
      const url = new URL(location, location.startsWith("/") ? this.lastProvider : undefined);
      if (url.origin === ORIGIN) {
        opts.beforeCallback?.(url);
        const stateCookie = this.portal.get("cchc_sso");
        const callback = url.pathname + url.search;
        res = await this.portalGet(callback);
        return { res, callback, stateCookie };
      }
      this.lastProvider = url.origin;
      if (url.pathname.startsWith("/interaction/")) {
        url.searchParams.set("as", as);
        this.interactions++;
      }
      res = await this.providerGet(url.href);
      assert.ok([302, 303].includes(res.status), `the provider redirects (got ${res.status}: ${await res.text()})`);
      location = res.headers.get("location") ?? "";
    }
    throw new Error("too many redirects");
  }
  private lastProvider = "";

  /** The CSRF token of the signed-in staff home. */
  async csrf(): Promise<string> {
    const home = await this.portalGet("/quan-tri");
    return /name="_csrf" value="([^"]+)"/.exec(await home.text())?.[1] ?? "";
  }
}
