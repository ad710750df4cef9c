/**
 * The higher level's view of its wards over HTTP on every database (issue 9 §5): the roll-up of Quảng Ngãi (51)
 * counts each record once under its own ward, a predecessor's (Phường Phổ Minh, merged whole into Phường Đức Phổ)
 * under its successor, and the commune split between two wards (Xã Trà Bùi → Cà Đam, Tây Trà Bồng) in a row of its
 * own "trước sắp xếp"; a ward of another province (Đà Nẵng) never appears. Units come from ../shared/data.
 */
import assert from "node:assert/strict";
import path from "node:path";
import { after, before, describe, test } from "node:test";
import ExcelJS from "exceljs";
import { vnToday } from "../src/core/text/vi.ts";
import { forgetWards } from "../src/core/web/ward.ts";
import { planProgress } from "../src/features/plans/tracking.read.ts";
import { computeRollup, rollupJson } from "../src/features/rollup/rollup.service.ts";
import { readDvhcvn } from "../src/features/units/dvhcvn.ts";
import { createWorld, logIn, pw, SHARED_DIR, setUpOtherWard, type TestWorld, testDatabases } from "./helpers/env.ts";
import { importSeedPlan } from "./helpers/fixtures.ts";

const PERIOD = "from=2024-01-01&to=2024-12-31";

interface Item {
  ward: { code: string; name: string };
  planInForce: string | null;
  tasks: { done: number; total: number; overdue: number };
  activities: number;
  audience: number;
  spent: number;
  feedback: { received: number; answeredOnTime: number; overdue: number };
  satisfaction: number | null;
}

