/**
 * Read a file of procedure records, whatever its name says, by what it holds: JSON Lines (the portal's export),
 * CSV (UTF-8 with or without BOM, comma, semicolon or tab) or XLSX (first worksheet), the last two with a header
 * row of the portal's Vietnamese labels ("Mã thủ tục", "Tên thủ tục", …). Rows come out keyed like the portal's
 * JSON (snake_case) for `normalizeRecord`; every row or file that cannot be read becomes a `RowProblem`.
 *
 * Line numbers are those a person sees: the line of the JSON Lines file, the line where a CSV record starts
 * (quoted fields may span lines), the row of the worksheet. A problem with the whole file has line 0.
 */
import type ExcelJS from "exceljs";
import { isolatedFailureMessage, runIsolated, UPLOAD_PARSE_LIMITS } from "../../core/isolated.ts";
import { nfc } from "../../core/text/vi.ts";
import { extractZipEntry, readZipDirectory, ZipError } from "../../core/zip.ts";
import { PORTAL_LABELS, type PortalKey, portalKeyOfLabel, portalRowFromLabels } from "./normalize-record.ts";
import type { RowProblem } from "./procedure-record.ts";

export interface ReadResult {
  rows: { line: number; raw: Record<string, unknown> }[];
  problems: RowProblem[];
}

/** Most procedures one file may hold (the national commune-level catalogue is under 600): a file over it is refused. */
export const MAX_PROCEDURE_ROWS = 5_000;
/** Most bytes an XLSX may hold once inflated, all its parts together: a zip bomb guard. */
export const MAX_XLSX_INFLATED_BYTES = 64 * 1024 * 1024;

const REQUIRED: PortalKey[] = ["ma_thu_tuc", "ten_thu_tuc"];
const EXPECTED =
  "JSON Lines (mỗi dòng một đối tượng JSON), CSV hoặc Excel (.xlsx) có dòng tiêu đề theo nhãn của Cổng Dịch vụ công";

function refuse(reason: string): ReadResult {
  return { rows: [], problems: [{ line: 0, code: null, reason }] };
}

function tooManyRows(name: string): ReadResult {
  return refuse(
    `Tệp ${name} có hơn ${MAX_PROCEDURE_ROWS.toLocaleString("vi-VN")} dòng thủ tục, quá giới hạn một lần nhập: chưa có gì được lưu. Hãy chia thành nhiều tệp.`,
  );
}

function startsWith(bytes: Uint8Array, ...magic: number[]): boolean {
  return magic.every((b, i) => bytes[i] === b);
}

/** Read procedure records from a file's bytes; `fileName` only names the file in messages. */
export async function readProcedureFile(bytes: Uint8Array, fileName: string): Promise<ReadResult> {
  const name = fileName ? `«${fileName}»` : "đã chọn";
  if (bytes.length === 0) return refuse(`Tệp ${name} rỗng.`);
  if (startsWith(bytes, 0x50, 0x4b, 0x03, 0x04)) return readXlsx(bytes, name);
  if (startsWith(bytes, 0xd0, 0xcf, 0x11, 0xe0)) {
    return refuse(
      `Tệp ${name} là bảng tính Excel đời cũ (.xls), chưa đọc được: hãy lưu lại thành .xlsx hoặc CSV UTF-8.`,
    );
  }
  if (startsWith(bytes, 0x25, 0x50, 0x44, 0x46))
    return refuse(`Tệp ${name} là tệp PDF, không phải dữ liệu: cần ${EXPECTED}.`);
  const text = decodeText(bytes);
  if (text === null) {
    return refuse(
      `Tệp ${name} không phải văn bản UTF-8 (có thể là bảng mã cũ như TCVN3, VNI, Windows-1258, hoặc một tệp nhị phân): cần ${EXPECTED}.`,
    );
  }
  const body = text.replace(/^\s+/, "");
  if (body === "") return refuse(`Tệp ${name} rỗng.`);
  if (body.startsWith("{")) return readJsonLines(text, name);
  if (body.startsWith("[")) {
    return refuse(`Tệp ${name} là một mảng JSON: cần JSON Lines, mỗi dòng một đối tượng JSON của một thủ tục.`);
  }
  const firstLine = body.split("\n", 1)[0] ?? "";
  if (/[,;\t]/.test(firstLine)) return readCsv(text, name);
  return refuse(`Không nhận ra định dạng của tệp ${name}: cần ${EXPECTED}.`);
}

