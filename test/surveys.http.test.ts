/**
 * Satisfaction surveys (SIPAS) over HTTP on every database: a coordinator creates a survey, citizens answer
 * anonymously (a double submit counts once), bad scores are refused in Vietnamese, and the results page and the
 * API show the index of the stated formula for a known set of answers.
 */
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { after, before, describe, test } from "node:test";
import type { createApp } from "../src/app.tsx";
import { SYSTEM_ACTOR } from "../src/core/audit.ts";
import { vnToday } from "../src/core/text/vi.ts";
import { importProcedures } from "../src/features/procedures/procedures.service.ts";
import { responseCount } from "../src/features/surveys/surveys.service.ts";
import { adminUnitInForce } from "../src/features/units/units.service.ts";
import { createWorld, logIn, pw, SHARED_DIR, setUpOtherWard, type TestWorld, testDatabases } from "./helpers/env.ts";

/** Three procedures of the real catalogue, in two fields: the fields a survey of every service offers. */
const PROCEDURES = ["1.000894", "1.001193", "1.000253"]; // kết hôn, khai sinh (Hộ tịch); tạm trú (Quản lý xuất nhập cảnh)
const catalogueRows = () =>
  fs
    .readFileSync(path.join(SHARED_DIR, "data/tthc-dichvucong-2026/cap-xa.jsonl"), "utf8")
    .split("\n")
    .filter(Boolean)
    .map((l) => JSON.parse(l) as Record<string, unknown>)
    .filter((r) => PROCEDURES.includes(String(r.ma_thu_tuc)))
    .map((raw, i) => ({ line: i + 1, raw }));

