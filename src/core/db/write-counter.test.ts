import assert from "node:assert/strict";
import { test } from "node:test";
import { sql } from "kysely";
import { openSqlite } from "./connection.ts";

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
