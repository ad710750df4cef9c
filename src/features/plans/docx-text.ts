/**
 * DOCX → plain plan text that keeps Word's automatic numbering.
 *
 * Ward plans ("Kế hoạch") number their sections with Word's automatic numbering ("I.", "1.", "2.1.", bullets): the
 * labels live in word/numbering.xml, not in the text, so a text-only extraction loses them and the plan parser cannot
 * find the sections. This module reads the DOCX itself and writes the text in the style of the plan seeds: one block
 * per paragraph, blocks separated by a blank line, numbered paragraphs prefixed with their computed label, bulleted
 * ones with "- ", and whole-bold paragraphs wrapped in `**…**`.
 *
 * Split by responsibility, each part small enough to read and to reuse (reading plan tables needs the same zip,
 * XML and document walk):
 * - the zip: src/core/zip.ts (central directory, stored/deflate entries, size caps against zip bombs; shared with
 *   the XLSX import's limits);
 * - the XML: docx-xml.ts (a namespace-aware mini DOM that refuses DTDs and caps depth);
 * - styles and numbering: docx-numbering.ts (the labels Word computes: `w:start`, overrides, restarts, "%1.%2.");
 * - the document model: this file (paragraphs, tables row by row, text boxes, alternate content).
 * Text-extraction libraries drop the numbering labels or only say "this is a list item", never the number Word
 * shows, so the plan parser could not find the sections; hence one walk of our own over the document.
 */
import { extractZipEntry, looksLikeZip, readZipDirectory, ZipError } from "../../core/zip.ts";
import {
  MAX_LEVELS,
  Numberer,
  readNumbering,
  readStyles,
  type Styles,
  styleBold,
  styleChain,
} from "./docx-numbering.ts";
import {
  attrOf,
  childElements,
  decodeXmlBytes,
  findChild,
  intAttr,
  isOn,
  parseXml,
  pickAlternate,
  textContent,
  type XEl,
  XmlError,
} from "./docx-xml.ts";
import { isTaskTable } from "./plan-tables.ts";

export type DocxTextResult = { ok: true; text: string } | { ok: false; error: string };

export interface DocxTextOptions {
  /** Wrap paragraphs whose text is all bold in `**…**`, as the plan seeds do. Default true. */
  markBold?: boolean;
}

/** Largest upload accepted. */
export const MAX_DOCX_BYTES = 20 * 1024 * 1024;
/** Largest word/document.xml accepted once inflated: a zip bomb guard. */
export const MAX_DOCUMENT_XML_BYTES = 4 * 1024 * 1024;
/** Largest styles.xml / numbering.xml accepted once inflated. */
const MAX_AUX_XML_BYTES = 10 * 1024 * 1024;

const MSG = {
  notDocx: "Tệp không phải là văn bản Word (.docx) hợp lệ.",
  empty: "Tệp rỗng: không phải là văn bản Word (.docx) hợp lệ.",
  pdf: "Tệp là PDF, không phải là văn bản Word (.docx). Vui lòng tải lên bản .docx của kế hoạch.",
  legacy:
    "Tệp là văn bản Word cũ (.doc) hoặc đã được đặt mật khẩu. Vui lòng mở bằng Word, bỏ mật khẩu (nếu có) và lưu lại dưới dạng .docx.",
  tooLarge: `Tệp quá lớn (tối đa ${MAX_DOCX_BYTES / 1024 / 1024} MB).`,
  bomb: `Nội dung văn bản Word quá lớn khi giải nén (tối đa ${MAX_DOCUMENT_XML_BYTES / 1024 / 1024} MB); tệp có thể bị hỏng hoặc không an toàn.`,
  encrypted: "Tệp Word đã được mã hóa, không đọc được nội dung.",
  corrupt: "Tệp Word bị hỏng, không đọc được nội dung.",
  noText: "Văn bản Word không có nội dung chữ (có thể là bản chụp, scan dạng ảnh).",
} as const;

/** An error whose message is meant for the user. */
class DocxError extends Error {}

/**
 * Extracts the text of a DOCX as plan text, with Word's automatic numbering written out. Never throws: bad input
 * (not a DOCX, corrupt, too large, zip bomb, no text) gives `{ ok: false, error }` with a Vietnamese message.
 */
