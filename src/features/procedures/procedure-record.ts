/**
 * A procedure (thủ tục hành chính) as the national database describes it, cleaned and structured.
 * Pure data: what importers produce and what versions store. Field names follow the portal's labels.
 */

/** Submission channels of the portal's "Cách thức thực hiện" table. */
export type ChannelCode = "truc_tiep" | "truc_tuyen" | "buu_chinh";
export const CHANNEL_LABELS: Record<ChannelCode, string> = {
  truc_tiep: "Trực tiếp",
  truc_tuyen: "Trực tuyến",
  buu_chinh: "Dịch vụ bưu chính",
};

export interface ProcedureChannel {
  channel: ChannelCode;
  /** As written, e.g. "3 Ngày làm việc"; "" when the portal gives none. */
  timeLimit: string;
  /** As written, e.g. "10,000 Việt Nam Đồng", "Miễn phí"; "" when none. */
  fee: string;
  /** The row's description (fee exemptions, where to submit). */
  description: string;
}

export interface DossierItem {
  name: string;
  /** Form (mẫu đơn, tờ khai) file or name, "" when none. */
  form: string;
  /** Counts as given ("1 bản chính", "1 bản sao"); null when not stated. */
  originals: number | null;
  copies: number | null;
}

export interface DossierGroup {
  /** The case this group applies to ("Trường hợp …", "* Hồ sơ đăng ký tạm trú gồm:"), "" for the only group. */
  caseName: string;
  items: DossierItem[];
}

export interface LegalBasis {
  /** "Luật Nhập cảnh, xuất cảnh, …" */
  title: string;
  /** "47/2014/QH13", "53/2016/TT-BCA"; "" when not found. */
  number: string;
}

export interface ProcedureResult {
  name: string;
  /** "KQ.G01.00263", "" when none. */
  code: string;
}

export interface ProcedureStep {
  /** "Bước 1", or "" when the text has no numbered steps. */
  label: string;
  text: string;
}

export interface ProcedureRecord {
  /** "1.001193" */
  code: string;
  name: string;
  /** Number of the announcing decision as given, e.g. "163/QĐ-BTP". */
  decisionNumber: string;
  /** The portal's level labels: "Cấp bộ", "Cấp tỉnh", "Cấp xã", "Cơ quan khác". */
  levels: string[];
  type: string;
  field: string;
  subjects: string[];
  competentAgency: string;
  receivingAddress: string;
  authorisedAgency: string;
  coordinatingAgency: string;
  /** Names or codes of related procedures as given. */
  related: string[];
  steps: ProcedureStep[];
  /** Original text of "Trình tự thực hiện", kept for display where the split is doubtful. */
  stepsText: string;
  channels: ProcedureChannel[];
  /** Original text when the channel table could not be split with confidence; "" otherwise. */
  channelsText: string;
  dossier: DossierGroup[];
  /** Original text when the dossier table could not be split with confidence; "" otherwise. */
  dossierText: string;
  legalBases: LegalBasis[];
  implementingAgency: string;
  requirements: string;
  results: ProcedureResult[];
  /** The portal's page, if any. */
  sourceUrl: string;
  /** The page's "Từ khóa" (search keywords), when it gives any. */
  keywords?: string[];
  /** The page's "Mô tả" (a free note on the procedure), when it gives one. */
  description?: string;
}

/** One bad input row: where it is and why, in Vietnamese. */
export interface RowProblem {
  line: number;
  code: string | null;
  reason: string;
}
