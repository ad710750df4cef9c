/** Tracking over HTTP on every database: who may change which task, evidence checked by content, the ledger. */
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { SYSTEM_ACTOR } from "../src/core/audit.ts";
import { vnToday } from "../src/core/text/vi.ts";
import { confirmPlanImport } from "../src/features/plans/plans.service.ts";
import { resolveWard } from "../src/features/units/units.service.ts";
import { type Browser, createWorld, logIn, pw, seedPlanText, type TestWorld, testDatabases } from "./helpers/env.ts";

const PNG = Buffer.from(
  "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==",
  "base64",
);

for (const target of testDatabases()) {
  describe(`task tracking over HTTP (${target.name})`, () => {
    let w: TestWorld;
    let radioTask = 0;
    let radio: Browser;
    let justice: Browser;
    before(async () => {
      w = await createWorld(target);
      const ward = await resolveWard(w.db.kysely, "21439", vnToday(w.now()), "21439");
      assert.ok(ward, "expected: ward");
      const r = await confirmPlanImport(w.db.kysely, SYSTEM_ACTOR, ward, seedPlanText(), {
        now: w.now(),
        today: vnToday(w.now()),
      });
      assert.ok(r.ok, "expected: r.ok");
      const task = await w.db.kysely
        .selectFrom("tasks")
        .innerJoin("task_units", "task_units.task_id", "tasks.id")
        .select("tasks.id")
        .where("task_units.org_unit_id", "=", w.unitIds.get("radio") as number)
        .orderBy("tasks.position")
        .executeTakeFirstOrThrow();
      radioTask = task.id;
      await w.createStaff("daitt", "officer", "radio");
      await w.createStaff("tuphap", "officer", "justice");
      await w.createProvinceStaff("captren", "viewer");
      radio = await logIn(w.app, "daitt", pw("daitt"));
      justice = await logIn(w.app, "tuphap", pw("tuphap"));
    });
    after(async () => w.cleanup());

    const updatesOf = async () =>
      (await w.db.kysely.selectFrom("task_updates").selectAll().where("task_id", "=", radioTask).execute()).length;

    test("an officer cannot change another unit's task", async () => {
      const f = new FormData();
      f.set("status", "done");
      f.set("note", "Không phải việc của tôi");
      const res = await justice.post(`/quan-tri/nhiem-vu/${radioTask}/cap-nhat`, f);
      assert.equal(res.status, 403);
      assert.equal(await updatesOf(), 0);
      const page = await (await justice.get(`/quan-tri/nhiem-vu/${radioTask}`)).text();
      assert.doesNotMatch(page, /cap-nhat"/, "no update form for another unit's task");
    });

    test("a province's read-only account cannot record anything in a ward", async () => {
      const viewer = await logIn(w.app, "captren", pw("captren"));
      const f = new FormData();
      f.set("status", "in_progress");
      assert.equal((await viewer.post(`/quan-tri/nhiem-vu/${radioTask}/cap-nhat`, f)).status, 403);
      assert.equal(await updatesOf(), 0);
    });

    test("the unit's officer marks it done with evidence; a renamed executable is refused", async () => {
      const bad = new FormData();
      bad.set("status", "done");
      bad.set("note", "Bằng chứng");
      bad.append(
        "files",
        new File([Buffer.from("MZ\x90\x00 this program cannot be run in DOS mode")], "bang-chung.pdf"),
      );
      const refused = await radio.post(`/quan-tri/nhiem-vu/${radioTask}/cap-nhat`, bad);
      assert.equal(refused.status, 415);
      assert.equal(await updatesOf(), 0, "nothing is written when a file is refused");

      const good = new FormData();
      good.set("status", "done");
      good.set("note", "Đã phát 4 bản tin về CCHC trên Đài truyền thanh");
      good.append("files", new File([PNG], "anh-bang-tin.png"));
      const res = await radio.post(`/quan-tri/nhiem-vu/${radioTask}/cap-nhat`, good);
      assert.equal(res.status, 303);
      assert.equal(await updatesOf(), 1);
      const task = await w.db.kysely
        .selectFrom("tasks")
        .select("status")
        .where("id", "=", radioTask)
        .executeTakeFirstOrThrow();
      assert.equal(task.status, "done");
      const audit = await w.db.kysely
        .selectFrom("audit_log")
        .selectAll()
        .where("entity", "=", "task")
        .where("entity_id", "=", String(radioTask))
        .execute();
      assert.ok(audit.length >= 1, "expected: audit.length >= 1");
      assert.equal(audit.at(-1)?.actor, "daitt");

      const page = await (await radio.get(`/quan-tri/nhiem-vu/${radioTask}`)).text();
      const fileId = /\/quan-tri\/tep\/(\d+)/.exec(page)?.[1];
      assert.ok(fileId, "the evidence is linked on the task page");
      const file = await radio.get(`/quan-tri/tep/${fileId}`);
      assert.equal(file.status, 200);
      assert.match(file.headers.get("content-disposition") ?? "", /^attachment/);
      assert.equal(file.headers.get("x-content-type-options"), "nosniff");
      assert.equal(file.headers.get("content-type"), "image/png");
      assert.equal((await w.app.request(`/quan-tri/tep/${fileId}`)).status, 303, "anonymous users are sent to log in");

      const api = (await (
        await w.app.request(
          `/api/v1/plans/${(await w.db.kysely.selectFrom("plans").select("id").executeTakeFirstOrThrow()).id}`,
        )
      ).json()) as { tasks: { id: number; status: string }[] };
      assert.equal(api.tasks.find((t) => t.id === radioTask)?.status, "done");
    });

    test("an activity recorded by the unit enters the ledger and the plan's figures", async () => {
      const f = new FormData();
      f.set("orgUnitId", String(w.unitIds.get("radio")));
      f.set("channelKind", "radio");
      f.set("pillar", "procedures");
      f.set("title", "Bản tin tuyên truyền thủ tục đăng ký khai sinh");
      f.set("occurredOn", "2026-02-20");
      f.set("audience", "1500");
      f.set("cost", "200000");
      const res = await radio.post(`/quan-tri/nhiem-vu/${radioTask}/hoat-dong`, f);
      assert.equal(res.status, 303);
      const acts = await w.db.kysely.selectFrom("activities").selectAll().where("task_id", "=", radioTask).execute();
      assert.equal(acts.length, 1);
      assert.equal(acts[0]?.audience, 1500);
      const planId = acts[0]?.plan_id as number;
      const page = await (await w.app.request(`/ke-hoach/${planId}`)).text();
      assert.match(page, /1 hoạt động tuyên truyền, 1\.500 lượt người/);

      const future = new FormData();
      for (const [k, v] of f.entries()) future.set(k, v);
      future.set("occurredOn", "2099-01-01");
      future.set("audience", "-5");
      const bad = await radio.post(`/quan-tri/nhiem-vu/${radioTask}/hoat-dong`, future);
      assert.equal(bad.status, 400);
      assert.match(await bad.text(), /error-summary/);
      assert.equal(
        (await w.db.kysely.selectFrom("activities").selectAll().where("task_id", "=", radioTask).execute()).length,
        1,
      );
    });
  });
}
