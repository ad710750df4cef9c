/**
 * The Decree 30 layout, checked field by field in the DOCX XML (sizes, styles, margins, alignment), and — where
 * LibreOffice is installed (always under CI) — in the PDF made from it: A4, fonts embedded, text in reading order,
 * Vietnamese intact, page numbers from page 2.
 */
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, test } from "node:test";
import JSZip from "jszip";
import type { AdminDocument } from "./admin-document.ts";
import { LAYOUT, renderDocx } from "./docx-writer.ts";
import { docxToPdf, sofficePath } from "./pdf.ts";

const inCI = /^(1|true|yes)$/i.test(process.env.CI ?? "");

const report: AdminDocument = {
  superior: null,
  issuer: ["ỦY BAN NHÂN DÂN", "PHƯỜNG ĐỨC PHỔ"],
  number: 7,
  symbol: "BC-UBND",
  place: "Đức Phổ",
  date: "2024-03-15",
  year: 2024,
  type: "BÁO CÁO",
  title: "Kết quả công tác tuyên truyền cải cách hành chính quý I năm 2024",
  addressees: ["Ủy ban nhân dân tỉnh Quảng Ngãi"],
  basis: ["Căn cứ Kế hoạch số 18/KH-UBND ngày 19/02/2024 của UBND phường Phổ Minh"],
  body: [
    { kind: "heading", level: 1, text: "I. KẾT QUẢ THỰC HIỆN" },
    { kind: "heading", level: 2, text: "1. Tuyên truyền trên hệ thống đài truyền thanh" },
    {
      kind: "paragraph",
      text: "Đài truyền thanh phường đã phát 24 tin, bài về cải cách hành chính, thủ tục hành chính.",
    },
    { kind: "bullet", text: "Hội nghị, tập huấn: 2 cuộc, 150 lượt người tham dự." },
    {
      kind: "table",
      caption: "Bảng 1. Hoạt động theo hình thức",
      header: ["Hình thức", "Số hoạt động", "Số người", "Kinh phí (đồng)"],
      rows: [
        ["Đài truyền thanh", 24, 0, 1200000],
        ["Hội nghị, tập huấn", 2, 150, 3500000],
      ],
    },
    { kind: "heading", level: 1, text: "II. TỒN TẠI, HẠN CHẾ VÀ NGUYÊN NHÂN" },
    ...Array.from({ length: 30 }, (_, i) => ({
      kind: "paragraph" as const,
      text: `Đoạn ${i + 1}: việc niêm yết công khai thủ tục hành chính tại bộ phận một cửa đôi khi chưa kịp thời; người dân ở tổ dân phố xa chưa tiếp cận đầy đủ thông tin về dịch vụ công trực tuyến.`,
    })),
  ],
  signature: {
    authority: "TM. ỦY BAN NHÂN DÂN",
    onBehalfOf: "KT. CHỦ TỊCH",
    position: "PHÓ CHỦ TỊCH",
    name: "Nguyễn Văn An",
  },
  distribution: ["Như trên", "TT Đảng ủy, HĐND phường"],
};

/** The XML of the `<w:p>` whose text contains `text`. */
function paragraphWith(xml: string, text: string): string {
  for (const m of xml.matchAll(/<w:p[ >].*?<\/w:p>/gs)) {
    const plain = [...m[0].matchAll(/<w:t[^>]*>([^<]*)<\/w:t>/g)].map((t) => t[1]).join("");
    if (plain.includes(text)) return m[0];
  }
  assert.fail(`no paragraph contains ${JSON.stringify(text)}`);
}
const runProps = (p: string) => /<w:rPr>(.*?)<\/w:rPr>/s.exec(p)?.[1] ?? "";
const size = (p: string) => Number(/<w:sz w:val="(\d+)"/.exec(runProps(p))?.[1]);
const has = (props: string, tag: string) => new RegExp(`<w:${tag}(/>| w:val="(true|1)"/>)`).test(props);

