/**
 * A public version of a citizen's text: personal data masked before anything is published. Two kinds of finding:
 * - by pattern: Vietnamese phone numbers in their usual spellings (mobile and landline, 0…, +84…, 84…), e-mail
 *   addresses, citizen ID numbers (CCCD, 12 digits; old CMND, 9 digits; any number after "CCCD", "CMND", "căn cước",
 *   "hộ chiếu"…), a name introduced as one ("tôi là Nguyễn Văn A") or by a title of address ("ông Trần Văn B",
 *   "bà Hoa", "chị Lan", "em Minh", "cô", "chú"…), and a street address with a house number ("số 12 đường Lê Lợi");
 * - by value: the sender's own name, address, phone and e-mail wherever they appear, matched folded (no tone
 *   marks, any case, any spacing), so "nguyen van a" finds "Nguyễn Văn A".
 * Ordinary numbers stay: procedure codes (1.000656), dates (12/03/2026), amounts (50.000 đồng), decision numbers
 * (18/KH-UBND), years. Staff review the result before it is published: the patterns help, they are not a guarantee.
 */
import { fold, foldWords } from "./vi.ts";

export type PersonalKind = "name" | "address" | "phone" | "email" | "id";

/** What each kind of personal data is replaced with. None contains a digit, so masking twice changes nothing. */
export const MASKS: Readonly<Record<PersonalKind, string>> = {
  name: "[họ tên]",
  address: "[địa chỉ]",
  phone: "[số điện thoại]",
  email: "[thư điện tử]",
  id: "[số giấy tờ tùy thân]",
};

/** The sender's own data, as stored with the item (empty or null when unknown or erased). */
export interface KnownPersonal {
  name?: string | null;
  address?: string | null;
  phone?: string | null;
  email?: string | null;
}

/** A finding: `text.slice(start, end)` is personal data of this kind. */
export interface PersonalSpan {
  start: number;
  end: number;
  kind: PersonalKind;
}

// --- Patterns ---------------------------------------------------------------------------------------------------

/**
 * A phone number: a prefix (0, 84, +84, optionally in brackets) then a mobile (3/5/7/8/9 and eight more digits)
 * or a landline (2 and nine more digits: 024 3825 1234, 0255 3 123 456), one separator at most between digits.
 * Not preceded by a digit (or a digit and a dot: the tail of an amount), not followed by one.
 */
const PHONE = /(?<!\d[.,/]?)\(?(?:\+ ?84|84|0)\)?[ .-]?\(?(?:[35789](?:\)?[ .-]?\d){8}|2(?:\)?[ .-]?\d){9})(?!\d)/gu;

/** An amount's unit right after a number: "0.905.123.456 đồng" is money, not a phone. */
const MONEY_AFTER = /^\s*(?:đồng|đ(?!\p{L})|vn[dđ]|triệu|tỷ|nghìn|ngàn)/iu;

