/** Vietnamese text helpers: normalisation, folding for search and matching, dates shown dd/mm/yyyy in Asia/Ho_Chi_Minh. */

export const VN_TIME_ZONE = "Asia/Ho_Chi_Minh";

/** Normalise to NFC and unify line endings, no-break and zero-width spaces: the form every stored text takes. */
export function nfc(text: string): string {
  // NUL is refused by PostgreSQL, and a lone surrogate is stored differently by each driver: neither is text.
  return text
    .normalize("NFC")
    .replace(/\r\n?/g, "\n")
    .replace(/[\u00a0\u2007\u202f]/g, " ")
    .replace(/\u200b|\u200c|\u200d|\ufeff/g, "")
    .replace(/\0|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, (c) =>
      c === "\0" ? "" : "\ufffd",
    );
}

/**
 * Fold for search and matching: lower case, tone marks and other diacritics removed, đ/Đ → d.
 * NFD first, so NFC and NFD input fold alike; đ has no decomposition, hence its own rule.
 */
export function fold(text: string): string {
  return text
    .normalize("NFD")
    .replace(/\p{M}+/gu, "")
    .replace(/[đĐ]/g, "d")
    .toLowerCase()
    .normalize("NFC");
}

/** Fold and reduce to words separated by single spaces (punctuation and dashes become spaces). */
export function foldWords(text: string): string {
  return fold(text)
    .replace(/[^\p{L}\p{N}]+/gu, " ")
    .trim();
}

/** Collapse runs of white space to one space and trim. */
export function squash(text: string): string {
  return text.replace(/\s+/g, " ").trim();
}

const pad2 = (n: number) => String(n).padStart(2, "0");

/** Parts of an instant as seen on a clock in Vietnam (UTC+7, no daylight saving). */
function vnParts(instant: Date): { y: number; m: number; d: number; hh: number; mm: number } {
  const shifted = new Date(instant.getTime() + 7 * 3600_000);
  return {
    y: shifted.getUTCFullYear(),
    m: shifted.getUTCMonth() + 1,
    d: shifted.getUTCDate(),
    hh: shifted.getUTCHours(),
    mm: shifted.getUTCMinutes(),
  };
}

/** A calendar date (ISO `YYYY-MM-DD`) or an instant, shown `dd/mm/yyyy` as in Vietnam. */
export function formatDate(value: string | Date | null | undefined): string {
  if (value == null || value === "") return "";
  if (typeof value === "string" && /^\d{4}-\d{2}-\d{2}$/.test(value)) {
    const [y, m, d] = value.split("-");
    return `${d}/${m}/${y}`;
  }
  const p = vnParts(typeof value === "string" ? new Date(value) : value);
  return `${pad2(p.d)}/${pad2(p.m)}/${p.y}`;
}

/** An instant shown `HH:MM dd/mm/yyyy` in Vietnam's time zone. */
export function formatDateTime(value: string | Date): string {
  const p = vnParts(typeof value === "string" ? new Date(value) : value);
  return `${pad2(p.hh)}:${pad2(p.mm)} ${pad2(p.d)}/${pad2(p.m)}/${p.y}`;
}

/** Today's calendar date in Vietnam as ISO `YYYY-MM-DD`. */
export function vnToday(now: Date = new Date()): string {
  const p = vnParts(now);
  return `${p.y}-${pad2(p.m)}-${pad2(p.d)}`;
}

/** A valid calendar date as ISO, or null: guards against 31/02 and the like. */
export function isoDate(year: number, month: number, day: number): string | null {
  const t = new Date(Date.UTC(year, month - 1, day));
  if (t.getUTCFullYear() !== year || t.getUTCMonth() !== month - 1 || t.getUTCDate() !== day) return null;
  return `${year}-${pad2(month)}-${pad2(day)}`;
}

/** Parse `dd/mm/yyyy` (or `d/m/yyyy`, `-` or `.` separators) to ISO, or null. */
export function parseVnDate(text: string): string | null {
  const m = /^\s*(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})\s*$/.exec(text);
  if (!m) return null;
  return isoDate(Number(m[3]), Number(m[2]), Number(m[1]));
}

/** A date as a form sends it: ISO `YYYY-MM-DD` (a date input) or `dd/mm/yyyy` (typed) → ISO, or null. */
export function parseDateInput(text: string): string | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text.trim());
  return m ? isoDate(Number(m[1]), Number(m[2]), Number(m[3])) : parseVnDate(text);
}

/**
 * The UTC instants (ISO) that bound these Vietnamese calendar days (ISO dates, inclusive), to select stored instants
 * cheaply in SQL before an exact per-day rule runs on them.
 */
export function vnDaysAsInstants(from: string, to: string): { start: string; end: string } {
  return {
    start: new Date(`${from}T00:00:00+07:00`).toISOString(),
    end: new Date(`${to}T23:59:59.999+07:00`).toISOString(),
  };
}

/** One collator for Vietnamese order, made once: `localeCompare(b, "vi")` builds one per call (slow in a sort). */
const VI_COLLATOR = new Intl.Collator("vi");

/** Compare two strings in Vietnamese alphabetical order (the same order as `a.localeCompare(b, "vi")`). */
export const compareVi = (a: string, b: string): number => VI_COLLATOR.compare(a, b);
