/**
 * Single sign-on and the second factor together (issue 12 §8): with TOTP_REQUIRED_ROLES covering a role, a person of
 * that role who signs in through the province's provider (a REAL oidc-provider) still gives the portal's one-time
 * code before any session is opened; one not yet enrolled is sent to set it up. The provider's word is the first
 * factor, never both.
 */
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { Secret, TOTP } from "otpauth";
import { SSO_CALLBACK_PATH, SSO_SIGNED_OUT_PATH } from "../src/core/config.ts";
import { createWorld, logIn, pw, type TestWorld, testDatabases } from "./helpers/env.ts";
import { startTestProvider, type TestProvider } from "./helpers/oidc-provider.ts";
import { type App, ORIGIN, SsoBrowser } from "./helpers/sso-browser.ts";

const appCode = (secret: string, at: Date) =>
  new TOTP({ secret: Secret.fromBase32(secret), algorithm: "SHA1", digits: 6, period: 30 }).generate({
    timestamp: at.getTime(),
  });
const csrfOf = (html: string) => /name="_csrf" value="([^"]+)"/.exec(html)?.[1] ?? "";
const secretOf = (html: string) =>
  (/<code class="secret">([A-Z2-7 ]+)<\/code>/.exec(html)?.[1] ?? "").replace(/ /g, "");
const recoveryCodesOf = (html: string) =>
  [...html.matchAll(/<code>([0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4})<\/code>/g)].map((m) => m[1] as string);
/** Any code but the right one. */
const wrongCode = (right: string) => (right === "000000" ? "111111" : "000000");

