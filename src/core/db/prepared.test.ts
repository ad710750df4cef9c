import assert from "node:assert/strict";
import { test } from "node:test";
import { PREPARE_AFTER, StatementNames, stalePreparedStatement } from "./prepared.ts";

test("a statement is named once it has run PREPARE_AFTER times, and keeps its name", () => {
  const names = new StatementNames();
  const text = 'select * from "plans" where "id" = $1';
  for (let i = 1; i < PREPARE_AFTER; i++) assert.equal(names.nameFor(text), null, `run ${i}: not yet`);
  const name = names.nameFor(text);
  assert.match(name ?? "", /^cchc_[0-9a-f]{24}$/, "named on the run that reaches the threshold");
  assert.equal(names.nameFor(text), name, "the same name after");
  assert.equal(names.size, 1, "one text named");
});

test("transaction bookkeeping and session commands are never named; other texts get other names", () => {
  const names = new StatementNames();
  for (const text of ["begin", "commit", "rollback", "set search_path = x", "listen cchc_x"])
    for (let i = 0; i < PREPARE_AFTER + 2; i++) assert.equal(names.nameFor(text), null, `${text} stays unnamed`);
  const a = 'select "id" from "tasks" where "plan_id" = $1';
  const b = "with x as (select 1) select * from x";
  for (let i = 1; i < PREPARE_AFTER; i++) {
    names.nameFor(a);
    names.nameFor(b);
  }
  const na = names.nameFor(a);
  const nb = names.nameFor(b);
  assert.ok(na && nb && na !== nb, `two texts, two names (${na}, ${nb})`);
});

test("a refused text is never named again", () => {
  const names = new StatementNames();
  const text = 'select * from "ward_profiles" where "ward_id" = $1';
  for (let i = 0; i < PREPARE_AFTER; i++) names.nameFor(text);
  assert.ok(names.nameFor(text), "named first");
  names.refuse(text);
  for (let i = 0; i < PREPARE_AFTER + 2; i++) assert.equal(names.nameFor(text), null, "unnamed from then on");
});

test("PostgreSQL's stale prepared statement is told from other errors", () => {
  assert.equal(
    stalePreparedStatement({ code: "0A000", message: "cached plan must not change result type" }),
    true,
    "the columns changed under a prepared statement",
  );
  assert.equal(stalePreparedStatement({ code: "0A000", message: "another unsupported feature" }), false, "0A000 alone");
  assert.equal(stalePreparedStatement({ code: "23505", message: "duplicate key" }), false, "a constraint");
  assert.equal(stalePreparedStatement(null), false, "nothing");
});
