/**
 * Work assigned in tables: "STT | Nội dung | Đơn vị chủ trì | Đơn vị phối hợp | Thời gian hoàn thành", written as
 * Markdown/pipe rows or tab-separated columns (a DOCX table arrives as pipe rows, see docx-text.ts). Pure.
 *
 * A table is a task table when its header names a task column and a lead-unit column, whatever the exact wording
 * (cells are matched by folded keywords). Each body row is one task; the header never becomes a task or a unit.
 * Empty lead and timing cells carry the value above (what a merged cell looks like once flattened); a row without a
 * number in a numbered table continues the row above (a cell wrapped over two lines). A row that cannot be read
 * refuses the whole plan with a message naming it: nothing is written partially.
 */
import { fold, foldWords, squash } from "../../core/text/vi.ts";

export type ColumnRole = "number" | "task" | "lead" | "support" | "timing";

export interface TableTask {
  /** Body row as counted by a reader: 1 for the first row under the header. */
  row: number;
  text: string;
  /** The lead unit as written. */
  lead: string;
  /** Cooperating units as written (the lead's extra names included, when a cell names several). */
  support: string[];
  /** The timing cell as written, or null. */
  timing: string | null;
}

export interface TaskTable {
  /** 1 for the first task table of the text. */
  index: number;
  tasks: TableTask[];
}

export type TablesResult = { ok: true; text: string; tables: TaskTable[] } | { ok: false; error: string };

/** What a header cell names: matched on folded words, most specific first ("Thời gian thực hiện" is a timing). */
export function columnRoleOf(cell: string): ColumnRole | null {
  const f = foldWords(cell.replace(/<br\s*\/?>/gi, " "));
  if (f === "") return null;
  if (/^(?:s?tt|so tt|so thu tu|thu tu|so)$/.test(f)) return "number";
  if (/\bphoi hop\b/.test(f)) return "support";
  // "Đơn vị tính" of a budget table is a unit of measure, not a unit of the ward.
  if (/\bdon vi tinh\b/.test(f)) return null;
  if (/\b(?:thoi gian|thoi han|tien do|thoi diem|han hoan thanh|moc thoi gian)\b|^han$/.test(f)) return "timing";
  if (
    /\b(?:chu tri|don vi|co quan|trach nhiem|phu trach|bo phan|nguoi thuc hien|can bo thuc hien)\b|^thuc hien$/.test(f)
  )
    return "lead";
  if (/\b(?:noi dung|nhiem vu|cong viec|hoat dong|giai phap|ten)\b/.test(f)) return "task";
  return null;
}

/** One line of a table as cells, or null when the line is not a table row. `<br>` stays inside its cell. */
function rowCells(line: string, inTabRun = false): { kind: "pipe" | "tab"; cells: string[] } | null {
  const t = line.trim();
  const pipes = t.replace(/\\\|/g, "").split("|").length - 1;
  if (t.startsWith("|") || pipes >= 2) {
    const cells = t
      .replace(/^\|/, "")
      .replace(/(?<!\\)\|$/, "")
      .split(/(?<!\\)\|/)
      .map((c) => c.replace(/\\\|/g, "|").trim());
    return { kind: "pipe", cells };
  }
  // Trailing tabs may have been trimmed away: inside a tab table one tab is enough.
  const tabs = line.replace(/\s+$/, "").match(/\t/g)?.length ?? 0;
  if (tabs >= 2 || (inTabRun && tabs >= 1)) return { kind: "tab", cells: line.split("\t").map((c) => c.trim()) };
  return null;
}

const isSeparatorRow = (cells: string[]) => cells.length > 0 && cells.every((c) => /^:?-{2,}:?$|^$/.test(c));

