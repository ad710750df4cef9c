import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { test } from "node:test";
import {
  AlignmentType,
  Document,
  LevelFormat,
  Packer,
  Paragraph,
  Tab,
  Table,
  TableCell,
  TableRow,
  TextRun,
  WidthType,
} from "docx";
import { makeZip, type ZipInput } from "../../../test/helpers/zip.ts";
import { docxToPlanText, MAX_DOCUMENT_XML_BYTES, MAX_DOCX_BYTES } from "./docx-text.ts";

// ---------------------------------------------------------------------------------------------------------------
// Helpers

const NUMBERING_CONFIG = [
  {
    reference: "plan",
    levels: [
      { level: 0, format: LevelFormat.UPPER_ROMAN, text: "%1.", alignment: AlignmentType.LEFT },
      { level: 1, format: LevelFormat.DECIMAL, text: "%2." },
      { level: 2, format: LevelFormat.DECIMAL, text: "%2.%3." },
    ],
  },
  { reference: "bullets", levels: [{ level: 0, format: LevelFormat.BULLET, text: "•" }] },
];

type Children = ConstructorParameters<typeof Document>[0]["sections"][number]["children"];

async function build(
  children: Children,
  extra: Partial<ConstructorParameters<typeof Document>[0]> = {},
): Promise<Buffer> {
  const doc = new Document({ numbering: { config: NUMBERING_CONFIG }, ...extra, sections: [{ children }] });
  return Packer.toBuffer(doc);
}

const num = (reference: string, level: number, text: string, bold = false) =>
  new Paragraph({ children: [new TextRun({ text, bold })], numbering: { reference, level } });
const plain = (text: string, bold = false) => new Paragraph({ children: [new TextRun({ text, bold })] });

/** Blocks as the extractor writes them: separated by a blank line, ending with a newline. */
const planText = (blocks: string[]) => `${blocks.join("\n\n")}\n`;

async function textOf(buf: Buffer, options?: { markBold?: boolean }): Promise<string> {
  const r = await docxToPlanText(buf, options);
  if (!r.ok) assert.fail(`expected ok, got error: ${r.error}`);
  return r.text;
}

async function refused(buf: Buffer, pattern: RegExp): Promise<string> {
  const r = await docxToPlanText(buf);
  assert.equal(r.ok, false, "expected a refusal");
  if (r.ok) throw new Error("unreachable");
  assert.match(r.error, pattern);
  return r.error;
}

const W_NS = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"';
const MC_NS = 'xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006"';

/** A DOCX from hand-written WordprocessingML: `body` goes inside w:body. */
function handMadeDocx(parts: { body: string; numbering?: string; styles?: string }): Buffer {
  const entries: ZipInput[] = [
    {
      name: "word/document.xml",
      data: Buffer.from(
        `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<w:document ${W_NS} ${MC_NS}><w:body>${parts.body}</w:body></w:document>`,
      ),
    },
  ];
  if (parts.numbering) {
    entries.push({
      name: "word/numbering.xml",
      data: Buffer.from(`<w:numbering ${W_NS}>${parts.numbering}</w:numbering>`),
    });
  }
  if (parts.styles) {
    entries.push({ name: "word/styles.xml", data: Buffer.from(`<w:styles ${W_NS}>${parts.styles}</w:styles>`) });
  }
  return makeZip(entries);
}

const p = (text: string, pPr = "") =>
  `<w:p><w:pPr>${pPr}</w:pPr><w:r><w:t xml:space="preserve">${text}</w:t></w:r></w:p>`;
const numPr = (numId: number, ilvl?: number) =>
  `<w:numPr>${ilvl === undefined ? "" : `<w:ilvl w:val="${ilvl}"/>`}<w:numId w:val="${numId}"/></w:numPr>`;