export async function docxToPlanText(buf: Buffer, options: DocxTextOptions = {}): Promise<DocxTextResult> {
  try {
    // Typed as Buffer, but a plain Uint8Array (or a wrong value from untyped callers) must not throw either.
    const input: unknown = buf;
    if (!(input instanceof Uint8Array)) return { ok: false, error: MSG.notDocx };
    const bytes = Buffer.isBuffer(input) ? input : Buffer.from(input.buffer, input.byteOffset, input.byteLength);
    if (bytes.length === 0) return { ok: false, error: MSG.empty };
    if (bytes.length > MAX_DOCX_BYTES) return { ok: false, error: MSG.tooLarge };
    if (!looksLikeZip(bytes)) {
      if (startsWith(bytes, [0x25, 0x50, 0x44, 0x46])) return { ok: false, error: MSG.pdf }; // %PDF
      if (startsWith(bytes, [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1])) return { ok: false, error: MSG.legacy }; // OLE2
      return { ok: false, error: MSG.notDocx };
    }
    const entries = readZipDirectory(bytes);
    const docEntry = entries.get("word/document.xml");
    if (!docEntry) return { ok: false, error: MSG.notDocx };
    const docXml = await extractZip(bytes, docEntry, MAX_DOCUMENT_XML_BYTES);
    const stylesEntry = entries.get("word/styles.xml");
    const numberingEntry = entries.get("word/numbering.xml");
    const stylesXml = stylesEntry ? await extractZip(bytes, stylesEntry, MAX_AUX_XML_BYTES) : null;
    const numberingXml = numberingEntry ? await extractZip(bytes, numberingEntry, MAX_AUX_XML_BYTES) : null;

    const document = parseXml(decodeXmlBytes(docXml));
    const styles = readStyles(stylesXml ? parseXml(decodeXmlBytes(stylesXml)) : null);
    const numbering = readNumbering(numberingXml ? parseXml(decodeXmlBytes(numberingXml)) : null);

    const body = findChild(findChild(document, "w:document"), "w:body");
    if (!body) return { ok: false, error: MSG.notDocx };
    const extractor = new Extractor(styles, new Numberer(numbering, styles), options.markBold ?? true);
    extractor.blocks(body);
    if (extractor.out.length === 0) return { ok: false, error: MSG.noText };
    return { ok: true, text: `${extractor.out.join("\n\n")}\n`.normalize("NFC") };
  } catch (err) {
    if (err instanceof DocxError) return { ok: false, error: err.message };
    if (err instanceof XmlError) return { ok: false, error: MSG.corrupt };
    return { ok: false, error: MSG.corrupt };
  }
}

/** One part's bytes, the zip reader's refusals told in Vietnamese. */
async function extractZip(...args: Parameters<typeof extractZipEntry>): Promise<Buffer> {
  try {
    return await extractZipEntry(...args);
  } catch (err) {
    if (!(err instanceof ZipError)) throw err;
    throw new DocxError(err.kind === "encrypted" ? MSG.encrypted : err.kind === "too-large" ? MSG.bomb : MSG.corrupt);
  }
}

function startsWith(buf: Buffer, magic: number[]): boolean {
  return buf.length >= magic.length && magic.every((b, i) => buf[i] === b);
}

// ---------------------------------------------------------------------------------------------------------------
// document.xml → blocks

interface InlineState {
  parts: { text: string; bold: boolean }[];
  textboxes: XEl[];
  paragraphBold: boolean;
}

/** Tidies one paragraph's text: spaces collapsed, lines trimmed, empty lines dropped. */
function cleanText(s: string): string {
  return s
    .replace(/\p{Cc}/gu, (c) => (c === "\n" || c === "\t" ? c : "")) // control characters
    .replace(/[\u200b\u2060\ufeff]/g, "") // zero-width space, word joiner, stray BOM
    .replace(/[\t \u00a0\u2000-\u200a\u202f\u205f\u3000]+/g, " ")
    .split("\n")
    .map((line) => line.trim())
    .filter((line) => line !== "")
    .join("\n");
}

class Extractor {
  readonly out: string[] = [];

  constructor(
    private readonly styles: Styles,
    private readonly numberer: Numberer,
    private readonly markBold: boolean,
  ) {}

