/**
 * DOCX → plain plan text that keeps Word's automatic numbering.
 *
 * Ward plans ("Kế hoạch") number their sections with Word's automatic numbering ("I.", "1.", "2.1.", bullets): the
 * labels live in word/numbering.xml, not in the text, so a text-only extraction loses them and the plan parser cannot
 * find the sections. This module reads the DOCX itself and writes the text in the style of the plan seeds: one block
 * per paragraph, blocks separated by a blank line, numbered paragraphs prefixed with their computed label, bulleted
 * ones with "- ", and whole-bold paragraphs wrapped in `**…**`.
 *
 * Design choices:
 * - The zip is read here with node:zlib rather than through jszip/mammoth: a DOCX needs only three parts
 *   (document.xml, styles.xml, numbering.xml), reading the central directory ourselves lets us refuse a zip bomb
 *   from the declared sizes *and* cap the real inflated size (`maxOutputLength`), and no package.json change is needed.
 * - The XML is read by the small tokenizer below (no new XML dependency), not by mammoth: mammoth's raw-text output
 *   drops the numbering labels and its HTML output only says "this is a list item", never the number Word shows
 *   (it does not apply `w:start`, `w:lvlOverride/w:startOverride`, `w:lvlRestart` or "%1.%2." templates), so we
 *   would have had to re-read numbering.xml and re-walk document.xml anyway, and align two walks paragraph by
 *   paragraph. One walk over a namespace-aware mini DOM is simpler and exact. The tokenizer refuses DTDs (so no entity
 *   expansion attacks), decodes only the predefined and numeric entities, and caps the nesting depth.
 */
import { promisify } from "node:util";
import { inflateRaw } from "node:zlib";

export type DocxTextResult = { ok: true; text: string } | { ok: false; error: string };

export interface DocxTextOptions {
  /** Wrap paragraphs whose text is all bold in `**…**`, as the plan seeds do. Default true. */
  markBold?: boolean;
}

/** Largest upload accepted. */
export const MAX_DOCX_BYTES = 20 * 1024 * 1024;
/** Largest word/document.xml accepted once inflated: a zip bomb guard. */
export const MAX_DOCUMENT_XML_BYTES = 50 * 1024 * 1024;
/** Largest styles.xml / numbering.xml accepted once inflated. */
const MAX_AUX_XML_BYTES = 10 * 1024 * 1024;
const MAX_ZIP_ENTRIES = 20_000;
const MAX_XML_DEPTH = 1_000;

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
    if (!startsWith(bytes, [0x50, 0x4b, 0x03, 0x04])) {
      if (startsWith(bytes, [0x25, 0x50, 0x44, 0x46])) return { ok: false, error: MSG.pdf }; // %PDF
      if (startsWith(bytes, [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1])) return { ok: false, error: MSG.legacy }; // OLE2
      return { ok: false, error: MSG.notDocx };
    }
    const entries = readCentralDirectory(bytes);
    const docEntry = entries.get("word/document.xml");
    if (!docEntry) return { ok: false, error: MSG.notDocx };
    const docXml = await extractEntry(bytes, docEntry, MAX_DOCUMENT_XML_BYTES);
    const stylesEntry = entries.get("word/styles.xml");
    const numberingEntry = entries.get("word/numbering.xml");
    const stylesXml = stylesEntry ? await extractEntry(bytes, stylesEntry, MAX_AUX_XML_BYTES) : null;
    const numberingXml = numberingEntry ? await extractEntry(bytes, numberingEntry, MAX_AUX_XML_BYTES) : null;

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
    return { ok: false, error: err instanceof DocxError ? err.message : MSG.corrupt };
  }
}

function startsWith(buf: Buffer, magic: number[]): boolean {
  return buf.length >= magic.length && magic.every((b, i) => buf[i] === b);
}

// ---------------------------------------------------------------------------------------------------------------
// Zip reading (central directory + stored/deflate entries only, which is all a DOCX uses)

interface ZipEntry {
  flags: number;
  method: number;
  compressedSize: number;
  uncompressedSize: number;
  localHeaderOffset: number;
}

const inflateRawAsync = promisify(inflateRaw);

