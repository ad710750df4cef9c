/**
 * Backup and restore through the command line, on every database: the archive holds the database and every stored
 * file (feedback attachments, task evidence and a radio bulletin's recording, named by the bulletin alone), and a restore into a fresh data folder (and, on PostgreSQL, an
 * emptied database) gives a portal whose every file link resolves, byte for byte. A truncated, damaged or tampered
 * archive is refused and writes nothing; a restore is refused while a server uses the folder, and not blocked by
 * the entry a killed server leaves behind.
 */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { createHash, randomBytes } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { after, before, describe, test } from "node:test";
import zlib from "node:zlib";
import pg from "pg";
import { startServer } from "../bench/server.ts";
import { createApp } from "../src/app.tsx";
import { SYSTEM_ACTOR } from "../src/core/audit.ts";
import { loadConfig } from "../src/core/config.ts";
import { MARKER_FILE, readMarker } from "../src/core/data-folder.ts";
import { type Db, openPostgres, openSqlite } from "../src/core/db/connection.ts";
import { migrateToLatest } from "../src/core/db/migrate.ts";
import { fileStoreOf } from "../src/core/file-store.ts";
import { createLogger } from "../src/core/log.ts";
import { vnToday } from "../src/core/text/vi.ts";
import { readTar, type TarEntry, writeTar } from "../src/features/backup/tar.ts";
import { confirmPlanImport } from "../src/features/plans/plans.service.ts";
import { resolveWard } from "../src/features/units/units.service.ts";
import { createWorld, logIn, pw, SHARED_DIR, seedPlanText, type TestWorld, testDatabases } from "./helpers/env.ts";

const ROOT = path.resolve(import.meta.dirname, "..");
const PDF = Buffer.from("%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n");
/** Bytes standing for a staff recording: the backup copies blobs as they are. */
const RECORDING = new Uint8Array(randomBytes(4096));
/** A PNG signature and header followed by random bytes: large enough to span many tar blocks, unique per run. */
const bigPng = () =>
  Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d, 0x49, 0x48, 0x44, 0x52]),
    randomBytes(300_000 + Math.floor(Math.random() * 1000)),
  ]);
const LINK = /href="(\/quan-tri\/[^"]*tep\/\d+)"/g;