const lvl = (ilvl: number, fmt: string, text: string, extra = "") =>
  `<w:lvl w:ilvl="${ilvl}"><w:start w:val="1"/><w:numFmt w:val="${fmt}"/><w:lvlText w:val="${text}"/>${extra}</w:lvl>`;

// ---------------------------------------------------------------------------------------------------------------
// Numbering from a docx-built plan

test("a plan built with Word numbering keeps its section labels, bullets and counter resets", async () => {
  const buf = await build([
    new Table({
      width: { size: 100, type: WidthType.PERCENTAGE },
      rows: [
        new TableRow({
          children: [
            new TableCell({ children: [plain("UBND PHƯỜNG PHỔ MINH", true)] }),
            new TableCell({
              children: [plain("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", true), plain("Độc lập - Tự do - Hạnh phúc", true)],
            }),
          ],
        }),
        new TableRow({
          children: [
            new TableCell({ children: [plain("Số: 18/KH-UBND")] }),
            new TableCell({ children: [plain("Phổ Minh, ngày 19 tháng 02 năm 2024")] }),
          ],
        }),
      ],
    }),
    plain("KẾ HOẠCH", true),
    plain("Tuyên truyền cải cách hành chính năm 2024", true),
    plain("Căn cứ Quyết định số 181/QĐ-UBND ngày 29/12/2023 của UBND phường Phổ Minh."),
    num("plan", 0, "MỤC ĐÍCH, YÊU CẦU", true),
    num("plan", 1, "Mục đích:", true),
    num("bullets", 0, "Tuyên truyền, phổ biến, nâng cao nhận thức."),
    num("bullets", 0, "Tăng cường các hoạt động tuyên truyền."),
    num("plan", 1, "Yêu cầu:", true),
    num("bullets", 0, "Đẩy mạnh công tác tuyên truyền."),
    num("plan", 0, "NỘI DUNG, HÌNH THỨC THÔNG TIN, TUYÊN TRUYỀN", true),
    num("plan", 1, "Các văn bản của các cấp về công tác cải cách thủ tục hành chính:"),
    num("plan", 1, "Một số nội dung cơ bản:"),
    num("plan", 2, "Về cải cách thể chế:"),
    num("bullets", 0, "Tuyên truyền việc nâng cao chất lượng xây dựng văn bản."),
    num("plan", 2, "Về cải cách thủ tục hành chính:"),
    num("plan", 0, "HÌNH THỨC TUYÊN TRUYỀN", true),
    num("plan", 1, "Thông qua các phương tiện thông tin đại chúng."),
    num("plan", 2, "Đài truyền thanh phường."),
    num("plan", 0, "TỔ CHỨC THỰC HIỆN", true),
  ]);
  assert.equal(
    await textOf(buf),
    planText([
      "**UBND PHƯỜNG PHỔ MINH**",
      "**CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM**",
      "**Độc lập - Tự do - Hạnh phúc**",
      "Số: 18/KH-UBND",
      "Phổ Minh, ngày 19 tháng 02 năm 2024",
      "**KẾ HOẠCH**",
      "**Tuyên truyền cải cách hành chính năm 2024**",
      "Căn cứ Quyết định số 181/QĐ-UBND ngày 29/12/2023 của UBND phường Phổ Minh.",
      "**I. MỤC ĐÍCH, YÊU CẦU**",
      "**1. Mục đích:**",
      "- Tuyên truyền, phổ biến, nâng cao nhận thức.",
      "- Tăng cường các hoạt động tuyên truyền.",
      "**2. Yêu cầu:**",
      "- Đẩy mạnh công tác tuyên truyền.",
      "**II. NỘI DUNG, HÌNH THỨC THÔNG TIN, TUYÊN TRUYỀN**",
      "1. Các văn bản của các cấp về công tác cải cách thủ tục hành chính:",
      "2. Một số nội dung cơ bản:",
      "2.1. Về cải cách thể chế:",
      "- Tuyên truyền việc nâng cao chất lượng xây dựng văn bản.",
      "2.2. Về cải cách thủ tục hành chính:",
      "**III. HÌNH THỨC TUYÊN TRUYỀN**",
      "1. Thông qua các phương tiện thông tin đại chúng.",
      "1.1. Đài truyền thanh phường.",
      "**IV. TỔ CHỨC THỰC HIỆN**",
    ]),
  );
});

