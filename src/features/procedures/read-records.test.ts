import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import path from "node:path";
import { test } from "node:test";
import ExcelJS from "exceljs";
import { makeZip } from "../../../test/helpers/zip.ts";
import { normalizeRecord, PORTAL_LABELS, type PortalKey } from "./normalize-record.ts";
import type { ProcedureRecord } from "./procedure-record.ts";
import {
  detectDelimiter,
  MAX_PROCEDURE_ROWS,
  MAX_XLSX_INFLATED_BYTES,
  parseCsv,
  readProcedureFile,
} from "./read-records.ts";

const DIR = path.resolve(process.env.CCHC_SHARED_DIR ?? "../shared", "data/tthc-dichvucong-2026");
const communalBytes = new Uint8Array(readFileSync(path.join(DIR, "cap-xa.jsonl")));
const otherBytes = new Uint8Array(readFileSync(path.join(DIR, "other-levels-sample.jsonl")));
const utf8 = (s: string) => new TextEncoder().encode(s);

const realLines = new TextDecoder()
  .decode(communalBytes)
  .split("\n")
  .filter((l) => l.trim() !== "");
const realByCode = new Map(
  realLines.map((l) => {
    const raw = JSON.parse(l) as Record<string, string>;
    return [raw.ma_thu_tuc ?? "", raw];
  }),
);
/** A few real records: the two checked field by field, multi-line steps, quotes and a code ending in 0. */
const SAMPLE = ["1.000253", "1.001193", "1.002755", "1.010040", "2.001428"].map((code) => {
  const raw = realByCode.get(code);
  if (!raw) assert.fail(`no record ${code}`);
  return raw;
});
const KEYS = Object.keys(PORTAL_LABELS) as PortalKey[];
const LABELS = KEYS.map((k) => PORTAL_LABELS[k][0]);

function normalised(raw: Record<string, unknown>): ProcedureRecord {
  const r = normalizeRecord(raw, 0);
  if (!r.ok) assert.fail(r.problem.reason);
  return r.record;
}

