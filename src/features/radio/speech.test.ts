/** The speech tools run as background work: in Linux's idle scheduling class where chrt allows it. */
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { test } from "node:test";
import { runInBackground } from "./speech.ts";

const idleClassHere = (() => {
  try {
    return execFileSync("chrt", ["--idle", "0", "chrt", "-p", "0"], { encoding: "utf8" }).includes("SCHED_IDLE");
  } catch {
    return false;
  }
})();

test("a speech tool starts in the idle scheduling class", {
  skip: idleClassHere ? false : "chrt is missing or the idle class is not permitted here",
}, async () => {
  const { stdout } = await runInBackground("sh", ["-c", "chrt -p $$"]);
  assert.match(stdout, /SCHED_IDLE/, `the tool's own process is in the idle class: ${stdout}`);
});

test("a speech tool's arguments reach it unchanged through the launcher", async () => {
  const { stdout } = await runInBackground("printf", ["%s|", "-v", "vi", "Đăng ký khai sinh", "--idle"]);
  assert.equal(stdout, "-v|vi|Đăng ký khai sinh|--idle|", "each argument as given, in order");
});
