/**
 * Documents cited by a text: "Quyết định số 181/QĐ-UBND ngày 29/12/2023 của UBND phường …", laws cited by name
 * and year, and unnumbered programmes and standards (mentions). Pure; reused for any administrative text.
 */
import { fold, foldWords, isoDate, nfc, parseVnDate, squash } from "../../core/text/vi.ts";
import type { ReferenceDraft } from "./plan-draft.ts";

/** Kinds of numbered documents; the longer names first so "Thông tư liên tịch" wins over "Thông tư". */
const KINDS = [
  "Thông tư liên tịch",
  "Nghị quyết liên tịch",
  "Quyết định",
  "Nghị quyết",
  "Nghị định",
  "Kế hoạch",
  "Thông tư",
  "Chỉ thị",
  "Công văn",
  "Hướng dẫn",
  "Thông báo",
  "Kết luận",
  "Quy định",
  "Quy chế",
  "Công điện",
  "Pháp lệnh",
  "Chương trình",
  "Đề án",
  "Báo cáo",
  "Bộ luật",
  "Luật",
];

// Either case for the first letter only: "kế hoạch số 54/KH-UBND" in a sentence, "Kế hoạch" at its start.
const KIND_ALT = KINDS.map((k) => `[${k[0]}${k[0]?.toLowerCase()}]${k.slice(1)}`).join("|");
/** One part of a document number after "/" or "-": a year, or an abbreviation in capitals ("QĐ", "UBND", "TTg"). */
const SEGMENT = String.raw`(?:\d{4}|\p{Lu}[\p{Lu}\d]*[a-z]?)(?![\p{L}\d])`;
export const DOC_NUMBER = String.raw`\d{1,5}[a-z]?(?:\s?[/\-–]\s?${SEGMENT})+`;
const DOC_RE = new RegExp(String.raw`(?<!\p{L})(${KIND_ALT})(?:\s+(?:số|SỐ))?\s*:?\s*(${DOC_NUMBER})`, "gu");
const LAW_RE = /(?<!\p{L})(Bộ luật|Luật)\s+(\p{Lu}\p{L}*(?:\s+\p{L}+){0,10}?)\s+(?:năm\s+)?(\d{4})(?!\d)/gu;
const CONSTITUTION_RE = /(?<!\p{L})Hiến pháp\s+(?:năm\s+)?(\d{4})(?!\d)/gu;

const VN_DATE = String.raw`\d{1,2}\s*[/.\-]\s*\d{1,2}\s*[/.\-]\s*\d{4}|\d{1,2}\s+tháng\s+\d{1,2}\s*,?\s+năm\s+\d{4}`;
const DATE_AT = new RegExp(String.raw`^\s*,?\s*(?:ban hành\s+)?ngày\s+(${VN_DATE})`, "iu");
const OF_AT = /^\s*,?\s*(?:của|do)\s+/iu;
const SUBJECT_AT = /^\s*,?\s*(?:về việc|về|v\/v)\s+|^\s*(?=ban hành\s)/iu;
/** Where an issuer's name ends: the subject, a date, a verb that starts the rest of the sentence. */
const ISSUER_STOP =
  /[;,.:()\n]|\s(?:về|v\/v|ban hành|ngày|quy định|hướng dẫn|một số|phê duyệt|triển khai|thực hiện|đối với|tiếp tục|sửa đổi|tăng cường|đẩy mạnh|giai đoạn|nhằm|và|theo|trong|để|là|đã|tại|năm)(?!\p{L})/iu;

/** Parse "06/9/2023" or "25 tháng 10 năm 2017" to ISO, or null. */
export function parseAnyVnDate(text: string): string | null {
  const long = /(\d{1,2})\s+tháng\s+(\d{1,2})\s*,?\s+năm\s+(\d{4})/iu.exec(text);
  if (long) return isoDate(Number(long[3]), Number(long[2]), Number(long[1]));
  return parseVnDate(text.replace(/\s+/g, ""));
}

