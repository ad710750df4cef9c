/**
 * Plan text → blocks. A block is a paragraph or list item with its Markdown-ish markup stripped, its numbering
 * label ("II.", "2.1.", "a)") or bullet detected, and the paragraphs a page break split in two joined back.
 * Pure: knows the administrative style of Vietnamese documents, not any one document.
 */
import { fold, squash } from "../../core/text/vi.ts";

export type LabelKind = "roman" | "number" | "decimal" | "letter";

export interface Label {
  kind: LabelKind;
  /** As written without punctuation: "II", "1", "2.1", "a". */
  value: string;
  /** Nesting depth: roman 1, "1." 2, "2.1" 3, "2.1.1" 4, "a)" 5. */
  rank: number;
}

export interface Block {
  /** Label and bullet removed, markup stripped, single-spaced. */
  text: string;
  /** The source lines, markup stripped but label and bullet kept (header and footer are read line by line). */
  lines: string[];
  label: Label | null;
  /** The bullet character ("-", "+", "•" …) or null. */
  bullet: string | null;
  /** A Markdown heading, a wholly bold/italic line, or a line in capitals only. */
  heading: boolean;
  /** A Markdown heading or a wholly bold/italic line (capitals alone do not count). */
  styled: boolean;
  /** Preceded by a blank line (or the start of the text). */
  paragraphStart: boolean;
  /** Preceded by a sure sign of a new page: a form feed or a page number alone on its line. */
  afterPageBreak: boolean;
}

interface Line {
  /** Cleaned line, label and bullet kept. */
  full: string;
  /** Cleaned line without label or bullet. */
  body: string;
  label: Label | null;
  bullet: string | null;
  styled: boolean;
  caps: boolean;
}

