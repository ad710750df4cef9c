/**
 * A plan's budget over HTTP on every database (issue 9 §2): the real seed plan states no budget (no lines, total
 * null) and gives the budget task to the finance officer; a revised text with a budget section is read into lines;
 * the office and the finance unit's officers edit them (validated, audited, nothing partial), another unit's officer
 * gets 403; spending is what the plan's activities cost, shown against the lines by channel and by unit on the staff
 * page and as a disclosure table (no names of people) on the public page; the plan JSON carries `budget`.
 */
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { SYSTEM_ACTOR } from "../src/core/audit.ts";
import { vnToday } from "../src/core/text/vi.ts";
import { confirmPlanImport } from "../src/features/plans/plans.service.ts";
import { resolveWard } from "../src/features/units/units.service.ts";
import { type Browser, createWorld, logIn, pw, seedPlanText, type TestWorld, testDatabases } from "./helpers/env.ts";
import { rowCount } from "./helpers/fixtures.ts";

/** The seed plan with a budget section as many wards write it, before the closing paragraph. */
const withBudget = (section: string) =>
  seedPlanText().replace(
    /\nTrên đây là kế hoạch/u,
    `\n## **V. KINH PHÍ THỰC HIỆN**\n\n${section}\n\nTrên đây là kế hoạch`,
  );

const BUDGET_2024 = `Tổng kinh phí thực hiện Kế hoạch: 12.000.000 đồng (Mười hai triệu đồng), từ nguồn ngân sách phường năm 2024, trong đó:

- Sản xuất chương trình phát thanh về cải cách hành chính: 4.000.000 đồng;

- In pa nô, tờ rơi tuyên truyền: 8.000.000 đồng.`;

