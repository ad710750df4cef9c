/**
 * Each role's home lists what waits for it (issue 8 C.1), over HTTP on every database: the coordinator's items to
 * register, classify and assign; the officer's drafts for their own unit only; the leader's approvals; overdue
 * items; and the tasks due soon — each count moving as the workflow moves.
 */
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import type { createApp } from "../src/app.tsx";
import { SYSTEM_ACTOR } from "../src/core/audit.ts";
import { vnToday } from "../src/core/text/vi.ts";
import { confirmPlanImport } from "../src/features/plans/plans.service.ts";
import { resolveWard } from "../src/features/units/units.service.ts";
import { createWorld, logIn, pw, seedPlanText, type TestWorld, testDatabases } from "./helpers/env.ts";

const CODE = /PA-20\d\d-[0-9A-Z]{5,6}/;
const citizen = {
  content: "Đèn đường tổ 5 hỏng đã lâu, đề nghị phường sửa chữa.",
  name: "Trần Văn Bình",
  address: "Tổ 5, phường Đức Phổ",
  phone: "0987 654 321",
  consent: "yes",
};

/** The count a bucket shows on a home page (undefined when the bucket is absent). */
const bucket = (html: string, key: string) => {
  const m = new RegExp(`id="hang-doi-${key}"[^>]*>.*?<span class="queue-count">(\\d+)</span>`, "s").exec(html);
  return m ? Number(m[1]) : undefined;
};