  /** Block-level content: body, table cell, text box, content control. */
  blocks(container: XEl): void {
    for (const el of childElements(container)) {
      switch (el.name) {
        case "w:p":
          this.paragraph(el);
          break;
        case "w:tbl":
          this.table(el);
          break;
        case "w:sdt": {
          const content = findChild(el, "w:sdtContent");
          if (content) this.blocks(content);
          break;
        }
        case "w:customXml":
        case "w:ins":
        case "w:moveTo":
          this.blocks(el);
          break;
        case "mc:AlternateContent": {
          const pick = pickAlternate(el);
          if (pick) this.blocks(pick);
          break;
        }
        default:
          break; // w:sectPr, bookmarks, w:del, w:altChunk (embedded HTML/RTF, not read), …
      }
    }
  }

  /**
   * A task table (its header names the task and the lead unit, see plan-tables.ts) becomes pipe rows, merged cells
   * filled in: a vertically merged cell repeats the value above, a cell spanning columns fills each of them. Any
   * other table (the two-column header, the signature block) reads as before: rows in order, in each row the cells
   * left to right, each cell's paragraphs as blocks.
   */
  private table(el: XEl): void {
    const rows: RawCell[][] = [];
    this.collectRows(el, rows);
    const grid = mergedGrid(rows);
    if (isTaskTable(grid)) {
      this.out.push(grid.map((row) => `| ${row.map((c) => c.replace(/\|/g, "\\|")).join(" | ")} |`).join("\n"));
      return;
    }
    for (const row of rows) for (const cell of row) this.out.push(...cell.blocks);
  }

  private collectRows(el: XEl, rows: RawCell[][]): void {
    for (const child of childElements(el)) {
      if (child.name === "w:tr") rows.push(this.rowCells(child));
      else this.wrapped(child, (inner) => this.collectRows(inner, rows));
    }
  }

  private rowCells(el: XEl, cells: RawCell[] = []): RawCell[] {
    for (const cell of childElements(el)) {
      if (cell.name === "w:tc") {
        const tcPr = findChild(cell, "w:tcPr");
        const vMerge = findChild(tcPr, "w:vMerge");
        const saved = this.out.splice(0);
        this.blocks(cell);
        const blocks = this.out.splice(0);
        this.out.push(...saved);
        cells.push({
          blocks,
          span: Math.min(Math.max(intAttr(findChild(tcPr, "w:gridSpan")) ?? 1, 1), 64),
          continues: vMerge !== undefined && (attrOf(vMerge) ?? "continue") === "continue",
        });
      } else this.wrapped(cell, (inner) => this.rowCells(inner, cells));
    }
    return cells;
  }

  /** Content controls and custom XML around rows or cells. */
  private wrapped(el: XEl, walk: (inner: XEl) => void): void {
    if (el.name === "w:sdt") {
      const content = findChild(el, "w:sdtContent");
      if (content) walk(content);
    } else if (el.name === "w:customXml") walk(el);
    else if (el.name === "mc:AlternateContent") {
      const pick = pickAlternate(el);
      if (pick) walk(pick);
    }
  }

  private paragraphNumbering(
    pPr: XEl | undefined,
    styleId: string | undefined,
  ): { numId: string; ilvl: number } | null {
    const numPr = findChild(pPr, "w:numPr");
    let numId = attrOf(findChild(numPr, "w:numId"));
    let ilvl = intAttr(findChild(numPr, "w:ilvl"));
    const chain = styleChain(this.styles, styleId);
    for (const { def } of chain) {
      if (numId !== undefined && ilvl !== undefined) break;
      numId ??= def.numId;
      ilvl ??= def.ilvl;
    }
    if (numId === undefined || numId === "0") return null; // numId 0 removes numbering
    ilvl ??=
      this.numberer.levelForStyle(
        numId,
        chain.map((s) => s.id),
      ) ?? 0;
    return { numId, ilvl: Math.min(Math.max(ilvl, 0), MAX_LEVELS - 1) };
  }

