/** `import-procedures` on the command line, on every database, while the app serves the same database. */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { after, before, describe, test } from "node:test";
import { createWorld, SHARED_DIR, type TestWorld, testDatabases } from "./helpers/env.ts";

const ROOT = path.resolve(import.meta.dirname, "..");
const DATA = path.join(SHARED_DIR, "data/tthc-dichvucong-2026/cap-xa.jsonl");

for (const target of testDatabases()) {
  describe(`import-procedures on the command line (${target.name})`, () => {
    let w: TestWorld;
    let callerDir: string;
    before(async () => {
      w = await createWorld(target);
      // The CLI dates what it imports by the real clock; the app must look at the same day.
      w.setNow(new Date());
      // The provinces that announced the file's 17 provincial records (the test world holds only Quảng Ngãi).
      for (const [code, name, key] of [
        ["42", "Hà Tĩnh", "ha tinh"],
        ["14", "Sơn La", "son la"],
      ] as const) {
        await w.db.kysely
          .insertInto("admin_units")
          .values({ code, name: `Tỉnh ${name}`, short_name: name, type: "tinh", level: "province", name_key: key })
          .execute();
      }
      callerDir = fs.mkdtempSync(path.join(os.tmpdir(), "cchc-caller-"));
      fs.copyFileSync(DATA, path.join(callerDir, "cap-xa.jsonl"));
    });
    after(async () => {
      await w.cleanup();
      fs.rmSync(callerDir, { recursive: true, force: true });
    });

    /** As `npm run -s cli --` runs it: from the package folder, with the caller's folder in INIT_CWD. */
    const cli = (...args: string[]) =>
      spawnSync(process.execPath, ["--import", "tsx", "src/cli.ts", "import-procedures", ...args], {
        cwd: ROOT,
        encoding: "utf8",
        env: { ...process.env, ...w.env, CCHC_SHARED_DIR: SHARED_DIR, INIT_CWD: callerDir, LOG_LEVEL: "silent" },
        timeout: 120_000,
      });
    const versions = async () =>
      Number(
        (
          await w.db.kysely
            .selectFrom("procedure_versions")
            .select((e) => e.fn.countAll<number>().as("n"))
            .executeTakeFirstOrThrow()
        ).n,
      );

    test("a dry run reports and writes nothing; the import writes; a second import changes nothing", async () => {
      const dry = cli("cap-xa.jsonl", "--dry-run");
      assert.equal(dry.status, 0, dry.stderr);
      assert.match(dry.stdout, /Kiểm tra, chưa ghi: 588 mới, 0 thay đổi, 0 không đổi\./);
      assert.equal(await versions(), 0);
      assert.doesNotMatch(await (await w.app.request("/thu-tuc")).text(), /571 thủ tục/);

      const real = cli("cap-xa.jsonl");
      assert.equal(real.status, 0, real.stderr);
      assert.match(real.stdout, /Đã nhập: 588 mới, 0 thay đổi, 0 không đổi\./);
      assert.equal(await versions(), 588);
      assert.match(await (await w.app.request("/thu-tuc")).text(), /571 thủ tục/, "the running app shows it at once");

      const again = cli("cap-xa.jsonl");
      assert.equal(again.status, 0, again.stderr);
      assert.match(again.stdout, /Đã nhập: 0 mới, 0 thay đổi, 588 không đổi\./);
      assert.equal(await versions(), 588);
      const audits = await w.db.kysely
        .selectFrom("audit_log")
        .select("actor")
        .where("action", "=", "procedure.import")
        .execute();
      assert.deepEqual(
        audits.map((a) => a.actor),
        ["cli"],
      );
    });

    test("--decision amends what changed, from its effective date", async () => {
      const line = fs.readFileSync(DATA, "utf8").split("\n")[0] as string;
      const record = JSON.parse(line) as Record<string, string>;
      record.cach_thuc_thuc_hien = record.cach_thuc_thuc_hien?.replace("Trực tiếp7 Ngày", "Trực tiếp3 Ngày") ?? "";
      fs.writeFileSync(path.join(callerDir, "sua-doi.jsonl"), `${JSON.stringify(record)}\n`);
      const r = cli(
        "sua-doi.jsonl",
        "--decision",
        "77/QĐ-BCA",
        "--decided-on",
        "2026-02-01",
        "--effective-from",
        "2026-02-15",
      );
      assert.equal(r.status, 0, r.stderr);
      assert.match(r.stdout, /0 mới, 1 thay đổi, 0 không đổi/);
      const one = (await (await w.app.request(`/api/v1/procedures/${record.ma_thu_tuc}`)).json()) as {
        status: string;
        versions: {
          changeType: string;
          effectiveFrom: string;
          decision: { number: string; decidedOn: string } | null;
        }[];
      };
      assert.equal(one.status, "amended");
      assert.deepEqual(one.versions.at(-1), {
        versionNo: 2,
        changeType: "amended",
        effectiveFrom: "2026-02-15",
        replacesCode: null,
        decision: { number: "77/QĐ-BCA", decidedOn: "2026-02-01", issuer: null },
      });
    });

    test("bad rows, bad options and a missing file exit non-zero and write nothing", async () => {
      const before = await versions();
      fs.writeFileSync(path.join(callerDir, "loi.jsonl"), `{"ma_thu_tuc": "9.999999"}\n{hỏng\n`);
      const bad = cli("loi.jsonl");
      assert.equal(bad.status, 1);
      assert.match(bad.stderr, /Dòng 1 \(mã 9\.999999\): Thiếu tên thủ tục/);
      assert.match(bad.stderr, /Dòng 2: Dòng không phải JSON hợp lệ/);
      assert.match(bad.stderr, /Không nhập gì: tệp có 2 dòng lỗi/);
      const date = cli("cap-xa.jsonl", "--decision", "1/QĐ-X", "--effective-from", "2026-02-30");
      assert.equal(date.status, 1);
      assert.match(date.stderr, /Ngày không có thật/);
      const province = cli("cap-xa.jsonl", "--province", "99");
      assert.equal(province.status, 1);
      assert.match(province.stderr, /Không có tỉnh, thành phố mã 99/);
      const missing = cli("khong-co.jsonl");
      assert.equal(missing.status, 1);
      assert.match(missing.stderr, /Không tìm thấy tệp/);
      assert.equal(await versions(), before);
    });
  });
}
