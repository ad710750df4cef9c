import assert from "node:assert/strict";
import { test } from "node:test";
import { retryOnDeadlock } from "./jobs.ts";

const deadlock = () => Object.assign(new Error("deadlock detected"), { code: "40P01" });

test("a start-up step chosen as a deadlock's victim runs again, and its answer is kept", async () => {
  let calls = 0;
  const answer = await retryOnDeadlock(async () => {
    calls++;
    if (calls < 3) throw deadlock();
    return "xong";
  });
  assert.equal(answer, "xong", "the third run's answer");
  assert.equal(calls, 3, "run three times");
});

test("any other failure is not retried, and a step that keeps deadlocking fails in the end", async () => {
  let calls = 0;
  await assert.rejects(
    retryOnDeadlock(async () => {
      calls++;
      throw Object.assign(new Error("duplicate key"), { code: "23505" });
    }),
    /duplicate key/,
    "the other failure reaches the caller",
  );
  assert.equal(calls, 1, "run once");
  calls = 0;
  await assert.rejects(
    retryOnDeadlock(async () => {
      calls++;
      throw deadlock();
    }, 3),
    /deadlock detected/,
    "the last deadlock reaches the caller",
  );
  assert.equal(calls, 3, "no more runs than allowed");
});
