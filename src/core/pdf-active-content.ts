/**
 * Active content in a PDF: what a viewer could run or open by itself (scripts, launch actions, actions fired on
 * open or on events, embedded files, forms that send or fetch data). Citizens' and staff's PDFs are papers to read,
 * so any of it gets the whole file refused.
 *
 * How it looks: every dictionary key and name outside stream data, with `#xx` escapes decoded (`/J#53` is `/JS`),
 * and inside every object stream (where PDF 1.5+ compresses dictionaries), inflated within a cap. An object stream
 * this reader cannot decode — another filter, a predictor, encrypted or corrupt data, or over the cap — makes the
 * file "uninspectable", refused too: what cannot be checked is not accepted. So does a file of more than 50,000
 * streams, which keeps the check of the largest upload to a fraction of a second. Other streams (page content, images,
 * fonts) hold no dictionaries and are skipped. A name in a string or a comment counts as well: a false refusal of
 * a rare file is the price of never passing a hidden one.
 *
 * An opening action (`/OpenAction`) is allowed only as far as what it does is: a jump to a page passes; a script,
 * a launch or a form submission is refused by its own name wherever it sits.
 */
import { inflateSync } from "node:zlib";

/** Names that make a PDF active, with what they do, in Vietnamese for the refusal message. */
const ACTIVE_NAMES: ReadonlyMap<string, string> = new Map([
  ["JavaScript", "mã JavaScript"],
  ["JS", "mã JavaScript"],
  ["Launch", "lệnh mở chương trình"],
  ["AA", "thao tác tự chạy theo sự kiện"],
  ["EmbeddedFile", "tệp nhúng"],
  ["EmbeddedFiles", "tệp nhúng"],
  ["GoToE", "tệp nhúng"],
  ["RichMedia", "nội dung đa phương tiện tự chạy"],
  ["SubmitForm", "biểu mẫu gửi dữ liệu đi"],
  ["ImportData", "biểu mẫu nhận dữ liệu vào"],
  ["XFA", "biểu mẫu XFA có mã lệnh"],
]);

/** Bytes inflated from object streams, all together, before a file counts as uninspectable. */
export const PDF_INFLATE_CAP = 32 * 1024 * 1024;

export type PdfVerdict =
  | { ok: true }
  | { ok: false; reason: "active"; what: string }
  | { ok: false; reason: "uninspectable" };

