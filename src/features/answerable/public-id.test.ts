import assert from "node:assert/strict";
import { test } from "node:test";
import { newPublicId, PUBLIC_ID_PATTERN } from "./public-id.ts";

test("public ids match their pattern, start with a letter and do not repeat", () => {
  const seen = new Set<string>();
  for (let i = 0; i < 2000; i++) {
    const id = newPublicId();
    assert.ok(PUBLIC_ID_PATTERN.test(id), `${id} matches the public id pattern`);
    seen.add(id);
  }
  assert.equal(seen.size, 2000, "2000 ids are all different");
  assert.ok(!PUBLIC_ID_PATTERN.test("PA-2026-7KQ9XM"), "a tracking code is not a public id");
  assert.ok(!PUBLIC_ID_PATTERN.test("1234567890"), "a number is not a public id");
});
