/**
 * The activity ledger counts, without retyping, what other features did — over HTTP on every database: a published
 * feedback answer, a published question's answer, a closed survey round each become one activity of the plan in
 * force (under the content area that speaks of them, with their channel), written in the same transaction as the
 * step, once however many identical requests race, and counted on the plan's progress page.
 */
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import type { createApp } from "../src/app.tsx";
import { SYSTEM_ACTOR } from "../src/core/audit.ts";
import { vnToday } from "../src/core/text/vi.ts";
import { recordLedgerEntry } from "../src/features/plans/ledger.ts";
import { confirmPlanImport } from "../src/features/plans/plans.service.ts";
import { resolveWard } from "../src/features/units/units.service.ts";
import {
  type Browser,
  createWorld,
  FIXED_NOW,
  logIn,
  pw,
  seedPlanText,
  type TestWorld,
  testDatabases,
} from "./helpers/env.ts";

const FEEDBACK = {
  content: "Bộ phận một cửa niêm yết thiếu mẫu tờ khai đăng ký khai sinh.",
  name: "Trần Văn Bình",
  address: "Tổ 5, phường Đức Phổ",
  phone: "0987 654 321",
  consent: "yes",
};
const QUESTION = {
  question: "Đăng ký kết hôn cần mang theo giấy tờ gì?",
  name: "Nguyễn Thị Hoa",
  email: "hoa@example.vn",
  phone: "0912 345 678",
  consent: "yes",
};

