/**
 * Cleaning of the portal's text cells and splitters for its other flattened fields: "Căn cứ pháp lý" (legal
 * bases), "Kết quả xử lý" (results with codes), "Trình tự thực hiện" (steps) and comma lists (levels, subjects).
 */
import { nfc } from "../../core/text/vi.ts";
import { dropNoInfo, LEGAL_NUMBER, NO_INFO } from "./portal-tables.ts";
import type { LegalBasis, ProcedureResult, ProcedureStep } from "./procedure-record.ts";

/** The portal page's widgets that the crawler appended to the last field(s): "Từ khóa…Mô tả…Chọn cơ quan…Nộp hồ sơ". */
const FURNITURE = /Từ khóa([\s\S]*?)Mô tả([\s\S]*?)(?=Chọn cơ quan thực hiện|$)/;
const AGENCY_PICKER = /Chọn cơ quan thực hiện[\s\S]*$/;

export interface Cleaned {
  text: string;
  /** What the page furniture carried, when it carried anything: "Từ khóa" and "Mô tả". */
  keywords: string;
  description: string;
}

/** NFC, no-break spaces, line ends; trailing page furniture removed and returned; blank lines and runs of spaces tidied. */
export function cleanText(value: string): Cleaned {
  // Beyond `nfc`: direction marks pasted from Word ("đăng k\u200eý"), and its symbol-font bullets (U+F0FC).
  let text = nfc(value)
    .replace(/[\u200e\u200f\u202a-\u202e\u2060\u00ad]/g, "")
    .replace(/[\uf020-\uf0ff]/g, "-");
  let keywords = "";
  let description = "";
  const f = FURNITURE.exec(text);
  if (f) {
    keywords = tidyBlock(f[1] ?? "");
    description = tidyBlock(f[2] ?? "");
    text = text.slice(0, f.index);
  }
  text = text.replace(AGENCY_PICKER, "").replace(/Hệ thống chỉ hiển thị những cơ quan[\s\S]*$/, "");
  text = tidyBlock(text);
  return { text: text === NO_INFO ? "" : text, keywords: dropNoInfo(keywords), description: dropNoInfo(description) };
}

/** Trim lines, collapse runs of spaces and tabs, at most one blank line; "Không có thông tin" alone means empty. */
export function tidyBlock(text: string): string {
  const t = text
    .split("\n")
    .map((line) => line.replace(/[ \t]+/g, " ").trim())
    .join("\n")
    .replace(/\n{3,}/g, "\n\n")
    .trim();
  return /^Không có thông tin\.?$/i.test(t) ? "" : t;
}

// ---------------------------------------------------------------------------------------------------------------
// Legal bases: "Tên văn bản pháp lýMã văn bản" then rows "<title><number>".

const LEGAL_HEADER = /^\s*Tên văn bản pháp lý\s*Mã văn bản\s*/;
/** "47/2014/QH13", "66.7/2025/NQ-CP", "601/QĐ-BTC", "09/2024/TT-BKHĐT", "03/2016/TTLT-BTP-BCA". */
const NUMBER = new RegExp(LEGAL_NUMBER, "uy");
/** A kind of document glued to the title before the number cell: "…Việt NamLuật 47/2014/QH13". */
const CELL_PREFIX =
  /(?<=[\p{L}\d.)\]])(?:(?:Luật|Luất|Nghị định|Thông tư liên tịch|Thông tư|Quyết định|Nghị quyết|Pháp lệnh)(?: số)?|số) ?$/u;
/** Words that continue a title after a number in it ("… 53/2025/TT-BCAngày 01/7/2025"). */
const CONTINUATION = /^(?:ngày|của|và|được|tại|về|năm|tháng)(?=\s|$)/u;

interface NumberToken {
  start: number;
  end: number;
  text: string;
}

/** Whether a number may start at `i`: not inside another number ("29/9/2021", "66.16"), except right after one. */
function mayStartNumber(text: string, i: number, lastEnd: number): boolean {
  if (i === lastEnd) return true;
  const prev = text[i - 1] ?? "";
  if (/[/]/.test(prev)) return false;
  if (/[.,]/.test(prev)) return !/\d/.test(text[i - 2] ?? "");
  if (/\d/.test(prev)) {
    // A year glued to the number cell: "giai đoạn 2026 - 2030182/2025/NQ-HĐND", "ngày 29/6/202443/2024/QH15".
    const run = /\d+$/.exec(text.slice(0, i))?.[0] ?? "";
    return run.length === 4 && /^(19|20)\d\d$/.test(run);
  }
  return true;
}

