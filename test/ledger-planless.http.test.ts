/**
 * Ledger rows recorded while no plan covers their day (C.2 of issue 8): a feedback answer published in 2026 when
 * the only plan is for 2024 is listed for staff under a banner that the year has no plan, and joins the plan that
 * covers its day when that plan is imported — over HTTP, on every database; another ward's rows are never touched.
 */
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { SYSTEM_ACTOR } from "../src/core/audit.ts";
import { vnToday } from "../src/core/text/vi.ts";
import { answerEntry, recordLedgerEntry } from "../src/features/plans/ledger.ts";
import { adminUnitInForce, createOrgUnit } from "../src/features/units/units.service.ts";
import { createWorld, logIn, pw, seedPlanText, type TestWorld, testDatabases } from "./helpers/env.ts";

const form = (fields: Record<string, string>) => {
  const f = new FormData();
  for (const [k, v] of Object.entries(fields)) f.set(k, v);
  return f;
};

for (const target of testDatabases()) {
  describe(`ledger rows without a plan (${target.name})`, () => {
    let w: TestWorld;
    let otherWardId = 0;
    const activity = (id: number) =>
      w.db.kysely.selectFrom("activities").selectAll().where("id", "=", id).executeTakeFirstOrThrow();

    before(async () => {
      w = await createWorld(target);
      await w.createStaff("dieuphoi", "coordinator", "office");
      await w.createStaff("canbo", "officer", "radio");
      const other = await adminUnitInForce(w.db.kysely, "21451", vnToday(w.now()));
      assert.ok(other, "a second ward of Quảng Ngãi is in the register");
      otherWardId = other.id;
      await createOrgUnit(
        w.db.kysely,
        SYSTEM_ACTOR,
        { wardId: otherWardId, name: "Văn phòng", code: "office", aliases: [] },
        w.now(),
      );
    });
    after(async () => w.cleanup());

    const answer = (wardId: number, id: number, on: string) =>
      w.db.kysely
        .transaction()
        .execute((trx) =>
          recordLedgerEntry(
            trx,
            SYSTEM_ACTOR,
            answerEntry("feedback", { id, code: `PA-${id}`, ward_id: wardId, assigned_unit_id: null }, 1, on),
            w.now(),
          ),
        );

    test("rows recorded before any plan are listed under a banner, then join the plan that covers their day", async () => {
      const in2024 = await answer(w.wardId, 1001, "2024-05-10");
      const in2026 = await answer(w.wardId, 1002, "2026-02-20");
      const otherWard2024 = await answer(otherWardId, 1003, "2024-06-01");
      for (const r of [in2024, in2026, otherWard2024]) {
        assert.ok(r.created, "each answer is a new ledger row");
        assert.equal((await activity(r.activityId)).plan_id, null, "no plan covers its day yet");
      }

      const coord = await logIn(w.app, "dieuphoi", pw("dieuphoi"));
      const home = await (await coord.get("/quan-tri")).text();
      assert.match(home, /Các năm 2024, 2026 chưa có kế hoạch/, "the staff home says which years have no plan");
      assert.match(home, /2 hoạt động đã ghi nhận/, "and counts only this ward's rows");
      assert.match(home, /href="\/quan-tri\/hoat-dong\/chua-co-ke-hoach"/, "it links to the list");
      const list = await (await coord.get("/quan-tri/hoat-dong/chua-co-ke-hoach")).text();
      assert.match(list, /Trả lời phản ánh, kiến nghị PA-1001/, "the 2024 row is listed");
      assert.match(list, /Trả lời phản ánh, kiến nghị PA-1002/, "the 2026 row is listed");
      assert.ok(!list.includes("PA-1003"), "another ward's row is not listed");
      assert.match(list, /10\/05\/2024/, "dates are shown dd/mm/yyyy");

      const saved = await coord.post("/quan-tri/ke-hoach/xac-nhan", form({ text: seedPlanText() }));
      assert.equal(saved.status, 303, "the seed plan (2024) is saved");
      const location = saved.headers.get("location") ?? "";
      assert.match(location, /[?&]gan=1\b/, "the redirect tells one row was attached");
      const planPage = await (await coord.get(location)).text();
      assert.match(planPage, /1 hoạt động ghi nhận khi chưa có kế hoạch/, "the plan page says so");

      const planId = Number(/\/ke-hoach\/(\d+)/.exec(location)?.[1]);
      const attached = await activity(in2024.activityId);
      assert.equal(attached.plan_id, planId, "the 2024 row joined the 2024 plan");
      assert.equal(attached.pillar, "procedures", "under the pillar of the plan's area that speaks of feedback");
      assert.equal((await activity(in2026.activityId)).plan_id, null, "the 2026 row stays without a plan");
      assert.equal((await activity(otherWard2024.activityId)).plan_id, null, "another ward's row is not attached");
      const audit = await w.db.kysely
        .selectFrom("audit_log")
        .selectAll()
        .where("action", "=", "activity.attach_plan")
        .execute();
      assert.equal(audit.length, 1, "one audit record for the attachment");
      assert.deepEqual(JSON.parse(audit[0]?.after_json ?? "{}"), { activities: [in2024.activityId] });

      const after = await (await coord.get("/quan-tri")).text();
      assert.match(after, /Năm 2026 chưa có kế hoạch/, "only 2026 remains without a plan");
      assert.match(after, /1 hoạt động đã ghi nhận/, "one row remains");
    });

    test("an officer sees the list but is not offered the import", async () => {
      const officer = await logIn(w.app, "canbo", pw("canbo"));
      const res = await officer.get("/quan-tri/hoat-dong/chua-co-ke-hoach");
      assert.equal(res.status, 200, "officers may read the ledger");
      const html = await res.text();
      assert.match(html, /PA-1002/, "the planless row is listed");
      assert.ok(!html.includes('href="/quan-tri/ke-hoach/nhap"'), "no import link for an officer");
    });

    test("anonymous visitors are sent to log in", async () => {
      const res = await w.app.request("/quan-tri/hoat-dong/chua-co-ke-hoach");
      assert.equal(res.status, 303, "staff pages need a login");
    });
  });
}
