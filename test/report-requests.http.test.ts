/**
 * Report requests (issue 9 §5): Tỉnh Quảng Ngãi's department asks Phường Đức Phổ (21439) and Phường Trà Câu (21451)
 * for their first-quarter 2026 report by 20/03/2026; Đức Phổ sees it in its report list and work queue, answers it
 * with a report it saves, submits, has approved and issues; the province sees Đức Phổ "issued" and Trà Câu "not
 * yet", then "overdue" after the deadline. Bad requests are refused in Vietnamese with nothing written; a ward cannot
 * answer a request made to another ward; another province never sees the request.
 */
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { SYSTEM_ACTOR } from "../src/core/audit.ts";
import { vnToday } from "../src/core/text/vi.ts";
import { createUser } from "../src/features/accounts/accounts.service.ts";
import { findOrCreateDepartment } from "../src/features/units/org-units.service.ts";
import { adminUnitInForce } from "../src/features/units/units.service.ts";
import { type Browser, createWorld, logIn, pw, setUpOtherWard, type TestWorld, testDatabases } from "./helpers/env.ts";

const REQUEST = {
  title: "",
  loai: "quarter",
  nam: "2026",
  quy: "1",
  deadline: "20/03/2026",
  note: "Đề nghị gửi báo cáo qua hệ thống.",
  scope: "chosen",
};

