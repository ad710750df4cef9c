/** The command line on every database, while the app runs on the same database: import-plan, create-user (backup and restore: test/backup.test.ts). */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { after, before, describe, test } from "node:test";
import { createWorld, SEED_PLAN_FILE, SHARED_DIR, type TestWorld, testDatabases } from "./helpers/env.ts";
import { seedWithTaskTable } from "./helpers/plan-layouts.ts";

const ROOT = path.resolve(import.meta.dirname, "..");

for (const target of testDatabases()) {
  describe(`command line (${target.name})`, () => {
    let w: TestWorld;
    let callerDir: string;
    before(async () => {
      w = await createWorld(target);
      callerDir = fs.mkdtempSync(path.join(os.tmpdir(), "cchc-caller-"));
    });
    after(async () => {
      await w.cleanup();
      fs.rmSync(callerDir, { recursive: true, force: true });
    });

    /** Run the CLI as `npm run -s cli --` would: from the package folder, with the caller's folder in INIT_CWD. */
    const cli = (...args: string[]) =>
      spawnSync(process.execPath, ["--import", "tsx", "src/cli.ts", ...args], {
        cwd: ROOT,
        encoding: "utf8",
        env: { ...process.env, ...w.env, CCHC_SHARED_DIR: SHARED_DIR, INIT_CWD: callerDir, LOG_LEVEL: "silent" },
        timeout: 60_000,
      });

    test("import-plan reads a file relative to the caller and the running app shows it at once", async () => {
      fs.copyFileSync(SEED_PLAN_FILE, path.join(callerDir, "ke-hoach.txt"));
      assert.doesNotMatch(await (await w.app.request("/ke-hoach")).text(), /18\/KH-UBND/);
      assert.equal((await w.app.request("/ke-hoach")).headers.get("x-cache"), "hit", "the public list is cached");
      const r = cli("import-plan", "ke-hoach.txt");
      assert.equal(r.status, 0, r.stderr);
      assert.match(r.stdout, /Đã nhập kế hoạch #\d+/);
      const list = (await (await w.app.request("/api/v1/plans")).json()) as {
        total: number;
        items: { number: string }[];
      };
      assert.equal(list.total, 1);
      assert.equal(list.items[0]?.number, "18/KH-UBND");
      assert.match(
        await (await w.app.request("/ke-hoach")).text(),
        /18\/KH-UBND/,
        "no stale cached page after another process's write",
      );
      const again = cli("import-plan", "ke-hoach.txt");
      assert.equal(again.status, 0, again.stderr);
      assert.match(again.stdout, /Không có thay đổi/);
      const audit = await w.db.kysely.selectFrom("audit_log").selectAll().where("action", "=", "plan.import").execute();
      assert.equal(audit.length, 1);
      assert.equal(audit[0]?.actor, "cli");
    });

    test("import-plan never creates units silently (--create-units) nor replaces most tasks unasked (--replace)", async () => {
      // The seed is saved (previous test); the same plan with its section IV as a table names two new partners.
      fs.writeFileSync(path.join(callerDir, "bang.md"), seedWithTaskTable());
      const snapshot = async () => ({
        units: (await w.db.kysely.selectFrom("org_units").select("id").execute()).length,
        live: (await w.db.kysely.selectFrom("tasks").select("id").where("removed_at", "is", null).execute()).length,
      });
      const before = await snapshot();
      const unknown = cli("import-plan", "bang.md");
      assert.notEqual(unknown.status, 0, "unknown units stop the import");
      assert.match(unknown.stderr, /“Hội Liên hiệp Phụ nữ”, “Đoàn Thanh niên”/, unknown.stderr);
      assert.match(unknown.stderr, /--create-units/);
      assert.deepEqual(await snapshot(), before, "nothing written");

      const large = cli("import-plan", "bang.md", "--create-units");
      assert.notEqual(large.status, 0, "a re-import replacing most tasks needs --replace");
      assert.match(large.stderr, /Thay đổi lớn: văn bản mới bỏ \d+ và sửa \d+ trong 16 nhiệm vụ/, large.stderr);
      assert.match(large.stderr, /--replace/);
      assert.deepEqual(await snapshot(), before, "nothing written, not even the units");

      const done = cli("import-plan", "bang.md", "--create-units", "--replace");
      assert.equal(done.status, 0, done.stderr);
      assert.match(done.stdout, /Đã cập nhật kế hoạch/);
      assert.match(done.stdout, /Đã tạo đơn vị mới: Hội Liên hiệp Phụ nữ/);
      assert.deepEqual(await snapshot(), { units: before.units + 2, live: 5 });
    });

    test("a bad file exits non-zero with the same Vietnamese message and writes nothing", async () => {
      fs.writeFileSync(path.join(callerDir, "rac.bin"), Buffer.from([0, 159, 146, 150, 0, 1, 2]));
      const before = await w.db.kysely.selectFrom("plans").select("id").execute();
      const r = cli("import-plan", "rac.bin");
      assert.notEqual(r.status, 0);
      assert.match(r.stderr, /không phải văn bản/i);
      const missing = cli("import-plan", "khong-co.txt");
      assert.notEqual(missing.status, 0);
      assert.match(missing.stderr, /Không tìm thấy tệp/);
      assert.equal((await w.db.kysely.selectFrom("plans").select("id").execute()).length, before.length);
    });

    test("create-user makes an account that can log in; a weak password is refused", async () => {
      const r = spawnSync(
        process.execPath,
        [
          "--import",
          "tsx",
          "src/cli.ts",
          "create-user",
          "--username",
          "lanhdao2",
          "--name",
          "Lê Văn Lãnh Đạo",
          "--role",
          "leader",
        ],
        {
          cwd: ROOT,
          encoding: "utf8",
          env: { ...process.env, ...w.env, CCHC_NEW_PASSWORD: "Phổ-Minh-đẹp-2024", LOG_LEVEL: "silent" },
        },
      );
      assert.equal(r.status, 0, r.stderr);
      const login = await w.app.request("/dang-nhap", {
        method: "POST",
        body: new URLSearchParams({ username: "lanhdao2", password: "Phổ-Minh-đẹp-2024" }),
        headers: { "content-type": "application/x-www-form-urlencoded" },
      });
      assert.equal(login.status, 303);
      const weak = spawnSync(
        process.execPath,
        [
          "--import",
          "tsx",
          "src/cli.ts",
          "create-user",
          "--username",
          "yeu",
          "--name",
          "Người Dùng",
          "--role",
          "viewer",
        ],
        {
          cwd: ROOT,
          encoding: "utf8",
          env: { ...process.env, ...w.env, CCHC_NEW_PASSWORD: "12345678", LOG_LEVEL: "silent" },
        },
      );
      assert.notEqual(weak.status, 0);
      assert.match(weak.stderr, /quá phổ biến/);
    });

    test("a bad configuration value stops with a clear message", () => {
      const r = spawnSync(process.execPath, ["--import", "tsx", "src/cli.ts", "import-plan", "x.txt"], {
        cwd: ROOT,
        encoding: "utf8",
        env: { ...process.env, ...w.env, PORT: "tám nghìn" },
      });
      assert.notEqual(r.status, 0);
      assert.match(r.stderr, /Cấu hình không hợp lệ/);
      assert.match(r.stderr, /PORT/);
    });
  });
}