function csvOf(rows: string[][], delimiter: string, eol: string): string {
  const cell = (s: string) => (/[",;\t\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s);
  return rows.map((r) => r.map(cell).join(delimiter)).join(eol) + eol;
}

test("JSON Lines: the real files read whole, one row per line", async () => {
  const a = await readProcedureFile(communalBytes, "cap-xa.jsonl");
  assert.equal(a.rows.length, 588);
  assert.deepEqual(a.problems, []);
  assert.equal(a.rows[0]?.line, 1);
  assert.equal(a.rows[0]?.raw.ma_thu_tuc, "1.000253");
  const b = await readProcedureFile(otherBytes, "du-lieu.txt");
  assert.equal(b.rows.length, 100);
  assert.deepEqual(b.problems, []);
});

test("JSON Lines: a bad line is a problem with its line and reason, the others are read", async () => {
  const text = [
    realLines[0],
    "",
    `{"ma_thu_tuc": "1.009999", "ten_thu_tuc": "Hỏng`,
    "[1, 2]",
    realLines[1],
    `{"ma_thu_tuc": "", "ten_thu_tuc": "Không mã"}`,
  ].join("\r\n");
  const { rows, problems } = await readProcedureFile(utf8(text), "x.jsonl");
  assert.deepEqual(
    rows.map((r) => r.line),
    [1, 5, 6],
  );
  assert.equal(problems.length, 2);
  assert.equal(problems[0]?.line, 3);
  assert.equal(problems[0]?.code, "1.009999");
  assert.match(problems[0]?.reason ?? "", /^Dòng không phải JSON hợp lệ/);
  assert.deepEqual(problems[1], {
    line: 4,
    code: null,
    reason: "Dòng không phải một đối tượng JSON { … } của một thủ tục.",
  });
  // The row without a code is read, and refused when normalised, with its line.
  const last = rows[2];
  assert.ok(last, "expected: last");
  const refused = normalizeRecord(last.raw, last.line);
  assert.deepEqual(refused, {
    ok: false,
    problem: { line: 6, code: null, reason: "Thiếu mã thủ tục (cột «Mã thủ tục»)." },
  });
});

test("CSV with the portal's labels, UTF-8 with BOM, comma, CRLF: the same records come back", async () => {
  const csv = csvOf([LABELS, ...SAMPLE.map((raw) => KEYS.map((k) => raw[k] ?? ""))], ",", "\r\n");
  const { rows, problems } = await readProcedureFile(utf8(`\ufeff${csv}`), "thu-tuc.csv");
  assert.deepEqual(problems, []);
  assert.equal(rows.length, SAMPLE.length);
  assert.equal(rows[0]?.line, 2);
  // Quoted fields span lines: a record starts on the line after the last line of the one before.
  let expected = 2;
  rows.forEach((row, i) => {
    assert.equal(row.line, expected);
    expected += 1 + KEYS.reduce((n, k) => n + ((SAMPLE[i]?.[k] ?? "").match(/\r\n|\n|\r/g)?.length ?? 0), 0);
  });
  assert.ok((rows[1]?.line ?? 0) > 3, "the first record spans several lines");
  rows.forEach((row, i) => {
    const original = SAMPLE[i];
    assert.ok(original, "expected: original");
    assert.deepEqual(normalised(row.raw), normalised(original));
  });
});

test("CSV: semicolons, no BOM, LF, labels written differently, unknown columns ignored", async () => {
  const header = [
    "STT",
    ...LABELS.map((l) => l.toUpperCase().replace("Địa chỉ tiếp nhận HS".toUpperCase(), "Dia chi tiep nhan HS")),
  ];
  const body = SAMPLE.map((raw, i) => [String(i + 1), ...KEYS.map((k) => raw[k] ?? "")]);
  const { rows, problems } = await readProcedureFile(utf8(csvOf([header, ...body], ";", "\n")), "a.txt");
  assert.deepEqual(problems, []);
  assert.deepEqual(
    rows.map((r) => normalised(r.raw)),
    SAMPLE.map(normalised),
  );
});

test("CSV: line numbers of records and of bad rows", async () => {
  const text = [
    "Mã thủ tục,Tên thủ tục,Trình tự thực hiện",
    '1.000001,"Một, có phẩy","Bước 1: a',
    'Bước 2: b"',
    ",Không có mã,",
    "",
    '1.000003,"Ba ""trích""",',
  ].join("\n");
  const { rows, problems } = await readProcedureFile(utf8(text), "x.csv");
  assert.deepEqual(problems, []);
  assert.deepEqual(
    rows.map((r) => [r.line, r.raw.ma_thu_tuc, r.raw.ten_thu_tuc]),
    [
      [2, "1.000001", "Một, có phẩy"],
      [4, "", "Không có mã"],
      [6, "1.000003", 'Ba "trích"'],
    ],
  );
  assert.equal(rows[0]?.raw.trinh_tu_thuc_hien, "Bước 1: a\nBước 2: b");
  const bad = rows[1];
  assert.ok(bad, "expected: bad");
  const r = normalizeRecord(bad.raw, bad.line);
  assert.ok(
    !r.ok && r.problem.line === 4 && r.problem.reason === "Thiếu mã thủ tục (cột «Mã thủ tục»).",
    'expected: !r.ok && r.problem.line === 4 && r.problem.reason === "Thiếu mã thủ tục (cột «Mã thủ tụ...',
  );
  const unclosed = await readProcedureFile(utf8('Mã thủ tục,Tên thủ tục\n1.000001,"Mở mà không đóng\n'), "x.csv");
  assert.equal(unclosed.problems[0]?.line, 2);
  assert.match(unclosed.problems[0]?.reason ?? "", /Ngoặc kép/);
});

test("CSV: a header without the required columns is one problem naming them", async () => {
  const { rows, problems } = await readProcedureFile(utf8("Tên,Lĩnh vực\nA,B\n"), "x.csv");
  assert.deepEqual(rows, []);
  assert.deepEqual(problems, [
    {
      line: 1,
      code: null,
      reason: "Dòng tiêu đề thiếu cột bắt buộc: «Mã thủ tục», «Tên thủ tục» (cần nhãn như trên Cổng Dịch vụ công).",
    },
  ]);
  const onlyName = await readProcedureFile(utf8("Mã thủ tục;Lĩnh vực\n1.000001;B\n"), "x.csv");
  assert.match(onlyName.problems[0]?.reason ?? "", /thiếu cột bắt buộc: «Tên thủ tục» \(/);
});

test("parseCsv and detectDelimiter", () => {
  assert.equal(detectDelimiter('"a;b",c,d\n1;2;3;4'), ",");
  assert.equal(detectDelimiter("a;b;c\n"), ";");
  assert.equal(detectDelimiter("a\tb\n"), "\t");
  assert.deepEqual(parseCsv('a,"b\r\nc",d\re,f', ","), {
    records: [
      { line: 1, fields: ["a", "b\r\nc", "d"] },
      { line: 3, fields: ["e", "f"] },
    ],
    unclosedAt: null,
  });
});

test("XLSX built with exceljs: title row, header of labels, real records; the same records come back", async () => {
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet("Thủ tục");
  sheet.addRow(["Danh mục thủ tục hành chính cấp xã"]);
  sheet.addRow(LABELS);
  for (const raw of SAMPLE) {
    // Excel turns a typed code into a number: 1.010040 becomes 1.01004.
    sheet.addRow(KEYS.map((k) => (k === "ma_thu_tuc" && raw[k] === "1.010040" ? 1.01004 : (raw[k] ?? ""))));
  }
  sheet.addRow([]);
  sheet.addRow(["", "Thiếu mã"]);
  const bytes = new Uint8Array(await workbook.xlsx.writeBuffer());
  const { rows, problems } = await readProcedureFile(bytes, "khong-co-duoi");
  assert.deepEqual(problems, []);
  assert.deepEqual(
    rows.map((r) => r.line),
    [3, 4, 5, 6, 7, 9],
  );
  assert.deepEqual(
    rows.slice(0, SAMPLE.length).map((r) => normalised(r.raw)),
    SAMPLE.map(normalised),
  );
  const last = rows[SAMPLE.length];
  assert.ok(last, "expected: last");
  const refused = normalizeRecord(last.raw, last.line);
  assert.ok(
    !refused.ok && refused.problem.line === 9 && /Thiếu mã thủ tục/.test(refused.problem.reason),
    "expected: !refused.ok && refused.problem.line === 9 && /Thiếu mã thủ tục/.test(refused.problem.re...",
  );
});

test("XLSX: a header without «Tên thủ tục» is reported with its row", async () => {
  const workbook = new ExcelJS.Workbook();
  workbook.addWorksheet("A").addRow(["Mã thủ tục", "Lĩnh vực"]);
  const { rows, problems } = await readProcedureFile(new Uint8Array(await workbook.xlsx.writeBuffer()), "a.xlsx");
  assert.deepEqual(rows, []);
  assert.equal(problems[0]?.line, 1);
  assert.match(problems[0]?.reason ?? "", /«Tên thủ tục»/);
});

test("anything else is refused with a Vietnamese reason", async () => {
  const cases: [Uint8Array, RegExp][] = [
    [new Uint8Array(), /rỗng/],
    [utf8("%PDF-1.7\n..."), /PDF/],
    [new Uint8Array([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]), /\.xls/],
    [new Uint8Array([0x50, 0x4b, 0x03, 0x04, 1, 2, 3]), /không đọc được như bảng tính Excel/],
    [new Uint8Array([0x4d, 0xe3, 0x20, 0x74, 0x68, 0xf1]), /không phải văn bản UTF-8/],
    [utf8("Chỉ là một đoạn văn bản không có cột nào"), /Không nhận ra định dạng/],
    [utf8('[{"ma_thu_tuc": "1.000001"}]'), /mảng JSON/],
    [utf8('{\n  "ma_thu_tuc": "1.000001",\n  "ten_thu_tuc": "A"\n}\n'), /nhiều dòng/],
  ];
  for (const [bytes, reason] of cases) {
    const { rows, problems } = await readProcedureFile(bytes, "tep.dat");
    assert.deepEqual(rows, []);
    assert.equal(problems.length, 1);
    assert.equal(problems[0]?.line, 0);
    assert.match(problems[0]?.reason ?? "", reason);
  }
});

test("files over the row cap are refused whole, whatever their format: JSON Lines, CSV, XLSX (prefixed rows too)", async () => {
  const n = MAX_PROCEDURE_ROWS + 1;
  const code = (i: number) => `3.${String(i).padStart(6, "0")}`;
  const jsonLines = Array.from({ length: n }, (_, i) => JSON.stringify({ ma_thu_tuc: code(i), ten_thu_tuc: "A" }));
  const csv = ["Mã thủ tục,Tên thủ tục", ...Array.from({ length: n }, (_, i) => `${code(i)},A`)];
  const rows = Array.from(
    { length: n + 1 },
    (_, i) => `<x:row r="${i + 1}"><x:c t="inlineStr"><x:is><x:t>a</x:t></x:is></x:c></x:row>`,
  );
  const sheet = `<x:worksheet xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><x:sheetData>${rows.join("")}</x:sheetData></x:worksheet>`;
  const xlsx = makeZip([{ name: "xl/worksheets/sheet1.xml", data: Buffer.from(sheet) }]);
  for (const [bytes, name] of [
    [utf8(jsonLines.join("\n")), "a.jsonl"],
    [utf8(csv.join("\n")), "a.csv"],
    [new Uint8Array(xlsx), "a.xlsx"],
  ] as const) {
    const { rows: read, problems } = await readProcedureFile(bytes, name);
    assert.deepEqual(read, [], `${name}: no rows`);
    assert.match(problems[0]?.reason ?? "", /có hơn 5\.000 dòng thủ tục, quá giới hạn một lần nhập/, name);
  }
  // At the cap, the JSON Lines file is read.
  const atCap = await readProcedureFile(utf8(jsonLines.slice(1).join("\n")), "a.jsonl");
  assert.equal(atCap.rows.length, MAX_PROCEDURE_ROWS, "5,000 rows are read");
});

test("an XLSX inflating past the cap is refused, even when its headers declare a small size", async () => {
  const huge = Buffer.alloc(MAX_XLSX_INFLATED_BYTES + 1, 0x20);
  for (const declaredSize of [undefined, 1000]) {
    const xlsx = makeZip([{ name: "xl/sharedStrings.xml", data: huge, declaredSize }]);
    const { rows, problems } = await readProcedureFile(new Uint8Array(xlsx), "bom.xlsx");
    assert.deepEqual(rows, [], "no rows");
    assert.match(problems[0]?.reason ?? "", /khi giải nén lớn hơn 64 MB/, `declared ${declaredSize ?? "honestly"}`);
  }
});