function readU64(buf: Buffer, offset: number): number {
  const v = buf.readBigUInt64LE(offset);
  if (v > BigInt(Number.MAX_SAFE_INTEGER)) throw new DocxError(MSG.corrupt);
  return Number(v);
}

function need(buf: Buffer, offset: number, length: number): void {
  if (offset < 0 || offset + length > buf.length) throw new DocxError(MSG.corrupt);
}

/** Part names keyed in lower case with "/" separators: OPC part names compare case-insensitively. */
function readCentralDirectory(buf: Buffer): Map<string, ZipEntry> {
  let eocd = -1;
  const lowest = Math.max(0, buf.length - 22 - 0xffff);
  for (let i = buf.length - 22; i >= lowest; i--) {
    if (buf.readUInt32LE(i) === 0x06054b50 && i + 22 + buf.readUInt16LE(i + 20) <= buf.length) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) throw new DocxError(MSG.corrupt);
  let count = buf.readUInt16LE(eocd + 10);
  let cdOffset = buf.readUInt32LE(eocd + 16);
  if (count === 0xffff || cdOffset === 0xffffffff) {
    // Zip64: the real values are in the zip64 end of central directory record, found through its locator.
    const locator = eocd - 20;
    if (locator < 0 || buf.readUInt32LE(locator) !== 0x07064b50) throw new DocxError(MSG.corrupt);
    const z64 = readU64(buf, locator + 8);
    need(buf, z64, 56);
    if (buf.readUInt32LE(z64) !== 0x06064b50) throw new DocxError(MSG.corrupt);
    count = readU64(buf, z64 + 32);
    cdOffset = readU64(buf, z64 + 48);
  }
  if (count > MAX_ZIP_ENTRIES) throw new DocxError(MSG.corrupt);

  const entries = new Map<string, ZipEntry>();
  let p = cdOffset;
  for (let n = 0; n < count; n++) {
    need(buf, p, 46);
    if (buf.readUInt32LE(p) !== 0x02014b50) throw new DocxError(MSG.corrupt);
    const flags = buf.readUInt16LE(p + 8);
    const method = buf.readUInt16LE(p + 10);
    let compressedSize = buf.readUInt32LE(p + 20);
    let uncompressedSize = buf.readUInt32LE(p + 24);
    const nameLength = buf.readUInt16LE(p + 28);
    const extraLength = buf.readUInt16LE(p + 30);
    const commentLength = buf.readUInt16LE(p + 32);
    let localHeaderOffset = buf.readUInt32LE(p + 42);
    need(buf, p + 46, nameLength + extraLength + commentLength);
    const name = buf.toString(flags & 0x800 ? "utf8" : "latin1", p + 46, p + 46 + nameLength);
    if (uncompressedSize === 0xffffffff || compressedSize === 0xffffffff || localHeaderOffset === 0xffffffff) {
      // Zip64 extended information extra field (id 1): only the fields whose 32-bit value is saturated, in order.
      let e = p + 46 + nameLength;
      const extraEnd = e + extraLength;
      while (e + 4 <= extraEnd) {
        const id = buf.readUInt16LE(e);
        const size = buf.readUInt16LE(e + 2);
        if (id === 1) {
          let q = e + 4;
          const take = () => {
            if (q + 8 > e + 4 + size) throw new DocxError(MSG.corrupt);
            const v = readU64(buf, q);
            q += 8;
            return v;
          };
          if (uncompressedSize === 0xffffffff) uncompressedSize = take();
          if (compressedSize === 0xffffffff) compressedSize = take();
          if (localHeaderOffset === 0xffffffff) localHeaderOffset = take();
          break;
        }
        e += 4 + size;
      }
    }
    const key = name.replace(/\\/g, "/").replace(/^\/+/, "").toLowerCase();
    if (!entries.has(key)) entries.set(key, { flags, method, compressedSize, uncompressedSize, localHeaderOffset });
    p += 46 + nameLength + extraLength + commentLength;
  }
  return entries;
}