for (const target of testDatabases()) {
  describe(`backup and restore with every stored file (${target.name})`, () => {
    let w: TestWorld;
    let work: string;
    /** Pages that link stored files, and each link's bytes as the live portal serves them. */
    const pages: string[] = [];
    const originals = new Map<string, Buffer>();
    let archive = "";
    let recordingSha = "";

    const cli = (env: Record<string, string>, ...args: string[]) =>
      spawnSync(process.execPath, ["--import", "tsx", "src/cli.ts", ...args], {
        cwd: ROOT,
        encoding: "utf8",
        env: { ...process.env, ...env, CCHC_SHARED_DIR: SHARED_DIR, INIT_CWD: work, LOG_LEVEL: "silent" },
        timeout: 120_000,
      });

    /** Every file link on the pages, fetched as the administrator: link → bytes (asserting each answers 200). */
    async function fileLinks(app: ReturnType<typeof createApp>) {
      const admin = await logIn(app, "quantri", pw("quantri"));
      const out = new Map<string, Buffer>();
      for (const page of pages) {
        const res = await admin.get(page);
        assert.equal(res.status, 200, page);
        for (const [, link] of (await res.text()).matchAll(LINK)) {
          const file = await admin.get(link as string);
          assert.equal(file.status, 200, `${link} answers`);
          out.set(link as string, Buffer.from(await file.arrayBuffer()));
        }
      }
      return out;
    }

    before(async () => {
      w = await createWorld(target);
      work = fs.mkdtempSync(path.join(os.tmpdir(), "cchc-backup-test-"));
      await w.createStaff("quantri", "admin");
      await w.createStaff("daitt", "officer", "radio");
      const ward = await resolveWard(w.db.kysely, "21439", vnToday(w.now()), "21439");
      assert.ok(ward, "the demo ward exists");
      const plan = await confirmPlanImport(w.db.kysely, SYSTEM_ACTOR, ward, seedPlanText(), {
        now: w.now(),
        today: vnToday(w.now()),
      });
      assert.ok(plan.ok, "the seed plan is imported");

      // A citizen's feedback with two attachments, through the public form.
      const form = await (await w.app.request("/gop-y")).text();
      const f = new FormData();
      f.set("_form", /name="_form" value="([^"]+)"/.exec(form)?.[1] as string);
      f.set("content", "Đèn đường tổ 3 bị hỏng từ tuần trước, buổi tối rất tối (ảnh và biên bản đính kèm).");
      f.set("name", "Nguyễn Văn Bình");
      f.set("address", "Số 12 đường Nguyễn Nghiêm");
      f.set("phone", "0905 111 222");
      f.set("consent", "yes");
      f.append("files", new Blob([PDF], { type: "application/pdf" }), "bien-ban.pdf");
      f.append("files", new Blob([bigPng()], { type: "image/png" }), "den-duong.png");
      const filed = await w.app.request("/gop-y", { method: "POST", body: f });
      assert.equal(filed.status, 200, `feedback filed: ${(await filed.text()).slice(0, 3000)}`);
      const item = await w.db.kysely.selectFrom("feedback_items").select("id").executeTakeFirstOrThrow();
      pages.push(`/quan-tri/phan-anh/${item.id}`);

      // Task evidence, through the officer's update form.
      const radio = await logIn(w.app, "daitt", pw("daitt"));
      const mine = await (await radio.get("/quan-tri/viec-cua-toi")).text();
      const task = { id: Number(/\/quan-tri\/nhiem-vu\/(\d+)/.exec(mine)?.[1]) };
      assert.ok(task.id > 0, "the radio unit has a task");
      const update = new FormData();
      update.set("status", "done");
      update.set("note", "Đã phát 4 bản tin");
      update.append("files", new File([bigPng()], "bang-tin.png"));
      assert.equal((await radio.post(`/quan-tri/nhiem-vu/${task.id}/cap-nhat`, update)).status, 303, "evidence");
      pages.push(`/quan-tri/nhiem-vu/${task.id}`);

      for (const [link, bytes] of await fileLinks(w.app)) originals.set(link, bytes);
      const stored = await w.db.kysely.selectFrom("stored_files").select("id").execute();
      assert.equal(stored.length, 3, "three stored files");
      assert.equal(originals.size, 3, "each linked from its page");

      // A bulletin's recording is named by the bulletin (its SHA-256), not by a stored_files row.
      const sha256 = await w.files.put(RECORDING);
      assert.equal(sha256, createHash("sha256").update(RECORDING).digest("hex"), "named by its SHA-256");
      const at = w.now().toISOString();
      await w.db.kysely
        .insertInto("radio_bulletins")
        .values({
          ward_id: ward.unit.id,
          org_unit_id: w.unitIds.get("radio") as number,
          title: "Bản tin cải cách hành chính sáng 02/3",
          broadcast_on: "2026-03-02",
          slot: "morning",
          status: "draft",
          return_reason: null,
          approved_at: null,
          withdrawn_reason: null,
          audio_state: "ready",
          audio_error: null,
          audio_sha256: sha256,
          audio_mime: "audio/mpeg",
          audio_size: RECORDING.length,
          audio_duration_ms: 1000,
          audio_origin: "upload",
          audio_voice: null,
          audio_command: null,
          audio_text_sha256: null,
          audio_made_at: at,
          created_by: null,
          created_at: at,
          updated_at: at,
        })
        .execute();
      recordingSha = sha256;
    });
    after(async () => {
      await w.cleanup();
      fs.rmSync(work, { recursive: true, force: true });
    });

    test("backup → restore into a fresh folder: every file link resolves, byte-equal", async () => {
      const made = cli(w.env, "backup", "sao-luu.tar.gz");
      assert.equal(made.status, 0, made.stderr);
      assert.match(made.stdout, /Đã sao lưu cơ sở dữ liệu .* và 4 tệp/);
      archive = path.join(work, "sao-luu.tar.gz");
      assert.deepEqual(
        fs.readdirSync(work).filter((n) => n.includes(".tmp")),
        [],
        "no temporary file is left beside the archive",
      );

      const fresh = fs.mkdtempSync(path.join(work, "moi-"));
      let restoredDb: Db;
      if (target.name === "sqlite") {
        restoredDb = null as unknown as Db;
      } else {
        // The database is lost as well: its schema dropped; the restore recreates it.
        const schema = /search_path%3D(\w+)/.exec(w.env.DATABASE_URL as string)?.[1] as string;
        const admin = new pg.Client({ connectionString: process.env.TEST_DATABASE_URL });
        await admin.connect();
        await admin.query(`drop schema ${schema} cascade`);
        await admin.end();
        restoredDb = openPostgres(process.env.TEST_DATABASE_URL as string, { searchPath: schema, max: 2 });
      }
      const restored = cli({ ...w.env, DATA_DIR: fresh }, "restore", "sao-luu.tar.gz");
      assert.equal(restored.status, 0, restored.stderr);
      assert.match(restored.stdout, /Đã kiểm tra và khôi phục .* và 4 tệp/);
      if (target.name === "sqlite") restoredDb = openSqlite(path.join(fresh, "cchc.sqlite"));
      try {
        const config = loadConfig({
          DATA_DIR: fresh,
          LOG_LEVEL: "silent",
          CCHC_SHARED_DIR: SHARED_DIR,
          FILE_STORE: w.env.FILE_STORE,
        });
        const recording = await fileStoreOf({ db: restoredDb, config }).get(recordingSha);
        assert.ok(
          recording && Buffer.from(recording).equals(RECORDING),
          "the bulletin's recording is restored, byte-equal",
        );
        const app = createApp({
          db: restoredDb,
          config,
          clock: w.now,
          log: createLogger("silent"),
        });
        const links = await fileLinks(app);
        assert.deepEqual([...links.keys()].sort(), [...originals.keys()].sort(), "the same links");
        for (const [link, bytes] of links) assert.ok(bytes.equals(originals.get(link) as Buffer), `${link} byte-equal`);
        const marker = readMarker(fresh);
        assert.ok(marker?.portalId, "the restored folder is marked as a portal's");
        const stored = await restoredDb.kysely
          .selectFrom("settings")
          .select("value")
          .where("key", "=", "portal_id")
          .executeTakeFirst();
        assert.equal(stored?.value, marker?.portalId, "with the database's own portal id");
      } finally {
        await restoredDb.close();
      }
    });

    if (target.name === "postgres")
      test("a deployment on its own database (schema public) restores into a new empty database", async () => {
        const base = process.env.TEST_DATABASE_URL as string;
        const tag = `${process.pid}_${randomBytes(3).toString("hex")}`;
        const names = { from: `cchc_bk_from_${tag}`, to: `cchc_bk_to_${tag}` };
        const urlOf = (db: string) => {
          const u = new URL(base);
          u.pathname = `/${db}`;
          return u.toString();
        };
        const admin = new pg.Client({ connectionString: base });
        await admin.connect();
        try {
          await admin.query(`create database ${names.from}`);
          await admin.query(`create database ${names.to}`);
          const from = openPostgres(urlOf(names.from), { max: 1 });
          try {
            await migrateToLatest(from);
            await from.kysely
              .insertInto("settings")
              .values({ key: "portal_id", value: `cong-${tag}` })
              .execute();
          } finally {
            await from.close();
          }
          const env = { DATABASE_URL: urlOf(names.from), DATA_DIR: fs.mkdtempSync(path.join(work, "nguon-")) };
          assert.equal(cli(env, "backup", "rieng.tar.gz").status, 0, "backup");
          const into = { DATABASE_URL: urlOf(names.to), DATA_DIR: fs.mkdtempSync(path.join(work, "dich-pg-")) };
          const r = cli(into, "restore", "rieng.tar.gz");
          assert.equal(r.status, 0, r.stderr);
          const to = openPostgres(urlOf(names.to), { max: 1 });
          try {
            const id = await to.kysely
              .selectFrom("settings")
              .select("value")
              .where("key", "=", "portal_id")
              .executeTakeFirst();
            assert.equal(id?.value, `cong-${tag}`, "the portal's data is in the new database's public schema");
          } finally {
            await to.close();
          }
          const again = cli(into, "restore", "rieng.tar.gz");
          assert.notEqual(again.status, 0, "never over a database that holds the tables");
          assert.match(again.stderr, /đã có bảng trong lược đồ “public”/);
        } finally {
          await admin.query(`drop database if exists ${names.from}`);
          await admin.query(`drop database if exists ${names.to}`);
          await admin.end();
        }
      });

    if (target.name !== "sqlite") return;

    /** A fresh folder, a restore of `file` into it, and what the folder holds afterwards. */
    const restoreInto = (file: string) => {
      const folder = fs.mkdtempSync(path.join(work, "dich-"));
      const r = cli({ ...w.env, DATA_DIR: folder }, "restore", file);
      const left = fs
        .readdirSync(folder, { recursive: true })
        .map(String)
        .filter((n) => n !== "run");
      return { r, left };
    };

    test("a truncated or damaged archive is refused and nothing is written", () => {
      assert.ok(archive, "the first test made an archive");
      const bytes = fs.readFileSync(archive);
      fs.writeFileSync(path.join(work, "cut.tar.gz"), bytes.subarray(0, Math.floor(bytes.length * 0.6)));
      const cut = restoreInto("cut.tar.gz");
      assert.notEqual(cut.r.status, 0, "a truncated archive is refused");
      assert.match(cut.r.stderr, /cắt cụt/);
      assert.match(cut.r.stderr, /Không khôi phục: chưa ghi gì/);
      assert.deepEqual(cut.left, [], "nothing written, no staging left");

      const flipped = Buffer.from(bytes);
      const at = Math.floor(flipped.length / 2);
      flipped[at] = (flipped[at] as number) ^ 0xff;
      fs.writeFileSync(path.join(work, "flip.tar.gz"), flipped);
      const flip = restoreInto("flip.tar.gz");
      assert.notEqual(flip.r.status, 0, "a damaged archive is refused");
      assert.match(flip.r.stderr, /bị hỏng/);
      assert.deepEqual(flip.left, [], "nothing written");

      fs.writeFileSync(path.join(work, "not.tar.gz"), "xin chào");
      const foreign = restoreInto("not.tar.gz");
      assert.notEqual(foreign.r.status, 0);
      assert.match(foreign.r.stderr, /không phải bản sao lưu của CCHC/);
      assert.deepEqual(foreign.left, []);
    });

    test("an archive whose file changed (sound gzip and tar, wrong SHA-256) is refused and nothing is written", async () => {
      // Rewrite the archive entry by entry, one byte of the evidence image changed: only the manifest can tell.
      const entries: { name: string; bytes: Buffer }[] = [];
      const gunzip = zlib.createGunzip();
      fs.createReadStream(archive).pipe(gunzip);
      for await (const e of readTar(gunzip)) {
        const parts: Buffer[] = [];
        for await (const c of e.body) parts.push(Buffer.from(c));
        entries.push({ name: e.name, bytes: Buffer.concat(parts) });
      }
      const victim = entries.find((e) => e.name.startsWith("files/") && e.bytes.length > 100_000);
      assert.ok(victim, "an image entry");
      victim.bytes[5000] = (victim.bytes[5000] as number) ^ 0x01;
      const tar: TarEntry[] = entries.map((e) => ({
        name: e.name,
        size: e.bytes.length,
        async *body() {
          yield e.bytes;
        },
      }));
      await pipeline(
        Readable.from(writeTar(tar)),
        zlib.createGzip(),
        fs.createWriteStream(path.join(work, "tampered.tar.gz")),
      );
      const t = restoreInto("tampered.tar.gz");
      assert.notEqual(t.r.status, 0, "refused");
      assert.match(t.r.stderr, /SHA-256/);
      assert.ok(t.r.stderr.includes(victim.name), "names the entry");
      assert.deepEqual(t.left, [], "nothing written");

      // Without its manifest (the last entry), as a cut exactly between entries would leave it.
      await pipeline(
        Readable.from(writeTar(tar.slice(0, -1))),
        zlib.createGzip(),
        fs.createWriteStream(path.join(work, "no-manifest.tar.gz")),
      );
      const m = restoreInto("no-manifest.tar.gz");
      assert.notEqual(m.r.status, 0);
      assert.match(m.r.stderr, /không có bảng kê/);
      assert.deepEqual(m.left, []);
    });

    test("restore is refused while a server uses the folder, and not blocked once that server was killed", async () => {
      const folder = fs.mkdtempSync(path.join(work, "chay-"));
      const first = cli({ ...w.env, DATA_DIR: folder }, "restore", archive);
      assert.equal(first.status, 0, first.stderr);
      assert.ok(fs.existsSync(path.join(folder, MARKER_FILE)), "marked");
      const server = await startServer(
        {
          database: "sqlite",
          env: { DATA_DIR: folder },
          open: () => openSqlite(path.join(folder, "cchc.sqlite")),
          cleanup: async () => {},
        },
        { CCHC_SHARED_DIR: path.join(work, "khong-co") },
      );
      const inode = fs.statSync(path.join(folder, "cchc.sqlite")).ino;
      try {
        const health = await fetch(`${server.url}/healthz`);
        assert.equal(health.status, 200, "the restored folder starts");
        const refused = cli({ ...w.env, DATA_DIR: folder }, "restore", archive);
        assert.notEqual(refused.status, 0, "refused under a running server");
        assert.match(refused.stderr, new RegExp(`đang được dùng bởi máy chủ \\(pid ${server.pid}`));
        assert.equal(fs.statSync(path.join(folder, "cchc.sqlite")).ino, inode, "the database is untouched");
        assert.equal((await fetch(`${server.url}/healthz`)).status, 200, "and the server still healthy");
      } finally {
        await server.kill9();
      }
      const afterKill = cli({ ...w.env, DATA_DIR: folder }, "restore", archive);
      assert.equal(afterKill.status, 0, afterKill.stderr);
      assert.match(afterKill.stdout, /Cơ sở dữ liệu cũ được giữ lại trong .*before-restore-/);
      assert.notEqual(fs.statSync(path.join(folder, "cchc.sqlite")).ino, inode, "replaced");
    });
  });
}
