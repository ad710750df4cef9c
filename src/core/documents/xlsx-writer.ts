/**
 * Figure tables as an XLSX workbook (exceljs): one sheet per table, a bold title row, a bold header row frozen under
 * it, numbers stored as numbers (so a province officer can sum them in Excel), dates as text `dd/mm/yyyy` (a
 * spreadsheet date would show in the reader's locale). Shared by every export: reports, training lists, the roll-up.
 */

export interface XlsxColumn {
  header: string;
  /** Characters; the default fits a short Vietnamese header. */
  width?: number;
  /** Excel number format for numeric cells, e.g. "#,##0" for đồng. */
  numFmt?: string;
}

export type XlsxCell = string | number | null;

export interface XlsxSheet {
  /** The sheet tab: Excel allows 31 characters and no []:*?/\ (cut and replaced here). */
  name: string;
  /** A title row above the table (the report's or list's name and period). */
  title?: string;
  columns: XlsxColumn[];
  rows: XlsxCell[][];
}

const FORBIDDEN = /[[\]:*?/\\]/g;

/** A sheet name Excel accepts, unique within the workbook. */
export function sheetName(name: string, taken: Set<string>): string {
  const base = name.replace(FORBIDDEN, "-").trim().slice(0, 31).trimEnd() || "Sheet";
  let candidate = base;
  for (let n = 2; taken.has(candidate.toLowerCase()); n++) {
    const suffix = ` (${n})`;
    candidate = base.slice(0, 31 - suffix.length).trimEnd() + suffix;
  }
  taken.add(candidate.toLowerCase());
  return candidate;
}

/** Render the sheets; a table with no rows still has its header (an empty list is a figure too). */
export async function renderXlsx(sheets: XlsxSheet[]): Promise<Buffer> {
  if (sheets.length === 0) throw new Error("A workbook needs at least one sheet");
  // Loaded at the first workbook: exceljs holds about 8 MB of heap a process that writes none need not.
  const { default: Excel } = await import("exceljs");
  const workbook = new Excel.Workbook();
  workbook.creator = "CCHC";
  const taken = new Set<string>();
  for (const sheet of sheets) {
    const ws = workbook.addWorksheet(sheetName(sheet.name, taken));
    let headerRow = 1;
    if (sheet.title) {
      const title = ws.addRow([sheet.title.normalize("NFC")]);
      title.font = { bold: true, size: 13 };
      headerRow = 2;
    }
    const header = ws.addRow(sheet.columns.map((c) => c.header.normalize("NFC")));
    header.font = { bold: true };
    header.alignment = { wrapText: true, vertical: "middle" };
    sheet.columns.forEach((c, i) => {
      const column = ws.getColumn(i + 1);
      column.width = c.width ?? Math.max(10, Math.min(40, c.header.length + 2));
      if (c.numFmt) column.numFmt = c.numFmt;
    });
    for (const row of sheet.rows) {
      ws.addRow(row.map((cell) => (typeof cell === "string" ? cell.normalize("NFC") : cell)));
    }
    ws.views = [{ state: "frozen", ySplit: headerRow }];
  }
  // exceljs declares its own global `Buffer` (an ArrayBuffer) that Node's Buffer type no longer matches.
  const out = (await workbook.xlsx.writeBuffer()) as unknown as ArrayBuffer;
  return Buffer.from(out);
}

export const XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
