/**
 * A report's files over HTTP on every database (issue 9 §1): after issue, the office uploads the signed copy (a PDF
 * judged by its content, within the size limit, without active content; anything else refused in Vietnamese with
 * nothing stored); the leader publishes only a report that has one, and the public then gets exactly that copy and
 * the XLSX of the figure tables — never the unsigned working copies. The XLSX read back holds the document's tables
 * with numbers as numbers, and an issued report's workbook keeps its frozen figures.
 */
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import ExcelJS from "exceljs";
import { type Browser, createWorld, logIn, pw, type TestWorld, testDatabases } from "./helpers/env.ts";
import { blobCount, importSeedPlan, leadTaskOf, recordRadioActivity, rowCount } from "./helpers/fixtures.ts";
import { buildPdf, onePage } from "./helpers/pdf.ts";

const SIGNED = buildPdf(onePage({ text: "Bao cao quy I nam 2024 - da ky so" }));
const RESCAN = buildPdf(onePage({ text: "Bao cao quy I nam 2024 - ban scan co dau" }));
const WITH_SCRIPT = buildPdf(
  onePage({ catalogExtra: "/OpenAction 5 0 R" }).concat("<< /Type /Action /S /JavaScript /JS (app.alert\\(1\\)) >>"),
);
const PNG = Buffer.from(
  "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==",
  "base64",
);

type Workbook = InstanceType<typeof ExcelJS.Workbook>;
async function workbookOf(res: Response): Promise<Workbook> {
  assert.equal(res.status, 200, "the workbook is served");
  assert.equal(
    res.headers.get("content-type"),
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "as XLSX",
  );
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(await res.arrayBuffer());
  return wb;
}
/** The data rows of a sheet (after its title and header rows) as plain values. */
const rowsOf = (wb: Workbook, index: number) => {
  const ws = wb.worksheets[index];
  assert.ok(ws, `sheet ${index} exists`);
  const out: unknown[][] = [];
  ws.eachRow((row, n) => {
    if (n > 2) out.push((row.values as unknown[]).slice(1));
  });
  return out;
};

const signedForm = (bytes: Uint8Array, name: string, type = "application/pdf") => {
  const f = new FormData();
  f.append("signed", new Blob([new Uint8Array(bytes)], { type }), name);
  return f;
};