test("markBold: false gives plain labels", async () => {
  const buf = await build([num("plan", 0, "MỤC ĐÍCH, YÊU CẦU", true), num("plan", 1, "Mục đích:", true)]);
  assert.equal(await textOf(buf, { markBold: false }), "I. MỤC ĐÍCH, YÊU CẦU\n\n1. Mục đích:\n");
});

test("a list that restarts, and a separate instance of the same numbering, count from 1 again", async () => {
  const buf = await build([
    num("plan", 0, "Một"),
    num("plan", 0, "Hai"),
    new Paragraph({ text: "Lại một", numbering: { reference: "plan", level: 0, restart: true } }),
    num("plan", 0, "Lại hai"),
    new Paragraph({ text: "Danh sách khác", numbering: { reference: "plan", level: 0, instance: 7 } }),
    new Paragraph({ text: "Danh sách khác, hai", numbering: { reference: "plan", level: 0, instance: 7 } }),
  ]);
  assert.equal(
    await textOf(buf),
    "I. Một\n\nII. Hai\n\nI. Lại một\n\nII. Lại hai\n\nI. Danh sách khác\n\nII. Danh sách khác, hai\n",
  );
});

test("numbering inherited from a paragraph style (as Heading styles carry it)", async () => {
  const buf = await build(
    [
      new Paragraph({ text: "MỤC ĐÍCH", style: "KHMuc" }),
      new Paragraph({ text: "Mục đích:", style: "KHTieuMuc" }),
      new Paragraph({ text: "Yêu cầu:", style: "KHTieuMuc" }),
      new Paragraph({ text: "NỘI DUNG", style: "KHMuc" }),
      new Paragraph({ text: "Văn bản:", style: "KHTieuMuc" }),
    ],
    {
      styles: {
        paragraphStyles: [
          { id: "KHMuc", name: "KH Muc", paragraph: { numbering: { reference: "plan", level: 0 } } },
          { id: "KHTieuMuc", name: "KH Tieu Muc", paragraph: { numbering: { reference: "plan", level: 1 } } },
        ],
      },
    },
  );
  assert.equal(await textOf(buf), "I. MỤC ĐÍCH\n\n1. Mục đích:\n\n2. Yêu cầu:\n\nII. NỘI DUNG\n\n1. Văn bản:\n");
});

test("start values and letter formats", async () => {
  const buf = await build([num("letters", 0, "ba"), num("letters", 0, "bốn"), num("letters", 1, "năm")], {
    numbering: {
      config: [
        {
          reference: "letters",
          levels: [
            { level: 0, format: LevelFormat.LOWER_LETTER, text: "%1)", start: 3 },
            { level: 1, format: LevelFormat.UPPER_LETTER, text: "%1.%2", start: 5 },
          ],
        },
      ],
    },
  });
  assert.equal(await textOf(buf), "c) ba\n\nd) bốn\n\nd.E năm\n");
});

test("tabs become a space, line breaks a newline inside the block", async () => {
  const buf = await build([
    new Paragraph({ children: [new TextRun({ children: ["Số:", new Tab(), "18/KH-UBND"] })] }),
    new Paragraph({ children: [new TextRun("KẾ HOẠCH"), new TextRun({ text: "Tuyên truyền năm 2024", break: 1 })] }),
    num("plan", 0, "Dòng một"),
  ]);
  assert.equal(await textOf(buf), "Số: 18/KH-UBND\n\nKẾ HOẠCH\nTuyên truyền năm 2024\n\nI. Dòng một\n");
});

