/** Staff sessions over HTTP: cookies, fixation, logout, expiry, login limits, and no secret in the logs. */
import assert from "node:assert/strict";
import { Writable } from "node:stream";
import { after, before, describe, test } from "node:test";
import pino from "pino";
import { createWorld, logIn, pw, type TestWorld, testDatabases } from "./helpers/env.ts";

for (const target of testDatabases()) {
  describe(`staff sessions (${target.name})`, () => {
    let w: TestWorld;
    let logged = "";
    before(async () => {
      const sink = new Writable({
        write(chunk, _enc, cb) {
          logged += chunk.toString();
          cb();
        },
      });
      w = await createWorld(target, { log: pino({ level: "debug" }, sink), now: new Date() });
      await w.createStaff("quantri1", "admin");
      await w.createStaff("canbo1", "officer", "justice");
    });
    after(async () => w.cleanup());

    const loginForm = (username: string, password: string) =>
      w.app.request("/dang-nhap", {
        method: "POST",
        body: new URLSearchParams({ username, password }),
        headers: { "content-type": "application/x-www-form-urlencoded" },
      });

    test("the session cookie is HttpOnly and SameSite, and each login gets a new session id", async () => {
      const a = await loginForm("canbo1", pw("canbo1"));
      const b = await loginForm("canbo1", pw("canbo1"));
      const ca = a.headers.get("set-cookie") ?? "";
      assert.match(ca, /HttpOnly/i);
      assert.match(ca, /SameSite=Lax/i);
      assert.notEqual(ca.split(";")[0], (b.headers.get("set-cookie") ?? "").split(";")[0]);
    });

    test("the cookie is Secure with the __Host- prefix behind HTTPS", async () => {
      const res = await w.app.request("https://cchc.example.vn/dang-nhap", {
        method: "POST",
        body: new URLSearchParams({ username: "canbo1", password: pw("canbo1") }),
        headers: { "content-type": "application/x-www-form-urlencoded" },
      });
      const cookie = res.headers.get("set-cookie") ?? "";
      assert.match(cookie, /^__Host-cchc_sid=/);
      assert.match(cookie, /Secure/);
      assert.match(res.headers.get("strict-transport-security") ?? "", /max-age=31536000/);
    });

    test("after logout the old cookie no longer opens staff pages", async () => {
      const s = await logIn(w.app, "canbo1", pw("canbo1"));
      assert.equal((await s.get("/quan-tri")).status, 200);
      const out = await s.post("/dang-xuat", {});
      assert.equal(out.status, 303);
      const again = await s.get("/quan-tri");
      assert.equal(again.status, 303);
      const left = await w.db.kysely
        .selectFrom("audit_log")
        .innerJoin("users", "users.id", "audit_log.user_id")
        .select(["audit_log.after_json"])
        .where("audit_log.action", "=", "session.logout")
        .where("users.username", "=", "canbo1")
        .execute();
      assert.equal(left.length, 1, "signing out leaves one audit record");
      assert.deepEqual(JSON.parse(String(left[0]?.after_json)), { method: "local" }, "how the session had been opened");
    });

    test("sessions expire after the idle limit", async () => {
      const s = await logIn(w.app, "canbo1", pw("canbo1"));
      const start = w.now();
      w.setNow(new Date(start.getTime() + 3 * 3600_000));
      try {
        assert.equal((await s.get("/quan-tri")).status, 303);
      } finally {
        w.setNow(start);
      }
    });

    test("role checks: an officer cannot read the audit log, an administrator can", async () => {
      const officer = await logIn(w.app, "canbo1", pw("canbo1"));
      assert.equal((await officer.get("/quan-tri/nhat-ky")).status, 403);
      const admin = await logIn(w.app, "quantri1", pw("quantri1"));
      const page = await admin.get("/quan-tri/nhat-ky");
      assert.equal(page.status, 200);
      assert.match(await page.text(), /session\.login/);
    });

    test("a foreign Origin is refused on login", async () => {
      const res = await w.app.request("http://localhost/dang-nhap", {
        method: "POST",
        body: new URLSearchParams({ username: "canbo1", password: pw("canbo1") }),
        headers: {
          "content-type": "application/x-www-form-urlencoded",
          origin: "https://evil.example",
          host: "localhost",
        },
      });
      assert.equal(res.status, 403);
    });

    test("failed logins are throttled per account and address, logged, and other accounts are unaffected", async () => {
      for (let i = 0; i < 5; i++) assert.equal((await loginForm("quantri1", `sai-mat-khau-${i}`)).status, 401);
      const blocked = await loginForm("quantri1", pw("quantri1"));
      assert.equal(blocked.status, 429, "past the free failures, the next attempt waits");
      assert.match(await blocked.text(), /Vui lòng chờ 1 giây rồi thử lại/);
      assert.equal((await loginForm("canbo1", pw("canbo1"))).status, 303);
      assert.match(logged, /login\.invalid/);
    });

    test("no password or session token reaches the logs", async () => {
      const res = await loginForm("canbo1", pw("canbo1"));
      const token = decodeURIComponent((res.headers.get("set-cookie") ?? "").split(";")[0]?.split("=")[1] ?? "");
      assert.ok(token.length > 20, "expected: token.length > 20");
      assert.ok(!logged.includes(pw("canbo1")), 'expected: !logged.includes(pw("canbo1"))');
      assert.ok(!logged.includes("sai-mat-khau"), 'expected: !logged.includes("sai-mat-khau")');
      assert.ok(!logged.includes(token), "expected: !logged.includes(token)");
    });
  });
}
