/** What a task's wording says beyond itself: supporting units, recurrence, a due date. Pure. */
import { fold, foldWords, isoDate, squash } from "../../core/text/vi.ts";
import type { TaskDraft } from "./plan-draft.ts";
import { parseAnyVnDate } from "./references.ts";

const SUPPORT_RE =
  /phối hợp(?: chặt chẽ)?\s+(?:với|cùng)\s+(.+?)(?=[;.:()]|\s(?:để|tổ chức|thực hiện|triển khai|tuyên truyền|trong|theo|nhằm|tham mưu|kiểm tra|rà soát|xây dựng|cung cấp|báo cáo|vận động|phổ biến)\s|$)/giu;
/** Words that start a unit's name: what is "clearly a named unit" even when written in lower case. */
const UNIT_WORDS =
  /^(?:cong chuc|ban|phong|hoi|doan|dai|mat tran|uy ban|ubnd|cong an|quan su|to dan pho|truong|tram|van phong|nganh)\b/;
/** "các ngành", "các đơn vị liên quan": a kind of unit, not a unit. */
const GENERIC = /^(?:cac|nhung|moi|co quan lien quan|don vi lien quan)\b/;

/** Units named after "phối hợp với" as written; generic phrases ("các ngành") are left out. */
export function supportingUnits(text: string): string[] {
  const units: string[] = [];
  for (const m of text.matchAll(SUPPORT_RE)) {
    for (const part of (m[1] ?? "").split(/,|\s+và\s+/u)) {
      const unit = squash(part);
      const f = foldWords(unit);
      if (unit === "" || GENERIC.test(f)) continue;
      if ((/^\p{Lu}/u.test(unit) || UNIT_WORDS.test(f)) && !units.includes(unit)) units.push(unit);
    }
  }
  return units;
}

const DATE = String.raw`(\d{1,2}\s*[/.\-]\s*\d{1,2}\s*[/.\-]\s*\d{4}|\d{1,2}\s+tháng\s+\d{1,2}\s*,?\s+năm\s+\d{4})`;
const DATE_RE = new RegExp(String.raw`ngày\s+${DATE}`, "giu");
/** A date right after a document number is that document's date, not a deadline. */
const AFTER_DOC_NUMBER = /\d+\s*[/-]\s*\p{Lu}[\p{L}\d/-]*\s*,?\s*$/u;
const MONTH_RE = /(?:trong|hoàn thành trong|chậm nhất|cuối)\s+tháng\s+(\d{1,2})\s*(?:\/|năm)\s*(\d{4})/iu;
const QUARTER_RE = /quý\s+(IV|III|II|I|[1-4])\s*(?:\/|năm)\s*(\d{4})/iu;
const QUARTERS: Record<string, number> = { I: 1, II: 2, III: 3, IV: 4 };

function lastDayOfMonth(year: number, month: number): string | null {
  return isoDate(year, month, new Date(Date.UTC(year, month, 0)).getUTCDate());
}

/** A due date in the text ("trước ngày 30/6/2024", "trong tháng 6/2024", "quý II/2024"), ISO, or null. */
export function dueDateOf(text: string): string | null {
  for (const m of text.matchAll(DATE_RE)) {
    if (!m[1] || AFTER_DOC_NUMBER.test(text.slice(0, m.index))) continue;
    const due = parseAnyVnDate(m[1]);
    if (due) return due;
  }
  const month = MONTH_RE.exec(text);
  if (month) return lastDayOfMonth(Number(month[2]), Number(month[1]));
  const quarter = QUARTER_RE.exec(text);
  if (quarter?.[1]) {
    const q = QUARTERS[quarter[1].toUpperCase()] ?? Number(quarter[1]);
    return lastDayOfMonth(Number(quarter[2]), q * 3);
  }
  return null;
}