/** Whether a PHONE match really spells a phone number. */
function isPhone(match: string, after: string): boolean {
  if (MONEY_AFTER.test(after)) return false;
  const prefix = /^\(?(\+ ?84|84|0)/.exec(match)?.[1] ?? "";
  const body = match.slice(match.indexOf(prefix) + prefix.length);
  const seps = new Set(body.replace(/^[ .\-()]+/, "").match(/[ .-]/g) ?? []);
  // A phone keeps one kind of separator; "03.03.2026 08" mixes them (a date, then a time).
  if (seps.size > 1) return false;
  // "84.500.000.000" is 84.5 billion: a bare 84 is a country code only when written without dots.
  if (prefix === "84" && match.includes(".")) return false;
  // Dots and dashes also group dates: a phone's first group has at least three digits (0905.123.456).
  if (prefix === "0" && (seps.has(".") || seps.has("-"))) {
    const first = /^\(?0\)?[ .-]?(\d+)/.exec(match)?.[1] ?? "";
    if (first.length + 1 < 3) return false;
  }
  return true;
}

const EMAIL = /[\p{L}\p{N}._%+-]+@[\p{L}\p{N}-]+(?:\.[\p{L}\p{N}-]+)*\.\p{L}{2,}/gu;

/** A number named as an ID paper's (run on folded text: "số CCCD:", "căn cước công dân số", "CMND"). */
const ID_AFTER_WORD =
  /(?<![\p{L}\p{N}])(?:cccd|cmnd|cmt|can cuoc(?: cong dan)?|chung minh(?: nhan dan| thu)?|so dinh danh(?: ca nhan)?|ho chieu|dinh danh)(?:\s*(?:so|la|:|\.|#|-))*\s*([a-z]?\d(?:[ .]?\d){6,11})(?!\d)/dgu;

/** A bare ID number: twelve digits (CCCD) or nine (CMND), written together or in groups of three. */
const BARE_ID = /(?<!\d[.,/]?)(?:\d{12}|\d{9}|\d{3}(?: \d{3}){2,3})(?![.,/]?\d)/gu;

const UPPER_WORD = String.raw`\p{Lu}\p{L}*`;
/** "tôi là Nguyễn Văn A", "họ và tên: Trần Thị B": two to five capitalised words after an introduction. */
const NAME_AFTER_INTRO = new RegExp(
  String.raw`(?<!\p{L})(?:[Tt]ôi tên là|[Tt]ôi tên|[Tt]ên tôi là|[Tt]ôi là|[Hh]ọ (?:và )?tên(?: người gửi)?\s*:|[Nn]gười (?:gửi|phản ánh|viết)\s*:)\s*(${UPPER_WORD}(?:[ \t]+${UPPER_WORD}){1,4})(?!\p{L})`,
  "gdu",
);

/** Common Vietnamese family names: a house number followed by a run starting with one is a street ("12 Lê Lợi"). */
const SURNAMES =
  "Nguyễn|Trần|Lê|Phạm|Hoàng|Huỳnh|Phan|Vũ|Võ|Đặng|Bùi|Đỗ|Hồ|Ngô|Dương|Lý|Đinh|Trương|Đoàn|Lâm|Mai|Trịnh|Lương|Cao|Tạ|Hà|Châu|Tô|Thái|Đào|Kiều|Lưu|Quách|Phùng|Hứa|Lại|La|Tăng|Từ|Chu|Triệu|Mạc|Thân|Nghiêm|Âu|Khúc|Tống|Doãn|Văn|Đàm|Giang|Hầu|Kim|Lò|Mã|Nông|Ông|Phó|Quan|Thạch|Tiêu|Trình|Vương|Vi|Yên";

/** A word in either case at its first letter: "[Đđ]ường". */
const eitherCase = (words: string) =>
  words
    .split("|")
    .map((w) => `[${w[0]?.toUpperCase()}${w[0]?.toLowerCase()}]${w.slice(1)}`)
    .join("|");

/**
 * Capitalised words after "ông", "bà", "anh", "chị", "em", "cô", "chú"… that are not a name: offices ("ông Chủ
 * tịch", "bà Trưởng phòng"), trades ("anh Bác sĩ") and places named with such a word ("Bà Rịa", "Bà Chiểu").
 */
const NOT_A_NAME =
  "Chủ|Phó|Trưởng|Bí|Giám|Tổ|Cán|Công|Ủy|Uỷ|Hội|Ban|Đội|Thủ|Kế|Trợ|Chánh|Đại|Tổng|Thư|Giáo|Bác|Luật|Kiểm|Điều|Cảnh|Quyền|Ngài|Rịa|Chiểu|Điểm|Hom|Quẹo|Ích|Già|Xã|Phường|Thôn|Khu|Ấp|Bản|Trường|Trạm|Bệnh|Ngân|Bưu";
/** Words before a title that make it part of a place's name: "đường Bà Triệu", "chợ Bà Chiểu", "tỉnh Bà Rịa". */
const PLACE_BEFORE = eitherCase(
  "đường|phố|ngõ|hẻm|kiệt|chợ|cầu|sông|núi|đền|chùa|miếu|tỉnh|huyện|xã|phường|quận|thôn|ấp",
);
/** "bà Nguyễn Thị Hoa", "chị Hoa", "ông Y Bình Niê": one to four capitalised words after a title of address. */
const NAME_AFTER_TITLE = new RegExp(
  String.raw`(?<!\p{L})(?<!(?:${PLACE_BEFORE})[ \t]+)(?:[Ôô]ng|[Bb]à|[Aa]nh|[Cc]hị|[Cc]ô|[Cc]hú|[Bb]ác|[Ee]m|[Cc]háu|[Cc]ụ)[ \t]+((?!(?:${NOT_A_NAME})(?!\p{L}))${UPPER_WORD}(?:[ \t]+${UPPER_WORD}){0,3})(?!\p{L})`,
  "gdu",
);

/** A house number: 12, 12A, 12/3, 45/2B. */
const HOUSE = String.raw`\d{1,5}[A-Za-z]?(?:/\d{1,5}[A-Za-z]?)*`;
const STREET_KIND = eitherCase("đường|phố|ngõ|ngách|hẻm|kiệt");
/** A street after its kind word: "đường Lê Lợi", "phố Huế", "hẻm 45". */
const STREET = String.raw`(?:${STREET_KIND})[ \t]+(?:${UPPER_WORD}(?:[ \t]+(?:${UPPER_WORD}|\d+)){0,4}|\d+(?!\p{L}))`;
/** A number that counts something else: a lane ("ngõ 4"), a group ("tổ 3"), an article ("Điều 19"), a date. */
const NOT_A_HOUSE = eitherCase(
  "ngõ|ngách|hẻm|kiệt|tổ|phố|khu|thôn|xóm|ấp|đội|điều|khoản|mục|chương|năm|tháng|ngày|lúc|km|quyết định|nghị định|kế hoạch|thông tư|luật",
);
/**
 * A street address with a house number: "số 12 đường Lê Lợi", "12/3 Trần Hưng Đạo", "nhà số 5, phố Huế", "số nhà 7".
 * A number before a street named after a person needs that person's family name ("45 Trần Hưng Đạo"), so
 * "Điều 19 Nghị định" or "12 Hộ" stay; a number after "ngõ", "tổ", "năm"… counts something else.
 */
const ADDRESS = new RegExp(
  String.raw`(?<![\p{L}\p{N}/])(?:(?:[Ss]ố nhà|(?<=[Nn]hà[ \t]+)[Ss]ố)[ \t]*${HOUSE}(?:[ \t]*,?[ \t]*${STREET})?|(?<!(?:${NOT_A_HOUSE})[ \t]*)(?:[Ss]ố[ \t]+)?${HOUSE}[ \t]*,?[ \t]+(?:${STREET}|(?:${SURNAMES})(?:[ \t]+${UPPER_WORD}){1,3}))(?![\p{L}\p{N}])`,
  "gu",
);

// --- Folded matching of known values ----------------------------------------------------------------------------

/** The folded text and, for each of its code units, the original range it came from. */
function foldWithMap(text: string): { folded: string; from: number[]; to: number[] } {
  let folded = "";
  const from: number[] = [];
  const to: number[] = [];
  let i = 0;
  for (const ch of text) {
    const f = fold(ch);
    for (let k = 0; k < f.length; k++) {
      from.push(i);
      to.push(i + ch.length);
    }
    folded += f;
    i += ch.length;
  }
  return { folded, from, to };
}

const escapeRe = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/** A folded phrase's words, found with any punctuation or spacing between them and whole words only. */
function phrasePattern(words: string[]): RegExp {
  return new RegExp(`(?<![\\p{L}\\p{N}])${words.map(escapeRe).join("[\\s,.;:\\-–]+")}(?![\\p{L}\\p{N}])`, "gu");
}

/**
 * The folded words of an address worth matching: the whole, and a leading house-number part ("Số 12 đường X").
 * An address without a number ("phường Đức Phổ") names an area, not a home: masking it would hide the ward's own
 * name wherever the text uses it.
 */
function addressPhrases(address: string): string[][] {
  const out: string[][] = [];
  const whole = foldWords(address).split(" ").filter(Boolean);
  if (whole.length >= 2 && /\d/.test(address)) out.push(whole);
  const first = foldWords(address.split(/[,;]/)[0] ?? "");
  if (first !== whole.join(" ") && /^(?:so\s+)?\d+[\p{L}\d/]*\s+\p{L}/u.test(first)) out.push(first.split(" "));
  return out;
}

/** Every place a known value appears, by folded match. */
function knownSpans(text: string, known: KnownPersonal): PersonalSpan[] {
  const { folded, from, to } = foldWithMap(text);
  const spans: PersonalSpan[] = [];
  const find = (re: RegExp, kind: PersonalKind) => {
    for (const m of folded.matchAll(re)) {
      if (!m[0]) continue;
      const a = m.index ?? 0;
      spans.push({ start: from[a] as number, end: to[a + m[0].length - 1] as number, kind });
    }
  };
  const name = foldWords(known.name ?? "")
    .split(" ")
    .filter(Boolean);
  // One word alone ("Lan") is also an ordinary word: the full name only.
  if (name.length >= 2) find(phrasePattern(name), "name");
  for (const words of addressPhrases(known.address ?? "")) find(phrasePattern(words), "address");
  const email = fold(known.email ?? "").trim();
  if (email.includes("@"))
    find(new RegExp(`(?<![\\p{L}\\p{N}._%+-])${escapeRe(email)}(?![\\p{L}\\p{N}])`, "gu"), "email");
  const digits = (known.phone ?? "").replace(/\D/g, "").replace(/^84/, "0");
  if (digits.length >= 8) {
    // The same digits in any spelling: 0905123456, 0905 123 456, (+84) 905-123-456, 0 9 0 5…
    const rest = digits.replace(/^0/, "").split("").join("[ .\\-()]{0,2}");
    find(new RegExp(`(?<!\\d)(?:\\(?(?:\\+ ?84|84)\\)?[ .\\-]?|0[ .\\-()]{0,2})${rest}(?!\\d)`, "gu"), "phone");
  }
  return spans;
}

// --- Finding and masking ----------------------------------------------------------------------------------------

function patternSpans(text: string): PersonalSpan[] {
  const spans: PersonalSpan[] = [];
  for (const m of text.matchAll(PHONE)) {
    const end = (m.index ?? 0) + m[0].length;
    // "(0905 123 456)": the bracket opens around the number, it is not part of an area code; it stays.
    const start = (m.index ?? 0) + (m[0].startsWith("(") && !m[0].includes(")") ? 1 : 0);
    if (isPhone(m[0], text.slice(end))) spans.push({ start, end, kind: "phone" });
  }
  for (const m of text.matchAll(EMAIL))
    spans.push({ start: m.index ?? 0, end: (m.index ?? 0) + m[0].length, kind: "email" });
  const { folded, from, to } = foldWithMap(text);
  for (const m of folded.matchAll(ID_AFTER_WORD)) {
    const [a, b] = m.indices?.[1] ?? [0, 0];
    if (b > a) spans.push({ start: from[a] as number, end: to[b - 1] as number, kind: "id" });
  }
  for (const m of text.matchAll(BARE_ID)) {
    const start = m.index ?? 0;
    const end = start + m[0].length;
    if (!MONEY_AFTER.test(text.slice(end))) spans.push({ start, end, kind: "id" });
  }
  for (const m of text.matchAll(ADDRESS))
    spans.push({ start: m.index ?? 0, end: (m.index ?? 0) + m[0].length, kind: "address" });
  for (const re of [NAME_AFTER_INTRO, NAME_AFTER_TITLE])
    for (const m of text.matchAll(re)) {
      const [a, b] = m.indices?.[1] ?? [0, 0];
      if (b > a) spans.push({ start: a, end: b, kind: "name" });
    }
  return spans;
}

/** Overlapping findings become one, of the kind that covers more of it; sorted by position. */
function merge(spans: PersonalSpan[], text: string): PersonalSpan[] {
  const sorted = spans
    .map((s) => {
      // A combining mark left after a match (text not in NFC) belongs to it.
      let end = s.end;
      while (end < text.length && /\p{M}/u.test(text[end] as string)) end++;
      return { ...s, end };
    })
    .sort((x, y) => x.start - y.start || y.end - x.end);
  const out: PersonalSpan[] = [];
  for (const s of sorted) {
    const last = out[out.length - 1];
    if (last && s.start < last.end) {
      if (s.end - s.start > last.end - last.start) last.kind = s.kind;
      last.end = Math.max(last.end, s.end);
    } else out.push({ ...s });
  }
  return out;
}

/**
 * Where personal data appears in `text`: the sender's own values (`known`), and, unless `patterns` is false,
 * anything that looks like a phone, an e-mail, an ID number or an introduced name.
 */
export function findPersonal(
  text: string,
  known: KnownPersonal = {},
  opts: { patterns?: boolean } = {},
): PersonalSpan[] {
  const spans = knownSpans(text, known);
  if (opts.patterns !== false) spans.push(...patternSpans(text));
  return merge(spans, text);
}

/** The text with every finding of `findPersonal` replaced by its mask ("[số điện thoại]", "[họ tên]"…). */
export function redact(text: string, known: KnownPersonal = {}): string {
  let out = "";
  let at = 0;
  for (const s of findPersonal(text, known)) {
    out += text.slice(at, s.start) + MASKS[s.kind];
    at = s.end;
  }
  return out + text.slice(at);
}

/** How many findings of each kind: what the staff are told was masked. */
export function countPersonal(spans: readonly PersonalSpan[]): Partial<Record<PersonalKind, number>> {
  const out: Partial<Record<PersonalKind, number>> = {};
  for (const s of spans) out[s.kind] = (out[s.kind] ?? 0) + 1;
  return out;
}