  private paragraph(p: XEl): void {
    const pPr = findChild(p, "w:pPr");
    const styleId = attrOf(findChild(pPr, "w:pStyle")) ?? this.styles.defaultParagraph;
    const state: InlineState = {
      parts: [],
      textboxes: [],
      paragraphBold: styleBold(this.styles, styleId) ?? this.styles.defaultBold,
    };
    this.inline(p, state);
    const text = cleanText(state.parts.map((x) => x.text).join(""));
    // Word shows a number even on an empty numbered paragraph, so the counters advance regardless.
    const numbering = this.paragraphNumbering(pPr, styleId);
    const mark = numbering ? this.numberer.next(numbering.numId, numbering.ilvl) : null;
    if (text !== "") {
      const visible = state.parts.filter((x) => /\S/.test(x.text));
      const bold = this.markBold && visible.length > 0 && visible.every((x) => x.bold);
      const wrap = (s: string) =>
        bold
          ? s
              .split("\n")
              .map((line) => `**${line}**`)
              .join("\n")
          : s;
      if (mark?.bullet) this.out.push(`- ${wrap(text)}`);
      else if (mark?.label) this.out.push(wrap(`${mark.label} ${text}`));
      else this.out.push(wrap(text));
    }
    for (const box of state.textboxes) this.blocks(box);
  }

  private inline(el: XEl, state: InlineState): void {
    for (const child of childElements(el)) {
      switch (child.name) {
        case "w:r":
          this.run(child, state);
          break;
        case "w:pPr":
        case "w:rPr":
        case "w:del":
        case "w:moveFrom":
        case "w:sdtPr":
        case "w:sdtEndPr":
          break;
        case "mc:AlternateContent": {
          const pick = pickAlternate(child);
          if (pick) this.inline(pick, state);
          break;
        }
        default:
          // w:hyperlink, w:ins, w:moveTo, w:smartTag, w:fldSimple, w:customXml, w:sdt/w:sdtContent, w:dir, w:bdo, …
          this.inline(child, state);
      }
    }
  }

  private runBold(rPr: XEl | undefined, state: InlineState): boolean {
    const direct = isOn(findChild(rPr, "w:b"));
    if (direct !== undefined) return direct;
    const charStyle = attrOf(findChild(rPr, "w:rStyle"));
    return (charStyle !== undefined ? styleBold(this.styles, charStyle) : undefined) ?? state.paragraphBold;
  }

  private run(r: XEl, state: InlineState): void {
    const rPr = findChild(r, "w:rPr");
    if (isOn(findChild(rPr, "w:vanish"))) return; // hidden text
    let text = "";
    for (const c of childElements(r)) {
      switch (c.name) {
        case "w:t":
          text += textContent(c);
          break;
        case "w:tab":
        case "w:ptab":
          text += "\t";
          break;
        case "w:br":
        case "w:cr":
          text += "\n";
          break;
        case "w:noBreakHyphen":
          text += "-";
          break;
        case "w:drawing":
        case "w:pict":
        case "w:object":
        case "mc:AlternateContent":
          collectTextboxes(c, state.textboxes);
          break;
        default:
          break; // w:delText, w:instrText (field codes), w:softHyphen, w:sym, footnote references, …
      }
    }
    if (text !== "") state.parts.push({ text, bold: this.runBold(rPr, state) });
  }
}

interface RawCell {
  /** The cell's paragraphs as blocks, as the rest of the document is written. */
  blocks: string[];
  /** Grid columns the cell spans (w:gridSpan). */
  span: number;
  /** A vertically merged cell below the first (w:vMerge without "restart"): it shows the value above. */
  continues: boolean;
}

/** Rows as grid cells of text (lines joined by "<br>"), merged cells filled in. */
function mergedGrid(rows: RawCell[][]): string[][] {
  const grid: string[][] = [];
  for (const row of rows) {
    const out: string[] = [];
    for (const cell of row) {
      const at = out.length;
      const own = cell.blocks.join("<br>").replace(/\n/g, "<br>");
      const text = cell.continues ? (grid.at(-1)?.[at] ?? "") : own;
      for (let k = 0; k < cell.span; k++) out.push(text);
    }
    grid.push(out);
  }
  return grid;
}

/** Text boxes inside a drawing: their paragraphs become blocks after the paragraph that anchors them. */
function collectTextboxes(el: XEl, into: XEl[]): void {
  if (el.name === "w:txbxContent") {
    into.push(el);
    return;
  }
  if (el.name === "mc:AlternateContent") {
    const pick = pickAlternate(el);
    if (pick) collectTextboxes(pick, into);
    return;
  }
  for (const c of childElements(el)) collectTextboxes(c, into);
}
