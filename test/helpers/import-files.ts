/** Upload files at and past the import bounds (README "Import limits"), for the load test and `npm run bench`. */
import ExcelJS from "exceljs";
import { MAX_DOCUMENT_XML_BYTES } from "../../src/features/plans/docx-text.ts";
import { seedPlanText } from "./env.ts";
import { makeZip } from "./zip.ts";

const W_NS = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"';
const escapeXml = (s: string) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");

/** document.xml of the seed plan, one paragraph per block, padded with `padding` bytes of an attribute. */
function planDocumentXml(paddingBytes: number): string {
  const paragraphs = seedPlanText()
    .split(/\n\s*\n/)
    .map((block) => `<w:p><w:r><w:t xml:space="preserve">${escapeXml(block.trim())}</w:t></w:r></w:p>`)
    .join("");
  const pad = paddingBytes > 0 ? `<w:bookmarkStart w:id="0" w:name="${"x".repeat(paddingBytes)}"/>` : "";
  return `<?xml version="1.0" encoding="UTF-8"?><w:document ${W_NS}><w:body>${pad}${paragraphs}</w:body></w:document>`;
}

/** The largest DOCX accepted: the seed plan whose document.xml is exactly at the inflated-size cap. */
export function largestAcceptedDocx(): Buffer {
  const bare = Buffer.byteLength(planDocumentXml(0));
  const padding = MAX_DOCUMENT_XML_BYTES - bare - Buffer.byteLength('<w:bookmarkStart w:id="0" w:name=""/>');
  const xml = Buffer.from(planDocumentXml(padding));
  if (xml.length !== MAX_DOCUMENT_XML_BYTES) throw new Error("the padded part must be exactly at the cap");
  return makeZip([{ name: "word/document.xml", data: xml }]);
}

/** The reported bomb: a DOCX of a few dozen KB whose document.xml inflates to 45 MB. */
export function zipBombDocx(): Buffer {
  const huge = Buffer.from(planDocumentXml(45 * 1024 * 1024));
  return makeZip([{ name: "word/document.xml", data: huge }]);
}

/** An XLSX with a header of the portal's labels and `rows` synthetic procedures. */
export async function procedureWorkbook(rows: number): Promise<Uint8Array> {
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet("Thủ tục");
  sheet.addRow(["Mã thủ tục", "Tên thủ tục"]);
  for (let i = 1; i <= rows; i++) sheet.addRow([`3.${String(i).padStart(6, "0")}`, `Thủ tục thử số ${i}`]);
  return new Uint8Array(await workbook.xlsx.writeBuffer());
}

/** The reported XLSX: 1.2 million rows (a worksheet written by hand, far past the row cap, under the size cap). */
export function millionRowsXlsx(): Buffer {
  const rows: string[] = [];
  for (let i = 1; i <= 1_200_000; i++) rows.push(`<row r="${i}"><c r="A${i}"><v>${i}</v></c></row>`);
  const sheet = `<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>${rows.join("")}</sheetData></worksheet>`;
  return makeZip([{ name: "xl/worksheets/sheet1.xml", data: Buffer.from(sheet) }]);
}
