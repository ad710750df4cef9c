/** Who uses a data folder: a live process blocks a restore, a dead one's entry (killed, or its pid reused) does not. */
import assert from "node:assert/strict";
import { spawn, spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { after, test } from "node:test";
import { claimForRestore, claimForServer, DataFolderError, otherProcesses, processStartTicks } from "./data-folder.ts";

const dirs: string[] = [];
const folder = () => {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), "cchc-folder-"));
  dirs.push(d);
  fs.mkdirSync(path.join(d, "run"));
  return d;
};
after(() => {
  for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
});
const entry = (dir: string, name: string, v: object) =>
  fs.writeFileSync(path.join(dir, "run", name), JSON.stringify({ kind: "server", startedAt: "x", ...v }));

test("a live server's entry refuses a restore; the restore leaves no entry of its own", () => {
  const dir = folder();
  const server = claimForServer(dir);
  assert.throws(
    () => claimForRestore(dir),
    (e: Error) => e instanceof DataFolderError && /máy chủ \(pid/.test(e.message),
  );
  assert.equal(fs.readdirSync(path.join(dir, "run")).length, 1, "only the server's entry");
  server.release();
  claimForRestore(dir).release();
  assert.deepEqual(fs.readdirSync(path.join(dir, "run")), []);
});

test("the entry of a killed process or of a reused pid is stale: removed, never blocking", () => {
  const dir = folder();
  const gone = spawnSync(process.execPath, ["-e", "process.pid"]).pid as number;
  entry(dir, "server-dead.json", { pid: gone, host: os.hostname(), startTicks: null });
  // Our own pid, but a start time that is not ours: the original process is gone and the pid was reused.
  entry(dir, "server-reused.json", { pid: process.pid, host: os.hostname(), startTicks: "1" });
  assert.ok(processStartTicks(process.pid), "this platform has /proc");
  assert.deepEqual(otherProcesses(dir), []);
  assert.deepEqual(fs.readdirSync(path.join(dir, "run")), [], "stale entries removed");
  claimForRestore(dir).release();
});

test("a live process still blocks; one on another host is reported as unverifiable, with the file to remove", async () => {
  const dir = folder();
  const sleeper = spawn(process.execPath, ["-e", "setTimeout(() => {}, 60000)"]);
  try {
    await new Promise((r) => setTimeout(r, 200));
    entry(dir, "server-live.json", {
      pid: sleeper.pid,
      host: os.hostname(),
      startTicks: processStartTicks(sleeper.pid as number),
    });
    entry(dir, "server-other.json", { pid: 1, host: "may-khac", startTicks: "5" });
    const others = otherProcesses(dir);
    assert.deepEqual(others.map((p) => p.state).sort(), ["alive", "unknown"]);
    assert.throws(() => claimForRestore(dir), /may-khac.*xoá tệp .*server-other\.json/);
  } finally {
    sleeper.kill("SIGKILL");
  }
});