for (const target of testDatabases()) {
  describe(`a plan's budget and spending (${target.name})`, () => {
    let w: TestWorld;
    let planId = 0;
    let radioTask = 0;
    let coordinator: Browser;
    let finance: Browser;
    let radio: Browser;
    const anonymous = (path: string) => w.app.request(path);

    const importText = async (text: string) => {
      const today = vnToday(w.now());
      const ward = await resolveWard(w.db.kysely, "21439", today, "21439");
      assert.ok(ward, "the demo ward resolves");
      const r = await confirmPlanImport(w.db.kysely, SYSTEM_ACTOR, ward, text, { now: w.now(), today });
      assert.ok(r.ok, `the plan is imported: ${r.ok ? "" : r.error}`);
      return r;
    };
    const planJson = async () => {
      const res = await anonymous(`/api/v1/plans/${planId}`);
      assert.equal(res.status, 200, "the plan JSON");
      return (await res.json()) as { budget: { total: number | null; lines: Record<string, unknown>[] } };
    };
    const lineIds = async () =>
      (
        await w.db.kysely
          .selectFrom("plan_budget_lines")
          .select("id")
          .where("plan_id", "=", planId)
          .orderBy("position")
          .execute()
      ).map((r) => r.id);

    before(async () => {
      w = await createWorld(target);
      const r = await importText(seedPlanText());
      planId = r.ok ? r.planId : 0;
      radioTask = (
        await w.db.kysely
          .selectFrom("tasks")
          .innerJoin("task_units", "task_units.task_id", "tasks.id")
          .select("tasks.id")
          .where("task_units.org_unit_id", "=", w.unitIds.get("radio") as number)
          .where("task_units.role", "=", "lead")
          .orderBy("tasks.position")
          .executeTakeFirstOrThrow()
      ).id;
      await w.createStaff("dieuphoi", "coordinator", "office");
      await w.createStaff("ketoan", "officer", "finance");
      await w.createStaff("daitt", "officer", "radio");
      coordinator = await logIn(w.app, "dieuphoi", pw("dieuphoi"));
      finance = await logIn(w.app, "ketoan", pw("ketoan"));
      radio = await logIn(w.app, "daitt", pw("daitt"));
    });
    after(async () => w.cleanup());

    test("the seed plan states no budget: no lines, total null; its finance officer keeps the budget", async () => {
      assert.deepEqual((await planJson()).budget, { total: null, lines: [] }, "the contract's empty budget");
      const html = await (await coordinator.get(`/quan-tri/ke-hoach/${planId}`)).text();
      assert.match(html, /Kế hoạch không nêu dòng kinh phí nào/, "the staff page says so");
      assert.match(html, /Đơn vị được giao bố trí kinh phí: Tài chính – Kế toán/, "the budget task's unit");
    });

    test("the import preview shows the budget read from the text", async () => {
      const res = await coordinator.post("/quan-tri/ke-hoach/nhap", { text: withBudget(BUDGET_2024) });
      assert.equal(res.status, 200, "the preview");
      const html = await res.text();
      assert.match(html, /Kinh phí đọc được từ kế hoạch/, "the budget table");
      assert.match(
        html,
        /In pa nô, tờ rơi tuyên truyền<\/th><td>Ngân sách phường năm 2024<\/td><td class="num">8\.000\.000/,
        "a line",
      );
      assert.match(html, /Tổng kinh phí theo kế hoạch<\/th><td class="num">12\.000\.000/, "the stated total");
    });

    test("a revised text with a budget section is read into lines on confirm", async () => {
      const r = await importText(withBudget(BUDGET_2024));
      assert.equal(r.ok && r.outcome, "updated", "the same plan, revised");
      assert.deepEqual((await planJson()).budget, {
        total: 12_000_000,
        lines: [
          {
            amount: 4_000_000,
            source: "Ngân sách phường năm 2024",
            purpose: "Sản xuất chương trình phát thanh về cải cách hành chính",
          },
          { amount: 8_000_000, source: "Ngân sách phường năm 2024", purpose: "In pa nô, tờ rơi tuyên truyền" },
        ],
      });
    });

    test("another unit's officer may not edit the budget: 403, nothing written", async () => {
      const before = await rowCount(w, "plan_budget_lines");
      assert.equal((await radio.get(`/quan-tri/ke-hoach/${planId}/kinh-phi`)).status, 403, "the edit page");
      const res = await radio.post(`/quan-tri/ke-hoach/${planId}/kinh-phi`, {
        purpose: "Bồi dưỡng phát thanh viên",
        amount: "1.000.000",
      });
      assert.equal(res.status, 403, "adding a line");
      const [first] = await lineIds();
      assert.equal(
        (await radio.post(`/quan-tri/ke-hoach/${planId}/kinh-phi/${first}/xoa`, {})).status,
        403,
        "removing a line",
      );
      assert.equal(await rowCount(w, "plan_budget_lines"), before, "no line added or removed");
      const page = await (await radio.get(`/quan-tri/ke-hoach/${planId}`)).text();
      assert.doesNotMatch(page, /Sửa kinh phí/, "no edit link for them");
    });

    test("bad input gets a Vietnamese message beside the field and writes nothing", async () => {
      const before = await rowCount(w, "plan_budget_lines");
      const audits = await rowCount(w, "audit_log");
      const bad = await coordinator.post(`/quan-tri/ke-hoach/${planId}/kinh-phi`, {
        purpose: "",
        amount: "mười triệu",
      });
      assert.equal(bad.status, 400, "refused");
      const html = await bad.text();
      assert.match(html, /Số tiền phải là số nguyên dương tính bằng đồng/, "the amount's message");
      assert.match(html, /Hãy ghi nội dung chi/, "the purpose's message");
      assert.match(html, /value="mười triệu"/, "what was typed is kept");
      const foreignUnit = await coordinator.post(`/quan-tri/ke-hoach/${planId}/kinh-phi`, {
        purpose: "In tờ rơi",
        amount: "1000000",
        orgUnitId: "999999",
      });
      assert.equal(foreignUnit.status, 400, "a unit of no ward is refused");
      assert.equal(await rowCount(w, "plan_budget_lines"), before, "no line written");
      assert.equal(await rowCount(w, "audit_log"), audits, "no audit record either");
    });

    test("the finance officer adds a line and the office corrects and removes lines, each audited", async () => {
      const added = await finance.post(`/quan-tri/ke-hoach/${planId}/kinh-phi`, {
        purpose: "Tổ chức hội nghị tuyên truyền ở tổ dân phố",
        amount: "3.000.000 đồng",
        source: "Nguồn xã hội hóa",
        channelKind: "community_meeting",
        orgUnitId: String(w.unitIds.get("culture_social")),
      });
      assert.equal(added.status, 303, "the finance officer may add");
      const [radioLine, posterLine, meetingLine] = await lineIds();
      assert.ok(radioLine && posterLine && meetingLine, "three lines now");
      const edited = await coordinator.post(`/quan-tri/ke-hoach/${planId}/kinh-phi/${radioLine}`, {
        purpose: "Sản xuất chương trình phát thanh về cải cách hành chính",
        amount: "5000000",
        source: "Ngân sách phường năm 2024",
        channelKind: "radio",
        orgUnitId: String(w.unitIds.get("radio")),
      });
      assert.equal(edited.status, 303, "the office corrects a line");
      assert.equal(
        (await coordinator.post(`/quan-tri/ke-hoach/${planId}/kinh-phi/${posterLine}/xoa`, {})).status,
        303,
        "and removes one",
      );
      const total = await coordinator.post(`/quan-tri/ke-hoach/${planId}/kinh-phi/tong`, { stated: "" });
      assert.equal(total.status, 303, "the stated total cleared: the total is the lines' sum");
      assert.deepEqual((await planJson()).budget, {
        total: 8_000_000,
        lines: [
          {
            amount: 5_000_000,
            source: "Ngân sách phường năm 2024",
            purpose: "Sản xuất chương trình phát thanh về cải cách hành chính",
          },
          { amount: 3_000_000, source: "Nguồn xã hội hóa", purpose: "Tổ chức hội nghị tuyên truyền ở tổ dân phố" },
        ],
      });
      const actions = (
        await w.db.kysely
          .selectFrom("audit_log")
          .select("action")
          .where("entity", "in", ["plan_budget_line", "plan"])
          .execute()
      ).map((r) => r.action);
      for (const a of ["budget_line.create", "budget_line.update", "budget_line.delete", "plan.budget_total"])
        assert.ok(actions.includes(a), `audited: ${a}`);
    });

    test("a later re-import keeps the lines staff edited", async () => {
      await importText(withBudget(BUDGET_2024.replace("12.000.000", "20.000.000")));
      const b = (await planJson()).budget;
      assert.equal(b.lines.length, 2, "staff's two lines kept");
      assert.equal(b.total, 8_000_000, "and their total");
    });

    test("spending is the plan's activity costs, against the lines by channel and unit; the public sees no names", async () => {
      const f = new FormData();
      f.set("orgUnitId", String(w.unitIds.get("radio")));
      f.set("channelKind", "radio");
      f.set("pillar", "procedures");
      f.set("title", "Chuyên mục phát thanh về dịch vụ công trực tuyến");
      f.set("occurredOn", "2024-04-10");
      f.set("audience", "1200");
      f.set("cost", "2.500.000");
      assert.equal((await radio.post(`/quan-tri/nhiem-vu/${radioTask}/hoat-dong`, f)).status, 303, "recorded");

      const staff = await (await coordinator.get(`/quan-tri/ke-hoach/${planId}`)).text();
      assert.match(staff, /Dự kiến và đã chi theo hình thức/, "by channel");
      assert.match(
        staff,
        /<th scope="row">Đài truyền thanh, phát thanh<\/th><td class="num">5\.000\.000<\/td><td class="num">2\.500\.000<\/td>/,
        "radio: 5.000.000 planned, 2.500.000 spent",
      );
      assert.match(staff, /Dự kiến và đã chi theo đơn vị/, "by unit");
      assert.match(
        staff,
        /<th scope="row">Văn hóa – Xã hội<\/th><td class="num">3\.000\.000<\/td><td class="num">0<\/td>/,
        "the culture unit's planned meeting, nothing spent yet",
      );
      assert.match(staff, /Sửa kinh phí/, "the office may edit");

      const pub = await anonymous(`/ke-hoach/${planId}`);
      assert.equal(pub.status, 200, "the public plan page");
      const html = await pub.text();
      assert.match(html, /Công khai kinh phí/, "the disclosure table");
      assert.match(html, /Tổ chức hội nghị tuyên truyền ở tổ dân phố/, "a planned line");
      assert.match(html, /Đã chi \(theo chi phí ghi nhận trên các hoạt động\): <strong>2\.500\.000 đồng/, "spent");
      assert.ok(!/daitt|ketoan|dieuphoi/.test(html), "no staff member named");
      assert.ok(!/Sửa kinh phí|đã chi theo đơn vị/.test(html), "no staff controls, no unit breakdown");
    });
  });
}
