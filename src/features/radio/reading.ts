/**
 * Text made ready to be read aloud by a speech engine (issue 10 §3), pure: dates ("19/02/2024" → "ngày mười chín
 * tháng hai năm hai nghìn không trăm hai mươi tư"), times ("08:30" → "tám giờ ba mươi phút"), numbers with their
 * thousands dots and decimal commas, money ("1.500.000 đồng", "50.000đ"), percentages, the ward's abbreviations
 * (an editable table: UBND → Ủy ban nhân dân), and what is not read at all: procedure codes ("1.001234") and web or
 * e-mail addresses. The result is NFC, one space between words, and is what staff see as "bản đọc".
 */
import { nfc } from "../../core/text/vi.ts";

const DIGITS = ["không", "một", "hai", "ba", "bốn", "năm", "sáu", "bảy", "tám", "chín"];
const SCALES = ["", "nghìn", "triệu", "tỷ", "nghìn tỷ", "triệu tỷ"];

/** 0–999; `full`: a group after a larger one, read with its zero hundreds and "linh" ("không trăm linh năm"). */
function readTriple(n: number, full: boolean): string {
  const h = Math.floor(n / 100);
  const t = Math.floor(n / 10) % 10;
  const u = n % 10;
  const out: string[] = [];
  if (h > 0 || full) out.push(`${DIGITS[h]} trăm`);
  if (t === 0) {
    if (u > 0) out.push(h > 0 || full ? `linh ${DIGITS[u]}` : (DIGITS[u] as string));
  } else if (t === 1) {
    out.push(u === 0 ? "mười" : u === 5 ? "mười lăm" : `mười ${DIGITS[u]}`);
  } else {
    const unit = u === 0 ? "" : u === 1 ? " mốt" : u === 4 ? " tư" : u === 5 ? " lăm" : ` ${DIGITS[u]}`;
    out.push(`${DIGITS[t]} mươi${unit}`);
  }
  return out.join(" ");
}

/** A whole number in words: 2024 → "hai nghìn không trăm hai mươi tư"; beyond 15 digits, digit by digit. */
export function readInteger(digits: string | number): string {
  const text = String(digits).replace(/^0+(?=\d)/, "");
  if (!/^\d+$/.test(text)) throw new Error(`not a whole number: ${digits}`);
  if (text.length > 15) return readDigits(text);
  let n = Number(text);
  if (n === 0) return "không";
  const groups: number[] = [];
  while (n > 0) {
    groups.push(n % 1000);
    n = Math.floor(n / 1000);
  }
  const out: string[] = [];
  for (let i = groups.length - 1; i >= 0; i--) {
    const g = groups[i] as number;
    if (g === 0) continue;
    out.push(readTriple(g, i < groups.length - 1) + (SCALES[i] ? ` ${SCALES[i]}` : ""));
  }
  return out.join(" ");
}

/** Digit by digit: "0905" → "không chín không năm". */
export const readDigits = (digits: string) =>
  [...digits]
    .filter((d) => /\d/.test(d))
    .map((d) => DIGITS[Number(d)])
    .join(" ");

/** A number as written in Vietnamese: "1.500.000" (thousands dots), "2,5" (decimal comma). */
export function readNumber(written: string): string {
  const [whole = "0", fraction] = written.split(",");
  const words = readInteger(whole.replace(/\./g, ""));
  if (fraction == null) return words;
  const frac = fraction.length <= 2 && !fraction.startsWith("0") ? readInteger(fraction) : readDigits(fraction);
  return `${words} phẩy ${frac}`;
}

/** The month as said in dates: "tháng tư" for April, else its number. */
const readMonth = (m: number) => (m === 4 ? "tư" : readInteger(m));

/** A date's words: "ngày mười chín tháng hai năm hai nghìn không trăm hai mươi tư". */
export function readDate(day: number, month: number, year?: number): string {
  return `ngày ${readInteger(day)} tháng ${readMonth(month)}${year == null ? "" : ` năm ${readInteger(year)}`}`;
}

/** A time of day: "tám giờ", "tám giờ ba mươi phút". */
export function readTime(hour: number, minute: number): string {
  return `${readInteger(hour)} giờ${minute > 0 ? ` ${readInteger(minute)} phút` : ""}`;
}

export type Abbreviations = ReadonlyMap<string, string>;

const escapeRe = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
const NOT_WORD_BEFORE = "(?<![\\p{L}\\p{N}])";
const NOT_WORD_AFTER = "(?![\\p{L}\\p{N}])";

/** The procedure codes of the national database: "1.001234", "2.000123.000.00.00.H12". */
const PROCEDURE_CODE =
  /(?:\(\s*)?(?:mã(?:\s+thủ\s+tục|\s+số|\s+TTHC)?\s*:?\s*)?(?<![\d.])\d\.\d{6}(?:\.\d{3}\.\d{2}\.\d{2}\.H\d{2})?(?![\d])(?:\s*\))?/giu;
const URL = /(?:https?:\/\/|www\.)[^\s<>"()]+[^\s<>"().,;:!?]/giu;
const EMAIL = /[\p{L}\p{N}._%+-]+@[\p{L}\p{N}.-]+\.[\p{L}]{2,}/gu;
const DOMAIN =
  /(?<![\p{L}\p{N}@.])(?:[\p{L}\p{N}-]+\.)+(?:vn|com|net|org|gov|edu|info)(?:\/[^\s<>"()]*[^\s<>"().,;:!?])?(?![\p{L}\p{N}])/giu;

