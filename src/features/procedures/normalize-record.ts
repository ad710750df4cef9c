/**
 * One record of the National Public Service Portal (snake_case keys as in its JSON export, or a CSV/XLSX row
 * mapped from the Vietnamese labels) → a cleaned, structured `ProcedureRecord`, or a reason to refuse it.
 * Pure: no I/O. The flattened tables are split by `portal-tables.ts` and `portal-texts.ts`.
 */
import { foldWords, nfc, squash } from "../../core/text/vi.ts";
import { dropNoInfo, splitChannels, splitDossier } from "./portal-tables.ts";
import { cleanText, splitLegalBases, splitList, splitResults, splitSteps } from "./portal-texts.ts";
import type { ProcedureRecord, RowProblem } from "./procedure-record.ts";

/** The portal's fields: snake_case key → the label of its page and export ("Mã thủ tục"), then other spellings. */
export const PORTAL_LABELS = {
  ma_thu_tuc: ["Mã thủ tục", "Mã TTHC", "Mã"],
  ten_thu_tuc: ["Tên thủ tục", "Tên TTHC", "Tên thủ tục hành chính"],
  so_quyet_dinh: ["Số quyết định", "Quyết định công bố"],
  cap_thuc_hien: ["Cấp thực hiện"],
  loai_thu_tuc: ["Loại thủ tục", "Loại TTHC"],
  linh_vuc: ["Lĩnh vực"],
  doi_tuong_thuc_hien: ["Đối tượng thực hiện"],
  co_quan_co_tham_quyen: ["Cơ quan có thẩm quyền", "Cơ quan có thẩm quyền quyết định"],
  dia_chi_tiep_nhan: ["Địa chỉ tiếp nhận HS", "Địa chỉ tiếp nhận hồ sơ", "Địa chỉ tiếp nhận"],
  co_quan_duoc_uy_quyen: ["Cơ quan được ủy quyền", "Cơ quan được ủy quyền, phân cấp"],
  co_quan_phoi_hop: ["Cơ quan phối hợp"],
  thu_tuc_lien_quan: ["Thủ tục hành chính liên quan", "Thủ tục liên quan"],
  trinh_tu_thuc_hien: ["Trình tự thực hiện"],
  cach_thuc_thuc_hien: ["Cách thức thực hiện"],
  thanh_phan_ho_so: ["Thành phần hồ sơ"],
  can_cu_phap_ly: ["Căn cứ pháp lý"],
  co_quan_thuc_hien: ["Cơ quan thực hiện"],
  yeu_cau_dieu_kien: ["Yêu cầu, điều kiện thực hiện", "Yêu cầu, điều kiện", "Yêu cầu điều kiện"],
  ket_qua_xu_ly: ["Kết quả xử lý", "Kết quả thực hiện"],
  detail_url: ["Đường dẫn", "Địa chỉ trang", "URL", "Link"],
} as const satisfies Record<string, readonly string[]>;

export type PortalKey = keyof typeof PORTAL_LABELS;

/** Folded label (case, diacritics, spacing and punctuation ignored) → key; the snake_case key itself is accepted too. */
const KEY_OF_LABEL = new Map<string, PortalKey>();
for (const [key, labels] of Object.entries(PORTAL_LABELS) as [PortalKey, readonly string[]][]) {
  for (const label of [key, ...labels]) KEY_OF_LABEL.set(foldWords(label.replace(/_/g, " ")), key);
}

/** The key a column header stands for, or null. */
export function portalKeyOfLabel(label: string): PortalKey | null {
  return KEY_OF_LABEL.get(foldWords(nfc(label).replace(/_/g, " "))) ?? null;
}

/** A row keyed by the portal's Vietnamese labels ("Địa chỉ tiếp nhận HS") → the same row keyed by snake_case keys. */
export function portalRowFromLabels(row: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [label, value] of Object.entries(row)) {
    const key = portalKeyOfLabel(label);
    if (key && (out[key] === undefined || out[key] === "")) out[key] = value;
  }
  return out;
}

/** The portal's procedure codes: "1.000253", "2.001428". Every one of the 688 sample records has this shape. */
export const PROCEDURE_CODE = /^\d+\.\d{6}$/;

export type NormalizeResult = { ok: true; record: ProcedureRecord } | { ok: false; problem: RowProblem };

function toText(value: unknown): string {
  if (value === null || value === undefined) return "";
  if (typeof value === "string") return value;
  if (typeof value === "number" || typeof value === "boolean" || typeof value === "bigint") return String(value);
  if (Array.isArray(value)) return value.map(toText).join(", ");
  return JSON.stringify(value);
}

