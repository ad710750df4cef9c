/**
 * The figures a report added in issue 9 §1, over HTTP on every database, from records stored the way the features
 * store them: procedures put in force and abolished by decisions and the notice-board prints of the period; the
 * satisfaction index of the survey rounds closed in it (the same number as the survey's own results, by factor);
 * feedback by channel. Each figure links to the staff list of the records it counts, and following a link finds
 * exactly that many. A report for one plan counts only that plan's activities.
 */
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { after, before, describe, test } from "node:test";
import { SYSTEM_ACTOR } from "../src/core/audit.ts";
import { vnToday } from "../src/core/text/vi.ts";
import { feedbackInput } from "../src/features/feedback/feedback.schemas.ts";
import { submitFeedback } from "../src/features/feedback/feedback.service.ts";
import { applyDecision, markBoardPrinted } from "../src/features/procedures/procedures.lifecycle.ts";
import { importProcedures } from "../src/features/procedures/procedures.service.ts";
import { surveyResults } from "../src/features/surveys/surveys.results.ts";
import { closeRound } from "../src/features/surveys/surveys.rounds.ts";
import { createSurvey, findSurvey, submitResponse, surveyQuestions } from "../src/features/surveys/surveys.service.ts";
import { type Browser, createWorld, logIn, pw, SHARED_DIR, type TestWorld, testDatabases } from "./helpers/env.ts";
import { importSeedPlan } from "./helpers/fixtures.ts";

/** Q1 2026 by the statutory cut-off: 15/12/2025 → 14/03/2026 (the world's today is 02/03/2026). */
const Q1_2026 = "loai=quarter&nam=2026&quy=1";
const RECORDS = fs
  .readFileSync(path.join(SHARED_DIR, "data/tthc-dichvucong-2026/cap-xa.jsonl"), "utf8")
  .split("\n")
  .filter(Boolean)
  .map((l) => JSON.parse(l) as Record<string, string>);
const ABOLISHED = "1.000419"; // Đăng ký khai tử lưu động
const BASE_CODES = [ABOLISHED, "1.000894", "1.001193"];
const NEW_CODE = "1.999101";

