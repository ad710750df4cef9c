/**
 * A minimal namespace-aware XML reader for WordprocessingML parts: a mini DOM whose names are resolved through the
 * namespace declarations ("w:p" whatever prefix the file binds to WordprocessingML, transitional or strict).
 *
 * Why not a package: the only namespace-aware parser installed (saxes, via exceljs) is a transitive dependency we
 * would pin ourselves to; Word parts are small once the zip reader has capped their size, and this reader refuses
 * DTDs (no entity expansion), decodes only the predefined and numeric entities and caps the nesting depth.
 */

const MAX_XML_DEPTH = 1_000;

/** The part is not well-formed XML (or holds a DTD, or nests too deep). */
export class XmlError extends Error {
  constructor() {
    super("xml: not well-formed");
  }
}

/** The text of an XML part: UTF-16 by its BOM, otherwise UTF-8. */
export function decodeXmlBytes(bytes: Buffer): string {
  if (bytes.length >= 2 && bytes[0] === 0xff && bytes[1] === 0xfe) return new TextDecoder("utf-16le").decode(bytes);
  if (bytes.length >= 2 && bytes[0] === 0xfe && bytes[1] === 0xff) return new TextDecoder("utf-16be").decode(bytes);
  return new TextDecoder("utf-8").decode(bytes); // strips a UTF-8 BOM; bad bytes become U+FFFD
}

// ---------------------------------------------------------------------------------------------------------------
// Minimal namespace-aware XML reader

export interface XEl {
  /** "w:p", "mc:Choice", … for the WordprocessingML (transitional or strict) and markup-compatibility namespaces;
   * "{uri}local" for other namespaces; the raw name when the prefix is not bound. */
  name: string;
  /** Attribute names are resolved the same way ("w:val"); unprefixed attributes keep their bare name. */
  attrs: Record<string, string>;
  children: XNode[];
}
export type XNode = XEl | string;

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

/** Parses a whole part into the mini DOM; throws XmlError on anything not well-formed, a DTD or a depth over 1,000. */
export function parseXml(src: string): XEl {
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
      if (end < 0) throw new XmlError();
      i = end + 3;
      continue;
    }
    if (src.startsWith("<![CDATA[", lt)) {
      const end = src.indexOf("]]>", lt + 9);
      if (end < 0) throw new XmlError();
      addText(src.slice(lt + 9, end), false);
      i = end + 3;
      continue;
    }
    if (src.startsWith("<?", lt)) {
      const end = src.indexOf("?>", lt + 2);
      if (end < 0) throw new XmlError();
      i = end + 2;
      continue;
    }
    if (src.startsWith("<!", lt)) throw new XmlError(); // DTDs are not allowed in OOXML parts
    if (src.charCodeAt(lt + 1) === 47 /* / */) {
      const end = src.indexOf(">", lt);
      if (end < 0) throw new XmlError();
      // Word refuses a part that is not well-formed, and so do we (a lenient search for the matching open element
      // would cost depth × end tags on hostile input).
      if (stack.length < 2 || top().qname !== src.slice(lt + 2, end).trim()) throw new XmlError();
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
    if (j >= n) throw new XmlError();
    let inner = src.slice(lt + 1, j);
    const selfClosing = inner.endsWith("/");
    if (selfClosing) inner = inner.slice(0, -1);
    const nameMatch = /^[^\s/>]+/.exec(inner);
    if (!nameMatch) throw new XmlError();
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
      if (stack.length > MAX_XML_DEPTH) throw new XmlError();
      stack.push({ el, qname, ns });
    }
    i = j + 1;
  }
  if (stack.length !== 1) throw new XmlError(); // truncated part
  return root;
}

/** The first child element of that resolved name. */
export function findChild(el: XEl | undefined | null, name: string): XEl | undefined {
  if (!el) return undefined;
  for (const c of el.children) if (typeof c !== "string" && c.name === name) return c;
  return undefined;
}

/** The child elements, text left out. */
export function childElements(el: XEl): XEl[] {
  return el.children.filter((c): c is XEl => typeof c !== "string");
}

/** An attribute by resolved name (w:val by default). */
export function attrOf(el: XEl | undefined, name = "w:val"): string | undefined {
  return el?.attrs[name];
}

/** An on/off property (w:b, w:vanish, w:isLgl): present and not explicitly off. */
export function isOn(el: XEl | undefined): boolean | undefined {
  if (!el) return undefined;
  const v = el.attrs["w:val"];
  return !(v === "0" || v === "false" || v === "off");
}

/** An integer attribute, undefined when absent or not an integer. */
export function intAttr(el: XEl | undefined, name = "w:val"): number | undefined {
  const v = attrOf(el, name);
  if (v === undefined || !/^\s*-?\d+\s*$/.test(v)) return undefined;
  return Number.parseInt(v, 10);
}

/** All the text below an element. */
export function textContent(el: XEl): string {
  let s = "";
  for (const c of el.children) s += typeof c === "string" ? c : textContent(c);
  return s;
}

/** mc:AlternateContent: the first choice (Word writes the same text in the fallback, so it is skipped). */
export function pickAlternate(el: XEl): XEl | undefined {
  return findChild(el, "mc:Choice") ?? findChild(el, "mc:Fallback");
}
