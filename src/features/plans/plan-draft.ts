/** What the plan parser understood from a plan document, before anything is saved. Pure data. */

/** The six pillars of administrative reform: the national list every plan's content areas map onto. */
export const PILLARS = {
  institutions: "Cải cách thể chế",
  procedures: "Cải cách thủ tục hành chính",
  apparatus: "Cải cách tổ chức bộ máy hành chính nhà nước",
  civil_service: "Xây dựng, nâng cao chất lượng đội ngũ cán bộ, công chức, viên chức",
  public_finance: "Cải cách tài chính công",
  e_government: "Xây dựng Chính phủ điện tử, Chính phủ số; hiện đại hóa hành chính",
} as const;
export type PillarCode = keyof typeof PILLARS;

/** Kinds of communication channel: the national list every plan's channels and every activity map onto. */
export const CHANNEL_KINDS = {
  radio: "Đài truyền thanh, phát thanh",
  press: "Báo chí, phương tiện thông tin đại chúng",
  notice_board: "Bảng niêm yết công khai",
  web_portal: "Trang thông tin điện tử, cổng dịch vụ công",
  conference: "Hội nghị, tập huấn",
  community_meeting: "Sinh hoạt cộng đồng, hội đoàn thể, khu dân cư",
  meeting_integration: "Lồng ghép trong cuộc họp, phổ biến giáo dục pháp luật",
  banner_poster: "Băng rôn, pa nô, áp phích, khẩu hiệu",
  feedback_answer: "Trả lời phản ánh, kiến nghị, hỏi đáp",
  survey: "Khảo sát, đo lường sự hài lòng",
  social_media: "Mạng xã hội, nhóm Zalo",
  other: "Hình thức khác",
} as const;
export type ChannelKind = keyof typeof CHANNEL_KINDS;

/** Something the parser was not sure about, shown in the preview. `path` points into the draft, e.g. "tasks.3". */
export interface DraftWarning {
  path: string;
  message: string;
}

export interface ContentAreaDraft {
  /** As numbered in the plan, e.g. "2.1". */
  code: string;
  title: string;
  /** Best guess of the national pillar; null when nothing matched (flagged). */
  pillar: PillarCode | null;
  items: string[];
}

export interface ChannelDraft {
  /** As numbered in the plan, e.g. "1". */
  code: string;
  title: string;
  kind: ChannelKind;
}

export interface TaskDraft {
  text: string;
  /** Assignment group code this task came from, e.g. "1". */
  group: string;
  /** Units named by the text beyond the group's own: phối hợp (supporting) mentions, as written. */
  supportingUnitTexts: string[];
  /** The timing the task states, as written ("thường xuyên", "hằng quý", "quý II/2024", "ngày 30/6/2024"), or null;
   *  shown and editable in the import preview. Recurrence and due date are read from it alone. */
  timing: string | null;
  /** "thường xuyên" (continuous), "hằng tháng", "hằng quý", "hằng năm": the task recurs rather than falling due once. */
  recurrence: "monthly" | "quarterly" | "yearly" | "continuous" | null;
  /** A due date found in the text, ISO, or null. */
  dueOn: string | null;
}

export interface AssignmentGroupDraft {
  code: string;
  /** The heading as written, without numbering or trailing colon, e.g. "Ngành Văn hóa - xã hội". */
  heading: string;
  tasks: TaskDraft[];
}

export interface ReferenceDraft {
  /** "Quyết định", "Nghị quyết", "Luật", "Nghị định", "Kế hoạch", "Thông tư", "Chỉ thị", "Công văn", … */
  kind: string;
  /** Normalised number, e.g. "181/QĐ-UBND", "13-NQ/TU", "18-NQ/TW"; null for laws cited by name and year. */
  number: string | null;
  /** For laws: "Luật Giao dịch điện tử"; otherwise the subject if given, else null. */
  title: string | null;
  issuedOn: string | null;
  /** Who issued it, as written ("UBND phường Phổ Minh", "Ban Thường vụ Tỉnh ủy", "Chính phủ"), or null. */
  issuer: string | null;
  /** Year where only a year is known (laws), else null. */
  year: number | null;
}

/**
 * Who signs, as the signature block lays it out: "TM. ỦY BAN NHÂN DÂN" (authority: on behalf of the collective body),
 * "KT. CHỦ TỊCH" (onBehalfOf: for the head, also "TL.", "TUQ."), "PHÓ CHỦ TỊCH" (position), then the name. A plain
 * "CHỦ TỊCH" has neither authority nor onBehalfOf.
 */
export interface SignerDraft {
  position: string;
  name: string;
  authority: string | null;
  onBehalfOf: string | null;
}

export interface PlanDraft {
  /** Document kind, "Kế hoạch". */
  kind: string;
  /** Normalised, e.g. "18/KH-UBND". */
  number: string | null;
  place: string | null;
  issuedOn: string | null;
  /** One line. */
  title: string | null;
  /** As read from the text, e.g. "UBND phường Phổ Minh". */
  issuer: string | null;
  /** The issuing commune-level unit as named: type and name, e.g. { type: "phường", name: "Phổ Minh" }. */
  issuerUnit: { type: string; name: string } | null;
  /** The opening "Căn cứ …" paragraphs only. */
  basis: string[];
  purposes: string[];
  requirements: string[];
  documentsToCommunicate: string;
  contentAreas: ContentAreaDraft[];
  channels: ChannelDraft[];
  assignmentGroups: AssignmentGroupDraft[];
  references: ReferenceDraft[];
  /** Unnumbered programmes and standards cited by name (Chương trình tổng thể, ISO 9001:2015). */
  mentions: string[];
  /** Nơi nhận, one entry per line as written, without the leading dash. */
  recipients: string[];
  signer: SignerDraft | null;
  /** The budget section read (budget.ts): lines of amount, source and purpose, and the stated total; null without one. */
  budget: import("./budget.ts").BudgetDraft | null;
  /** The plan's period, from its title or text ("năm 2024" → 2024-01-01..2024-12-31). */
  period: { from: string; to: string } | null;
  warnings: DraftWarning[];
}

export type ParseResult = { ok: true; draft: PlanDraft } | { ok: false; error: string };