for (const target of testDatabases()) {
  describe(`report requests from a province to its wards (${target.name})`, () => {
    let w: TestWorld;
    let province: Browser;
    let viewer: Browser;
    let otherProvince: Browser;
    let coordinator: Browser;
    let leader: Browser;
    let requestId = 0;
    const count = async (table: "report_requests" | "report_request_wards" | "reports") =>
      (await w.db.kysely.selectFrom(table).select("id").execute()).length;

    before(async () => {
      w = await createWorld(target, { moreProvinces: ["48"] });
      const today = vnToday(w.now());
      await setUpOtherWard(w, "21451");
      const provinceUnit = await adminUnitInForce(w.db.kysely, "51", today);
      assert.ok(provinceUnit, "Quảng Ngãi");
      const snv = await findOrCreateDepartment(w.db.kysely, SYSTEM_ACTOR, provinceUnit.id, "Sở Nội vụ", w.now());
      assert.ok(snv.ok, "Sở Nội vụ of Quảng Ngãi");
      await w.createProvinceStaff("snv_chuyenvien", "coordinator", snv.id);
      province = await logIn(w.app, "snv_chuyenvien", pw("snv_chuyenvien"));
      await w.createProvinceStaff("tinh_xem", "viewer");
      viewer = await logIn(w.app, "tinh_xem", pw("tinh_xem"));
      const daNang = await adminUnitInForce(w.db.kysely, "48", today);
      assert.ok(daNang, "Đà Nẵng");
      const made = await createUser(
        w.db.kysely,
        SYSTEM_ACTOR,
        {
          username: "danang_chuyenvien",
          displayName: "Chuyên viên Đà Nẵng",
          password: pw("danang_chuyenvien"),
          role: "coordinator",
          wardId: daNang.id,
        },
        w.now(),
      );
      assert.ok(made.ok, "an account of Đà Nẵng");
      otherProvince = await logIn(w.app, "danang_chuyenvien", pw("danang_chuyenvien"));
      await w.createStaff("vanphong", "coordinator", "office");
      await w.createStaff("lanhdao", "leader");
      coordinator = await logIn(w.app, "vanphong", pw("vanphong"));
      leader = await logIn(w.app, "lanhdao", pw("lanhdao"));
    });
    after(async () => w.cleanup());

    test("bad requests are refused in Vietnamese and write nothing", async () => {
      const cases: [Record<string, string>, RegExp][] = [
        [{ ...REQUEST, deadline: "01/03/2026" }, /Hạn gửi báo cáo không thể trước hôm nay/],
        [{ ...REQUEST, deadline: "" }, /Nhập hạn gửi báo cáo/],
        [{ ...REQUEST, loai: "ad_hoc", tu: "10/03/2026", den: "01/03/2026" }, /Ngày kết thúc kỳ báo cáo phải sau/],
        [{ ...REQUEST, nam: "2027" }, /Kỳ báo cáo chưa bắt đầu/],
        [REQUEST, /Chọn ít nhất một xã, phường/],
      ];
      for (const [form, message] of cases) {
        const res = await province.post("/quan-tri/tinh/yeu-cau", form);
        assert.equal(res.status, 400, `refused: ${message}`);
        assert.match(await res.text(), message);
      }
      const body = new URLSearchParams({ ...REQUEST, _csrf: province.csrf });
      body.append("xa", "21439");
      body.append("xa", "20194"); // a ward of Đà Nẵng
      const foreign = await w.app.request("/quan-tri/tinh/yeu-cau", {
        method: "POST",
        body,
        headers: { cookie: province.cookie, "content-type": "application/x-www-form-urlencoded" },
      });
      assert.equal(foreign.status, 400, "a ward of another province is refused");
      assert.match(await foreign.text(), /Không có xã, phường mã 20194 thuộc Tỉnh Quảng Ngãi/);
      assert.equal(await count("report_requests"), 0, "no request written");
      assert.equal(await count("report_request_wards"), 0, "no ward asked");
      const readOnly = await viewer.post("/quan-tri/tinh/yeu-cau", { ...REQUEST, scope: "all" });
      assert.equal(readOnly.status, 403, "a read-only province account cannot send one");
      const ward = await coordinator.post("/quan-tri/tinh/yeu-cau", { ...REQUEST, scope: "all" });
      assert.equal(ward.status, 403, "nor can a ward");
      assert.equal(await count("report_requests"), 0, "still nothing written");
    });

    test("the province asks two chosen wards; each sees it in its report list and work queue", async () => {
      const body = new URLSearchParams({ ...REQUEST, _csrf: province.csrf });
      body.append("xa", "21439");
      body.append("xa", "21451");
      const res = await w.app.request("/quan-tri/tinh/yeu-cau", {
        method: "POST",
        body,
        headers: { cookie: province.cookie, "content-type": "application/x-www-form-urlencoded" },
      });
      assert.equal(res.status, 303, "sent");
      requestId = Number(/yeu-cau\/(\d+)/.exec(res.headers.get("location") ?? "")?.[1]);
      assert.ok(requestId > 0, "the request's page");
      const page = await (await province.get(`/quan-tri/tinh/yeu-cau/${requestId}`)).text();
      assert.match(page, /Báo cáo kết quả công tác tuyên truyền cải cách hành chính quý I năm 2026/, "default title");
      assert.match(page, /data-ward="21439" data-status="pending"/, "Đức Phổ has not issued yet");
      assert.match(page, /data-ward="21451" data-status="pending"/, "nor Trà Câu");
      assert.match(page, /Hạn gửi: 20\/03\/2026/, "the deadline, dd/mm/yyyy");

      const list = await (await coordinator.get("/quan-tri/bao-cao")).text();
      assert.match(list, /Yêu cầu báo cáo của cấp trên/, "the ward's report list shows the request");
      assert.match(list, /Sở Nội vụ · kỳ quý I năm 2026 · hạn 20\/03\/2026 · Chưa ban hành/, "from whom, for what");
      assert.match(list, new RegExp(`yeu-cau=${requestId}`), "with the way to answer it");
      const home = await (await coordinator.get("/quan-tri")).text();
      assert.match(home, /Yêu cầu báo cáo của cấp trên chưa ban hành/, "and in the work queue");
    });

    test("a ward answers only a request made to it; the province sees who issued, and who is late", async () => {
      const onlyTraCau = await province.post("/quan-tri/tinh/yeu-cau", {
        ...REQUEST,
        title: "Chỉ gửi Trà Câu",
        xa: "21451",
      });
      assert.equal(onlyTraCau.status, 303, "a request to Trà Câu alone");
      const otherId = Number(/yeu-cau\/(\d+)/.exec(onlyTraCau.headers.get("location") ?? "")?.[1]);
      const reports = await count("reports");
      const stolen = await coordinator.post("/quan-tri/bao-cao", {
        loai: "quarter",
        nam: "2026",
        quy: "1",
        "yeu-cau": String(otherId),
      });
      assert.equal(stolen.status, 404, "a request made to another ward cannot be answered");
      assert.equal(await count("reports"), reports, "no report written");

      const saved = await coordinator.post("/quan-tri/bao-cao", {
        loai: "quarter",
        nam: "2026",
        quy: "1",
        "yeu-cau": String(requestId),
      });
      assert.equal(saved.status, 303, "the draft answering the request is saved");
      const path = (saved.headers.get("location") ?? "").replace(/\?.*$/, "");
      const row = await w.db.kysely
        .selectFrom("reports")
        .select(["request_id", "ward_id"])
        .where("id", "=", Number(path.split("/").pop()))
        .executeTakeFirstOrThrow();
      assert.equal(row.request_id, requestId, "the report answers the request");
      assert.equal(row.ward_id, w.wardId, "and is Đức Phổ's");
      const drafted = await (await province.get(`/quan-tri/tinh/yeu-cau/${requestId}`)).text();
      assert.match(drafted, /data-ward="21439" data-status="pending"/, "a draft does not answer yet");

      assert.equal((await coordinator.post(`${path}/trinh`, {})).status, 303, "submitted");
      assert.equal((await leader.post(`${path}/duyet`, {})).status, 303, "approved");
      const issued = await coordinator.post(`${path}/ban-hanh`, {
        number: "",
        issuedOn: "02/03/2026",
        signerName: "Nguyễn Văn An",
      });
      assert.equal(issued.status, 303, "issued");

      const page = await (await province.get(`/quan-tri/tinh/yeu-cau/${requestId}`)).text();
      assert.match(page, /data-ward="21439" data-status="issued"/, "Đức Phổ issued on time");
      assert.match(page, /Số 01\/BC-UBND, ngày 02\/03\/2026/, "with its number and day");
      assert.match(page, /data-ward="21451" data-status="pending"/, "Trà Câu not yet");
      const list = await (await province.get("/quan-tri/tinh/yeu-cau")).text();
      assert.match(
        list,
        /Đã ban hành đúng hạn: 1 · Ban hành sau hạn: 0 · Chưa ban hành: 1 · Quá hạn, chưa ban hành: 0/,
      );

      w.setNow(new Date("2026-03-25T03:00:00Z"));
      try {
        const later = await logIn(w.app, "tinh_xem", pw("tinh_xem")); // the earlier session has gone idle
        const late = await (await later.get(`/quan-tri/tinh/yeu-cau/${requestId}`)).text();
        assert.match(late, /data-ward="21451" data-status="overdue"/, "after the deadline Trà Câu is overdue");
        assert.match(late, /data-ward="21439" data-status="issued"/, "Đức Phổ stays on time");
        const ward = await (await later.get("/quan-tri/tinh/xa/21439")).text();
        assert.match(ward, /Đã ban hành đúng hạn/, "the ward's page at the province shows it too");
      } finally {
        w.setNow(new Date("2026-03-02T03:00:00Z"));
      }
    });

    test("another province never sees the request", async () => {
      assert.equal((await otherProvince.get(`/quan-tri/tinh/yeu-cau/${requestId}`)).status, 404, "not found");
      const list = await (await otherProvince.get("/quan-tri/tinh/yeu-cau")).text();
      assert.doesNotMatch(list, /quý I năm 2026/, "not listed");
      assert.equal((await otherProvince.get("/quan-tri/tinh/xa/21439")).status, 404, "nor Đức Phổ");
    });
  });
}
