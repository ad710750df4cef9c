/**
 * Staff sign-in through the province's single sign-on (issue 12 §8), against a REAL OpenID provider (oidc-provider)
 * started here: the browser is walked over HTTP, redirect by redirect, with one cookie jar for the portal and one for
 * the provider; the portal exchanges the code at the provider's real token endpoint. The provider identifies a
 * person; the portal alone says what they may do.
 */
import assert from "node:assert/strict";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { after, before, describe, test } from "node:test";
import { SYSTEM_ACTOR } from "../src/core/audit.ts";
import { SSO_CALLBACK_PATH, SSO_SIGNED_OUT_PATH } from "../src/core/config.ts";
import { createUser } from "../src/features/accounts/accounts.service.ts";
import { createWorld, logIn, pw, setUpOtherWard, type TestWorld, testDatabases } from "./helpers/env.ts";
import { startTestProvider, type TestProvider } from "./helpers/oidc-provider.ts";
import { type App, ORIGIN, SsoBrowser } from "./helpers/sso-browser.ts";

const count = async (w: TestWorld, table: "users" | "sso_identities" | "sessions") =>
  Number(
    (
      await w.db.kysely
        .selectFrom(table)
        .select((eb) => eb.fn.countAll().as("n"))
        .executeTakeFirstOrThrow()
    ).n,
  );

const auditActions = async (w: TestWorld) =>
  (await w.db.kysely.selectFrom("audit_log").select(["action", "entity_id", "after_json"]).orderBy("id").execute()).map(
    (r) => ({ ...r, after: r.after_json ? JSON.parse(r.after_json) : null }),
  );

