/**
 * The JSX runtime of every view (tsconfig `jsxImportSource: "#jsx"`): each element is rendered to its HTML as it is
 * created, into a `Markup` that holds the string, instead of Hono's tree of nodes rendered on `toString()`. The
 * markup is Hono's, byte for byte (jsx-runtime.test.ts renders the same elements through both): the same escaping,
 * attribute rules (boolean attributes, React's names such as `className`, SVG's camelCase names), void elements
 * closed with "/>", async components awaited in place. Hono's node tree costs a quarter of a plan page's CPU at
 * national size (an object, a closure, a props copy and a context lookup per element); a string per element does
 * not. What it leaves out is what no view here uses: Hono's context API, and the hoisting of `<title>`, `<meta>` and
 * `<link>` written outside `<head>` (views write them inside it; a stylesheet link elsewhere stays in place in both).
 */
import type { JSX } from "hono/jsx/jsx-runtime";

export type { JSX };

/** Rendered, escaped HTML: what every element is. Hono's `c.html`, `html` and `raw` read it as escaped markup. */
export class Markup {
  readonly isEscaped = true;
  constructor(readonly html: string) {}
  toString(): string {
    return this.html;
  }
}

type Props = Record<string, unknown>;
type Component = (props: Props) => unknown;

/** Hono's void elements: written `<br/>` when they have no children. */
const VOID = new Set(["area", "base", "br", "col", "embed", "hr", "img", "input", "keygen", "link", "meta"]);
for (const tag of ["param", "source", "track", "wbr"]) VOID.add(tag);

/** Hono's boolean attributes: `disabled={true}` is written `disabled=""`, `false` leaves it out. */
const BOOLEAN = new Set(
  (
    "allowfullscreen async autofocus autoplay checked controls default defer disabled download formnovalidate hidden " +
    "inert ismap itemscope loop multiple muted nomodule novalidate open playsinline readonly required reversed " +
    "selected shadowrootclonable shadowrootdelegatesfocus shadowrootserializable"
  ).split(" "),
);

/** React's attribute names Hono writes as HTML's. */
const HTML_NAMES = new Map([
  ["className", "class"],
  ["htmlFor", "for"],
  ["crossOrigin", "crossorigin"],
  ["httpEquiv", "http-equiv"],
  ["itemProp", "itemprop"],
  ["fetchPriority", "fetchpriority"],
  ["noModule", "nomodule"],
  ["formAction", "formaction"],
]);

/**
 * The elements whose camelCase presentation attributes Hono writes in SVG's kebab case (`strokeWidth` →
 * `stroke-width`, `viewBox` kept): Hono decides by the enclosing `<svg>`; rendered from the inside out, by the tag.
 */
const SVG_TAGS = new Set(
  (
    "svg g rect text tspan line path circle ellipse polyline polygon defs use symbol title desc clipPath mask " +
    "pattern marker linearGradient radialGradient stop image foreignObject textPath"
  ).split(" "),
);
const SVG_CAMEL =
  /^(?:al|basel|clip(?:Path|Rule)$|co|do|fill|fl|fo|gl|let|lig|i|marker[EMS]|o|pai|pointe|sh|st[or]|text[^L]|tr|u|ve|w)/;

/** Hono's checks of names (an invalid attribute is left out, an invalid tag throws), remembered per name. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what makes a name invalid (Hono's rule).
const INVALID_ATTRIBUTE_CHAR = /[\s"'<>/=`\\\x00-\x1f\x7f-\x9f]/;
// biome-ignore lint/suspicious/noControlCharactersInRegex: as above.
const INVALID_TAG_CHAR = /^[!?]|[\s"'<>/=`\\\x00-\x1f\x7f-\x9f]/;
const validAttributes = new Map<string, boolean>();
const validTags = new Map<string, boolean>();

function isValidAttributeName(name: string): boolean {
  let known = validAttributes.get(name);
  if (known === undefined) {
    known = name.length > 0 && !INVALID_ATTRIBUTE_CHAR.test(name);
    if (validAttributes.size >= 1024) validAttributes.clear();
    validAttributes.set(name, known);
  }
  return known;
}

function isValidTagName(name: string): boolean {
  let known = validTags.get(name);
  if (known === undefined) {
    known = !INVALID_TAG_CHAR.test(name);
    if (validTags.size >= 256) validTags.clear();
    validTags.set(name, known);
  }
  return known;
}

const ESCAPES = /[&<>'"]/;

/** Hono's escaping of text and attribute values. */
export function escapeHtml(text: string): string {
  const first = text.search(ESCAPES);
  if (first === -1) return text;
  let out = "";
  let last = 0;
  for (let i = first; i < text.length; i++) {
    let entity: string;
    switch (text.charCodeAt(i)) {
      case 34:
        entity = "&quot;";
        break;
      case 39:
        entity = "&#39;";
        break;
      case 38:
        entity = "&amp;";
        break;
      case 60:
        entity = "&lt;";
        break;
      case 62:
        entity = "&gt;";
        break;
      default:
        continue;
    }
    out += text.substring(last, i) + entity;
    last = i + 1;
  }
  return out + text.substring(last);
}

interface Escaped {
  isEscaped: true;
  callbacks?: unknown[];
  toString(): string | Promise<string>;
}

