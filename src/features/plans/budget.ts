/**
 * A plan's budget as its text states it: the budget section ("III. KINH PHÍ THỰC HIỆN", "5. Kinh phí thực hiện: …")
 * read into lines of amount (đồng), source and purpose, and the total the plan states. Pure: text in, data out.
 *
 * What counts:
 * - amounts written with a currency ("15.000.000 đồng", "15.000.000đ", "15 triệu đồng", "1,5 tỷ đồng", "… VNĐ"),
 *   or bare numbers in a text table whose header gives the unit ("Kinh phí (đồng)", "(triệu đồng)");
 * - sources as the plan names them ("ngân sách phường năm 2024", "nguồn xã hội hóa", "các nguồn hợp pháp khác");
 * - a line per amount, its purpose the words before the amount ("In ấn tờ rơi: 5.000.000 đồng"), "Thực hiện kế
 *   hoạch" when the amount is for the whole plan;
 * - a section naming sources but no amount (the usual "Kinh phí … từ nguồn ngân sách phường"): one line per source
 *   with a null amount, so what the plan says about money is kept without inventing a figure;
 * - `total`: the total the plan states ("Tổng cộng: …", "Tổng kinh phí: …"); else the sum of the lines when every line
 *   has an amount; else null (the plan states no total).
 * A plan without a budget section (the seed plan gives its finance officer the task "bố trí kinh phí" but states no
 * section) reads as `null`: no lines, no total.
 */
import { compareVi, fold, nfc, squash } from "../../core/text/vi.ts";

export interface BudgetLineDraft {
  /** Đồng, an integer; null when the plan names the source but no amount. */
  amount: number | null;
  /** As the plan names it, first letter in capitals ("Ngân sách phường năm 2024"); null when not stated. */
  source: string | null;
  purpose: string;
}

export interface BudgetDraft {
  /** The total the text writes out ("Tổng cộng: …"), đồng; null when it writes none. */
  stated: number | null;
  /** Đồng; null when the plan states none (see `budgetTotal`). */
  total: number | null;
  lines: BudgetLineDraft[];
}

/** A budget's total: the one stated, else the sum of the lines when every line has an amount, else null. */
export function budgetTotal(stated: number | null, lines: readonly { amount: number | null }[]): number | null {
  if (stated !== null) return stated;
  if (lines.length === 0 || lines.some((l) => l.amount === null)) return null;
  return lines.reduce((t, l) => t + (l.amount ?? 0), 0);
}

/** The purpose of an amount given for the plan as a whole. */
export const WHOLE_PLAN = "Thực hiện kế hoạch";

/** The most a plan line may hold (10,000 billion đồng): beyond it, a misread number, not a budget. */
export const MAX_AMOUNT = 10_000_000_000_000;

const MULTIPLIERS: Record<string, number> = { ty: 1e9, trieu: 1e6, nghin: 1e3, ngan: 1e3 };

// A number ("15.000.000", "15 000 000", "1,5", "15") optionally scaled ("triệu", "tỷ") and followed by a currency.
const AMOUNT =
  /(\d{1,3}(?:[. ]\d{3})+|\d+)(?:,(\d{1,3}))?\s*(tỷ|tỉ|triệu|nghìn|ngàn)?\s*(?:đồng|đ(?![\p{L}])|VNĐ|VND|vnđ|vnd)/giu;

/** "15.000.000" → 15000000, "1,5" with "tỷ" → 1500000000; null when out of range. */
function toDong(digits: string, decimals: string | undefined, scale: string | undefined): number | null {
  const whole = Number(digits.replace(/[. ]/g, ""));
  const frac = decimals ? Number(`0.${decimals}`) : 0;
  const mult = scale ? (MULTIPLIERS[fold(scale).replace("ti", "ty")] ?? 1) : 1;
  const value = Math.round((whole + frac) * mult);
  return Number.isSafeInteger(value) && value > 0 && value <= MAX_AMOUNT ? value : null;
}

interface AmountHit {
  amount: number;
  index: number;
  end: number;
}

/** Every amount written with its currency in a text, in order. */
export function amountsIn(text: string): AmountHit[] {
  const hits: AmountHit[] = [];
  for (const m of nfc(text).matchAll(AMOUNT)) {
    const amount = toDong(m[1] ?? "", m[2], m[3]);
    if (amount !== null) hits.push({ amount, index: m.index ?? 0, end: (m.index ?? 0) + m[0].length });
  }
  return hits;
}