async function extractEntry(buf: Buffer, entry: ZipEntry, limit: number): Promise<Buffer> {
  if (entry.flags & 1) throw new DocxError(MSG.encrypted);
  if (entry.uncompressedSize > limit) throw new DocxError(MSG.bomb);
  const p = entry.localHeaderOffset;
  need(buf, p, 30);
  if (buf.readUInt32LE(p) !== 0x04034b50) throw new DocxError(MSG.corrupt);
  const start = p + 30 + buf.readUInt16LE(p + 26) + buf.readUInt16LE(p + 28);
  need(buf, start, entry.compressedSize);
  const data = buf.subarray(start, start + entry.compressedSize);
  if (entry.method === 0) {
    if (data.length > limit) throw new DocxError(MSG.bomb);
    return data;
  }
  if (entry.method !== 8) throw new DocxError(MSG.corrupt);
  try {
    // The declared size can lie: maxOutputLength caps what is really inflated.
    return await inflateRawAsync(data, { maxOutputLength: limit });
  } catch (err) {
    if (err instanceof RangeError || (err as { code?: string }).code === "ERR_BUFFER_TOO_LARGE") {
      throw new DocxError(MSG.bomb);
    }
    throw new DocxError(MSG.corrupt);
  }
}

function decodeXmlBytes(bytes: Buffer): string {
  if (bytes.length >= 2 && bytes[0] === 0xff && bytes[1] === 0xfe) return new TextDecoder("utf-16le").decode(bytes);
  if (bytes.length >= 2 && bytes[0] === 0xfe && bytes[1] === 0xff) return new TextDecoder("utf-16be").decode(bytes);
  return new TextDecoder("utf-8").decode(bytes); // strips a UTF-8 BOM; bad bytes become U+FFFD
}

// ---------------------------------------------------------------------------------------------------------------
// Minimal namespace-aware XML reader

interface XEl {
  /** "w:p", "mc:Choice", … for the WordprocessingML (transitional or strict) and markup-compatibility namespaces;
   * "{uri}local" for other namespaces; the raw name when the prefix is not bound. */
  name: string;
  /** Attribute names are resolved the same way ("w:val"); unprefixed attributes keep their bare name. */
  attrs: Record<string, string>;
  children: XNode[];
}
type XNode = XEl | string;

const KNOWN_NS: Record<string, string> = {
  "http://schemas.openxmlformats.org/wordprocessingml/2006/main": "w",
  "http://purl.oclc.org/ooxml/wordprocessingml/main": "w",
  "http://schemas.openxmlformats.org/markup-compatibility/2006": "mc",
  "http://www.w3.org/XML/1998/namespace": "xml",
};

function resolveName(qname: string, ns: Map<string, string>, isAttribute: boolean): string {
  const colon = qname.indexOf(":");
  const prefix = colon < 0 ? "" : qname.slice(0, colon);
  const local = colon < 0 ? qname : qname.slice(colon + 1);
  if (colon < 0 && isAttribute) return qname;
  const uri = ns.get(prefix);
  if (uri === undefined) return qname;
  const known = KNOWN_NS[uri];
  return known ? `${known}:${local}` : `{${uri}}${local}`;
}

const ENTITY_RE = /&(#[xX][0-9a-fA-F]{1,8}|#[0-9]{1,10}|amp|lt|gt|quot|apos);/g;
const NAMED_ENTITIES: Record<string, string> = { amp: "&", lt: "<", gt: ">", quot: '"', apos: "'" };

function decodeEntities(s: string): string {
  if (!s.includes("&")) return s;
  return s.replace(ENTITY_RE, (_m, e: string) => {
    const named = NAMED_ENTITIES[e];
    if (named !== undefined) return named;
    const code = e[1] === "x" || e[1] === "X" ? Number.parseInt(e.slice(2), 16) : Number.parseInt(e.slice(1), 10);
    if (!Number.isFinite(code) || code > 0x10ffff || (code >= 0xd800 && code <= 0xdfff)) return "\uFFFD";
    return String.fromCodePoint(code);
  });
}

const ATTR_RE = /([^\s=/]+)\s*=\s*(?:"([^"]*)"|'([^']*)')/g;

