import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { test } from "node:test";
import { sql } from "kysely";
import { openSqlite } from "./connection.ts";
import { OTHER_WRITERS_MS, recentDataVersion } from "./data-version.ts";

test("writes are counted after they ran; reads and failed statements are not", async () => {
  const db = openSqlite(":memory:");
  try {
    await sql`create table t (id integer primary key, v text not null)`.execute(db.kysely);
    const counter = db.writes;
    assert.ok(counter, "a connection counts its writes");
    const before = counter.count;
    await db.kysely
      .selectFrom("settings")
      .select("key")
      .execute()
      .catch(() => undefined);
    await sql`select 1`.execute(db.kysely);
    assert.equal(counter.count, before, "reads are not writes");
    await sql`insert into t (v) values ('a')`.execute(db.kysely);
    assert.equal(counter.count, before + 1, "a raw insert is");
    await db.kysely.transaction().execute(async (trx) => {
      await sql`update t set v = 'b'`.execute(trx);
    });
    assert.equal(counter.count, before + 2, "so is a write in a transaction");
    await assert.rejects(sql`insert into t (v) values (null)`.execute(db.kysely), "a NOT NULL violation fails");
    assert.equal(counter.count, before + 2, "a failed write changed nothing and is not counted");
  } finally {
    await db.close();
  }
});

test("the page cache's data version: this process's writes show at once, another process's within the limit", async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "cchc-version-"));
  const file = path.join(dir, "v.sqlite");
  const mine = openSqlite(file);
  const other = openSqlite(file);
  try {
    await sql`create table t (id integer primary key)`.execute(mine.kysely);
    const t0 = 1_000_000;
    const first = await recentDataVersion(mine, t0);
    assert.equal(await recentDataVersion(mine, t0 + 1), first, "nothing written: the same version, not read again");
    await sql`insert into t default values`.execute(mine.kysely);
    const afterMine = await recentDataVersion(mine, t0 + 2);
    assert.notEqual(afterMine, first, "this process's write shows at once");
    await sql`insert into t default values`.execute(other.kysely);
    assert.equal(await recentDataVersion(mine, t0 + 3), afterMine, "another process's write: not yet");
    assert.notEqual(
      await recentDataVersion(mine, t0 + 3 + OTHER_WRITERS_MS),
      afterMine,
      `within ${OTHER_WRITERS_MS} ms it shows`,
    );
  } finally {
    await mine.close();
    await other.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