const capitalise = (s: string) => s.charAt(0).toLocaleUpperCase("vi") + s.slice(1);
const tidy = (s: string) =>
  squash(s)
    .replace(/^[\s,;:.–-]+|[\s,;:–-]+$/g, "")
    .replace(/\.$/, "");

// Where a source's name stops: a clause boundary, or a word that starts another clause.
const SOURCE_END = String.raw`(?=\s*(?:[.,;:()]|$|\s(?:và|để|cho|theo|được|đã|gồm|trong đó|với|phải|cần)\s))`;
const SOURCE_PATTERNS: RegExp[] = [
  new RegExp(`ngân sách[^.,;:()]*?${SOURCE_END}`, "giu"),
  new RegExp(`(?:nguồn )?(?:kinh phí )?xã hội hóa${SOURCE_END}`, "giu"),
  new RegExp(`(?:các )?nguồn (?:kinh phí |vốn )?(?:huy động )?hợp pháp khác${SOURCE_END}`, "giu"),
  new RegExp(`nguồn kinh phí (?!xã hội|hợp pháp)[^.,;:()]*?${SOURCE_END}`, "giu"),
  new RegExp(`kinh phí (?:chi )?(?:không )?thường xuyên[^.,;:()]*?${SOURCE_END}`, "giu"),
];

/** The sources a text names, as written, in order of appearance, each once. */
export function sourcesIn(text: string): { name: string; index: number }[] {
  const found: { name: string; index: number; end: number }[] = [];
  for (const re of SOURCE_PATTERNS) {
    for (const m of nfc(text).matchAll(re)) {
      const start = m.index ?? 0;
      const end = start + m[0].length;
      if (found.some((f) => start < f.end && end > f.index)) continue;
      const name = tidy(m[0].replace(/^nguồn kinh phí\s+/iu, "nguồn ").replace(/\s+\(?nếu có\)?$/iu, ""));
      if (name.split(" ").length >= 2) found.push({ name: capitalise(name), index: start, end });
    }
  }
  const seen = new Set<string>();
  return found
    .sort((a, b) => a.index - b.index)
    .filter((f) => {
      const key = fold(f.name);
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    })
    .map(({ name, index }) => ({ name, index }));
}

// ——— Finding the section ———

interface Line {
  text: string;
  /** Heading depth of its label: 1 for "III.", 2 for "5.", 3 for "5.1." or "a)"; 0 without a label. */
  rank: number;
  bullet: boolean;
}

const ROMAN = /^(?:[IVXLC]+)\s*[.:)-]\s+/u;
const NUMBERED = /^(\d+(?:\.\d+)*)\s*[.)]\s*/u;
const LETTERED = /^[a-zđ]\s*\)\s*/u;
const BULLET = /^[-–+•*]\s+/u;

function lineOf(raw: string): Line {
  // Markdown emphasis and heading marks are presentation, not words; a leading "* " is a bullet.
  const text = squash(
    raw
      .replace(/^#+\s*/, "")
      .replace(/^\*\s+/, "- ")
      .replace(/\*+/g, ""),
  );
  if (ROMAN.test(text)) return { text: text.replace(ROMAN, ""), rank: 1, bullet: false };
  const n = NUMBERED.exec(text);
  if (n?.[1]) return { text: text.slice(n[0].length), rank: 1 + n[1].split(".").length, bullet: false };
  if (LETTERED.test(text)) return { text: text.replace(LETTERED, ""), rank: 4, bullet: false };
  if (BULLET.test(text)) return { text: text.replace(BULLET, ""), rank: 0, bullet: true };
  return { text, rank: 0, bullet: false };
}

const isCapsLine = (s: string) => /\p{Lu}/u.test(s) && s === s.toLocaleUpperCase("vi") && s.length <= 100;
const BUDGET_TITLE = /^(?:du tru )?kinh phi\b/;
const FOOTER = /^(?:tren day|noi nhan|tm\s*\.|kt\s*\.)/;

/** The lines of the plan's budget section (its heading's own text first), or null when it has none. */
function budgetSection(text: string): Line[] | null {
  const lines = nfc(text)
    .split(/\r?\n|\f/)
    .map((l) => l.trim())
    .filter((l) => l !== "" && !/^\|?[\s:|-]+\|?$/.test(l))
    .map(lineOf);
  const start = lines.findIndex((l) => {
    const f = fold(l.text);
    if (!BUDGET_TITLE.test(f)) return false;
    // A labelled heading, a heading in capitals, a "Kinh phí …:" line, or a sentence that names money.
    if (l.rank > 0 || isCapsLine(l.text) || /:/.test(l.text) || amountsIn(l.text).length > 0) return true;
    // A bullet that merely names a source is a requirement ("- Kinh phí … phải dùng đúng mục đích"), not a section.
    return !l.bullet && sourcesIn(l.text).length > 0;
  });
  if (start < 0) return null;
  const head = lines[start] as Line;
  const headRank = head.rank > 0 ? head.rank : isCapsLine(head.text) ? 1 : 99;
  const body: Line[] = [head];
  for (const l of lines.slice(start + 1)) {
    if (FOOTER.test(fold(l.text))) break;
    if (l.rank > 0 && l.rank <= headRank) break;
    if (headRank === 1 && l.rank === 0 && !l.bullet && isCapsLine(l.text) && !l.text.startsWith("|")) break;
    // A sentence of its own ends an unlabelled "Kinh phí …" paragraph; its bullets belong to it.
    if (headRank === 99 && !l.bullet && !l.text.startsWith("|")) break;
    body.push(l);
  }
  return body;
}

// ——— Reading the lines ———

const TOTAL = /^(?:tong cong|tong kinh phi|tong so|tong du toan|tong)\b/;
const GENERIC_PURPOSE = /^(?:du tru |tong )?kinh phi(?: thuc hien)?(?: ke hoach)?(?: nay)?(?: (?:du kien|la|khoang))?$/;

/** The words before an amount, as a purpose; the whole plan when they only say "kinh phí (thực hiện kế hoạch)". */
function purposeOf(before: string): string {
  const p = tidy(
    before
      .replace(/(?:dự kiến|khoảng|là|với|gồm|số tiền|tổng số tiền|mức)\s*$/iu, "")
      .replace(/^(?:\d+\s*[.)]\s*)/u, ""),
  );
  if (p === "" || GENERIC_PURPOSE.test(fold(p))) return WHOLE_PLAN;
  return capitalise(p);
}

