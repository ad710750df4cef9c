/**
 * The working-day calendar as editable data, over HTTP on every database: administrators and coordinators list the
 * holidays by year, add and remove one (validated, audited before → after, CSRF), and set the feedback stages'
 * working days (forwarding never above the legal 5); the next deadline computed uses the new calendar.
 */
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import type { createApp } from "../src/app.tsx";
import { type Browser, createWorld, logIn, pw, type TestWorld, testDatabases } from "./helpers/env.ts";

const citizen = {
  content: "Đề nghị phường niêm yết lịch tiếp công dân tại tổ dân phố.",
  name: "Lê Văn An",
  address: "Tổ 3, phường Đức Phổ",
  phone: "0905 111 222",
  consent: "yes",
};

for (const target of testDatabases()) {
  describe(`holidays and stage deadlines (${target.name})`, () => {
    let w: TestWorld;
    let app: ReturnType<typeof createApp>;
    let coordinator: Browser;
    let ipSeq = 0;

    before(async () => {
      w = await createWorld(target);
      app = w.appWith();
      await w.createStaff("dieuphoi", "coordinator", "office", { operator: true });
      await w.createStaff("quantri", "admin");
      await w.createStaff("lanhdao", "leader");
      await w.createStaff("canbo", "officer", "radio");
      coordinator = await logIn(app, "dieuphoi", pw("dieuphoi"));
    });
    after(async () => w.cleanup());

    const audits = (action: string) =>
      w.db.kysely
        .selectFrom("audit_log")
        .select(["actor", "before_json", "after_json"])
        .where("action", "=", action)
        .orderBy("id")
        .execute();
    const holiday = (date: string) =>
      w.db.kysely.selectFrom("holidays").selectAll().where("date", "=", date).executeTakeFirst();

    /** A citizen's item, registered and classified by the coordinator today (Monday 02/03/2026); its due date. */
    async function classifiedDue(classification: "in_scope" | "forwarded") {
      const form = await (await app.request("/gop-y")).text();
      const token = /name="_form" value="([^"]+)"/.exec(form)?.[1] as string;
      const sent = await app.request("/gop-y", {
        method: "POST",
        body: new URLSearchParams({ _form: token, ...citizen }),
        headers: { "content-type": "application/x-www-form-urlencoded", "x-test-ip": `10.4.0.${++ipSeq}` },
      });
      const code = /PA-20\d\d-[0-9A-Z]{5,6}/.exec(await sent.text())?.[0] as string;
      const { id } = await w.db.kysely
        .selectFrom("feedback_items")
        .select("id")
        .where("code", "=", code)
        .executeTakeFirstOrThrow();
      const path = `/quan-tri/phan-anh/${id}`;
      assert.equal((await coordinator.post(`${path}/vao-so`, {})).status, 303);
      const extra: Record<string, string> =
        classification === "forwarded" ? { forwardedTo: "UBND tỉnh Quảng Ngãi" } : {};
      assert.equal((await coordinator.post(`${path}/phan-loai`, { classification, ...extra })).status, 303);
      const item = await w.db.kysely
        .selectFrom("feedback_items")
        .select("due_on")
        .where("id", "=", id)
        .executeTakeFirstOrThrow();
      return { due: item.due_on, page: await (await coordinator.get(path)).text() };
    }

    test("only administrators and coordinators reach the calendar", async () => {
      for (const name of ["canbo", "lanhdao"]) {
        const b = await logIn(app, name, pw(name));
        assert.equal((await b.get("/quan-tri/ngay-nghi")).status, 403, name);
        assert.equal(
          (await b.post("/quan-tri/ngay-nghi", { date: "03/03/2026", name: "Thử", kind: "holiday" })).status,
          403,
        );
      }
      assert.equal(await holiday("2026-03-03"), undefined);
      const admin = await logIn(app, "quantri", pw("quantri"));
      assert.equal((await admin.get("/quan-tri/ngay-nghi")).status, 200);
      assert.match(
        await (await coordinator.get("/quan-tri")).text(),
        /href="\/quan-tri\/ngay-nghi"/,
        "in the staff menu",
      );
      const anonymous = await app.request("/quan-tri/ngay-nghi");
      assert.equal(anonymous.status, 303);
    });

    test("the holidays of a year, dd/mm/yyyy with their weekday; other years one link away", async () => {
      const page = await (await coordinator.get("/quan-tri/ngay-nghi")).text();
      assert.match(page, /<h2 id="nn-bang"[^>]*>\s*Lịch năm 2026/);
      assert.match(
        page,
        /<th scope="row">17\/02\/2026<\/th><td>Thứ Ba<\/td><td>[^<]+<\/td><td>Tết Nguyên đán \(mùng 1\)<\/td>/,
      );
      assert.ok(!page.includes("29/01/2025"), "only the year shown");
      assert.match(page, /href="\/quan-tri\/ngay-nghi\?nam=2025"/);
      const y2025 = await (await coordinator.get("/quan-tri/ngay-nghi?nam=2025")).text();
      assert.match(y2025, /<th scope="row">26\/04\/2025<\/th><td>Thứ Bảy<\/td><td>Ngày làm bù/);
      assert.match(page, /id="tg-forward"[^>]*value="5"|value="5"[^>]*id="tg-forward"/);
    });

    test("bad days are refused in Vietnamese, what was typed is kept, nothing is stored", async () => {
      const count = async () =>
        Number(
          (
            await w.db.kysely
              .selectFrom("holidays")
              .select((e) => e.fn.countAll().as("n"))
              .executeTakeFirstOrThrow()
          ).n,
        );
      const before = await count();
      const bad = await coordinator.post("/quan-tri/ngay-nghi", {
        date: "31/02/2026",
        name: "Ngày lạ",
        kind: "holiday",
      });
      assert.equal(bad.status, 400);
      const b = await bad.text();
      assert.match(b, /href="#nn-date">Ngày không hợp lệ/);
      assert.match(b, /value="Ngày lạ"/);
      const weekday = await coordinator.post("/quan-tri/ngay-nghi", {
        date: "04/03/2026",
        name: "Làm bù",
        kind: "makeup_workday",
      });
      assert.equal(weekday.status, 400);
      assert.match(await weekday.text(), /Ngày làm bù phải là thứ Bảy hoặc Chủ nhật/);
      const taken = await coordinator.post("/quan-tri/ngay-nghi", {
        date: "17/02/2026",
        name: "Trùng",
        kind: "holiday",
      });
      assert.equal(taken.status, 409);
      assert.match(await taken.text(), /Ngày 17\/02\/2026 đã có trong lịch \(“Tết Nguyên đán \(mùng 1\)”\)/);
      const noKind = await coordinator.post("/quan-tri/ngay-nghi", { date: "05/03/2026", name: "Thiếu loại" });
      assert.equal(noKind.status, 400);
      assert.match(await noKind.text(), /href="#nn-kind">Chọn loại ngày/);
      const noCsrf = await app.request("/quan-tri/ngay-nghi", {
        method: "POST",
        body: new URLSearchParams({ date: "05/03/2026", name: "Không CSRF", kind: "holiday" }),
        headers: { cookie: coordinator.cookie, "content-type": "application/x-www-form-urlencoded" },
      });
      assert.equal(noCsrf.status, 403);
      assert.equal(await count(), before);
    });

    test("forwarding may be lowered, never raised above 5 working days; the stages are audited", async () => {
      const raised = await coordinator.post("/quan-tri/ngay-nghi/thoi-han", {
        classify: "2",
        answer: "10",
        forward: "6",
      });
      assert.equal(raised.status, 400);
      const r = await raised.text();
      assert.match(
        r,
        /href="#tg-forward">Chuyển cơ quan có thẩm quyền: theo Nghị định 20\/2008\/NĐ-CP Điều 9, không quá 5/,
      );
      assert.match(r, /id="tg-forward"[^>]*value="6"|value="6"[^>]*id="tg-forward"/, "what was typed is kept");
      const zero = await coordinator.post("/quan-tri/ngay-nghi/thoi-han", {
        classify: "0",
        answer: "mười",
        forward: "5",
      });
      assert.equal(zero.status, 400);
      const z = await zero.text();
      assert.match(z, /Phân loại: ít nhất 1 ngày làm việc/);
      assert.match(z, /Xử lý, trả lời: nhập một số nguyên ngày làm việc/);
      const stages = async () =>
        Object.fromEntries(
          (await w.db.kysely.selectFrom("feedback_stage_days").selectAll().execute()).map((s) => [
            s.stage,
            s.working_days,
          ]),
        );
      assert.deepEqual(await stages(), { classify: 2, forward: 5, answer: 10 });

      // dieuphoi is also the operator here: these are the national defaults (owner-levels.http.test.ts: a ward's own).
      const saved = await coordinator.post("/quan-tri/ngay-nghi/thoi-han", {
        "pham-vi": "ca-nuoc",
        classify: "1",
        answer: "3",
        forward: "2",
      });
      assert.equal(saved.status, 303);
      assert.deepEqual(await stages(), { classify: 1, forward: 2, answer: 3 });
      const [logged] = await audits("calendar.stages.update");
      assert.equal(logged?.actor, "dieuphoi");
      assert.deepEqual(JSON.parse(logged?.before_json ?? "{}"), { classify: 2, forward: 5, answer: 10 });
      assert.deepEqual(JSON.parse(logged?.after_json ?? "{}"), { classify: 1, answer: 3, forward: 2 });
    });

    test("a holiday added today moves the next due date; removing it moves the next one back", async () => {
      // Classified Monday 02/03/2026 with 3 working days to answer: 03, 04, 05/03 → Thursday 05/03/2026.
      assert.equal((await classifiedDue("in_scope")).due, "2026-03-05");
      const added = await coordinator.post("/quan-tri/ngay-nghi", {
        date: "04/03/2026",
        name: "Nghỉ thử nghiệm",
        kind: "holiday",
      });
      assert.equal(added.status, 303);
      assert.equal(added.headers.get("location"), "/quan-tri/ngay-nghi?nam=2026&da-luu=them");
      const h = await holiday("2026-03-04");
      assert.deepEqual([h?.kind, h?.name], ["holiday", "Nghỉ thử nghiệm"]);
      const [logAdd] = await audits("calendar.holiday.add");
      assert.deepEqual(JSON.parse(logAdd?.after_json ?? "{}"), {
        date: "2026-03-04",
        name: "Nghỉ thử nghiệm",
        kind: "holiday",
      });
      assert.match(await (await coordinator.get("/quan-tri/ngay-nghi?nam=2026")).text(), /Nghỉ thử nghiệm/);

      // Now 03, (04 off), 05, 06/03 → Friday 06/03/2026; forwarding in 2 working days: 03, (04), 05/03.
      const inScope = await classifiedDue("in_scope");
      assert.equal(inScope.due, "2026-03-06");
      assert.match(inScope.page, /06\/03\/2026/);
      assert.equal((await classifiedDue("forwarded")).due, "2026-03-05");

      const removed = await coordinator.post(`/quan-tri/ngay-nghi/${h?.id}/xoa`, {});
      assert.equal(removed.status, 303);
      assert.equal(await holiday("2026-03-04"), undefined);
      const [logRemove] = await audits("calendar.holiday.remove");
      assert.equal(JSON.parse(logRemove?.before_json ?? "{}").name, "Nghỉ thử nghiệm");
      assert.equal((await classifiedDue("in_scope")).due, "2026-03-05");
      const again = await coordinator.post(`/quan-tri/ngay-nghi/${h?.id}/xoa`, {});
      assert.equal(again.status, 404);
      assert.match(await again.text(), /Không tìm thấy ngày này trong lịch/);
    });

    test("a make-up Saturday is a working day for the next deadline", async () => {
      // Classified Monday 02/03/2026 with 5 working days: 03–06/03, then Monday 09/03; with Saturday 07/03 worked
      // (a make-up day), the fifth working day is that Saturday.
      assert.equal(
        (await coordinator.post("/quan-tri/ngay-nghi/thoi-han", { classify: "1", answer: "5", forward: "2" })).status,
        303,
      );
      assert.equal((await classifiedDue("in_scope")).due, "2026-03-09");
      const added = await coordinator.post("/quan-tri/ngay-nghi", {
        date: "07/03/2026",
        name: "Làm bù cho ngày nghỉ hoán đổi",
        kind: "makeup_workday",
      });
      assert.equal(added.status, 303);
      assert.equal((await classifiedDue("in_scope")).due, "2026-03-07");
    });
  });
}