/**
 * `readProcedureFile` in a worker thread under UPLOAD_PARSE_LIMITS, so the server keeps answering while a large
 * workbook is read; past the limits, one Vietnamese problem and no rows (nothing is written).
 */
export async function readProcedureFileIsolated(bytes: Uint8Array, fileName: string): Promise<ReadResult> {
  const outcome = await runIsolated<ReadResult>(
    new URL(import.meta.url),
    "readProcedureFile",
    [bytes, fileName],
    UPLOAD_PARSE_LIMITS,
  );
  return outcome.ok ? outcome.value : refuse(isolatedFailureMessage(outcome.reason));
}

/** UTF-8 (BOM or not) or UTF-16 with BOM; null when the bytes are not such text. */
function decodeText(bytes: Uint8Array): string | null {
  try {
    let text: string;
    if (startsWith(bytes, 0xff, 0xfe)) text = new TextDecoder("utf-16le", { fatal: true }).decode(bytes.subarray(2));
    else if (startsWith(bytes, 0xfe, 0xff))
      text = new TextDecoder("utf-16be", { fatal: true }).decode(bytes.subarray(2));
    else text = new TextDecoder("utf-8", { fatal: true, ignoreBOM: false }).decode(bytes);
    if (text.includes("\u0000")) return null;
    return text.replace(/^\ufeff/, "");
  } catch {
    return null;
  }
}

// ---------------------------------------------------------------------------------------------------------------
// JSON Lines.

function readJsonLines(text: string, name: string): ReadResult {
  const result: ReadResult = { rows: [], problems: [] };
  const lines = text.split(/\r\n|\n|\r/);
  let filled = 0;
  for (const l of lines) if (l.trim() !== "" && ++filled > MAX_PROCEDURE_ROWS) return tooManyRows(name);
  lines.forEach((raw, i) => {
    const line = i + 1;
    if (raw.trim() === "") return;
    let value: unknown;
    try {
      value = JSON.parse(raw);
    } catch (e) {
      const code = /"ma_thu_tuc"\s*:\s*"([^"]*)"/.exec(raw)?.[1] ?? null;
      const why = e instanceof Error ? e.message : String(e);
      result.problems.push({ line, code, reason: `Dòng không phải JSON hợp lệ (${why}).` });
      return;
    }
    if (value === null || typeof value !== "object" || Array.isArray(value)) {
      result.problems.push({ line, code: null, reason: "Dòng không phải một đối tượng JSON { … } của một thủ tục." });
      return;
    }
    result.rows.push({ line, raw: value as Record<string, unknown> });
  });
  // A pretty-printed JSON document fails on every line: say what it is rather than listing each line.
  if (result.rows.length === 0 && result.problems.length > 1) {
    try {
      JSON.parse(text);
      return refuse(`Tệp ${name} là JSON viết trên nhiều dòng: cần JSON Lines, mỗi dòng một đối tượng JSON.`);
    } catch {
      // not a JSON document either: the line problems stand
    }
  }
  return result;
}

// ---------------------------------------------------------------------------------------------------------------
// CSV.

export interface CsvRecord {
  /** Line where the record starts (1-based). */
  line: number;
  fields: string[];
}

/** The delimiter of the first record: the most frequent of , ; and tab outside quotes (comma on a tie). */
export function detectDelimiter(text: string): string {
  const counts = new Map<string, number>([
    [",", 0],
    [";", 0],
    ["\t", 0],
  ]);
  let quoted = false;
  for (const c of text) {
    if (c === '"') quoted = !quoted;
    else if (!quoted && (c === "\n" || c === "\r")) break;
    else if (!quoted && counts.has(c)) counts.set(c, (counts.get(c) ?? 0) + 1);
  }
  let best = ",";
  for (const [d, n] of counts) if (n > (counts.get(best) ?? 0)) best = d;
  return best;
}

/**
 * RFC 4180 CSV: fields in double quotes may hold the delimiter, line breaks and "" for a quote; CRLF, LF or CR end
 * records. Lenient where spreadsheets are: text after a closing quote joins the field, a quote inside an unquoted
 * field is kept. An unclosed quote is reported with the line where its record starts.
 */
