/**
 * Several first starts at once (issue 12): three real servers (src/main.ts in child processes, as a province's systemd
 * units come up after the install), each with a data folder of its own, started together on one empty PostgreSQL
 * schema. The setup lock (src/core/db/setup-lock.ts) lets one process at a time migrate and make the first start:
 * all three come up and turn ready, exactly one loads the demo ward and prints the administrator's credentials,
 * there is one administrator, each migration is recorded once, the demo's units exist once, and every data folder
 * names the one portal. Without the lock the starts race (a duplicate administrator, a failed migration, a deadlock).
 */
import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import { sql } from "kysely";
import { freshTarget, postgresUrl, type RunningServer, startServer, type Target } from "../bench/server.ts";
import type { Db } from "../src/core/db/connection.ts";

const url = postgresUrl({ BENCH_DATABASE_URL: process.env.TEST_DATABASE_URL });
const PROCESSES = 3;
const CREDENTIALS = /Quản trị viên: quantri \/ \S+/g;

describe("first starts at once on an empty PostgreSQL schema", { skip: !url && "TEST_DATABASE_URL is not set" }, () => {
  let target: Target;
  let db: Db;
  const dirs: string[] = [];
  const servers: RunningServer[] = [];
  const outcomes: PromiseSettledResult<RunningServer>[] = [];

  before(async () => {
    target = await freshTarget("postgres", url);
    db = target.open();
    for (let i = 0; i < PROCESSES; i++) dirs.push(fs.mkdtempSync(path.join(os.tmpdir(), `cchc-together${i}-`)));
    // All at once: no process waits for another to listen.
    outcomes.push(
      ...(await Promise.allSettled(
        dirs.map((d) => startServer(target, { DATA_DIR: d, LOG_LEVEL: "error", PDF_PREWARM: "0" })),
      )),
    );
    for (const o of outcomes) if (o.status === "fulfilled") servers.push(o.value);
  });

  after(async () => {
    for (const s of servers) await s.stop().catch(() => null);
    await db?.close();
    await target?.cleanup();
    for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
  });

  it("all come up and turn ready", async () => {
    const failed = outcomes
      .filter((o) => o.status === "rejected")
      .map((o) => String((o as PromiseRejectedResult).reason));
    assert.deepEqual(failed, [], "every process started");
    for (const s of servers) {
      let status = 0;
      for (let t = 0; t < 1200 && status !== 200; t++) {
        const res = await fetch(`${s.url}/readyz`).catch(() => null);
        status = res?.status ?? 0;
        await res?.arrayBuffer();
        if (status !== 200) await new Promise((r) => setTimeout(r, 100));
      }
      assert.equal(status, 200, `${s.url} is ready`);
    }
  });

  it("exactly one made the first start: one administrator, credentials printed once", async () => {
    const printed = servers.flatMap((s) => s.output().match(CREDENTIALS) ?? []);
    assert.equal(printed.length, 1, `the administrator's credentials printed once in all (${printed.length})`);
    const admins = await db.kysely.selectFrom("users").select("username").where("role", "=", "admin").execute();
    assert.deepEqual(
      admins.map((a) => a.username),
      ["quantri"],
      "one administrator",
    );
    const twice = await db.kysely
      .selectFrom("org_units")
      .select(["ward_id", "code"])
      .select((eb) => eb.fn.countAll<number>().as("n"))
      .groupBy(["ward_id", "code"])
      .having((eb) => eb.fn.countAll(), ">", 1)
      .execute();
    assert.deepEqual(twice, [], "the demo ward's units exist once");
  });

  it("each migration is recorded once, and every data folder names the one portal", async () => {
    const rows = (
      await sql<{ name: string; n: number }>`select name, count(*) as n from kysely_migration group by name`.execute(
        db.kysely,
      )
    ).rows;
    assert.ok(rows.length > 40, `the migrations are recorded (${rows.length})`);
    assert.deepEqual(
      rows.filter((r) => Number(r.n) !== 1),
      [],
      "no migration recorded twice",
    );
    const portals = await db.kysely.selectFrom("settings").select("value").where("key", "=", "portal_id").execute();
    assert.equal(portals.length, 1, "one portal id in the database");
    for (const d of dirs) {
      const mark = JSON.parse(fs.readFileSync(path.join(d, "cchc-portal.json"), "utf8")).portalId;
      assert.equal(mark, portals[0]?.value, `${d} names the portal in the database`);
    }
  });
});
