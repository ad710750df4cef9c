/**
 * Issue 9 §1, "each figure links to the records behind it in the staff UI", over HTTP on every database: a saved
 * report (the ward's, and one plan's) over records inside its period, just outside it and of another ward; every
 * link under "Hồ sơ đằng sau số liệu" opens a staff list holding exactly as many records as the figure says, and
 * what lies outside the period or belongs to the other ward never appears in any of them. Each kind of record is
 * stored as its feature stores it (the services), workflow states set on the stored rows.
 */
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { SYSTEM_ACTOR } from "../src/core/audit.ts";
import { feedbackInput } from "../src/features/feedback/feedback.schemas.ts";
import { submitFeedback } from "../src/features/feedback/feedback.service.ts";
import { markBoardPrinted } from "../src/features/procedures/procedures.lifecycle.ts";
import { questionInput } from "../src/features/questions/questions.schemas.ts";
import { submitQuestion } from "../src/features/questions/questions.service.ts";
import { type Browser, createWorld, logIn, pw, setUpOtherWard, type TestWorld, testDatabases } from "./helpers/env.ts";
import { importSeedPlan } from "./helpers/fixtures.ts";

/** Q1 2026 by the statutory cut-off: 15/12/2025 → 14/03/2026 (the world's today is 02/03/2026). */
const Q1 = { loai: "quarter", nam: "2026", quy: "1" };
/** Words only records outside the period or of the other ward carry: no list behind a figure may show them. */
const OUTSIDE = "Ngoài kỳ báo cáo";
const OTHER = "Phường khác";

