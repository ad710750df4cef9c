/**
 * A stored plan as the Decree 30 "KẾ HOẠCH" over HTTP on every database (issue 9 §4): the seed and a plan in
 * another layout are imported, downloaded as DOCX (its layout checked in the XML) and PDF (checked with poppler),
 * and the DOCX imported again through the import's upload path gives the same plan — counts, texts, units and
 * tasks (with their ids: recorded progress stays), timing, cited documents, signer. A plan with no task gives a
 * Vietnamese message and no file.
 */
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { after, before, describe, test } from "node:test";
import JSZip from "jszip";
import { sofficePath } from "../src/core/documents/pdf.ts";
import { type Browser, createWorld, logIn, pw, seedPlanText, type TestWorld, testDatabases } from "./helpers/env.ts";

const FIXTURE = path.resolve("test/fixtures/plans/plan-xa-a.txt");
const pdfTools = (() => {
  try {
    execFileSync("pdfinfo", ["-v"], { stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
})();

const htmlText = (s: string) =>
  s
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, "&");

type PlanJson = {
  id: number;
  basis: string[];
  tasks: {
    id: number;
    group: string;
    text: string;
    units: unknown[];
    dueOn: string | null;
    recurrence: string | null;
  }[];
  budget?: { total: number | null; lines: { amount: number | null; source: string | null; purpose: string }[] };
  [k: string]: unknown;
};

/** Import a plan text through the staff pages (preview, then confirm); the plan's id. */
async function importText(staff: Browser, text: string): Promise<number> {
  const preview = await staff.post("/quan-tri/ke-hoach/nhap", { text });
  assert.equal(preview.status, 200, "the preview is shown");
  const confirm = await staff.post("/quan-tri/ke-hoach/xac-nhan", { text });
  assert.equal(confirm.status, 303, "the plan is saved");
  return Number(/\/ke-hoach\/(\d+)/.exec(confirm.headers.get("location") ?? "")?.[1]);
}

async function planJson(w: TestWorld, id: number): Promise<PlanJson> {
  const res = await w.app.request(`/api/v1/plans/${id}?ward=21439`);
  assert.equal(res.status, 200, "the plan's JSON");
  return (await res.json()) as PlanJson;
}

/**
 * What must come back the same: everything but the task states, which a re-import does not touch either. Every
 * field of the plan JSON is compared, so the budget is too once plans carry one (issue 9 §2).
 */
function structure(p: PlanJson) {
  return {
    ...p,
    // Decree 30 ends the last basis with "." whatever the source put there.
    basis: p.basis.map((b) => b.replace(/[;,.]+$/u, "")),
    tasks: p.tasks.map(({ id, group, text, units, dueOn, recurrence }) => ({
      id,
      group,
      text,
      units,
      dueOn,
      recurrence,
    })),
  };
}

async function docxText(bytes: ArrayBuffer) {
  const xml = (await (await JSZip.loadAsync(new Uint8Array(bytes))).file("word/document.xml")?.async("string")) ?? "";
  return { xml, texts: [...xml.matchAll(/<w:t[^>]*>([^<]*)<\/w:t>/g)].map((m) => htmlText(m[1] ?? "")) };
}

/** The paragraph holding a text, and its run properties. */
const paragraphWith = (xml: string, text: string) =>
  [...xml.matchAll(/<w:p>.*?<\/w:p>|<w:p [^>]*>.*?<\/w:p>/gs)].map((m) => m[0]).find((p) => p.includes(`>${text}<`)) ??
  "";

for (const target of testDatabases()) {
  describe(`a plan exported as a Decree 30 KẾ HOẠCH (${target.name})`, () => {
    let w: TestWorld;
    let coordinator: Browser;
    let seedId = 0;

    before(async () => {
      w = await createWorld(target);
      await w.createStaff("dieuphoi", "coordinator", "office");
      await w.createStaff("canbo", "officer", "radio");
      coordinator = await logIn(w.app, "dieuphoi", pw("dieuphoi"));
      seedId = await importText(coordinator, seedPlanText());
    });
    after(async () => w.cleanup());

    test("the seed downloads as a DOCX in the Decree 30 layout, every part in its place", async () => {
      const officer = await logIn(w.app, "canbo", pw("canbo"));
      const res = await officer.get(`/quan-tri/ke-hoach/${seedId}/tai.docx`);
      assert.equal(res.status, 200, "every staff member may download a plan");
      assert.match(res.headers.get("content-type") ?? "", /wordprocessingml/, "a DOCX");
      assert.match(res.headers.get("content-disposition") ?? "", /attachment; filename="ke-hoach-cchc-2024-\d+\.docx"/);
      const { xml, texts } = await docxText(await res.arrayBuffer());
      const order = [
        "ỦY BAN NHÂN DÂN",
        "PHƯỜNG PHỔ MINH",
        "Số: 18/KH-UBND",
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        "Phổ Minh, ngày 19 tháng 02 năm 2024",
        "KẾ HOẠCH",
        "Tuyên truyền cải cách hành chính năm 2024 trên địa bàn phường Phổ Minh",
        "Căn cứ Quyết định số 181/QĐ-UBND ngày 29/12/2023 của UBND phường Phổ Minh về Ban hành Kế hoạch cải cách hành chính phường Phổ Minh năm 2024.",
        "I. MỤC ĐÍCH, YÊU CẦU",
        "1. Mục đích:",
        "2. Yêu cầu:",
        "II. NỘI DUNG, HÌNH THỨC THÔNG TIN, TUYÊN TRUYỀN",
        "2.1. Về cải cách thể chế:",
        "3. Hình thức tuyên truyền:",
        "III. TỔ CHỨC THỰC HIỆN",
        "1. Văn phòng – Thống kê UBND phường:",
        "4. Đài truyền thanh phường:",
        "6. Đề nghị Ủy ban Mặt trận, các đoàn thể, tổ chức chính trị - xã hội phường:",
        "Nơi nhận:",
        "- UBND thị xã;",
        "- Lưu: VT.",
        "CHỦ TỊCH",
        "Lê Duy Bảo",
      ];
      let at = -1;
      for (const part of order) {
        const next = texts.findIndex((t, i) => i > at && t === part);
        assert.ok(next > at, `"${part}" is in the document, after what comes before it`);
        at = next;
      }
      assert.match(xml, /<w:pgSz w:w="11906" w:h="16838"/, "A4 portrait");
      assert.match(xml, /<w:pgMar w:top="1134" w:right="851" w:bottom="1134" w:left="1701"/, "margins 20/15/20/30 mm");
      const type = paragraphWith(xml, "KẾ HOẠCH");
      assert.match(type, /<w:jc w:val="center"\/>/, "KẾ HOẠCH centred");
      assert.match(type, /<w:b\/>/, "and bold");
      assert.match(paragraphWith(xml, "Phổ Minh, ngày 19 tháng 02 năm 2024"), /<w:i\/>/, "the date line in italics");
      assert.match(paragraphWith(xml, order[8] as string), /<w:i\/>/, "the basis in italics");
      const recipients = paragraphWith(xml, "Nơi nhận:");
      assert.match(recipients, /<w:b\/>/, "Nơi nhận bold");
      assert.match(recipients, /<w:i\/>/, "and italic");
      assert.match(recipients, /<w:sz w:val="24"\/>/, "12 pt");
      assert.match(paragraphWith(xml, "- UBND thị xã;"), /<w:sz w:val="22"\/>/, "its list 11 pt");
      const task = paragraphWith(
        xml,
        "- Lồng ghép nội dung tuyên truyền cải cách hành chính vào chương trình, kế hoạch tuyên truyền, phổ biến, giáo dục pháp luật.",
      );
      assert.match(task, /<w:jc w:val="both"\/>/, "a task justified");
      assert.match(task, /<w:ind w:firstLine="720"\/>/, "with its first line indented");
    });

    test("the seed's DOCX imported again is the same plan: nothing lost, every task kept with its id", async () => {
      const before = await planJson(w, seedId);
      const docx = await (await coordinator.get(`/quan-tri/ke-hoach/${seedId}/tai.docx`)).arrayBuffer();
      const form = new FormData();
      form.set("file", new File([docx], "ke-hoach.docx"));
      const preview = await coordinator.post("/quan-tri/ke-hoach/nhap", form);
      assert.equal(preview.status, 200, "the export goes through the DOCX import");
      const html = await preview.text();
      assert.match(html, /Đã có kế hoạch cùng số và ngày/, "recognised as the same plan (number, date, issuer)");
      const counts = [
        `${(before.purposes as unknown[]).length} mục đích`,
        `${(before.requirements as unknown[]).length} yêu cầu`,
        `${(before.contentAreas as unknown[]).length} nhóm nội dung`,
        `${(before.channels as unknown[]).length} hình thức`,
        `${before.tasks.length} nhiệm vụ`,
        `${(before.references as unknown[]).length} văn bản dẫn chiếu`,
        `${(before.recipients as unknown[]).length} dòng nơi nhận`,
      ];
      for (const n of counts) assert.ok(html.replace(/\s+/g, " ").includes(n), `the preview reads back ${n}`);
      assert.doesNotMatch(html, /Thêm mới:|Bỏ khỏi kế hoạch|Sửa lời văn/, "no task added, removed or reworded");
      const text = htmlText(/<textarea name="text" hidden[^>]*>([\s\S]*?)<\/textarea>/.exec(html)?.[1] ?? "");
      assert.ok(text.includes("KẾ HOẠCH"), "the preview carries the export's text");
      const confirm = await coordinator.post("/quan-tri/ke-hoach/xac-nhan", { text });
      assert.equal(confirm.status, 303, "saved");
      assert.match(
        confirm.headers.get("location") ?? "",
        new RegExp(`/ke-hoach/${seedId}\\?ket-qua=updated`),
        "onto the same plan",
      );
      const after = await planJson(w, seedId);
      assert.deepEqual(structure(after), structure(before), "the same plan, field by field");
      assert.equal(after.tasks.length, 16, "the seed's 16 tasks");
    });

    test("a plan in another layout (plain text, two-column header, KT. signer) comes back the same", async () => {
      const id = await importText(coordinator, fs.readFileSync(FIXTURE, "utf8"));
      const before = await planJson(w, id);
      assert.ok(before.tasks.length > 0, "the fixture has tasks");
      const docx = await (await coordinator.get(`/quan-tri/ke-hoach/${id}/tai.docx`)).arrayBuffer();
      const { texts } = await docxText(docx);
      for (const part of ["XÃ ĐÔ LƯƠNG", "Số: 07/KH-UBND", "KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH"])
        assert.ok(texts.includes(part), `the DOCX holds "${part}"`);
      const form = new FormData();
      form.set("file", new File([docx], "ke-hoach.docx"));
      const html = await (await coordinator.post("/quan-tri/ke-hoach/nhap", form)).text();
      const text = htmlText(/<textarea name="text" hidden[^>]*>([\s\S]*?)<\/textarea>/.exec(html)?.[1] ?? "");
      const confirm = await coordinator.post("/quan-tri/ke-hoach/xac-nhan", { text });
      assert.match(
        confirm.headers.get("location") ?? "",
        new RegExp(`/ke-hoach/${id}\\?ket-qua=updated`),
        "the same plan",
      );
      assert.deepEqual(structure(await planJson(w, id)), structure(before), "field by field");
    });

    test("the PDF: A4, fonts embedded, the plan's text in reading order with Vietnamese intact", {
      skip: sofficePath() && pdfTools ? false : "LibreOffice or poppler-utils not installed",
      timeout: 120_000,
    }, async () => {
      const res = await coordinator.get(`/quan-tri/ke-hoach/${seedId}/tai.pdf`);
      assert.equal(res.status, 200, "the PDF is served");
      assert.equal(res.headers.get("content-type"), "application/pdf");
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), "cchc-plan-pdf-"));
      try {
        const file = path.join(dir, "k.pdf");
        fs.writeFileSync(file, new Uint8Array(await res.arrayBuffer()));
        const info = execFileSync("pdfinfo", [file], { encoding: "utf8" });
        assert.match(info, /Page size:\s+595(\.\d+)? x 84[12](\.\d+)? pts \(A4\)/, "A4");
        const fonts = execFileSync("pdffonts", [file], { encoding: "utf8" }).split("\n").slice(2).filter(Boolean);
        for (const f of fonts) assert.match(f, /\syes\s+yes\s+(yes|no)\s+\d+\s+\d+\s*$/, `embedded: ${f}`);
        const text = execFileSync("pdftotext", [file, "-"], { encoding: "utf8" }).normalize("NFC").replace(/\s+/g, " ");
        const order = [
          "KẾ HOẠCH",
          "Tuyên truyền cải cách hành chính năm 2024 trên địa bàn phường Phổ Minh",
          "I. MỤC ĐÍCH, YÊU CẦU",
          "III. TỔ CHỨC THỰC HIỆN",
          "Đài truyền thanh phường:",
          "Nơi nhận:",
          "Lê Duy Bảo",
        ].map((t) => text.indexOf(t));
        assert.ok(
          order.every((i) => i >= 0),
          `every part present: ${order}`,
        );
        assert.deepEqual(
          order,
          [...order].sort((a, b) => a - b),
          "in reading order",
        );
      } finally {
        fs.rmSync(dir, { recursive: true, force: true });
      }
    });

    test("a plan with no task gives a Vietnamese message and no file", async () => {
      const seed = seedPlanText();
      const noTasks = seed
        .replace("Số: 18 /KH-UBND", "Số: 19 /KH-UBND")
        .replace(/## \*\*IV\. TỔ CHỨC THỰC HIỆN\*\*[\s\S]*?(?=Trên đây là kế hoạch)/u, "");
      assert.ok(!noTasks.includes("TỔ CHỨC THỰC HIỆN"), "the fixture lost its section IV");
      const id = await importText(coordinator, noTasks);
      for (const ext of ["docx", "pdf"]) {
        const res = await coordinator.get(`/quan-tri/ke-hoach/${id}/tai.${ext}`);
        assert.equal(res.status, 409, `no ${ext}`);
        assert.match(res.headers.get("content-type") ?? "", /text\/html/, "a page, not a file");
        assert.match(await res.text(), /Kế hoạch chưa có nhiệm vụ nào được giao cho các đơn vị/, "saying why");
      }
    });

    test("another ward's plan is not found; anonymous callers are sent to log in", async () => {
      const anonymous = await w.app.request(`/quan-tri/ke-hoach/${seedId}/tai.docx`);
      assert.notEqual(anonymous.status, 200, "no file without a login");
      const missing = await coordinator.get("/quan-tri/ke-hoach/999999/tai.docx");
      assert.equal(missing.status, 404, "an unknown plan");
    });

    test("a plan with a budget section comes back with the same budget lines and total", async () => {
      const withBudget = seedPlanText().replace(
        /\nTrên đây là kế hoạch/u,
        `\n## **V. KINH PHÍ THỰC HIỆN**\n\nTổng kinh phí thực hiện Kế hoạch: 12.000.000 đồng, từ nguồn ngân sách phường năm 2024, trong đó:\n\n- Sản xuất chương trình phát thanh về cải cách hành chính: 4.000.000 đồng;\n\n- In pa nô, tờ rơi tuyên truyền: 8.000.000 đồng.\n\nTrên đây là kế hoạch`,
      );
      const id = await importText(coordinator, withBudget);
      const before = await planJson(w, id);
      assert.equal(before.budget?.total, 12_000_000, "the budget is read from the text");
      assert.equal(before.budget?.lines.length, 2, "two lines");
      const docx = await (await coordinator.get(`/quan-tri/ke-hoach/${id}/tai.docx`)).arrayBuffer();
      const { texts } = await docxText(docx);
      assert.ok(
        texts.some((t) => /KINH PHÍ THỰC HIỆN/.test(t)),
        "the DOCX has the budget section",
      );
      const form = new FormData();
      form.set("file", new File([docx], "ke-hoach.docx"));
      const html = await (await coordinator.post("/quan-tri/ke-hoach/nhap", form)).text();
      const text = htmlText(/<textarea name="text" hidden[^>]*>([\s\S]*?)<\/textarea>/.exec(html)?.[1] ?? "");
      const confirm = await coordinator.post("/quan-tri/ke-hoach/xac-nhan", { text });
      assert.match(confirm.headers.get("location") ?? "", new RegExp(`/ke-hoach/${id}\\?`), "the same plan");
      assert.deepEqual((await planJson(w, id)).budget, before.budget, "the same budget, line by line");
    });
  });
}