for (const target of testDatabases()) {
  describe(`a report's procedure, satisfaction and feedback figures, each linked to its records (${target.name})`, () => {
    let w: TestWorld;
    let office: Browser;
    let planId = 0;

    before(async () => {
      w = await createWorld(target);
      await importSeedPlan(w);
      planId = (await w.db.kysely.selectFrom("plans").select("id").executeTakeFirstOrThrow()).id;
      await w.createStaff("vanphong", "coordinator", "office");
      office = await logIn(w.app, "vanphong", pw("vanphong"));
      const wardId = w.wardId;
      const today = vnToday(w.now());

      // Procedures: a baseline catalogue, then two decisions taking effect in the quarter and one after it.
      const base = await importProcedures(
        w.db.kysely,
        SYSTEM_ACTOR,
        RECORDS.filter((r) => BASE_CODES.includes(r.ma_thu_tuc as string)).map((raw, i) => ({ line: i + 1, raw })),
        [],
        { dryRun: false, today, now: w.now() },
      );
      assert.equal(base.problems.length, 0, "the baseline imports");
      const decision = (number: string, effectiveFrom: string) => ({
        number,
        decidedOn: effectiveFrom,
        effectiveFrom,
        issuer: "Bộ Tư pháp",
      });
      const fresh = { ...(RECORDS.find((r) => r.ma_thu_tuc === "1.000894") as Record<string, string>) };
      fresh.ma_thu_tuc = NEW_CODE;
      fresh.ten_thu_tuc = "Thủ tục đăng ký kết hôn (mới công bố)";
      const { normalizeRecord } = await import("../src/features/procedures/normalize-record.ts");
      const normalized = normalizeRecord(fresh, 1);
      assert.ok(normalized.ok, "the new procedure's record reads");
      for (const [fields, changes] of [
        [decision("10/QĐ-BTP", "2026-01-10"), [{ type: "abolished" as const, code: ABOLISHED }]],
        [decision("11/QĐ-BTP", "2026-02-01"), [{ type: "new" as const, record: normalized.record }]],
      ] as const) {
        const r = await applyDecision(w.db.kysely, SYSTEM_ACTOR, fields, [...changes], w.now());
        assert.ok(r.ok, `decision ${fields.number} applies: ${JSON.stringify(r)}`);
      }
      await markBoardPrinted(w.db.kysely, SYSTEM_ACTOR, wardId, new Date("2026-01-12T02:00:00Z"));
      await markBoardPrinted(w.db.kysely, SYSTEM_ACTOR, wardId, new Date("2026-02-03T02:00:00Z"));
      await markBoardPrinted(w.db.kysely, SYSTEM_ACTOR, wardId, new Date("2025-12-10T02:00:00Z")); // before the quarter

      // A survey: two responses, a round closed in the quarter (it also becomes a planless "khảo sát" activity).
      const units = await w.db.kysely
        .selectFrom("org_units")
        .select(["id", "code"])
        .where("ward_id", "=", wardId)
        .execute();
      const created = await createSurvey(
        w.db.kysely,
        SYSTEM_ACTOR,
        wardId,
        { title: "Khảo sát sự hài lòng về hộ tịch", field: undefined, orgUnitId: null },
        units,
        new Date("2026-01-02T02:00:00Z"),
      );
      assert.ok(created.ok, "the survey is created");
      const survey = await findSurvey(w.db.kysely, created.value, [wardId]);
      assert.ok(survey, "and found");
      const questions = await surveyQuestions(w.db.kysely, survey.id);
      const byFactor = (scores: Record<string, number>) =>
        new Map(questions.filter((q) => q.factor in scores).map((q) => [q.id, scores[q.factor] as number]));
      await submitResponse(w.db.kysely, survey, byFactor({ F1: 5, F2: 4 }), "tok-a", new Date("2026-01-05T02:00:00Z"));
      await submitResponse(w.db.kysely, survey, byFactor({ F1: 3, F2: 5 }), "tok-b", new Date("2026-01-06T02:00:00Z"));
      const closed = await closeRound(
        w.db.kysely,
        SYSTEM_ACTOR,
        {
          id: (
            await w.db.kysely
              .selectFrom("users")
              .select("id")
              .where("username", "=", "vanphong")
              .executeTakeFirstOrThrow()
          ).id,
          ward_id: wardId,
        },
        survey.id,
        { closeSurvey: false },
        new Date("2026-01-20T02:00:00Z"),
      );
      assert.ok(closed.ok, `the round closes: ${JSON.stringify(closed)}`);

      // Feedback: two by phone, one through the web, one before the quarter.
      for (const [channel, at] of [
        ["phone", "2026-01-08T02:00:00Z"],
        ["phone", "2026-02-10T02:00:00Z"],
        ["web", "2026-02-11T02:00:00Z"],
        ["web", "2025-12-01T02:00:00Z"],
      ] as const) {
        await submitFeedback(
          w.db.kysely,
          {
            ...feedbackInput.parse({
              content: "Đề nghị hướng dẫn rõ hồ sơ đăng ký khai sinh cho trẻ sinh ra ở nước ngoài.",
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
          new Date(at),
        );
      }
    });
    after(async () => w.cleanup());

    test("procedures, prints, the satisfaction index and feedback are counted, said in sentences and tabled", async () => {
      const res = await office.get(`/quan-tri/bao-cao/du-thao?${Q1_2026}`);
      assert.equal(res.status, 200, "the draft is computed");
      const html = await res.text();
      assert.match(
        html,
        /Trong kỳ có 1 thủ tục hành chính mới ban hành có hiệu lực, 0 thủ tục được sửa đổi, bổ sung hoặc thay thế và 1 thủ tục bị bãi bỏ; đã in, niêm yết lại bảng thủ tục hành chính tại Bộ phận Một cửa 2 lần\./,
        "the procedures' sentence: one new, one abolished, two prints in the quarter (not the one before)",
      );
      // F1: scores 5 and 3 → each criterion 50%; F2: 4 and 5 → 100%; the others unanswered: overall 75%.
      assert.match(
        html,
        /đã tổng hợp 1 đợt khảo sát với 2 phiếu; chỉ số hài lòng chung đạt 75%/,
        "the satisfaction sentence, by the index's own formula",
      );
      assert.match(html, /Bảng 6\. Chỉ số hài lòng theo yếu tố/, "the factor table");
      const survey = await w.db.kysely.selectFrom("surveys").selectAll().executeTakeFirstOrThrow();
      const own = await surveyResults(w.db.kysely, survey);
      assert.equal(own.index.overall, 75, "the survey's own results page says the same");
      assert.match(html, /Trong kỳ đã tiếp nhận 3 phản ánh, kiến nghị/, "three received in the quarter");
      assert.match(html, /<th scope="row">- Điện thoại<\/th><td class="num">2<\/td>/, "two by phone, in the table");
    });

    test("each figure links to exactly the records it counts", async () => {
      const html = await (await office.get(`/quan-tri/bao-cao/du-thao?${Q1_2026}`)).text();
      const link = (label: string) => {
        const m = new RegExp(`<a href="([^"]+)">${label}</a>: ([0-9.]+)`).exec(html);
        assert.ok(m, `the figure “${label}” has a link`);
        return { href: (m[1] as string).replace(/&amp;/g, "&"), value: Number((m[2] as string).replace(/\./g, "")) };
      };
      const count = async (href: string) => {
        const page = await office.get(href);
        assert.equal(page.status, 200, `${href} opens`);
        const m = /data-count="(\d+)"/.exec(await page.text());
        assert.ok(m, `${href} states its count`);
        return Number(m[1]);
      };
      for (const label of [
        "Tất cả hoạt động trong kỳ",
        "Khảo sát, đo lường sự hài lòng",
        "Tiếp nhận trong kỳ",
        "Điện thoại",
        "Trang web",
        "Thủ tục mới có hiệu lực",
        "Thủ tục sửa đổi, bổ sung, thay thế",
        "Thủ tục bãi bỏ",
        "Lần in, niêm yết bảng thủ tục",
        "Tất cả phiếu",
      ]) {
        const l = link(label);
        assert.equal(await count(l.href), l.value, `“${label}”: the list holds exactly the ${l.value} counted`);
      }
      // The tasks of a unit: the plan page filtered to the tasks that unit leads.
      const scoped = await (await office.get(`/quan-tri/bao-cao/du-thao?${Q1_2026}&kehoach=${planId}`)).text();
      const radio = /<a href="([^"]+don-vi=[^"]+)">Đài truyền thanh<\/a>: ([0-9]+)/.exec(scoped);
      assert.ok(radio, "the radio unit's tasks are linked");
      const tasks = Number(radio[2]);
      assert.ok(tasks > 0, "the seed plan gives the radio tasks to lead");
      assert.equal(
        await count((radio[1] as string).replace(/&amp;/g, "&")),
        tasks,
        "its task list holds exactly those",
      );
      assert.equal((await office.get(`/quan-tri/ke-hoach/${planId}?don-vi=abc`)).status, 400, "a bad unit filter");
      assert.equal(link("Điện thoại").value, 2, "two by phone");
      assert.equal(link("Thủ tục mới có hiệu lực").value, 1, "one procedure newly in force");
      assert.equal(link("Thủ tục bãi bỏ").value, 1, "one abolished");
      assert.equal(link("Lần in, niêm yết bảng thủ tục").value, 2, "two prints in the quarter");
      assert.equal(link("Tất cả phiếu").value, 2, "the round's two responses");
      const abolished = await (await office.get(link("Thủ tục bãi bỏ").href)).text();
      assert.match(
        abolished,
        new RegExp(`data-code="${ABOLISHED.replace(".", "\\.")}"`),
        "the abolished procedure is listed",
      );
      assert.equal(link("Khảo sát, đo lường sự hài lòng").value, 1, "the survey round is one activity");
      const ledger = await (await office.get(link("Khảo sát, đo lường sự hài lòng").href)).text();
      assert.match(ledger, /Khảo sát sự hài lòng: Khảo sát sự hài lòng về hộ tịch, 2 phiếu/, "the round's own row");

      for (const bad of [
        "?tu=2026-01-01",
        "?tu=2026-02-30&den=2026-03-01",
        "?tu=2026-01-01&den=2026-03-01&hinh-thuc=tv-show",
      ])
        assert.equal((await office.get(`/quan-tri/hoat-dong${bad}`)).status, 400, `${bad} is refused`);
      assert.equal((await office.get("/quan-tri/phan-anh?kenh=fax")).status, 400, "an unknown channel is refused");
    });

    test("a report for one plan counts only that plan's activities", async () => {
      const ward = await (await office.get(`/quan-tri/bao-cao/du-thao?${Q1_2026}`)).text();
      assert.match(ward, /đã thực hiện 1 hoạt động tuyên truyền/, "the ward's report counts the survey round");
      const scoped = await office.get(`/quan-tri/bao-cao/du-thao?${Q1_2026}&kehoach=${planId}`);
      assert.equal(scoped.status, 200, "a plan's report is computed");
      const html = await scoped.text();
      assert.match(html, /chưa ghi nhận hoạt động tuyên truyền nào/, "the planless round is not the plan's");
      assert.match(html, /Báo cáo này tổng hợp riêng kết quả thực hiện kế hoạch/, "and it says so");
      assert.match(html, /Kế hoạch số 18\/KH-UBND/, "naming the plan");
      const saved = await office.post("/quan-tri/bao-cao", {
        loai: "quarter",
        nam: "2026",
        quy: "1",
        kehoach: String(planId),
      });
      assert.equal(saved.status, 303, "the plan's report is saved");
      const id = Number((saved.headers.get("location") ?? "").replace(/\?.*$/, "").split("/").pop());
      const row = await w.db.kysely
        .selectFrom("reports")
        .select("plan_id")
        .where("id", "=", id)
        .executeTakeFirstOrThrow();
      assert.equal(row.plan_id, planId, "with its plan");
      assert.equal(
        (await office.post("/quan-tri/bao-cao", { loai: "quarter", nam: "2026", quy: "1", kehoach: "999999" })).status,
        400,
        "another ward's or an unknown plan is refused",
      );
    });
  });
}
