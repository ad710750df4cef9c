/**
 * Splitters for the portal's flattened tables: "Cách thức thực hiện" (channels) and "Thành phần hồ sơ" (dossier).
 * The portal's crawler joined table cells with no separator, so each splitter finds the cells by what they hold
 * (a channel label, a time limit, a fee; a copy count "1 bản chính") and reports when it could not do so with
 * confidence: the caller then keeps the original text beside whatever was recovered.
 * Input is text already normalised by `cleanText` (NFC, no page furniture); output holds no "Không có thông tin".
 */
import type { ChannelCode, DossierGroup, DossierItem, ProcedureChannel } from "./procedure-record.ts";

/** The portal's word for an empty cell. */
export const NO_INFO = "Không có thông tin";

/** Remove every "Không có thông tin" left inside a cell, with the spaces and a lone bracket pair around it. */
export function dropNoInfo(text: string): string {
  return text
    .replace(/\(\s*Không có thông tin\s*\)/g, "")
    .replace(/Không có thông tin/g, "")
    .replace(/[ \t]{2,}/g, " ")
    .trim();
}

/** Issuer codes that end a number, longest first, so "TT-BTCsửa đổi" stops at BTC and "NĐ-CPThông tư" at CP. */
const ISSUERS = [
  "UBTVQH\\d{2} QH\\d{2} BLĐTBXH BVHTTDL BNNPTNT VKSNDTC TANDTC BGDĐT BKHĐT BKHCN BTTTT BNNMT BTNMT BGTVT",
  "UBND HĐND BHXH CSXH VPCP VPQH NHNN HĐTP TTLT NQLT VBHN TTg BTC BCA BTP BXD BYT BQP BCT BNV BNG CTN",
  "NĐ ND NQ QĐ TT CP NV VK L",
]
  .join(" ")
  .split(" ");
const ISSUER = `(?:${ISSUERS.join("|")}|\\p{Lu}{2,}(?!\\p{Ll}))`;
/** A legal document number: "47/2014/QH13", "66.7/2025/NQ-CP", "601/QĐ-BTC", "03/2016/TTLT-BTP-BCA" (regex source). */
export const LEGAL_NUMBER = `\\d{1,4}(?:\\.\\d{1,3})?(?:/\\d{4})?/${ISSUER}(?:-${ISSUER})*(?:-[A-ZĐ](?=\\p{Lu}\\p{Ll}))?`;

// ---------------------------------------------------------------------------------------------------------------
// Channels: "Hình thức nộpThời gianPhí, lệ phíMô tả" then rows "<label><time><fee>(<fee note>)<description>".

const CHANNEL_HEADER = /^\s*Hình thức nộp\s*Thời gian\s*Phí,? lệ phí\s*Mô tả\s*/;
const CHANNEL_LABEL = /Dịch vụ bưu chính|Bưu chính|Trực tiếp|Trực tuyến/g;
const CHANNEL_OF: Record<string, ChannelCode> = {
  "Trực tiếp": "truc_tiep",
  "Trực tuyến": "truc_tuyen",
  "Dịch vụ bưu chính": "buu_chinh",
  "Bưu chính": "buu_chinh",
};
const TIME_UNIT = "Ngày làm việc|ngày làm việc|Ngày|ngày|Giờ|giờ|Tháng|tháng|Năm|năm|Phút|phút|Tuần|tuần";
const CURRENCY = "(?:Việt Nam Đồng|VNĐ|VND|Đồng|đồng|USD)";
const MONEY = `(?:[1-9]\\d{0,2}(?:[.,]\\d{3})+|[1-9]\\d*)\\s*${CURRENCY}`;
const FEE = `Miễn phí|${NO_INFO}|${MONEY}`;
const MONEY_ALONE = new RegExp(`^${MONEY}$`);
/** Time cells that are words: the fee may then be missing ("Trực tiếpKhôngTại Trung tâm…"). */
const WORD_TIME = "Không phải trả kết quả cho người nộp thuế|Không quy định|Không(?=\\s|\\p{Lu})";
/**
 * Time then fee, anchored just after a channel label. A bare number of days comes first and is lazy, so
 * "Trực tuyến120 VNĐ" reads 1 (day) and 20 VNĐ, "7110,000 VNĐ" reads 7 and 110,000: a fee never starts with 0.
 */
