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

/** "hằng quý" → quarterly; "thường xuyên", "hằng tháng" → monthly. */
export function recurrenceOf(text: string): TaskDraft["recurrence"] {
  const f = foldWords(text);
  if (/\b(?:hang quy|moi quy|dinh ky quy|theo quy)\b/.test(f)) return "quarterly";
  if (/\b(?:thuong xuyen|hang thang|moi thang|dinh ky thang)\b/.test(f)) return "monthly";
  return null;
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

export function taskOf(text: string, group: string): TaskDraft {
  return {
    text,
    group,
    supportingUnitTexts: supportingUnits(text),
    recurrence: recurrenceOf(text),
    dueOn: dueDateOf(text),
  };
}

/** True when a paragraph closes the plan ("Trên đây là kế hoạch …/.") rather than assigning a task. */
export function isClosingParagraph(text: string): boolean {
  const f = fold(text);
  return (
    /^tren day\b/.test(f) || /\/\.$/.test(text.trim()) || (/^trong qua trinh\b/.test(f) && /vuong mac|kho khan/.test(f))
  );
}
