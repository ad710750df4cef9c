import assert from "node:assert/strict";
import { test } from "node:test";
import ExcelJS from "exceljs";
import { renderXlsx, sheetName } from "./xlsx-writer.ts";

test("a sheet name is cut to Excel's 31 characters, its forbidden signs replaced, and kept unique", () => {
  const taken = new Set<string>();
  assert.equal(sheetName("Phản ánh: theo kênh/đơn vị", taken), "Phản ánh- theo kênh-đơn vị");
  const long = "Hoạt động tuyên truyền theo lĩnh vực nội dung";
  const first = sheetName(long, taken);
  const second = sheetName(long, taken);
  assert.equal(first.length, 31);
  assert.ok(second.length <= 31, `second name fits: ${second}`);
  assert.notEqual(first, second);
  assert.equal(sheetName("  ", taken), "Sheet");
  assert.equal(
    sheetName("B4 Bồi dưỡng và khen thưởng về cải cách", taken),
    "B4 Bồi dưỡng và khen thưởng về",
    "no space left at the cut",
  );
});

test("numbers stay numbers, Vietnamese text stays NFC, the title and header rows come first", async () => {
  const decomposed = "Đăng ký khai sinh".normalize("NFD");
  const bytes = await renderXlsx([
    {
      name: "Hoạt động",
      title: "Quý I năm 2024",
      columns: [{ header: "Kênh" }, { header: "Số lượt", numFmt: "#,##0" }],
      rows: [
        [decomposed, 12],
        ["Đài truyền thanh", null],
      ],
    },
    { name: "Trống", columns: [{ header: "Tên" }], rows: [] },
  ]);
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(bytes as unknown as ArrayBuffer);
  const ws = wb.getWorksheet("Hoạt động");
  assert.ok(ws, "the first sheet exists under its name");
  assert.equal(ws.getCell("A1").value, "Quý I năm 2024");
  assert.equal(ws.getCell("B2").value, "Số lượt");
  assert.equal(ws.getCell("A3").value, "Đăng ký khai sinh".normalize("NFC"));
  assert.equal(ws.getCell("B3").value, 12);
  assert.equal(ws.getCell("B3").numFmt, "#,##0");
  assert.equal(ws.getCell("B4").value, null);
  const empty = wb.getWorksheet("Trống");
  assert.ok(empty, "an empty table still has its sheet");
  assert.equal(empty.getCell("A1").value, "Tên");
});

test("a workbook without sheets is refused", async () => {
  await assert.rejects(renderXlsx([]), /at least one sheet/);
});