function parseXml(src: string): XEl {
  const root: XEl = { name: "#document", attrs: {}, children: [] };
  const baseNs = new Map([["xml", "http://www.w3.org/XML/1998/namespace"]]);
  const stack: { el: XEl; qname: string; ns: Map<string, string> }[] = [{ el: root, qname: "", ns: baseNs }];
  const n = src.length;
  let i = 0;
  const top = () => stack[stack.length - 1] as (typeof stack)[number];
  const addText = (raw: string, decode: boolean) => {
    const parent = top().el;
    // Whitespace between elements is never content in WordprocessingML, except inside w:t.
    if (parent.name !== "w:t" && !/\S/.test(raw)) return;
    parent.children.push(decode ? decodeEntities(raw) : raw);
  };
  while (i < n) {
    const lt = src.indexOf("<", i);
    if (lt < 0) {
      addText(src.slice(i), true);
      break;
    }
    if (lt > i) addText(src.slice(i, lt), true);
    if (src.startsWith("<!--", lt)) {
      const end = src.indexOf("-->", lt + 4);
      if (end < 0) throw new DocxError(MSG.corrupt);
      i = end + 3;
      continue;
    }
    if (src.startsWith("<![CDATA[", lt)) {
      const end = src.indexOf("]]>", lt + 9);
      if (end < 0) throw new DocxError(MSG.corrupt);
      addText(src.slice(lt + 9, end), false);
      i = end + 3;
      continue;
    }
    if (src.startsWith("<?", lt)) {
      const end = src.indexOf("?>", lt + 2);
      if (end < 0) throw new DocxError(MSG.corrupt);
      i = end + 2;
      continue;
    }
    if (src.startsWith("<!", lt)) throw new DocxError(MSG.corrupt); // DTDs are not allowed in OOXML parts
    if (src.charCodeAt(lt + 1) === 47 /* / */) {
      const end = src.indexOf(">", lt);
      if (end < 0) throw new DocxError(MSG.corrupt);
      // Word refuses a part that is not well-formed, and so do we (a lenient search for the matching open element
      // would cost depth × end tags on hostile input).
      if (stack.length < 2 || top().qname !== src.slice(lt + 2, end).trim()) throw new DocxError(MSG.corrupt);
      stack.pop();
      i = end + 1;
      continue;
    }
    // Start tag: find its end, skipping ">" inside quoted attribute values.
    let j = lt + 1;
    let quote = 0;
    for (; j < n; j++) {
      const c = src.charCodeAt(j);
      if (quote) {
        if (c === quote) quote = 0;
      } else if (c === 34 || c === 39) quote = c;
      else if (c === 62) break;
    }
    if (j >= n) throw new DocxError(MSG.corrupt);
    let inner = src.slice(lt + 1, j);
    const selfClosing = inner.endsWith("/");
    if (selfClosing) inner = inner.slice(0, -1);
    const nameMatch = /^[^\s/>]+/.exec(inner);
    if (!nameMatch) throw new DocxError(MSG.corrupt);
    const qname = nameMatch[0];
    const rawAttrs: [string, string][] = [];
    let ns = top().ns;
    let nsCopied = false;
    ATTR_RE.lastIndex = qname.length;
    for (let m = ATTR_RE.exec(inner); m; m = ATTR_RE.exec(inner)) {
      const attrName = m[1] as string;
      const value = decodeEntities(m[2] ?? m[3] ?? "");
      if (attrName === "xmlns" || attrName.startsWith("xmlns:")) {
        if (!nsCopied) {
          ns = new Map(ns);
          nsCopied = true;
        }
        ns.set(attrName === "xmlns" ? "" : attrName.slice(6), value);
      } else rawAttrs.push([attrName, value]);
    }
    const attrs: Record<string, string> = {};
    for (const [k, v] of rawAttrs) attrs[resolveName(k, ns, true)] = v;
    const el: XEl = { name: resolveName(qname, ns, false), attrs, children: [] };
    top().el.children.push(el);
    if (!selfClosing) {
      if (stack.length > MAX_XML_DEPTH) throw new DocxError(MSG.corrupt);
      stack.push({ el, qname, ns });
    }
    i = j + 1;
  }
  if (stack.length !== 1) throw new DocxError(MSG.corrupt); // truncated part
  return root;
}

function findChild(el: XEl | undefined | null, name: string): XEl | undefined {
  if (!el) return undefined;
  for (const c of el.children) if (typeof c !== "string" && c.name === name) return c;
  return undefined;
}

function childElements(el: XEl): XEl[] {
  return el.children.filter((c): c is XEl => typeof c !== "string");
}