for (const target of testDatabases()) {
  describe(`surveys over HTTP (${target.name})`, () => {
    let w: TestWorld;
    let app: ReturnType<typeof createApp>;
    let surveyId = 0;
    let ids = new Map<string, number>();
    let ipSeq = 0;
    const freshIp = () => `10.1.0.${++ipSeq}`;

    before(async () => {
      w = await createWorld(target);
      await setUpOtherWard(w, "21451");
      app = w.appWith();
      await w.createStaff("dieuphoi", "coordinator");
      await w.createStaff("canbo", "officer", "radio");
      const imported = await importProcedures(w.db.kysely, SYSTEM_ACTOR, catalogueRows(), [], {
        dryRun: false,
        today: vnToday(w.now()),
        now: w.now(),
      });
      assert.equal(imported.problems.length, 0);
    });
    after(async () => w.cleanup());

    const count = async (table: "survey_responses" | "survey_answers") =>
      Number(
        (
          await w.db.kysely
            .selectFrom(table)
            .select((eb) => eb.fn.countAll().as("n"))
            .executeTakeFirstOrThrow()
        ).n,
      );
    const formToken = async () => {
      const page = await (await app.request(`/khao-sat/${surveyId}`)).text();
      const token = /name="_form" value="([^"]+)"/.exec(page)?.[1];
      assert.ok(token, "the form carries a one-time token");
      return token;
    };
    /** Form fields from criterion codes: { "F1.1": "5" } → { q12: "5" }. */
    const scores = (byCriterion: Record<string, string>) =>
      Object.fromEntries(Object.entries(byCriterion).map(([k, v]) => [`q${ids.get(k)}`, v]));
    const post = (form: Record<string, string>, ip = freshIp()) =>
      app.request(`/khao-sat/${surveyId}`, {
        method: "POST",
        body: new URLSearchParams(form),
        headers: { "content-type": "application/x-www-form-urlencoded", "x-test-ip": ip },
      });
    const answer = async (byCriterion: Record<string, string>) =>
      post({ _form: await formToken(), ...scores(byCriterion) });

    test("a coordinator creates a survey for a field, with the 22 default criteria; an officer may not", async () => {
      const officer = await logIn(app, "canbo", pw("canbo"));
      const refused = await officer.post("/quan-tri/khao-sat", { title: "Khảo sát hộ tịch", field: "Hộ tịch" });
      assert.equal(refused.status, 403);
      const staff = await logIn(app, "dieuphoi", pw("dieuphoi"));
      const bad = await staff.post("/quan-tri/khao-sat", { title: "Ks", field: "" });
      assert.equal(bad.status, 400);
      assert.match(await bad.text(), /Tên cuộc khảo sát cần ít nhất 5 ký tự/);
      const res = await staff.post("/quan-tri/khao-sat", { title: "Khảo sát lĩnh vực hộ tịch 2026", field: "Hộ tịch" });
      assert.equal(res.status, 303);
      const survey = await w.db.kysely.selectFrom("surveys").selectAll().executeTakeFirstOrThrow();
      assert.equal(survey.field, "Hộ tịch");
      assert.equal(survey.ward_id, w.wardId);
      surveyId = survey.id;
      const qs = await w.db.kysely
        .selectFrom("survey_questions")
        .selectAll()
        .where("survey_id", "=", surveyId)
        .execute();
      assert.equal(qs.length, 22);
      ids = new Map(qs.map((q) => [q.criterion, q.id]));
      const logged = await w.db.kysely
        .selectFrom("audit_log")
        .selectAll()
        .where("action", "=", "survey.create")
        .executeTakeFirstOrThrow();
      assert.equal(logged.entity_id, String(surveyId));
      const list = await (await staff.get("/quan-tri/khao-sat?da-luu=1")).text();
      assert.match(list, /Khảo sát lĩnh vực hộ tịch 2026/);
    });

    test("the form: a fieldset with a legend per criterion, five labelled radios, a hidden trap", async () => {
      const res = await app.request(`/khao-sat/${surveyId}`);
      assert.equal(res.status, 200);
      assert.equal(res.headers.get("cache-control"), "no-store");
      const page = await res.text();
      assert.equal((page.match(/<fieldset/g) ?? []).length, 22);
      assert.match(page, /<legend>Nơi ngồi chờ có đủ chỗ ngồi<\/legend>/);
      assert.match(page, /1 — Rất không hài lòng/);
      assert.match(page, /5 — Rất hài lòng/);
      assert.equal((page.match(/type="radio"/g) ?? []).length, 110);
      assert.match(page, /name="website" value="" tabindex="-1"/);
      assert.ok(!page.includes('name="field"'), "a survey of one field asks no field");
      assert.equal((await app.request(`/w/21439/khao-sat/${surveyId}`)).status, 200);
    });

    test("answers are stored; the same form posted twice counts once", async () => {
      const token = await formToken();
      const first = await post({ _form: token, ...scores({ "F1.1": "5", "F1.2": "3", "F2.1": "4" }) });
      assert.equal(first.status, 200);
      const thanks = await first.text();
      assert.match(thanks, /Cảm ơn bạn đã đánh giá/);
      assert.match(thanks, /<a href="\/khao-sat">Các cuộc khảo sát khác<\/a>/);
      assert.match(thanks, /<a href="\/gop-y">Gửi phản ánh, kiến nghị<\/a>/);
      const again = await post({ _form: token, ...scores({ "F1.1": "5", "F1.2": "3", "F2.1": "4" }) });
      assert.equal(again.status, 200);
      assert.equal(await count("survey_responses"), 1);
      assert.equal(await count("survey_answers"), 3);
      assert.equal((await answer({ "F1.1": "4", "F2.1": "4", "F3.1": "1" })).status, 200);
      assert.equal((await answer({ "F1.1": "2", "F4.1": "5" })).status, 200);
      assert.equal(await count("survey_responses"), 3);
      const row = await w.db.kysely.selectFrom("survey_responses").selectAll().executeTakeFirstOrThrow();
      assert.equal(row.month, "2026-03");
      assert.equal(row.field, "Hộ tịch");
    });

    test("a score of 7, a text, no answer at all, a forged token, the trap: refused or ignored, nothing stored", async () => {
      const before = await count("survey_answers");
      const seven = await answer({ "F1.1": "7" });
      assert.equal(seven.status, 400);
      const p7 = await seven.text();
      assert.match(p7, /Mức hài lòng phải là một số nguyên từ 1 đến 5/);
      assert.match(p7, new RegExp(`href="#ks-q${ids.get("F1.1")}"`), "the summary links to the criterion");
      const text = await answer({ "F1.1": "rất tốt", "F1.2": "4" });
      assert.equal(text.status, 400);
      assert.match(await text.text(), /Mức hài lòng phải là một số nguyên từ 1 đến 5/);
      const none = await answer({});
      assert.equal(none.status, 400);
      assert.match(await none.text(), /Hãy chọn mức hài lòng cho ít nhất một tiêu chí/);
      const forged = await post({ _form: `${(await formToken()).slice(0, -2)}xx`, ...scores({ "F1.1": "5" }) });
      assert.equal(forged.status, 400);
      assert.match(await forged.text(), /Phiếu đã hết hạn hoặc không hợp lệ/);
      const robot = await post({
        _form: await formToken(),
        website: "http://spam.example",
        ...scores({ "F1.1": "5" }),
      });
      assert.equal(robot.status, 200);
      assert.equal(await count("survey_answers"), before);
    });

    test("the results page and the API show the index of the stated formula", async () => {
      // April: two answers to F5.1, 5 and 1 → F5 = 50, April's overall 50.
      w.setNow(new Date("2026-04-10T03:00:00Z"));
      assert.equal((await answer({ "F5.1": "5" })).status, 200);
      assert.equal((await answer({ "F5.1": "1" })).status, 200);
      // March: F1.1 5,4,2 → 66.7; F1.2 3 → 0; F1 = 33.3. F2.1 4,4 → F2 = 100. F3.1 1 → F3 = 0. F4.1 5 → F4 = 100.
      // F5 unanswered in March: March = (33.33 + 100 + 0 + 100) / 4 = 58.3. All: (33.33 + 100 + 0 + 100 + 50) / 5 = 56.7.
      const api = await app.request(`/api/v1/surveys/${surveyId}/results`);
      assert.equal(api.status, 200);
      const body = (await api.json()) as {
        surveyId: number;
        overall: number | null;
        factors: {
          code: string;
          title: string;
          index: number | null;
          criteria: { code: string; index: number | null; answers: number }[];
        }[];
        byMonth: { month: string; overall: number | null }[];
      };
      assert.equal(body.surveyId, surveyId);
      assert.equal(body.overall, 56.7);
      assert.deepEqual(
        body.factors.map((f) => [f.code, f.index]),
        [
          ["F1", 33.3],
          ["F2", 100],
          ["F3", 0],
          ["F4", 100],
          ["F5", 50],
        ],
      );
      assert.equal(body.factors[0]?.title, "Tiếp cận dịch vụ");
      assert.deepEqual(body.factors[0]?.criteria[0], {
        code: "F1.1",
        text: "Nơi ngồi chờ có đủ chỗ ngồi",
        index: 66.7,
        answers: 3,
      });
      assert.deepEqual(body.factors[0]?.criteria[2], {
        code: "F1.3",
        text: "Trang thiết bị phục vụ người dân, tổ chức hiện đại",
        index: null,
        answers: 0,
      });
      assert.deepEqual(body.byMonth, [
        { month: "2026-03", overall: 58.3 },
        { month: "2026-04", overall: 50 },
      ]);

      const res = await app.request(`/khao-sat/${surveyId}/ket-qua`);
      assert.equal(res.status, 200);
      const page = await res.text();
      assert.match(page, /<strong id="ks-overall">56,7%<\/strong>/);
      assert.match(
        page,
        /<svg[^>]*role="img"[^>]*aria-label="Chỉ số hài lòng theo yếu tố\. 1\. Tiếp cận dịch vụ: 33,3%/,
      );
      assert.match(page, /<th scope="row">Tháng 03\/2026<\/th><td>58,3<\/td>/);
      assert.match(page, /<th scope="row">Tháng 04\/2026<\/th><td>50<\/td>/);
      assert.ok(!page.includes("<script"), "no script");
    });

    test("a survey of every service: the field of the procedure, or one chosen; the index per field", async () => {
      w.setNow(new Date("2026-04-11T03:00:00Z"));
      const staff = await logIn(app, "dieuphoi", pw("dieuphoi"));
      assert.equal((await staff.post("/quan-tri/khao-sat", { title: "Khảo sát mọi dịch vụ", field: "" })).status, 303);
      const all = await w.db.kysely
        .selectFrom("surveys")
        .selectAll()
        .where("title", "=", "Khảo sát mọi dịch vụ")
        .executeTakeFirstOrThrow();
      assert.equal(all.field, null);
      const q = new Map(
        (await w.db.kysely.selectFrom("survey_questions").selectAll().where("survey_id", "=", all.id).execute()).map(
          (r) => [r.criterion, r.id],
        ),
      );
      const formPath = `/khao-sat/${all.id}`;
      const form = await (await app.request(formPath)).text();
      assert.match(form, /<select id="ks-field" name="field"/);
      assert.match(form, /<option value="Hộ tịch">Hộ tịch<\/option>/);
      assert.match(form, /<option value="Quản lý xuất nhập cảnh">Quản lý xuất nhập cảnh<\/option>/);
      assert.equal((form.match(/<option value="Hộ tịch"/g) ?? []).length, 1, "each field once");
      const fromProcedure = await (await app.request(`${formPath}?thu-tuc=1.000894`)).text();
      assert.match(fromProcedure, /name="thu_tuc" value="1\.000894"/);
      assert.match(
        fromProcedure,
        /Thủ tục bạn đánh giá: <strong>Thủ tục đăng ký kết hôn<\/strong> \(lĩnh vực Hộ tịch\)/,
      );
      assert.ok(!fromProcedure.includes('name="field"'), "expected: !fromProcedure.includes('name=\"field\"')");

      const send = async (extra: Record<string, string>, byCriterion: Record<string, string>) => {
        const token = /name="_form" value="([^"]+)"/.exec(await (await app.request(formPath)).text())?.[1] as string;
        const body: Record<string, string> = { _form: token, ...extra };
        for (const [k, v] of Object.entries(byCriterion)) body[`q${q.get(k)}`] = v;
        return app.request(formPath, {
          method: "POST",
          body: new URLSearchParams(body),
          headers: { "content-type": "application/x-www-form-urlencoded", "x-test-ip": freshIp() },
        });
      };
      // The procedure decides the field, whatever the form says.
      assert.equal(
        (await send({ thu_tuc: "1.000894", field: "Quản lý xuất nhập cảnh" }, { "F1.1": "5", "F2.1": "2" })).status,
        200,
      );
      assert.equal((await send({ field: "Quản lý xuất nhập cảnh" }, { "F1.1": "4" })).status, 200);
      assert.equal((await send({}, { "F3.1": "1" })).status, 200);
      const bad = await send({ field: "Lĩnh vực bịa" }, { "F1.1": "5" });
      assert.equal(bad.status, 400);
      const badPage = await bad.text();
      assert.match(badPage, /href="#ks-field">Chọn một lĩnh vực trong danh sách, hoặc để trống\./);
      assert.match(badPage, new RegExp(`id="ks-q${q.get("F1.1")}-5"[^>]*checked`), "the choices are kept");
      const stored = await w.db.kysely
        .selectFrom("survey_responses")
        .select(["field", "procedure_code"])
        .where("survey_id", "=", all.id)
        .orderBy("id")
        .execute();
      assert.deepEqual(stored, [
        { field: "Hộ tịch", procedure_code: "1.000894" },
        { field: "Quản lý xuất nhập cảnh", procedure_code: null },
        { field: null, procedure_code: null },
      ]);

      // Hộ tịch: F1.1 5 → F1 100, F2.1 2 → F2 0: 50. Quản lý xuất nhập cảnh: F1.1 4 → 100. No field: F3.1 1 → 0.
      const api = (await (await app.request(`/api/v1/surveys/${all.id}/results`)).json()) as {
        overall: number;
        byMonth: unknown[];
        byField: {
          field: string | null;
          overall: number | null;
          answers: number;
          factors: { code: string; index: number | null }[];
        }[];
      };
      assert.deepEqual(
        api.byField.map((f) => [f.field, f.overall, f.answers]),
        [
          ["Hộ tịch", 50, 2],
          ["Quản lý xuất nhập cảnh", 100, 1],
          [null, 0, 1],
        ],
      );
      assert.deepEqual(api.byField[0]?.factors.slice(0, 3), [
        { code: "F1", index: 100 },
        { code: "F2", index: 0 },
        { code: "F3", index: null },
      ]);
      assert.ok(Array.isArray(api.byMonth) && typeof api.overall === "number", "the existing fields stay");
      const page = await (await app.request(`${formPath}/ket-qua`)).text();
      assert.match(
        page,
        /aria-label="Chỉ số hài lòng chung theo lĩnh vực\. Hộ tịch: 50%; Quản lý xuất nhập cảnh: 100%; Không nêu lĩnh vực: 0%\."/,
      );
      assert.match(
        page,
        /<th scope="row">Hộ tịch<\/th><td>2<\/td><td>100<\/td><td>0<\/td><td>—<\/td><td>—<\/td><td>—<\/td><td>50<\/td>/,
      );
      assert.ok(!page.includes("<script"), "no script");
    });

    test("/khao-sat lists the ward's surveys: open ones to answer, closed ones' results, answers counted", async () => {
      // Before anything is cached: another ward with no survey shows the empty state.
      const other = await adminUnitInForce(w.db.kysely, "21451", vnToday(w.now()));
      assert.ok(other, "ward 21451 is in the register");
      const empty = await app.request("/w/21451/khao-sat");
      assert.equal(empty.status, 200);
      assert.match(await empty.text(), /Phường chưa tổ chức cuộc khảo sát nào/);
      await w.db.kysely
        .insertInto("surveys")
        .values({
          ward_id: other.id,
          title: "Khảo sát của phường khác",
          field: null,
          open: 1,
          created_at: "2026-03-01",
        })
        .execute();

      const staff = await logIn(app, "dieuphoi", pw("dieuphoi"));
      const all = await w.db.kysely
        .selectFrom("surveys")
        .select("id")
        .where("title", "=", "Khảo sát mọi dịch vụ")
        .executeTakeFirstOrThrow();
      assert.equal((await staff.post(`/quan-tri/khao-sat/${all.id}/ket-thuc-dot`, { closeSurvey: "1" })).status, 303);
      const [openCount, closedCount] = [
        await responseCount(w.db.kysely, surveyId),
        await responseCount(w.db.kysely, all.id),
      ];
      assert.ok(openCount > 0 && closedCount > 0 && openCount !== closedCount, "the two surveys have answers");

      const res = await app.request("/khao-sat");
      assert.equal(res.status, 200);
      const page = await res.text();
      assert.ok(!page.includes("<script"), "no script");
      assert.match(page, /ẩn danh|không ghi tên/i);
      assert.match(page, /từ 1 \(Rất không hài lòng\) đến 5 \(Rất hài lòng\)/);
      assert.match(page, /SIPAS/);
      const main = page.slice(page.indexOf("<main"));
      const openAt = main.indexOf("Khảo sát lĩnh vực hộ tịch 2026");
      const closedAt = main.indexOf("Khảo sát mọi dịch vụ");
      assert.ok(openAt > 0 && closedAt > openAt, "the open survey first, then the closed one");
      const [openPart, closedPart] = [main.slice(openAt, closedAt), main.slice(closedAt)];
      assert.match(openPart, /Đang nhận ý kiến/);
      assert.match(openPart, /Lĩnh vực: Hộ tịch/);
      assert.match(openPart, new RegExp(`Số phiếu đã nhận: ${openCount}<`));
      assert.match(openPart, new RegExp(`<a href="/khao-sat/${surveyId}"[^>]*>Tham gia đánh giá</a>`));
      assert.match(openPart, new RegExp(`<a href="/khao-sat/${surveyId}/ket-qua"[^>]*>Xem kết quả</a>`));
      assert.match(closedPart, /Đã kết thúc/);
      assert.match(closedPart, /Lĩnh vực: Tất cả dịch vụ hành chính công/);
      assert.match(closedPart, new RegExp(`Số phiếu đã nhận: ${closedCount}<`));
      assert.match(closedPart, new RegExp(`<a href="/khao-sat/${all.id}/ket-qua"[^>]*>Xem kết quả</a>`));
      assert.ok(!closedPart.includes(`href="/khao-sat/${all.id}"`), "no invitation to answer a closed survey");
      assert.ok(!page.includes("Khảo sát của phường khác"), "another ward's survey is not listed");

      // Under the ward's code (the deployment's own ward keeps its short links), and another ward under its own.
      const viaCode = await app.request("/w/21439/khao-sat");
      assert.equal(viaCode.status, 200);
      const viaCodePage = await viaCode.text();
      assert.match(viaCodePage, new RegExp(`<a href="/khao-sat/${surveyId}"[^>]*>Tham gia đánh giá</a>`));
      assert.match(viaCodePage, new RegExp(`<a href="/khao-sat/${all.id}/ket-qua"[^>]*>Xem kết quả</a>`));
      assert.ok(
        !viaCodePage.includes("Khảo sát của phường khác"),
        'expected: !viaCodePage.includes("Khảo sát của phường khác")',
      );
      const otherWard = await (await app.request("/w/21451/khao-sat")).text();
      assert.match(otherWard, /Khảo sát của phường khác/);
      assert.match(otherWard, /<a href="\/w\/21451\/khao-sat\/\d+"[^>]*>Tham gia đánh giá<\/a>/);
      assert.ok(!otherWard.includes("Khảo sát lĩnh vực hộ tịch 2026"), "this ward's surveys are not the other's");

      // Cached for anonymous visitors, until the next answer changes the count.
      const again = await app.request("/khao-sat");
      assert.equal(again.headers.get("x-cache"), "hit");
      assert.equal(await again.text(), page);
      assert.notEqual((await staff.get("/khao-sat")).headers.get("x-cache"), "hit", "staff are never served the cache");
      assert.equal((await answer({ "F1.1": "5" })).status, 200);
      const after = await app.request("/khao-sat");
      assert.notEqual(after.headers.get("x-cache"), "hit");
      assert.match(await after.text(), new RegExp(`Số phiếu đã nhận: ${openCount + 1}<`));
    });

    test("every public page links to feedback, questions and surveys; the home page invites an opinion", async () => {
      const nav = (html: string) => /<nav aria-label="Chính">(.*?)<\/nav>/s.exec(html)?.[1] ?? "";
      for (const [path, base] of [
        ["/khao-sat", ""],
        ["/thu-tuc", ""],
        ["/w/21451/hoi-dap", "/w/21451"],
      ] as const) {
        const links = nav(await (await app.request(path)).text());
        for (const [href, label] of [
          ["/", "Trang chủ"],
          ["/gop-y", "Góp ý, kiến nghị"],
          ["/hoi-dap", "Hỏi đáp"],
          ["/khao-sat", "Khảo sát"],
        ])
          assert.match(links, new RegExp(`<a href="${base}${href}">${label}</a>`), `${path}: ${label}`);
      }
      const staff = await logIn(app, "dieuphoi", pw("dieuphoi"));
      assert.ok(!nav(await (await staff.get("/quan-tri")).text()).includes('href="/gop-y"'), "not the staff nav");
      const home = await (await app.request("/")).text();
      const section = /<section[^>]*aria-labelledby="y-kien">(.*?)<\/section>/s.exec(home)?.[1] ?? "";
      assert.match(section, /Ý kiến của bạn/);
      for (const href of ["/gop-y", "/hoi-dap", "/khao-sat"]) assert.match(section, new RegExp(`href="${href}"`));
    });

    test("an unknown survey: 404 on the page and in the API", async () => {
      assert.equal((await app.request("/khao-sat/999999")).status, 404);
      const api = await app.request("/api/v1/surveys/999999/results");
      assert.equal(api.status, 404);
      assert.ok(
        ((await api.json()) as { error: { message: string } }).error.message,
        "expected: ((await api.json()) as { error: { message: string } }).error.message",
      );
    });
  });
}