for (const target of testDatabases()) {
  describe(`every figure of a report links to exactly the records it counts (${target.name})`, () => {
    let w: TestWorld;
    let office: Browser;
    let planId = 0;

    before(async () => {
      w = await createWorld(target);
      await importSeedPlan(w);
      planId = (await w.db.kysely.selectFrom("plans").select("id").executeTakeFirstOrThrow()).id;
      await w.createStaff("vanphong", "coordinator", "office");
      office = await logIn(w.app, "vanphong", pw("vanphong"));
      const db = w.db.kysely;
      const otherWard = await setUpOtherWard(w, "21451");
      const otherUnit = (
        await db.selectFrom("org_units").select("id").where("ward_id", "=", otherWard).executeTakeFirstOrThrow()
      ).id;
      const radio = w.unitIds.get("radio") as number;
      const created_at = w.now().toISOString();

      // The ledger: in the period (one on its last day), the day after it, the day before it, the other ward's.
      const activity = (
        wardId: number,
        unit: number,
        title: string,
        on: string,
        channel: string,
        pillar: string | null,
        plan: number | null,
      ) => ({
        ward_id: wardId,
        org_unit_id: unit,
        plan_id: plan,
        channel_kind: channel,
        pillar,
        title,
        occurred_on: on,
        audience: 40,
        cost: 100000,
        source: "manual",
        created_at,
      });
      await db
        .insertInto("activities")
        .values([
          activity(w.wardId, radio, "Phát thanh về dịch vụ công", "2026-01-10", "radio", "procedures", planId),
          activity(w.wardId, radio, "Phát thanh chuyên mục", "2026-02-10", "radio", null, null),
          activity(w.wardId, radio, "Hội nghị chuyển đổi số", "2026-03-14", "conference", "e_government", planId),
          activity(w.wardId, radio, `${OUTSIDE} (sau)`, "2026-03-15", "radio", "procedures", planId),
          activity(w.wardId, radio, `${OUTSIDE} (trước)`, "2025-12-14", "radio", "procedures", planId),
          activity(otherWard, otherUnit, OTHER, "2026-01-10", "radio", "procedures", null),
        ])
        .execute();

      // Tasks of the seed plan in each recorded state (the others stay as imported).
      const tasks = await db
        .selectFrom("tasks")
        .select("id")
        .where("plan_id", "=", planId)
        .orderBy("position")
        .execute();
      const ids = tasks.map((t) => t.id);
      await db.updateTable("tasks").set({ status: "done" }).where("id", "in", ids.slice(0, 3)).execute();
      // Two in progress, due at the year's end (not late on the period's end); the 2024 ones left are overdue.
      await db
        .updateTable("tasks")
        .set({ status: "in_progress", due_on: "2026-12-31", recurrence: null })
        .where("id", "in", ids.slice(3, 5))
        .execute();

      // Feedback: received (and answered) in the period in every state, one wholly before it, one of the other ward.
      const feedback = async (
        wardId: number,
        content: string,
        channel: "web" | "phone",
        receivedAt: string,
        after: Record<string, string | null>,
      ) => {
        await submitFeedback(
          db,
          {
            ...feedbackInput.parse({
              content,
              name: "Lê Thị Cúc",
              address: "Tổ dân phố 2",
              phone: "0905 123 456",
              subject: "procedure",
              contentType: "obstacle",
              consent: "on",
            }),
            wardId,
            channel,
            idempotencyKey: null,
          },
          new Date(receivedAt),
        );
        const id = (
          await db
            .selectFrom("feedback_items")
            .select("id")
            .where("ward_id", "=", wardId)
            .orderBy("id", "desc")
            .executeTakeFirstOrThrow()
        ).id;
        await db.updateTable("feedback_items").set(after).where("id", "=", id).execute();
      };
      const text = (what: string) => `${what}: đề nghị hướng dẫn rõ hồ sơ đăng ký khai sinh cho trẻ.`;
      await feedback(w.wardId, text("Trả lời đúng hạn"), "phone", "2026-01-05T02:00:00Z", {
        status: "published",
        classification: "in_scope",
        due_on: "2026-01-20",
        published_at: "2026-01-10T02:00:00Z",
      });
      await feedback(w.wardId, text("Trả lời trễ hạn"), "web", "2026-01-06T02:00:00Z", {
        status: "published",
        classification: "in_scope",
        due_on: "2026-02-01",
        published_at: "2026-02-20T02:00:00Z",
      });
      await feedback(w.wardId, text("Quá hạn chưa trả lời"), "web", "2026-02-01T02:00:00Z", {
        status: "processing",
        classification: "in_scope",
        due_on: "2026-02-15",
      });
      await feedback(w.wardId, text("Chuyển cơ quan khác"), "phone", "2026-02-02T02:00:00Z", {
        status: "forwarded",
        classification: "forwarded",
        forwarded_to: "Sở Tư pháp",
      });
      await feedback(w.wardId, text("Không tiếp nhận"), "web", "2026-02-03T02:00:00Z", {
        status: "rejected",
        classification: "rejected",
        reason: "Không ghi rõ sự việc.",
      });
      await feedback(w.wardId, text(OUTSIDE), "web", "2025-11-01T02:00:00Z", {
        status: "published",
        classification: "in_scope",
        due_on: "2025-11-15",
        published_at: "2025-11-10T02:00:00Z",
      });
      await feedback(otherWard, text(OTHER), "phone", "2026-01-15T02:00:00Z", {
        status: "published",
        classification: "in_scope",
        due_on: "2026-01-30",
        published_at: "2026-01-20T02:00:00Z",
      });

      // Questions: received in the period (one answered in it), one before it, one of the other ward.
      const question = async (wardId: number, what: string, at: string, publishedAt: string | null) => {
        await submitQuestion(
          db,
          {
            ...questionInput.parse({
              question: `${what}: thủ tục đăng ký kết hôn cần những giấy tờ gì?`,
              name: "Phạm Văn Bình",
              phone: "0912345678",
              consent: "on",
            }),
            wardId,
            idempotencyKey: null,
          },
          new Date(at),
        );
        if (publishedAt)
          await db
            .updateTable("questions")
            .set({
              status: "published",
              answer_final: "Cần giấy xác nhận tình trạng hôn nhân.",
              published_at: publishedAt,
            })
            .where("ward_id", "=", wardId)
            .where("question", "like", `${what}%`)
            .execute();
      };
      await question(w.wardId, "Câu hỏi đã trả lời", "2026-01-08T02:00:00Z", "2026-01-12T02:00:00Z");
      await question(w.wardId, "Câu hỏi đang xử lý", "2026-02-08T02:00:00Z", null);
      await question(w.wardId, OUTSIDE, "2025-12-01T02:00:00Z", "2025-12-05T02:00:00Z");
      await question(otherWard, OTHER, "2026-01-08T02:00:00Z", "2026-01-12T02:00:00Z");

      // Notice-board prints: one in the period, one before, one of the other ward.
      await markBoardPrinted(db, SYSTEM_ACTOR, w.wardId, new Date("2026-01-12T02:00:00Z"));
      await markBoardPrinted(db, SYSTEM_ACTOR, w.wardId, new Date("2025-12-10T02:00:00Z"));
      await markBoardPrinted(db, SYSTEM_ACTOR, otherWard, new Date("2026-01-12T02:00:00Z"));

      // Training (one attended, one absent, one before the period, the other ward's) and commendations.
      const training = (wardId: number, unit: number, person: string, endsOn: string, attendance: string) => ({
        ward_id: wardId,
        person_name: person,
        position: "Công chức",
        org_unit_id: unit,
        course: "Bồi dưỡng kỹ năng cải cách hành chính",
        organiser: "Sở Nội vụ",
        starts_on: endsOn,
        ends_on: endsOn,
        attendance,
        created_at,
        updated_at: created_at,
      });
      await db
        .insertInto("training_records")
        .values([
          training(w.wardId, radio, "Nguyễn Văn Học", "2026-01-20", "attended"),
          training(w.wardId, radio, "Trần Thị Vắng", "2026-02-10", "absent"),
          training(w.wardId, radio, OUTSIDE, "2025-12-01", "attended"),
          training(otherWard, otherUnit, OTHER, "2026-01-20", "attended"),
        ])
        .execute();
      const commendation = (wardId: number, kind: string, person: string | null, unit: number, on: string) => ({
        ward_id: wardId,
        recipient_kind: kind,
        person_name: person,
        position: person ? "Công chức" : null,
        org_unit_id: unit,
        form: "Giấy khen",
        decision: "15/QĐ-UBND",
        decided_on: on,
        reason: `Thành tích cải cách hành chính ${person ?? ""}`,
        created_at,
        updated_at: created_at,
      });
      await db
        .insertInto("commendations")
        .values([
          commendation(w.wardId, "person", "Lê Văn Khen", radio, "2026-02-01"),
          commendation(w.wardId, "unit", null, radio, "2026-02-02"),
          commendation(w.wardId, "person", OUTSIDE, radio, "2025-12-01"),
          commendation(otherWard, "person", OTHER, otherUnit, "2026-02-01"),
        ])
        .execute();
    });
    after(async () => w.cleanup());

    /** Save a report of Q1 2026 and read its figure links: label, value, target. */
    async function savedReportLinks(extra: Record<string, string> = {}) {
      const saved = await office.post("/quan-tri/bao-cao", { ...Q1, ...extra });
      assert.equal(saved.status, 303, "the report is saved as a draft");
      const page = await office.get((saved.headers.get("location") ?? "").replace(/\?.*$/, ""));
      assert.equal(page.status, 200, "its staff page opens");
      const html = await page.text();
      const at = html.indexOf('id="nguon-so-lieu"');
      assert.ok(at > 0, "the page has its “Hồ sơ đằng sau số liệu” section");
      const section = html.slice(at, html.indexOf("</section>", at));
      const links = [...section.matchAll(/<a href="([^"]+)">([^<]+)<\/a>: ([0-9.]+)/g)].map((m) => ({
        href: (m[1] as string).replace(/&amp;/g, "&"),
        label: m[2] as string,
        value: Number((m[3] as string).replace(/\./g, "")),
      }));
      return { links, value: (label: string) => links.find((l) => l.label === label)?.value };
    }

    /** Follow every link: the list states exactly the figure and shows nothing from outside the period or ward. */
    async function followAll(links: { href: string; label: string; value: number }[]) {
      for (const l of links) {
        const res = await office.get(l.href);
        assert.equal(res.status, 200, `“${l.label}” (${l.href}) opens`);
        const html = await res.text();
        const m = /data-count="(\d+)"/.exec(html);
        assert.ok(m, `“${l.label}”: the list states how many records it holds`);
        assert.equal(Number(m[1]), l.value, `“${l.label}”: the list holds exactly the ${l.value} counted`);
        const rows = (html.match(/<tr[ >]/g) ?? []).length - (html.includes("<thead>") ? 1 : 0);
        assert.ok(rows >= l.value, `“${l.label}”: each of the ${l.value} records is a row`);
        assert.ok(!html.includes(OUTSIDE), `“${l.label}”: nothing outside the period is listed`);
        assert.ok(!html.includes(OTHER), `“${l.label}”: nothing of the other ward is listed`);
      }
    }

    test("the ward's report: ledger, feedback, questions, prints, training and commendations", async () => {
      const { links, value } = await savedReportLinks();
      assert.ok(links.length >= 20, `the figures are linked (${links.length} links)`);
      for (const l of links) assert.ok(l.href.startsWith("/quan-tri/"), `“${l.label}” links to a staff page`);
      // The figures themselves, from the records above (a shared wrong rule would fail here, not only below).
      const expected: [string, number][] = [
        ["Tất cả hoạt động trong kỳ", 3],
        ["Tiếp nhận trong kỳ", 5],
        ["Điện thoại", 2],
        ["Trang web", 3],
        ["Thuộc thẩm quyền", 3],
        ["Chuyển cơ quan có thẩm quyền", 1],
        ["Không tiếp nhận xử lý", 1],
        ["Đã trả lời trong kỳ", 2],
        ["Trả lời đúng hạn", 1],
        ["Quá hạn chưa trả lời", 1],
        ["Câu hỏi nhận trong kỳ", 2],
        ["Câu hỏi đã trả lời", 1],
        ["Lần in, niêm yết bảng thủ tục", 1],
        ["Lượt cán bộ tham dự bồi dưỡng", 1],
        ["Khen thưởng", 2],
        ["Khen thưởng cá nhân", 1],
        ["Khen thưởng tập thể", 1],
      ];
      for (const [label, n] of expected) assert.equal(value(label), n, `“${label}” counts ${n}`);
      await followAll(links);
    });

    test("one plan's report: its activities, and its tasks by lead unit and state as of the period's end", async () => {
      const { links, value } = await savedReportLinks({ kehoach: String(planId) });
      assert.equal(value("Tất cả hoạt động trong kỳ"), 2, "only the plan's two activities of the period");
      const taskLinks = links.filter((l) => l.href.includes("don-vi="));
      assert.ok(taskLinks.length >= 4, "each unit's tasks are linked, with their states");
      const states = taskLinks.filter((l) => l.href.includes("trang-thai="));
      assert.equal(
        states.filter((l) => l.href.includes("trang-thai=done")).reduce((n, l) => n + l.value, 0),
        3,
        "the three done tasks, over the units",
      );
      assert.equal(
        states.filter((l) => l.href.includes("trang-thai=in_progress")).reduce((n, l) => n + l.value, 0),
        2,
        "the two in progress",
      );
      assert.ok(
        states.filter((l) => l.href.includes("trang-thai=overdue")).reduce((n, l) => n + l.value, 0) > 0,
        "the seed's 2024 tasks not done are overdue on the period's end",
      );
      await followAll(links);
    });

    test("saving a report for an empty, reversed or future period is refused in Vietnamese and writes nothing", async () => {
      const before = await w.db.kysely.selectFrom("reports").select("id").execute();
      for (const [values, message] of [
        [{ loai: "ad_hoc", nam: "2026", tu: "", den: "" }, /Nhập đủ ngày bắt đầu và ngày kết thúc/],
        [{ loai: "ad_hoc", nam: "2026", tu: "2026-02-28", den: "2026-01-01" }, /phải sau ngày bắt đầu/],
        [{ loai: "ad_hoc", nam: "2026", tu: "2026-06-01", den: "2026-06-30" }, /Kỳ báo cáo chưa bắt đầu/],
        [{ loai: "quarter", nam: "2026", quy: "4" }, /Kỳ báo cáo chưa bắt đầu/],
      ] as const) {
        const res = await office.post("/quan-tri/bao-cao", { ...values });
        assert.equal(res.status, 400, `${JSON.stringify(values)} is refused`);
        assert.match(await res.text(), message, `${JSON.stringify(values)} says why`);
      }
      assert.deepEqual(await w.db.kysely.selectFrom("reports").select("id").execute(), before, "no report is written");
    });

    test("the lists refuse a bad filter in Vietnamese", async () => {
      for (const [href, message] of [
        ["/quan-tri/phan-anh?so-lieu=overdue", /cần cả ngày bắt đầu và ngày kết thúc/],
        ["/quan-tri/phan-anh?tu=2026-01-01&den=2026-02-01&so-lieu=late", /Số liệu lọc không có/],
        ["/quan-tri/hoi-dap?tu=2026-03-01&den=2026-01-01", /Ngày kết thúc phải sau ngày bắt đầu/],
        ["/quan-tri/thu-tuc/thay-doi?tu=2026-01-01&den=2026-02-01&loai=khac", /Loại thay đổi chỉ là/],
        ["/quan-tri/thu-tuc/lan-in?tu=2026-02-30&den=2026-03-01", /Ngày bắt đầu chưa đúng/],
        ["/quan-tri/khao-sat/phieu?tu=2026-01-01", /Ngày kết thúc chưa đúng/],
        ["/quan-tri/dao-tao?tu=2026-01-01&den=2026-02-01&danh-sach=luong", /Danh sách chỉ là/],
        [`/quan-tri/ke-hoach/${planId}?trang-thai=late`, /Tình trạng lọc không hợp lệ/],
        [`/quan-tri/ke-hoach/${planId}?ngay=2026-13-01`, /Ngày tính tình trạng chưa đúng/],
      ] as const) {
        const res = await office.get(href);
        assert.equal(res.status, 400, `${href} is refused`);
        assert.match(await res.text(), message, `${href} says why`);
      }
    });
  });
}