// A name: a solidus, then regular characters (anything but white space and delimiters).
const NAME = /\/([^\s/<>[\]()%{}]*)/g;
const decodeName = (raw: string) =>
  raw.replace(/#([0-9A-Fa-f]{2})/g, (_, h: string) => String.fromCharCode(Number.parseInt(h, 16)));

/** The first active name in this text, or null. */
function firstActiveName(text: string): string | null {
  for (const m of text.matchAll(NAME)) {
    const what = ACTIVE_NAMES.get(decodeName(m[1] ?? ""));
    if (what) return what;
  }
  return null;
}

/** A dictionary's names decoded, as one string, for reading its keys (`/Type /ObjStm`, `/Filter …`). */
const decodedDict = (dict: string) => dict.replace(NAME, (_, raw: string) => `/${decodeName(raw)}`);

// How far back a stream's dictionary is looked for: real ones take a few hundred bytes.
const MAX_DICT_CHARS = 64 * 1024;

/**
 * The dictionary that ends just before `end` (the index after its closing `>>`), found by balancing `<<` and `>>`,
 * looked for no further back than `floor` (where the previous stream's data ended): so the scans of all streams
 * together never read a byte twice, however many bare `>> stream` keywords a file holds.
 */
function dictBefore(text: string, end: number, floor: number): string | null {
  const GT = 0x3e;
  const LT = 0x3c;
  let depth = 0;
  for (let i = end - 1; i >= Math.max(floor + 1, end - MAX_DICT_CHARS); i--) {
    const a = text.charCodeAt(i - 1);
    const b = text.charCodeAt(i);
    if (a === GT && b === GT) {
      depth++;
      i--;
    } else if (a === LT && b === LT) {
      depth--;
      if (depth === 0) return text.slice(i - 1, end);
      i--;
    }
  }
  return null;
}

interface Stream {
  dict: string;
  start: number;
  end: number;
}

// More streams than any real paper holds (a 500-page scan has about a thousand): past it, the file is not read on.
const MAX_STREAMS = 50_000;

/**
 * Every stream: its dictionary and where its data lies (by a direct `/Length`, else up to `endstream`); null when
 * there are more than MAX_STREAMS.
 */
function streamsOf(text: string): Stream[] | null {
  const out: Stream[] = [];
  const head = />>\s*stream(\r\n|\n|\r)/g;
  let m: RegExpExecArray | null = head.exec(text);
  while (m) {
    if (out.length >= MAX_STREAMS) return null;
    const dictEnd = m.index + 2;
    const start = m.index + m[0].length;
    const dict = dictBefore(text, dictEnd, out.at(-1)?.end ?? 0) ?? "";
    const direct = /\/Length\s+(\d+)(?!\d)(?!\s+\d+\s+R)/.exec(dict);
    let end = -1;
    if (direct) {
      const byLength = start + Number(direct[1]);
      if (/^\s*endstream/.test(text.slice(byLength, byLength + 32))) end = byLength;
    }
    if (end < 0) {
      const found = text.indexOf("endstream", start);
      end = found < 0 ? text.length : found;
    }
    out.push({ dict, start, end });
    head.lastIndex = end;
    m = head.exec(text);
  }
  return out;
}

/** An object stream's dictionaries as text, or null when this reader cannot decode it within `budget` bytes. */
function decodeObjectStream(bytes: Buffer, s: Stream, budget: number): string | null {
  const dict = decodedDict(s.dict);
  const filters = /\/Filter\s*(\[[^\]]*\]|\/[^\s/<>[\]()]+)/.exec(dict)?.[1] ?? "";
  const names = [...filters.matchAll(/\/([^\s/<>[\]()]+)/g)].map((f) => f[1]);
  const predictor = Number(/\/Predictor\s+(\d+)/.exec(dict)?.[1] ?? "1");
  if (predictor > 1) return null;
  const data = bytes.subarray(s.start, s.end);
  if (names.length === 0) return data.length <= budget ? data.toString("latin1") : null;
  if (names.length !== 1 || names[0] !== "FlateDecode") return null;
  try {
    return inflateSync(data, { maxOutputLength: Math.max(1, budget) }).toString("latin1");
  } catch {
    return null;
  }
}

/** Whether a PDF carries active content, looked for outside streams and inside object streams. */
export function inspectPdf(buf: Uint8Array, inflateCap = PDF_INFLATE_CAP): PdfVerdict {
  const bytes = Buffer.from(buf.buffer, buf.byteOffset, buf.length);
  const text = bytes.toString("latin1");
  const streams = streamsOf(text);
  if (!streams) return { ok: false, reason: "uninspectable" };
  const outside: string[] = [];
  let from = 0;
  for (const s of streams) {
    outside.push(text.slice(from, s.start));
    from = s.end;
  }
  outside.push(text.slice(from));
  const plain = firstActiveName(outside.join("\n"));
  if (plain) return { ok: false, reason: "active", what: plain };

  let budget = inflateCap;
  for (const s of streams) {
    const dict = decodedDict(s.dict);
    // A viewer may take any stream with /N and /First for an object stream, whatever its /Type says.
    const objectStream = /\/Type\s*\/ObjStm\b/.test(dict) || (/\/N\s+\d/.test(dict) && /\/First\s+\d/.test(dict));
    if (!objectStream) continue;
    const decoded = decodeObjectStream(bytes, s, budget);
    if (decoded == null || decoded.length >= budget) return { ok: false, reason: "uninspectable" };
    budget -= decoded.length;
    const inner = firstActiveName(decoded);
    if (inner) return { ok: false, reason: "active", what: inner };
  }
  return { ok: true };
}
