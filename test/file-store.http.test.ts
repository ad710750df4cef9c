/**
 * The file store shared between processes (issue 12 §6): two apps with different data folders (as on two machines)
 * on one PostgreSQL schema; with FILE_STORE=database a file uploaded through one is downloaded byte-identical
 * through the other, range requests included; backup from the database store and restore into a fresh one (and
 * into a data folder) round-trips the bytes; SQLite refuses FILE_STORE=database.
 */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { after, before, describe, test } from "node:test";
import pg from "pg";
import { createApp } from "../src/app.tsx";
import { loadConfig } from "../src/core/config.ts";
import { type Db, openPostgres } from "../src/core/db/connection.ts";
import { DatabaseFileStore, fileStoreOf, LocalFileStore } from "../src/core/file-store.ts";
import { createLogger } from "../src/core/log.ts";
import { createWorld, logIn, pw, SHARED_DIR, type TestWorld, testDatabases } from "./helpers/env.ts";
import { sendFeedbackForm } from "./helpers/fixtures.ts";

const PNG = Buffer.from(
  "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==",
  "base64",
);
// Longer than three 256 KiB chunks, so ranges cross chunk boundaries.
const AUDIO = new Uint8Array(randomBytes(900_000));

const cli = (env: Record<string, string>, cwd: string, ...args: string[]) =>
  spawnSync(process.execPath, ["--import", "tsx", "src/cli.ts", ...args], {
    cwd: process.cwd(),
    encoding: "utf8",
    env: { ...process.env, ...env, CCHC_SHARED_DIR: SHARED_DIR, INIT_CWD: cwd, LOG_LEVEL: "silent" },
  });

/** A bulletin, approved, whose audio is these bytes (put through `store`): its public audio URL. */
async function bulletinWithAudio(w: TestWorld, sha256: string): Promise<string> {
  const at = w.now().toISOString();
  const row = await w.db.kysely
    .insertInto("radio_bulletins")
    .values({
      ward_id: w.wardId,
      org_unit_id: w.unitIds.get("radio") as number,
      title: "Bản tin cải cách hành chính sáng 02/3",
      broadcast_on: "2026-03-02",
      slot: "morning",
      status: "approved",
      return_reason: null,
      approved_at: at,
      withdrawn_reason: null,
      audio_state: "ready",
      audio_error: null,
      audio_sha256: sha256,
      audio_mime: "audio/mpeg",
      audio_size: AUDIO.length,
      audio_duration_ms: 60_000,
      audio_origin: "upload",
      audio_voice: null,
      audio_command: null,
      audio_text_sha256: null,
      audio_made_at: at,
      created_by: null,
      created_at: at,
      updated_at: at,
    })
    .returning("id")
    .executeTakeFirstOrThrow();
  return `/phat-thanh/${row.id}/am-thanh.mp3`;
}

