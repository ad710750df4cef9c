/**
 * The server warns at start, in its log, while PUBLIC_URL is unset (printed notice boards then carry no QR code),
 * and says nothing of it once it is set. The real entry point (src/main.ts) in a child process, on a fresh SQLite
 * folder without the shared demo data; stopped as soon as it listens.
 */
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { test } from "node:test";

/** Start the server with these settings, wait until it listens, stop it; everything it wrote. */
async function startOnce(settings: Record<string, string>): Promise<string> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "cchc-start-"));
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? "",
    DATA_DIR: dataDir,
    CCHC_SHARED_DIR: path.join(dataDir, "no-shared"),
    PORT: String(20000 + Math.floor(Math.random() * 20000)),
    HOST: "127.0.0.1",
    LOG_LEVEL: "info",
    ...settings,
  };
  const child = spawn(process.execPath, ["--import", "tsx", "src/main.ts"], { env, stdio: ["ignore", "pipe", "pipe"] });
  let out = "";
  try {
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`the server did not start:\n${out}`)), 120_000);
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
  } finally {
    child.removeAllListeners("exit");
    child.kill("SIGTERM");
    await new Promise((resolve) => child.once("close", resolve));
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
  return out;
}

test("a warning is logged at start while PUBLIC_URL is unset, and none once it is set", {
  timeout: 300_000,
}, async () => {
  const unset = await startOnce({});
  const warning = unset.split("\n").find((l) => l.includes("Chưa đặt PUBLIC_URL"));
  assert.ok(warning, `the start-up log warns:\n${unset}`);
  assert.equal((JSON.parse(warning) as { level: number }).level, 40, "logged at level warn");
  const set = await startOnce({ PUBLIC_URL: "https://cchc.ducpho.example.vn" });
  assert.ok(set.includes("CCHC đang chạy"), "the server started");
  assert.ok(!set.includes("Chưa đặt PUBLIC_URL"), `no warning once it is set:\n${set}`);
});