interface Reading {
  lines: BudgetLineDraft[];
  stated: number | null;
  sources: string[];
}

/** One sentence or bullet: a total, amounts with their purposes and sources, or sources alone. */
function readItem(text: string, r: Reading): void {
  // "20 triệu đồng từ ngân sách phường; 5 triệu đồng từ nguồn xã hội hóa": each clause its own line.
  for (const clause of text.split(/;\s*/)) {
    const amounts = amountsIn(clause);
    const sources = sourcesIn(clause);
    if (TOTAL.test(fold(clause))) {
      if (amounts[0] && r.stated === null) r.stated = amounts[0].amount;
      for (const s of sources) r.sources.push(s.name);
      continue;
    }
    if (amounts.length === 0) {
      for (const s of sources) r.sources.push(s.name);
      continue;
    }
    amounts.forEach((a, i) => {
      const from = i === 0 ? 0 : (amounts[i - 1] as AmountHit).end;
      const before = clause.slice(from, a.index).replace(/\([^)]*$/, "");
      const to = i + 1 < amounts.length ? (amounts[i + 1] as AmountHit).index : clause.length;
      const source = sources.find((s) => s.index >= a.end && s.index < to) ?? sources.find((s) => s.index < a.index);
      const fromColon = before.includes(":") ? before.slice(0, before.lastIndexOf(":")) : before;
      r.lines.push({ amount: a.amount, source: source?.name ?? null, purpose: purposeOf(fromColon) });
    });
  }
}

/** Columns of a text table, from its header row: which holds the amount (and in what unit), purpose, source. */
interface TableColumns {
  amount: number;
  scale: number;
  purpose: number;
  source: number;
}

function tableHeader(cells: string[]): TableColumns | null {
  const folded = cells.map((c) => fold(c));
  const amount = folded.findIndex((c) => /kinh phi|so tien|thanh tien|du toan|\bdong\b/.test(c));
  if (amount < 0 || cells.some((c) => amountsIn(c).length > 0)) return null;
  const head = folded[amount] ?? "";
  const scale = /trieu/.test(head) ? 1e6 : /nghin|ngan/.test(head) ? 1e3 : 1;
  return {
    amount,
    scale,
    purpose: folded.findIndex((c, i) => i !== amount && /noi dung|hang muc|muc chi|cong viec|hoat dong/.test(c)),
    source: folded.findIndex((c, i) => i !== amount && /nguon/.test(c)),
  };
}

/** A number as a table cell writes it ("6", "2,5", "15.000.000"), scaled by the header's unit. */
function cellAmount(cell: string, scale: number): number | null {
  const written = amountsIn(cell)[0];
  if (written) return written.amount;
  const m = /^(\d{1,3}(?:[. ]\d{3})+|\d+)(?:,(\d{1,3}))?$/.exec(cell.trim());
  if (!m) return null;
  const value = toDong(m[1] ?? "", m[2], undefined);
  return value === null ? null : Math.round(value * scale);
}

