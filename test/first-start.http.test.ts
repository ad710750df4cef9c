/** First start: the demo loads from ../shared with a random administrator password printed once; without it, a guarded setup. */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import path from "node:path";
import { describe, test } from "node:test";
import { createApp } from "../src/app.tsx";
import { loadConfig } from "../src/core/config.ts";
import { migrateToLatest } from "../src/core/db/migrate.ts";
import { createLogger } from "../src/core/log.ts";
import { firstStart, SETUP_CODE_PRINTED } from "../src/features/setup/setup.service.ts";
import { SHARED_DIR, testDatabases } from "./helpers/env.ts";

const form = (fields: Record<string, string>) => ({
  method: "POST",
  body: new URLSearchParams(fields),
  headers: { "content-type": "application/x-www-form-urlencoded" },
});

/** The setup form of a ward that exists in the country's units: Phường Đức Phổ. */
const SETUP_FIELDS = {
  wardCode: "21439",
  wardName: "Phường Đức Phổ",
  provinceCode: "51",
  provinceName: "Tỉnh Quảng Ngãi",
  username: "quantri",
  displayName: "Nguyễn Văn Quản",
  password: "Đức-Phổ-2026!",
};

/** `npm run -s cli -- setup-code` on the database `env` names, without the shared folder. */
const setupCodeCommand = (env: Record<string, string>) =>
  spawnSync(process.execPath, ["--import", "tsx", "src/cli.ts", "setup-code"], {
    cwd: path.resolve(import.meta.dirname, ".."),
    encoding: "utf8",
    env: { ...process.env, ...env, CCHC_SHARED_DIR: "/nonexistent/shared", LOG_LEVEL: "silent" },
    timeout: 60_000,
  });

