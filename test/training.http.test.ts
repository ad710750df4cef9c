/**
 * The training and commendations lists over HTTP on every database (issue 9 §3): the office adds, corrects and
 * removes records (validated, audited, nothing partial), other roles read or are refused, another ward never sees or
 * touches them, both lists download as XLSX, and a report counts them for its period without naming anyone.
 */
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import ExcelJS from "exceljs";
import { SYSTEM_ACTOR } from "../src/core/audit.ts";
import { createUser } from "../src/features/accounts/accounts.service.ts";
import { type Browser, createWorld, logIn, pw, setUpOtherWard, type TestWorld, testDatabases } from "./helpers/env.ts";
import { importSeedPlan, rowCount } from "./helpers/fixtures.ts";

const Q1_2024 = "/quan-tri/bao-cao/du-thao?loai=quarter&nam=2024&quy=1";

for (const target of testDatabases()) {
  describe(`training and commendations lists (${target.name})`, () => {
    let w: TestWorld;
    let coordinator: Browser;
    let leader: Browser;
    let officer: Browser;
    let otherCoordinator: Browser;
    const unit = (code: string) => String(w.unitIds.get(code));
    const training = (
      personName: string,
      course: string,
      startsOn: string,
      endsOn: string,
      attendance = "attended",
    ) => ({
      personName,
      position: "Công chức Văn phòng – Thống kê",
      orgUnitId: unit("office"),
      course,
      organiser: "Sở Nội vụ tỉnh Quảng Ngãi",
      startsOn,
      endsOn,
      attendance,
    });
    const ids = async (table: "training_records" | "commendations") =>
      (await w.db.kysely.selectFrom(table).select("id").orderBy("id").execute()).map((r) => r.id);

    before(async () => {
      w = await createWorld(target);
      await importSeedPlan(w);
      await w.createStaff("dieuphoi", "coordinator", "office");
      await w.createStaff("lanhdao", "leader");
      await w.createStaff("daitt", "officer", "radio");
      coordinator = await logIn(w.app, "dieuphoi", pw("dieuphoi"));
      leader = await logIn(w.app, "lanhdao", pw("lanhdao"));
      officer = await logIn(w.app, "daitt", pw("daitt"));
      const otherWard = await setUpOtherWard(w, "21451");
      const made = await createUser(
        w.db.kysely,
        SYSTEM_ACTOR,
        {
          username: "dieuphoi_b",
          displayName: "Cán bộ dieuphoi_b",
          password: pw("dieuphoi_b"),
          role: "coordinator",
          wardId: otherWard,
          orgUnitId: null,
        },
        w.now(),
      );
      assert.ok(made.ok, "the other ward's coordinator");
      otherCoordinator = await logIn(w.app, "dieuphoi_b", pw("dieuphoi_b"));
    });
    after(async () => w.cleanup());

    test("the office adds trainees and commendations, each audited", async () => {
      const course = "Bồi dưỡng kỹ năng tuyên truyền cải cách hành chính năm 2024";
      for (const form of [
        training("Nguyễn Thị Hoa", course, "04/03/2024", "05/03/2024"),
        training("Trần Văn Minh", course, "2024-03-04", "2024-03-05", "partial"),
        training("Nguyễn Thị Hoa", "Chuyển đổi số trong cơ quan hành chính", "2024-04-15", "2024-04-20"),
      ]) {
        const res = await coordinator.post("/quan-tri/dao-tao/boi-duong", form);
        assert.equal(res.status, 303, `${form.personName} added`);
      }
      const person = await coordinator.post("/quan-tri/dao-tao/khen-thuong", {
        recipientKind: "person",
        personName: "Trần Văn Minh",
        position: "Phát thanh viên",
        orgUnitId: unit("radio"),
        form: "Giấy khen của Chủ tịch UBND phường",
        decision: "Quyết định số 12/QĐ-UBND",
        decidedOn: "01/02/2024",
        reason: "Hoàn thành xuất sắc chuyên mục cải cách hành chính",
      });
      assert.equal(person.status, 303, "a person commended");
      const team = await coordinator.post("/quan-tri/dao-tao/khen-thuong", {
        recipientKind: "unit",
        orgUnitId: unit("justice"),
        form: "Tập thể lao động tiên tiến",
        decision: "Quyết định số 80/QĐ-UBND",
        decidedOn: "2024-06-01",
      });
      assert.equal(team.status, 303, "a unit commended");
      const html = await (await coordinator.get("/quan-tri/dao-tao")).text();
      assert.match(html, /Nguyễn Thị Hoa/, "the trainee listed");
      assert.match(html, /04\/03\/2024 – 05\/03\/2024/, "the dates dd/mm/yyyy");
      assert.match(html, /Tham dự một phần/, "the attendance");
      assert.match(html, /Tập thể Tư pháp – Hộ tịch/, "the commended unit");
      const audits = await w.db.kysely
        .selectFrom("audit_log")
        .select("action")
        .where("action", "in", ["training.create", "commendation.create"])
        .execute();
      assert.equal(audits.length, 5, "one audit record per record added");
    });

    test("bad input gets Vietnamese messages and writes nothing", async () => {
      const before = [await rowCount(w, "training_records"), await rowCount(w, "commendations")];
      const bad = await coordinator.post("/quan-tri/dao-tao/boi-duong", {
        ...training("", "Lớp A", "10/05/2024", "09/05/2024"),
        attendance: "maybe",
      });
      assert.equal(bad.status, 400, "refused");
      const html = await bad.text();
      assert.match(html, /Hãy ghi họ và tên người được cử đi bồi dưỡng/, "the name is required");
      assert.match(html, /Hãy chọn tình hình tham dự/, "the attendance");
      assert.match(html, /value="10\/05\/2024"/, "what was typed is kept");
      const reversed = await coordinator.post(
        "/quan-tri/dao-tao/boi-duong",
        training("Lê Văn Tâm", "Lớp A", "10/05/2024", "09/05/2024"),
      );
      assert.equal(reversed.status, 400, "reversed dates refused");
      assert.match(await reversed.text(), /Ngày kết thúc không được trước ngày bắt đầu/, "the dates' order");
      const foreign = await coordinator.post("/quan-tri/dao-tao/boi-duong", {
        ...training("Lê Văn Tâm", "Lớp A", "2024-05-09", "2024-05-10"),
        orgUnitId: "999999",
      });
      assert.equal(foreign.status, 400, "a unit of no ward is refused");
      const future = await coordinator.post("/quan-tri/dao-tao/khen-thuong", {
        recipientKind: "person",
        personName: "Lê Văn Tâm",
        form: "Giấy khen",
        decision: "Quyết định số 1/QĐ-UBND",
        decidedOn: "2030-01-01",
      });
      assert.equal(future.status, 400, "a decision in the future is refused");
      assert.match(await future.text(), /Ngày quyết định không được sau hôm nay/, "with its message");
      const noUnit = await coordinator.post("/quan-tri/dao-tao/khen-thuong", {
        recipientKind: "unit",
        form: "Tập thể lao động tiên tiến",
        decision: "Quyết định số 2/QĐ-UBND",
        decidedOn: "2024-02-01",
      });
      assert.equal(noUnit.status, 400, "a unit commendation names its unit");
      assert.deepEqual(
        [await rowCount(w, "training_records"), await rowCount(w, "commendations")],
        before,
        "nothing written",
      );
    });

    test("leaders read, officers and anonymous callers are refused; the lists never reach a public page", async () => {
      assert.equal((await leader.get("/quan-tri/dao-tao")).status, 200, "a leader reads the lists");
      const [first] = await ids("training_records");
      assert.equal(
        (await leader.post(`/quan-tri/dao-tao/boi-duong/${first}/xoa`, {})).status,
        403,
        "but may not change them",
      );
      assert.equal((await officer.get("/quan-tri/dao-tao")).status, 403, "an officer may not read them");
      assert.equal(
        (await officer.post("/quan-tri/dao-tao/boi-duong", training("Lê Văn Tâm", "Lớp A", "2024-05-09", "2024-05-10")))
          .status,
        403,
        "nor add",
      );
      const anon = await w.app.request("/quan-tri/dao-tao/boi-duong.xlsx");
      assert.notEqual(anon.status, 200, "no download without signing in");
      for (const path of ["/", "/ke-hoach", "/ke-hoach/1", "/api/v1/plans/1"]) {
        const page = await (await w.app.request(path)).text();
        assert.ok(!page.includes("Nguyễn Thị Hoa") && !page.includes("Trần Văn Minh"), `no staff name on ${path}`);
      }
    });

    test("another ward's office neither sees nor changes these records", async () => {
      const html = await (await otherCoordinator.get("/quan-tri/dao-tao")).text();
      assert.ok(!html.includes("Nguyễn Thị Hoa"), "not in their list");
      const [first] = await ids("training_records");
      const [commendation] = await ids("commendations");
      assert.equal((await otherCoordinator.get(`/quan-tri/dao-tao/boi-duong/${first}`)).status, 404, "no edit page");
      const edit = await otherCoordinator.post(
        `/quan-tri/dao-tao/boi-duong/${first}`,
        training("Đổi tên", "Lớp A", "2024-05-09", "2024-05-10"),
      );
      assert.equal(edit.status, 404, "no edit");
      assert.equal(
        (await otherCoordinator.post(`/quan-tri/dao-tao/khen-thuong/${commendation}/xoa`, {})).status,
        404,
        "no removal",
      );
      const row = await w.db.kysely
        .selectFrom("training_records")
        .select("person_name")
        .where("id", "=", first as number)
        .executeTakeFirstOrThrow();
      assert.equal(row.person_name, "Nguyễn Thị Hoa", "unchanged");
      assert.equal(await rowCount(w, "commendations"), 2, "nothing removed");
    });

    test("the office corrects and removes records, audited", async () => {
      const [, , third] = await ids("training_records");
      const edit = await coordinator.get(`/quan-tri/dao-tao/boi-duong/${third}`);
      assert.match(await edit.text(), /value="Chuyển đổi số trong cơ quan hành chính"/, "the edit form is filled");
      const saved = await coordinator.post(
        `/quan-tri/dao-tao/boi-duong/${third}`,
        training("Nguyễn Thị Hoa", "Chuyển đổi số trong cơ quan hành chính nhà nước", "2024-04-15", "2024-04-19"),
      );
      assert.equal(saved.status, 303, "corrected");
      const extra = await coordinator.post(
        "/quan-tri/dao-tao/boi-duong",
        training("Phạm Văn Lộc", "Lớp nhập nhầm", "2024-05-09", "2024-05-10"),
      );
      assert.equal(extra.status, 303, "a record added by mistake");
      const last = (await ids("training_records")).at(-1);
      assert.equal((await coordinator.post(`/quan-tri/dao-tao/boi-duong/${last}/xoa`, {})).status, 303, "removed");
      assert.equal(await rowCount(w, "training_records"), 3, "three left");
      const actions = (
        await w.db.kysely.selectFrom("audit_log").select("action").where("entity", "=", "training_record").execute()
      ).map((r) => r.action);
      assert.ok(actions.includes("training.update") && actions.includes("training.delete"), "both audited");
    });

    test("both lists download as XLSX with names, units and dd/mm/yyyy dates", async () => {
      const res = await coordinator.get("/quan-tri/dao-tao/boi-duong.xlsx");
      assert.equal(res.status, 200, "the training list");
      assert.match(res.headers.get("content-type") ?? "", /spreadsheetml/, "as XLSX");
      const book = new ExcelJS.Workbook();
      await book.xlsx.load(Buffer.from(await res.arrayBuffer()) as unknown as ArrayBuffer);
      const sheet = book.worksheets[0];
      assert.ok(sheet, "one sheet");
      const cells = (r: number) => ((sheet.getRow(r).values as unknown[]) ?? []).slice(1).map(String);
      assert.deepEqual(cells(2).slice(0, 4), ["STT", "Họ và tên", "Chức vụ", "Đơn vị"], "the header row");
      const rows = [3, 4, 5].map(cells);
      assert.ok(
        rows.some((r) => r[1] === "Trần Văn Minh" && r[5] === "04/03/2024" && r[8] === "Tham dự một phần"),
        "a trainee's row",
      );
      const kt = await coordinator.get("/quan-tri/dao-tao/khen-thuong.xlsx");
      assert.equal(kt.status, 200, "the commendations list");
      const book2 = new ExcelJS.Workbook();
      await book2.xlsx.load(Buffer.from(await kt.arrayBuffer()) as unknown as ArrayBuffer);
      const text = JSON.stringify(book2.worksheets[0]?.getSheetValues());
      assert.match(text, /Quyết định số 12\/QĐ-UBND/, "the deciding document");
      assert.match(text, /01\/02\/2024/, "its date");
    });

    test("a report counts the period's courses, trainees and commendations, naming no one", async () => {
      const res = await coordinator.get(Q1_2024);
      assert.equal(res.status, 200, "the draft report");
      const html = await res.text();
      assert.match(html, /Công tác bồi dưỡng, thi đua, khen thưởng/, "the section");
      assert.match(
        html,
        /đã cử 2 cán bộ, công chức tham gia 1 lớp bồi dưỡng về cải cách hành chính \(2 lượt tham dự\)/,
        "the March course only: the April one ends after 14/03/2024",
      );
      assert.match(html, /Khen thưởng 1 trường hợp .*\(1 cá nhân, 0 tập thể\)/, "February's commendation, not June's");
      assert.ok(!html.includes("Nguyễn Thị Hoa") && !html.includes("Trần Văn Minh"), "no names in the report");
    });
  });
}
