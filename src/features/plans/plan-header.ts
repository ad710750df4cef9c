/**
 * The parts of a plan around its sections: the header (number, place and date, title, issuer), the opening
 * "Căn cứ …" paragraphs, and the footer (Nơi nhận, signer). Read line by line, because documents lay the header and
 * the signature out in two columns that a conversion may interleave. Pure.
 */
import { fold, foldWords, isoDate, squash } from "../../core/text/vi.ts";
import type { DraftWarning, PlanDraft } from "./plan-draft.ts";
import { type Block, detectLabel, endsSentence, isCaps } from "./plan-text.ts";
import { DOC_NUMBER, normaliseDocNumber, parseAnyVnDate } from "./references.ts";

export type HeaderPart = Pick<
  PlanDraft,
  "kind" | "number" | "place" | "issuedOn" | "title" | "issuer" | "issuerUnit" | "basis" | "period"
>;

const UNIT_TYPES = ["thị trấn", "phường", "xã"] as const;
const PLACE_DATE_RE = /^(.*?),?\s*ngày\s+(\d{1,2})\s+tháng\s+(\d{1,2})\s*,?\s+năm\s+(\d{4})/iu;
const PLACE_SHORT_DATE_RE = /^(.*?),?\s*ngày\s+(\d{1,2}\s*[/.-]\s*\d{1,2}\s*[/.-]\s*\d{4})/iu;
/** "Số: 18 /KH-UBND" at the start of a line (never "… Quyết định số 181/QĐ-UBND" inside a sentence). */
const NUMBER_LINE_RE = new RegExp(String.raw`^(?:Số|SỐ)\s*[:.]?\s*(${DOC_NUMBER})`, "u");

/** "Kế hoạch" alone on its line, or at the start of a line in capitals followed by the title. */
export function isPlanTitleLine(line: string): boolean {
  return fold(line) === "ke hoach" || /^KẾ HOẠCH(?:\s|$)/u.test(line);
}

function readNumber(lines: string[]): string | null {
  for (const line of lines) {
    const m = NUMBER_LINE_RE.exec(line);
    if (m?.[1]) return normaliseDocNumber(m[1]);
  }
  return null;
}

function cleanPlace(text: string): string | null {
  // "Số: 18/KH-UBND  Phổ Minh, ngày …": the number column run into the place.
  const withoutNumber = text.replace(/^(?:Số|SỐ)\s*[:.]?\s*\S+/u, "");
  const place = squash(withoutNumber.replace(/^[\s,.;:–-]+|[\s,.;:–-]+$/g, ""));
  return place === "" ? null : place;
}

/** "Căn cứ Nghị quyết số 76/NQ-CP ngày 15/7/2021 …": a cited document's date, never the plan's own. */
const CITATION_LINE = /^(?:can cu|thuc hien|theo)\b/;

function readPlaceDate(lines: string[]): { place: string | null; issuedOn: string | null } {
  for (const line of lines) {
    if (CITATION_LINE.test(fold(line))) continue;
    const long = PLACE_DATE_RE.exec(line);
    if (long) {
      return {
        place: cleanPlace(long[1] ?? ""),
        issuedOn: isoDate(Number(long[4]), Number(long[3]), Number(long[2])),
      };
    }
    const short = PLACE_SHORT_DATE_RE.exec(line);
    if (short?.[2]) return { place: cleanPlace(short[1] ?? ""), issuedOn: parseAnyVnDate(short[2]) };
    // A draft date left blank: "Phổ Minh, ngày    tháng 02 năm 2024".
    const blank = /^(.+?),\s*ngày\b/iu.exec(line);
    if (blank && /tháng|năm/iu.test(line)) return { place: cleanPlace(blank[1] ?? ""), issuedOn: null };
  }
  return { place: null, issuedOn: null };
}

/**
 * Lower-case the first letter of a title line that continues the previous one ("Trên địa bàn phường …" →
 * "trên địa bàn …"). Only when the first word is capitalised and the second is not, so proper nouns
 * ("Phổ Minh", "Đức Phổ") and acronyms keep their capitals.
 */
function continueSentence(line: string): string {
  const m = /^(\p{Lu})(\p{Ll}*)\s+(\S)/u.exec(line);
  if (!m?.[1] || !m[3] || !/[\p{Ll}\d]/u.test(m[3])) return line;
  return m[1].toLowerCase() + line.slice(1);
}

export function joinTitleLines(lines: string[]): string {
  let title = "";
  for (const line of lines) {
    if (title === "") title = line;
    else title = `${title} ${endsSentence(title) ? line : continueSentence(line)}`;
  }
  return squash(title);
}

