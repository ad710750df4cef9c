/**
 * Issue 12 §8: staff one-time passwords (TOTP) with recovery codes, over HTTP on both databases. Codes are made by
 * otpauth (as a phone app would) from the secret the enrolment page shows, at the test clock.
 */
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { Secret, TOTP } from "otpauth";
import { SYSTEM_ACTOR } from "../src/core/audit.ts";
import { createUser } from "../src/features/accounts/accounts.service.ts";
import { createWorld, logIn, pw, setUpOtherWard, type TestWorld, testDatabases } from "./helpers/env.ts";

type App = ReturnType<TestWorld["appWith"]>;

/** What a phone app shows for this secret at this instant. */
const appCode = (secret: string, at: Date) =>
  new TOTP({ secret: Secret.fromBase32(secret), algorithm: "SHA1", digits: 6, period: 30 }).generate({
    timestamp: at.getTime(),
  });

const cookieOf = (res: Response, name: string) =>
  (res.headers.getSetCookie?.() ?? [res.headers.get("set-cookie") ?? ""])
    .map((c) => c.split(";")[0] as string)
    .find((c) => c.startsWith(`${name}=`) && c.length > name.length + 1);

const csrfOf = (html: string) => /name="_csrf" value="([^"]+)"/.exec(html)?.[1] ?? "";
const secretOf = (html: string) =>
  (/<code class="secret">([A-Z2-7 ]+)<\/code>/.exec(html)?.[1] ?? "").replace(/ /g, "");
const recoveryCodesOf = (html: string) =>
  [...html.matchAll(/<code>([0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4})<\/code>/g)].map((m) => m[1] as string);

