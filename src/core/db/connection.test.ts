/** Which database errors mean "away for now" (a 503 to try again) rather than a fault (a 500). */
import assert from "node:assert/strict";
import { test } from "node:test";
import { databaseUnavailable } from "./connection.ts";

test("a restart, a refused or cut connection, a connect time-out: the database is away for now", () => {
  const away: unknown[] = [
    Object.assign(new Error("terminating connection due to administrator command"), { code: "57P01" }),
    Object.assign(new Error("the database system is starting up"), { code: "57P03" }),
    Object.assign(new Error("connection failure"), { code: "08006" }),
    Object.assign(new Error("connect ECONNREFUSED 127.0.0.1:5432"), { code: "ECONNREFUSED" }),
    new Error("Connection terminated unexpectedly"),
    new Error("timeout exceeded when trying to connect"),
    new AggregateError([Object.assign(new Error("connect ECONNREFUSED ::1:5432"), { code: "ECONNREFUSED" })]),
    new Error("query failed", { cause: Object.assign(new Error("x"), { code: "57P01" }) }),
  ];
  for (const e of away) assert.equal(databaseUnavailable(e), true, `away: ${(e as Error).message}`);
});

test("faults of the request or the code are not mistaken for an outage", () => {
  const faults: unknown[] = [
    Object.assign(new Error('duplicate key value violates unique constraint "x"'), { code: "23505" }),
    Object.assign(new Error('relation "nope" does not exist'), { code: "42P01" }),
    Object.assign(new Error("canceling statement due to statement timeout"), { code: "57014" }),
    new TypeError("Cannot read properties of undefined (reading 'id')"),
    null,
    "a string",
  ];
  for (const e of faults)
    assert.equal(databaseUnavailable(e), false, `not away: ${String((e as Error)?.message ?? e)}`);
});
