/**
 * The ward radio (issue 10 §3), pure rules: the bulletin's statuses and slots, who may take which step, what the
 * public hears. A bulletin is drafted by a unit, reviewed by the office and approved by a leader (its audio is then
 * made in the background); logging its broadcast marks it aired and writes its one ledger activity, whose audience
 * is the listens (lượt nghe) estimated from the clusters it went through; withdrawing it takes the activity back.
 */
import type { Role } from "../../core/auth/roles.ts";

export const BULLETIN_STATUSES = {
  draft: "Dự thảo",
  submitted: "Chờ Văn phòng xem xét",
  reviewed: "Chờ lãnh đạo duyệt",
  approved: "Đã duyệt, chờ phát",
  aired: "Đã phát",
  withdrawn: "Đã hủy",
} as const;
export type BulletinStatus = keyof typeof BULLETIN_STATUSES;

export const SLOTS = { morning: "Buổi sáng", noon: "Buổi trưa", evening: "Buổi chiều tối" } as const;
export type Slot = keyof typeof SLOTS;

export const AUDIO_STATES = {
  none: "Chưa có",
  queued: "Đang tạo âm thanh",
  ready: "Sẵn sàng",
  failed: "Tạo âm thanh không thành công",
  unavailable: "Máy chủ chưa cài espeak-ng: hãy tải lên bản ghi âm",
} as const;

/** Limits of a bulletin: items, one item's title and script, the whole reading. */
export const MAX_ITEMS = 12;
export const FORM_ITEMS = 6;
export const MAX_SCRIPT = 5000;
export const MAX_TOTAL = 30000;

export interface RadioUser {
  role: Role;
  org_unit_id: number | null;
}

/** Whether a user writes for this unit: the office and admins for any, an officer for their own unit. */
export function writesFor(user: RadioUser, orgUnitId: number): boolean {
  if (user.role === "admin" || user.role === "coordinator") return true;
  return user.role === "officer" && user.org_unit_id === orgUnitId;
}

const office = (u: RadioUser) => u.role === "admin" || u.role === "coordinator";

export type BulletinStep = "submit" | "review" | "send_back" | "approve" | "air" | "withdraw";

export const STEPS: Record<
  BulletinStep,
  {
    from: readonly BulletinStatus[];
    to: BulletinStatus;
    what: string;
    allowed: (u: RadioUser, orgUnitId: number) => boolean;
  }
> = {
  submit: { from: ["draft"], to: "submitted", what: "trình", allowed: writesFor },
  review: { from: ["submitted"], to: "reviewed", what: "xem xét", allowed: office },
  send_back: {
    from: ["submitted", "reviewed"],
    to: "draft",
    what: "trả lại",
    allowed: (u) => office(u) || u.role === "leader",
  },
  approve: { from: ["reviewed"], to: "approved", what: "duyệt", allowed: (u) => u.role === "leader" },
  air: { from: ["approved"], to: "aired", what: "ghi nhận đã phát", allowed: writesFor },
  withdraw: {
    from: ["draft", "submitted", "reviewed", "approved", "aired"],
    to: "withdrawn",
    what: "hủy",
    allowed: (u) => office(u) || u.role === "leader",
  },
};

export function stepsOpenTo(user: RadioUser, b: { status: string; org_unit_id: number }): BulletinStep[] {
  return (Object.keys(STEPS) as BulletinStep[]).filter((s) => {
    const step = STEPS[s];
    return (step.from as readonly string[]).includes(b.status) && step.allowed(user, b.org_unit_id);
  });
}

/** Heard by the public: approved (to be aired) or aired. */
export const isPublic = (b: { status: string }) => b.status === "approved" || b.status === "aired";

/** The estimated listens of a broadcast: the sum of its clusters' audiences. */
export const listensOf = (clusters: readonly { audience: number }[]) =>
  clusters.reduce((sum, c) => sum + c.audience, 0);