/** A text-table row "| 1 | In tờ rơi | 5.000.000 | Ngân sách phường |" under its header's columns. */
function readTableRow(cells: string[], cols: TableColumns, r: Reading): void {
  const amount = cellAmount(cells[cols.amount] ?? "", cols.scale);
  if (amount === null) return;
  const words = cells.filter((c, i) => i !== cols.amount && /\p{L}{2,}/u.test(c));
  const purpose = (cols.purpose >= 0 ? cells[cols.purpose] : words[0]) ?? "";
  const sourceText = cols.source >= 0 ? (cells[cols.source] ?? "") : (words.find((c) => sourcesIn(c).length) ?? "");
  if (TOTAL.test(fold(purpose)) || words.some((c) => TOTAL.test(fold(c)))) {
    if (r.stated === null) r.stated = amount;
    return;
  }
  r.lines.push({
    amount,
    source: sourcesIn(sourceText)[0]?.name ?? (sourceText.trim() ? capitalise(tidy(sourceText)) : null),
    purpose: purposeOf(purpose),
  });
}

/** Read the budget a plan text states; null when it has no budget section. */
export function readBudget(text: string): BudgetDraft | null {
  const section = budgetSection(text);
  if (!section) return null;
  const first = section[0];
  const r: Reading = { lines: [], stated: null, sources: [] };
  let columns: TableColumns | null = null;
  for (const l of section) {
    if (l.text.startsWith("|")) {
      const cells = l.text
        .replace(/^\||\|$/g, "")
        .split("|")
        .map((c) => squash(c));
      const header = tableHeader(cells);
      if (header) columns = header;
      else if (columns) readTableRow(cells, columns, r);
      continue;
    }
    // The heading's own words ("Kinh phí thực hiện") are not an item; what follows its colon is.
    const own = l === first && l.text.includes(":") ? l.text.slice(l.text.indexOf(":") + 1) : l.text;
    if (l === first && !l.text.includes(":") && amountsIn(own).length === 0) {
      for (const s of sourcesIn(own)) r.sources.push(s.name);
      continue;
    }
    readItem(own, r);
  }
  const sources = [...new Set(r.sources)];
  const shared = sources.length ? sources.join(" và ") : null;
  const lines = r.lines.length
    ? r.lines.map((l) => ({ ...l, source: l.source ?? shared }))
    : sources.map((s) => ({ amount: null, source: s, purpose: WHOLE_PLAN }));
  return { stated: r.stated, total: budgetTotal(r.stated, lines), lines };
}

// ——— Who keeps the budget, and planned against spent ———

/** A task about the plan's money: "bố trí kinh phí", "dự toán ngân sách", "thanh quyết toán". */
export function isBudgetTask(text: string): boolean {
  return /\b(?:kinh phi|ngan sach|du toan|quyet toan)\b/.test(fold(text));
}

export interface ComparisonRow {
  /** A channel kind or a unit id as text; "" for what is tied to no channel or unit. */
  key: string;
  label: string;
  /** Đồng planned (lines with an amount); null when no line with an amount is tied here. */
  planned: number | null;
  spent: number;
  activities: number;
}

/**
 * Pure: planned lines against the ledger's costs, grouped by a key (channel or unit). Rows in the order given by
 * `labels` first, then keys only the ledger has; the lines tied to nothing form the last row (`untied`).
 */
export function comparePlannedSpent(
  lines: readonly { amount: number | null; key: string | null }[],
  spent: readonly { key: string; cost: number; count: number }[],
  labels: ReadonlyMap<string, string>,
  untied: string,
): ComparisonRow[] {
  const rows = new Map<string, ComparisonRow>();
  const row = (key: string) => {
    let r = rows.get(key);
    if (!r) {
      r = { key, label: key === "" ? untied : (labels.get(key) ?? key), planned: null, spent: 0, activities: 0 };
      rows.set(key, r);
    }
    return r;
  };
  for (const l of lines) {
    const r = row(l.key ?? "");
    if (l.amount !== null) r.planned = (r.planned ?? 0) + l.amount;
  }
  for (const s of spent) {
    const r = row(s.key);
    r.spent += s.cost;
    r.activities += s.count;
  }
  const order = [...labels.keys()];
  const rank = (k: string) => (k === "" ? Number.MAX_SAFE_INTEGER : order.indexOf(k) + 1 || order.length + 1);
  return [...rows.values()].sort((a, b) => rank(a.key) - rank(b.key) || compareVi(a.label, b.label));
}