for (const target of testDatabases()) {
  describe(`the activity ledger counts answers and survey rounds (${target.name})`, () => {
    let w: TestWorld;
    let app: ReturnType<typeof createApp>;
    let planId = 0;
    let coordinator: Browser;
    let leader: Browser;
    let officer: Browser;
    let ipSeq = 0;

    before(async () => {
      w = await createWorld(target);
      app = w.appWith();
      const ward = await resolveWard(w.db.kysely, "21439", vnToday(w.now()), "21439");
      assert.ok(ward, "expected: ward");
      const r = await confirmPlanImport(w.db.kysely, SYSTEM_ACTOR, ward, seedPlanText(), {
        now: w.now(),
        today: vnToday(w.now()),
      });
      assert.ok(r.ok, "expected: r.ok");
      planId = (await w.db.kysely.selectFrom("plans").select("id").executeTakeFirstOrThrow()).id;
      // The seed plan is for 2024 and the tests run on 02/03/2026: the ledger picks the plan whose period covers
      // the day, so this one is made the 2026 plan (issued by Phổ Minh, merged into Đức Phổ: still the ward's).
      await w.db.kysely
        .updateTable("plans")
        .set({ period_from: "2026-01-01", period_to: "2026-12-31" })
        .where("id", "=", planId)
        .execute();
      await w.createStaff("dieuphoi", "coordinator", "office");
      await w.createStaff("lanhdao", "leader");
      await w.createStaff("canbo", "officer", "radio");
      coordinator = await logIn(app, "dieuphoi", pw("dieuphoi"));
      leader = await logIn(app, "lanhdao", pw("lanhdao"));
      officer = await logIn(app, "canbo", pw("canbo"));
    });
    after(async () => w.cleanup());

    const publicPost = (path: string, form: Record<string, string>) =>
      app.request(path, {
        method: "POST",
        body: new URLSearchParams(form),
        headers: { "content-type": "application/x-www-form-urlencoded", "x-test-ip": `10.3.0.${++ipSeq}` },
      });
    const tokenOf = async (path: string) =>
      /name="_form" value="([^"]+)"/.exec(await (await app.request(path)).text())?.[1] as string;
    const redirected = (res: Response) => assert.equal(res.status, 303, `expected a redirect, got ${res.status}`);
    const ledger = (source: string) =>
      w.db.kysely.selectFrom("activities").selectAll().where("source", "=", source).orderBy("id").execute();
    /** The sentence the plan page's "activities per content area" chart speaks. */
    const areaSummary = async () => {
      const page = await (await coordinator.get(`/quan-tri/ke-hoach/${planId}`)).text();
      return /aria-label="(Số hoạt động tuyên truyền theo nội dung\.[^"]*)"/.exec(page)?.[1] ?? "";
    };

    /** A citizen's feedback taken up to the leader's approval; its id, code and staff path. */
    async function approvedFeedback() {
      const sent = await publicPost("/gop-y", { _form: await tokenOf("/gop-y"), ...FEEDBACK });
      const code = /PA-20\d\d-[0-9A-Z]{5,6}/.exec(await sent.text())?.[0];
      assert.ok(code, "expected: code");
      const { id } = await w.db.kysely
        .selectFrom("feedback_items")
        .select("id")
        .where("code", "=", code)
        .executeTakeFirstOrThrow();
      const path = `/quan-tri/phan-anh/${id}`;
      redirected(await coordinator.post(`${path}/vao-so`, {}));
      redirected(await coordinator.post(`${path}/phan-loai`, { classification: "in_scope" }));
      redirected(await coordinator.post(`${path}/giao`, { unitId: String(w.unitIds.get("radio")) }));
      redirected(
        await officer.post(`${path}/du-thao`, { answer: "Phường đã bổ sung mẫu tờ khai tại bộ phận một cửa." }),
      );
      redirected(await leader.post(`${path}/duyet`, {}));
      return { id, code, path };
    }

    test("a published feedback answer is one activity of the plan in force, under 2.2, by the answering unit", async () => {
      assert.match(await areaSummary(), /2\.2\. Về cải cách thủ tục hành chính: 0 hoạt động/);
      const { id, code, path } = await approvedFeedback();
      assert.equal((await ledger("feedback")).length, 0, "nothing counted before publication");
      redirected(await coordinator.post(`${path}/cong-bo`, {}));
      const rows = await ledger("feedback");
      assert.equal(rows.length, 1);
      const row = rows[0];
      assert.ok(row, "expected: row");
      assert.deepEqual(
        {
          ward: row.ward_id,
          unit: row.org_unit_id,
          plan: row.plan_id,
          task: row.task_id,
          channel: row.channel_kind,
          pillar: row.pillar,
          title: row.title,
          on: row.occurred_on,
          ref: row.source_ref,
        },
        {
          ward: w.wardId,
          unit: w.unitIds.get("radio"),
          plan: planId,
          task: null,
          channel: "feedback_answer",
          pillar: "procedures",
          title: `Trả lời phản ánh, kiến nghị ${code}`,
          on: vnToday(FIXED_NOW),
          ref: String(id),
        },
      );
      const audited = await w.db.kysely
        .selectFrom("audit_log")
        .select(["actor", "action"])
        .where("entity", "=", "activity")
        .where("entity_id", "=", String(row.id))
        .execute();
      assert.deepEqual(audited, [{ actor: "dieuphoi", action: "activity.record" }]);
      assert.match(await areaSummary(), /2\.2\. Về cải cách thủ tục hành chính: 1 hoạt động/);
      const page = await (await coordinator.get(`/quan-tri/ke-hoach/${planId}`)).text();
      assert.match(page, /1 hoạt động tuyên truyền/, "the plan's totals count it");
      const again = await coordinator.post(`${path}/cong-bo`, {});
      assert.equal(again.status, 409);
      assert.equal((await ledger("feedback")).length, 1, "a repeated publish counts nothing more");
    });

    test("an answer published by twenty parallel requests is counted once", async () => {
      const { id, path } = await approvedFeedback();
      const results = await Promise.all(Array.from({ length: 20 }, () => coordinator.post(`${path}/cong-bo`, {})));
      assert.equal(results.filter((r) => r.status === 303).length, 1, "one request publishes");
      assert.ok(
        results.every((r) => r.status === 303 || r.status === 409),
        "expected: results.every((r) => r.status === 303 || r.status === 409)",
      );
      const rows = (await ledger("feedback")).filter((r) => r.source_ref === String(id));
      assert.equal(rows.length, 1);
    });

    test("a published question's answer counts too, under the unit it was routed to", async () => {
      const sent = await publicPost("/hoi-dap/hoi", { _form: await tokenOf("/hoi-dap/hoi"), ...QUESTION });
      const code = /HD-20\d\d-[0-9A-Z]{6}/.exec(await sent.text())?.[0];
      assert.ok(code, "expected: code");
      const { id } = await w.db.kysely
        .selectFrom("questions")
        .select("id")
        .where("code", "=", code)
        .executeTakeFirstOrThrow();
      const path = `/quan-tri/hoi-dap/${id}`;
      redirected(await coordinator.post(`${path}/chuyen-don-vi`, { unitId: String(w.unitIds.get("justice")) }));
      redirected(await coordinator.post(`${path}/du-thao`, { answer: "Mang theo căn cước của hai bên." }));
      redirected(await leader.post(`${path}/duyet`, {}));
      redirected(await coordinator.post(`${path}/cong-bo`, {}));
      const rows = await ledger("question");
      assert.equal(rows.length, 1);
      assert.equal(rows[0]?.title, `Trả lời câu hỏi ${code}`);
      assert.equal(rows[0]?.org_unit_id, w.unitIds.get("justice"));
      assert.equal(rows[0]?.channel_kind, "feedback_answer");
      assert.equal(rows[0]?.plan_id, planId);
      assert.equal(rows[0]?.source_ref, String(id));
      assert.match(await areaSummary(), /2\.2\. Về cải cách thủ tục hành chính: 3 hoạt động/);
    });

    test("closing a survey round: one activity under 2.6 with the responses as its audience, once", async () => {
      redirected(await coordinator.post("/quan-tri/khao-sat", { title: "Khảo sát một cửa 2026", field: "" }));
      const survey = await w.db.kysely.selectFrom("surveys").selectAll().executeTakeFirstOrThrow();
      assert.equal(survey.org_unit_id, w.unitIds.get("office"), "the office unit runs it by default");
      const q1 = await w.db.kysely
        .selectFrom("survey_questions")
        .select("id")
        .where("survey_id", "=", survey.id)
        .orderBy("position")
        .executeTakeFirstOrThrow();
      const respond = async () => {
        const form = `/khao-sat/${survey.id}`;
        const res = await publicPost(form, { _form: await tokenOf(form), [`q${q1.id}`]: "5" });
        assert.equal(res.status, 200);
      };
      const close = (b: Browser, form: Record<string, string> = {}) =>
        b.post(`/quan-tri/khao-sat/${survey.id}/ket-thuc-dot`, form);

      const empty = await close(coordinator);
      assert.equal(empty.status, 400);
      assert.match(await empty.text(), /Chưa có phiếu nào kể từ đợt trước/);
      for (let i = 0; i < 3; i++) await respond();
      assert.equal((await close(officer)).status, 403, "an officer may not close a round");
      const noCsrf = await app.request(`/quan-tri/khao-sat/${survey.id}/ket-thuc-dot`, {
        method: "POST",
        body: new URLSearchParams({}),
        headers: { cookie: coordinator.cookie, "content-type": "application/x-www-form-urlencoded" },
      });
      assert.equal(noCsrf.status, 403);
      assert.equal((await ledger("survey")).length, 0);

      const list = await (await coordinator.get("/quan-tri/khao-sat")).text();
      assert.match(list, /Kết thúc đợt khảo sát/);
      redirected(await close(coordinator));
      let rows = await ledger("survey");
      assert.equal(rows.length, 1);
      assert.deepEqual(
        [rows[0]?.title, rows[0]?.audience, rows[0]?.channel_kind, rows[0]?.pillar, rows[0]?.plan_id],
        ["Khảo sát sự hài lòng: Khảo sát một cửa 2026, 3 phiếu", 3, "survey", "e_government", planId],
      );
      assert.equal(rows[0]?.org_unit_id, w.unitIds.get("office"));
      assert.equal(rows[0]?.source_ref, `${survey.id}:1`);
      assert.match(await areaSummary(), /2\.6\. Về hiện đại hóa hành chính: 1 hoạt động/);
      const logged = await w.db.kysely
        .selectFrom("audit_log")
        .select("after_json")
        .where("action", "=", "survey.round.close")
        .executeTakeFirstOrThrow();
      assert.equal(JSON.parse(logged.after_json ?? "{}").responses, 3);

      // Two more responses, then ten identical clicks: round 2 is closed once and counted once.
      w.setNow(new Date(FIXED_NOW.getTime() + 3_600_000));
      await respond();
      await respond();
      const clicks = await Promise.all(Array.from({ length: 10 }, () => close(coordinator)));
      assert.equal(clicks.filter((r) => r.status === 303).length, 1);
      assert.ok(
        clicks.every((r) => [303, 400, 409].includes(r.status)),
        "expected: clicks.every((r) => [303, 400, 409].includes(r.status))",
      );
      rows = await ledger("survey");
      assert.equal(rows.length, 2);
      assert.equal(rows[1]?.title, "Khảo sát sự hài lòng: Khảo sát một cửa 2026 (đợt 2), 2 phiếu");
      assert.equal(rows[1]?.audience, 2);
      const rounds = await w.db.kysely.selectFrom("survey_rounds").selectAll().orderBy("round_no").execute();
      assert.deepEqual(
        rounds.map((r) => [r.round_no, r.responses]),
        [
          [1, 3],
          [2, 2],
        ],
      );

      // Closing the survey with nothing new to count closes it without a round.
      redirected(await close(coordinator, { closeSurvey: "1" }));
      assert.equal(
        (await w.db.kysely.selectFrom("surveys").select("open").where("id", "=", survey.id).executeTakeFirstOrThrow())
          .open,
        0,
      );
      assert.equal((await ledger("survey")).length, 2);
      assert.match(await (await app.request(`/khao-sat/${survey.id}`)).text(), /Cuộc khảo sát này đã kết thúc/);
      assert.match(await areaSummary(), /2\.6\. Về hiện đại hóa hành chính: 2 hoạt động/);
      w.setNow(FIXED_NOW);
    });

    test("the database keeps one row per source: a second insert of the same source fails, manual rows may repeat", async () => {
      const row = {
        ward_id: w.wardId,
        org_unit_id: w.unitIds.get("office") as number,
        channel_kind: "other",
        title: "Hoạt động",
        occurred_on: "2026-03-02",
        created_at: FIXED_NOW.toISOString(),
      };
      await w.db.kysely
        .insertInto("activities")
        .values([
          { ...row, source: "manual", source_ref: null },
          { ...row, source: "manual", source_ref: null },
          { ...row, source: "radio", source_ref: "x-1" },
        ])
        .execute();
      await assert.rejects(
        w.db.kysely
          .insertInto("activities")
          .values({ ...row, source: "radio", source_ref: "x-1" })
          .execute(),
      );
    });

    test("without a plan in force: no plan, the topic's national pillar, the office unit when none is given", async () => {
      const r = await w.db.kysely.transaction().execute((trx) =>
        recordLedgerEntry(
          trx,
          SYSTEM_ACTOR,
          {
            wardId: w.wardId,
            orgUnitId: null,
            topic: "survey",
            title: "Khảo sát sự hài lòng: thử, 1 phiếu",
            occurredOn: "2031-05-01",
            audience: 1,
            source: "survey",
            sourceRef: "test:2031",
            createdBy: null,
          },
          FIXED_NOW,
        ),
      );
      assert.equal(r.created, true);
      const row = await w.db.kysely
        .selectFrom("activities")
        .selectAll()
        .where("id", "=", r.activityId)
        .executeTakeFirstOrThrow();
      assert.deepEqual([row.plan_id, row.pillar, row.org_unit_id], [null, "e_government", w.unitIds.get("office")]);
      const again = await w.db.kysely.transaction().execute((trx) =>
        recordLedgerEntry(
          trx,
          SYSTEM_ACTOR,
          {
            wardId: w.wardId,
            orgUnitId: null,
            topic: "survey",
            title: "lần hai",
            occurredOn: "2031-05-01",
            audience: 9,
            source: "survey",
            sourceRef: "test:2031",
            createdBy: null,
          },
          FIXED_NOW,
        ),
      );
      assert.deepEqual(again, { activityId: r.activityId, created: false });
    });
  });
}
