/**
 * Deadlines counted in working days (ngày làm việc), e.g. NĐ 20/2008/NĐ-CP Điều 9: a feedback outside the
 * receiving body's competence is forwarded "trong thời hạn không quá 05 ngày làm việc, kể từ ngày tiếp nhận".
 *
 * Rules:
 * - the day of receipt does not count: day 1 is the first working day after it;
 * - Saturdays and Sundays are not working days (weekly rest of civil servants);
 * - public holidays and compensatory days off (ngày nghỉ bù, hoán đổi) are not working days;
 * - a make-up working day (ngày làm bù, usually a Saturday) is a working day.
 *
 * Dates are ISO `YYYY-MM-DD` calendar dates in Vietnam. They are handled as plain calendar dates (UTC midnight
 * internally, only for day-of-week and day stepping): no time zone conversion is ever applied to them.
 */

/** NĐ 20/2008/NĐ-CP Điều 9: forwarding to the competent body within 05 working days of receipt. */
export const FORWARDING_LIMIT_WORKING_DAYS = 5;

export type HolidayCalendar = { holidays: Set<string>; makeUpWorkdays: Set<string> };

export type CalendarEntry = { date: string; kind: "holiday" | "makeup_workday"; name: string };

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const DAY_MS = 86_400_000;

/** Days since 1970-01-01 for a valid ISO date; throws RangeError otherwise. */
function toDayNumber(iso: string): number {
  const m = ISO_DATE.exec(iso);
  if (!m) throw new RangeError(`Not an ISO date (YYYY-MM-DD): ${JSON.stringify(iso)}`);
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const ms = Date.UTC(y, mo - 1, d);
  const back = new Date(ms);
  if (back.getUTCFullYear() !== y || back.getUTCMonth() !== mo - 1 || back.getUTCDate() !== d) {
    throw new RangeError(`Not a calendar date: ${iso}`);
  }
  return ms / DAY_MS;
}

function fromDayNumber(day: number): string {
  return new Date(day * DAY_MS).toISOString().slice(0, 10);
}

/** True when `iso` is a real calendar date written `YYYY-MM-DD`. */
export function isIsoDate(iso: string): boolean {
  try {
    toDayNumber(iso);
    return true;
  } catch {
    return false;
  }
}

function isWorkingDayNumber(day: number, calendar: HolidayCalendar): boolean {
  const iso = fromDayNumber(day);
  if (calendar.holidays.has(iso)) return false;
  if (calendar.makeUpWorkdays.has(iso)) return true;
  const weekday = new Date(day * DAY_MS).getUTCDay(); // 0 = Sunday, 6 = Saturday
  return weekday !== 0 && weekday !== 6;
}

/**
 * Builds a calendar from data entries. Throws RangeError on an invalid date, and on a date declared both a
 * holiday and a make-up working day (a data error the ward must fix, rather than a silent choice).
 */
export function calendarFrom(entries: readonly CalendarEntry[]): HolidayCalendar {
  const holidays = new Set<string>();
  const makeUpWorkdays = new Set<string>();
  for (const e of entries) {
    toDayNumber(e.date);
    if (e.kind === "holiday") holidays.add(e.date);
    else if (e.kind === "makeup_workday") makeUpWorkdays.add(e.date);
    else throw new RangeError(`Unknown calendar entry kind: ${String((e as { kind: unknown }).kind)}`);
  }
  for (const d of holidays) {
    if (makeUpWorkdays.has(d)) throw new RangeError(`${d} is both a holiday and a make-up working day`);
  }
  return { holidays, makeUpWorkdays };
}

/** Is `iso` a working day? A holiday wins over a make-up day if a hand-built calendar has both. */
export function isWorkingDay(iso: string, calendar: HolidayCalendar): boolean {
  return isWorkingDayNumber(toDayNumber(iso), calendar);
}

/**
 * The date of the n-th working day after `startIso` (the day of receipt does not count, whether or not it is
 * itself a working day). n = 0 returns `startIso`. n must be a non-negative integer.
 * Example: received Friday 2026-02-13, Tết off 14–22/02 → + 5 working days = Friday 2026-02-27.
 */
export function addWorkingDays(startIso: string, n: number, calendar: HolidayCalendar): string {
  if (!Number.isInteger(n) || n < 0) throw new RangeError(`Working days must be a non-negative integer: ${n}`);
  let day = toDayNumber(startIso);
  let left = n;
  while (left > 0) {
    day += 1;
    if (isWorkingDayNumber(day, calendar)) left -= 1;
  }
  return fromDayNumber(day);
}

/**
 * Working days in the half-open interval (a, b]: the days after `a` up to and including `b`, so that
 * `workingDaysBetween(a, addWorkingDays(a, n)) === n`. Negative when b is before a; 0 when equal.
 * Use it to check a limit: `workingDaysBetween(receivedOn, forwardedOn, cal) <= 5`.
 */
export function workingDaysBetween(a: string, b: string, calendar: HolidayCalendar): number {
  const from = toDayNumber(a);
  const to = toDayNumber(b);
  if (to < from) return -workingDaysBetween(b, a, calendar);
  let count = 0;
  for (let day = from + 1; day <= to; day++) {
    if (isWorkingDayNumber(day, calendar)) count++;
  }
  return count;
}