function attrOf(el: XEl | undefined, name = "w:val"): string | undefined {
  return el?.attrs[name];
}

/** An on/off property (w:b, w:vanish, w:isLgl): present and not explicitly off. */
function isOn(el: XEl | undefined): boolean | undefined {
  if (!el) return undefined;
  const v = el.attrs["w:val"];
  return !(v === "0" || v === "false" || v === "off");
}

function intAttr(el: XEl | undefined, name = "w:val"): number | undefined {
  const v = attrOf(el, name);
  if (v === undefined || !/^\s*-?\d+\s*$/.test(v)) return undefined;
  return Number.parseInt(v, 10);
}

function textContent(el: XEl): string {
  let s = "";
  for (const c of el.children) s += typeof c === "string" ? c : textContent(c);
  return s;
}

/** mc:AlternateContent: the first choice (Word writes the same text in the fallback, so it is skipped). */
function pickAlternate(el: XEl): XEl | undefined {
  return findChild(el, "mc:Choice") ?? findChild(el, "mc:Fallback");
}

// ---------------------------------------------------------------------------------------------------------------
// styles.xml

interface StyleDef {
  type: string;
  basedOn: string | undefined;
  numId: string | undefined;
  ilvl: number | undefined;
  bold: boolean | undefined;
}

interface Styles {
  byId: Map<string, StyleDef>;
  defaultParagraph: string | undefined;
  defaultBold: boolean;
}

function readStyles(root: XEl | null): Styles {
  const styles: Styles = { byId: new Map(), defaultParagraph: undefined, defaultBold: false };
  const top = findChild(root, "w:styles");
  if (!top) return styles;
  const rPrDefault = findChild(findChild(findChild(top, "w:docDefaults"), "w:rPrDefault"), "w:rPr");
  styles.defaultBold = isOn(findChild(rPrDefault, "w:b")) ?? false;
  for (const s of childElements(top)) {
    if (s.name !== "w:style") continue;
    const id = s.attrs["w:styleId"];
    if (id === undefined) continue;
    const type = s.attrs["w:type"] ?? "paragraph";
    const numPr = findChild(findChild(s, "w:pPr"), "w:numPr");
    styles.byId.set(id, {
      type,
      basedOn: attrOf(findChild(s, "w:basedOn")),
      numId: attrOf(findChild(numPr, "w:numId")),
      ilvl: intAttr(findChild(numPr, "w:ilvl")),
      bold: isOn(findChild(findChild(s, "w:rPr"), "w:b")),
    });
    const isDefault = s.attrs["w:default"];
    if (type === "paragraph" && (isDefault === "1" || isDefault === "true" || isDefault === "on")) {
      styles.defaultParagraph = id;
    }
  }
  return styles;
}

/** The style and the styles it is based on, nearest first (cycle-safe). */
function styleChain(styles: Styles, id: string | undefined): { id: string; def: StyleDef }[] {
  const chain: { id: string; def: StyleDef }[] = [];
  const seen = new Set<string>();
  for (let cur = id; cur !== undefined && !seen.has(cur) && chain.length < 32; ) {
    seen.add(cur);
    const def = styles.byId.get(cur);
    if (!def) break;
    chain.push({ id: cur, def });
    cur = def.basedOn;
  }
  return chain;
}

function styleBold(styles: Styles, id: string | undefined): boolean | undefined {
  for (const { def } of styleChain(styles, id)) if (def.bold !== undefined) return def.bold;
  return undefined;
}

// ---------------------------------------------------------------------------------------------------------------
// numbering.xml

interface LevelDef {
  start: number;
  numFmt: string;
  lvlText: string;
  /** w:lvlRestart: restart after this (1-based) level; 0 = never; undefined = after any shallower level. */
  restart: number | undefined;
  isLgl: boolean;
  pStyle: string | undefined;
}

interface AbstractNum {
  levels: Map<number, LevelDef>;
  numStyleLink: string | undefined;
}

interface NumDef {
  abstractId: string;
  startOverrides: Map<number, number>;
  levelOverrides: Map<number, LevelDef>;
}

interface Numbering {
  abstracts: Map<string, AbstractNum>;
  nums: Map<string, NumDef>;
}

