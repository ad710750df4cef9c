import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, test } from "node:test";
import { blobPath, chunkSpan, clampRange, joinSpan, LocalFileStore, sha256Of } from "./file-store.ts";

describe("range math of the database store", () => {
  test("clampRange keeps a range inside the blob", () => {
    assert.deepEqual(clampRange(0, 9, 10), { start: 0, length: 10 });
    assert.deepEqual(clampRange(5, 100, 10), { start: 5, length: 5 });
    assert.deepEqual(clampRange(10, 20, 10), { start: 10, length: 0 });
    assert.deepEqual(clampRange(0, 0, 0), { start: 0, length: 0 });
  });

  test("chunkSpan names the chunks a range covers and what to skip in the first", () => {
    assert.deepEqual(chunkSpan(0, 9, 10, 4), { first: 0, last: 2, skip: 0, length: 10 });
    assert.deepEqual(chunkSpan(5, 6, 10, 4), { first: 1, last: 1, skip: 1, length: 2 });
    assert.deepEqual(chunkSpan(3, 4, 10, 4), { first: 0, last: 1, skip: 3, length: 2 });
    assert.deepEqual(chunkSpan(8, 50, 10, 4), { first: 2, last: 2, skip: 0, length: 2 });
    assert.equal(chunkSpan(10, 12, 10, 4), null, "past the end: nothing");
  });

  test("joinSpan cuts the range out of the chunks, whatever the boundaries", () => {
    const whole = Uint8Array.from({ length: 23 }, (_, i) => i);
    for (const size of [1, 4, 7, 23, 30])
      for (let start = 0; start < whole.length; start += 3)
        for (let end = start; end < whole.length + 2; end += 5) {
          const span = chunkSpan(start, end, whole.length, size);
          assert.ok(span, `a span for ${start}-${end}`);
          const chunks = [];
          for (let n = span.first; n <= span.last; n++) chunks.push(whole.subarray(n * size, (n + 1) * size));
          assert.deepEqual(
            [...joinSpan(chunks, span.skip, span.length)],
            [...whole.subarray(start, Math.min(end, whole.length - 1) + 1)],
            `chunk ${size}, bytes ${start}-${end}`,
          );
        }
    assert.throws(() => joinSpan([new Uint8Array(2)], 0, 3), /short/, "a missing chunk is an error, not zeros");
  });
});

describe("the local store", () => {
  test("content-addressed under files/ab/…, read whole or by range, listed and deleted", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "cchc-store-"));
    try {
      const store = new LocalFileStore(dir);
      const bytes = new Uint8Array(Buffer.from("Biên bản họp tổ dân phố 3"));
      const sha = await store.put(bytes);
      assert.equal(sha, sha256Of(bytes));
      assert.equal(await store.put(bytes), sha, "the same bytes, the same blob");
      assert.equal(blobPath(dir, sha), path.join(dir, "files", sha.slice(0, 2), sha), "today's layout");
      assert.ok(fs.existsSync(blobPath(dir, sha)), "on disk where existing data folders keep them");
      assert.deepEqual(await store.get(sha), bytes);
      assert.deepEqual(await store.read(sha, 2, 5), bytes.subarray(2, 6));
      assert.equal(await store.size(sha), bytes.length);
      const listed = [];
      for await (const s of store.list()) listed.push(s);
      assert.deepEqual(listed, [sha]);
      await store.delete(sha);
      assert.equal(await store.get(sha), null, "gone");
      assert.equal(await store.has(sha), false, "gone");
      assert.throws(() => blobPath(dir, "../etc/passwd"), /invalid sha256/, "never a path from outside");
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