for (const target of testDatabases()) {
  describe(`single sign-on with a required second factor (${target.name})`, () => {
    let w: TestWorld;
    let op: TestProvider;
    let plain: App;
    let required: App;
    const start = new Date("2026-03-02T03:00:00Z");

    before(async () => {
      w = await createWorld(target, { now: start });
      op = await startTestProvider(`${ORIGIN}${SSO_CALLBACK_PATH}`, `${ORIGIN}${SSO_SIGNED_OUT_PATH}`);
      const sso = {
        OIDC_ISSUER: op.issuer,
        OIDC_CLIENT_ID: op.clientId,
        OIDC_CLIENT_SECRET: op.clientSecret,
        PUBLIC_URL: ORIGIN,
      };
      plain = w.appWith(sso);
      required = w.appWith({ ...sso, TOTP_REQUIRED_ROLES: "admin,leader" });
      await w.createStaff("quantri", "admin");
    });
    after(async () => {
      await op.close();
      await w.cleanup();
    });

    /** Move the clock to the next 30-second step (a new code). */
    const tick = () => w.setNow(new Date(w.now().getTime() + 30_000));

    /** A staff account granted single sign-on for a person the provider knows. */
    async function ssoPerson(username: string, role: "leader" | "coordinator", sub: string) {
      const user = await w.createStaff(username, role);
      const admin = await logIn(plain, "quantri", pw("quantri"));
      const email = `${username}@quangngai.gov.vn`;
      const grant = await admin.post(`/quan-tri/tai-khoan/${user.id}/sso`, { ssoEmail: email });
      assert.equal(grant.status, 303, "the administrator grants single sign-on");
      op.persons.set(sub, { sub, email, emailVerified: true, name: username });
      return user;
    }

    /** The code step of a sign-in in progress: its form's CSRF token, then the code. */
    async function postCode(b: SsoBrowser, code: string) {
      const page = await b.portalGet("/dang-nhap/xac-thuc");
      assert.equal(page.status, 200, "the code step's page");
      return b.portalPost("/dang-nhap/xac-thuc", { _csrf: csrfOf(await page.text()), code });
    }

    const actionsOf = async (userId: number) =>
      (
        await w.db.kysely
          .selectFrom("audit_log")
          .select(["action", "after_json"])
          .where("entity", "=", "user")
          .where("entity_id", "=", String(userId))
          .orderBy("id")
          .execute()
      ).map((r) => ({ action: r.action, after: r.after_json ? JSON.parse(r.after_json) : null }));

    test("an enrolled person is asked for the code after the provider; wrong refused, right signs in, a recovery code once", async () => {
      const user = await ssoPerson("lanhdao", "leader", "sub-ld");
      // The person set the second factor up earlier (by password, on their own page).
      const s = await logIn(plain, "lanhdao", pw("lanhdao"));
      const secret = secretOf(await (await s.get("/quan-tri/tai-khoan/xac-thuc-hai-buoc")).text());
      const on = await s.post("/quan-tri/tai-khoan/xac-thuc-hai-buoc/bat", { code: appCode(secret, w.now()) });
      assert.equal(on.status, 200, "enrolled");
      const recovery = recoveryCodesOf(await on.text());
      assert.equal(recovery.length, 10, "with ten recovery codes");
      tick();

      const b = new SsoBrowser(required);
      const { res } = await b.signIn("sub-ld");
      assert.equal(res.status, 303, `the provider's sign-in is accepted (got ${res.status})`);
      assert.equal(res.headers.get("location"), "/dang-nhap/xac-thuc", "then the portal asks for its code");
      assert.equal(b.portal.get("cchc_sid"), undefined, "no session yet");
      assert.ok(b.portal.get("cchc_signin"), "a sign-in in progress, in its own cookie");
      assert.equal((await b.portalGet("/quan-tri")).status, 303, "which opens no staff page");

      const right = appCode(secret, w.now());
      const wrong = await postCode(b, wrongCode(right));
      assert.equal(wrong.status, 401, "a wrong code is refused");
      assert.match(await wrong.text(), /Mã xác thực không đúng/, "in Vietnamese");
      assert.equal(b.portal.get("cchc_sid"), undefined, "and opens no session");

      const ok = await postCode(b, right);
      assert.equal(ok.status, 303, "the right code signs in");
      assert.equal(ok.headers.get("location"), "/quan-tri", "to the staff home");
      assert.ok(b.portal.get("cchc_sid"), "a staff session");
      assert.equal((await b.portalGet("/quan-tri")).status, 200, "which opens the staff pages");
      const actions = await actionsOf(user.id);
      assert.deepEqual(
        actions.find((a) => a.action === "session.second_factor_asked")?.after,
        { method: "oidc" },
        "the code was asked of a single sign-on",
      );
      assert.deepEqual(
        actions.at(-1),
        { action: "session.login", after: { method: "oidc", secondFactor: "totp" } },
        "the session is audited as a single sign-on with its code",
      );

      // The session the code opened still signs out at the provider (the ID token went through the code step).
      const out = await b.portalPost("/dang-xuat", { _csrf: await b.csrf() });
      assert.ok(
        (out.headers.get("location") ?? "").startsWith(op.issuer),
        `its sign-out goes on to the provider (got ${out.headers.get("location")})`,
      );
      tick();

      // A recovery code instead of the app's code: accepted once.
      const [code] = recovery;
      const r1 = new SsoBrowser(required);
      assert.equal((await r1.signIn("sub-ld")).res.headers.get("location"), "/dang-nhap/xac-thuc", "code asked");
      const used = await postCode(r1, code as string);
      assert.equal(used.status, 303, "a recovery code signs in");
      assert.match(used.headers.get("location") ?? "", /da-dung-ma=9$/, "saying nine are left");
      assert.ok(r1.portal.get("cchc_sid"), "with a session");
      const r2 = new SsoBrowser(required);
      await r2.signIn("sub-ld");
      const again = await postCode(r2, code as string);
      assert.equal(again.status, 401, "the same recovery code a second time is refused");
      assert.equal(r2.portal.get("cchc_sid"), undefined, "and opens no session");
      tick();
    });

    test("a person whose role needs a second factor and has none is sent to set it up before any session", async () => {
      const user = await ssoPerson("lanhdao2", "leader", "sub-ld2");
      const b = new SsoBrowser(required);
      const { res } = await b.signIn("sub-ld2");
      assert.equal(res.status, 303, "the provider's sign-in is accepted");
      assert.equal(res.headers.get("location"), "/dang-nhap/thiet-lap-xac-thuc", "then the set-up step");
      assert.equal(b.portal.get("cchc_sid"), undefined, "no session yet");
      assert.equal((await b.portalGet("/quan-tri")).status, 303, "no staff page");
      assert.equal(
        (await b.portalGet("/dang-nhap/xac-thuc")).headers.get("location"),
        "/dang-nhap/thiet-lap-xac-thuc",
        "the code step sends it back to the set-up",
      );
      const page = await b.portalGet("/dang-nhap/thiet-lap-xac-thuc");
      assert.equal(page.status, 200, "the set-up page");
      const html = await page.text();
      const secret = secretOf(html);
      assert.match(secret, /^[A-Z2-7]{32}$/, "shows a secret to scan");
      const right = appCode(secret, w.now());
      const bad = await b.portalPost("/dang-nhap/thiet-lap-xac-thuc", { _csrf: csrfOf(html), code: wrongCode(right) });
      assert.equal(bad.status, 400, "a wrong code does not set it up");
      assert.equal(b.portal.get("cchc_sid"), undefined, "nor sign in");
      const done = await b.portalPost("/dang-nhap/thiet-lap-xac-thuc", { _csrf: csrfOf(html), code: right });
      assert.equal(done.status, 200, "the right code sets it up");
      assert.equal(recoveryCodesOf(await done.text()).length, 10, "and shows the recovery codes once");
      assert.ok(b.portal.get("cchc_sid"), "the session opens");
      assert.equal((await b.portalGet("/quan-tri")).status, 200, "staff pages open");
      const row = await w.db.kysely
        .selectFrom("users")
        .select("totp_enabled_at")
        .where("id", "=", user.id)
        .executeTakeFirstOrThrow();
      assert.ok(row.totp_enabled_at, "the account now has its second factor");
      tick();
    });

    test("a role the setting does not cover signs in through the provider directly", async () => {
      await ssoPerson("chuyenvien", "coordinator", "sub-cv");
      const b = new SsoBrowser(required);
      const { res } = await b.signIn("sub-cv");
      assert.equal(res.headers.get("location"), "/quan-tri", "straight to the staff home");
      assert.ok(b.portal.get("cchc_sid"), "with a session");
    });
  });
}