/** A trailing "Thời gian: …", "Thời hạn hoàn thành: …", "Hạn: …" clause (a timing column flattened into the text). */
const TIMING_CLAUSE =
  /(?:^|[.;,(]|\s[-–—])\s*(?:thời gian(?: thực hiện| hoàn thành)?|thời hạn(?: thực hiện| hoàn thành)?|hạn(?: hoàn thành)?)\s*:\s*([^;()]+?)\s*\)?\s*[.;]?\s*$/iu;
/** "hằng tháng", "định kỳ hàng quý", "mỗi năm": a stated frequency, anywhere in the task. */
const FREQUENCY = /(?:định kỳ\s+)?(?:hằng|hàng|mỗi)\s+(?:tuần|tháng|quý|năm)|định kỳ\s+(?:tuần|tháng|quý|năm)/iu;
/**
 * "thường xuyên" as the task's timing: opening it ("Thường xuyên rà soát …"), closing it ("… đăng tải thường
 * xuyên.") or in parentheses. Not "tính thường xuyên" (regularity, a quality: "đảm bảo tính thường xuyên, liên tục")
 * nor any use inside the sentence.
 */
const ALWAYS_AT_EDGE = /^[-+•*\s]*thường xuyên\b|(?<!tính\s)\bthường xuyên\s*[.;]?\s*$|\(\s*thường xuyên\s*\)/iu;
const QUARTER_PHRASE = /quý\s+(?:IV|III|II|I|[1-4])\b(?:\s*(?:\/|năm)\s*\d{4})?/u;
const MONTH_PHRASE = /(?:trong|hoàn thành trong|chậm nhất|cuối)\s+tháng\s+\d{1,2}\s*(?:\/|năm)\s*\d{4}/iu;

/**
 * The timing a task states, as written, or null: a trailing "Thời gian: …" clause first; else a frequency ("hằng
 * tháng", "hằng quý"), "thường xuyên" where it is the task's timing, a quarter ("quý II/2024"), a month ("trong tháng
 * 6/2024") or a date ("trước ngày 30/6/2024"). Only what the task says: a word inside the sentence that merely
 * resembles a timing ("đảm bảo tính thường xuyên") is not one.
 */
export function timingOf(text: string): string | null {
  const clause = TIMING_CLAUSE.exec(text);
  if (clause?.[1]) return squash(clause[1]);
  const frequency = FREQUENCY.exec(text);
  if (frequency) return squash(frequency[0]);
  if (ALWAYS_AT_EDGE.test(text)) return "thường xuyên";
  const quarter = QUARTER_PHRASE.exec(text);
  if (quarter) return squash(quarter[0]);
  const month = MONTH_PHRASE.exec(text);
  if (month) return squash(month[0]);
  for (const m of text.matchAll(DATE_RE)) {
    if (m[1] && !AFTER_DOC_NUMBER.test(text.slice(0, m.index)) && parseAnyVnDate(m[1])) return squash(m[0]);
  }
  return null;
}

export type Recurrence = "monthly" | "quarterly" | "yearly" | "continuous";

/**
 * The recurrence a timing states: "thường xuyên", "liên tục", "hằng ngày" → continuous; "hằng tháng", "hằng tuần" →
 * monthly; "hằng quý" → quarterly; "hằng năm", "định kỳ hằng năm" → yearly; else null.
 */
export function recurrenceOf(timing: string | null): TaskDraft["recurrence"] {
  if (!timing) return null;
  const f = foldWords(timing);
  if (/\b(?:hang quy|moi quy|dinh ky quy|theo quy|tung quy)\b/.test(f)) return "quarterly";
  if (/\b(?:hang thang|moi thang|dinh ky thang|theo thang|tung thang|hang tuan|moi tuan|dinh ky tuan)\b/.test(f))
    return "monthly";
  if (/\b(?:hang nam|moi nam|dinh ky nam|thuong nien)\b/.test(f)) return "yearly";
  if (/\b(?:thuong xuyen|lien tuc|hang ngay|moi ngay|suot nam|ca nam thuong xuyen)\b/.test(f)) return "continuous";
  return null;
}

