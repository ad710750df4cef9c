/**
 * The minutes of a held event as a Decree 30 document "BIÊN BẢN" (Nghị định 30/2020/NĐ-CP, Phụ lục III, Mẫu 1.9):
 * the ward's header with "Số:      /BB-UBND" and no date line; the event's name as the summary; then the time it
 * opened, the place, who organised it and who came (the attendance by group from the event), the chair and the
 * secretary, the content as it went, the opinions raised, the chair's conclusions, the closing time; the secretary
 * signs on the left, the chair on the right, "Nơi nhận:" below. Pure: data in, document out.
 */
import { type AdminDocument, type Block, textBlocks } from "../../core/documents/admin-document.ts";
import { ATTENDANCE_GROUPS, type Attendance, type AttendanceGroup } from "./events.rules.ts";

export const MINUTES_SYMBOL = "BB-UBND";

/** What the minutes say, as stored (event_minutes). */
export interface Minutes {
  started_at: string;
  ended_at: string;
  chair_name: string;
  chair_title: string;
  secretary_name: string;
  secretary_title: string;
  attendees: string;
  agenda: string;
  opinions: string;
  conclusions: string;
}

/** The event the minutes are of. */
export interface MinutesEvent {
  kind: string;
  title: string;
  place: string;
  starts_on: string;
  org_unit_name: string;
  partners: string[];
  attendance: Attendance | null;
  attended: number | null;
}

/** The ward that holds the register: "Phường Đức Phổ" and the place of its date lines. */
export interface MinutesWard {
  name: string;
  place: string;
}

/** What the document calls the gathering in "… kết thúc vào": a conference, a meeting of residents, a meeting. */
const GATHERING: Record<string, string> = {
  conference: "Hội nghị",
  residential: "Buổi sinh hoạt",
  union: "Buổi sinh hoạt",
  integrated: "Cuộc họp",
};

/** "08:05" on 2026-03-20 → "08 giờ 05 phút, ngày 20 tháng 3 năm 2026" (days padded, months 1 and 2 too). */
export function clockLine(time: string, isoDate: string): string {
  const [h, m] = time.split(":");
  const [y, mo, d] = isoDate.split("-").map(Number) as [number, number, number];
  const month = mo <= 2 ? String(mo).padStart(2, "0") : String(mo);
  return `${h} giờ ${m} phút, ngày ${String(d).padStart(2, "0")} tháng ${month} năm ${y}`;
}

const n = (v: number) => v.toLocaleString("vi-VN");
const withTitle = (name: string, title: string) => (title.trim() ? `${name}, ${title.trim()}` : name);
/** Lines typed one per group ("- Đại diện …") joined on one line with semicolons. */
const joinLines = (s: string) =>
  s
    .split(/\n+/)
    .map((l) =>
      l
        .replace(/^[-–•]\s*/, "")
        .replace(/[;,.]+$/, "")
        .trim(),
    )
    .filter(Boolean)
    .join("; ");
const stop = (s: string) => (/[.!?…:;]$/.test(s.trim()) ? s.trim() : `${s.trim()}.`);

/** "123 người (Cán bộ, công chức: 8; Người dân: 90)" from the attendance by group; null when not counted. */
export function attendanceLine(attendance: Attendance | null, attended: number | null): string | null {
  if (!attendance || attended == null) return null;
  const groups = (Object.keys(ATTENDANCE_GROUPS) as AttendanceGroup[])
    .filter((g) => (attendance[g] ?? 0) > 0)
    .map((g) => `${ATTENDANCE_GROUPS[g]}: ${n(attendance[g] ?? 0)}`);
  return `${n(attended)} người${groups.length ? ` (${groups.join("; ")})` : ""}`;
}

/** The minutes as the document model the one renderer lays out (src/core/documents/docx-writer.ts). */
export function minutesDocument(ward: MinutesWard, e: MinutesEvent, m: Minutes): AdminDocument {
  const gathering = GATHERING[e.kind] ?? "Cuộc họp";
  const present = attendanceLine(e.attendance, e.attended);
  const body: Block[] = [
    { kind: "paragraph", text: `Thời gian bắt đầu: ${clockLine(m.started_at, e.starts_on)}.` },
    { kind: "paragraph", text: `Địa điểm: ${stop(e.place)}` },
    {
      kind: "paragraph",
      text: `Đơn vị tổ chức: ${e.org_unit_name}${e.partners.length ? `; phối hợp: ${e.partners.join("; ")}` : ""}.`,
    },
    ...(m.attendees.trim()
      ? [
          { kind: "paragraph" as const, text: `Thành phần tham dự: ${stop(joinLines(m.attendees))}` },
          ...(present ? [{ kind: "paragraph" as const, text: `Tổng số người tham dự: ${present}.` }] : []),
        ]
      : present
        ? [{ kind: "paragraph" as const, text: `Thành phần tham dự: ${present}.` }]
        : []),
    { kind: "paragraph", text: `Chủ trì: ${stop(withTitle(m.chair_name, m.chair_title))}` },
    { kind: "paragraph", text: `Thư ký (người ghi biên bản): ${stop(withTitle(m.secretary_name, m.secretary_title))}` },
    { kind: "heading", level: 2, text: "1. Nội dung, diễn biến" },
    ...textBlocks(m.agenda),
    { kind: "heading", level: 2, text: "2. Ý kiến phát biểu" },
    ...(m.opinions.trim() ? textBlocks(m.opinions) : [{ kind: "paragraph" as const, text: "Không có ý kiến khác." }]),
    { kind: "heading", level: 2, text: "3. Kết luận của người chủ trì" },
    ...textBlocks(m.conclusions),
    {
      kind: "paragraph",
      text: `${gathering} kết thúc vào ${clockLine(m.ended_at, e.starts_on)}, biên bản đã được thông qua./.`,
    },
  ];
  return {
    superior: null,
    issuer: ["ỦY BAN NHÂN DÂN", ward.name.toLocaleUpperCase("vi")],
    number: null,
    symbol: MINUTES_SYMBOL,
    place: ward.place,
    date: e.starts_on,
    year: Number(e.starts_on.slice(0, 4)),
    dated: false,
    type: "BIÊN BẢN",
    title: e.title,
    addressees: [],
    basis: [],
    body,
    signature: { authority: null, onBehalfOf: null, position: "CHỦ TRÌ", name: m.chair_name },
    countersignature: { authority: null, onBehalfOf: null, position: "THƯ KÝ", name: m.secretary_name },
    distribution: [e.org_unit_name, "Lưu: VT, hồ sơ"],
  };
}