/** Markup of a cell away: bold, italics, escapes; `<br>` and new lines become "\n". */
function cellText(cell: string): string {
  return cell
    .split(/<br\s*\/?>|\n/i)
    .map((l) =>
      squash(
        l
          .replace(/\*+|(^|\s)_+|_+(?=\s|$)/g, "$1")
          .replace(/\\([\\`*_{}[\]()#+\-.!|>])/g, "$1")
          .trim(),
      ),
    )
    .filter((l) => l !== "")
    .join("\n");
}

interface Header {
  /** Role of each column, by position. */
  roles: (ColumnRole | null)[];
  /** Rows the header takes (a two-row header: "Đơn vị thực hiện" over "Chủ trì | Phối hợp"). */
  rows: number;
}

/** All non-empty cells the same: a caption or a row spanning the table, its text copied into every column. */
function isSpanningRow(cells: string[]): boolean {
  const filled = cells.filter((c) => c !== "");
  return cells.length >= 2 && (filled.length === 1 || (filled.length >= 2 && new Set(filled).size === 1));
}

/**
 * A heading inside the table, not a task: a row spanning it ("I. CÔNG TÁC CHỈ ĐẠO" merged over every column), a
 * Roman number with no unit nor timing, or text in the number column alone.
 */
function isSectionRow(cells: string[], number: string, rest: string): boolean {
  const filled = cells.filter((c) => c !== "");
  if (filled.length >= 2 && new Set(filled).size === 1) return true;
  if (ROMAN.test(number) && rest === "") return true;
  return filled.length === 1 && filled[0] === number && hasLetters(number);
}

/** Header rows at the top of a table (after any caption row), their roles merged column by column. */
function readHeader(rows: string[][]): Header | null {
  let at = 0;
  while (at < rows.length && at < 2 && isSpanningRow(rows[at] ?? []) && !isHeaderRow(rows[at] ?? [])) at++;
  const first = rows[at];
  if (!first || !isHeaderRow(first)) return null;
  const roles: (ColumnRole | null)[] = first.map(columnRoleOf);
  let used = at + 1;
  // A second header row refines the first: sub-columns under a spanning "Đơn vị thực hiện".
  const second = rows[used];
  if (second && isHeaderRow(second) && second.every((c, i) => c === "" || c === first[i] || columnRoleOf(c))) {
    second.forEach((c, i) => {
      const role = columnRoleOf(c);
      if (role) roles[i] = role;
    });
    used++;
  }
  if (!roles.includes("task") || !roles.includes("lead")) return null;
  // A budget table ("Nội dung chi | Đơn vị | Kinh phí") is a task table only when it also gives cooperating units or
  // a timing: the budget reader has it otherwise.
  const money = [first, ...(used > at + 1 ? [second ?? []] : [])]
    .flat()
    .some((c) => /\b(?:kinh phi|thanh tien|so tien|du toan|nguon von)\b/.test(foldWords(c)));
  if (money && !roles.includes("support") && !roles.includes("timing")) return null;
  return { roles, rows: used };
}

/** Rows of a table (cells as text) whose header makes it a task table. */
export function isTaskTable(rows: string[][]): boolean {
  return readHeader(rows.map((r) => r.map(cellText))) !== null;
}

/** At least two cells name a column, and most do ("Ghi chú", "Sản phẩm" name none). */
function isHeaderRow(cells: string[]): boolean {
  const filled = cells.filter((c) => c !== "");
  const named = filled.filter((c) => columnRoleOf(c) !== null).length;
  return named >= 2 && named * 2 > filled.length;
}

/**
 * "Hội LHPN, Đoàn TN và Hội CCB": one name each, generic phrases dropped. A lead cell (`lead`) splits on lines and
 * ";" only: a lead's own name may hold a comma or "và" ("Ủy ban Mặt trận, các đoàn thể").
 */
export function unitNames(cell: string, lead = false): string[] {
  const names: string[] = [];
  for (const part of cell.split(lead ? /\n|;/u : /\n|[,;]|\s+và\s+(?!các\b)/u)) {
    const name = squash(part.replace(/^[-–—+•*·]\s*/u, "").replace(/[.:]+$/u, ""));
    const f = foldWords(name);
    if (name === "" || /^(?:cac|nhung)? ?(?:nganh|don vi|co quan|bo phan)(?: co)? lien quan$/.test(f)) continue;
    if (/^(?:cac nganh|cac don vi|cac co quan)$/.test(f)) continue;
    if (!names.includes(name)) names.push(name);
  }
  return names;
}

/** A task cell's lines as one text, each line's own bullet or list label ("- ", "1.", "a)") dropped. */
function taskText(cell: string): string {
  return squash(
    cell
      .split("\n")
      .map((line) => line.replace(/^(?:[-–—+•*·]|\d{1,2}(?:\.\d{1,2})*[.)]|[a-zđ]\))\s+/u, ""))
      .join(" "),
  );
}

const ROMAN = /^(?:I|II|III|IV|V|VI|VII|VIII|IX|X)\.?$/;

function hasLetters(text: string): boolean {
  return /\p{L}/u.test(text);
}

interface TableRun {
  start: number;
  end: number;
  rows: string[][];
}

/** Consecutive table rows of one kind (blank lines between rows allowed), separator rows left out. */
function tableRuns(lines: string[]): TableRun[] {
  const runs: TableRun[] = [];
  let current: (TableRun & { kind: string }) | null = null;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] ?? "";
    const row = rowCells(line, current?.kind === "tab");
    if (!row) {
      if (line.trim() === "" && current) continue;
      current = null;
      continue;
    }
    if (!current || current.kind !== row.kind) {
      current = { kind: row.kind, start: i, end: i, rows: [] };
      runs.push(current);
    }
    current.end = i;
    if (!isSeparatorRow(row.cells)) current.rows.push(row.cells.map(cellText));
  }
  return runs;
}

const tableName = (index: number) => `Bảng phân công nhiệm vụ${index > 1 ? ` thứ ${index}` : ""}`;

function rowName(index: number, row: number, number: string): string {
  return `${tableName(index)}, dòng ${row}${number ? ` (STT ${number})` : ""}`;
}

type Read = { ok: true; tasks: TableTask[] } | { ok: false; error: string };

function readBody(rows: string[][], header: Header, index: number): Read {
  const col = (role: ColumnRole) => header.roles.indexOf(role);
  const [numberAt, taskAt, leadAt, supportAt, timingAt] = (
    ["number", "task", "lead", "support", "timing"] as ColumnRole[]
  ).map(col);
  const cell = (cells: string[], at: number | undefined) => (at !== undefined && at >= 0 ? (cells[at] ?? "") : "");
  const body = rows.slice(header.rows);
  // A numbered table: rows without a number continue the row above (a long cell wrapped over two rows).
  const numbered = numberAt !== undefined && numberAt >= 0 && body.filter((r) => cell(r, numberAt) !== "").length >= 2;
  const tasks: TableTask[] = [];
  let lastLead = "";
  let lastTiming: string | null = null;
  let rowNo = 0;
  for (const cells of body) {
    rowNo++;
    const number = cell(cells, numberAt);
    const text = cell(cells, taskAt);
    if (cells.every((c) => c === "")) continue;
    if (cells.length > header.roles.length && cells.slice(header.roles.length).some((c) => c !== "")) {
      return {
        ok: false,
        error: `${rowName(index, rowNo, number)}: có ${cells.length} ô trong khi tiêu đề bảng có ${header.roles.length} cột, không đọc được. Hãy sửa lại dòng này cho khớp với các cột rồi nhập lại.`,
      };
    }
    const lead = cell(cells, leadAt);
    const rest = [lead, cell(cells, supportAt), cell(cells, timingAt)].join("");
    if (isSectionRow(cells, number, rest)) continue;
    const previous = tasks.at(-1);
    if (numbered && number === "" && previous) {
      // The row above goes on: each cell's text joins the same cell above.
      if (text) previous.text = squash(`${previous.text} ${taskText(text)}`);
      if (lead) previous.lead = squash(`${previous.lead} ${lead}`);
      for (const s of unitNames(cell(cells, supportAt))) if (!previous.support.includes(s)) previous.support.push(s);
      const timing = cell(cells, timingAt);
      if (timing) previous.timing = squash(`${previous.timing ?? ""} ${timing}`);
      continue;
    }
    if (!text || !hasLetters(text)) {
      return {
        ok: false,
        error: `${rowName(index, rowNo, number)}: không có nội dung nhiệm vụ (chỉ có ${rest ? "đơn vị hoặc thời gian" : "số thứ tự"}). Hãy điền nội dung nhiệm vụ hoặc xóa dòng này rồi nhập lại.`,
      };
    }
    const leads = unitNames(lead || lastLead, true);
    const [first, ...others] = leads;
    if (!first) {
      return {
        ok: false,
        error: `${rowName(index, rowNo, number)}: không có đơn vị chủ trì, và không có dòng nào phía trên để lấy theo (ô gộp). Hãy ghi đơn vị chủ trì cho nhiệm vụ “${text.split("\n")[0]?.slice(0, 60)}” rồi nhập lại.`,
      };
    }
    lastLead = lead || lastLead;
    const timing: string | null = cell(cells, timingAt) || lastTiming;
    lastTiming = timing;
    const support = [...others, ...unitNames(cell(cells, supportAt))].filter((s) => fold(s) !== fold(first));
    tasks.push({ row: rowNo, text: taskText(text), lead: first, support, timing: timing || null });
  }
  return { ok: true, tasks };
}

/**
 * Task tables found in a plan text, and the text without them (each replaced by a blank line, so what surrounds them
 * reads as before). Tables that are not task tables (the two-column header, the signature block) are left in place.
 */
export function extractTaskTables(text: string): TablesResult {
  const lines = text.split("\n");
  const tables: TaskTable[] = [];
  const remove: [number, number][] = [];
  for (const run of tableRuns(lines)) {
    const header = readHeader(run.rows);
    if (!header) continue;
    const index = tables.length + 1;
    const read = readBody(run.rows, header, index);
    if (!read.ok) return read;
    if (read.tasks.length === 0) {
      return {
        ok: false,
        error: `${tableName(index)} chỉ có dòng tiêu đề, không có nhiệm vụ nào. Hãy điền các dòng nhiệm vụ hoặc xóa bảng rồi nhập lại.`,
      };
    }
    tables.push({ index, tasks: read.tasks });
    remove.push([run.start, run.end]);
  }
  if (tables.length === 0) return { ok: true, text, tables };
  const kept = lines.map((line, i) => (remove.some(([a, b]) => i >= a && i <= b) ? "" : line));
  return { ok: true, text: kept.join("\n"), tables };
}
