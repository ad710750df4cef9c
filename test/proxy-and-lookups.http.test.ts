/**
 * Issue 8 A.5 in-process (test/nginx-proxy.http.test.ts runs the same behind a real nginx): behind a trusted proxy
 * the client address is the one the proxy appended, not the leftmost X-Forwarded-For entry the client wrote, so
 * forged headers no longer escape the per-address limit; X-Forwarded-Host counts only from a trusted proxy; failed
 * lookups are limited per phone number and per code from all addresses together. Also D.3: migration 019 renames
 * the public forms' table and secret and keeps their data.
 */
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { after, before, describe, test } from "node:test";
import { type Kysely, type Migration, Migrator, sql } from "kysely";
import { migrateToLatest } from "../src/core/db/migrate.ts";
import { formTokenKey } from "../src/core/web/public-forms.ts";
import { createWorld, type TestWorld, testDatabases } from "./helpers/env.ts";

const citizen = {
  content: "Cống thoát nước trước nhà số 12 bị tắc, đề nghị phường cho nạo vét.",
  name: "Lê Thị Hoa",
  address: "Tổ 2, phường Đức Phổ",
  phone: "0905 111 222",
  consent: true,
};

const randomIp = () =>
  `${1 + Math.floor(Math.random() * 220)}.${Math.floor(Math.random() * 255)}.7.${Math.floor(Math.random() * 255)}`;

