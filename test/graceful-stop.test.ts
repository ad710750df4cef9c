/**
 * A clean stop (SIGTERM from the service manager) loses nothing counted in memory: the search log's counts, which
 * otherwise reach the database a few seconds later, are written before the database closes (src/main.ts; article
 * views take the same path). The real entry point in a child process, on a fresh SQLite folder with the demo ward.
 */
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { test } from "node:test";
import { openSqlite } from "../src/core/db/connection.ts";
import { SHARED_DIR } from "./helpers/env.ts";

test("SIGTERM right after a search: the search is in the log", { timeout: 300_000 }, async () => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "cchc-stop-"));
  const port = 20000 + Math.floor(Math.random() * 20000);
  const child = spawn(process.execPath, ["--import", "tsx", "src/main.ts"], {
    env: {
      PATH: process.env.PATH ?? "",
      DATA_DIR: dataDir,
      CCHC_SHARED_DIR: SHARED_DIR,
      PORT: String(port),
      HOST: "127.0.0.1",
      LOG_LEVEL: "warn",
      PDF_PREWARM: "0",
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let out = "";
  try {
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`the server did not start:\n${out}`)), 240_000);
      const read = (chunk: Buffer) => {
        out += chunk.toString("utf8");
        if (out.includes("CCHC đang chạy")) {
          clearTimeout(timer);
          resolve();
        }
      };
      child.stdout.on("data", read);
      child.stderr.on("data", read);
      child.once("exit", (code) => {
        clearTimeout(timer);
        reject(new Error(`the server exited (${code}):\n${out}`));
      });
    });
    child.removeAllListeners("exit");
    const res = await fetch(`http://127.0.0.1:${port}/tim-kiem?q=${encodeURIComponent("giấy khai sinh cho bé")}`);
    assert.equal(res.status, 200, "the search page answers");
    await res.text();
    const closed = new Promise<number | null>((resolve) => child.once("close", (code) => resolve(code)));
    child.kill("SIGTERM");
    assert.equal(await closed, 0, `a clean stop:\n${out}`);
    const db = openSqlite(path.join(dataDir, "cchc.sqlite"));
    try {
      const rows = await db.kysely.selectFrom("search_log").select(["query", "searches"]).execute();
      assert.deepEqual(
        rows.map((r) => [r.query, Number(r.searches)]),
        [["giấy khai sinh cho bé", 1]],
        "the search counted in memory was written before the stop",
      );
    } finally {
      await db.close();
    }
  } finally {
    if (child.exitCode === null) child.kill("SIGKILL");
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
});