/**
 * "18 /KH-UBND" → "18/KH-UBND"; the party form written with two dashes, "18-NQ-TW", → "18-NQ/TW"
 * (state documents put the slash first: "181/QĐ-UBND"; party documents after the type: "13-NQ/TU").
 */
export function normaliseDocNumber(number: string): string {
  const n = number.replace(/\s+/g, "").replace(/[–—]/g, "-");
  const party = /^(\d+[a-z]?)-(\p{Lu}+)-(\p{Lu}+)$/u.exec(n);
  return party ? `${party[1]}-${party[2]}/${party[3]}` : n;
}

/** How two spellings of one issuer compare: folded, "Ủy ban nhân dân" read as "UBND". */
export function issuerKey(issuer: string | null): string {
  return issuer ? foldWords(issuer).replace(/\buy ban nhan dan\b/g, "ubnd") : "";
}

function readIssuer(tail: string): string | null {
  const stop = ISSUER_STOP.exec(tail);
  const name = squash(stop ? tail.slice(0, stop.index) : tail.slice(0, 120));
  const words = name.split(" ").slice(0, 12).join(" ");
  return words === "" ? null : words;
}

function readSubject(tail: string): string | null {
  const end = /;|\.(?=\s|$)|\n/.exec(tail);
  // A basis paragraph may close on "," rather than ";": that comma is not part of the subject.
  const subject = squash(end ? tail.slice(0, end.index) : tail.slice(0, 300)).replace(/[\s,:]+$/u, "");
  if (subject === "") return null;
  // A subject runs to the end of the clause; a very long one is the rest of the sentence: keep its first phrases.
  const words = subject.split(" ");
  if (words.length <= 30) return subject;
  const head = words.slice(0, 30).join(" ");
  const comma = head.lastIndexOf(",");
  return comma > 0 ? head.slice(0, comma) : head;
}

/** What follows a document number: date, issuer and subject in the usual order (date and issuer either way). */
function readTail(tail: string): Pick<ReferenceDraft, "issuedOn" | "issuer" | "title"> {
  let rest = tail;
  let issuedOn: string | null = null;
  let issuer: string | null = null;
  const takeDate = () => {
    const d = DATE_AT.exec(rest);
    if (d?.[1] && !issuedOn) {
      issuedOn = parseAnyVnDate(d[1]);
      rest = rest.slice(d[0].length);
    }
  };
  takeDate();
  const of = OF_AT.exec(rest);
  if (of) {
    rest = rest.slice(of[0].length);
    issuer = readIssuer(rest);
    if (issuer) rest = rest.slice(rest.indexOf(issuer) + issuer.length);
    takeDate();
  }
  const subject = SUBJECT_AT.exec(rest);
  const title = subject ? readSubject(rest.slice(subject[0].length)) : null;
  return { title, issuedOn, issuer };
}

function canonicalKind(written: string): string {
  const key = fold(written);
  return KINDS.find((k) => fold(k) === key) ?? written;
}

interface Found {
  at: number;
  ref: ReferenceDraft;
}

function numberedReferences(text: string): Found[] {
  const found: Found[] = [];
  for (const m of text.matchAll(DOC_RE)) {
    if (!m[1] || !m[2]) continue;
    const end = (m.index ?? 0) + m[0].length;
    const tail = readTail(text.slice(end, end + 500));
    found.push({
      at: m.index ?? 0,
      ref: { kind: canonicalKind(m[1]), number: normaliseDocNumber(m[2]), ...tail, year: null },
    });
  }
  return found;
}

function lawReferences(text: string): Found[] {
  const found: Found[] = [];
  for (const m of text.matchAll(LAW_RE)) {
    if (!m[1] || !m[2] || !m[3]) continue;
    const kind = canonicalKind(m[1]);
    const ref = { kind, number: null, title: `${kind} ${m[2]}`, issuedOn: null, issuer: null, year: Number(m[3]) };
    found.push({ at: m.index ?? 0, ref });
  }
  for (const m of text.matchAll(CONSTITUTION_RE)) {
    const ref = {
      kind: "Hiến pháp",
      number: null,
      title: "Hiến pháp",
      issuedOn: null,
      issuer: null,
      year: Number(m[1]),
    };
    found.push({ at: m.index ?? 0, ref });
  }
  return found;
}

