/**
 * A ward's report over HTTP on every database (toward issue 9): activities recorded by a unit are counted in the
 * quarter the statutory cut-off gives them (Q1 2024 = 15/12/2023 → 14/03/2024), the tasks by lead unit come from the
 * plan in force, the draft downloads as a Decree 30 DOCX naming the ward and the province, and bad periods get a
 * Vietnamese message.
 */
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import JSZip from "jszip";
import { SYSTEM_ACTOR } from "../src/core/audit.ts";
import { vnToday } from "../src/core/text/vi.ts";
import { confirmPlanImport } from "../src/features/plans/plans.service.ts";
import { resolveWard } from "../src/features/units/units.service.ts";
import { type Browser, createWorld, logIn, pw, seedPlanText, type TestWorld, testDatabases } from "./helpers/env.ts";
import { leadTaskOf, recordRadioActivity } from "./helpers/fixtures.ts";
import { buildPdf, onePage } from "./helpers/pdf.ts";

const Q1_2024 = "/quan-tri/bao-cao/du-thao?loai=quarter&nam=2024&quy=1";
const SIGNED_PDF = buildPdf(onePage({ text: "Bao cao so 01/BC-UBND da ky" }));

for (const target of testDatabases()) {
  describe(`a ward's report from its records (${target.name})`, () => {
    let w: TestWorld;
    let coordinator: Browser;
    let radioTask = 0;

    before(async () => {
      w = await createWorld(target);
      const ward = await resolveWard(w.db.kysely, "21439", vnToday(w.now()), "21439");
      assert.ok(ward, "the demo ward resolves");
      const r = await confirmPlanImport(w.db.kysely, SYSTEM_ACTOR, ward, seedPlanText(), {
        now: w.now(),
        today: vnToday(w.now()),
      });
      assert.ok(r.ok, "the seed plan is imported");
      radioTask = await leadTaskOf(w, "radio");
      await w.createStaff("dieuphoi", "coordinator", "office");
      await w.createStaff("daitt", "officer", "radio");
      await w.createStaff("lanhdao", "leader");
      coordinator = await logIn(w.app, "dieuphoi", pw("dieuphoi"));
      const radio = await logIn(w.app, "daitt", pw("daitt"));
      for (const [title, on, audience, cost] of [
        ["Bản tin về đăng ký khai sinh trực tuyến", "2024-02-20", "1500", "200000"],
        ["Bản tin về dịch vụ công mức độ toàn trình", "2024-03-14", "1200", "150000"],
        ["Bản tin sau kỳ quý I", "2024-03-15", "900", "100000"],
      ] as const)
        await recordRadioActivity(radio, w, radioTask, { title, on, audience, cost });
    });
    after(async () => w.cleanup());

    test("the quarter's figures count only what falls between 15/12/2023 and 14/03/2024", async () => {
      const res = await coordinator.get(Q1_2024);
      assert.equal(res.status, 200, "the draft is computed");
      const html = await res.text();
      assert.match(html, /quý I năm 2024/, "the period in words");
      assert.match(html, /từ 15\/12\/2023 đến 14\/03\/2024/, "and its statutory dates");
      assert.match(html, /đã thực hiện 2 hoạt động tuyên truyền/, "two activities fall in the quarter, not the third");
      assert.match(html, /2\.700 lượt người/, "their audience summed (1.500 + 1.200)");
      assert.match(html, /350\.000 đồng/, "their cost summed");
      assert.match(html, /<th scope="row">Đài truyền thanh, phát thanh<\/th>/, "the channel's row");
      assert.match(html, /Kế hoạch số 18\/KH-UBND/, "the plan in force");
      assert.match(html, /Bảng 3\. Nhiệm vụ theo đơn vị chủ trì/, "tasks by lead unit");

      const q2 = await (await coordinator.get("/quan-tri/bao-cao/du-thao?loai=quarter&nam=2024&quy=2")).text();
      assert.match(q2, /đã thực hiện 1 hoạt động tuyên truyền/, "the activity of 15/03 belongs to the second quarter");
    });

    test("the draft downloads as a Decree 30 DOCX naming the ward and its province", async () => {
      const res = await coordinator.get(Q1_2024.replace("du-thao?", "du-thao.docx?"));
      assert.equal(res.status, 200, "the DOCX is served");
      assert.match(
        res.headers.get("content-disposition") ?? "",
        /attachment; filename="bao-cao-cchc-2023-12-15-2024-03-14\.docx"/,
      );
      const zip = await JSZip.loadAsync(new Uint8Array(await res.arrayBuffer()));
      const xml = (await zip.file("word/document.xml")?.async("string")) ?? "";
      const text = [...xml.matchAll(/<w:t[^>]*>([^<]*)<\/w:t>/g)].map((m) => m[1]).join("\n");
      for (const part of [
        "ỦY BAN NHÂN DÂN",
        "PHƯỜNG ĐỨC PHỔ",
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "BÁO CÁO",
        "Kết quả thực hiện công tác tuyên truyền cải cách hành chính quý I năm 2024",
        "Kính gửi: Ủy ban nhân dân tỉnh Quảng Ngãi.",
        "TM. ỦY BAN NHÂN DÂN",
        "Nơi nhận:",
      ])
        assert.ok(text.includes(part), `the DOCX holds "${part}"`);
      assert.match(text, /Số:\s+\/BC-UBND/, "a draft has no number yet");
    });

    test("an empty, reversed, future or malformed period is refused in Vietnamese", async () => {
      const cases: [string, RegExp][] = [
        ["?loai=ad_hoc&nam=2024&tu=&den=", /Nhập đủ ngày bắt đầu và ngày kết thúc/],
        ["?loai=ad_hoc&nam=2024&tu=2024-03-31&den=2024-03-01", /Ngày kết thúc kỳ báo cáo phải sau ngày bắt đầu/],
        ["?loai=ad_hoc&nam=2099&tu=2099-01-01&den=2099-03-01", /Kỳ báo cáo chưa bắt đầu/],
        ["?loai=quarter&nam=2099&quy=1", /Kỳ báo cáo chưa bắt đầu/],
        ["?loai=quarter&nam=abc&quy=1", /Năm báo cáo gồm 4 chữ số/],
        ["?loai=weekly&nam=2024", /Chọn loại kỳ báo cáo/],
        ["?loai=ad_hoc&nam=2024&tu=31/02/2024&den=2024-03-01", /Ngày bắt đầu chưa đúng/],
      ];
      for (const [query, message] of cases) {
        const res = await coordinator.get(`/quan-tri/bao-cao/du-thao${query}`);
        assert.equal(res.status, 400, `${query} is refused`);
        assert.match(await res.text(), message, `${query} says what is wrong`);
        const docx = await coordinator.get(`/quan-tri/bao-cao/du-thao.docx${query}`);
        assert.equal(docx.status, 400, `${query} gives no DOCX`);
      }
      const adHoc = await coordinator.get(
        "/quan-tri/bao-cao/du-thao?loai=ad_hoc&nam=2024&tu=01/02/2024&den=29/02/2024",
      );
      assert.equal(adHoc.status, 200, "dd/mm/yyyy dates are read");
      assert.match(await adHoc.text(), /đã thực hiện 1 hoạt động tuyên truyền/, "one activity in February 2024");
    });

    test("a saved report goes draft → submitted → approved → issued with the register's number, then stays frozen", async () => {
      const saved = await coordinator.post("/quan-tri/bao-cao", { loai: "quarter", nam: "2024", quy: "1" });
      assert.equal(saved.status, 303, "the draft is saved");
      const path = (saved.headers.get("location") ?? "").replace(/\?.*$/, "");
      assert.match(path, /^\/quan-tri\/bao-cao\/\d+$/, "it has a page");
      const id = Number(path.split("/").pop());

      const edited = await coordinator.post(`${path}/noi-dung`, {
        addressees: "Ủy ban nhân dân tỉnh Quảng Ngãi\nSở Nội vụ tỉnh Quảng Ngãi",
        shortcomings: "- Một số tổ dân phố chưa tổ chức sinh hoạt chuyên đề.\nNguyên nhân: thiếu kinh phí.",
        nextTasks: "Tiếp tục phát bản tin hằng tuần.",
        proposals: "Đề nghị tỉnh hỗ trợ tài liệu tuyên truyền.",
      });
      assert.equal(edited.status, 303, "the narrative is saved");
      const officer = await logIn(w.app, "daitt", pw("daitt"));
      assert.equal((await officer.post(`${path}/trinh`, {})).status, 403, "an officer cannot submit");
      assert.equal((await coordinator.post(`${path}/duyet`, {})).status, 403, "a coordinator cannot approve");
      assert.equal((await coordinator.post(`${path}/trinh`, {})).status, 303, "submitted");
      assert.equal((await coordinator.post(`${path}/trinh`, {})).status, 409, "a second submit is refused");
      const leader = await logIn(w.app, "lanhdao", pw("lanhdao"));
      assert.equal((await leader.post(`${path}/duyet`, {})).status, 303, "approved by the leader");

      const badDate = await coordinator.post(`${path}/ban-hanh`, {
        number: "",
        issuedOn: "2099-01-01",
        signerName: "Nguyễn Văn An",
      });
      assert.equal(badDate.status, 400, "a future issue date is refused");
      assert.match(await badDate.text(), /Ngày ban hành không thể sau hôm nay/);
      const issued = await coordinator.post(`${path}/ban-hanh`, {
        number: "",
        issuedOn: "2024-03-18",
        signerName: "Nguyễn Văn An",
      });
      assert.equal(issued.status, 303, "issued");
      const row = await w.db.kysely.selectFrom("reports").selectAll().where("id", "=", id).executeTakeFirstOrThrow();
      assert.equal(row.status, "issued");
      assert.equal(row.number, 1, "the first number of the 2024 register");
      assert.equal(
        (await coordinator.post(`${path}/noi-dung`, { shortcomings: "x" })).status,
        409,
        "an issued report is frozen",
      );

      // A second report cannot take number 1 of 2024 again; nothing of it is issued.
      const second = await coordinator.post("/quan-tri/bao-cao", { loai: "quarter", nam: "2024", quy: "2" });
      const path2 = (second.headers.get("location") ?? "").replace(/\?.*$/, "");
      await coordinator.post(`${path2}/trinh`, {});
      await leader.post(`${path2}/duyet`, {});
      const clash = await coordinator.post(`${path2}/ban-hanh`, {
        number: "1",
        issuedOn: "2024-06-20",
        signerName: "Nguyễn Văn An",
      });
      assert.equal(clash.status, 409, "a number used that year is refused");
      assert.match(await clash.text(), /Số 1 đã được dùng trong sổ văn bản đi năm 2024/);
      const id2 = Number(path2.split("/").pop());
      assert.equal(
        (await w.db.kysely.selectFrom("reports").select("status").where("id", "=", id2).executeTakeFirstOrThrow())
          .status,
        "approved",
        "nothing written",
      );
      assert.equal(
        (
          await coordinator.post(`${path2}/ban-hanh`, {
            number: "",
            issuedOn: "2024-06-20",
            signerName: "Nguyễn Văn An",
          })
        ).status,
        303,
      );
      assert.equal(
        (await w.db.kysely.selectFrom("reports").select("number").where("id", "=", id2).executeTakeFirstOrThrow())
          .number,
        2,
        "the next free number",
      );

      // A later activity in the quarter changes the records, not the issued report.
      const radio = await logIn(w.app, "daitt", pw("daitt"));
      const f = new FormData();
      f.set("orgUnitId", String(w.unitIds.get("radio")));
      f.set("channelKind", "radio");
      f.set("pillar", "procedures");
      f.set("title", "Bản tin bổ sung");
      f.set("occurredOn", "2024-01-05");
      f.set("audience", "100");
      f.set("cost", "0");
      assert.equal((await radio.post(`/quan-tri/nhiem-vu/${radioTask}/hoat-dong`, f)).status, 303);
      const page = await (await coordinator.get(path)).text();
      assert.match(page, /Số liệu đã thay đổi từ khi ban hành/, "the page shows what changed since");
      assert.match(page, /Hoạt động tuyên truyền: 2 → 3/, "two then, three now");
      assert.match(page, /đã thực hiện 2 hoạt động tuyên truyền/, "the issued text keeps its figures");

      const docx = await coordinator.get(`${path}/tai.docx`);
      const xml =
        (await (
          await JSZip.loadAsync(new Uint8Array(await docx.arrayBuffer()))
        )
          .file("word/document.xml")
          ?.async("string")) ?? "";
      const text = [...xml.matchAll(/<w:t[^>]*>([^<]*)<\/w:t>/g)].map((m) => m[1]).join("\n");
      for (const part of [
        "Số: 01/BC-UBND",
        "Đức Phổ, ngày 18 tháng 3 năm 2024",
        "Nguyễn Văn An",
        "- Sở Nội vụ tỉnh Quảng Ngãi.",
        "Một số tổ dân phố chưa tổ chức sinh hoạt chuyên đề.",
      ])
        assert.ok(text.includes(part), `the issued DOCX holds "${part}"`);

      const before = (await (await w.app.request("/api/v1/reports?ward=21439")).json()) as { total: number };
      assert.equal(before.total, 0, "anonymous callers see no unpublished report");
      const staffList = (await (await coordinator.get("/api/v1/reports?ward=21439")).json()) as {
        total: number;
        items: { id: number; number: string | null; status: string }[];
      };
      assert.equal(staffList.total, 2, "the ward's staff see both reports");
      assert.equal(
        (await w.app.request(`/bao-cao/${id}/bao-cao.docx`)).status,
        404,
        "no public file before publishing",
      );
      const unsigned = await leader.post(`${path}/cong-khai`, {});
      assert.equal(unsigned.status, 409, "no publishing before the signed copy is uploaded");
      assert.match(await unsigned.text(), /cần tải lên bản đã ký/, "and the leader is told why");
      const signed = new FormData();
      signed.append("signed", new Blob([new Uint8Array(SIGNED_PDF)], { type: "application/pdf" }), "bao-cao-ky-so.pdf");
      assert.equal(
        (await coordinator.post(`${path}/ban-ky`, signed)).status,
        303,
        "the office uploads the signed copy",
      );
      assert.equal((await leader.post(`${path}/cong-khai`, {})).status, 303, "the leader publishes it");
      const after = (await (await w.app.request("/api/v1/reports?ward=21439")).json()) as {
        total: number;
        items: {
          id: number;
          number: string;
          kind: string;
          period: { from: string; to: string };
          status: string;
          issuedOn: string;
          files: { docx: null; pdf: null; xlsx: string; signed: string };
        }[];
      };
      assert.equal(after.total, 1, "the published report is open data");
      assert.deepEqual(
        { ...after.items[0], files: undefined },
        {
          ...after.items[0],
          id,
          number: "01/BC-UBND",
          kind: "quarter",
          period: { from: "2023-12-15", to: "2024-03-14" },
          status: "issued",
          issuedOn: "2024-03-18",
          files: undefined,
        },
        "as the contract names it",
      );
      const publicSigned = await w.app.request(after.items[0]?.files.signed ?? "");
      assert.equal(publicSigned.status, 200, "its signed copy is public");
      assert.deepEqual(new Uint8Array(await publicSigned.arrayBuffer()), new Uint8Array(SIGNED_PDF), "byte for byte");
      const audit = await w.db.kysely
        .selectFrom("audit_log")
        .select("action")
        .where("entity", "=", "report")
        .where("entity_id", "=", String(id))
        .execute();
      assert.deepEqual(
        audit.map((a) => a.action),
        [
          "report.create",
          "report.edit",
          "report.submit",
          "report.approve",
          "report.issue",
          "report.sign",
          "report.publish",
        ],
        "every step audited",
      );
    });

    test("a report whose text names a private person is never published", async () => {
      const leader = await logIn(w.app, "lanhdao", pw("lanhdao"));
      const saved = await coordinator.post("/quan-tri/bao-cao", { loai: "quarter", nam: "2024", quy: "3" });
      const path = (saved.headers.get("location") ?? "").replace(/\?.*$/, "");
      assert.equal(
        (
          await coordinator.post(`${path}/noi-dung`, {
            addressees: "Ủy ban nhân dân tỉnh Quảng Ngãi",
            shortcomings: "Đã làm việc với bà Nguyễn Thị Hoa (0912 345 678) về đơn thư.",
            nextTasks: "Tiếp tục tuyên truyền.",
            proposals: "Không.",
          })
        ).status,
        303,
        "the narrative is saved",
      );
      assert.equal((await coordinator.post(`${path}/trinh`, {})).status, 303, "submitted");
      assert.equal((await leader.post(`${path}/duyet`, {})).status, 303, "approved");
      assert.equal(
        (
          await coordinator.post(`${path}/ban-hanh`, {
            number: "",
            issuedOn: "2024-09-20",
            signerName: "Nguyễn Văn An",
          })
        ).status,
        303,
        "issued: it goes upward",
      );
      const refused = await leader.post(`${path}/cong-khai`, {});
      assert.equal(refused.status, 409, "publishing is refused");
      assert.match(await refused.text(), /có thông tin cá nhân/, "and says why");
      const id = Number(path.split("/").pop());
      const row = await w.db.kysely
        .selectFrom("reports")
        .select("published")
        .where("id", "=", id)
        .executeTakeFirstOrThrow();
      assert.equal(row.published, 0, "nothing published");
    });

    test("officers and anonymous visitors cannot draft reports", async () => {
      const officer = await logIn(w.app, "daitt", pw("daitt"));
      assert.equal((await officer.get(Q1_2024)).status, 403, "an officer is refused");
      assert.equal((await w.app.request(Q1_2024)).status, 303, "anonymous visitors are sent to log in");
    });
  });
}