const isEscaped = (v: unknown): v is Escaped =>
  typeof v === "object" && v !== null && (v as { isEscaped?: unknown }).isEscaped === true;

/** Children as markup: a string, or a promise of one when a child is still rendering (an async component). */
function renderChildren(children: unknown): string | Promise<string> {
  if (typeof children === "string") return escapeHtml(children);
  if (children === null || children === undefined || typeof children === "boolean") return "";
  if (typeof children === "number") return String(children);
  if (children instanceof Markup) return children.html;
  if (children instanceof Promise) return children.then(renderChildren);
  if (isEscaped(children)) {
    // Hono's render callbacks (its Suspense, hoisted <head> tags) are not carried: no view uses them.
    if (children.callbacks?.length) throw new Error("Render callbacks (raw(…, callbacks)) are not supported.");
    const s = children.toString();
    return typeof s === "string" ? s : s.then(String);
  }
  if (Array.isArray(children)) {
    let out = "";
    // Once a child is still rendering, the rest are kept in order and joined when all are done.
    let parts: (string | Promise<string>)[] | null = null;
    for (const child of children) {
      const r = renderChildren(child);
      if (parts) parts.push(r);
      else if (typeof r === "string") out += r;
      else parts = [out, r];
    }
    return parts ? Promise.all(parts).then((all) => all.join("")) : out;
  }
  // As Hono: any other object is read as a list of children (a Date, with no length, writes nothing).
  const length = (children as { length?: unknown }).length;
  return typeof length === "number" ? renderChildren(Array.from(children as ArrayLike<unknown>)) : "";
}

function attribute(name: string, value: unknown, tag: string): string {
  if (name === "ref" || value === null || value === undefined) return "";
  if (typeof value === "boolean" && BOOLEAN.has(name)) return value ? ` ${name}=""` : "";
  if (typeof value === "function") {
    if (!name.startsWith("on") && name !== "action" && name !== "formaction")
      throw new Error(`Invalid prop '${name}' of type 'function' supplied to '${tag}'.`);
    return "";
  }
  if (typeof value === "string") return ` ${name}="${escapeHtml(value)}"`;
  if (typeof value === "number") return ` ${name}="${value}"`;
  // Hono writes `raw(…)` unescaped and anything else (an element, a list) as its text, escaped.
  if (value instanceof String && (value as { isEscaped?: boolean }).isEscaped) return ` ${name}="${value}"`;
  if (name === "style" && typeof value === "object")
    throw new Error("Style objects are not supported: write a string.");
  if (value instanceof Promise) throw new Error(`Attribute '${name}' of '${tag}' is a promise: await it first.`);
  return ` ${name}="${escapeHtml(String(value))}"`;
}

function element(tag: string, props: Props): Markup | Promise<Markup> {
  if (!isValidTagName(tag)) throw new Error(`Invalid JSX tag name: ${tag}`);
  const svg = SVG_TAGS.has(tag);
  let open = `<${tag}`;
  let children: unknown = props.children;
  for (const key in props) {
    if (key === "children") continue;
    let name = HTML_NAMES.get(key) ?? key;
    if (svg && /[A-Z]/.test(name) && SVG_CAMEL.test(name)) name = name.replace(/([A-Z])/g, "-$1").toLowerCase();
    if (!isValidAttributeName(name)) continue;
    const value = props[key];
    if (name === "dangerouslySetInnerHTML" && typeof value === "object" && value !== null && "__html" in value) {
      if (hasChildren(children)) throw new Error("Can only set one of `children` or `props.dangerouslySetInnerHTML`.");
      children = new Markup(String((value as { __html: unknown }).__html));
      continue;
    }
    open += attribute(name, value, tag);
  }
  if (VOID.has(tag) && !hasChildren(children)) return new Markup(`${open}/>`);
  const inner = renderChildren(children);
  return typeof inner === "string"
    ? new Markup(`${open}>${inner}</${tag}>`)
    : inner.then((s) => new Markup(`${open}>${s}</${tag}>`));
}

/** Whether `children` as given in props holds any child (Hono counts an empty list as none). */
function hasChildren(children: unknown): boolean {
  return children !== undefined && !(Array.isArray(children) && children.length === 0);
}

function component(fn: Component, props: Props): Markup | Promise<Markup> {
  // As Hono: a single child in a list is given to the component as itself.
  const given =
    Array.isArray(props.children) && props.children.length === 1 ? { ...props, children: props.children[0] } : props;
  return asMarkup(fn(given));
}

function asMarkup(result: unknown): Markup | Promise<Markup> {
  if (result instanceof Markup) return result;
  if (result instanceof Promise) return result.then(asMarkup);
  const html = renderChildren(result);
  return typeof html === "string" ? new Markup(html) : html.then((s) => new Markup(s));
}

/** `<>…</>`: its children, one after another. */
export function Fragment(props: { children?: unknown }): Markup | Promise<Markup> {
  return asMarkup(props.children);
}

export function jsx(tag: string | Component, props: Props | null, _key?: unknown): JSX.Element {
  const p = props ?? {};
  return (typeof tag === "function" ? component(tag, p) : element(tag, p)) as unknown as JSX.Element;
}

export { jsx as jsxs, jsx as jsxDEV };