/** Same document? Kind and number (or, for laws, title and year) must agree; issuers only when both are known. */
function sameDocument(a: ReferenceDraft, b: ReferenceDraft): boolean {
  if (fold(a.kind) !== fold(b.kind)) return false;
  if (a.number === null || b.number === null) {
    return a.number === b.number && foldWords(a.title ?? "") === foldWords(b.title ?? "") && a.year === b.year;
  }
  if (a.number.toUpperCase() !== b.number.toUpperCase()) return false;
  return a.issuer === null || b.issuer === null || issuerKey(a.issuer) === issuerKey(b.issuer);
}

/** Fill what the first citation left out from a later one. */
function merge(into: ReferenceDraft, from: ReferenceDraft): void {
  into.issuedOn ??= from.issuedOn;
  into.issuer ??= from.issuer;
  into.title ??= from.title;
  into.year ??= from.year;
}

/**
 * Prepare any text for matching: NFC, emphasis markers dropped, white space single. A blank line (a paragraph
 * break) stays as one "\n", so a citation's subject never runs on into the next paragraph; a single line break is
 * a wrapped line and reads as a space.
 */
function flatten(text: string): string {
  return nfc(text)
    .replace(/\*+/g, " ")
    .replace(/\\([/\-.])/g, "$1")
    .split(/\n\s*\n/)
    .map(squash)
    .filter((paragraph) => paragraph !== "")
    .join("\n");
}

/**
 * Numbered documents and laws cited by the text, once each, in order of first citation. A document's identity is
 * its kind + normalised number + issuer (never the number alone: 61/2018/NĐ-CP and 61/KH-UBND are different).
 */
export function extractReferences(text: string): ReferenceDraft[] {
  const flat = flatten(text);
  const found = [...numberedReferences(flat), ...lawReferences(flat)].sort((a, b) => a.at - b.at);
  const refs: ReferenceDraft[] = [];
  for (const { ref } of found) {
    const existing = refs.find((r) => sameDocument(r, ref));
    if (existing) merge(existing, ref);
    else refs.push(ref);
  }
  return refs;
}

const PROGRAMME_RE = /Chương trình (?:tổng thể|mục tiêu quốc gia|hành động)[^;.:,\n()]*/gu;
const PROGRAMME_STOP = /\s(?:trên địa bàn|của|nhằm|đã|được|và|để|theo)(?=\s|$)/u;
const ISO_RE = /ISO\s*(\d{4,5})(?:\s*:\s*(\d{4}))?/gu;

/** Variants of one programme's name cite one programme ("về", "nhà nước", the period are left out of the key). */
function mentionKey(mention: string): string {
  return squash(
    foldWords(mention)
      .replace(/\b(?:ve|nha nuoc)\b/g, " ")
      .replace(/\bgiai doan\b.*$/, ""),
  );
}

/** Unnumbered programmes and standards cited by name: "Chương trình tổng thể …", "ISO 9001:2015". */
export function extractMentions(text: string): string[] {
  const flat = flatten(text);
  const found: { at: number; text: string }[] = [];
  for (const m of flat.matchAll(PROGRAMME_RE)) {
    const stop = PROGRAMME_STOP.exec(m[0]);
    found.push({ at: m.index ?? 0, text: squash(stop ? m[0].slice(0, stop.index) : m[0]) });
  }
  for (const m of flat.matchAll(ISO_RE)) {
    found.push({ at: m.index ?? 0, text: m[2] ? `ISO ${m[1]}:${m[2]}` : `ISO ${m[1]}` });
  }
  found.sort((a, b) => a.at - b.at);
  const byKey = new Map<string, string>();
  for (const { text: mention } of found) {
    const key = mentionKey(mention);
    const seen = byKey.get(key);
    // Keep the fullest spelling of each.
    if (seen === undefined || mention.length > seen.length) byKey.set(key, mention);
  }
  return [...byKey.values()];
}