function readLevel(lvl: XEl): LevelDef {
  return {
    // The spec's default start is 0; Word always writes w:start.
    start: intAttr(findChild(lvl, "w:start")) ?? 0,
    numFmt: attrOf(findChild(lvl, "w:numFmt")) ?? "decimal",
    lvlText: attrOf(findChild(lvl, "w:lvlText")) ?? "",
    restart: intAttr(findChild(lvl, "w:lvlRestart")),
    isLgl: isOn(findChild(lvl, "w:isLgl")) ?? false,
    pStyle: attrOf(findChild(lvl, "w:pStyle")),
  };
}

function readNumbering(root: XEl | null): Numbering {
  const numbering: Numbering = { abstracts: new Map(), nums: new Map() };
  const top = findChild(root, "w:numbering");
  if (!top) return numbering;
  for (const el of childElements(top)) {
    if (el.name === "w:abstractNum") {
      const id = el.attrs["w:abstractNumId"];
      if (id === undefined) continue;
      const levels = new Map<number, LevelDef>();
      for (const lvl of childElements(el)) {
        const ilvl = intAttr(lvl, "w:ilvl");
        if (lvl.name === "w:lvl" && ilvl !== undefined && !levels.has(ilvl)) levels.set(ilvl, readLevel(lvl));
      }
      numbering.abstracts.set(id, { levels, numStyleLink: attrOf(findChild(el, "w:numStyleLink")) });
    } else if (el.name === "w:num") {
      const id = el.attrs["w:numId"];
      const abstractId = attrOf(findChild(el, "w:abstractNumId"));
      if (id === undefined || abstractId === undefined) continue;
      const startOverrides = new Map<number, number>();
      const levelOverrides = new Map<number, LevelDef>();
      for (const o of childElements(el)) {
        const ilvl = intAttr(o, "w:ilvl");
        if (o.name !== "w:lvlOverride" || ilvl === undefined) continue;
        const start = intAttr(findChild(o, "w:startOverride"));
        if (start !== undefined) startOverrides.set(ilvl, start);
        const lvl = findChild(o, "w:lvl");
        if (lvl) levelOverrides.set(ilvl, readLevel(lvl));
      }
      numbering.nums.set(id, { abstractId, startOverrides, levelOverrides });
    }
  }
  return numbering;
}

function toRoman(n: number): string {
  const table: [number, string][] = [
    [1000, "M"],
    [900, "CM"],
    [500, "D"],
    [400, "CD"],
    [100, "C"],
    [90, "XC"],
    [50, "L"],
    [40, "XL"],
    [10, "X"],
    [9, "IX"],
    [5, "V"],
    [4, "IV"],
    [1, "I"],
  ];
  let out = "";
  for (const [v, s] of table) {
    while (n >= v) {
      out += s;
      n -= v;
    }
  }
  return out;
}

/** Word's number formats; the ones without a plain-text equivalent fall back to decimal. */
function formatNumber(n: number, fmt: string): string {
  switch (fmt) {
    case "none":
    case "bullet":
      return "";
    case "upperRoman":
    case "lowerRoman": {
      if (n < 1 || n > 3999) return String(n);
      const r = toRoman(n);
      return fmt === "upperRoman" ? r : r.toLowerCase();
    }
    case "upperLetter":
    case "lowerLetter": {
      if (n < 1) return String(n);
      // Word repeats the letter past Z: A…Z, AA…ZZ, AAA…
      const s = String.fromCharCode(65 + ((n - 1) % 26)).repeat(Math.floor((n - 1) / 26) + 1);
      return fmt === "upperLetter" ? s : s.toLowerCase();
    }
    case "decimalZero":
      return n >= 0 && n < 10 ? `0${n}` : String(n);
    default:
      return String(n);
  }
}

const MAX_LEVELS = 9;

/** A resolved list instance: the definition to use for each level, and where its counters live. */
interface ListInstance {
  counterKey: string;
  level(ilvl: number): LevelDef | undefined;
  start(ilvl: number): number;
}

/**
 * Word's list counters. Paragraphs of every w:num that points at the same abstractNum without restarting it share one
 * list, so counters are kept per abstractNum; a w:num with a w:startOverride is a list of its own (Word writes one
 * for "Restart at 1"), with its own counters starting from the override.
 */