const NOT_TITLE = /^(can cu|thuc hien|de |nham |ubnd|uy ban nhan dan)/;

function couldContinueTitle(block: Block, titleSoFar: string[]): boolean {
  if (block.label || block.bullet || NOT_TITLE.test(fold(block.text))) return false;
  if (block.text.length > 160 || endsSentence(block.text)) return false;
  const last = titleSoFar.at(-1);
  if (last === undefined) return true;
  return !endsSentence(last) && block.text.length <= 120;
}

/** The title lines after "KẾ HOẠCH": the rest of its block, then following short blocks that continue it. */
function readTitle(blocks: Block[]): { title: string | null; end: number } {
  const at = blocks.findIndex((b) => b.lines.some(isPlanTitleLine));
  const block = blocks[at];
  if (!block) return { title: null, end: 0 };
  const from = block.lines.findIndex(isPlanTitleLine);
  const first = block.lines[from]?.replace(/^KẾ HOẠCH\s*/u, "") ?? "";
  const lines = [first, ...block.lines.slice(from + 1)].filter((l) => l !== "");
  let end = at + 1;
  for (; end < blocks.length && lines.length < 4; end++) {
    const next = blocks[end];
    if (!next || !couldContinueTitle(next, lines)) break;
    lines.push(...next.lines);
  }
  return { title: lines.length > 0 ? joinTitleLines(lines) : null, end };
}

function titleCase(text: string): string {
  return text
    .toLowerCase()
    .split(" ")
    .map((w) => (w[0]?.toUpperCase() ?? "") + w.slice(1))
    .join(" ");
}

const NAME = String.raw`(\d+|\p{Lu}[\p{L}\d]*(?:[ -]\p{Lu}[\p{L}\d]*)*)`;
// Case-sensitive on purpose: the name is the run of capitalised words after the unit type.
const UNIT_IN_TEXT_RE = new RegExp(
  String.raw`(?:UBND|(?:[ỦủUu]y|[Uu]ỷ) [Bb]an [Nn]hân [Dd]ân)\s+([Tt]hị [Tt]rấn|[Pp]hường|[Xx]ã)\s+${NAME}`,
  "gu",
);

function unitType(word: string): string | null {
  const f = fold(word);
  return UNIT_TYPES.find((t) => fold(t) === f) ?? null;
}

/** "Ban" of "Ban hành" is not part of the name: "UBND phường Phổ Minh Ban hành …". */
function trimName(name: string, after: string): string {
  return /^\s*hành\b/iu.test(after) && name.endsWith(" Ban") ? name.slice(0, -4) : name;
}

function unitFromHeaderLines(lines: string[]): { type: string; name: string } | null {
  let sawCommittee = false;
  for (const line of lines) {
    const f = foldWords(line);
    const inline = /^(?:uy ban nhan dan|ubnd) (thi tran|phuong|xa) (.+)$/.exec(f);
    const words = line.split(" ");
    if (inline?.[1] && inline[2] && inline[2].split(" ").length <= 5) {
      const typeWords = inline[1].split(" ").length;
      const committeeWords = f.startsWith("ubnd") ? 1 : 4;
      return { type: unitType(inline[1]) ?? inline[1], name: words.slice(committeeWords + typeWords).join(" ") };
    }
    if (/^(?:uy ban nhan dan|ubnd)$/.test(f)) sawCommittee = true;
    const alone = /^(thi tran|phuong|xa) (?!hoi\b)(.+)$/.exec(f);
    if (sawCommittee && alone?.[1] && isCaps(line)) {
      return { type: unitType(alone[1]) ?? alone[1], name: words.slice(alone[1].split(" ").length).join(" ") };
    }
  }
  return null;
}

/**
 * The unit's name as the running text spells it ("PHỔ MINH" in the header, "UBND phường Phổ Minh" in the text);
 * capitalised word by word when the text never names it.
 */
function spellingInText(name: string, text: string): string {
  if (/\p{Ll}/u.test(name)) return name;
  for (const m of text.matchAll(UNIT_IN_TEXT_RE)) {
    if (m[2] && fold(m[2]) === fold(name)) return m[2];
  }
  return titleCase(name);
}