for (const target of testDatabases()) {
  describe(`the staff work queue (${target.name})`, () => {
    let w: TestWorld;
    let app: ReturnType<typeof createApp>;
    let ipSeq = 0;

    before(async () => {
      w = await createWorld(target);
      app = w.appWith();
      await w.createStaff("dieuphoi", "coordinator", "office");
      await w.createStaff("lanhdao", "leader");
      await w.createStaff("canbo", "officer", "radio");
      await w.createStaff("canbokhac", "officer", "finance");
      await w.createProvinceStaff("capthi", "viewer");
    });
    after(async () => w.cleanup());

    const file = async () => {
      const form = await (await app.request("/gop-y")).text();
      const token = /name="_form" value="([^"]+)"/.exec(form)?.[1] as string;
      const res = await app.request("/gop-y", {
        method: "POST",
        body: new URLSearchParams({ _form: token, ...citizen }),
        headers: { "content-type": "application/x-www-form-urlencoded", "x-test-ip": `10.9.0.${++ipSeq}` },
      });
      const code = CODE.exec(await res.text())?.[0];
      assert.ok(code, "the citizen gets a tracking code");
      const { id } = await w.db.kysely
        .selectFrom("feedback_items")
        .select("id")
        .where("code", "=", code)
        .executeTakeFirstOrThrow();
      return `/quan-tri/phan-anh/${id}`;
    };
    const home = async (username: string) => (await (await logIn(app, username, pw(username))).get("/quan-tri")).text();
    const step = async (who: Awaited<ReturnType<typeof logIn>>, path: string, form: Record<string, string> = {}) => {
      const res = await who.post(path, form);
      assert.equal(res.status, 303, `${path} is taken`);
    };

    test("counts follow the workflow, each role seeing its own steps", async () => {
      const a = await file();
      const b = await file();
      const c = await file();
      let html = await home("dieuphoi");
      assert.equal(bucket(html, "feedback-received"), 3, "three to register");
      assert.match(html, new RegExp(`href="${a}"`), "the oldest item is linked");

      const coordinator = await logIn(app, "dieuphoi", pw("dieuphoi"));
      await step(coordinator, `${a}/vao-so`);
      await step(coordinator, `${b}/vao-so`);
      await step(coordinator, `${b}/phan-loai`, { classification: "in_scope" });
      await step(coordinator, `${c}/vao-so`);
      await step(coordinator, `${c}/phan-loai`, { classification: "in_scope" });
      await step(coordinator, `${c}/giao`, { unitId: String(w.unitIds.get("radio")) });

      html = await home("dieuphoi");
      assert.equal(bucket(html, "feedback-received"), 0, "none left to register");
      assert.equal(bucket(html, "feedback-registered"), 1, "one to classify");
      assert.equal(bucket(html, "feedback-in_scope"), 1, "one to assign");
      assert.equal(bucket(html, "feedback-processing"), 1, "one being drafted (the office may draft too)");
      assert.equal(bucket(html, "feedback-drafted"), undefined, "approving is not the coordinator's");

      assert.equal(
        bucket(await home("canbo"), "feedback-processing"),
        1,
        "the radio officer drafts the item of their unit",
      );
      assert.equal(
        bucket(await home("canbokhac"), "feedback-processing"),
        0,
        "another unit's officer has nothing to draft",
      );
      assert.equal(bucket(await home("canbokhac"), "feedback-registered"), undefined, "officers do not classify");

      const officer = await logIn(app, "canbo", pw("canbo"));
      await step(officer, `${c}/du-thao`, { answer: "Phường đã cho sửa đèn đường tổ 5 trong tuần này." });
      html = await home("lanhdao");
      assert.equal(bucket(html, "feedback-drafted"), 1, "the leader has one draft to approve");
      assert.match(html, new RegExp(`href="${c}"`), "linked");
      assert.equal(bucket(html, "feedback-received"), undefined, "the leader does not register");

      // Three weeks on, the two classified items are past their ten working days.
      w.setNow(new Date("2026-03-25T03:00:00Z"));
      assert.equal(bucket(await home("dieuphoi"), "feedback-overdue"), 2, "two overdue for the office");
      assert.equal(bucket(await home("canbo"), "feedback-overdue"), 1, "one of them is the radio unit's");
      w.setNow(new Date("2026-03-02T03:00:00Z"));

      assert.ok(
        !(await home("capthi")).includes("Việc đang chờ bạn"),
        "a province's read-only account has no ward queue",
      );
    });

    test("tasks due within fourteen days and overdue tasks are in the queue of the unit that leads them", async () => {
      const ward = await resolveWard(w.db.kysely, "21439", vnToday(w.now()), "21439");
      assert.ok(ward, "the demo ward resolves");
      const r = await confirmPlanImport(w.db.kysely, SYSTEM_ACTOR, ward, seedPlanText(), {
        now: w.now(),
        today: vnToday(w.now()),
      });
      assert.ok(r.ok, "the seed plan is imported");
      const radio = w.unitIds.get("radio") as number;
      const radioTasks = await w.db.kysely
        .selectFrom("task_units")
        .innerJoin("tasks", "tasks.id", "task_units.task_id")
        .select("tasks.id")
        .where("task_units.org_unit_id", "=", radio)
        .orderBy("tasks.id")
        .execute();
      assert.ok(radioTasks.length >= 2, "the seed plan gives the radio at least two tasks");
      const [soon, late] = radioTasks.map((t) => t.id) as [number, number];
      await w.db.kysely
        .updateTable("tasks")
        .set({ due_on: "2026-03-10", recurrence: null })
        .where("id", "=", soon)
        .execute();
      await w.db.kysely
        .updateTable("tasks")
        .set({ due_on: "2026-02-10", recurrence: null })
        .where("id", "=", late)
        .execute();

      const html = await home("canbo");
      assert.ok((bucket(html, "tasks-due") ?? 0) >= 1, "the task due on 10/03 is due soon");
      assert.match(html, new RegExp(`href="/quan-tri/nhiem-vu/${soon}"`), "and linked");
      assert.ok((bucket(html, "tasks-overdue") ?? 0) >= 1, "the task due on 10/02 is overdue");
      assert.match(html, new RegExp(`href="/quan-tri/nhiem-vu/${late}"`), "and linked");
      assert.ok(!(await home("canbokhac")).includes(`/quan-tri/nhiem-vu/${soon}"`), "another unit does not see it");
    });
  });
}