export function parseCsv(text: string, delimiter: string): { records: CsvRecord[]; unclosedAt: number | null } {
  const records: CsvRecord[] = [];
  let fields: string[] = [];
  let field = "";
  let quoted = false;
  let fieldStarted = false;
  let line = 1;
  let recordLine = 1;
  const endField = () => {
    fields.push(field);
    field = "";
    fieldStarted = false;
  };
  const endRecord = () => {
    endField();
    records.push({ line: recordLine, fields });
    fields = [];
  };
  for (let i = 0; i < text.length; i++) {
    const c = text[i] ?? "";
    if (quoted) {
      if (c === '"') {
        if (text[i + 1] === '"') {
          field += '"';
          i++;
        } else quoted = false;
      } else {
        if (c === "\n" || (c === "\r" && text[i + 1] !== "\n")) line++;
        field += c;
      }
      continue;
    }
    if (c === '"' && !fieldStarted) {
      quoted = true;
      fieldStarted = true;
    } else if (c === delimiter) endField();
    else if (c === "\n" || c === "\r") {
      if (c === "\r" && text[i + 1] === "\n") i++;
      endRecord();
      line++;
      recordLine = line;
    } else {
      field += c;
      fieldStarted = true;
    }
  }
  if (quoted) return { records, unclosedAt: recordLine };
  if (field !== "" || fields.length > 0) endRecord();
  return { records, unclosedAt: null };
}

/** Keys of the header's columns (null for a column that is not one of the portal's), and the required ones missing. */
function headerKeys(labels: string[]): { keys: (PortalKey | null)[]; missing: string[] } {
  const keys = labels.map((l) => portalKeyOfLabel(l));
  const missing = REQUIRED.filter((k) => !keys.includes(k)).map((k) => `«${PORTAL_LABELS[k][0]}»`);
  return { keys, missing };
}

function missingColumns(line: number, missing: string[]): RowProblem {
  return {
    line,
    code: null,
    reason: `Dòng tiêu đề thiếu cột bắt buộc: ${missing.join(", ")} (cần nhãn như trên Cổng Dịch vụ công).`,
  };
}

function rowOf(labels: string[], cells: string[]): Record<string, string> {
  const byLabel: Record<string, string> = {};
  labels.forEach((label, i) => {
    if (label.trim() !== "") byLabel[label] = cells[i] ?? "";
  });
  return portalRowFromLabels(byLabel);
}

function readCsv(text: string, name: string): ReadResult {
  const { records, unclosedAt } = parseCsv(text, detectDelimiter(text));
  const result: ReadResult = { rows: [], problems: [] };
  const filled = records.filter((r) => r.fields.some((f) => f.trim() !== ""));
  if (filled.length > MAX_PROCEDURE_ROWS + 1) return tooManyRows(name);
  const header = filled[0];
  if (!header) return refuse("Tệp CSV không có dòng nào.");
  const labels = header.fields.map((f) => nfc(f).trim());
  const { missing } = headerKeys(labels);
  if (missing.length > 0) return { rows: [], problems: [missingColumns(header.line, missing)] };
  for (const r of filled.slice(1)) result.rows.push({ line: r.line, raw: rowOf(labels, r.fields) });
  if (unclosedAt !== null) {
    result.problems.push({
      line: unclosedAt,
      code: null,
      reason: "Ngoặc kép mở ở dòng này không được đóng: phần còn lại của tệp không đọc được.",
    });
  }
  return result;
}

// ---------------------------------------------------------------------------------------------------------------
// XLSX.

function cellText(value: ExcelJS.CellValue, key: PortalKey | null): string {
  if (value === null || value === undefined) return "";
  if (typeof value === "string") return value;
  if (typeof value === "number") {
    // A code typed into Excel becomes a number and loses its trailing zeros: 1.00119 was "1.001190".
    if (key === "ma_thu_tuc" && !Number.isInteger(value) && /^\d+\.\d{1,6}$/.test(String(value)))
      return value.toFixed(6);
    return String(value);
  }
  if (typeof value === "boolean") return value ? "TRUE" : "FALSE";
  if (value instanceof Date) return value.toISOString().slice(0, 10);
  if ("richText" in value) return value.richText.map((r) => r.text).join("");
  if ("hyperlink" in value) return typeof value.text === "string" ? value.text : cellText(value.text, key);
  if ("formula" in value || "sharedFormula" in value) return cellText(value.result ?? null, key);
  return "";
}

/**
 * Size and row limits checked before exceljs reads the workbook (it inflates and builds every part in memory): the
 * parts' real inflated size, whatever the zip declares, and the row elements of every worksheet. Null when within.
 */