for (const target of testDatabases()) {
  describe(`a report's signed copy and figure workbook (${target.name})`, () => {
    let w: TestWorld;
    let office: Browser;
    let leader: Browser;
    let path = "";
    let id = 0;

    const recordRadio = async (title: string, on: string, audience: string, cost: string) =>
      recordRadioActivity(await logIn(w.app, "daitt2", pw("daitt2")), w, await leadTaskOf(w, "radio"), {
        title,
        on,
        audience,
        cost,
      });

    before(async () => {
      w = await createWorld(target);
      await importSeedPlan(w);
      await w.createStaff("vanthu", "coordinator", "office");
      await w.createStaff("daitt2", "officer", "radio");
      await w.createStaff("chutich", "leader");
      office = await logIn(w.app, "vanthu", pw("vanthu"));
      leader = await logIn(w.app, "chutich", pw("chutich"));
      await recordRadio("Bản tin về đăng ký khai sinh trực tuyến", "2024-02-20", "1500", "200000");
      await recordRadio("Bản tin về dịch vụ công toàn trình", "2024-03-14", "1200", "150000");
      const saved = await office.post("/quan-tri/bao-cao", { loai: "quarter", nam: "2024", quy: "1" });
      path = (saved.headers.get("location") ?? "").replace(/\?.*$/, "");
      id = Number(path.split("/").pop());
      assert.ok(id > 0, "the draft is saved");
    });
    after(async () => w.cleanup());

    test("the draft's workbook holds the document's tables, numbers as numbers", async () => {
      const wb = await workbookOf(await office.get(`${path}/tai.xlsx`));
      assert.match(String(wb.worksheets[0]?.getCell("A1").value), /Bảng 1\. Hoạt động tuyên truyền theo hình thức/);
      const channels = rowsOf(wb, 0);
      assert.deepEqual(
        channels.find((r) => r[0] === "Đài truyền thanh, phát thanh"),
        ["Đài truyền thanh, phát thanh", 2, 2700, 350000],
        "the radio row: two activities, their audience and cost, as numbers",
      );
      assert.deepEqual(channels.at(-1), ["Tổng cộng", 2, 2700, 350000], "the total row");
      const draft = await workbookOf(await office.get("/quan-tri/bao-cao/du-thao.xlsx?loai=quarter&nam=2024&quy=1"));
      assert.deepEqual(rowsOf(draft, 0), channels, "the unsaved draft's workbook has the same figures");
      assert.equal(
        (await office.get("/quan-tri/bao-cao/du-thao.xlsx?loai=quarter&nam=2099&quy=1")).status,
        400,
        "a future period gives no workbook",
      );
    });

    test("the signed copy: only a clean PDF, only after issue, only by the office; publishing needs it", async () => {
      assert.equal(
        (await office.post(`${path}/ban-ky`, signedForm(SIGNED, "ky.pdf"))).status,
        409,
        "a draft has no signed copy yet",
      );
      assert.equal((await office.post(`${path}/trinh`, {})).status, 303, "submitted");
      assert.equal((await leader.post(`${path}/duyet`, {})).status, 303, "approved");
      assert.equal(
        (await office.post(`${path}/ban-hanh`, { number: "", issuedOn: "2024-03-18", signerName: "Nguyễn Văn An" }))
          .status,
        303,
        "issued",
      );
      const unsigned = await leader.post(`${path}/cong-khai`, {});
      assert.equal(unsigned.status, 409, "publishing without the signed copy is refused");
      assert.match(await unsigned.text(), /Chưa thể công khai: cần tải lên bản đã ký/, "in Vietnamese");

      const before = { files: await rowCount(w, "stored_files"), blobs: await blobCount(w) };
      const cases: [FormData, number, RegExp, string][] = [
        [new FormData(), 400, /Chọn tệp PDF của bản đã ký/, "no file"],
        [signedForm(PNG, "ban-chup.pdf"), 415, /không phải PDF/, "an image named .pdf"],
        [signedForm(WITH_SCRIPT, "ky.pdf"), 415, /có mã JavaScript/, "a PDF with a script"],
        [signedForm(new Uint8Array(0), "rong.pdf"), 400, /trống/, "an empty file"],
      ];
      for (const [form, status, message, what] of cases) {
        const res = await office.post(`${path}/ban-ky`, form);
        assert.equal(res.status, status, `${what} is refused`);
        assert.match(await res.text(), message, `${what}: the reason in Vietnamese`);
      }
      assert.deepEqual(
        { files: await rowCount(w, "stored_files"), blobs: await blobCount(w) },
        before,
        "nothing stored by the refusals",
      );
      assert.equal(
        (await leader.post(`${path}/ban-ky`, signedForm(SIGNED, "ky.pdf"))).status,
        403,
        "uploading is the office's step (report.issue), not the leader's",
      );

      assert.equal((await office.post(`${path}/ban-ky`, signedForm(RESCAN, "scan.pdf"))).status, 303, "uploaded");
      assert.equal((await office.post(`${path}/ban-ky`, signedForm(SIGNED, "ky-so.pdf"))).status, 303, "replaced");
      const row = await w.db.kysely.selectFrom("reports").selectAll().where("id", "=", id).executeTakeFirstOrThrow();
      assert.ok(row.signed_file_id, "the report names its signed copy");
      const staffList = (await (await office.get("/api/v1/reports?ward=21439")).json()) as {
        items: { id: number; files: Record<string, string | null> }[];
      };
      const mine = staffList.items.find((i) => i.id === id);
      assert.deepEqual(
        mine?.files,
        {
          docx: `${path}/tai.docx`,
          pdf: `${path}/tai.pdf`,
          xlsx: `${path}/tai.xlsx`,
          signed: `/quan-tri/tep/${row.signed_file_id}`,
        },
        "staff see every file",
      );
      const staffCopy = await office.get(mine?.files.signed ?? "");
      assert.equal(staffCopy.status, 200, "staff download the signed copy from the file store");
      assert.deepEqual(new Uint8Array(await staffCopy.arrayBuffer()), new Uint8Array(SIGNED), "the latest upload");
      const officer = await logIn(w.app, "daitt2", pw("daitt2"));
      assert.equal((await officer.get(mine?.files.signed ?? "")).status, 403, "an officer may not read it");

      assert.equal((await w.app.request(`/bao-cao/${id}/bao-cao.pdf`)).status, 404, "nothing public yet");
      assert.equal((await leader.post(`${path}/cong-khai`, {})).status, 303, "the leader publishes");
      assert.equal(
        (await office.post(`${path}/ban-ky`, signedForm(RESCAN, "khac.pdf"))).status,
        409,
        "the published copy cannot be replaced",
      );

      const audit = await w.db.kysely
        .selectFrom("audit_log")
        .select(["action", "after_json"])
        .where("entity", "=", "report")
        .where("entity_id", "=", String(id))
        .orderBy("id")
        .execute();
      assert.deepEqual(
        audit.map((a) => a.action),
        [
          "report.create",
          "report.submit",
          "report.approve",
          "report.issue",
          "report.sign",
          "report.sign",
          "report.publish",
        ],
        "every step audited, each upload too",
      );
      assert.match(
        String(audit.at(-1)?.after_json),
        new RegExp(`"signedFileId":${row.signed_file_id}`),
        "publishing names the copy",
      );
    });

    test("the public gets the signed copy and the figure workbook, never the unsigned working copies", async () => {
      const list = (await (await w.app.request("/api/v1/reports?ward=21439")).json()) as {
        total: number;
        items: { id: number; files: Record<string, string | null> }[];
      };
      assert.equal(list.total, 1, "one published report");
      assert.deepEqual(
        list.items[0]?.files,
        { docx: null, pdf: null, xlsx: `/bao-cao/${id}/bao-cao.xlsx`, signed: `/bao-cao/${id}/bao-cao.pdf` },
        "only the signed copy and the figures",
      );
      const pdf = await w.app.request(list.items[0]?.files.signed ?? "");
      assert.equal(pdf.status, 200, "the signed copy is public");
      assert.equal(pdf.headers.get("content-type"), "application/pdf");
      assert.match(pdf.headers.get("content-disposition") ?? "", /Bao-cao-so-01-BC-UBND\.pdf/, "named by its number");
      assert.deepEqual(
        new Uint8Array(await pdf.arrayBuffer()),
        new Uint8Array(SIGNED),
        "byte for byte what was signed",
      );
      assert.equal((await w.app.request(`/bao-cao/${id}/bao-cao.docx`)).status, 404, "no public DOCX");

      // A later activity in the quarter changes the records, not the issued report's workbook.
      await recordRadio("Bản tin bổ sung", "2024-01-05", "100", "0");
      const wb = await workbookOf(await w.app.request(list.items[0]?.files.xlsx ?? ""));
      assert.deepEqual(
        rowsOf(wb, 0).at(-1),
        ["Tổng cộng", 2, 2700, 350000],
        "the published workbook keeps the frozen figures",
      );
      const draft = await workbookOf(await office.get("/quan-tri/bao-cao/du-thao.xlsx?loai=quarter&nam=2024&quy=1"));
      assert.deepEqual(rowsOf(draft, 0).at(-1), ["Tổng cộng", 3, 2800, 350000], "a fresh draft counts the new one");
    });

    test("a report stored before the new figures (migration 022) still renders, downloads and exports", async () => {
      const saved = await office.post("/quan-tri/bao-cao", { loai: "quarter", nam: "2024", quy: "2" });
      const oldPath = (saved.headers.get("location") ?? "").replace(/\?.*$/, "");
      const oldId = Number(oldPath.split("/").pop());
      const row = await w.db.kysely
        .selectFrom("reports")
        .select("figures_json")
        .where("id", "=", oldId)
        .executeTakeFirstOrThrow();
      // Stored before migrations 022 and 023: no procedures, satisfaction, scope or training figures.
      const { procedures: _p, satisfaction: _s, scope: _scope, training: _t, ...legacy } = JSON.parse(row.figures_json);
      await w.db.kysely
        .updateTable("reports")
        .set({ figures_json: JSON.stringify(legacy) })
        .where("id", "=", oldId)
        .execute();
      const page = await office.get(oldPath);
      assert.equal(page.status, 200, "its page renders");
      const html = await page.text();
      assert.match(html, /4\. Tiếp nhận, xử lý phản ánh/, "with its sections numbered as they were");
      assert.doesNotMatch(html, /Cập nhật, công khai thủ tục hành chính/, "and nothing it did not count");
      assert.equal((await office.get(`${oldPath}/tai.docx`)).status, 200, "its DOCX renders");
      const wb = await workbookOf(await office.get(`${oldPath}/tai.xlsx`));
      assert.deepEqual(
        wb.worksheets.map((ws) => ws.name),
        ["B3 Nhiệm vụ theo đơn vị chủ trì"],
        "its workbook has its one table (no activity in that quarter: the tasks only)",
      );
    });
  });
}