for (const target of testDatabases()) {
  describe(`the roll-up of a province's wards (${target.name})`, () => {
    let w: TestWorld;
    const ids: Record<string, number> = {};
    let planNumber = "";
    let liveTasks = 0;
    let recurring: Record<string, number | undefined> = {};

    /** The unit in force on a day with this code (old units: 2025-06-30). */
    const unitId = async (code: string, onDate: string) =>
      (
        await w.db.kysely
          .selectFrom("admin_units")
          .select("id")
          .where("code", "=", code)
          .where("level", "=", "commune")
          .where((eb) => eb.or([eb("valid_from", "is", null), eb("valid_from", "<=", onDate)]))
          .where((eb) => eb.or([eb("valid_to", "is", null), eb("valid_to", ">=", onDate)]))
          .executeTakeFirstOrThrow()
      ).id;

    before(async () => {
      w = await createWorld(target);
      // Another province from the real register: Đà Nẵng and one of its wards.
      const all = await readDvhcvn(path.join(SHARED_DIR, "data/dvhcvn-2025"));
      const daNang = all.units.find((u) => u.level === "province" && u.code === "48" && u.validTo == null);
      const haiVan = all.units.find((u) => u.code === "20194" && u.parentKey === daNang?.key);
      assert.ok(daNang && haiVan, "Đà Nẵng and Phường Hải Vân are in the register");
      const row = (u: typeof daNang, parentId: number | null) => ({
        code: u.code,
        name: u.name,
        short_name: u.shortName,
        type: u.type,
        level: u.level,
        parent_id: parentId,
        valid_from: u.validFrom,
        valid_to: u.validTo,
        name_key: u.shortName.toLowerCase(),
      });
      const dn = await w.db.kysely
        .insertInto("admin_units")
        .values(row(daNang, null))
        .returning("id")
        .executeTakeFirstOrThrow();
      await w.db.kysely.insertInto("admin_units").values(row(haiVan, dn.id)).execute();
      forgetWards(w.db);

      await importSeedPlan(w);
      const plan = await w.db.kysely.selectFrom("plans").select(["id", "number"]).executeTakeFirstOrThrow();
      planNumber = plan.number;
      // Every task done but seven: one due in June 2024 (overdue at the year's end), two with no date, and four
      // recurring ones — a monthly task idle since August and one worked on in November, a quarterly task idle since
      // May and one given a progress update in August (the rule of the plan pages decides; checked against it below).
      const tasks = await w.db.kysely
        .selectFrom("tasks")
        .select("id")
        .where("plan_id", "=", plan.id)
        .where("removed_at", "is", null)
        .orderBy("id")
        .execute();
      liveTasks = tasks.length;
      await w.db.kysely.updateTable("tasks").set({ status: "done" }).where("plan_id", "=", plan.id).execute();
      const [late, open1, open2, monthlyIdle, monthlyWorked, quarterlyIdle, quarterlyUpdated] = tasks.map((t) => t.id);
      const setTask = (
        id: number | undefined,
        set: { status: string; due_on: string | null; recurrence: string | null },
      ) =>
        w.db.kysely
          .updateTable("tasks")
          .set(set)
          .where("id", "=", id as number)
          .execute();
      await setTask(late, { status: "in_progress", due_on: "2024-06-30", recurrence: null });
      await setTask(open1, { status: "not_started", due_on: null, recurrence: null });
      await setTask(open2, { status: "not_started", due_on: null, recurrence: null });
      await setTask(monthlyIdle, { status: "in_progress", due_on: null, recurrence: "monthly" });
      await setTask(monthlyWorked, { status: "in_progress", due_on: null, recurrence: "monthly" });
      await setTask(quarterlyIdle, { status: "not_started", due_on: null, recurrence: "quarterly" });
      await setTask(quarterlyUpdated, { status: "in_progress", due_on: null, recurrence: "quarterly" });
      recurring = { monthlyIdle, monthlyWorked, quarterlyIdle, quarterlyUpdated, planId: plan.id };

      const today = vnToday(w.now());
      ids.ducPho = w.wardId;
      ids.phoMinh = await unitId("21463", "2025-06-30");
      ids.traBui = await unitId("21142", "2025-06-30");
      ids.caDam = await setUpOtherWard(w, "21136");
      ids.tayTraBong = await unitId("21157", today);
      ids.haiVan = await setUpOtherWard(w, "20194");
      const office = w.unitIds.get("office") as number;

      const activity = (wardId: number, occurredOn: string, channel: string, audience: number, cost: number) => ({
        ward_id: wardId,
        org_unit_id: office,
        plan_id: null,
        task_id: null,
        channel_kind: channel,
        pillar: "procedures",
        title: `Tuyên truyền ${occurredOn}`,
        occurred_on: occurredOn,
        audience,
        cost,
        source: "manual",
        created_at: w.now().toISOString(),
      });
      await w.db.kysely
        .insertInto("activities")
        .values([
          activity(ids.ducPho, "2024-02-20", "radio", 1500, 200000),
          activity(ids.ducPho, "2024-11-05", "conference", 80, 1000000),
          activity(ids.ducPho, "2025-01-10", "radio", 999, 999), // after the period
          activity(ids.phoMinh, "2024-05-02", "radio", 300, 50000), // a predecessor's: counts under Đức Phổ
          activity(ids.traBui, "2024-04-01", "community_meeting", 60, 0), // split: its own row
          activity(ids.caDam, "2024-07-01", "notice_board", 0, 0),
          activity(ids.haiVan, "2024-03-03", "radio", 5000, 7000000), // another province
          { ...activity(ids.ducPho, "2024-08-01", "web_portal", 0, 0), task_id: recurring.monthlyIdle },
          { ...activity(ids.ducPho, "2024-11-20", "web_portal", 0, 0), task_id: recurring.monthlyWorked },
          { ...activity(ids.ducPho, "2024-05-02", "web_portal", 0, 0), task_id: recurring.quarterlyIdle },
        ])
        .execute();
      const author = await w.createStaff("capnhat", "coordinator");
      await w.db.kysely
        .insertInto("task_updates")
        .values({
          task_id: recurring.quarterlyUpdated as number,
          user_id: author.id,
          at: "2024-08-10T03:00:00.000Z",
          status: "in_progress",
          note: "Đang thực hiện",
        })
        .execute();

      const feedback = (wardId: number, code: string, received: string, published: string | null, due: string) => ({
        ward_id: wardId,
        code,
        subject: "Thủ tục",
        content_type: "phan_anh",
        content: "Nội dung",
        status: published ? "published" : "processing",
        channel: "web",
        received_at: received,
        classification: "in_scope",
        due_on: due,
        published_at: published,
      });
      await w.db.kysely
        .insertInto("feedback_items")
        .values([
          feedback(ids.ducPho, "PA-1", "2024-03-01T02:00:00.000Z", "2024-03-15T02:00:00.000Z", "2024-03-20"),
          feedback(ids.phoMinh, "PA-2", "2024-04-10T02:00:00.000Z", null, "2024-05-01"),
          feedback(ids.haiVan, "PA-3", "2024-04-10T02:00:00.000Z", null, "2024-05-01"),
          // Answered at 23:59 on its due day in Vietnam (on time), and at 00:00 the next day (late).
          feedback(ids.caDam, "PA-4", "2024-06-01T02:00:00.000Z", "2024-06-10T16:59:00.000Z", "2024-06-10"),
          feedback(ids.caDam, "PA-5", "2024-06-01T02:00:00.000Z", "2024-06-10T17:00:00.000Z", "2024-06-10"),
          // Received at 00:30 on 1 January 2025 in Vietnam: after the period, though still 2024 in UTC.
          feedback(ids.caDam, "PA-6", "2024-12-31T17:30:00.000Z", null, "2025-01-20"),
        ])
        .execute();

      // A satisfaction survey of Đức Phổ: F1 answered 5, 4, 2 (66.7), F2 answered 5 (100) → 83.3.
      const survey = await w.db.kysely
        .insertInto("surveys")
        .values({
          ward_id: ids.ducPho,
          title: "Khảo sát 2024",
          field: null,
          open: 1,
          created_at: "2024-01-01T00:00:00Z",
          org_unit_id: null,
        })
        .returning("id")
        .executeTakeFirstOrThrow();
      const question = async (factor: string, position: number) =>
        (
          await w.db.kysely
            .insertInto("survey_questions")
            .values({
              survey_id: survey.id,
              factor,
              factor_title: factor,
              criterion: `${factor}.1`,
              text: "Tiêu chí",
              position,
            })
            .returning("id")
            .executeTakeFirstOrThrow()
        ).id;
      const q1 = await question("F1", 1);
      const q2 = await question("F2", 2);
      let token = 0;
      const respond = async (at: string, answers: [number, number][]) => {
        const r = await w.db.kysely
          .insertInto("survey_responses")
          .values({
            survey_id: survey.id,
            submitted_at: at,
            month: at.slice(0, 7),
            field: null,
            form_token: `t${token++}`,
            procedure_code: null,
          })
          .returning("id")
          .executeTakeFirstOrThrow();
        await w.db.kysely
          .insertInto("survey_answers")
          .values(answers.map(([question_id, score]) => ({ response_id: r.id, question_id, score })))
          .execute();
      };
      await respond("2024-05-01T03:00:00.000Z", [
        [q1, 5],
        [q2, 5],
      ]);
      await respond("2024-06-01T03:00:00.000Z", [[q1, 4]]);
      await respond("2024-07-01T03:00:00.000Z", [[q1, 2]]);
      await respond("2025-07-01T03:00:00.000Z", [
        [q1, 1],
        [q2, 1],
      ]); // after the period

      await w.db.kysely
        .insertInto("reports")
        .values({
          ward_id: ids.ducPho,
          kind: "quarter",
          quarter: 1,
          period_from: "2023-12-15",
          period_to: "2024-03-14",
          title: "Báo cáo quý I năm 2024",
          status: "issued",
          figures_json: "{}",
          computed_at: "2024-03-20T00:00:00.000Z",
          document_json: "{}",
          number: 7,
          symbol: "BC-UBND",
          issued_on: "2024-03-25",
          signer_name: "Nguyễn Văn A",
          approved_by: null,
          created_by: null,
          created_at: "2024-03-20T00:00:00.000Z",
          updated_at: "2024-03-25T00:00:00.000Z",
        })
        .execute();
    });
    after(async () => w.cleanup());

    const rollup = async (query: string, app = w.app, headers: Record<string, string> = {}) => {
      const res = await app.request(`/api/v1/rollup?${query}`, { headers });
      return { res, body: (await res.json()) as { unit: unknown; period: unknown; total: number; items: Item[] } };
    };
    const item = (items: Item[], name: string) => items.find((i) => i.ward.name === name) as Item;

    test("every ward of Quảng Ngãi has a row, the split commune one more, Đà Nẵng's none", async () => {
      const { res, body } = await rollup(`unit=51&${PERIOD}`);
      assert.equal(res.status, 200, "the roll-up is open to anonymous callers by default");
      assert.deepEqual(body.unit, { code: "51", name: "Tỉnh Quảng Ngãi" }, "the province");
      assert.deepEqual(body.period, { from: "2024-01-01", to: "2024-12-31" }, "the period");
      assert.equal(body.total, 97, "96 wards and Trà Bùi before the reform");
      assert.equal(body.items.length, body.total, "total counts the items");
      assert.ok(!body.items.some((i) => i.ward.code === "20194"), "Phường Hải Vân (Đà Nẵng) is not listed");
      assert.deepEqual(
        Object.keys(body.items[0] as object).sort(),
        ["activities", "audience", "feedback", "planInForce", "satisfaction", "spent", "tasks", "ward"],
        "exactly the contract's fields: figures only",
      );
    });

    test("Đức Phổ counts its own records and Phổ Minh's, once", async () => {
      const { body } = await rollup(`unit=51&${PERIOD}`);
      const ducPho = item(body.items, "Phường Đức Phổ");
      assert.equal(ducPho.ward.code, "21439", "the ward's code");
      assert.equal(ducPho.planInForce, planNumber, "the seed plan is in force at the year's end");
      assert.deepEqual(
        ducPho.tasks,
        { done: liveTasks - 7, total: liveTasks, overdue: 3 },
        "due in June, monthly idle since August, quarterly idle since May",
      );
      const pages = await planProgress(w.db.kysely, recurring.planId as number, "2024-12-31");
      assert.deepEqual(
        ducPho.tasks,
        { done: pages.totals.counts.done, total: pages.totals.tasks, overdue: pages.totals.counts.overdue },
        "the same counts as the plan's own progress page on that day",
      );
      assert.equal(ducPho.activities, 6, "five of its own in 2024 and Phổ Minh's");
      assert.equal(ducPho.audience, 1500 + 80 + 300, "people reached");
      assert.equal(ducPho.spent, 200000 + 1000000 + 50000, "đồng spent");
      assert.deepEqual(ducPho.feedback, { received: 2, answeredOnTime: 1, overdue: 1 }, "its item and Phổ Minh's");
      assert.equal(ducPho.satisfaction, 83.3, "(66.7 + 100) / 2 over the answers of 2024");
      const sum = body.items.reduce((n, i) => n + i.activities, 0);
      assert.equal(sum, 8, "Quảng Ngãi's eight activities of 2024 counted once each");
    });

    test("the split commune's records appear in its own row, in neither successor", async () => {
      const { body } = await rollup(`unit=51&${PERIOD}`);
      const traBui = item(body.items, "Xã Trà Bùi (trước sắp xếp)");
      assert.ok(traBui, "Trà Bùi has its own row, marked");
      assert.equal(traBui.ward.code, "21142", "under its old code");
      assert.equal(traBui.activities, 1, "its meeting");
      assert.equal(item(body.items, "Xã Cà Đam").activities, 1, "Cà Đam: only its own notice");
      assert.deepEqual(
        item(body.items, "Xã Cà Đam").feedback,
        { received: 2, answeredOnTime: 1, overdue: 0 },
        "days in Vietnam: answered by 23:59 of the due day is on time, at 00:00 the next day late",
      );
      assert.equal(item(body.items, "Xã Tây Trà Bồng").activities, 0, "Tây Trà Bồng: nothing");
      const empty = item(body.items, "Xã Tây Trà Bồng");
      assert.deepEqual(
        [empty.planInForce, empty.tasks, empty.satisfaction],
        [null, { done: 0, total: 0, overdue: 0 }, null],
        "a ward without a portal shows empty figures, not an error",
      );
    });

    test("computeRollup gives the API's figures, also inside a caller's transaction", async () => {
      const { body } = await rollup(`unit=51&${PERIOD}`);
      const query = { unitCode: "51", from: "2024-01-01", to: "2024-12-31" };
      const direct = await computeRollup(w.db.kysely, query, w.now());
      assert.deepEqual(direct && rollupJson(direct), body, "the function behind the API");
      const inTrx = await w.db.kysely.transaction().execute((trx) => computeRollup(trx, query, w.now()));
      assert.deepEqual(inTrx && rollupJson(inTrx), body, "the same inside a transaction");
    });

    test("Đà Nẵng's roll-up has its own ward only", async () => {
      const { res, body } = await rollup(`unit=48&${PERIOD}`);
      assert.equal(res.status, 200, "another province");
      assert.deepEqual(
        body.items.map((i) => [i.ward.name, i.activities, i.feedback.received]),
        [["Phường Hải Vân", 1, 1]],
        "only the unit loaded for it",
      );
    });

    test("bad, reversed and future periods and unknown units are refused in Vietnamese", async () => {
      const cases: [string, RegExp][] = [
        ["", /unit: mã tỉnh, thành phố gồm 2 chữ số/],
        ["unit=5", /unit: mã tỉnh, thành phố gồm 2 chữ số/],
        ["unit=99&from=2024-01-01", /Không có tỉnh, thành phố mã 99/],
        ["unit=51&from=2024-12-31&to=2024-01-01", /ngày kết thúc \(2024-01-01\) trước ngày bắt đầu/],
        ["unit=51&from=2099-01-01&to=2099-03-01", /Kỳ tổng hợp chưa bắt đầu/],
        ["unit=51&from=2024-02-30", /from: ngày theo dạng YYYY-MM-DD/],
        ["unit=51&to=31/12/2024", /to: ngày theo dạng YYYY-MM-DD/],
        ["unit=51&sort=ten", /Tham số không được hỗ trợ: sort/],
      ];
      for (const [query, message] of cases) {
        const res = await w.app.request(`/api/v1/rollup?${query}`);
        assert.equal(res.status, 400, `${query} is refused`);
        const body = (await res.json()) as { error: { message: string } };
        assert.match(body.error.message, message, `${query} says what is wrong`);
      }
    });

    const tbodyNames = (html: string) =>
      [
        ...(/<tbody>([\s\S]*?)<\/tbody>/.exec(html)?.[1] ?? "").matchAll(
          /<th scope="row"><a href="[^"]*">([^<]*)<\/a>/g,
        ),
      ].map((m) => m[1]);

    test("the province's table: every ward linking to its pages, the split commune marked, no other province", async () => {
      const res = await w.app.request("/tinh/51/?tu=2024-01-01&den=2024-12-31");
      assert.equal(res.status, 200, "the table is public by default");
      const html = await res.text();
      assert.match(html, /<h1>Các xã, phường của Tỉnh Quảng Ngãi<\/h1>/, "the province's name");
      assert.match(
        html,
        /từ ngày 01\/01\/2024 đến ngày 31\/12\/2024: 96 xã, phường và 1 đơn vị cũ/,
        "the period and rows",
      );
      assert.match(html, /<a href="\/w\/21439\/">Phường Đức Phổ<\/a>/, "a ward links to its pages");
      assert.match(
        html,
        /<a href="\/w\/21142@2025-06-30\/">Xã Trà Bùi \(trước sắp xếp\)<\/a><span class="hint">Nay thuộc: Xã Cà Đam, Xã Tây Trà Bồng<\/span>/,
        "the split commune links to its pages before the reform and names its successors",
      );
      assert.ok(!html.includes("Hải Vân"), "Đà Nẵng's ward is not in Quảng Ngãi's table");
      assert.ok(html.includes(planNumber), "the plan in force");
      assert.match(html, /Số 07\/BC-UBND<span class="hint">ngày 25\/03\/2024/, "the last report issued");
      assert.match(html, /Đài truyền thanh, phát thanh: 2/, "activities by channel");
      assert.equal(tbodyNames(html).length, 97, "one row per ward and split commune");
      assert.equal((await w.app.request("/tinh/51")).status, 301, "the address without its slash redirects");
    });

    test("the table sorts by each column through links, both ways, and refuses an unknown column", async () => {
      const down = await (await w.app.request("/tinh/51/?tu=2024-01-01&den=2024-12-31&sap-xep=-hoat-dong")).text();
      assert.deepEqual(
        tbodyNames(down).slice(0, 3),
        ["Phường Đức Phổ", "Xã Cà Đam", "Xã Trà Bùi (trước sắp xếp)"],
        "most activities first; ties by name",
      );
      assert.match(
        down,
        /aria-sort="descending"><a href="\/tinh\/51\/\?tu=2024-01-01&amp;den=2024-12-31&amp;sap-xep=hoat-dong"/,
        "the header links to the other direction",
      );
      const up = tbodyNames(
        await (await w.app.request("/tinh/51/?tu=2024-01-01&den=2024-12-31&sap-xep=hoat-dong")).text(),
      );
      assert.equal(up.at(-1), "Phường Đức Phổ", "ascending: most activities last");
      const bySatisfaction = tbodyNames(
        await (await w.app.request("/tinh/51/?tu=2024-01-01&den=2024-12-31&sap-xep=-hai-long")).text(),
      );
      assert.equal(bySatisfaction[0], "Phường Đức Phổ", "the only index first; wards without one after");
      const bad = await w.app.request("/tinh/51/?tu=2024-01-01&den=2024-12-31&sap-xep=mat-khau");
      assert.equal(bad.status, 400, "an unknown column is refused");
      assert.match(await bad.text(), /Cột sắp xếp không hợp lệ/, "in Vietnamese");
      const reversed = await w.app.request("/tinh/51/?tu=2024-12-31&den=2024-01-01");
      assert.equal(reversed.status, 400, "a reversed period is refused on the page too");
      assert.equal((await w.app.request("/tinh/99/")).status, 400, "an unknown province");
    });

    test("the table downloads as XLSX with numbers as numbers, in the order asked", async () => {
      const res = await w.app.request("/tinh/51/tong-hop.xlsx?tu=2024-01-01&den=2024-12-31&sap-xep=-kinh-phi");
      assert.equal(res.status, 200, "the workbook is served");
      assert.match(res.headers.get("content-disposition") ?? "", /tong-hop-51-2024-01-01-2024-12-31\.xlsx/, "named");
      const book = new ExcelJS.Workbook();
      await book.xlsx.load(await res.arrayBuffer());
      const sheet = book.worksheets[0];
      assert.ok(sheet, "one sheet");
      assert.match(
        String(sheet.getCell(1, 1).value),
        /Tổng hợp các xã, phường của Tỉnh Quảng Ngãi từ ngày 01\/01\/2024/,
        "title",
      );
      const header = (sheet.getRow(2).values as unknown[]).slice(1).map(String);
      const col = (name: string) => header.indexOf(name) + 1;
      assert.ok(col("Kinh phí đã chi (đồng)") > 0, "a spending column");
      assert.ok(col("Hoạt động: Đài truyền thanh, phát thanh") > 0, "a column per channel used");
      assert.equal(sheet.rowCount, 2 + 97, "title, header and one row per ward and split commune");
      const first = sheet.getRow(3);
      assert.equal(first.getCell(col("Xã, phường")).value, "Phường Đức Phổ", "sorted by spending, most first");
      assert.equal(first.getCell(col("Kinh phí đã chi (đồng)")).value, 1250000, "a number, not text");
      assert.equal(first.getCell(col("Hoạt động tuyên truyền")).value, 6, "activities");
      assert.equal(first.getCell(col("Hoạt động: Đài truyền thanh, phát thanh")).value, 2, "by channel");
      assert.equal(first.getCell(col("Chỉ số hài lòng")).value, 83.3, "the index");
      assert.equal(first.getCell(col("Báo cáo gần nhất")).value, "07/BC-UBND", "the last report");
      const names: string[] = [];
      sheet.eachRow((row, n) => {
        if (n > 2) names.push(String(row.getCell(col("Xã, phường")).value));
      });
      assert.ok(names.includes("Xã Trà Bùi (trước sắp xếp)"), "the split commune's row");
      assert.ok(!names.some((n) => n.includes("Hải Vân")), "no other province");
    });

    test("ROLLUP_PUBLIC=false: anonymous callers and other provinces' users are refused, an operator reads", async () => {
      const closed = w.appWith({ ROLLUP_PUBLIC: "false" });
      assert.equal((await rollup(`unit=51&${PERIOD}`, closed)).res.status, 401, "anonymous: log in first");
      await w.createStaff("canbo", "coordinator");
      await w.createStaff("vanhanh", "admin", undefined, { operator: true });
      const staff = await logIn(closed, "canbo", pw("canbo"));
      assert.equal(
        (await rollup(`unit=51&${PERIOD}`, closed, { cookie: staff.cookie })).res.status,
        403,
        "a ward's own staff is not a province user",
      );
      const operator = await logIn(closed, "vanhanh", pw("vanhanh"));
      const { res, body } = await rollup(`unit=51&${PERIOD}`, closed, { cookie: operator.cookie });
      assert.equal(res.status, 200, "an operator reads every province");
      assert.equal(body.total, 97, "the same rows");
      assert.equal((await closed.request("/tinh/51/")).status, 401, "the table is closed to anonymous visitors too");
      const page = await closed.request("/tinh/51/", { headers: { cookie: operator.cookie } });
      assert.equal(page.status, 200, "and open to the operator");
    });

    test("the whole country's table is for deployment operators only, even while roll-ups are public", async () => {
      assert.equal((await w.app.request("/tinh/toan-quoc/")).status, 401, "anonymous: refused");
      const staff = await logIn(w.app, "canbo", pw("canbo"));
      assert.equal((await staff.get("/tinh/toan-quoc/")).status, 403, "a ward's staff: refused");
      const operator = await logIn(w.app, "vanhanh", pw("vanhanh"));
      const res = await operator.get("/tinh/toan-quoc/?tu=2024-01-01&den=2024-12-31");
      assert.equal(res.status, 200, "an operator sees every ward loaded here");
      const names = tbodyNames(await res.text());
      assert.equal(names.length, 98, "Quảng Ngãi's 96 wards, Trà Bùi and Đà Nẵng's Hải Vân");
      assert.ok(names.includes("Phường Hải Vân") && names.includes("Phường Đức Phổ"), "both provinces");
    });
  });
}
