/**
 * The province's roll-up report (issue 9 §5) over HTTP on every database. Tỉnh Quảng Ngãi: Phường Đức Phổ (21439,
 * the seed plan, two radio bulletins in Q1 2024 and one after it) and Phường Trà Câu (21451, one meeting in the
 * quarter). Sở Nội vụ's specialist drafts the province's first-quarter 2024 report: the figures are the wards' summed
 * (3 activities), one appendix table per ward; it is submitted, approved by the department's leader and issued with
 * the department's own register number and symbol (01/BC-SNV) and "KT. GIÁM ĐỐC" (no "TM."), while the province's
 * committee keeps its own register (its first report is 01/BC-UBND too). Issued, it is frozen. No ward, and no
 * other province, opens it.
 */
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import JSZip from "jszip";
import { SYSTEM_ACTOR } from "../src/core/audit.ts";
import { vnToday } from "../src/core/text/vi.ts";
import { createUser } from "../src/features/accounts/accounts.service.ts";
import { confirmPlanImport } from "../src/features/plans/plans.service.ts";
import { findOrCreateDepartment } from "../src/features/units/org-units.service.ts";
import { adminUnitInForce, resolveWard } from "../src/features/units/units.service.ts";
import {
  type Browser,
  createWorld,
  logIn,
  pw,
  seedPlanText,
  setUpOtherWard,
  type TestWorld,
  testDatabases,
} from "./helpers/env.ts";

const Q1_2024 = { loai: "quarter", nam: "2024", quy: "1" };
const PREVIEW = "/quan-tri/bao-cao/du-thao?loai=quarter&nam=2024&quy=1";

/** The text of a DOCX's body, runs joined. */
async function docxText(res: Response): Promise<string> {
  const zip = await JSZip.loadAsync(new Uint8Array(await res.arrayBuffer()));
  const xml = (await zip.file("word/document.xml")?.async("string")) ?? "";
  return [...xml.matchAll(/<w:t(?: [^>]*)?>([^<]*)<\/w:t>/g)].map((m) => m[1]).join("");
}

