/**
 * A lost database is noticed, and never papered over with the demo: the SQLite file deleted (or replaced) under a
 * running server makes writes and /healthz answer 503 with one fatal log line; a restart on a folder that once held a
 * portal but lost its database (SQLite file gone, PostgreSQL schema emptied) refuses to start and says to restore.
 */
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { after, before, describe, test } from "node:test";
import pino from "pino";
import { freshTarget, postgresUrl, startServer, type Target } from "../bench/server.ts";
import { createApp } from "../src/app.tsx";
import { loadConfig } from "../src/core/config.ts";
import { MARKER_FILE, writeMarker } from "../src/core/data-folder.ts";
import { createWorld, SHARED_DIR, type TestWorld, testDatabases } from "./helpers/env.ts";

const submission = (i: number) => ({
  content: `Kiểm tra mất cơ sở dữ liệu, phản ánh số ${i}: cống thoát nước ở tổ ${i} bị tắc, mưa là ngập.`,
  name: `Người gửi thứ ${i}`,
  address: `Số ${i} đường Nguyễn Nghiêm`,
  phone: `090${String(1_000_000 + i).padStart(7, "0")}`,
  consent: true,
});
const post = (url: string, body: unknown) =>
  fetch(url, { method: "POST", body: JSON.stringify(body), headers: { "content-type": "application/json" } });

describe("the SQLite file replaced under a running app (in-process)", () => {
  let w: TestWorld;
  const lines: string[] = [];
  let app: ReturnType<typeof createApp>;
  before(async () => {
    const sqlite = testDatabases().find((t) => t.name === "sqlite");
    assert.ok(sqlite, "SQLite is always tested");
    w = await createWorld(sqlite);
    app = createApp({
      db: w.db,
      config: loadConfig({ DATA_DIR: w.dataDir, LOG_LEVEL: "silent", CCHC_SHARED_DIR: SHARED_DIR }),
      clock: w.now,
      log: pino({ level: "info" }, { write: (l: string) => lines.push(l) }),
    });
  });
  after(async () => w.cleanup());

  test("another file renamed over the path: writes and /healthz answer 503, logged once as fatal", async () => {
    assert.equal((await app.request("/healthz")).status, 200, "healthy before");
    const file = path.join(w.dataDir, "cchc.sqlite");
    fs.copyFileSync(file, `${file}.copy`);
    fs.renameSync(`${file}.copy`, file);
    const health = await app.request("/healthz");
    assert.equal(health.status, 503);
    assert.match(JSON.stringify(await health.json()), /replaced/);
    const write = await app.request("/api/v1/feedback", {
      method: "POST",
      body: JSON.stringify(submission(1)),
      headers: { "content-type": "application/json" },
    });
    assert.equal(write.status, 503, "a write is refused");
    assert.match(JSON.stringify(await write.json()), /chưa được lưu/);
    assert.equal((await app.request("/ke-hoach")).status, 200, "reads still answer");
    const fatal = lines.filter((l) => JSON.parse(l).level === 60);
    assert.equal(fatal.length, 1, "one fatal line, however many requests notice");
    assert.match(fatal[0] as string, /database file lost/);
  });
});

const targets: ("sqlite" | "postgres")[] = ["sqlite"];
if (process.env.TEST_DATABASE_URL) targets.push("postgres");

for (const database of targets) {
  describe(`a lost database and the real server (${database})`, () => {
    let target: Target;
    before(async () => {
      target = await freshTarget(database, postgresUrl({ BENCH_DATABASE_URL: process.env.TEST_DATABASE_URL }));
    });
    after(async () => target.cleanup());

    if (database === "sqlite")
      test("the file deleted under the server: 503 to writes and /healthz, fatal log; a restart refuses and nothing is created", async () => {
        const server = await startServer(target);
        const dataDir = target.env.DATA_DIR as string;
        try {
          const ok = await post(`${server.url}/api/v1/feedback`, submission(0));
          assert.equal(ok.status, 201, "a submission is stored while the database is in place");
          fs.rmSync(path.join(dataDir, "cchc.sqlite"));
          for (let i = 1; i <= 5; i++)
            assert.equal((await post(`${server.url}/api/v1/feedback`, submission(i))).status, 503, `submission ${i}`);
          const health = await fetch(`${server.url}/healthz`);
          assert.equal(health.status, 503, "health says so");
          assert.match(server.output(), /"level":60[^\n]*database file lost/, "logged as fatal");
        } finally {
          await server.stop();
        }
        assert.ok(fs.existsSync(path.join(dataDir, MARKER_FILE)), "the folder is marked as a portal's");
        await assert.rejects(startServer(target), (e: Error) => {
          assert.match(e.message, /không còn cơ sở dữ liệu/);
          assert.match(e.message, /khôi phục bản sao lưu/);
          return true;
        });
        assert.equal(fs.existsSync(path.join(dataDir, "cchc.sqlite")), false, "no fresh (demo) database was made");
      });

    test("a folder marked as a portal's with an empty database: the server refuses to start and loads no demo", async () => {
      const dataDir = target.env.DATA_DIR as string;
      writeMarker(dataDir, "cong-cu-da-mat");
      if (database === "sqlite") {
        // The database file exists but is empty, as a tool that opens a missing path leaves it.
        fs.rmSync(path.join(dataDir, "cchc.sqlite"), { force: true });
        fs.writeFileSync(path.join(dataDir, "cchc.sqlite"), "");
      }
      await assert.rejects(startServer(target), (e: Error) => {
        assert.match(e.message, /không còn dữ liệu của cổng/);
        return true;
      });
      const db = target.open();
      try {
        const users = await db.kysely
          .selectFrom("users")
          .select("id")
          .execute()
          .catch(() => []);
        assert.equal(users.length, 0, "no demo accounts were created");
      } finally {
        await db.close();
      }
    });
  });
}