function unitFromText(text: string): { type: string; name: string } | null {
  let first: { type: string; name: string } | null = null;
  for (const m of text.matchAll(UNIT_IN_TEXT_RE)) {
    if (!m[1] || !m[2]) continue;
    const after = text.slice((m.index ?? 0) + m[0].length, (m.index ?? 0) + m[0].length + 20);
    const unit = { type: unitType(m[1]) ?? m[1], name: trimName(m[2], after) };
    // "UBND phường X ban hành Kế hoạch …" names the issuer; otherwise the first unit named will do.
    if (/^\s*ban hành\b/iu.test(after) || /^\s*hành\b/iu.test(after)) return unit;
    first ??= unit;
  }
  return first;
}

const HALF_YEAR_RE = /(?:6|sáu)\s+tháng\s+(đầu|cuối)\s+(?:năm\s+)?(\d{4})/iu;
const QUARTER_RE = /quý\s+(IV|III|II|I|[1-4])\s*(?:\/|năm)\s*(\d{4})/iu;
/** First and last day of each quarter. */
const QUARTERS: Record<string, [string, string]> = {
  I: ["01-01", "03-31"],
  II: ["04-01", "06-30"],
  III: ["07-01", "09-30"],
  IV: ["10-01", "12-31"],
};
const ROMAN_QUARTER: Record<string, string> = { "1": "I", "2": "II", "3": "III", "4": "IV" };

/** "6 tháng cuối năm 2025", "quý II/2025": a plan for part of a year ends with that part, and so do its tasks. */
function partOfYear(text: string): { from: string; to: string } | null {
  const half = HALF_YEAR_RE.exec(text);
  if (half?.[1] && half[2]) {
    const [from, to] = fold(half[1]) === "cuoi" ? ["07-01", "12-31"] : ["01-01", "06-30"];
    return { from: `${half[2]}-${from}`, to: `${half[2]}-${to}` };
  }
  const quarter = QUARTER_RE.exec(text);
  const name = quarter?.[1]?.toUpperCase() ?? "";
  const days = QUARTERS[ROMAN_QUARTER[name] ?? name];
  return quarter && days ? { from: `${quarter[2]}-${days[0]}`, to: `${quarter[2]}-${days[1]}` } : null;
}

/** "năm 2024" → the calendar year; "giai đoạn 2021 - 2025" → both years whole; half-years and quarters as such. */
export function periodOf(text: string): { from: string; to: string } | null {
  const range = /giai đoạn\s+(\d{4})\s*[-–—]\s*(\d{4})/iu.exec(text);
  if (range) return { from: `${range[1]}-01-01`, to: `${range[2]}-12-31` };
  const part = partOfYear(text);
  if (part) return part;
  const year = /năm\s+(\d{4})/iu.exec(text);
  return year ? { from: `${year[1]}-01-01`, to: `${year[1]}-12-31` } : null;
}

/**
 * Read the preamble: the blocks before section I. `bodyText` is the whole text, used to read the issuer when no
 * header block names it and to restore the spelling of a name written in capitals.
 */
export function readHeader(preamble: Block[], bodyText: string, warnings: DraftWarning[]): HeaderPart {
  const title = readTitle(preamble);
  const lines = preamble.flatMap((b) => b.lines);
  const number = readNumber(lines);
  const { place, issuedOn } = readPlaceDate(lines);
  const afterTitle = preamble.slice(title.end);
  const basis = afterTitle.filter((b) => /^can cu\b/.test(fold(b.text))).map((b) => b.text);
  const intro = afterTitle.find((b) => /ban hanh ke hoach|ke hoach .*nhu sau/.test(fold(b.text)))?.text ?? "";

  // Only the lines above the title can be the issuer's header block ("ỦY BAN NHÂN DÂN / PHƯỜNG …").
  const titleLine = lines.findIndex(isPlanTitleLine);
  const headerUnit = unitFromHeaderLines(titleLine >= 0 ? lines.slice(0, titleLine) : lines);
  const unit = headerUnit
    ? { type: headerUnit.type, name: spellingInText(headerUnit.name, bodyText) }
    : (unitFromText(intro) ?? unitFromText(bodyText));
  const period = (title.title && periodOf(title.title)) || periodOf(intro);

  if (!number) warnings.push({ path: "number", message: "Không tìm thấy số hiệu của kế hoạch (dòng “Số: …/KH-…”)." });
  if (!issuedOn)
    warnings.push({ path: "issuedOn", message: "Không đọc được ngày ban hành (“…, ngày … tháng … năm …”)." });
  if (!title.title) warnings.push({ path: "title", message: "Không tìm thấy tên kế hoạch (dòng sau chữ “KẾ HOẠCH”)." });
  if (!unit) warnings.push({ path: "issuer", message: "Không xác định được cơ quan ban hành (UBND phường/xã …)." });
  if (!period)
    warnings.push({ path: "period", message: "Không xác định được thời gian thực hiện (“năm …” trong tên kế hoạch)." });
  // "Thực hiện Kế hoạch số …" plays the same part as "Căn cứ": only a plan citing nothing is flagged.
  if (basis.length === 0 && !afterTitle.some((b) => /^thuc hien\b/.test(fold(b.text)))) {
    warnings.push({ path: "basis", message: "Không thấy đoạn “Căn cứ …” trước mục I." });
  }

  return {
    kind: "Kế hoạch",
    number,
    place,
    issuedOn,
    title: title.title,
    issuer: unit ? `UBND ${unit.type} ${unit.name}` : null,
    issuerUnit: unit,
    basis,
    period,
  };
}

