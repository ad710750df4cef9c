/**
 * Issue 8 A.9: failed logins slow guessing without locking anyone out. Parallel attempts are each counted exactly
 * once (no overshoot past the free allowance), waits grow with each failure, and a correct password from an
 * address without failures works at once even while the account is being guessed from many addresses.
 */
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { LOGIN_THROTTLE } from "../src/core/auth/login-throttle.ts";
import { createWorld, type TestWorld, testDatabases } from "./helpers/env.ts";

for (const target of testDatabases()) {
  describe(`login throttling (${target.name})`, () => {
    let w: TestWorld;
    let app: ReturnType<TestWorld["appWith"]>;
    before(async () => {
      w = await createWorld(target);
      app = w.appWith({});
    });
    after(async () => w.cleanup());

    const login = async (username: string, password: string, ip: string): Promise<Response> =>
      app.request("/dang-nhap", {
        method: "POST",
        body: new URLSearchParams({ username, password }),
        headers: { "content-type": "application/x-www-form-urlencoded", "x-test-ip": ip },
      });
    const counters = async (prefix: string) =>
      (
        await w.db.kysely.selectFrom("login_throttle").select("failures").where("key", "like", `${prefix}%`).execute()
      ).map((r) => r.failures);

    test("twenty parallel bad passwords: exactly the free allowance is checked and counted, the rest wait", async () => {
      const user = await w.createStaff("songsong", "officer", "justice");
      const statuses = await Promise.all(
        Array.from({ length: 20 }, (_, i) =>
          login(user.username, `sai-mat-khau-${i}`, "198.51.100.1").then((r) => r.status),
        ),
      );
      const free = LOGIN_THROTTLE.pair.free;
      assert.equal(statuses.filter((s) => s === 401).length, free, `only ${free} checked: ${statuses.join(",")}`);
      assert.equal(statuses.filter((s) => s === 429).length, 20 - free, "the others are told to wait");
      assert.deepEqual(await counters("account:songsong"), [free], "the account counted each checked attempt once");
      assert.deepEqual(await counters("pair:"), [free], "so did the pair");
    });

    test("waits grow with each failure, and the right password after the wait still logs in", async () => {
      const user = await w.createStaff("chodoi", "officer", "justice");
      const ip = "198.51.100.2";
      const start = w.now();
      try {
        for (let i = 0; i < LOGIN_THROTTLE.pair.free; i++)
          assert.equal((await login(user.username, `sai-${i}`, ip)).status, 401, `free failure ${i + 1}`);
        const waits: number[] = [];
        let t = start.getTime();
        for (let i = 0; i < 4; i++) {
          const refused = await login(user.username, user.password, ip);
          assert.equal(refused.status, 429, "too early: not even checked");
          assert.match(await refused.text(), /Vui lòng chờ \d+ giây rồi thử lại/);
          const wait = Number(refused.headers.get("retry-after"));
          waits.push(wait);
          t += wait * 1000;
          w.setNow(new Date(t));
          assert.equal((await login(user.username, `sai-lai-${i}`, ip)).status, 401, "after the wait a try is checked");
        }
        assert.deepEqual(waits, [1, 2, 4, 8], "each failure doubles the wait");
        const refused = await login(user.username, user.password, ip);
        const wait = Number(refused.headers.get("retry-after"));
        w.setNow(new Date(t + wait * 1000));
        assert.equal((await login(user.username, user.password, ip)).status, 303, "never locked: it logs in");
        assert.deepEqual(await counters(`pair:`), [LOGIN_THROTTLE.pair.free], "a success clears only its own pair");
      } finally {
        w.setNow(start);
      }
    });

    test("guessing from many addresses delays them, never the real user at a clean address", async () => {
      const user = await w.createStaff("nhieudiachi", "officer", "justice");
      // A botnet: one guess from each of many addresses, past the account's free allowance.
      for (let a = 0; a <= LOGIN_THROTTLE.account.free; a++)
        assert.equal((await login(user.username, `doan-${a}`, `203.0.113.${a + 1}`)).status, 401, `guess ${a + 1}`);
      const guesser = "203.0.113.99";
      assert.equal((await login(user.username, "doan-moi", guesser)).status, 401, "a new address's first guess");
      const held = await login(user.username, "doan-tiep", guesser);
      assert.equal(held.status, 429, "its next guess waits on the account's ceiling");
      assert.ok(Number(held.headers.get("retry-after")) <= LOGIN_THROTTLE.account.maxDelayS, "a delay, not a lock");
      const real = await login(user.username, user.password, "192.0.2.77");
      assert.equal(real.status, 303, "the real user at an address without failures logs in at once");
    });

    test("unknown accounts are throttled the same way (no enumeration by the answer)", async () => {
      const ip = "198.51.100.3";
      const statuses: number[] = [];
      for (let i = 0; i < LOGIN_THROTTLE.pair.free + 1; i++)
        statuses.push((await login("khongtontai", `x${i}`, ip)).status);
      assert.deepEqual(statuses, [...Array(LOGIN_THROTTLE.pair.free).fill(401), 429]);
    });
  });
}