for (const target of testDatabases()) {
  describe(`the province's roll-up report (${target.name})`, () => {
    let w: TestWorld;
    let provinceId = 0;
    let snvId = 0;
    let specialist: Browser;
    let director: Browser;
    let committee: Browser;
    let committeeLeader: Browser;
    let wardCoordinator: Browser;
    let otherProvince: Browser;
    let radioTask = 0;
    let reportPath = "";

    async function record(b: Browser, taskId: number, unitId: number, title: string, on: string, audience: string) {
      const f = new FormData();
      f.set("orgUnitId", String(unitId));
      f.set("channelKind", "radio");
      f.set("pillar", "procedures");
      f.set("title", title);
      f.set("occurredOn", on);
      f.set("audience", audience);
      f.set("cost", "100000");
      const res = await b.post(`/quan-tri/nhiem-vu/${taskId}/hoat-dong`, f);
      assert.equal(res.status, 303, `“${title}” is recorded`);
    }

    before(async () => {
      w = await createWorld(target, { moreProvinces: ["48"] });
      const today = vnToday(w.now());
      const wardA = await resolveWard(w.db.kysely, "21439", today, "21439");
      assert.ok(wardA, "Phường Đức Phổ");
      const planA = await confirmPlanImport(w.db.kysely, SYSTEM_ACTOR, wardA, seedPlanText(), { now: w.now(), today });
      assert.ok(planA.ok, "Đức Phổ's plan");
      radioTask = (
        await w.db.kysely
          .selectFrom("tasks")
          .select("id")
          .where("plan_id", "=", planA.planId)
          .orderBy("position")
          .executeTakeFirstOrThrow()
      ).id;
      await w.createStaff("dieuphoi", "coordinator", "office");
      wardCoordinator = await logIn(w.app, "dieuphoi", pw("dieuphoi"));
      const radio = w.unitIds.get("radio") as number;
      await record(wardCoordinator, radioTask, radio, "Bản tin khai sinh trực tuyến", "2024-02-20", "1500");
      await record(wardCoordinator, radioTask, radio, "Bản tin dịch vụ công toàn trình", "2024-03-14", "1200");
      await record(wardCoordinator, radioTask, radio, "Bản tin sau kỳ quý I", "2024-03-15", "900");

      // Phường Trà Câu with its own plan and one activity in the quarter.
      const traCau = await setUpOtherWard(w, "21451");
      const wardB = await resolveWard(w.db.kysely, "21451", today, "21439");
      assert.ok(wardB, "Phường Trà Câu");
      const planB = await confirmPlanImport(w.db.kysely, SYSTEM_ACTOR, wardB, seedPlanText(), { now: w.now(), today });
      assert.ok(planB.ok, "Trà Câu's plan");
      const taskB = (
        await w.db.kysely
          .selectFrom("tasks")
          .select("id")
          .where("plan_id", "=", planB.planId)
          .orderBy("position")
          .executeTakeFirstOrThrow()
      ).id;
      const officeB = (
        await w.db.kysely
          .selectFrom("org_units")
          .select("id")
          .where("ward_id", "=", traCau)
          .where("code", "=", "office")
          .executeTakeFirstOrThrow()
      ).id;
      const madeB = await createUser(
        w.db.kysely,
        SYSTEM_ACTOR,
        {
          username: "vanphong_tracau",
          displayName: "Văn phòng Trà Câu",
          password: pw("vanphong_tracau"),
          role: "coordinator",
          wardId: traCau,
          orgUnitId: officeB,
        },
        w.now(),
      );
      assert.ok(madeB.ok, "Trà Câu's coordinator");
      const coordinatorB = await logIn(w.app, "vanphong_tracau", pw("vanphong_tracau"));
      await record(coordinatorB, taskB, officeB, "Hội nghị phổ biến thủ tục", "2024-01-10", "300");

      const province = await adminUnitInForce(w.db.kysely, "51", today);
      assert.ok(province, "Quảng Ngãi");
      provinceId = province.id;
      const snv = await findOrCreateDepartment(w.db.kysely, SYSTEM_ACTOR, provinceId, "Sở Nội vụ", w.now());
      assert.ok(snv.ok, "Sở Nội vụ");
      snvId = snv.id;
      await w.createProvinceStaff("snv_chuyenvien", "coordinator", snvId);
      await w.createProvinceStaff("snv_giamdoc", "leader", snvId);
      await w.createProvinceStaff("ubnd_tinh_vanthu", "coordinator");
      await w.createProvinceStaff("ubnd_tinh_lanhdao", "leader");
      specialist = await logIn(w.app, "snv_chuyenvien", pw("snv_chuyenvien"));
      director = await logIn(w.app, "snv_giamdoc", pw("snv_giamdoc"));
      committee = await logIn(w.app, "ubnd_tinh_vanthu", pw("ubnd_tinh_vanthu"));
      committeeLeader = await logIn(w.app, "ubnd_tinh_lanhdao", pw("ubnd_tinh_lanhdao"));
      const daNang = await adminUnitInForce(w.db.kysely, "48", today);
      assert.ok(daNang, "Đà Nẵng");
      const made = await createUser(
        w.db.kysely,
        SYSTEM_ACTOR,
        {
          username: "danang_cv",
          displayName: "Chuyên viên",
          password: pw("danang_cv"),
          role: "coordinator",
          wardId: daNang.id,
        },
        w.now(),
      );
      assert.ok(made.ok, "an account of Đà Nẵng");
      otherProvince = await logIn(w.app, "danang_cv", pw("danang_cv"));
    });
    after(async () => w.cleanup());

    test("the draft sums the wards' figures and has one appendix table per ward", async () => {
      const res = await specialist.get(PREVIEW);
      assert.equal(res.status, 200, "the province's draft is computed");
      const html = await res.text();
      assert.match(
        html,
        /Tổng hợp kết quả công tác tuyên truyền cải cách hành chính của các xã, phường quý I năm 2024/,
      );
      assert.match(html, /các xã, phường đã thực hiện 3 hoạt động tuyên truyền/, "2 of Đức Phổ's + 1 of Trà Câu's");
      assert.match(html, /3\.000 lượt người/, "1.500 + 1.200 + 300");
      assert.match(html, /Kính gửi: Ủy ban nhân dân tỉnh Quảng Ngãi/, "a department reports to its committee");
      const appendix = [...html.matchAll(/Bảng PL\.\d+\. ([^<(]+) \(mã (\d{5})\)/g)].map((m) => m[2]);
      assert.ok(appendix.includes("21439") && appendix.includes("21451"), `one table per ward (${appendix.length})`);
      const rows = await w.db.kysely
        .selectFrom("admin_units")
        .select("id")
        .where("parent_id", "=", provinceId)
        .where("level", "=", "commune")
        .where("valid_to", "is", null)
        .execute();
      assert.ok(appendix.length >= rows.length, "every ward in force has its table");
    });

    test("saved, submitted, approved and issued with the department's register and symbol; KT. GIÁM ĐỐC", async () => {
      const saved = await specialist.post("/quan-tri/bao-cao", Q1_2024);
      assert.equal(saved.status, 303, "the draft is saved");
      reportPath = (saved.headers.get("location") ?? "").replace(/\?.*$/, "");
      const id = Number(reportPath.split("/").pop());
      const row = await w.db.kysely.selectFrom("reports").selectAll().where("id", "=", id).executeTakeFirstOrThrow();
      assert.equal(row.ward_id, provinceId, "the province's report");
      assert.equal(row.symbol, "BC-SNV", "the department's symbol");
      assert.equal(row.issuer_org_unit_id, snvId, "issued by the department");

      assert.equal((await specialist.post(`${reportPath}/duyet`, {})).status, 403, "a specialist does not approve");
      assert.equal((await specialist.post(`${reportPath}/trinh`, {})).status, 303, "submitted");
      assert.equal((await director.post(`${reportPath}/duyet`, {})).status, 303, "approved by the director");
      const issued = await specialist.post(`${reportPath}/ban-hanh`, {
        number: "",
        issuedOn: "02/03/2026",
        signerName: "Trần Văn Bình",
      });
      assert.equal(issued.status, 303, "issued");
      const entry = await w.db.kysely
        .selectFrom("document_register")
        .selectAll()
        .where("report_id", "=", id)
        .executeTakeFirstOrThrow();
      assert.equal(entry.number, 1, "the department's first number of 2026");
      assert.equal(entry.issuer_org_unit_id, snvId, "in the department's register");

      const text = await docxText(await specialist.get(`${reportPath}/tai.docx`));
      assert.match(text, /UBND TỈNH QUẢNG NGÃI/, "the superior body");
      assert.match(text, /SỞ NỘI VỤ/, "the issuing department");
      assert.match(text, /Số: 01\/BC-SNV/, "its number and symbol");
      assert.match(text, /KT\. GIÁM ĐỐC/, "signed for the director");
      assert.match(text, /PHÓ GIÁM ĐỐC/, "by a deputy");
      assert.doesNotMatch(text, /TM\./, "no TM. for a department");
      assert.match(text, /Trần Văn Bình/, "the signer");
      assert.match(text, /Bảng PL\.\d+\. Phường Đức Phổ \(mã 21439\)/, "the appendix in the document");
      assert.match(text, /Quảng Ngãi, ngày 02 tháng 3 năm 2026/, "place and date");
    });

    test("the committee keeps its own register: its first report is 01/BC-UBND, and a used number is refused", async () => {
      const saved = await committee.post("/quan-tri/bao-cao", Q1_2024);
      assert.equal(saved.status, 303, "the committee's draft");
      const path = (saved.headers.get("location") ?? "").replace(/\?.*$/, "");
      assert.equal((await committee.post(`${path}/trinh`, {})).status, 303, "submitted");
      assert.equal((await committeeLeader.post(`${path}/duyet`, {})).status, 303, "approved");
      const issued = await committee.post(`${path}/ban-hanh`, {
        number: "1",
        issuedOn: "02/03/2026",
        signerName: "Nguyễn Văn Chủ",
      });
      assert.equal(issued.status, 303, "number 1 is free in the committee's register");
      const text = await docxText(await committee.get(`${path}/tai.docx`));
      assert.match(text, /Số: 01\/BC-UBND/, "its own number and symbol");
      assert.match(text, /TM\. ỦY BAN NHÂN DÂN/, "signed on behalf of the committee");
      assert.match(text, /Kính gửi: Bộ Nội vụ/, "addressed to the Ministry");

      const again = await committee.post("/quan-tri/bao-cao", Q1_2024);
      const path2 = (again.headers.get("location") ?? "").replace(/\?.*$/, "");
      await committee.post(`${path2}/trinh`, {});
      await committeeLeader.post(`${path2}/duyet`, {});
      const registers = await w.db.kysely.selectFrom("document_register").select("id").execute();
      const clash = await committee.post(`${path2}/ban-hanh`, {
        number: "1",
        issuedOn: "02/03/2026",
        signerName: "Nguyễn Văn Chủ",
      });
      assert.equal(clash.status, 409, "a number used in the committee's register is refused");
      assert.match(await clash.text(), /Số 1 đã được dùng trong sổ văn bản đi năm 2026/);
      assert.equal(
        (await w.db.kysely.selectFrom("document_register").select("id").execute()).length,
        registers.length,
        "nothing written",
      );
    });

    test("an issued roll-up is frozen: a later activity changes the page's 'since' list, never the document", async () => {
      await record(
        wardCoordinator,
        radioTask,
        w.unitIds.get("radio") as number,
        "Bản tin bổ sung",
        "2024-03-01",
        "100",
      );
      const page = await (await specialist.get(reportPath)).text();
      assert.match(page, /Số liệu đã thay đổi từ khi ban hành/, "the change is shown");
      assert.match(page, /Hoạt động tuyên truyền: 3 → 4/, "as issued → now");
      const text = await docxText(await specialist.get(`${reportPath}/tai.docx`));
      assert.match(text, /đã thực hiện 3 hoạt động tuyên truyền/, "the document keeps its figures");
    });

    test("no ward and no other province opens the province's report", async () => {
      assert.equal((await wardCoordinator.get(reportPath)).status, 404, "a ward's coordinator: not found");
      assert.equal((await wardCoordinator.get(`${reportPath}/tai.docx`)).status, 404, "nor its DOCX");
      assert.equal((await otherProvince.get(reportPath)).status, 404, "another province: not found");
      assert.equal((await wardCoordinator.post(`${reportPath}/duyet`, {})).status, 403, "a ward cannot act on it");
    });
  });
}