export type FooterPart = Pick<PlanDraft, "recipients" | "signer">;

const RECIPIENT_RE = /^[-–—+•·]\s*/u;
const POSITION_RE = /^(?:tm|kt|q|tl|tuq)\s*\.|chu tich|truong|giam doc|bi thu|thu truong|chanh van phong/;
const BODY_LINE_RE = /^(?:uy ban nhan dan|ubnd|cong hoa|doc lap|hoi dong nhan dan)\b/;

/** A recipient as written, without its dash; the trailing ";" or "." of the list is dropped. */
function recipientText(line: string): string {
  return squash(line.replace(RECIPIENT_RE, "").replace(/[;,.]+$/u, ""));
}

function looksLikeName(line: string): boolean {
  const words = line.split(" ");
  return words.length >= 2 && words.length <= 6 && !/[\d:;,()]/.test(line) && words.every((w) => /^\p{Lu}/u.test(w));
}

/**
 * "TM. ỦY BAN NHÂN DÂN" → authority; "KT. CHỦ TỊCH", "TL. CHỦ TỊCH", "TUQ. CHỦ TỊCH" → onBehalfOf; "Q. CHỦ TỊCH"
 * (acting) is the position itself unless a position line follows it; the other capital lines are the position.
 */
function readSigner(lines: string[]): FooterPart["signer"] {
  const positions: string[] = [];
  let authority: string | null = null;
  let onBehalfOf: string | null = null;
  let acting: string | null = null;
  let name: string | null = null;
  for (const line of lines) {
    const f = fold(line);
    if (/^\(.*\)$/.test(line) || /\/\.$/.test(line)) continue; // "(Đã ký)", the closing sentence
    if (isCaps(line) && POSITION_RE.test(f)) {
      if (/^tm\s*\./.test(f)) authority ??= squash(line);
      else if (/^(?:kt|tl|tuq)\s*\./.test(f)) onBehalfOf ??= squash(line);
      else if (/^q\s*\./.test(f)) acting ??= squash(line);
      else positions.push(line);
    } else if (looksLikeName(line) && !BODY_LINE_RE.test(f)) {
      name = line;
    }
  }
  if (acting) {
    if (positions.length > 0) onBehalfOf ??= acting;
    else positions.push(acting);
  }
  return positions.length > 0 && name ? { position: positions.join(" "), name, authority, onBehalfOf } : null;
}

/** Recipients after "Nơi nhận:" (dash lines) and the signer (position lines in capitals, then the name). */
export function readFooter(footer: Block[], warnings: DraftWarning[]): FooterPart {
  const recipients: string[] = [];
  const others: string[] = [];
  let inList = false;
  let lastRaw = "";
  for (const line of footer.flatMap((b) => b.lines)) {
    if (/^noi nhan\b/.test(fold(line))) {
      inList = true;
      const rest = line.replace(/^[^:]*:?\s*/u, "");
      if (rest !== "") recipients.push(recipientText(rest));
      lastRaw = rest;
      continue;
    }
    if (inList && RECIPIENT_RE.test(line) && !detectLabel(line)) {
      recipients.push(recipientText(line));
      lastRaw = line;
    } else if (inList && recipients.length > 0 && /^\p{Ll}/u.test(line) && !/[;.]$/.test(lastRaw)) {
      // A recipient wrapped onto a second line.
      recipients[recipients.length - 1] = recipientText(`${recipients.at(-1)} ${line}`);
      lastRaw = line;
    } else others.push(line);
  }
  const signer = readSigner(others);
  if (recipients.length === 0) warnings.push({ path: "recipients", message: "Không thấy danh sách “Nơi nhận”." });
  if (!signer) warnings.push({ path: "signer", message: "Không xác định được chức vụ và họ tên người ký." });
  return { recipients, signer };
}
