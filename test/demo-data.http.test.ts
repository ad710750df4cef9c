/**
 * Issue 12 §1: `demo-data` fills a deployment with deterministic synthetic data that the app serves — the demo
 * ward first, the rest of its province after, predecessor communes with records of their own; the same seed gives
 * the same rows, another seed other rows; a deployment that has data for those wards is refused without --replace.
 */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import path from "node:path";
import { after, before, describe, test } from "node:test";
import type { Db } from "../src/core/db/connection.ts";
import { wardById } from "../src/core/wards.ts";
import { DemoDataError, type DemoDataSummary, generateDemoData } from "../src/features/demo-data/demo-data.service.ts";
import { createWorld, FIXED_NOW, SHARED_DIR, type TestWorld, testDatabases } from "./helpers/env.ts";

const ROOT = path.resolve(import.meta.dirname, "..");
const WARDS = 3;
const ACTIVITIES = 40;

const run = (w: TestWorld, seed: number, replace = false) =>
  generateDemoData(w.db, {
    wards: WARDS,
    years: 1,
    seed,
    activities: ACTIVITIES,
    replace,
    now: FIXED_NOW,
    sharedDir: SHARED_DIR,
    firstWard: "21439",
  });

/** What the generated data says, without row ids or anything else a database assigns. */
async function snapshot(db: Db, wardCodes: string[]) {
  const k = db.kysely;
  const wards = await k
    .selectFrom("admin_units")
    .select("id")
    .where("code", "in", wardCodes)
    .where("valid_to", "is", null)
    .where("level", "=", "commune")
    .execute();
  const scope: number[] = [];
  for (const u of wards) scope.push(...((await wardById(k, u.id))?.scopeIds ?? []));
  const count = async (table: "plans" | "activities" | "feedback_items" | "questions" | "events" | "news_articles") =>
    Number(
      (
        await k
          .selectFrom(table)
          .select((e) => e.fn.countAll<number>().as("n"))
          .where("ward_id", "in", scope)
          .executeTakeFirstOrThrow()
      ).n,
    );
  const counts = {
    plans: await count("plans"),
    activities: await count("activities"),
    feedback: await count("feedback_items"),
    questions: await count("questions"),
    events: await count("events"),
    news: await count("news_articles"),
  };
  const activities = await k
    .selectFrom("activities")
    .innerJoin("admin_units", "admin_units.id", "activities.ward_id")
    .select([
      "admin_units.code",
      "activities.title",
      "activities.occurred_on",
      "activities.channel_kind",
      "activities.audience",
      "activities.source",
    ])
    .where("activities.ward_id", "in", scope)
    .orderBy("admin_units.code")
    .orderBy("activities.occurred_on")
    .orderBy("activities.title")
    .orderBy("activities.audience")
    .limit(25)
    .execute();
  const feedback = await k
    .selectFrom("feedback_items")
    .select(["code", "status", "received_at", "content"])
    .where("ward_id", "in", scope)
    .orderBy("code")
    .execute();
  const plans = await k
    .selectFrom("plans")
    .select(["number", "issued_on", "title"])
    .where("ward_id", "in", scope)
    .orderBy("title")
    .orderBy("issued_on")
    .execute();
  return { counts, activities, feedback, plans };
}