class Numberer {
  private readonly counters = new Map<string, (number | undefined)[]>();
  private readonly resolved = new Map<string, ListInstance | null>();

  constructor(
    private readonly numbering: Numbering,
    private readonly styles: Styles,
  ) {}

  /** The abstractNum of a w:num, following w:numStyleLink through a numbering style (cycle-safe). */
  private abstractOf(numId: string): { id: string; def: AbstractNum } | undefined {
    const seen = new Set<string>();
    let num = this.numbering.nums.get(numId);
    while (num && !seen.has(num.abstractId)) {
      seen.add(num.abstractId);
      const def = this.numbering.abstracts.get(num.abstractId);
      if (!def) return undefined;
      if (def.numStyleLink === undefined || def.levels.size > 0) return { id: num.abstractId, def };
      const linkedNumId = styleChain(this.styles, def.numStyleLink).find((s) => s.def.numId !== undefined)?.def.numId;
      num = linkedNumId === undefined ? undefined : this.numbering.nums.get(linkedNumId);
    }
    return undefined;
  }

  private instance(numId: string): ListInstance | null {
    const cached = this.resolved.get(numId);
    if (cached !== undefined) return cached;
    const num = this.numbering.nums.get(numId);
    const abstract = this.abstractOf(numId);
    let result: ListInstance | null = null;
    if (num && abstract) {
      const level = (ilvl: number) => num.levelOverrides.get(ilvl) ?? abstract.def.levels.get(ilvl);
      result = {
        counterKey: num.startOverrides.size > 0 ? `num:${numId}` : `abstract:${abstract.id}`,
        level,
        start: (ilvl) => num.startOverrides.get(ilvl) ?? level(ilvl)?.start ?? 0,
      };
    }
    this.resolved.set(numId, result);
    return result;
  }

  /** The level of a style-linked list whose w:lvl names the style (used when the style gives no w:ilvl). */
  levelForStyle(numId: string, styleIds: string[]): number | undefined {
    const abstract = this.abstractOf(numId);
    if (!abstract) return undefined;
    for (const id of styleIds) {
      for (const [ilvl, lvl] of abstract.def.levels) if (lvl.pStyle === id) return ilvl;
    }
    return undefined;
  }

  /** Advances the list's counters for a paragraph at (numId, ilvl) and gives its label ("" for none). */
  next(numId: string, ilvl: number): { bullet: boolean; label: string } {
    const list = this.instance(numId);
    const def = list?.level(ilvl);
    if (!list || !def) return { bullet: false, label: "" };
    let counters = this.counters.get(list.counterKey);
    if (!counters) {
      counters = new Array<number | undefined>(MAX_LEVELS).fill(undefined);
      this.counters.set(list.counterKey, counters);
    }
    const current = counters[ilvl];
    counters[ilvl] = current === undefined ? list.start(ilvl) : current + 1;
    for (let deeper = ilvl + 1; deeper < MAX_LEVELS; deeper++) {
      const restartAfter = list.level(deeper)?.restart ?? deeper;
      if (restartAfter !== 0 && ilvl < restartAfter) counters[deeper] = undefined;
    }
    if (def.numFmt === "bullet") return { bullet: true, label: "-" };
    const label = def.lvlText.replace(/%([1-9])/g, (_m, k: string) => {
      const at = Number(k) - 1;
      // A level that has not occurred yet shows its start value, as Word does.
      const value = counters[at] ?? list.start(at);
      const fmt = at === ilvl ? def.numFmt : (list.level(at)?.numFmt ?? "decimal");
      return formatNumber(value, def.isLgl && fmt !== "none" && fmt !== "bullet" ? "decimal" : fmt);
    });
    return { bullet: false, label: label.trim() };
  }
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

  /** Rows in order; in each row the cells left to right, each cell's paragraphs as blocks. */
  private table(el: XEl): void {
    for (const child of childElements(el)) {
      if (child.name === "w:tr") this.row(child);
      else this.wrapped(child, (inner) => this.table(inner));
    }
  }

  private row(el: XEl): void {
    for (const cell of childElements(el)) {
      if (cell.name === "w:tc") this.blocks(cell);
      else this.wrapped(cell, (inner) => this.row(inner));
    }
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