/** Every string of the record without "Không có thông tin" (cells the splitters kept as written may hold it). */
function sweep<T>(value: T): T {
  if (typeof value === "string") return (value.includes("Không có thông tin") ? dropNoInfo(value) : value) as T;
  if (Array.isArray(value)) return value.map(sweep) as T;
  if (value && typeof value === "object") {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = sweep(v);
    return out as T;
  }
  return value;
}

/** A flattened table kept as text: its glued header rows become line breaks. */
function tableText(text: string): string {
  return text
    .replace(/^\s*Hình thức nộp\s*Thời gian\s*Phí,? lệ phí\s*Mô tả/, "")
    .replace(/\s*Tên giấy tờ\s*Mẫu đơn,? tờ khai\s*Số lượng\s*/g, "\n")
    .replace(/^\s*-{2,}\s*/, "")
    .trim();
}

/** Clean and structure one portal record; `line` is where it came from, for the problem report. */
export function normalizeRecord(raw: Record<string, unknown>, line: number): NormalizeResult {
  const source: Record<string, unknown> =
    "ma_thu_tuc" in raw || "ten_thu_tuc" in raw
      ? raw
      : portalRowFromLabels(Object.fromEntries(Object.entries(raw).map(([k, v]) => [k, toText(v)])));
  let keywords = "";
  let description = "";
  const field = (key: PortalKey): string => {
    const c = cleanText(toText(source[key]));
    if (c.keywords && !keywords) keywords = c.keywords;
    if (c.description && !description) description = c.description;
    return c.text;
  };
  const line1 = (key: PortalKey): string => squash(field(key));

  // A code that went through a number (JSON, a spreadsheet) lost its trailing zeros: 1.00119 was "1.001190".
  const rawCode = source.ma_thu_tuc;
  const code =
    typeof rawCode === "number" && /^\d+\.\d{1,6}$/.test(String(rawCode)) ? rawCode.toFixed(6) : line1("ma_thu_tuc");
  if (code === "") return { ok: false, problem: { line, code: null, reason: "Thiếu mã thủ tục (cột «Mã thủ tục»)." } };
  if (!PROCEDURE_CODE.test(code)) {
    return {
      ok: false,
      problem: { line, code, reason: `Mã thủ tục «${code}» không đúng dạng của Cổng Dịch vụ công (ví dụ 1.000253).` },
    };
  }
  // One group of records carries a decision title with line breaks instead of a name: kept, on one line.
  const name = line1("ten_thu_tuc");
  if (name === "") return { ok: false, problem: { line, code, reason: "Thiếu tên thủ tục (cột «Tên thủ tục»)." } };

  const stepsText = field("trinh_tu_thuc_hien");
  const channelsSource = field("cach_thuc_thuc_hien");
  const ch = splitChannels(channelsSource);
  const dossierSource = field("thanh_phan_ho_so");
  const ds = splitDossier(dossierSource);
  const legal = splitLegalBases(field("can_cu_phap_ly"));
  const results = splitResults(field("ket_qua_xu_ly"));
  const requirements = field("yeu_cau_dieu_kien");

  const record: ProcedureRecord = {
    code,
    name,
    decisionNumber: line1("so_quyet_dinh"),
    levels: splitList(field("cap_thuc_hien")),
    type: line1("loai_thu_tuc"),
    field: line1("linh_vuc"),
    subjects: splitList(field("doi_tuong_thuc_hien")),
    competentAgency: field("co_quan_co_tham_quyen"),
    receivingAddress: field("dia_chi_tiep_nhan"),
    authorisedAgency: field("co_quan_duoc_uy_quyen"),
    coordinatingAgency: field("co_quan_phoi_hop"),
    related: field("thu_tuc_lien_quan")
      .split(/\n|;/)
      .map((s) => squash(s))
      .filter((s) => s !== ""),
    steps: splitSteps(stepsText),
    stepsText,
    channels: ch.channels,
    channelsText: ch.confident && (ch.channels.length > 0 || channelsSource === "") ? "" : tableText(channelsSource),
    dossier: ds.dossier,
    dossierText: ds.confident && (ds.dossier.length > 0 || dossierSource === "") ? "" : tableText(dossierSource),
    legalBases: legal.legalBases,
    implementingAgency: field("co_quan_thuc_hien"),
    requirements,
    results,
    sourceUrl: line1("detail_url"),
  };
  if (keywords) {
    record.keywords = keywords
      .split(/[,;\n]/)
      .map((s) => squash(s))
      .filter((s) => s !== "");
  }
  if (description) record.description = description;
  return { ok: true, record: sweep(record) };
}
