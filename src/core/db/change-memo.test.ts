import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { test } from "node:test";
import { ChangeMemo } from "./change-memo.ts";
import { changesOf } from "./changes.ts";
import { openSqlite } from "./connection.ts";

test("a remembered value holds until a write to its units, or to shared data, reaches the process", async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "cchc-memo-"));
  const db = openSqlite(path.join(dir, "cchc.sqlite"));
  try {
    const memo = new ChangeMemo<number>(10);
    let reads = 0;
    const read = (units: number[]) => async () => ({ value: ++reads, units });
    assert.equal(await memo.get(db, "a", read([7])), 1, "read the first time");
    assert.equal(await memo.get(db, "a", read([7])), 1, "remembered after");
    const { changes } = changesOf(db);
    changes.changed("ward_profiles", [8]);
    assert.equal(await memo.get(db, "a", read([7])), 1, "another unit's write leaves it");
    changes.changed("ward_profiles", [7]);
    assert.equal(await memo.get(db, "a", read([7])), 2, "its unit's write ends it");
    changes.changed("procedures", "*");
    assert.equal(await memo.get(db, "a", read([7])), 3, "a write to shared data ends it");
  } finally {
    await db.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