for (const target of testDatabases()) {
  describe(`single sign-on (${target.name})`, () => {
    let w: TestWorld;
    let op: TestProvider;
    let app: App;
    let editor: { id: number; username: string };

    before(async () => {
      w = await createWorld(target);
      op = await startTestProvider(`${ORIGIN}${SSO_CALLBACK_PATH}`, `${ORIGIN}${SSO_SIGNED_OUT_PATH}`);
      app = w.appWith({
        OIDC_ISSUER: op.issuer,
        OIDC_CLIENT_ID: op.clientId,
        OIDC_CLIENT_SECRET: op.clientSecret,
        OIDC_LABEL: "Đăng nhập bằng tài khoản một cửa của tỉnh",
        PUBLIC_URL: ORIGIN,
      });
      await w.createStaff("quantri", "admin");
      editor = await w.createStaff("bientap", "coordinator");
      op.persons.set("sub-bien-tap", {
        sub: "sub-bien-tap",
        email: "Bien.Tap@QuangNgai.gov.vn",
        emailVerified: true,
        name: "Nguyễn Biên Tập",
      });
    });
    after(async () => {
      await op.close();
      await w.cleanup();
    });

    test("the login page offers the sign-on button with its configured text", async () => {
      const page = await (await app.request("/dang-nhap")).text();
      assert.ok(page.includes('href="/dang-nhap/sso"'), "the login page links to the single sign-on");
      assert.ok(page.includes("Đăng nhập bằng tài khoản một cửa của tỉnh"), "the button shows OIDC_LABEL");
      assert.ok(page.includes('name="password"'), "the password form stays for local accounts");
    });

    test("a granted person's first sign-in binds them; they get the portal's role, never the provider's claim", async () => {
      const admin = await logIn(app, "quantri", pw("quantri"));
      const grant = await admin.post(`/quan-tri/tai-khoan/${editor.id}/sso`, {
        ssoEmail: " bien.tap@quangngai.gov.vn ",
      });
      assert.equal(grant.status, 303, "the administrator grants single sign-on by e-mail");

      const b = new SsoBrowser(app);
      const { res } = await b.signIn("sub-bien-tap");
      assert.equal(
        res.status,
        303,
        `the callback signs the person in (got ${res.status}: ${await res.clone().text()})`,
      );
      assert.equal(res.headers.get("location"), "/quan-tri", "then sends them to the staff home");
      assert.ok(b.portal.get("cchc_sid"), "a portal session cookie is set");
      assert.equal(b.portal.get("cchc_sso"), undefined, "the sign-in's state cookie is cleared");

      const token = op.idTokens.at(-1);
      assert.equal(token?.role, "admin", "the provider really sent a role claim of administrator in the ID token");
      assert.equal(token?.sub, "sub-bien-tap", "for this person");

      const home = await b.portalGet("/quan-tri");
      assert.equal(home.status, 200, "the session opens the staff pages");
      assert.ok((await home.text()).includes("Cán bộ bientap"), "as the editor's account");
      const accounts = await b.portalGet("/quan-tri/tai-khoan");
      assert.equal(accounts.status, 403, "the provider's role claim gives no administrator's right");
      const user = await w.db.kysely
        .selectFrom("users")
        .selectAll()
        .where("id", "=", editor.id)
        .executeTakeFirstOrThrow();
      assert.equal(user.role, "coordinator", "the account keeps the role the portal gave it");

      const ids = await w.db.kysely.selectFrom("sso_identities").selectAll().execute();
      assert.deepEqual(
        ids.map((i) => [i.issuer, i.subject, i.user_id, i.email]),
        [[op.issuer, "sub-bien-tap", editor.id, "bien.tap@quangngai.gov.vn"]],
        "the provider's (issuer, subject) is bound to the account",
      );
      const actions = await auditActions(w);
      const sso = actions.filter((a) => a.action.startsWith("sso.") || a.action === "session.login");
      assert.deepEqual(
        sso.map((a) => a.action),
        ["session.login", "sso.bind", "sso.login", "session.login"],
        "the administrator's login, then the binding, the sign-on and its session are audited",
      );
      assert.deepEqual(sso.at(-1)?.after, { method: "oidc" }, "the session says it came by single sign-on");

      // The account page shows the binding to the administrator.
      const page = await (await admin.get(`/quan-tri/tai-khoan/${editor.id}`)).text();
      assert.ok(page.includes("Đã liên kết ngày"), "the account page shows the bound identity");

      // Bound by subject: a changed e-mail at the provider still signs the same person in, and binds nothing new.
      const person = op.persons.get("sub-bien-tap");
      if (person) person.email = "btap.moi@quangngai.gov.vn";
      const again = await new SsoBrowser(app).signIn("sub-bien-tap");
      assert.equal(again.res.status, 303, "the bound person signs in again by their subject");
      assert.equal(await count(w, "sso_identities"), 1, "no second binding");
      if (person) person.email = "Bien.Tap@QuangNgai.gov.vn";

      // Sign-out ends the local session.
      const csrf = await b.csrf();
      const out = await b.portalPost("/dang-xuat", { _csrf: csrf });
      assert.equal(out.status, 303, "sign-out answers with a redirect");
      const stale = await b.portalGet("/quan-tri");
      assert.equal(stale.status, 303, "the signed-out browser is sent to the login page");
    });

    test("signing out of a single sign-on ends the provider's session too; a password's sign-out stays local", async () => {
      const person = await w.createStaff("dangxuat", "coordinator");
      const admin = await logIn(app, "quantri", pw("quantri"));
      const grant = await admin.post(`/quan-tri/tai-khoan/${person.id}/sso`, {
        ssoEmail: "dang.xuat@quangngai.gov.vn",
      });
      assert.equal(grant.status, 303, "granted");
      op.persons.set("sub-dx", { sub: "sub-dx", email: "dang.xuat@quangngai.gov.vn", emailVerified: true, name: "ĐX" });
      const sessionsOf = () =>
        w.db.kysely.selectFrom("sessions").select("sso_id_token").where("user_id", "=", person.id).execute();

      const b = new SsoBrowser(app);
      assert.equal((await b.signIn("sub-dx")).res.status, 303, "signed in through the provider");
      assert.equal(b.interactions, 1, "the provider asked for the person's credentials");
      assert.equal((await b.signIn("sub-dx")).res.status, 303, "and again, in the same browser");
      assert.equal(b.interactions, 1, "the second time without asking: the provider's session is open");
      const idToken = op.idTokens.at(-1);
      const stored = await sessionsOf();
      assert.equal(stored.length, 1, "one portal session (the second sign-in replaced the first)");
      assert.ok(stored[0]?.sso_id_token, "the session keeps the provider's ID token, in the database");
      assert.ok(
        [...b.portal.values()].every((v) => !v.includes(stored[0]?.sso_id_token?.slice(0, 40) ?? "-")),
        "never in a cookie",
      );

      const out = await b.portalPost("/dang-xuat", { _csrf: await b.csrf() });
      assert.equal(out.status, 303, "sign-out answers with a redirect");
      const location = new URL(out.headers.get("location") ?? "", ORIGIN);
      const discovery = (await (await fetch(`${op.issuer}/.well-known/openid-configuration`)).json()) as {
        end_session_endpoint: string;
      };
      assert.equal(
        `${location.origin}${location.pathname}`,
        discovery.end_session_endpoint,
        "to the provider's end_session_endpoint",
      );
      const hint = location.searchParams.get("id_token_hint") ?? "";
      assert.equal(hint, stored[0]?.sso_id_token, "with the session's ID token as the hint");
      assert.equal(
        JSON.parse(Buffer.from(hint.split(".")[1] ?? "", "base64url").toString()).sub,
        idToken?.sub,
        "the ID token of this person",
      );
      assert.equal(
        location.searchParams.get("post_logout_redirect_uri"),
        `${ORIGIN}${SSO_SIGNED_OUT_PATH}`,
        "and the portal's signed-out page to come back to",
      );
      assert.deepEqual(await sessionsOf(), [], "the portal session is gone before the browser leaves");
      assert.equal(b.portal.get("cchc_sid"), undefined, "and its cookie cleared");

      const back = await b.confirmProviderSignOut(location.href);
      assert.equal(back, `${ORIGIN}${SSO_SIGNED_OUT_PATH}`, "the provider sends the browser back to the portal");
      const page = await b.portalGet(back);
      assert.equal(page.status, 200, "the signed-out page");
      assert.ok((await page.text()).includes("Bạn đã đăng xuất khỏi cổng thông tin"), "says so in Vietnamese");
      assert.equal((await b.portalGet("/quan-tri")).status, 303, "the staff pages send the browser to the login");

      assert.equal((await b.signIn("sub-dx")).res.status, 303, "a new sign-in through the provider works");
      assert.equal(b.interactions, 2, "but the provider asks for the credentials again: its session was ended");

      // A password's session signs out locally, to the home page, as before.
      await w.createStaff("matkhau", "coordinator");
      const local = await logIn(app, "matkhau", pw("matkhau"));
      const localOut = await local.post("/dang-xuat", {});
      assert.equal(localOut.status, 303, "a password's sign-out redirects");
      assert.equal(localOut.headers.get("location"), "/", "to the home page, never to the provider");
    });

    test("a provider without an end_session_endpoint: sign-out ends the portal's session and stays on the portal", async () => {
      const plainOp = await startTestProvider(`${ORIGIN}${SSO_CALLBACK_PATH}`, undefined, { rpInitiatedLogout: false });
      try {
        const discovery = (await (await fetch(`${plainOp.issuer}/.well-known/openid-configuration`)).json()) as {
          end_session_endpoint?: string;
        };
        assert.equal(discovery.end_session_endpoint, undefined, "this provider advertises no sign-out");
        const other = w.appWith({
          OIDC_ISSUER: plainOp.issuer,
          OIDC_CLIENT_ID: plainOp.clientId,
          OIDC_CLIENT_SECRET: plainOp.clientSecret,
          PUBLIC_URL: ORIGIN,
        });
        plainOp.persons.set("sub-dx", {
          sub: "sub-dx",
          email: "dang.xuat@quangngai.gov.vn",
          emailVerified: true,
          name: "ĐX",
        });
        const b = new SsoBrowser(other);
        assert.equal((await b.signIn("sub-dx")).res.status, 303, "signed in through this provider");
        const out = await b.portalPost("/dang-xuat", { _csrf: await b.csrf() });
        assert.equal(out.status, 303, "sign-out redirects");
        assert.equal(out.headers.get("location"), "/", "to the portal's home page");
        assert.equal((await b.portalGet("/quan-tri")).status, 303, "the portal session is gone");
      } finally {
        await plainOp.close();
      }
    });

    test("an unknown person is refused politely and nothing is created", async () => {
      op.persons.set("sub-la", {
        sub: "sub-la",
        email: "nguoi.la@quangngai.gov.vn",
        emailVerified: true,
        name: "Người Lạ",
      });
      const [users, ids, sessions] = [
        await count(w, "users"),
        await count(w, "sso_identities"),
        await count(w, "sessions"),
      ];
      const b = new SsoBrowser(app);
      const { res } = await b.signIn("sub-la");
      assert.equal(res.status, 403, "the unknown person is refused");
      const text = await res.text();
      assert.ok(text.includes("chưa được cấp quyền"), "with a Vietnamese page saying they are not granted access");
      assert.equal(b.portal.get("cchc_sid"), undefined, "no session cookie");
      assert.equal(await count(w, "users"), users, "no account is created");
      assert.equal(await count(w, "sso_identities"), ids, "no identity is bound");
      assert.equal(await count(w, "sessions"), sessions, "no session is opened");
      const refused = (await auditActions(w)).filter((a) => a.action === "sso.refused.unknown");
      assert.equal(refused.at(-1)?.after?.email, "nguoi.la@quangngai.gov.vn", "the refusal is audited with who asked");

      // An e-mail the provider does not vouch for binds nothing, even when an account was granted it.
      const other = await w.createStaff("chuaxacthuc", "coordinator");
      const admin = await logIn(app, "quantri", pw("quantri"));
      await admin.post(`/quan-tri/tai-khoan/${other.id}/sso`, { ssoEmail: "chua.xac.thuc@quangngai.gov.vn" });
      op.persons.set("sub-cxt", {
        sub: "sub-cxt",
        email: "chua.xac.thuc@quangngai.gov.vn",
        emailVerified: false,
        name: "Chưa Xác Thực",
      });
      const unverified = await new SsoBrowser(app).signIn("sub-cxt");
      assert.equal(unverified.res.status, 403, "an unverified e-mail is refused");
      assert.equal(await count(w, "sso_identities"), ids, "and binds nothing");
    });

    test("a wrong state, a replayed callback and a callback without the browser's state are refused", async () => {
      const sessions = await count(w, "sessions");
      const forged = await new SsoBrowser(app).signIn("sub-bien-tap", {
        beforeCallback: (url) => url.searchParams.set("state", "forged-state"),
      });
      assert.equal(forged.res.status, 400, "a state other than the browser's is refused");
      assert.ok((await forged.res.text()).includes("không hợp lệ"), "with a Vietnamese explanation");

      const b = new SsoBrowser(app);
      const ok = await b.signIn("sub-bien-tap");
      assert.equal(ok.res.status, 303, "a genuine sign-in succeeds");
      assert.ok(ok.stateCookie, "the browser held the state cookie at the callback");
      const replay = await app.request(ok.callback, { headers: { cookie: `cchc_sso=${ok.stateCookie}` } });
      assert.equal(replay.status, 400, "the same callback (code and state) replayed with its cookie is refused");
      assert.equal(
        replay.headers.getSetCookie().some((c) => c.startsWith("cchc_sid=") && !c.startsWith("cchc_sid=;")),
        false,
        "no session",
      );

      // Login CSRF: someone else's callback URL in a browser that did not start it.
      const victim = new SsoBrowser(app);
      const attacker = await new SsoBrowser(app).signIn("sub-bien-tap", { beforeCallback: () => {} });
      assert.equal(attacker.res.status, 303, "the attacker's own sign-in works");
      const planted = await victim.portalGet(attacker.callback);
      assert.equal(planted.status, 400, "a callback the browser did not start is refused");
      assert.equal(victim.portal.get("cchc_sid"), undefined, "and opens no session there");
      assert.equal(await count(w, "sessions"), sessions + 2, "only the two genuine sign-ins opened sessions");
    });

    test("a disabled account cannot sign in by single sign-on", async () => {
      const admin = await logIn(app, "quantri", pw("quantri"));
      const off = await admin.post(`/quan-tri/tai-khoan/${editor.id}/trang-thai`, { active: "0" });
      assert.equal(off.status, 303, "the administrator disables the account");
      const { res } = await new SsoBrowser(app).signIn("sub-bien-tap");
      assert.equal(res.status, 403, "the bound person of a disabled account is refused");
      assert.ok((await res.text()).includes("bị khóa"), "with a page saying the account is disabled");
      const refused = (await auditActions(w)).filter((a) => a.action === "sso.refused.disabled");
      assert.equal(refused.at(-1)?.entity_id, String(editor.id), "the refusal is audited against the account");
      await admin.post(`/quan-tri/tai-khoan/${editor.id}/trang-thai`, { active: "1" });
    });

    test("an administrator grants sign-on only to their ward's accounts, one e-mail to one account", async () => {
      const otherWard = await setUpOtherWard(w, "21451");
      const r = await createUser(
        w.db.kysely,
        SYSTEM_ACTOR,
        {
          username: "quantri2",
          displayName: "Quản trị phường khác",
          password: pw("quantri2"),
          role: "admin",
          wardId: otherWard,
        },
        w.now(),
      );
      assert.ok(r.ok, "the other ward's administrator is created");
      const stranger = await logIn(app, "quantri2", pw("quantri2"));
      const res = await stranger.post(`/quan-tri/tai-khoan/${editor.id}/sso`, { ssoEmail: "ke.gian@example.vn" });
      assert.equal(res.status, 404, "another ward's administrator cannot reach this ward's account");
      const user = await w.db.kysely
        .selectFrom("users")
        .select("sso_email")
        .where("id", "=", editor.id)
        .executeTakeFirstOrThrow();
      assert.equal(user.sso_email, "bien.tap@quangngai.gov.vn", "the e-mail is unchanged");

      const admin = await logIn(app, "quantri", pw("quantri"));
      const second = await w.createStaff("trungmail", "coordinator");
      const dup = await admin.post(`/quan-tri/tai-khoan/${second.id}/sso`, { ssoEmail: "BIEN.TAP@quangngai.gov.vn" });
      assert.equal(dup.status, 409, "an e-mail already granted to another account is refused");
      assert.ok((await dup.text()).includes("đã được cấp cho một tài khoản khác"), "with a Vietnamese message");
      const bad = await admin.post(`/quan-tri/tai-khoan/${second.id}/sso`, { ssoEmail: "không phải thư" });
      assert.equal(bad.status, 400, "a malformed e-mail is refused");
    });

    test("the operator grants sign-on to a province's account on its page; the person gets the province's role", async () => {
      await w.createStaff("vanhanh", "admin", undefined, { operator: true });
      const leader = await w.createProvinceStaff("lanhdaotinh", "leader");
      const operator = await logIn(app, "vanhanh", pw("vanhanh"));
      const base = `/quan-tri/tinh/51/tai-khoan/${leader.id}`;
      assert.ok(
        (await (await operator.get(base)).text()).includes("Đăng nhập một lần"),
        "the page has the sign-on form",
      );
      const grant = await operator.post(`${base}/sso`, { ssoEmail: "lanh.dao@quangngai.gov.vn" });
      assert.equal(grant.status, 303, "the operator grants single sign-on to the province's account");
      const wardAdmin = await logIn(app, "quantri", pw("quantri"));
      const refused = await wardAdmin.post(`${base}/sso`, { ssoEmail: "ke.gian@quangngai.gov.vn" });
      assert.equal(refused.status, 403, "a ward's administrator cannot grant a province's account");
      op.persons.set("sub-ld", { sub: "sub-ld", email: "lanh.dao@quangngai.gov.vn", emailVerified: true, name: "LĐ" });
      const b = new SsoBrowser(app);
      const { res } = await b.signIn("sub-ld");
      assert.equal(res.status, 303, "the province's leader signs in by single sign-on");
      const session = await w.db.kysely
        .selectFrom("sso_identities")
        .select("user_id")
        .where("subject", "=", "sub-ld")
        .executeTakeFirstOrThrow();
      assert.equal(session.user_id, leader.id, "bound to the province's account");
      assert.equal((await b.portalGet("/quan-tri")).status, 200, "and opens the staff pages");
    });

    test("a changed e-mail forgets the old binding", async () => {
      const admin = await logIn(app, "quantri", pw("quantri"));
      const res = await admin.post(`/quan-tri/tai-khoan/${editor.id}/sso`, { ssoEmail: "bien.tap.2@quangngai.gov.vn" });
      assert.equal(res.status, 303, "the administrator changes the granted e-mail");
      const ids = await w.db.kysely
        .selectFrom("sso_identities")
        .select("subject")
        .where("user_id", "=", editor.id)
        .execute();
      assert.deepEqual(ids, [], "the identity bound with the old e-mail is forgotten");
      const { res: refused } = await new SsoBrowser(app).signIn("sub-bien-tap");
      assert.equal(refused.status, 403, "the person with the old e-mail no longer signs in as the account");
    });

    test("without the settings there is no button and the routes do not exist", async () => {
      const page = await (await w.app.request("/dang-nhap")).text();
      assert.ok(!page.includes("/dang-nhap/sso"), "no sign-on button");
      assert.equal((await w.app.request("/dang-nhap/sso")).status, 404, "the start answers 404");
      assert.equal(
        (await w.app.request(`${SSO_CALLBACK_PATH}?code=x&state=y`)).status,
        404,
        "the callback answers 404",
      );
      const admin = await logIn(w.app, "quantri", pw("quantri"));
      const grant = await admin.post(`/quan-tri/tai-khoan/${editor.id}/sso`, { ssoEmail: "a@b.vn" });
      assert.equal(grant.status, 404, "nor can an account be granted sign-on");
      const accountPage = await (await admin.get(`/quan-tri/tai-khoan/${editor.id}`)).text();
      assert.ok(!accountPage.includes("Đăng nhập một lần"), "the account page has no sign-on form");
    });

    test("a provider that cannot be reached gives a clear Vietnamese page, not an error 500", async () => {
      const closed = http.createServer();
      await new Promise<void>((resolve) => closed.listen(0, "127.0.0.1", resolve));
      const port = (closed.address() as AddressInfo).port;
      await new Promise<void>((resolve) => closed.close(() => resolve()));
      const down = w.appWith({
        OIDC_ISSUER: `http://127.0.0.1:${port}`,
        OIDC_CLIENT_ID: "cchc",
        OIDC_CLIENT_SECRET: "secret",
        PUBLIC_URL: ORIGIN,
      });
      const res = await down.request("/dang-nhap/sso");
      assert.equal(res.status, 503, "the start says the service is unavailable");
      const text = await res.text();
      assert.ok(text.includes("Hiện không kết nối được hệ thống đăng nhập một lần"), "in Vietnamese");
      assert.ok(!/at .*\.ts:\d+/.test(text), "without a stack trace");
      assert.equal((await down.request("/dang-nhap")).status, 200, "the password login still works");
    });
  });
}