test("output is NFC and XML entities are decoded", async () => {
  const decomposed = "Mục đích, yêu cầu & “nội dung” <kế hoạch>".normalize("NFD");
  assert.notEqual(decomposed, decomposed.normalize("NFC"));
  const text = await textOf(await build([num("plan", 0, decomposed)]));
  assert.equal(text, "I. Mục đích, yêu cầu & “nội dung” <kế hoạch>\n".normalize("NFC"));
  assert.equal(text, text.normalize("NFC"));
});

// ---------------------------------------------------------------------------------------------------------------
// Numbering details Word writes that the docx package does not

test("startOverride, lvlRestart, isLgl, shared counters and numId 0 (hand-made numbering.xml)", async () => {
  const numbering = [
    `<w:abstractNum w:abstractNumId="10">${lvl(0, "upperRoman", "%1.")}${lvl(1, "decimal", "%1.%2.", "<w:isLgl/>")}${lvl(2, "lowerLetter", "%3)", '<w:lvlRestart w:val="0"/>')}</w:abstractNum>`,
    `<w:abstractNum w:abstractNumId="20">${lvl(0, "bullet", "\uF0B7")}${lvl(1, "none", "")}</w:abstractNum>`,
    // Two w:num on one abstractNum without overrides share the counters: the second continues the first.
    `<w:num w:numId="1"><w:abstractNumId w:val="10"/></w:num>`,
    `<w:num w:numId="2"><w:abstractNumId w:val="10"/></w:num>`,
    // A w:num restarting at 5 is a list of its own.
    `<w:num w:numId="3"><w:abstractNumId w:val="10"/><w:lvlOverride w:ilvl="0"><w:startOverride w:val="5"/></w:lvlOverride></w:num>`,
    `<w:num w:numId="4"><w:abstractNumId w:val="20"/></w:num>`,
  ].join("");
  const styles = `<w:style w:type="paragraph" w:styleId="Heading1"><w:pPr>${numPr(1, 0)}</w:pPr><w:rPr><w:b/></w:rPr></w:style>`;
  const body = [
    p("Một", numPr(1, 0)),
    p("con a", numPr(1, 2)),
    p("con b", numPr(1, 2)),
    p("Một.một", numPr(1, 1)),
    p("Hai", numPr(2, 0)), // shared counter: II
    p("con c (no restart)", numPr(2, 2)), // lvlRestart 0: keeps counting
    p("Hai.một", numPr(2, 1)), // isLgl: "2.1." not "II.1."
    p("Năm", numPr(3, 0)),
    p("Sáu", numPr(3, 0)),
    p("Ba", numPr(1, 0)), // back to the shared list
    p("Tiêu đề", '<w:pStyle w:val="Heading1"/>'), // style numbering: IV, bold
    p("Không đánh số", `<w:pStyle w:val="Heading1"/>${numPr(0)}`), // numId 0 removes the style's numbering
    p("Gạch đầu dòng", numPr(4, 0)),
    p("Không nhãn", numPr(4, 1)),
    p("Không có định nghĩa", numPr(99, 0)),
  ].join("");
  const text = await textOf(handMadeDocx({ body, numbering, styles }));
  assert.equal(
    text,
    planText([
      "I. Một",
      "a) con a",
      "b) con b",
      "1.1. Một.một",
      "II. Hai",
      "c) con c (no restart)",
      "2.1. Hai.một",
      "V. Năm",
      "VI. Sáu",
      "III. Ba",
      "**IV. Tiêu đề**",
      "**Không đánh số**",
      "- Gạch đầu dòng",
      "Không nhãn",
      "Không có định nghĩa",
    ]),
  );
});