const ROMAN_NUMBERS: Record<string, number> = { i: 1, ii: 2, iii: 3, iv: 4 };

/**
 * The due date a timing cell or clause states, in free words, ISO or null. `year` is the plan's year, for timings
 * that leave it out ("Quý II", "Tháng 6", "trước ngày 30/6"). A range ("từ tháng 3 đến tháng 5/2024") is due at
 * its end: "tháng 6/2024" → 30/6/2024, "quý II" → 30/6, "6 tháng đầu năm" → 30/6, "năm 2024", "cả năm" → 31/12.
 */
export function dueOfTiming(timing: string, year: number | null): string | null {
  const t = squash(timing);
  // A range: its end is what the task is due by.
  const range = /(?:^|\s)(?:đến|tới|den)\s+(.+)$/iu.exec(t) ?? /\s[-–—]\s+(.+)$/u.exec(t);
  if (range?.[1]) {
    const end = dueOfTiming(range[1], yearIn(t) ?? year);
    if (end) return end;
  }
  const f = foldWords(t);
  const explicit = dueDateOf(t) ?? dueDateOf(`ngày ${t}`);
  if (explicit) return explicit;
  const y = yearIn(t) ?? year;
  // "trước ngày 30/6", "30/6": a day and month, the year the plan's.
  const dayMonth = /(?:^|\D)(\d{1,2})\s*[/.-]\s*(\d{1,2})(?!\s*[/.-]\s*\d)(?!\d)/.exec(t);
  if (dayMonth && y && !/thang|quy/.test(f)) return isoDate(y, Number(dayMonth[2]), Number(dayMonth[1]));
  const quarter = /\bquy\s+(iv|iii|ii|i|[1-4])\b/.exec(f);
  if (quarter?.[1] && y) return lastDayOfMonth(y, (ROMAN_NUMBERS[quarter[1]] ?? Number(quarter[1])) * 3);
  const half = /\b(?:6|sau) thang (dau|cuoi)\b/.exec(f);
  if (half && y) return half[1] === "dau" ? `${y}-06-30` : `${y}-12-31`;
  const month = /\bthang\s+(\d{1,2})\b/.exec(f);
  if (month && y && Number(month[1]) >= 1 && Number(month[1]) <= 12) return lastDayOfMonth(y, Number(month[1]));
  if (/\b(?:ca nam|trong nam|cuoi nam|nam \d{4})\b/.test(f) && y) return `${y}-12-31`;
  return null;
}

/** A year written in a timing ("/2024", "năm 2024"). */
function yearIn(text: string): number | null {
  const m = /(?:\/|năm\s+|nam\s+|\b)(20\d{2})\b/iu.exec(text);
  return m ? Number(m[1]) : null;
}

/**
 * What a timing (read from the task or a table's timing column, or as edited in the preview) means: its recurrence
 * and due date. `year`: the plan's year, for timings that leave it out.
 */
export function timingMeaning(
  timing: string | null,
  year: number | null = null,
): Pick<TaskDraft, "timing" | "recurrence" | "dueOn"> {
  const t = timing ? squash(timing) : "";
  if (t === "") return { timing: null, recurrence: null, dueOn: null };
  const recurrence = recurrenceOf(t);
  const dueOn = recurrence ? null : dueOfTiming(t, year);
  return { timing: t, recurrence, dueOn };
}

export function taskOf(text: string, group: string, year: number | null = null): TaskDraft {
  return { text, group, supportingUnitTexts: supportingUnits(text), ...timingMeaning(timingOf(text), year) };
}

/** True when a paragraph closes the plan ("Trên đây là kế hoạch …/.") rather than assigning a task. */
export function isClosingParagraph(text: string): boolean {
  const f = fold(text);
  return (
    /^tren day\b/.test(f) || /\/\.$/.test(text.trim()) || (/^trong qua trinh\b/.test(f) && /vuong mac|kho khan/.test(f))
  );
}