function numberTokens(text: string): NumberToken[] {
  const out: NumberToken[] = [];
  let lastEnd = -1;
  for (let i = 0; i < text.length; i++) {
    if (!/\d/.test(text[i] ?? "") || !mayStartNumber(text, i, lastEnd)) continue;
    NUMBER.lastIndex = i;
    const m = NUMBER.exec(text);
    if (!m) continue;
    out.push({ start: i, end: i + m[0].length, text: m[0] });
    lastEnd = i + m[0].length;
    i = lastEnd - 1;
  }
  return out;
}

export interface LegalSplit {
  legalBases: LegalBasis[];
  confident: boolean;
}

/** Split "Căn cứ pháp lý" into {title, number} rows; a title the portal ends with the number keeps it. */
export function splitLegalBases(text: string): LegalSplit {
  const header = LEGAL_HEADER.exec(text);
  if (!header) {
    // "Không có thông tinCơ quan thực hiện…": an empty cell followed by the next section of the page.
    if (text.startsWith(NO_INFO) || text.trim() === "") return { legalBases: [], confident: true };
    return { legalBases: [{ title: squashText(text), number: "" }], confident: false };
  }
  // The page's next section sometimes follows the table: "…56/2010/QH12Cơ quan thực hiệnTòa án nhân dân …".
  const body = text.slice(header[0].length).replace(/Cơ quan thực hiện[\s\S]*$/, "");
  const tokens = numberTokens(body);
  const bases: LegalBasis[] = [];
  let from = 0;
  tokens.forEach((t, i) => {
    const next = tokens[i + 1];
    const before = body[t.start - 1] ?? "";
    const after = body.slice(t.end);
    const title = body.slice(from, t.start);
    const prefix = CELL_PREFIX.exec(title);
    // Cells were joined with no separator (or a line break); a number inside a title follows a space.
    const glued = t.start === from || !/[ \t]/.test(before) || prefix !== null;
    // The title ends with the same number as the cell: "Nghị định 126/2020/NĐ-CP126/2020/NĐ-CP".
    if (next && next.start === t.end && next.text === t.text) return;
    if (!glued || CONTINUATION.test(after.trimStart()) || /^[,;)]/.test(after)) return;
    if (t.start === from && bases.length > 0 && t.start > 0) return;
    const cleanTitle = squashText(prefix ? title.slice(0, prefix.index) : title);
    if (cleanTitle === "") return;
    bases.push({ title: cleanTitle, number: t.text });
    from = t.end;
  });
  const rest = squashText(body.slice(from));
  let confident = true;
  if (rest !== "") {
    // A last cell that is not a number ("…Việt Nam.73-CP", a truncated "118/2025/NĐ-C"): keep it as written.
    const old = /^(.*?[\p{Ll}.)])(\d{1,4}(?:\/\d{4})?(?:[-/][\p{Lu}\d-]+)?)$/u.exec(rest);
    if (old?.[1] && old[2]) bases.push({ title: squashText(old[1]), number: old[2] });
    else {
      bases.push({ title: rest, number: "" });
      confident = false;
    }
  }
  return { legalBases: bases, confident };
}

function squashText(text: string): string {
  return dropNoInfo(text.replace(/\s+/g, " ")).trim();
}

// ---------------------------------------------------------------------------------------------------------------
// Results: "<name>Mã: <code><name>Mã: <code>…".

/** The portal's result codes: KQ.G01.000064, KQ-G17.000005, KQ-G10-KQ-000002, 000.00.00.G04-KQ0257, TP-G12.00011112. */
const RESULT_CODE =
  /^\s*(KQ[.-][A-Z]\d{2}[.-](?:KQ-)?\d{3,8}|\d{3}\.\d{2}\.\d{2}\.[A-Z]\d{2}-KQ\d+|[A-Z]{2}-[A-Z]\d{2}\.\d{3,8}|[A-Z]{2,}(?![\p{Ll}])|[A-Za-z0-9]+(?=\s*$))/u;