const TIME_FEE = new RegExp(
  `(?<time>${NO_INFO}|\\d+(?:[.,]\\d+)?\\s*(?:${TIME_UNIT})|\\d+?)(?<fee>${FEE})|(?<wordTime>${WORD_TIME})\\s*(?<wordFee>${FEE})?`,
  "uy",
);

/** Where a balanced parenthesised group starting at `from` ends (index after ")"), or -1. */
function closingParen(text: string, from: number): number {
  let depth = 0;
  for (let i = from; i < text.length; i++) {
    const c = text[i];
    if (c === "(") depth++;
    else if (c === ")") {
      depth--;
      if (depth === 0) return i + 1;
    }
  }
  return -1;
}

/** A bare number of days glued to an amount that splits more than one way ("115 USD": 1 + 15 or 11 + 5). */
function ambiguousTimeFee(time: string, fee: string): boolean {
  if (!/^\d+$/.test(time) || !/^\d/.test(fee)) return false;
  const joined = time + fee;
  let ways = 0;
  for (let k = 1; k < joined.length && /\d/.test(joined[k - 1] ?? ""); k++) {
    if (MONEY_ALONE.test(joined.slice(k))) ways++;
  }
  return ways > 1;
}

export interface ChannelSplit {
  channels: ProcedureChannel[];
  /** False when the table had no header, text before the first row, or a doubtful time/fee boundary. */
  confident: boolean;
}

/** Split "Cách thức thực hiện" into channel rows. */
export function splitChannels(text: string): ChannelSplit {
  const header = CHANNEL_HEADER.exec(text);
  if (!header) return { channels: [], confident: text.trim() === "" };
  const body = text.slice(header[0].length);
  // Row starts: a channel label directly followed by a time and a fee. A label inside a description
  // ("Trực tuyến qua Cổng dịch vụ công") is not followed by them and stays in the description.
  const rows: { at: number; label: string; time: string; fee: string; end: number }[] = [];
  for (const m of body.matchAll(CHANNEL_LABEL)) {
    const at = m.index;
    if (rows.length > 0 && at < (rows[rows.length - 1]?.end ?? 0)) continue;
    TIME_FEE.lastIndex = at + m[0].length;
    const tf = TIME_FEE.exec(body);
    if (!tf?.groups) continue;
    const time = tf.groups.time ?? tf.groups.wordTime ?? "";
    const fee = tf.groups.fee ?? tf.groups.wordFee ?? "";
    rows.push({ at, label: m[0], time, fee, end: TIME_FEE.lastIndex });
  }
  if (rows.length === 0) return { channels: [], confident: false };
  let confident = body.slice(0, rows[0]?.at).trim() === "";
  const channels: ProcedureChannel[] = rows.map((row, i) => {
    const rest = body.slice(row.end, rows[i + 1]?.at ?? body.length);
    let note = "";
    let description = rest;
    if (rest.startsWith("(")) {
      const close = closingParen(rest, 0);
      if (close > 0) {
        note = rest.slice(1, close - 1).trim();
        description = rest.slice(close);
      }
    }
    if (ambiguousTimeFee(row.time, row.fee)) confident = false;
    const noteText = /^(Không|Không có|Không quy định|Chưa quy định)\.?$/i.test(note) ? "" : dropNoInfo(note);
    return {
      channel: CHANNEL_OF[row.label] ?? "truc_tiep",
      timeLimit: row.time === NO_INFO ? "" : row.time.replace(/\s+/g, " ").trim(),
      fee: row.fee === NO_INFO ? "" : row.fee.replace(/\s+/g, " ").trim(),
      description: [noteText, dropNoInfo(description)].filter((s) => s !== "").join("\n"),
    };
  });
  return { channels, confident };
}