for (const target of testDatabases()) {
  describe(`staff second factor (${target.name})`, () => {
    let w: TestWorld;
    let app: App;
    let required: App;
    let ipSeq = 0;
    const start = new Date("2026-03-02T03:00:00Z");
    before(async () => {
      w = await createWorld(target, { now: start });
      app = w.appWith({});
      required = w.appWith({ TOTP_REQUIRED_ROLES: "admin,leader" });
    });
    after(async () => w.cleanup());

    /** Move the clock to the next 30-second step (a new code), as a real minute passing would. */
    const tick = () => w.setNow(new Date(w.now().getTime() + 30_000));

    const form = (a: App, path: string, fields: Record<string, string>, cookie = "", ip = "10.9.0.1") =>
      a.request(path, {
        method: "POST",
        body: new URLSearchParams(fields),
        headers: { "content-type": "application/x-www-form-urlencoded", cookie, "x-test-ip": ip },
      });
    const get = (a: App, path: string, cookie: string) => a.request(path, { headers: { cookie } });

    /** A signed-in staff member turns the second factor on from their own page; returns the secret and codes. */
    async function enrol(username: string) {
      const s = await logIn(app, username, pw(username));
      const page = await s.get("/quan-tri/tai-khoan/xac-thuc-hai-buoc");
      const html = await page.text();
      const secret = secretOf(html);
      const done = await s.post("/quan-tri/tai-khoan/xac-thuc-hai-buoc/bat", { code: appCode(secret, w.now()) });
      assert.equal(done.status, 200, "enrolled");
      const codes = recoveryCodesOf(await done.text());
      assert.equal(codes.length, 10, "ten recovery codes shown");
      tick();
      return { secret, codes, session: s };
    }

    /** The password step: the sign-in in progress's cookie, and where it is sent. */
    async function password(a: App, username: string, ip: string) {
      const res = await form(a, "/dang-nhap", { username, password: pw(username) }, "", ip);
      assert.equal(res.status, 303, "the password is right");
      return {
        location: res.headers.get("location") ?? "",
        pending: cookieOf(res, "cchc_signin") ?? "",
        session: cookieOf(res, "cchc_sid"),
      };
    }

    /** The code step; returns the answer (303 with the session cookie when accepted). */
    async function code(a: App, pending: string, value: string, ip: string, withCsrf = true) {
      const page = await get(a, "/dang-nhap/xac-thuc", pending);
      const csrf = csrfOf(await page.text());
      return form(a, "/dang-nhap/xac-thuc", withCsrf ? { _csrf: csrf, code: value } : { code: value }, pending, ip);
    }

    const auditActions = async (userId: number) =>
      (
        await w.db.kysely
          .selectFrom("audit_log")
          .select(["action", "after_json"])
          .where("entity", "=", "user")
          .where("entity_id", "=", String(userId))
          .orderBy("id")
          .execute()
      ).map((r) => r.action);

    test("enrolment: the secret and its QR code, a code from the app confirms it, ten recovery codes kept as hashes", async () => {
      const user = await w.createStaff("tfa_enrol", "officer", "justice");
      const s = await logIn(app, user.username, user.password);
      const page = await s.get("/quan-tri/tai-khoan/xac-thuc-hai-buoc");
      assert.equal(page.status, 200, "any staff member has the page");
      const html = await page.text();
      const secret = secretOf(html);
      assert.match(secret, /^[A-Z2-7]{32}$/, "the secret is shown as text for typing by hand");
      assert.match(html, /<img src="data:image\/png;base64,[^"]+" alt="Mã QR/, "and as a QR code");
      assert.equal(
        secretOf(await (await s.get("/quan-tri/tai-khoan/xac-thuc-hai-buoc")).text()),
        secret,
        "reload: same",
      );

      const wrong = await s.post("/quan-tri/tai-khoan/xac-thuc-hai-buoc/bat", { code: "000000" });
      assert.equal(wrong.status, 400, "a wrong code does not switch it on");
      assert.match(await wrong.text(), /Mã không đúng/);
      const noCsrf = await form(
        app,
        "/quan-tri/tai-khoan/xac-thuc-hai-buoc/bat",
        { code: appCode(secret, w.now()) },
        s.cookie,
      );
      assert.equal(noCsrf.status, 403, "CSRF is required");

      const done = await s.post("/quan-tri/tai-khoan/xac-thuc-hai-buoc/bat", { code: appCode(secret, w.now()) });
      assert.equal(done.status, 200, "the right code switches it on");
      const codes = recoveryCodesOf(await done.text());
      assert.equal(new Set(codes).size, 10, "ten distinct recovery codes, shown once");
      const stored = await w.db.kysely
        .selectFrom("totp_recovery_codes")
        .select("code_hash")
        .where("user_id", "=", user.id)
        .execute();
      assert.equal(stored.length, 10, "ten stored");
      for (const c of codes)
        assert.ok(!stored.some((r) => r.code_hash.includes(c.replace(/-/g, ""))), "only hashes are stored");
      const after = await (await s.get("/quan-tri/tai-khoan/xac-thuc-hai-buoc")).text();
      assert.match(after, /đang bật/, "the page says it is on");
      assert.equal(secretOf(after), "", "and never shows the secret again");
      assert.equal(recoveryCodesOf(after).length, 0, "nor the recovery codes");
      assert.ok((await auditActions(user.id)).includes("user.totp_enable"), "audited");
      tick();
    });

    test("sign-in asks for the code: no session before it, wrong codes refused in Vietnamese, CSRF required", async () => {
      const user = await w.createStaff("tfa_login", "leader");
      const { secret } = await enrol(user.username);
      const ip = `10.9.1.${++ipSeq}`;
      const p = await password(app, user.username, ip);
      assert.equal(p.location, "/dang-nhap/xac-thuc", "sent to the code step");
      assert.equal(p.session, undefined, "no staff session yet");
      assert.ok(p.pending, "a sign-in in progress, in its own cookie");
      assert.equal((await get(app, "/quan-tri", p.pending)).status, 303, "which opens no staff page");
      const step = await get(app, "/dang-nhap/xac-thuc", p.pending);
      assert.equal(step.status, 200);
      assert.match(await step.text(), /Xác thực hai bước/);
      assert.equal((await get(app, "/dang-nhap/xac-thuc", "")).status, 303, "no sign-in in progress: back to login");

      const noCsrf = await code(app, p.pending, appCode(secret, w.now()), ip, false);
      assert.equal(noCsrf.status, 403, "CSRF is required on the code form");
      const wrong = await code(app, p.pending, "123456", ip);
      assert.equal(wrong.status, 401, "a wrong code is refused");
      assert.match(await wrong.text(), /Mã xác thực không đúng/);
      assert.equal(cookieOf(wrong, "cchc_sid"), undefined, "and opens no session");

      const ok = await code(app, p.pending, appCode(secret, w.now()), ip);
      assert.equal(ok.status, 303, "the right code signs in");
      assert.equal(ok.headers.get("location"), "/quan-tri");
      const sid = cookieOf(ok, "cchc_sid");
      assert.ok(sid, "a staff session");
      assert.equal((await get(app, "/quan-tri", sid as string)).status, 200, "which opens staff pages");
      assert.equal((await get(app, "/dang-nhap/xac-thuc", p.pending)).status, 303, "the sign-in in progress is over");
      const actions = await auditActions(user.id);
      for (const a of ["session.second_factor_asked", "user.totp_failed", "session.login"])
        assert.ok(actions.includes(a), `audited: ${a} (${actions.join(", ")})`);
      tick();
    });

    test("a code is accepted once: the same code again in its window is refused, the next one works", async () => {
      const user = await w.createStaff("tfa_replay", "officer", "justice");
      const { secret } = await enrol(user.username);
      const ip = `10.9.2.${++ipSeq}`;
      const used = appCode(secret, w.now());
      const first = await password(app, user.username, ip);
      assert.equal((await code(app, first.pending, used, ip)).status, 303, "first use");
      const second = await password(app, user.username, ip);
      const replay = await code(app, second.pending, used, ip);
      assert.equal(replay.status, 401, "the same code, same step: refused");
      const older = await code(app, second.pending, appCode(secret, new Date(w.now().getTime() - 30_000)), ip);
      assert.equal(older.status, 401, "a code of the step before, after a later one was used: refused");
      tick();
      assert.equal((await code(app, second.pending, used, ip)).status, 401, "the used code in the next step: refused");
      const fresh = await code(app, second.pending, appCode(secret, w.now()), ip);
      assert.equal(fresh.status, 303, "the next step's code works");
      tick();
    });

    test("clock drift: a phone one step behind is accepted, two steps behind is not", async () => {
      const user = await w.createStaff("tfa_drift", "officer", "justice");
      const { secret } = await enrol(user.username);
      const ip = `10.9.3.${++ipSeq}`;
      tick();
      tick();
      const p = await password(app, user.username, ip);
      const twoBehind = await code(app, p.pending, appCode(secret, new Date(w.now().getTime() - 60_000)), ip);
      assert.equal(twoBehind.status, 401, "two steps behind");
      const oneBehind = await code(app, p.pending, appCode(secret, new Date(w.now().getTime() - 30_000)), ip);
      assert.equal(oneBehind.status, 303, "one step behind");
      tick();
    });

    test("wrong codes are throttled like passwords: after the free allowance, even the right code waits", async () => {
      const user = await w.createStaff("tfa_throttle", "officer", "justice");
      const { secret } = await enrol(user.username);
      const ip = `10.9.4.${++ipSeq}`;
      const p = await password(app, user.username, ip);
      for (let i = 0; i < 5; i++) assert.equal((await code(app, p.pending, `00000${i}`, ip)).status, 401, `miss ${i}`);
      const held = await code(app, p.pending, appCode(secret, w.now()), ip);
      assert.equal(held.status, 429, "told to wait");
      assert.ok(Number(held.headers.get("retry-after")) > 0, "with Retry-After");
      assert.match(await held.text(), /Nhập sai mã nhiều lần\. Vui lòng chờ \d+ giây rồi thử lại\./);
      assert.equal(cookieOf(held, "cchc_sid"), undefined, "no session while waiting");
      w.setNow(new Date(w.now().getTime() + 2_000));
      const p2 = await password(app, user.username, ip);
      assert.equal((await code(app, p2.pending, appCode(secret, w.now()), ip)).status, 303, "after the wait it works");
      tick();
    });

    test("a recovery code signs in once, and is then used up", async () => {
      const user = await w.createStaff("tfa_recover", "officer", "justice");
      const { codes } = await enrol(user.username);
      const ip = `10.9.5.${++ipSeq}`;
      const recovery = (codes[3] as string).toLowerCase();
      const p = await password(app, user.username, ip);
      const ok = await code(app, p.pending, recovery, ip);
      assert.equal(ok.status, 303, "a recovery code works in place of the app's code");
      assert.match(ok.headers.get("location") ?? "", /da-dung-ma=9/, "nine left, said on the way in");
      const again = await password(app, user.username, ip);
      assert.equal((await code(app, again.pending, recovery, ip)).status, 401, "the same recovery code: refused");
      assert.ok((await auditActions(user.id)).includes("user.totp_recovery_used"), "audited");
    });

    test("new recovery codes and switching off need a current code; old codes stop working", async () => {
      const user = await w.createStaff("tfa_manage", "officer", "justice");
      const { secret, codes, session: s } = await enrol(user.username);
      const self = "/quan-tri/tai-khoan/xac-thuc-hai-buoc";
      assert.equal(
        (await form(app, `${self}/ma-khoi-phuc`, { code: appCode(secret, w.now()) }, s.cookie)).status,
        403,
        "CSRF",
      );
      assert.equal((await s.post(`${self}/ma-khoi-phuc`, { code: "111111" })).status, 400, "a wrong code");
      const fresh = await s.post(`${self}/ma-khoi-phuc`, { code: appCode(secret, w.now()) });
      assert.equal(fresh.status, 200);
      const newCodes = recoveryCodesOf(await fresh.text());
      assert.equal(newCodes.length, 10, "ten new codes");
      tick();
      const ip = `10.9.6.${++ipSeq}`;
      const p = await password(app, user.username, ip);
      assert.equal((await code(app, p.pending, codes[0] as string, ip)).status, 401, "an old recovery code is revoked");

      assert.equal((await form(app, `${self}/tat`, { code: appCode(secret, w.now()) }, s.cookie)).status, 403, "CSRF");
      const wrong = await s.post(`${self}/tat`, { code: "222222" });
      assert.equal(wrong.status, 400, "switching off needs the right code");
      const off = await s.post(`${self}/tat`, { code: appCode(secret, w.now()) });
      assert.equal(off.status, 303);
      const direct = await password(app, user.username, ip);
      assert.ok(direct.session, "now the password alone signs in");
      const actions = await auditActions(user.id);
      for (const a of ["user.totp_recovery_codes", "user.totp_disable"])
        assert.ok(actions.includes(a), `audited: ${a}`);
      tick();
    });

    test("required by configuration: a leader without a second factor must set one up before anything else", async () => {
      const user = await w.createStaff("tfa_required", "leader");
      const ip = `10.9.7.${++ipSeq}`;
      const p = await password(required, user.username, ip);
      assert.equal(p.location, "/dang-nhap/thiet-lap-xac-thuc", "sent to set one up");
      assert.equal(p.session, undefined, "no session yet");
      assert.equal((await get(required, "/quan-tri", p.pending)).status, 303, "nothing else opens");
      assert.equal((await get(required, "/dang-nhap/xac-thuc", p.pending)).status, 303, "not the code step either");
      const page = await get(required, "/dang-nhap/thiet-lap-xac-thuc", p.pending);
      const html = await page.text();
      const secret = secretOf(html);
      assert.ok(secret, "the secret to set up is shown");
      const csrf = csrfOf(html);
      const enrolPath = "/dang-nhap/thiet-lap-xac-thuc";
      assert.equal((await form(required, enrolPath, { code: appCode(secret, w.now()) }, p.pending, ip)).status, 403);
      const wrong = await form(required, enrolPath, { _csrf: csrf, code: "333333" }, p.pending, ip);
      assert.equal(wrong.status, 400, "a wrong code");
      assert.match(await wrong.text(), /Mã không đúng/);
      const done = await form(required, enrolPath, { _csrf: csrf, code: appCode(secret, w.now()) }, p.pending, ip);
      assert.equal(done.status, 200, "set up");
      assert.equal(recoveryCodesOf(await done.text()).length, 10, "recovery codes shown once");
      const sid = cookieOf(done, "cchc_sid");
      assert.ok(sid, "and signed in");
      assert.equal((await get(required, "/quan-tri", sid as string)).status, 200);
      tick();
      const next = await password(required, user.username, ip);
      assert.equal(next.location, "/dang-nhap/xac-thuc", "from now on the code is asked");
      const signedIn = await code(required, next.pending, appCode(secret, w.now()), ip);
      const cookie = cookieOf(signedIn, "cchc_sid") as string;
      const page2 = await get(required, "/quan-tri/tai-khoan/xac-thuc-hai-buoc", cookie);
      const html2 = await page2.text();
      assert.doesNotMatch(html2, /action="\/quan-tri\/tai-khoan\/xac-thuc-hai-buoc\/tat"/, "no switch-off form");
      tick();
      const off = await form(
        required,
        "/quan-tri/tai-khoan/xac-thuc-hai-buoc/tat",
        { _csrf: csrfOf(html2), code: appCode(secret, w.now()) },
        cookie,
        ip,
      );
      assert.equal(off.status, 409, "a role that needs it cannot switch it off");
      assert.ok((await auditActions(user.id)).includes("session.second_factor_enrol_required"), "audited");
      const officer = await w.createStaff("tfa_notreq", "officer", "justice");
      assert.ok((await password(required, officer.username, ip)).session, "a role not listed signs in directly");
      tick();
    });

    test("an administrator resets a lost phone for an account of their ward only, audited", async () => {
      const admin = await w.createStaff("tfa_admin", "admin");
      const officer = await w.createStaff("tfa_lost", "officer", "justice");
      const { session: officerSession } = await enrol(officer.username);
      const otherWard = await setUpOtherWard(w, "21451");
      const other = await createUser(
        w.db.kysely,
        SYSTEM_ACTOR,
        {
          username: "tfa_otheradmin",
          displayName: "Quản trị khác",
          password: pw("tfa_otheradmin"),
          role: "admin",
          wardId: otherWard,
        },
        w.now(),
      );
      assert.ok(other.ok, "the other ward's administrator");
      const path = `/quan-tri/tai-khoan/${officer.id}/xac-thuc-hai-buoc/dat-lai`;
      const stranger = await logIn(app, "tfa_otheradmin", pw("tfa_otheradmin"));
      assert.equal((await stranger.post(path, {})).status, 404, "another ward's administrator cannot");
      const a = await logIn(app, admin.username, admin.password);
      assert.equal((await form(app, path, {}, a.cookie)).status, 403, "CSRF is required");
      const accountPage = await (await a.get(`/quan-tri/tai-khoan/${officer.id}`)).text();
      assert.match(accountPage, /Đặt lại xác thực hai bước/, "the account page offers the reset");
      const reset = await a.post(path, {});
      assert.equal(reset.status, 303);
      assert.equal((await officerSession.get("/quan-tri")).status, 303, "the account's sessions ended");
      const p = await password(app, officer.username, `10.9.8.${++ipSeq}`);
      assert.ok(p.session, "it signs in with the password again");
      const row = await w.db.kysely
        .selectFrom("audit_log")
        .select(["actor", "ward_id"])
        .where("action", "=", "user.totp_reset")
        .where("entity_id", "=", String(officer.id))
        .executeTakeFirst();
      assert.equal(row?.actor, admin.username, "audited with the administrator's name");
      assert.equal(row?.ward_id, w.wardId, "in the ward");
      const officerAccount = await w.createStaff("tfa_peer", "officer", "justice");
      const o = await logIn(app, officerAccount.username, officerAccount.password);
      assert.equal((await o.post(path, {})).status, 403, "an officer cannot reset");
    });
  });
}