const ROMAN = "X|IX|VIII|VII|VI|V|IV|III|II|I";
// Roman numerals must be followed by an upper-case word: "I. MỤC ĐÍCH", never "I. là".
const ROMAN_RE = new RegExp(`^(${ROMAN})(?:\\s*[.)]|\\s+[-–:])\\s*(?=[\\p{Lu}"“(])`, "u");
const DECIMAL_RE = /^(\d{1,2}(?:\.\d{1,2})+)(?:[.)]\s*|\s+)(?=[\p{L}"“(])/u;
// "1." "1)" "1/ " but not "18/KH-UBND" nor "2022 - 2025".
const NUMBER_RE = /^(\d{1,2})(?:[.)]\s*|\/\s+)(?=[\p{L}"“(])/u;
// "a)", "a." and "a/" (as some wards type it).
const LETTER_RE = /^([a-zđ])(?:\s*[)/]\s*|\.\s+)(?=[\p{L}"“(])/u;
// Dashes, plus signs and the symbols word processors put before list items (check marks, arrows, squares).
const BULLET_RE = /^([-–—+•·◦▪●○∙✓✔➢➤►▶→⁃‣❖◆◇♦■□▫☐✗※])\s*(?=[^\s\-–—])/u;
const DASHES = new Set(["-", "–", "—"]);
const SUB_BULLETS = new Set(["+", "◦", "▪", "·", "∙", "○", "◇", "▫", "□"]);

/** Detect a numbering label at the start of a cleaned line. */
export function detectLabel(text: string): { label: Label; rest: string } | null {
  const rules: [RegExp, LabelKind][] = [
    [ROMAN_RE, "roman"],
    [DECIMAL_RE, "decimal"],
    [NUMBER_RE, "number"],
    [LETTER_RE, "letter"],
  ];
  for (const [re, kind] of rules) {
    const m = re.exec(text);
    if (!m?.[1]) continue;
    const value = m[1];
    const rank = kind === "roman" ? 1 : kind === "number" ? 2 : kind === "letter" ? 5 : value.split(".").length + 1;
    return { label: { kind, value, rank }, rest: text.slice(m[0].length) };
  }
  return null;
}

/** True when the text ends a sentence or a clause: a following paragraph is not its continuation. */
export function endsSentence(text: string): boolean {
  return /[.;:!?…]["”’»)\]]*$/u.test(text.trim());
}

/** At least four letters and no lower-case one: "KẾ HOẠCH", "I. MỤC ĐÍCH, YÊU CẦU", "CHỦ TỊCH". */
export function isCaps(text: string): boolean {
  const letters = text.match(/\p{L}/gu);
  return (letters?.length ?? 0) >= 4 && !/\p{Ll}/u.test(text);
}

export function stripTrailingColon(text: string): string {
  return text.replace(/\s*[:：]\s*$/u, "").trim();
}

/** Remove Markdown/HTML markup from one line; report whether the whole line was a heading or emphasised. */
export function cleanLine(raw: string): { text: string; styled: boolean } {
  let s = raw.trim();
  let styled = false;
  const heading = /^#{1,6}\s+/.exec(s);
  if (heading) {
    styled = true;
    s = s.slice(heading[0].length).replace(/\s+#+$/, "");
  }
  s = s
    .replace(/^>\s*/, "")
    .replace(/\\([\\`*_{}[\]()#+\-.!|>])/g, "$1")
    .replace(/<\/?(?:b|i|u|em|strong|span|p|div|sup|sub)\b[^>]*>/gi, "");
  // A Markdown "* item" is a bullet, not emphasis.
  s = s.replace(/^\*\s+(?=\S)/, "- ");
  if (/^(?:\*{1,3}|_{1,3})\S/.test(s) && /\S(?:\*{1,3}|_{1,3})$/.test(s)) styled = true;
  s = s
    .replace(/\*+/g, "")
    .replace(/(^|[\s(])_{1,3}(?=\S)/g, "$1")
    .replace(/(\S)_{1,3}(?=$|[\s).,:;])/g, "$1");
  return { text: squash(s), styled };
}

function analyseLine(raw: string): Line | null {
  const { text, styled } = cleanLine(raw);
  if (text === "") return null;
  const bullet = BULLET_RE.exec(text);
  if (bullet?.[1]) {
    const body = text.slice(bullet[0].length);
    return { full: text, body, label: null, bullet: bullet[1], styled, caps: false };
  }
  const labelled = detectLabel(text);
  return {
    full: text,
    body: labelled ? labelled.rest : text,
    label: labelled?.label ?? null,
    bullet: null,
    styled,
    caps: isCaps(text),
  };
}

/** "---", "______", "* * *": a horizontal rule acts as a blank line. */
function isRule(raw: string): boolean {
  const t = raw.trim();
  return t.length >= 3 && /^[-_*=~·.\s|:]+$/.test(t);
}

/** Stands for a page break in the prepared lines: a blank line that is sure to be a new page. */
const PAGE_BREAK = "\f";

/** A page number alone on its line ("2", "- 2 -", "Trang 2/5") left by a PDF conversion. */
function isPageNumber(raw: string): boolean {
  const t = raw.trim();
  return /^-?\s*\d{1,3}\s*-?$/.test(t) || /^trang\s+\d{1,3}(?:\s*\/\s*\d{1,3})?$/i.test(t);
}

function tableCells(line: string): string[] {
  return line
    .trim()
    .replace(/^\||\|$/g, "")
    .split("|")
    .flatMap((cell) => cell.split(/<br\s*\/?>/i));
}

/** Two columns laid side by side (header, signature) come apart on tabs or wide gaps. */
function splitColumns(line: string): string[] {
  const parts = line
    .trim()
    .split(/\t+|\s{3,}/)
    .filter((p) => p !== "");
  return parts.length > 0 ? parts : [""];
}

/**
 * Source lines ready for the tokenizer: tables opened into cells, page numbers blanked, and in the header and the
 * footer (where documents put two columns side by side) the columns split into lines of their own.
 */
export function prepareLines(text: string): string[] {
  const out: string[] = [];
  let zone: "header" | "body" | "footer" = "header";
  for (const raw of text.replace(/\f/g, `\n${PAGE_BREAK}\n`).split("\n")) {
    if (raw === PAGE_BREAK) {
      out.push(PAGE_BREAK);
      continue;
    }
    if (raw.trim().startsWith("|") && /^[\s|:-]+$/.test(raw)) continue; // table separator row
    // A table row is read cell after cell (left column first); "<br>" breaks lines inside a cell.
    const cells = raw.trim().startsWith("|") ? tableCells(raw) : raw.split(/<br\s*\/?>/i);
    for (const cell of cells) {
      const probe = cleanLine(cell).text;
      const folded = fold(probe);
      if (zone === "header" && (ROMAN_RE.test(probe) || /^can cu\b/.test(folded))) zone = "body";
      if (zone !== "footer" && /^noi nhan\b/.test(folded)) zone = "footer";
      if (isPageNumber(cell)) out.push(PAGE_BREAK);
      else if (zone === "body") out.push(cell);
      else out.push(...splitColumns(cell));
    }
  }
  return out;
}

/** How the source lays its paragraphs out, measured once over the whole text. */
interface Layout {
  /** The column where a hard-wrapped text (copied from a PDF or an e-mail) breaks its lines; null when unwrapped. */
  width: number | null;
  /** Numbered paragraphs stand apart, a blank line above each: consecutive lines belong to one paragraph. */
  spaced: boolean;
}

/** Wrapped text has no long line, and many lines come close to the same length. */
function wrapWidth(lines: (Line | null)[]): number | null {
  const lengths = lines.flatMap((l) => (l && !l.caps ? [l.full.length] : [])).sort((a, b) => a - b);
  if (lengths.length < 10) return null;
  // The 90th and 97th percentiles: a few odd lines (a table row, a signature) do not make a text unwrapped.
  const width = lengths[Math.floor(lengths.length * 0.9)] ?? 0;
  const longest = lengths[Math.floor(lengths.length * 0.97)] ?? 0;
  const full = lengths.filter((n) => n >= width * 0.75).length;
  return width >= 40 && width <= 130 && longest <= width + 15 && full >= lengths.length * 0.3 ? width : null;
}

function measureLayout(lines: (Line | null)[]): Layout {
  const labelled = lines.flatMap((l, i) => (l?.label ? [i] : []));
  const spaced = labelled.filter((i) => i === 0 || lines[i - 1] === null).length;
  return { width: wrapWidth(lines), spaced: labelled.length >= 5 && spaced >= labelled.length * 0.8 };
}

/**
 * In a hard-wrapped text, a full line ran on into the next: it continues even when the next line starts with a
 * capital ("…của UBND tỉnh Nghệ" / "An ban hành …"). Where a clause ends at the margin ("…năm 2025;" / "Nghị quyết
 * …"), the line only continues when paragraphs are spaced (a new one would have a blank line above) or when the
 * next line starts in lower case.
 */
function wrapsInto(block: Block, line: Line, layout: Layout): boolean {
  if (layout.width === null || block.heading || line.styled || line.caps) return false;
  const last = block.lines.at(-1) ?? "";
  const firstWord = line.full.split(" ")[0] ?? "";
  // 10 % slack: proportional fonts put fewer letters on some full lines than on others.
  if (last.length + 1 + firstWord.length <= layout.width * 0.9) return false;
  // A dash the margin put first ("…chính trị" / "- xã hội", "…2021" / "– 2023") is not a bullet.
  if (line.bullet) return DASHES.has(line.bullet) && !endsSentence(block.text) && startsLikeContinuation(line.body);
  return layout.spaced || !endsSentence(block.text) || startsLikeContinuation(line.full);
}

/** Does this line go on the current block (a wrapped line) rather than start a new one? */
function continuesBlock(block: Block, line: Line, layout: Layout): boolean {
  if (line.label) return false;
  if (wrapsInto(block, line, layout)) return true;
  if (line.bullet || endsSentence(block.text)) return false;
  const lineHeading = line.styled || line.caps;
  // Headings and titles wrapped over several lines stay together; a heading never swallows body text.
  if (block.heading || lineHeading) return block.heading && lineHeading && block.styled === line.styled;
  // A line starting with a capital is a new paragraph ("4. Đài truyền thanh xã" / "Phối hợp …"), not a wrap.
  return startsLikeContinuation(line.full) || endsDangling(block.text);
}

function startsLikeContinuation(text: string): boolean {
  return /^["“(]?[\p{Ll}\d]/u.test(text);
}

/** A word no sentence ends on ("… của" / "UBND phường …"): what follows continues it, capital or not. */
const DANGLING =
  /(?:^|\s)(?:của|và|với|các|những|về|cho|trong|tại|theo|để|là|được|đến|từ|trên|bằng|như|hoặc|nhằm|giữa|cùng|số)$/iu;

function endsDangling(text: string): boolean {
  return DANGLING.test(text);
}

function newBlock(line: Line, paragraphStart: boolean, afterPageBreak: boolean): Block {
  return {
    text: line.body,
    lines: [line.full],
    label: line.label,
    bullet: line.bullet,
    heading: line.styled || line.caps,
    styled: line.styled,
    paragraphStart,
    afterPageBreak,
  };
}

/**
 * A page break shows as a paragraph cut in two by a blank line: the first part has no closing punctuation and the
 * second starts with a lower-case letter or a digit ("giai đoạn" / "2022 - 2025 của phường").
 */
function isPageBreakContinuation(prev: Block, next: Block): boolean {
  if (!next.paragraphStart || prev.heading || next.heading || next.label || next.bullet) return false;
  if (endsSentence(prev.text)) return false;
  // Where the text marks the new page, a capital may continue too ("…tỉnh Nghệ" / "An ban hành …"), unless what
  // stopped there is a short numbered line: a heading at the foot of the page.
  const markedBreak = next.afterPageBreak && !(prev.label && prev.text.length <= 100);
  return markedBreak || startsLikeContinuation(next.text) || endsDangling(prev.text);
}

function joinPageBreaks(blocks: Block[]): Block[] {
  const out: Block[] = [];
  for (const block of blocks) {
    const prev = out.at(-1);
    if (prev && isPageBreakContinuation(prev, block)) {
      prev.text = squash(`${prev.text} ${block.text}`);
      prev.lines.push(...block.lines);
    } else out.push(block);
  }
  return out;
}

/** The tokenizer: text (already NFC) → blocks. */
export function toBlocks(text: string): Block[] {
  const blocks: Block[] = [];
  let current: Block | null = null;
  let blank = true;
  let pageBreak = false;
  const raws = prepareLines(text);
  const lines = raws.map((raw) => (raw === PAGE_BREAK || isRule(raw) ? null : analyseLine(raw)));
  const layout = measureLayout(lines);
  for (const [i, line] of lines.entries()) {
    if (!line) {
      current = null;
      blank = true;
      pageBreak ||= raws[i] === PAGE_BREAK;
      continue;
    }
    if (current && continuesBlock(current, line, layout)) {
      current.text = squash(`${current.text} ${line.full}`);
      current.lines.push(line.full);
    } else {
      current = newBlock(line, blank, pageBreak);
      blocks.push(current);
    }
    blank = false;
    pageBreak = false;
  }
  return joinPageBreaks(blocks);
}

export function isSubBullet(block: Block): boolean {
  return block.bullet !== null && SUB_BULLETS.has(block.bullet);
}