test("numStyleLink, style level lookup, tracked changes, hidden text, field codes, text boxes", async () => {
  const numbering = [
    `<w:abstractNum w:abstractNumId="1"><w:numStyleLink w:val="KHList"/></w:abstractNum>`,
    `<w:abstractNum w:abstractNumId="2"><w:styleLink w:val="KHList"/>${lvl(0, "upperRoman", "%1.", '<w:pStyle w:val="H1"/>')}${lvl(1, "decimal", "%2.", '<w:pStyle w:val="H2"/>')}</w:abstractNum>`,
    `<w:num w:numId="1"><w:abstractNumId w:val="1"/></w:num>`,
    `<w:num w:numId="2"><w:abstractNumId w:val="2"/></w:num>`,
  ].join("");
  const styles = [
    `<w:style w:type="numbering" w:styleId="KHList"><w:pPr>${numPr(2)}</w:pPr></w:style>`,
    `<w:style w:type="paragraph" w:styleId="H1"><w:pPr>${numPr(2)}</w:pPr></w:style>`,
    `<w:style w:type="paragraph" w:styleId="H2"><w:basedOn w:val="H1"/></w:style>`,
  ].join("");
  const body = [
    p("Qua liên kết kiểu", numPr(1, 0)),
    p("Mức theo kiểu", '<w:pStyle w:val="H2"/>'),
    `<w:p><w:r><w:t>Giữ </w:t></w:r><w:del><w:r><w:delText>bỏ </w:delText></w:r></w:del><w:ins><w:r><w:t>thêm </w:t></w:r></w:ins>` +
      `<w:r><w:rPr><w:vanish/></w:rPr><w:t>ẩn </w:t></w:r><w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText> PAGE </w:instrText></w:r>` +
      `<w:r><w:fldChar w:fldCharType="separate"/></w:r><w:r><w:t>7</w:t></w:r><w:r><w:fldChar w:fldCharType="end"/></w:r>` +
      `<w:hyperlink><w:r><w:t xml:space="preserve"> liên kết</w:t></w:r></w:hyperlink></w:p>`,
    `<w:p><w:r><w:t>Neo</w:t></w:r><w:r><mc:AlternateContent><mc:Choice Requires="wps"><w:drawing><w:txbxContent>${p("Trong hộp")}</w:txbxContent></w:drawing></mc:Choice>` +
      `<mc:Fallback><w:pict><w:txbxContent>${p("Trong hộp")}</w:txbxContent></w:pict></mc:Fallback></mc:AlternateContent></w:r></w:p>`,
    `<w:sdt><w:sdtPr><w:alias w:val="x"/></w:sdtPr><w:sdtContent>${p("Trong điều khiển nội dung")}</w:sdtContent></w:sdt>`,
    `<w:p><w:r><w:t>&#7841; &#x1EA1; &amp;amp; <![CDATA[<b>]]></w:t></w:r></w:p>`,
  ].join("");
  assert.equal(
    await textOf(handMadeDocx({ body, numbering, styles })),
    planText([
      "I. Qua liên kết kiểu",
      "1. Mức theo kiểu",
      "Giữ thêm 7 liên kết",
      "Neo",
      "Trong hộp",
      "Trong điều khiển nội dung",
      "ạ ạ &amp; <b>",
    ]),
  );
});

test("nested tables and a document without numbering.xml or styles.xml", async () => {
  const body =
    `<w:tbl><w:tr><w:tc>${p("Trái")}</w:tc><w:tc><w:tbl><w:tr><w:tc>${p("Lồng 1")}</w:tc><w:tc>${p("Lồng 2")}</w:tc></w:tr></w:tbl></w:tc></w:tr></w:tbl>` +
    p("Có numPr nhưng không có numbering.xml", numPr(1, 0));
  assert.equal(
    await textOf(handMadeDocx({ body })),
    "Trái\n\nLồng 1\n\nLồng 2\n\nCó numPr nhưng không có numbering.xml\n",
  );
});

// ---------------------------------------------------------------------------------------------------------------
// Refusals: never throw

