/**
 * Prepared statements on a real PostgreSQL (src/core/db/prepared.ts): a frequent statement is prepared on the
 * connection and still answers right; one prepared before another process changed its table's columns answers again
 * (run unnamed, the text never named again) instead of failing for ever; inside a transaction the failure reaches the
 * caller and the transaction rolls back. PostgreSQL only (TEST_DATABASE_URL).
 */
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { sql } from "kysely";
import pg from "pg";
import { type Db, openPostgres } from "../src/core/db/connection.ts";
import { PREPARE_AFTER } from "../src/core/db/prepared.ts";

const url = process.env.TEST_DATABASE_URL;

describe("prepared statements (PostgreSQL)", { skip: url ? false : "needs TEST_DATABASE_URL" }, () => {
  const schema = `t_prep_${process.pid}_${Math.random().toString(36).slice(2, 8)}`;
  let db: Db;
  const admin = async (text: string) => {
    const c = new pg.Client({ connectionString: url });
    await c.connect();
    try {
      await c.query(text);
    } finally {
      await c.end();
    }
  };

  before(async () => {
    await admin(`create schema ${schema}`);
    await admin(`create table ${schema}.notes (id integer primary key, body text not null)`);
    await admin(`insert into ${schema}.notes values (1, 'một'), (2, 'hai')`);
    // One connection: what was prepared on it is what the next statement finds.
    db = openPostgres(url as string, { searchPath: schema, max: 1 });
  });
  after(async () => {
    await db?.close();
    await admin(`drop schema if exists ${schema} cascade`);
  });

  const bodyOf = (id: number) =>
    sql<{ id: number; body: string }>`select * from notes where id = ${id}`.execute(db.kysely);
  const prepared = async () =>
    (await sql<{ statement: string }>`select statement from pg_prepared_statements`.execute(db.kysely)).rows.map(
      (r) => r.statement,
    );

  test("a statement run often is prepared on the connection and answers as before", async () => {
    for (let i = 0; i < PREPARE_AFTER + 2; i++) {
      const { rows } = await bodyOf((i % 2) + 1);
      assert.equal(rows[0]?.body, i % 2 ? "hai" : "một", `run ${i + 1}: the row asked for`);
    }
    assert.ok(
      (await prepared()).some((s) => s.includes("from notes where id = $1")),
      "the statement is among the connection's prepared statements",
    );
  });

  test("columns changed by another process: the next run answers with them, unnamed from then on", async () => {
    await admin(`alter table ${schema}.notes add column title text`);
    await admin(`update ${schema}.notes set title = 'tiêu đề' where id = 1`);
    const { rows } = await bodyOf(1);
    assert.deepEqual(rows[0], { id: 1, body: "một", title: "tiêu đề" }, "the row with its new column");
    const again = await bodyOf(2);
    assert.equal(again.rows[0]?.body, "hai", "and again, without a failure");
  });

  test("inside a transaction the stale statement's failure reaches the caller and nothing is kept", async () => {
    const text = (id: number) => sql<{ id: number }>`select * from notes where id >= ${id} order by id`;
    for (let i = 0; i < PREPARE_AFTER + 1; i++) await text(1).execute(db.kysely);
    await admin(`alter table ${schema}.notes add column extra integer`);
    await assert.rejects(
      db.kysely.transaction().execute(async (trx) => {
        await sql`insert into notes (id, body) values (3, 'ba')`.execute(trx);
        await text(1).execute(trx);
      }),
      /cached plan must not change result type/,
      "the failure aborts the transaction",
    );
    const { rows } = await sql<{ n: string }>`select count(*) as n from notes where id = 3`.execute(db.kysely);
    assert.equal(Number(rows[0]?.n), 0, "the insert before it was rolled back");
    const after = await text(1).execute(db.kysely);
    assert.equal(after.rows.length, 2, "outside the transaction the statement answers again");
  });
});