/**
 * The reading of `text`: what a listener should hear. Abbreviations are whole words, matched case-sensitively,
 * longest first (so "QĐ-UBND" before "UBND").
 */
export function readAloud(text: string, abbreviations: Abbreviations = new Map()): string {
  let s = nfc(text).replace(/\r\n?/g, "\n");
  // Not read: addresses and codes (the listener cannot use them; the page shows them).
  s = s.replace(URL, "").replace(EMAIL, "").replace(DOMAIN, "").replace(PROCEDURE_CODE, "");
  // Abbreviations, longest first.
  const abbrs = [...abbreviations.keys()].filter(Boolean).sort((a, b) => b.length - a.length);
  if (abbrs.length) {
    const re = new RegExp(`${NOT_WORD_BEFORE}(?:${abbrs.map(escapeRe).join("|")})${NOT_WORD_AFTER}`, "gu");
    s = s.replace(re, (m) => abbreviations.get(m) ?? m);
  }
  // Dates with a year: 19/02/2024, 19-02-2024, 19.02.2024; "ngày" already written is not said twice.
  s = s.replace(
    /(ngày\s+)?(?<![\d/.-])(\d{1,2})([/.-])(\d{1,2})\3(\d{4})(?![\d/])/giu,
    (m, _ngay, d: string, _sep, mo: string, y: string) => {
      const day = Number(d);
      const month = Number(mo);
      if (day < 1 || day > 31 || month < 1 || month > 12) return m;
      return readDate(day, month, Number(y));
    },
  );
  // Dates without a year: "ngày 19/02", "19/02".
  s = s.replace(/(ngày\s+)?(?<![\d/.])(\d{1,2})\/(\d{1,2})(?![\d/])/giu, (m, _ngay, d: string, mo: string) => {
    const day = Number(d);
    const month = Number(mo);
    if (day < 1 || day > 31 || month < 1 || month > 12) return m;
    return readDate(day, month);
  });
  // "tháng 02/2024", "tháng 2 năm 2024".
  s = s.replace(/tháng\s+(\d{1,2})\/(\d{4})(?!\d)/giu, (m, mo: string, y: string) =>
    Number(mo) >= 1 && Number(mo) <= 12 ? `tháng ${readMonth(Number(mo))} năm ${readInteger(y)}` : m,
  );
  s = s.replace(/tháng\s+(\d{1,2})(?![\d/,.]\d)/giu, (m, mo: string) =>
    Number(mo) >= 1 && Number(mo) <= 12 ? `tháng ${readMonth(Number(mo))}` : m,
  );
  // Times: 08:30, 8h30, 8g30, 14h, 7 giờ 30.
  s = s.replace(
    /(?<![\d:.,])(\d{1,2})\s?(?::|h|g|giờ)\s?(\d{2})?(?:\s?phút)?(?![\p{L}\p{N}])/giu,
    (m, h: string, mi?: string) => {
      const hour = Number(h);
      const minute = mi == null ? 0 : Number(mi);
      if (hour > 24 || minute > 59) return m;
      return readTime(hour, minute);
    },
  );
  // Money and percentages.
  s = s.replace(
    /(\d{1,3}(?:\.\d{3})+(?:,\d+)?|\d+(?:,\d+)?)\s?(?:đồng|VNĐ|VND|đ)(?![\p{L}\p{N}])/gu,
    (_m, n: string) => `${readNumber(n)} đồng`,
  );
  s = s.replace(/(\d{1,3}(?:\.\d{3})+(?:,\d+)?|\d+(?:,\d+)?)\s?%/gu, (_m, n: string) => `${readNumber(n)} phần trăm`);
  // Ranges "2024-2025", "từ 5-7 ngày": "đến".
  s = s.replace(/(\d)\s?[–-]\s?(?=\d)/gu, "$1 đến ");
  // Every other number.
  s = s.replace(/\d{1,3}(?:\.\d{3})+(?:,\d+)?(?![\d.])|\d+(?:,\d+)?/gu, (n) => readNumber(n));
  // Leftovers of what was taken out, and spacing.
  return nfc(
    s
      .replace(/\(\s*\)/g, "")
      .replace(/[ \t]*\/[ \t]*/g, " ")
      .replace(/[ \t]+/g, " ")
      .replace(/ +([,.;:!?)])/g, "$1")
      .replace(/([(]) +/g, "$1")
      .replace(/([,;:])(?=[,.;:])/g, "")
      .split("\n")
      .map((l) => l.trim())
      .join("\n")
      .replace(/\n{3,}/g, "\n\n")
      .trim(),
  );
}

export interface ReadableBulletin {
  title: string;
  items: readonly { title: string; script: string }[];
}

/** The whole bulletin as it is read on air: its title, then each item's title and script, as paragraphs. */
export function bulletinScript(b: ReadableBulletin): string {
  const parts = [`${b.title}.`];
  b.items.forEach((item, i) => {
    parts.push(`Tin thứ ${i === 0 ? "nhất" : i === 3 ? "tư" : readInteger(i + 1)}. ${item.title}.`, item.script);
  });
  return nfc(parts.join("\n\n"));
}