for (const target of testDatabases()) {
  describe(`client address behind a trusted proxy (${target.name})`, () => {
    let w: TestWorld;
    before(async () => {
      w = await createWorld(target);
    });
    after(async () => w.cleanup());

    const lookup = (app: ReturnType<TestWorld["appWith"]>, headers: Record<string, string>, body: unknown) =>
      app.request("/api/v1/feedback/lookup", {
        method: "POST",
        body: JSON.stringify(body),
        headers: { "content-type": "application/json", ...headers },
      });

    test("forged X-Forwarded-For entries left of the proxy's own do not make new clients", async () => {
      const app = w.appWith({ TRUST_PROXY: "1", PUBLIC_FORM_RATE_LIMIT: "5" });
      const statuses: number[] = [];
      for (let i = 0; i < 20; i++) {
        const res = await lookup(
          app,
          { "x-test-ip": "127.0.0.1", "x-forwarded-for": `${randomIp()}, ${randomIp()}, 198.51.100.7` },
          { code: "PA-2026-XXXXXX", phone: `09${String(i).padStart(8, "0")}` },
        );
        statuses.push(res.status);
      }
      assert.equal(statuses.filter((s) => s === 429).length, 15, `only 5 of 20 pass: ${statuses.join(",")}`);
      // Another client behind the same proxy is counted apart.
      const other = await lookup(
        app,
        { "x-test-ip": "127.0.0.1", "x-forwarded-for": "198.51.100.8" },
        { code: "PA-2026-XXXXXX", phone: "0911000000" },
      );
      assert.equal(other.status, 404, "a second client of the proxy has its own allowance");
    });

    test("an address list trusts only the proxies named; a peer outside it is the client itself", async () => {
      const app = w.appWith({ TRUST_PROXY: "10.9.0.0/16", PUBLIC_FORM_RATE_LIMIT: "3" });
      const statuses: number[] = [];
      for (let i = 0; i < 6; i++) {
        const res = await lookup(
          app,
          { "x-test-ip": "203.0.113.50", "x-forwarded-for": randomIp() },
          { code: "PA-2026-XXXXXX", phone: `08${String(i).padStart(8, "0")}` },
        );
        statuses.push(res.status);
      }
      assert.deepEqual(statuses, [404, 404, 404, 429, 429, 429], "an untrusted peer cannot pose as many clients");
    });

    test("X-Forwarded-Host is believed only from a trusted proxy", async () => {
      const login = (app: ReturnType<TestWorld["appWith"]>, headers: Record<string, string>) =>
        app.request("http://10.9.0.2:3000/dang-nhap", {
          method: "POST",
          body: new URLSearchParams({ username: "khongco", password: "sai-mat-khau" }),
          headers: { "content-type": "application/x-www-form-urlencoded", ...headers },
        });
      const evil = { origin: "https://evil.example", "x-forwarded-host": "evil.example" };
      const direct = await login(w.appWith({ TRUST_PROXY: "false" }), { ...evil, "x-test-ip": "203.0.113.9" });
      assert.equal(direct.status, 403, "a direct client cannot vouch for its own origin");
      const untrusted = await login(w.appWith({ TRUST_PROXY: "10.9.0.0/16" }), { ...evil, "x-test-ip": "203.0.113.9" });
      assert.equal(untrusted.status, 403, "nor can a peer that is not one of the proxies");
      const viaProxy = await login(w.appWith({ TRUST_PROXY: "10.9.0.0/16" }), {
        origin: "https://cchc.example.vn",
        "x-forwarded-host": "cchc.example.vn",
        "x-test-ip": "10.9.0.1",
        "x-forwarded-for": "198.51.100.9",
      });
      assert.equal(viaProxy.status, 401, "through the proxy the public host is ours: the login is only refused");
    });
  });

  describe(`failed lookups per phone number and per code (${target.name})`, () => {
    let w: TestWorld;
    before(async () => {
      w = await createWorld(target);
    });
    after(async () => w.cleanup());

    test("ten failures for one phone from ten addresses stop the eleventh, even with the right code, for a day", async () => {
      const app = w.appWith({});
      const filed = await app.request("/api/v1/feedback", {
        method: "POST",
        body: JSON.stringify(citizen),
        headers: { "content-type": "application/json", "x-test-ip": "192.0.2.1" },
      });
      assert.equal(filed.status, 201, "filed");
      const { code } = (await filed.json()) as { code: string };
      const ask = (body: { code: string; phone: string }) =>
        app.request("/api/v1/feedback/lookup", {
          method: "POST",
          body: JSON.stringify(body),
          headers: { "content-type": "application/json", "x-test-ip": randomIp() },
        });
      const ok = await ask({ code, phone: citizen.phone });
      assert.equal(ok.status, 200, "the citizen finds their item");
      for (let i = 0; i < 10; i++) {
        const wrong = `PA-2026-${"ACDEGHKMPQ"[i]}3333${"X"}`;
        assert.equal((await ask({ code: wrong, phone: "0905111222" })).status, 404, `guess ${i + 1} fails`);
      }
      const blocked = await ask({ code, phone: citizen.phone });
      assert.equal(blocked.status, 429, "the phone has failed too often, whatever the address");
      const body = (await blocked.json()) as { error: { message: string } };
      assert.match(body.error.message, /tra cứu sai quá nhiều lần/);
      assert.ok(Number(blocked.headers.get("retry-after")) > 3600, "the wait is counted in hours");

      const page = await app.request("/gop-y/tra-cuu", {
        method: "POST",
        body: new URLSearchParams({ code, phone: citizen.phone }),
        headers: { "content-type": "application/x-www-form-urlencoded", "x-test-ip": randomIp() },
      });
      assert.equal(page.status, 429, "the lookup page shares the limit");
      assert.match(await page.text(), /tra cứu sai quá nhiều lần/);

      const start = w.now();
      try {
        w.setNow(new Date(start.getTime() + 24 * 3600_000 + 1000));
        assert.equal((await ask({ code, phone: citizen.phone })).status, 200, "a day later the citizen finds it");
      } finally {
        w.setNow(start);
      }
    });

    test("failures for one code with many phones stop guessing the phone", async () => {
      const app = w.appWith({});
      const code = "PA-2026-7KQ9XM";
      const statuses: number[] = [];
      for (let i = 0; i < 11; i++) {
        const res = await app.request("/api/v1/feedback/lookup", {
          method: "POST",
          body: JSON.stringify({ code, phone: `0977${String(i).padStart(6, "0")}` }),
          headers: { "content-type": "application/json", "x-test-ip": randomIp() },
        });
        statuses.push(res.status);
      }
      assert.equal(statuses.at(-1), 429, `the eleventh try on one code is refused: ${statuses.join(",")}`);
    });
  });

  describe(`migration 019 renames the public forms' table and secret (${target.name})`, () => {
    test("hits and the secret survive, so a form rendered before the upgrade still files", async () => {
      const { db, cleanup } = await target.open();
      try {
        const dir = path.resolve("src/core/db/migrations");
        const migrations: Record<string, Migration> = {};
        // Migration files only: a migration's frozen helper copies (e.g. …-014-redact.ts) export no `up`.
        const before019: string[] = [];
        for (const f of fs
          .readdirSync(dir)
          .filter((n) => n.endsWith(".ts") && n < "20261206-019")
          .sort()) {
          const mod = (await import(path.join(dir, f))) as { up?: (k: Kysely<unknown>, ctx: unknown) => Promise<void> };
          const up = mod.up;
          if (!up) continue;
          before019.push(f);
          migrations[f.replace(/\.ts$/, "")] = { up: (k: Kysely<unknown>) => up(k, { dialect: db.dialect }) };
        }
        const schema =
          db.dialect === "postgres"
            ? (await sql<{ s: string }>`select current_schema() as s`.execute(db.kysely)).rows[0]?.s
            : undefined;
        const migrator = new Migrator({
          db: db.kysely,
          provider: { getMigrations: async () => migrations },
          ...(schema ? { migrationTableSchema: schema } : {}),
        });
        const last = before019.at(-1)?.replace(/\.ts$/, "") ?? "";
        assert.ifError((await migrator.migrateTo(last)).error);
        const k = db.kysely as unknown as Kysely<unknown>;
        await sql`insert into feedback_rate_hits (bucket, client_key, at) values ('lookup', 'abc', '2026-03-02T03:00:00.000Z')`.execute(
          k,
        );
        const secret = (
          await sql<{ value: string }>`select value from settings where key = 'feedback_form_secret'`.execute(k)
        ).rows[0]?.value;
        assert.ok(secret, "the old secret exists before 019");

        await migrateToLatest(db);
        const hits = await db.kysely.selectFrom("public_form_rate_hits").select(["bucket", "client_key"]).execute();
        assert.deepEqual(hits, [{ bucket: "lookup", client_key: "abc" }], "the hit is kept under the new name");
        const keys = await db.kysely
          .selectFrom("settings")
          .select(["key", "value"])
          .where("key", "like", "%form_secret")
          .execute();
        assert.deepEqual(keys, [{ key: "public_form_secret", value: secret }], "the same secret under its new key");
        // A token signed with the secret before the upgrade is still accepted.
        const { createHmac } = await import("node:crypto");
        const issued = String(Date.parse("2026-03-02T02:00:00Z"));
        const sig = createHmac("sha256", secret).update(`feedback|7|${issued}|n0nce`).digest("base64url");
        const key = await formTokenKey(db.kysely, 7, `${issued}.n0nce.${sig}`, new Date("2026-03-02T03:00:00Z"));
        assert.equal(key, "form:n0nce", "the old form's token is valid");
      } finally {
        await cleanup();
      }
    });
  });
}