// ---------------------------------------------------------------------------------------------------------------
// Dossier: "[case heading]Tên giấy tờMẫu đơn, tờ khaiSố lượng" then items "<name><form file><N bản chính,M bản sao>".

const DOSSIER_HEADER = /Tên giấy tờ\s*Mẫu đơn,? tờ khai\s*Số lượng/g;
/** A copy count ending an item. Counts are single digits glued to the cell before ("…NĐ 1161 bản chính" is 116 + 1). */
const COUNT = /(\d+) bản chính(?:\s*,\s*(\d+) bản sao)?|(\d+) bản sao/g;
const FORM_EXT = /\.(?:docx?|xlsx?|pdf|rtf|odt|ods|zip|rar|jpe?g|png)/gi;

interface Count {
  start: number;
  end: number;
  originals: number | null;
  copies: number | null;
}

/**
 * Item-ending counts in a segment, not those of running text ("(01 bản chính)", "nộp 02 bản chính tờ khai",
 * "…1 bản chính01 bản chính biên bản…"): the portal writes counts as one digit, with no leading zero.
 */
function itemCounts(text: string): Count[] {
  const out: Count[] = [];
  for (const m of text.matchAll(COUNT)) {
    const digits = m[1] ?? m[3] ?? "";
    const before = text[m.index - 1] ?? "";
    if (/^0\d$/.test(digits)) continue;
    if (digits.length === 1 && /[\s(]/.test(before)) continue;
    // The count is the last digit; any digits before it end the previous cell ("Mẫu số 181 bản chính" is 18 + 1).
    const start = m.index + digits.length - 1;
    const n = Number(digits.slice(-1));
    const copies = m[2] !== undefined ? Number(m[2]) : m[3] !== undefined ? n : null;
    out.push({ start, end: m.index + m[0].length, originals: m[3] !== undefined ? null : n, copies });
  }
  return out;
}

const JOINS = new RegExp(
  [
    "(?<=\\p{Ll})(?=\\p{Lu}\\p{Ll})", // "khoáng sảnMau 06"
    "(?<=\\p{Lu})(?=\\p{Lu}\\p{Ll}{2})", // "NĐ-CPMẫu số 01"
    '(?<=[);”"])(?=[\\p{L}\\p{N}])', // "(mẫu NA17)101-Mau", "…thường trú”Phụ lục"
    "(?<=[\\p{Ll})]\\.)(?=[\\p{Lu}\\p{N}])", // "văn bản.1.MuCT01", "thú y.Ms03"
    "(?<=\\p{Lu}{2}\\.)(?=[\\p{L}\\p{N}])", // "NĐ-CP.Mau10"
    "(?<=\\p{Ll}\\.)(?=\\p{Ll}{2})", // "màu trắng.mau so 12"
    "(?<=\\d)(?=\\p{Lu}\\p{Ll})", // "ngày 12/12/201Mẫu 2"
  ].join("|"),
  "gu",
);
const NUMBER_IN_TEXT = new RegExp(LEGAL_NUMBER, "gu");

/** Where the form file name starts inside "<name><form>", given where its extension ends; -1 if not found. */
function formStart(text: string, extEnd: number): number {
  // The first cell join before the extension: a word glued to a capitalised word ("khoáng sảnMau 06", "NĐ-CPMẫu"),
  // a closing bracket or stop glued to what follows ("(mẫu NA17)101-Mau", "văn bản.1.MuCT01", "NĐ-CP.Mau10"),
  // or a document number glued to the file name ("Thông tư số 80/2021/TT-BTC01-LP.docx").
  const region = text.slice(0, extEnd);
  const candidates = [...region.matchAll(JOINS)].map((m) => m.index);
  for (const m of region.matchAll(NUMBER_IN_TEXT)) {
    const end = m.index + m[0].length;
    if (!/\/\d{4}\//.test(m[0])) continue;
    if (/[\p{Lu}\p{N}]/u.test(region[end] ?? "")) candidates.push(end);
  }
  const inside = candidates.filter((i) => i > 0 && i < extEnd - 4);
  return inside.length > 0 ? Math.min(...inside) : -1;
}

/** Split one item's text ("<name><form>") into name and form. */
export function splitNameForm(raw: string): { name: string; form: string } {
  // Items are shown as a list: a bullet typed into the cell ("- Văn bản ủy quyền…") would show twice.
  const text = raw.replace(/^\s*[-–•+*]\s+/, "");
  const exts = [...text.matchAll(FORM_EXT)].filter((m) => {
    const after = text[m.index + m[0].length];
    return after === undefined || !/[\p{Ll}\d]/u.test(after) || /^\.doc\.doc/i.test(text.slice(m.index));
  });
  const last = exts[exts.length - 1];
  if (!last || last.index + last[0].length < text.trimEnd().length) return { name: tidy(text), form: "" };
  const start = formStart(text, last.index + last[0].length);
  if (start <= 0) return { name: tidy(text), form: "" };
  const form = text
    .slice(start)
    .trim()
    // several forms in one cell: "Mẫu số 09.docxPhụ lục số 05.docx"
    .replace(/(\.(?:docx|doc|xlsx|xls|pdf|DOCX|DOC|PDF))(?![a-z])(?=[^\s;,)])/g, "$1; ")
    // a file-store id before the file name: "101-Mau A17 …"
    .replace(/^\d+-(?=M[aẫ]u\b|MẪU\b)/u, "");
  return { name: tidy(text.slice(0, start)).replace(/[;:]$/, "").trim(), form };
}

function tidy(text: string): string {
  return dropNoInfo(text.replace(/[ \t]+/g, " ").replace(/\s*\n\s*/g, "\n")).trim();
}

function caseHeading(text: string): string {
  const t = tidy(text).replace(/^[-–\s]+$/, "");
  return t.replace(/:$/, "").trim();
}

export interface DossierSplit {
  dossier: DossierGroup[];
  confident: boolean;
}

/** Split "Thành phần hồ sơ" into groups of items. */
export function splitDossier(text: string): DossierSplit {
  const headers = [...text.matchAll(DOSSIER_HEADER)];
  if (headers.length === 0) return { dossier: [], confident: text.trim() === "" };
  let confident = true;
  const groups: DossierGroup[] = [];
  let heading = caseHeading(text.slice(0, headers[0]?.index));
  headers.forEach((h, i) => {
    const segment = text.slice(h.index + h[0].length, headers[i + 1]?.index ?? text.length);
    const counts = itemCounts(segment);
    const items: DossierItem[] = [];
    let from = 0;
    for (const c of counts) {
      const { name, form } = splitNameForm(segment.slice(from, c.start));
      // The portal has empty rows ("…1 bản chính1 bản chính"): nothing to keep.
      if (name !== "" || form !== "") items.push({ name, form, originals: c.originals, copies: c.copies });
      from = c.end;
    }
    const tail = segment.slice(from);
    const isLast = i === headers.length - 1;
    if (items.length === 0) confident = false;
    groups.push({ caseName: heading, items });
    if (isLast) {
      if (tidy(tail).replace(/^[-–\s]+$/, "") !== "") confident = false;
    } else {
      heading = caseHeading(tail);
    }
  });
  // A single unnamed group is "the only group"; steps run into the field ("Bước 2.") are not a dossier.
  if (/(^|\n)\s*Bước \d+[.:]/.test(text)) confident = false;
  return { dossier: groups.filter((g) => g.items.length > 0 || g.caseName !== ""), confident };
}