for (const target of testDatabases()) {
  describe(`first start (${target.name})`, () => {
    test("with the shared folder: demo ward, units, staff and seed plan; the admin line once; fixed defaults never work", async () => {
      const { db, dataDir, cleanup } = await target.open();
      try {
        await migrateToLatest(db);
        const now = new Date();
        const first = await firstStart(db, { sharedDir: SHARED_DIR, defaultWard: "21439", now });
        const adminLine = first.lines.find((l) => l.startsWith("Quản trị viên: "));
        const m = /^Quản trị viên: (\S+) \/ (\S+)$/.exec(adminLine ?? "");
        assert.ok(m, `admin line: ${adminLine}`);
        const [, username, password] = m as unknown as [string, string, string];
        assert.ok(password.length >= 12, "expected: password.length >= 12");
        const again = await firstStart(db, { sharedDir: SHARED_DIR, defaultWard: "21439", now });
        assert.deepEqual(again.lines, [], "credentials are printed once");

        const app = createApp({
          db,
          config: loadConfig({ DATA_DIR: dataDir, LOG_LEVEL: "silent" }),
          clock: () => new Date(),
          log: createLogger("silent"),
        });
        for (const [u, p] of [
          ["admin", "admin"],
          ["root", "root"],
          ["quantri", "quantri"],
          [username, "12345678"],
        ]) {
          assert.equal(
            (await app.request("/dang-nhap", form({ username: u as string, password: p as string }))).status,
            401,
            `${u}/${p}`,
          );
        }
        assert.equal((await app.request("/dang-nhap", form({ username, password }))).status, 303);
        const operators = await db.kysely
          .selectFrom("users")
          .select("username")
          .where("owner_scope", "=", "nation")
          .execute();
        assert.deepEqual(
          operators.map((o) => o.username),
          [username],
          "the demo's administrator, and only it, is the deployment operator",
        );
        const plans = (await (await app.request("/api/v1/plans")).json()) as { total: number };
        assert.equal(plans.total, 1);
        const units = await db.kysely
          .selectFrom("admin_units")
          .select((e) => e.fn.countAll<number>().as("n"))
          .where("valid_to", "is", null)
          .where("level", "=", "commune")
          .executeTakeFirstOrThrow();
        assert.equal(Number(units.n), 3321);
        const provinces = await db.kysely
          .selectFrom("admin_units")
          .select((e) => e.fn.countAll<number>().as("n"))
          .where("valid_to", "is", null)
          .where("level", "=", "province")
          .executeTakeFirstOrThrow();
        assert.equal(Number(provinces.n), 34);
        const procedures = (await (await app.request("/api/v1/procedures?pageSize=1")).json()) as { total: number };
        assert.ok(
          procedures.total > 500,
          `the demo catalogue holds the commune-level procedures (${procedures.total})`,
        );
        const home = await (await app.request("/")).text();
        assert.match(home, /Phường Đức Phổ/);
        assert.match(home, /Tỉnh Quảng Ngãi/);
      } finally {
        await cleanup();
      }
    });

    test("without the shared folder: empty, and the setup needs the printed code", async () => {
      const { db, dataDir, cleanup } = await target.open();
      try {
        await migrateToLatest(db);
        const first = await firstStart(db, { sharedDir: "/nonexistent/shared", defaultWard: "21439", now: new Date() });
        const code = /mã thiết lập (\S+)$/.exec(first.lines[0] ?? "")?.[1];
        assert.ok(code, first.lines.join("\n"));
        // Another process (or a restart) before the setup keeps the printed code valid instead of replacing it.
        const again = await firstStart(db, { sharedDir: "/nonexistent/shared", defaultWard: "21439", now: new Date() });
        assert.deepEqual(again.lines, [SETUP_CODE_PRINTED], "a later start points to the code already printed");
        const config = loadConfig({ DATA_DIR: dataDir, LOG_LEVEL: "silent" });
        const app = createApp({ db, config, clock: () => new Date(), log: createLogger("silent") });
        const home = await app.request("/");
        assert.equal(home.status, 303);
        assert.equal(home.headers.get("location"), "/thiet-lap");
        const fields = SETUP_FIELDS;
        const wrong = await app.request("/thiet-lap", form({ ...fields, code: "sai-ma" }));
        assert.equal(wrong.status, 400);
        assert.match(await wrong.text(), /Mã thiết lập không đúng/);
        const bad = await app.request("/thiet-lap", form({ ...fields, code, wardCode: "abc" }));
        assert.equal(bad.status, 400);
        assert.match(await bad.text(), /Mã xã, phường gồm 5 chữ số/);
        const ok = await app.request("/thiet-lap", form({ ...fields, code }));
        assert.equal(ok.status, 303);
        assert.equal(
          (await app.request("/dang-nhap", form({ username: "quantri", password: "Đức-Phổ-2026!" }))).status,
          303,
        );
        assert.match(await (await app.request("/")).text(), /Phường Đức Phổ/);
        const setupAdmin = await db.kysely
          .selectFrom("users")
          .select("owner_scope")
          .where("username", "=", "quantri")
          .executeTakeFirstOrThrow();
        assert.equal(setupAdmin.owner_scope, "nation", "the first administrator is also the deployment operator");
        const replay = await app.request("/thiet-lap", form({ ...fields, code }));
        assert.equal(replay.status, 400, "setup cannot run twice");
      } finally {
        await cleanup();
      }
    });

    test("a lost setup code: the command line makes a new one and the old one stops working", async () => {
      const { db, dataDir, env, cleanup } = await target.open();
      try {
        await migrateToLatest(db);
        const first = await firstStart(db, { sharedDir: "/nonexistent/shared", defaultWard: "21439", now: new Date() });
        const lost = /mã thiết lập (\S+)$/.exec(first.lines[0] ?? "")?.[1];
        assert.ok(lost, first.lines.join("\n"));
        const cli = setupCodeCommand(env);
        assert.equal(cli.status, 0, cli.stderr);
        const code = /mã thiết lập (\S+)$/m.exec(cli.stdout)?.[1];
        assert.ok(code && code !== lost, `a new code is printed: ${cli.stdout}`);
        const config = loadConfig({ DATA_DIR: dataDir, LOG_LEVEL: "silent" });
        const app = createApp({ db, config, clock: () => new Date(), log: createLogger("silent") });
        const fields = SETUP_FIELDS;
        assert.equal((await app.request("/thiet-lap", form({ ...fields, code: lost }))).status, 400, "old code void");
        assert.equal((await app.request("/thiet-lap", form({ ...fields, code }))).status, 303, "new code sets up");
        const after = setupCodeCommand(env);
        assert.notEqual(after.status, 0, "no setup code once the portal is set up");
        assert.match(after.stderr, /đã được thiết lập/, "said in Vietnamese");
      } finally {
        await cleanup();
      }
    });
  });
}