for (const target of testDatabases()) {
  describe(`demo-data (${target.name})`, () => {
    let w: TestWorld;
    let first: DemoDataSummary;
    before(async () => {
      w = await createWorld(target);
      first = await run(w, 7);
    });
    after(() => w.cleanup());

    test("the demo ward first, then its province's wards, with predecessors that have records", async () => {
      assert.equal(first.wards, WARDS, "as many wards as asked");
      assert.equal(first.firstWards[0], "21439", "Phường Đức Phổ, the demo ward, first");
      const k = w.db.kysely;
      for (const code of first.firstWards) {
        const unit = await k
          .selectFrom("admin_units as c")
          .innerJoin("admin_units as p", "p.id", "c.parent_id")
          .select("p.code as province")
          .where("c.code", "=", code)
          .where("c.valid_to", "is", null)
          .executeTakeFirstOrThrow();
        assert.equal(unit.province, "51", `ward ${code} is in Quảng Ngãi`);
      }
      assert.ok(first.predecessors > 0, "predecessor communes were given records");
      const ward = await wardById(k, w.wardId);
      const preds = ward?.predecessors.map((p) => p.unit.id) ?? [];
      assert.ok(preds.length > 1, "Đức Phổ has pre-2025 predecessors");
      for (const table of ["plans", "activities", "feedback_items"] as const) {
        const n = await k
          .selectFrom(table)
          .select((e) => e.fn.countAll<number>().as("n"))
          .where("ward_id", "in", preds)
          .executeTakeFirstOrThrow();
        assert.ok(Number(n.n) > 0, `the predecessors have ${table} of their own`);
      }
      const own = await k
        .selectFrom("activities")
        .select((e) => e.fn.countAll<number>().as("n"))
        .where("ward_id", "=", w.wardId)
        .where("source", "=", "manual")
        .executeTakeFirstOrThrow();
      assert.equal(Number(own.n), ACTIVITIES, "the activities asked for, in the ward's own year");
      for (const table of ["tasks", "feedback_steps", "question_steps", "survey_answers", "radio_bulletins"])
        assert.ok((first.rows[table] ?? 0) > 0, `the summary counts ${table}`);
      const senders = await k.selectFrom("feedback_senders").select(["name", "phone"]).execute();
      assert.ok(
        senders.every((s) => /mẫu/.test(s.name) && /^0000/.test(s.phone)),
        "every sender is synthetic and clearly fake",
      );
    });

    test("refused without --replace on wards that have data; the same seed gives the same rows, another seed others", async () => {
      const before = await snapshot(w.db, first.firstWards);
      await assert.rejects(run(w, 7), DemoDataError, "data already there: refused");
      assert.deepEqual(await snapshot(w.db, first.firstWards), before, "the refusal wrote nothing");

      const again = await run(w, 7, true);
      // The wards' units were made by the first run and are kept: every other table is written again, row for row.
      const { org_units: _u, org_unit_aliases: _a, ...firstRows } = first.rows;
      assert.deepEqual(again.rows, firstRows, "the same seed: the same counts");
      assert.deepEqual(await snapshot(w.db, first.firstWards), before, "the same seed: the same rows");

      await run(w, 8, true);
      const other = await snapshot(w.db, first.firstWards);
      assert.notDeepEqual(other.activities, before.activities, "another seed: other activities");
      assert.notDeepEqual(
        other.feedback.map((f) => f.code),
        before.feedback.map((f) => f.code),
        "another seed: other tracking codes",
      );
      assert.equal(other.counts.plans, before.counts.plans, "the same plans per ward and year whatever the seed");
    });

    test("the command line refuses the same wards without --replace, saying what is there", () => {
      const r = spawnSync(
        process.execPath,
        ["--import", "tsx", "src/cli.ts", "demo-data", "--wards", String(WARDS), "--years", "1"],
        {
          cwd: ROOT,
          encoding: "utf8",
          env: { ...process.env, ...w.env, CCHC_SHARED_DIR: SHARED_DIR, LOG_LEVEL: "silent" },
          timeout: 120_000,
        },
      );
      assert.equal(r.status, 1, r.stdout);
      assert.match(r.stderr, /đã có dữ liệu.*--replace/s, "a clear Vietnamese refusal");
      const bad = spawnSync(process.execPath, ["--import", "tsx", "src/cli.ts", "demo-data", "--wards", "x"], {
        cwd: ROOT,
        encoding: "utf8",
        env: { ...process.env, ...w.env, CCHC_SHARED_DIR: SHARED_DIR, LOG_LEVEL: "silent" },
        timeout: 120_000,
      });
      assert.equal(bad.status, 1);
      assert.match(bad.stderr, /--wards phải là số nguyên/, "bad input: a clear error");
    });

    test("the app serves a generated ward: home, plans, a plan's page, a predecessor's plan, feedback tracking", async () => {
      const k = w.db.kysely;
      const code = first.firstWards[1] as string;
      const unit = await k
        .selectFrom("admin_units")
        .selectAll()
        .where("code", "=", code)
        .where("valid_to", "is", null)
        .where("level", "=", "commune")
        .executeTakeFirstOrThrow();
      const ward = await wardById(k, unit.id);
      assert.ok(ward, "the generated ward resolves");
      const home = await w.app.request(`/w/${code}`);
      assert.equal(home.status, 200, "the public home of a generated ward");
      assert.match(await home.text(), new RegExp(unit.short_name), "it is that ward's home");

      const plans = await k
        .selectFrom("plans")
        .select(["id", "title", "ward_id", "number"])
        .where("ward_id", "in", ward.scopeIds)
        .orderBy("issued_on", "desc")
        .execute();
      assert.ok(plans.length >= 2, "the ward's own plan and its predecessors'");
      const list = await w.app.request(`/w/${code}/ke-hoach`);
      assert.equal(list.status, 200);
      const listed = await list.text();
      for (const p of plans) assert.ok(listed.includes(p.number), `the plan list shows ${p.number}`);
      const own = plans.find((p) => p.ward_id === unit.id);
      const pred = plans.find((p) => p.ward_id !== unit.id);
      for (const p of [own, pred]) {
        assert.ok(p, "a plan of the ward and one of a predecessor");
        const page = await w.app.request(`/w/${code}/ke-hoach/${p.id}`);
        assert.equal(page.status, 200, `plan page ${p.id}`);
        const html = await page.text();
        assert.match(html, /<h1/, "a rendered plan page");
        assert.ok(html.includes(p.number), "showing the plan");
      }

      const item = await k
        .selectFrom("feedback_items")
        .innerJoin("feedback_senders", "feedback_senders.feedback_id", "feedback_items.id")
        .select(["feedback_items.code", "feedback_items.status", "feedback_senders.phone"])
        .where("feedback_items.ward_id", "=", unit.id)
        .where("feedback_items.status", "=", "published")
        .orderBy("feedback_items.code")
        .executeTakeFirstOrThrow();
      const tracked = await w.app.request(`/w/${code}/gop-y/tra-cuu`, {
        method: "POST",
        body: new URLSearchParams({ code: item.code, phone: item.phone }),
        headers: { "content-type": "application/x-www-form-urlencoded", "x-test-ip": "10.9.9.9" },
      });
      assert.equal(tracked.status, 200, "the sender's code and phone open the item");
      const text = await tracked.text();
      assert.ok(text.includes(item.code), "the tracking page shows the item");
      assert.match(text, /Đã công bố kết quả/, "with its status");

      for (const path of ["/gop-y/da-tra-loi", "/hoi-dap", "/su-kien", "/tin-tuc"]) {
        const res = await w.app.request(`/w/${code}${path}`);
        assert.equal(res.status, 200, `${path} of the generated ward`);
      }
      const home21439 = await (await w.app.request("/")).text();
      assert.ok(!/Người dân mẫu|0000\d{6}/.test(home21439), "no synthetic person on a public page");
    });
  });
}