for (const target of testDatabases()) {
  const stores = target.name === "postgres" ? (["local", "database"] as const) : (["local"] as const);
  for (const store of stores) {
    describe(`file store ${store}: uploads, downloads and ranges (${target.name})`, () => {
      let w: TestWorld;
      before(async () => {
        w = await createWorld(target, { fileStore: store });
        await w.createStaff("dieuphoi", "coordinator");
      });
      after(async () => w.cleanup());

      test("an attachment is stored once, downloaded byte-identical; audio ranges across chunks", async () => {
        assert.equal(w.files.kind, store, "the world uses the store asked for");
        const res = await sendFeedbackForm(w.appWith(), [{ name: "den.png", type: "image/png", bytes: PNG }]);
        assert.equal(res.status, 200, "feedback filed");
        const row = await w.db.kysely.selectFrom("stored_files").selectAll().executeTakeFirstOrThrow();
        assert.deepEqual(await w.files.get(row.sha256), new Uint8Array(PNG), "the store holds the bytes");
        const staff = await logIn(w.app, "dieuphoi", pw("dieuphoi"));
        const down = await staff.get(`/quan-tri/tep/${row.id}`);
        assert.equal(down.status, 200);
        assert.ok(Buffer.from(await down.arrayBuffer()).equals(PNG), "downloaded byte-identical");

        const url = await bulletinWithAudio(w, await w.files.put(AUDIO));
        const whole = await w.app.request(url);
        assert.equal(whole.status, 200);
        assert.ok(Buffer.from(await whole.arrayBuffer()).equals(AUDIO), "the whole audio");
        for (const [range, from, to] of [
          ["bytes=300000-600000", 300_000, 600_000],
          ["bytes=262143-262144", 262_143, 262_144],
          ["bytes=-1000", AUDIO.length - 1000, AUDIO.length - 1],
          ["bytes=899000-", 899_000, AUDIO.length - 1],
        ] as const) {
          const part = await w.app.request(url, { headers: { Range: range } });
          assert.equal(part.status, 206, range);
          assert.equal(part.headers.get("content-range"), `bytes ${from}-${to}/${AUDIO.length}`, range);
          assert.ok(
            Buffer.from(await part.arrayBuffer()).equals(AUDIO.subarray(from, to + 1)),
            `${range}: the bytes of that range`,
          );
        }
        assert.equal((await w.app.request(url, { headers: { Range: "bytes=900000-" } })).status, 416, "past the end");
      });
    });
  }

  if (target.name !== "postgres") {
    test("SQLite refuses FILE_STORE=database, at start and in the CLI, with what to do", () => {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), "cchc-store-"));
      try {
        const env = { ...process.env, DATA_DIR: dir, FILE_STORE: "database", LOG_LEVEL: "silent" } as NodeJS.ProcessEnv;
        delete env.DATABASE_URL;
        const server = spawnSync(process.execPath, ["--import", "tsx", "src/main.ts"], { env, encoding: "utf8" });
        assert.equal(server.status, 2, "the server does not start");
        assert.match(server.stderr, /FILE_STORE=database chỉ dùng được với PostgreSQL/);
        assert.equal(fs.existsSync(path.join(dir, "cchc.sqlite")), false, "nothing written");
        const c = spawnSync(process.execPath, ["--import", "tsx", "src/cli.ts", "backup", "x.tar.gz"], {
          env,
          encoding: "utf8",
        });
        assert.notEqual(c.status, 0, "the CLI refuses too");
        assert.match(c.stderr, /FILE_STORE=database chỉ dùng được với PostgreSQL/);
      } finally {
        fs.rmSync(dir, { recursive: true, force: true });
      }
    });
    continue;
  }

  describe("two processes on one PostgreSQL, each with its own data folder (postgres)", () => {
    let w: TestWorld;
    let otherDb: Db;
    let work: string;
    const other = (fileStore: "local" | "database") =>
      createApp({
        db: otherDb,
        config: loadConfig({
          DATA_DIR: path.join(work, `b-${fileStore}`),
          LOG_LEVEL: "silent",
          CCHC_SHARED_DIR: SHARED_DIR,
          FILE_STORE: fileStore,
        }),
        clock: w.now,
        log: createLogger("silent"),
      });
    const schema = () => /search_path%3D(\w+)/.exec(w.env.DATABASE_URL as string)?.[1] as string;
    before(async () => {
      w = await createWorld(target, { fileStore: "database" });
      work = fs.mkdtempSync(path.join(os.tmpdir(), "cchc-two-"));
      otherDb = openPostgres(process.env.TEST_DATABASE_URL as string, { searchPath: schema(), max: 2 });
      await w.createStaff("dieuphoi", "coordinator");
    });
    after(async () => {
      await otherDb.close();
      await w.cleanup();
      fs.rmSync(work, { recursive: true, force: true });
    });

    test("uploaded through one, downloaded byte-identical through the other, ranges included", async () => {
      const res = await sendFeedbackForm(w.appWith(), [{ name: "den.png", type: "image/png", bytes: PNG }]);
      assert.equal(res.status, 200, "feedback filed through the first");
      const row = await w.db.kysely.selectFrom("stored_files").selectAll().executeTakeFirstOrThrow();
      const url = await bulletinWithAudio(w, await w.files.put(AUDIO));

      const b = other("database");
      const staff = await logIn(b, "dieuphoi", pw("dieuphoi"));
      const down = await staff.get(`/quan-tri/tep/${row.id}`);
      assert.equal(down.status, 200, "the second process finds the file");
      assert.ok(Buffer.from(await down.arrayBuffer()).equals(PNG), "byte-identical");
      const part = await b.request(url, { headers: { Range: "bytes=500000-799999" } });
      assert.equal(part.status, 206);
      assert.ok(Buffer.from(await part.arrayBuffer()).equals(AUDIO.subarray(500_000, 800_000)), "the range");
      assert.equal(fs.existsSync(path.join(work, "b-database", "files")), false, "nothing in its own folder");

      // With the local store each process has only its own folder: what this store is for.
      const local = await logIn(other("local"), "dieuphoi", pw("dieuphoi"));
      assert.equal((await local.get(`/quan-tri/tep/${row.id}`)).status, 404, "a local store elsewhere lacks it");
    });

    test("backup from the database store, restore into a fresh database store and into a data folder", async () => {
      const sha = (await w.db.kysely.selectFrom("stored_files").select("sha256").executeTakeFirstOrThrow()).sha256;
      const audioSha = await w.files.put(AUDIO);
      const made = cli(w.env, work, "backup", "kho.tar.gz");
      assert.equal(made.status, 0, made.stderr);
      assert.match(made.stdout, /và 2 tệp/, "the attachment and the audio");

      const dropSchema = async () => {
        const admin = new pg.Client({ connectionString: process.env.TEST_DATABASE_URL });
        await admin.connect();
        await admin.query(`drop schema ${schema()} cascade`);
        await admin.end();
      };
      await dropSchema();
      const intoDb = cli({ ...w.env, DATA_DIR: path.join(work, "moi-db") }, work, "restore", "kho.tar.gz");
      assert.equal(intoDb.status, 0, intoDb.stderr);
      const store = new DatabaseFileStore(otherDb.kysely);
      assert.deepEqual(await store.get(sha), new Uint8Array(PNG), "the attachment, in the database");
      assert.deepEqual(await store.get(audioSha), AUDIO, "the audio, in the database");
      const chunks = await otherDb.kysely
        .selectFrom("file_chunks")
        .select((eb) => eb.fn.countAll().as("n"))
        .executeTakeFirstOrThrow();
      assert.equal(
        Number(chunks.n),
        1 + Math.ceil(AUDIO.length / (256 * 1024)),
        "each chunk once (none from the dump)",
      );
      assert.equal(fs.existsSync(path.join(work, "moi-db", "files")), false, "nothing in the folder");

      await dropSchema();
      const folder = path.join(work, "moi-thu-muc");
      const intoFolder = cli({ ...w.env, DATA_DIR: folder, FILE_STORE: "local" }, work, "restore", "kho.tar.gz");
      assert.equal(intoFolder.status, 0, intoFolder.stderr);
      const local = new LocalFileStore(folder);
      assert.deepEqual(await local.get(audioSha), AUDIO, "the audio, in the data folder");
      assert.deepEqual(await local.get(sha), new Uint8Array(PNG), "the attachment, in the data folder");
      const left = await otherDb.kysely
        .selectFrom("file_blobs")
        .select((eb) => eb.fn.countAll().as("n"))
        .executeTakeFirstOrThrow();
      assert.equal(Number(left.n), 0, "the database store stays empty");
      assert.equal(fileStoreOf({ db: otherDb, config: { dataDir: folder, fileStore: "local" } }).kind, "local");
    });
  });
}
