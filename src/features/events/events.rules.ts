/**
 * Events (issue 10 §4): conferences, residents' and union meetings, and meetings with a reform item. Pure rules: the
 * kinds and the ledger channel each counts under, the attendance groups, the workflow's statuses and who may take
 * which step. An event is announced to the public once a leader approves it; it counts in the ledger once it is
 * marked held (with the people present), and stops counting if it is withdrawn.
 */
import type { Role } from "../../core/auth/roles.ts";
import type { ChannelKind } from "../plans/plan-draft.ts";

export const EVENT_KINDS = {
  conference: "Hội nghị, tập huấn",
  residential: "Sinh hoạt khu dân cư, tổ dân phố",
  union: "Sinh hoạt Mặt trận, đoàn thể",
  integrated: "Cuộc họp có lồng ghép nội dung cải cách hành chính",
} as const;
export type EventKind = keyof typeof EVENT_KINDS;

/** The ledger channel an event of this kind counts under (the national list of plan-draft.ts). */
export const CHANNEL_OF_KIND: Record<EventKind, ChannelKind> = {
  conference: "conference",
  residential: "community_meeting",
  union: "community_meeting",
  integrated: "meeting_integration",
};

/** Who was present, counted by group: the audience a held event adds to the ledger is their sum. */
export const ATTENDANCE_GROUPS = {
  officials: "Cán bộ, công chức",
  members: "Hội viên, đoàn viên",
  residents: "Người dân",
  others: "Thành phần khác",
} as const;
export type AttendanceGroup = keyof typeof ATTENDANCE_GROUPS;
export type Attendance = Partial<Record<AttendanceGroup, number>>;

export const EVENT_STATUSES = {
  draft: "Dự thảo",
  submitted: "Chờ Văn phòng xem xét",
  reviewed: "Chờ lãnh đạo duyệt",
  approved: "Đã duyệt, thông báo công khai",
  held: "Đã tổ chức",
  withdrawn: "Đã hủy",
} as const;
export type EventStatus = keyof typeof EVENT_STATUSES;

export const attendedTotal = (a: Attendance): number => Object.values(a).reduce((sum: number, n) => sum + (n ?? 0), 0);

export interface EventUser {
  role: Role;
  org_unit_id: number | null;
}

/** Whether a user writes for this organising unit: the office and admins for any, an officer for their own unit. */
export function writesFor(user: EventUser, orgUnitId: number): boolean {
  if (user.role === "admin" || user.role === "coordinator") return true;
  return user.role === "officer" && user.org_unit_id === orgUnitId;
}

export type EventStep = "submit" | "review" | "send_back" | "approve" | "hold" | "withdraw";

/** The steps' source status, target status and who may take them. */
export const STEPS: Record<
  EventStep,
  { from: readonly EventStatus[]; to: EventStatus; what: string; allowed: (u: EventUser, orgUnitId: number) => boolean }
> = {
  submit: { from: ["draft"], to: "submitted", what: "trình", allowed: writesFor },
  review: {
    from: ["submitted"],
    to: "reviewed",
    what: "xem xét",
    allowed: (u) => u.role === "admin" || u.role === "coordinator",
  },
  send_back: {
    from: ["submitted", "reviewed"],
    to: "draft",
    what: "trả lại",
    allowed: (u) => u.role === "admin" || u.role === "coordinator" || u.role === "leader",
  },
  approve: { from: ["reviewed"], to: "approved", what: "duyệt", allowed: (u) => u.role === "leader" },
  hold: { from: ["approved"], to: "held", what: "ghi nhận đã tổ chức", allowed: writesFor },
  withdraw: {
    from: ["draft", "submitted", "reviewed", "approved", "held"],
    to: "withdrawn",
    what: "hủy",
    allowed: (u) => u.role === "admin" || u.role === "coordinator" || u.role === "leader",
  },
};

/** The steps this user may take on an event now (the buttons on its page). */
export function stepsOpenTo(user: EventUser, e: { status: string; org_unit_id: number }): EventStep[] {
  return (Object.keys(STEPS) as EventStep[]).filter((s) => {
    const step = STEPS[s];
    return (step.from as readonly string[]).includes(e.status) && step.allowed(user, e.org_unit_id);
  });
}

/** Announced to the public: approved, held, or cancelled after it was announced (calendars must learn of it). */
export const isPublic = (e: { status: string; announced: boolean }) =>
  e.status === "approved" || e.status === "held" || (e.status === "withdrawn" && e.announced);
