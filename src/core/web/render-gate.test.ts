import assert from "node:assert/strict";
import { test } from "node:test";
import { RenderGate } from "./render-gate.ts";

test("the render gate runs at most its concurrency at once, in arrival order", async () => {
  const gate = new RenderGate(2);
  let running = 0;
  let most = 0;
  const started: number[] = [];
  const work = (n: number) =>
    gate.run(async () => {
      started.push(n);
      running++;
      most = Math.max(most, running);
      await new Promise((r) => setImmediate(r));
      running--;
      return n;
    });
  const results = await Promise.all([1, 2, 3, 4, 5, 6].map(work));
  assert.deepEqual(results, [1, 2, 3, 4, 5, 6], "every piece of work ran and answered");
  assert.equal(most, 2, "never more than two at once");
  assert.deepEqual(started, [1, 2, 3, 4, 5, 6], "in the order they came");
  await assert.rejects(
    gate.run(async () => {
      throw new Error("boom");
    }),
    /boom/,
  );
  assert.equal(await work(7), 7, "a failure frees its slot");
});
