/**
 * News and good models (issue 10 §2). Pure rules: the kinds, the workflow's statuses and who may take which step. An
 * article is written by a unit, reviewed by the office (coordinator), approved by a leader, who publishes it at once
 * or at a time set; published, it counts in the ledger (audience: its page views) until it is withdrawn.
 */
import type { Role } from "../../core/auth/roles.ts";

export const NEWS_KINDS = {
  news: "Tin, bài",
  model: "Mô hình, điển hình tốt",
} as const;
export type NewsKind = keyof typeof NEWS_KINDS;

export const NEWS_STATUSES = {
  draft: "Dự thảo",
  submitted: "Chờ Văn phòng xem xét",
  reviewed: "Chờ lãnh đạo duyệt",
  scheduled: "Đã duyệt, chờ đăng theo lịch",
  published: "Đã đăng",
  withdrawn: "Đã gỡ",
} as const;
export type NewsStatus = keyof typeof NEWS_STATUSES;

export interface NewsUser {
  role: Role;
  org_unit_id: number | null;
}

/** Whether a user writes for this unit: the office and admins for any, an officer for their own unit. */
export function writesFor(user: NewsUser, orgUnitId: number): boolean {
  if (user.role === "admin" || user.role === "coordinator") return true;
  return user.role === "officer" && user.org_unit_id === orgUnitId;
}

export type NewsStep = "submit" | "review" | "send_back" | "approve" | "withdraw";

const office = (u: NewsUser) => u.role === "admin" || u.role === "coordinator";

/** The steps' source statuses, target (approve: published or scheduled, decided by its time) and who may take them. */
export const STEPS: Record<
  NewsStep,
  { from: readonly NewsStatus[]; to: NewsStatus; what: string; allowed: (u: NewsUser, orgUnitId: number) => boolean }
> = {
  submit: { from: ["draft"], to: "submitted", what: "trình", allowed: writesFor },
  review: { from: ["submitted"], to: "reviewed", what: "xem xét", allowed: office },
  send_back: {
    from: ["submitted", "reviewed"],
    to: "draft",
    what: "trả lại",
    allowed: (u) => office(u) || u.role === "leader",
  },
  approve: { from: ["reviewed"], to: "published", what: "duyệt", allowed: (u) => u.role === "leader" },
  withdraw: {
    from: ["draft", "submitted", "reviewed", "scheduled", "published"],
    to: "withdrawn",
    what: "gỡ",
    allowed: (u) => office(u) || u.role === "leader",
  },
};

/** The steps this user may take on an article now (the buttons on its page). */
export function stepsOpenTo(user: NewsUser, a: { status: string; org_unit_id: number }): NewsStep[] {
  return (Object.keys(STEPS) as NewsStep[]).filter((s) => {
    const step = STEPS[s];
    return (step.from as readonly string[]).includes(a.status) && step.allowed(user, a.org_unit_id);
  });
}

export const POSTER_KINDS = {
  banner: "Băng rôn",
  panel: "Pa nô",
  poster: "Áp phích",
} as const;
export type PosterKind = keyof typeof POSTER_KINDS;