test("refuses a PDF", async () => {
  await refused(Buffer.from("%PDF-1.7\n1 0 obj\n<< /Type /Catalog >>\nendobj\n%%EOF\n", "latin1"), /\.docx/);
});

test("refuses random bytes", async () => {
  const bytes = randomBytes(4096);
  bytes[0] = 0x00; // never the zip magic by chance
  await refused(bytes, /^Tệp không phải là văn bản Word \(\.docx\) hợp lệ\.$/);
});

test("refuses random bytes behind a zip signature", async () => {
  await refused(Buffer.concat([Buffer.from([0x50, 0x4b, 0x03, 0x04]), randomBytes(4096)]), /\.docx|hỏng/);
});

test("refuses an empty buffer", async () => {
  await refused(Buffer.alloc(0), /\.docx/);
});

test("refuses a zip without word/document.xml", async () => {
  const docx = await build([plain("Nội dung")]);
  // Rename the part in place (same length) in both the local and the central headers.
  const renamed = Buffer.from(docx.toString("latin1").split("word/document.xml").join("word/documenX.xml"), "latin1");
  await refused(renamed, /^Tệp không phải là văn bản Word \(\.docx\) hợp lệ\.$/);
  await refused(makeZip([{ name: "hello.txt", data: Buffer.from("xin chào") }]), /\.docx/);
});

test("refuses a legacy .doc (OLE2) with advice to save as .docx", async () => {
  const ole = Buffer.concat([Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]), Buffer.alloc(512)]);
  await refused(ole, /\.doc\b.*\.docx/);
});

test("refuses a truncated DOCX and corrupt XML without throwing", async () => {
  const docx = await build([plain("Nội dung")]);
  await refused(docx.subarray(0, Math.floor(docx.length / 2)), /hỏng/);
  await refused(makeZip([{ name: "word/document.xml", data: Buffer.from("<w:document><!DOCTYPE x [") }]), /hỏng/);
  const truncatedXml = `<w:document ${W_NS}><w:body><w:p><w:r><w:t>Nội dung`;
  await refused(makeZip([{ name: "word/document.xml", data: Buffer.from(truncatedXml) }]), /hỏng/);
  const mismatched = `<w:document ${W_NS}><w:body><w:p><w:r><w:t>Nội dung</w:r></w:t></w:p></w:body></w:document>`;
  await refused(makeZip([{ name: "word/document.xml", data: Buffer.from(mismatched) }]), /hỏng/);
  const deep = `<w:document ${W_NS}><w:body>${"<w:sdt><w:sdtContent>".repeat(100_000)}`;
  await refused(makeZip([{ name: "word/document.xml", data: Buffer.from(deep) }]), /hỏng/);
  const corruptDeflate = makeZip([{ name: "word/document.xml", data: randomBytes(200), stored: true }]);
  // Stored random bytes are not XML text worth anything: either no text or corrupt, but never a throw.
  const r = await docxToPlanText(corruptDeflate);
  assert.equal(typeof r.ok, "boolean");
});

test("refuses a document with no text", async () => {
  await refused(await build([new Paragraph({})]), /không có nội dung chữ/);
});

test("refuses input over 20 MB", async () => {
  const big = Buffer.alloc(MAX_DOCX_BYTES + 1);
  big.set([0x50, 0x4b, 0x03, 0x04]);
  await refused(big, /quá lớn/);
});

test("refuses a zip bomb: declared size over the limit, and a lying declared size", async () => {
  const huge = Buffer.alloc(MAX_DOCUMENT_XML_BYTES + 1024, 0x20);
  const honest = makeZip([{ name: "word/document.xml", data: huge }]);
  assert.ok(honest.length < MAX_DOCX_BYTES, "expected: honest.length < MAX_DOCX_BYTES");
  await refused(honest, /giải nén/);
  const lying = makeZip([{ name: "word/document.xml", data: huge, declaredSize: 1000 }]);
  await refused(lying, /giải nén/);
});