describe("the Decree 30 DOCX layout", async () => {
  const bytes = await renderDocx(report);
  const zip = await JSZip.loadAsync(bytes);
  const xml = (await zip.file("word/document.xml")?.async("string")) ?? "";
  const headers = await Promise.all(
    Object.keys(zip.files)
      .filter((n) => /^word\/header\d+\.xml$/.test(n))
      .map(async (n) => (await zip.file(n)?.async("string")) ?? ""),
  );

  test("A4 portrait with margins 20/20/30/15 mm and a distinct first page", () => {
    assert.match(xml, /<w:pgSz w:w="11906" w:h="16838"/, "A4 portrait");
    const mar = /<w:pgMar ([^>]*)\/>/.exec(xml)?.[1] ?? "";
    assert.match(mar, /w:top="1134"/, "top 20 mm");
    assert.match(mar, /w:bottom="1134"/, "bottom 20 mm");
    assert.match(mar, /w:left="1701"/, "left 30 mm");
    assert.match(mar, /w:right="851"/, "right 15 mm");
    assert.match(xml, /<w:titlePg\/>|<w:titlePg w:val="(true|1)"\/>/, "first page has its own (empty) header");
  });

  test("page numbers centred in the header of pages after the first, none on the first", () => {
    const withPage = headers.filter((h) => /PAGE/.test(h));
    assert.equal(withPage.length, 1, "one header carries the page field");
    assert.match(withPage[0] ?? "", /<w:jc w:val="center"\/>/, "centred");
    assert.match(withPage[0] ?? "", /<w:sz w:val="26"\/>/, "13 pt");
    assert.ok(
      headers.some((h) => !/PAGE/.test(h)),
      "the first page's header is empty",
    );
  });

  test("Times New Roman everywhere, 14 pt body", () => {
    const fonts = new Set([...xml.matchAll(/w:ascii="([^"]+)"/g)].map((m) => m[1]));
    assert.deepEqual([...fonts], ["Times New Roman"], "one font");
    assert.equal(size(paragraphWith(xml, "Đài truyền thanh phường đã phát")), LAYOUT.bodySize, "14 pt body");
  });

  test("the header: issuer bold 13 pt, number upright, Quốc hiệu bold, motto underlined, date italic", () => {
    const issuer = paragraphWith(xml, "PHƯỜNG ĐỨC PHỔ");
    assert.ok(has(runProps(issuer), "b"), "issuer bold");
    assert.equal(size(issuer), 26, "issuer 13 pt");
    const number = paragraphWith(xml, "Số: 07/BC-UBND");
    assert.ok(!has(runProps(number), "b") && !has(runProps(number), "i"), "number upright, not bold");
    const nation = paragraphWith(xml, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM");
    assert.ok(has(runProps(nation), "b"), "Quốc hiệu bold");
    const motto = paragraphWith(xml, "Độc lập - Tự do - Hạnh phúc");
    assert.match(runProps(motto), /<w:u w:val="single"\/>/, "the motto's line is its underline");
    const date = paragraphWith(xml, "Đức Phổ, ngày 15 tháng 3 năm 2024");
    assert.ok(has(runProps(date), "i"), "date line italic");
    assert.match(date, /<w:jc w:val="center"\/>/, "centred");
    const order = ["ỦY BAN NHÂN DÂN", "Số: 07/BC-UBND", "CỘNG HÒA", "Độc lập", "Đức Phổ, ngày"].map((t) =>
      xml.indexOf(t),
    );
    assert.deepEqual(
      order,
      [...order].sort((a, b) => a - b),
      "left column then right column",
    );
  });

  test("type and summary bold and centred; Kính gửi; bases italic; body justified with a 1.27 cm first line", () => {
    for (const t of ["BÁO CÁO", "Kết quả công tác tuyên truyền"]) {
      const p = paragraphWith(xml, t);
      assert.ok(has(runProps(p), "b"), `${t} bold`);
      assert.match(p, /<w:jc w:val="center"\/>/, `${t} centred`);
    }
    assert.match(xml, /Kính gửi: Ủy ban nhân dân tỉnh Quảng Ngãi\./, "one addressee on the line");
    const basis = paragraphWith(xml, "Căn cứ Kế hoạch số 18/KH-UBND");
    assert.ok(has(runProps(basis), "i"), "bases italic");
    assert.match(basis, /ngày 19\/02\/2024 của UBND phường Phổ Minh\.<\/w:t>/, "the last basis ends with '.'");
    const bodyP = paragraphWith(xml, "Đài truyền thanh phường đã phát");
    assert.match(bodyP, /<w:jc w:val="both"\/>/, "justified");
    assert.match(bodyP, /w:firstLine="720"/, "first-line indent 1.27 cm");
    assert.match(bodyP, /w:after="120"/, "6 pt after");
    assert.ok(has(runProps(paragraphWith(xml, "I. KẾT QUẢ THỰC HIỆN")), "b"), "section heading bold");
  });

  test("figures: header bold, numbers right-aligned in Vietnamese notation", () => {
    const header = paragraphWith(xml, "Số hoạt động");
    assert.ok(has(runProps(header), "b"), "header bold");
    const money = paragraphWith(xml, "1.200.000");
    assert.match(money, /<w:jc w:val="right"\/>/, "numbers right-aligned");
    assert.equal(size(money), 24, "12 pt in tables");
  });

  test("signature block: TM./KT. and position bold; Nơi nhận bold italic 12 pt; its list 11 pt ending with Lưu: VT.", () => {
    for (const t of ["TM. ỦY BAN NHÂN DÂN", "KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH", "Nguyễn Văn An"]) {
      const p = paragraphWith(xml, t);
      assert.ok(has(runProps(p), "b"), `${t} bold`);
      assert.match(p, /<w:jc w:val="center"\/>/, `${t} centred`);
    }
    const title = paragraphWith(xml, "Nơi nhận:");
    assert.ok(has(runProps(title), "b") && has(runProps(title), "i"), "Nơi nhận bold italic");
    assert.equal(size(title), 24, "12 pt");
    assert.equal(size(paragraphWith(xml, "- Như trên;")), 22, "the list 11 pt");
    assert.ok(xml.includes("- Lưu: VT.</w:t>"), "the archive line closes the list");
  });

  test("Vietnamese is stored composed (NFC), never decomposed", async () => {
    const decomposed = { ...report, title: report.title.normalize("NFD") };
    const x =
      (await (await JSZip.loadAsync(await renderDocx(decomposed))).file("word/document.xml")?.async("string")) ?? "";
    assert.ok(x.includes(report.title.normalize("NFC")), "the title arrives composed");
    assert.ok(!/[\u0300-\u036f]/.test(x), "no combining marks");
  });

  const soffice = sofficePath();
  const pdfTools = (() => {
    try {
      execFileSync("pdfinfo", ["-v"], { stdio: "ignore" });
      return true;
    } catch {
      return false;
    }
  })();
  if (inCI) {
    test("under CI, LibreOffice and poppler-utils are installed", () => {
      assert.ok(soffice, "LibreOffice (libreoffice-writer-nogui) is installed");
      assert.ok(pdfTools, "poppler-utils is installed");
    });
  }
  test("the PDF: A4, fonts embedded, text in reading order with Vietnamese intact, numbered from page 2", {
    skip: soffice && pdfTools ? false : "LibreOffice or poppler-utils not installed",
    timeout: 120_000,
  }, async () => {
    const pdf = await docxToPdf(bytes);
    const dir = mkdtempSync(path.join(os.tmpdir(), "cchc-pdf-test-"));
    try {
      const file = path.join(dir, "r.pdf");
      writeFileSync(file, pdf);
      const info = execFileSync("pdfinfo", [file], { encoding: "utf8" });
      assert.match(info, /Page size:\s+595(\.\d+)? x 84[12](\.\d+)? pts \(A4\)/, "A4");
      const pages = Number(/Pages:\s+(\d+)/.exec(info)?.[1]);
      assert.ok(pages >= 2, `the long report runs over two pages (${pages})`);
      const fonts = execFileSync("pdffonts", [file], { encoding: "utf8" }).split("\n").slice(2).filter(Boolean);
      assert.ok(fonts.length > 0, "fonts listed");
      for (const f of fonts) {
        assert.match(f, /(TimesNewRoman|LiberationSerif)/, `a serif metric-compatible with Times New Roman: ${f}`);
        assert.match(f, /\syes\s+yes\s+(yes|no)\s+\d+\s+\d+\s*$/, `embedded and subset: ${f}`);
      }
      const text = execFileSync("pdftotext", ["-layout", file, "-"], { encoding: "utf8" }).normalize("NFC");
      const order = [
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "BÁO CÁO",
        "Kính gửi: Ủy ban nhân dân tỉnh Quảng Ngãi.",
        "I. KẾT QUẢ THỰC HIỆN",
        "Nơi nhận:",
        "Nguyễn Văn An",
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
      const firstPage = execFileSync("pdftotext", ["-f", "1", "-l", "1", file, "-"], { encoding: "utf8" });
      const secondPage = execFileSync("pdftotext", ["-f", "2", "-l", "2", file, "-"], { encoding: "utf8" });
      assert.match(secondPage.trimStart(), /^2\s/, "page 2 starts with its number");
      assert.ok(!/^\s*1\s*$/m.test(firstPage.split("\n").slice(0, 3).join("\n")), "no number on page 1");
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