/** Split "Kết quả xử lý" into {name, code} rows. */
export function splitResults(text: string): ProcedureResult[] {
  const t = text.trim();
  if (t === "") return [];
  const parts = t.split(/Mã:\s*/);
  const results: ProcedureResult[] = [];
  let name = parts[0] ?? "";
  for (let i = 1; i < parts.length; i++) {
    const part = parts[i] ?? "";
    const m = RESULT_CODE.exec(part);
    const code = m?.[1] ?? "";
    results.push({ name: tidyBlock(name).replace(/\.$/, ""), code });
    name = part.slice(m ? m[0].length : 0);
  }
  const tail = tidyBlock(name);
  if (tail !== "") results.push({ name: tail.replace(/^[-–]\s*/, ""), code: "" });
  return results.filter((r) => r.name !== "" || r.code !== "");
}

// ---------------------------------------------------------------------------------------------------------------
// Steps: "Bước 1: …\nBước 2. …" at the start of a line (after a bullet) or of a sentence.

const STEP = /Bước\s*(\d+)/g;

/** Bullets and enumerators left at the end of a chunk by the next "Bước N" ("…\n- ", "a) ", "(ii) "). */
const TRAILING_MARKER =
  /(?:(?<=^|\s)(?:[a-zđ]|\d{1,2}|[ivx]{1,4})\)|\((?:[a-zđ]|\d{1,2}|[ivx]{1,4})\)|[-+*•])?[\s\-+*•]*$/u;

/** Whether "Bước N" at `at` heads a step rather than being mentioned in a sentence ("quay lại Bước 1 và …"). */
function headsStep(text: string, at: number, end: number): boolean {
  const after = text.slice(end);
  if (/^\s*[:.,]?\s*$/.test(after)) return false;
  const colon = /^\s*:/.test(after);
  const stop = /^\s*[.,]\s*\S/.test(after) || /^\s+[\p{Lu}\d(“"-]/u.test(after) || /^[\p{Lu}]/u.test(after);
  const lead = /[-+*•\t ]*$/.exec(text.slice(0, at))?.[0] ?? "";
  const before = text.slice(0, at - lead.length);
  const last = before.slice(-1);
  const atLineStart = before === "" || last === "\n" || /[-+*•]/.test(lead);
  const afterStop = /[.;:)]/.test(last);
  const glued = /\p{L}/u.test(last) && lead === "";
  if (atLineStart || afterStop || glued) return colon || stop;
  return colon;
}

/** Split "Trình tự thực hiện" at "Bước N"; text before the first step is a step with label "". */
export function splitSteps(text: string): ProcedureStep[] {
  if (text.trim() === "") return [];
  const marks = [...text.matchAll(STEP)].filter((m) => headsStep(text, m.index, m.index + m[0].length));
  if (marks.length === 0) return [{ label: "", text: tidyBlock(text) }];
  const steps: ProcedureStep[] = [];
  const lead = tidyBlock(text.slice(0, marks[0]?.index).replace(TRAILING_MARKER, ""));
  if (lead !== "") steps.push({ label: "", text: lead });
  marks.forEach((m, i) => {
    const body = text.slice(m.index + m[0].length, marks[i + 1]?.index ?? text.length);
    const clean = tidyBlock(body.replace(/^\s*[:.,]?\s*/, "").replace(TRAILING_MARKER, ""));
    // "Bước 1: - Bước 1: …": the empty first is an echo.
    if (clean !== "" || marks[i + 1]?.[1] !== m[1]) steps.push({ label: `Bước ${Number(m[1])}`, text: clean });
  });
  return steps;
}

// ---------------------------------------------------------------------------------------------------------------
// Lists.

/**
 * Split a portal list on ", " outside brackets; a piece starting in lower case continues the one before, so
 * "Tổ chức (không bao gồm doanh nghiệp, HTX)" and "Cán bộ, công chức, viên chức" stay whole.
 */
export function splitList(text: string): string[] {
  const pieces: string[] = [];
  let depth = 0;
  let current = "";
  for (const c of text) {
    if (c === "(") depth++;
    if (c === ")") depth = Math.max(0, depth - 1);
    if ((c === "," || c === ";" || c === "\n") && depth === 0) {
      pieces.push(current);
      current = "";
    } else current += c;
  }
  pieces.push(current);
  const out: string[] = [];
  for (const raw of pieces) {
    const p = raw.replace(/\s+/g, " ").trim();
    if (p === "" || p === NO_INFO) continue;
    const prev = out.length - 1;
    if (prev >= 0 && /^\p{Ll}/u.test(p)) out[prev] = `${out[prev]}, ${p}`;
    else out.push(p);
  }
  return out;
}
