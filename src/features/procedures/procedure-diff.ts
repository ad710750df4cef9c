/** A readable comparison of two versions of a procedure: which fields changed, old and new text. Pure. */
import { CHANNEL_LABELS, type ProcedureRecord } from "./procedure-record.ts";

export interface FieldChange {
  field: string;
  label: string;
  before: string;
  after: string;
}

/** The fields a citizen reads, each rendered as plain text so that any change shows. */
const FIELDS: [keyof ProcedureRecord | "channelsView" | "dossierView", string, (r: ProcedureRecord) => string][] = [
  ["name", "Tên thủ tục", (r) => r.name],
  ["field", "Lĩnh vực", (r) => r.field],
  ["levels", "Cấp thực hiện", (r) => r.levels.join(", ")],
  ["subjects", "Đối tượng thực hiện", (r) => r.subjects.join(", ")],
  [
    "channelsView",
    "Cách thức, thời hạn, phí",
    (r) =>
      r.channels
        .map(
          (c) =>
            `${CHANNEL_LABELS[c.channel]}: ${c.timeLimit || "—"}; ${c.fee || "—"}${c.description ? ` (${c.description})` : ""}`,
        )
        .join("\n") || r.channelsText,
  ],
  [
    "dossierView",
    "Thành phần hồ sơ",
    (r) =>
      r.dossier
        .map((g) =>
          [
            g.caseName,
            ...g.items.map(
              (i) =>
                `- ${i.name}${i.originals ? `; ${i.originals} bản chính` : ""}${i.copies ? `; ${i.copies} bản sao` : ""}${i.form ? ` (mẫu: ${i.form})` : ""}`,
            ),
          ]
            .filter(Boolean)
            .join("\n"),
        )
        .join("\n") || r.dossierText,
  ],
  ["stepsText", "Trình tự thực hiện", (r) => r.stepsText],
  ["requirements", "Yêu cầu, điều kiện", (r) => r.requirements],
  ["receivingAddress", "Địa chỉ tiếp nhận", (r) => r.receivingAddress],
  ["implementingAgency", "Cơ quan thực hiện", (r) => r.implementingAgency],
  ["competentAgency", "Cơ quan có thẩm quyền", (r) => r.competentAgency],
  ["results", "Kết quả", (r) => r.results.map((x) => `${x.name}${x.code ? ` (${x.code})` : ""}`).join("\n")],
  [
    "legalBases",
    "Căn cứ pháp lý",
    (r) => r.legalBases.map((b) => `${b.title}${b.number ? ` (${b.number})` : ""}`).join("\n"),
  ],
  ["decisionNumber", "Quyết định công bố", (r) => r.decisionNumber],
];

export function compareRecords(before: ProcedureRecord, after: ProcedureRecord): FieldChange[] {
  const out: FieldChange[] = [];
  for (const [field, label, view] of FIELDS) {
    const a = view(before);
    const b = view(after);
    if (a !== b) out.push({ field: String(field), label, before: a, after: b });
  }
  return out;
}