async function xlsxOverLimits(bytes: Buffer, name: string): Promise<ReadResult | null> {
  const tooLarge = refuse(
    `Tệp ${name} khi giải nén lớn hơn ${MAX_XLSX_INFLATED_BYTES / 1024 / 1024} MB, quá giới hạn một lần nhập (tệp có thể bị hỏng hoặc không an toàn): chưa có gì được lưu.`,
  );
  try {
    const entries = readZipDirectory(bytes);
    let declared = 0;
    for (const e of entries.values()) declared += e.uncompressedSize;
    if (declared > MAX_XLSX_INFLATED_BYTES) return tooLarge;
    let budget = MAX_XLSX_INFLATED_BYTES;
    for (const [part, entry] of entries) {
      const data = await extractZipEntry(bytes, entry, budget);
      budget -= data.length;
      if (/^xl\/worksheets\/[^/]+\.xml$/.test(part) && countRowElements(data) > MAX_PROCEDURE_ROWS + 1)
        return tooManyRows(name);
    }
    return null;
  } catch (e) {
    if (e instanceof ZipError && e.kind === "too-large") return tooLarge;
    return null; // not a readable zip: exceljs says what is wrong with it
  }
}

/** `<row …>` start tags (any namespace prefix) in a worksheet part, counted on the bytes without decoding them. */
function countRowElements(xml: Buffer): number {
  const nameByte = (b: number | undefined) =>
    b !== undefined && ((b >= 0x30 && b <= 0x39) || (b >= 0x41 && b <= 0x5a) || (b >= 0x61 && b <= 0x7a) || b === 0x5f);
  let n = 0;
  for (let i = xml.indexOf("row", 1, "latin1"); i > 0; i = xml.indexOf("row", i + 3, "latin1")) {
    const next = xml[i + 3];
    if (next !== 0x20 && next !== 0x3e && next !== 0x2f && next !== 0x09 && next !== 0x0a && next !== 0x0d) continue;
    let j = i - 1;
    if (xml[j] === 0x3a /* : */) {
      j--;
      while (j > 0 && nameByte(xml[j])) j--;
    }
    if (xml[j] === 0x3c /* < */) n++;
  }
  return n;
}

async function readXlsx(bytes: Uint8Array, name: string): Promise<ReadResult> {
  const over = await xlsxOverLimits(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength), name);
  if (over) return over;
  // Loaded at the first spreadsheet read: exceljs holds about 8 MB of heap a process that reads none need not.
  const { default: Excel } = await import("exceljs");
  const workbook = new Excel.Workbook();
  try {
    // exceljs declares its own global `Buffer` (an ArrayBuffer) that Node's Buffer type no longer matches.
    const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    await workbook.xlsx.load(buffer as unknown as Parameters<typeof workbook.xlsx.load>[0]);
  } catch (e) {
    const why = e instanceof Error ? e.message : String(e);
    return refuse(`Tệp ${name} là tệp nén nhưng không đọc được như bảng tính Excel (.xlsx): ${why}`);
  }
  const sheet = workbook.worksheets[0];
  if (!sheet) return refuse(`Tệp ${name} không có trang tính nào.`);
  const lines: { line: number; cells: ExcelJS.CellValue[] }[] = [];
  sheet.eachRow({ includeEmpty: false }, (row, rowNumber) => {
    const cells: ExcelJS.CellValue[] = [];
    for (let c = 1; c <= row.cellCount; c++) cells.push(row.getCell(c).value);
    lines.push({ line: rowNumber, cells });
  });
  // The header is the first row that names a required column (a title row may come before it).
  const headerAt = lines.findIndex(
    (l, i) => i < 20 && l.cells.some((v) => REQUIRED.includes(portalKeyOfLabel(cellText(v, null)) as PortalKey)),
  );
  const header = lines[Math.max(headerAt, 0)];
  if (!header) return refuse(`Trang tính đầu tiên của tệp ${name} trống.`);
  const labels = header.cells.map((v) => nfc(cellText(v, null)).trim());
  const { keys, missing } = headerKeys(labels);
  if (missing.length > 0) return { rows: [], problems: [missingColumns(header.line, missing)] };
  const result: ReadResult = { rows: [], problems: [] };
  for (const l of lines.slice(lines.indexOf(header) + 1)) {
    const cells = l.cells.map((v, i) => cellText(v, keys[i] ?? null));
    if (cells.every((c) => c.trim() === "")) continue;
    result.rows.push({ line: l.line, raw: rowOf(labels, cells) });
  }
  return result;
}
