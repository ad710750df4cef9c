/**
 * Roles and what each may do: declared once, checked before every domain call. An account belongs to a ward or to a
 * province (owners.ts `isProvinceAccount`); the same role names mean different rights at each level, so a province's
 * leader never passes a ward's check and a ward's leader never a province's.
 */
import { isProvinceAccount } from "./owners.ts";

export const ROLES = {
  admin: "Quản trị viên",
  leader: "Lãnh đạo (phê duyệt, ký)",
  coordinator: "Điều phối (Văn phòng)",
  officer: "Cán bộ đơn vị",
  viewer: "Cấp tỉnh, chỉ xem",
} as const;
export type Role = keyof typeof ROLES;

/** The roles a ward's account may have. */
export const WARD_ROLES: readonly Role[] = ["admin", "leader", "coordinator", "officer"];
/** The roles of a province's (or its department's) account, with what they mean there. */
export const PROVINCE_ROLES: Partial<Record<Role, string>> = {
  leader: "Lãnh đạo cấp tỉnh (duyệt, ký báo cáo tổng hợp)",
  coordinator: "Chuyên viên cấp tỉnh (yêu cầu báo cáo, soạn và vào sổ báo cáo tổng hợp)",
  viewer: "Cấp tỉnh, chỉ xem",
};

export type Action =
  | "plan.import"
  | "plan.read"
  | "plan.approve" // approve next year's plan drafted in the portal: leaders only
  | "task.update" // scoped: an officer only for tasks of their own unit
  | "activity.record" // scoped like task.update
  | "units.manage"
  | "users.manage"
  | "jobs.manage" // the background jobs page: its ward's jobs (every job for the deployment's operator), retry
  | "audit.read"
  | "procedures.manage" // local values, reviews, prints; import and decisions also need an operator (owners.ts)
  | "search.manage" // the synonym table of the site search
  | "survey.manage" // create satisfaction surveys (SIPAS)
  | "calendar.manage" // public holidays, make-up working days and the feedback stages' working days
  | "feedback.read" // citizens' feedback with the senders' personal data
  | "feedback.open" // one item, to those handling it: an officer only when it is assigned to their unit
  | "feedback.handle" // register, classify, assign to a unit, publish
  | "feedback.draft" // draft the answer; scoped: an officer only for items assigned to their unit
  | "feedback.approve" // approve the answer: leaders only
  | "question.open" // the staff list and one question; an officer only those routed to their unit
  | "question.handle" // route a question to a unit, publish the approved answer
  | "question.draft" // draft the answer; scoped: an officer only for questions routed to their unit
  | "question.approve" // approve the answer: leaders only
  | "ward_profile.manage" // the ward's address, desk hours, hotline, e-mail and map link
  | "personal_data.manage" // find, export and erase a citizen's personal data; edit the consent texts
  | "report.draft" // compute a report's figures, save and correct a draft, submit it, download it (DOCX, PDF)
  | "report.approve" // approve a submitted report, publish an issued one: leaders only
  | "report.issue" // issue an approved report with the register's number (the office, văn thư)
  | "budget.edit" // a plan's budget lines; scoped: an officer only of the unit the plan gives the budget task to
  | "training.read" // the training list and commendations (staff names: never public)
  | "training.manage" // add, correct, remove training records and commendations (the office)
  | "province.read" // a province account: read every ward under its province (plans, ledger, tasks, reports)
  | "report.request" // a province account: send report requests to its wards
  | "event.read" // the staff list of conferences and meetings; each step's own rule is in events.rules.ts
  | "event.write" // create and correct a draft event; scoped: an officer only for their own unit's events
  | "document.read" // the staff pages of the legal documents library
  | "document.write" // create and complete library entries, their relations and status events, settle citations
  | "radio.read" // the staff list of radio bulletins, their scripts, readings, audio and broadcast log
  | "radio.write" // draft bulletins (an officer for their own unit), log broadcasts, the clusters and abbreviations
  | "news.read" // the staff list of articles and posters; each step's own rule is in news.rules.ts
  | "news.write"; // write and correct a draft article, record a poster; scoped: an officer only for their own unit

const MATRIX: Record<Action, readonly Role[]> = {
  "plan.import": ["admin", "coordinator"],
  "plan.read": ["admin", "leader", "coordinator", "officer"],
  "plan.approve": ["leader"],
  "task.update": ["admin", "leader", "coordinator", "officer"],
  "activity.record": ["admin", "leader", "coordinator", "officer"],
  "units.manage": ["admin", "coordinator"],
  "users.manage": ["admin"],
  "jobs.manage": ["admin"],
  "audit.read": ["admin"],
  "procedures.manage": ["admin", "coordinator"],
  "search.manage": ["admin", "coordinator"],
  "feedback.read": ["admin", "leader", "coordinator"],
  "feedback.open": ["admin", "leader", "coordinator", "officer"],
  "feedback.handle": ["admin", "coordinator"],
  "feedback.draft": ["admin", "coordinator", "officer"],
  "feedback.approve": ["leader"],
  "survey.manage": ["admin", "coordinator"],
  "calendar.manage": ["admin", "coordinator"],
  "question.open": ["admin", "leader", "coordinator", "officer"],
  "question.handle": ["admin", "coordinator"],
  "question.draft": ["admin", "coordinator", "officer"],
  "question.approve": ["leader"],
  "personal_data.manage": ["admin"],
  "report.draft": ["admin", "leader", "coordinator"],
  "report.approve": ["leader"],
  "report.issue": ["admin", "coordinator"],
  "ward_profile.manage": ["admin"],
  "budget.edit": ["admin", "coordinator", "officer"],
  "training.read": ["admin", "leader", "coordinator"],
  "training.manage": ["admin", "coordinator"],
  "province.read": [],
  "report.request": [],
  "event.read": ["admin", "leader", "coordinator", "officer"],
  "event.write": ["admin", "coordinator", "officer"],
  "document.read": ["admin", "leader", "coordinator", "officer"],
  "document.write": ["admin", "coordinator", "officer"],
  "radio.read": ["admin", "leader", "coordinator", "officer"],
  "radio.write": ["admin", "coordinator", "officer"],
  "news.read": ["admin", "leader", "coordinator", "officer"],
  "news.write": ["admin", "coordinator", "officer"],
};

/**
 * What a province's account may do: read its wards, send them report requests, and draft, approve and issue the
 * province's own roll-up report through the same report actions as a ward (the report pages serve both levels).
 * Nothing else: no ward action is open to it.
 */
const PROVINCE_MATRIX: Partial<Record<Action, readonly Role[]>> = {
  "province.read": ["leader", "coordinator", "viewer"],
  "report.request": ["leader", "coordinator"],
  "report.draft": ["leader", "coordinator"],
  "report.approve": ["leader"],
  "report.issue": ["coordinator"],
};

/** Whether a role may take an action at all (unit scope is checked separately where it applies). */
export function can(role: Role, action: Action): boolean {
  return MATRIX[action].includes(role);
}

/** Whether an account may take an action at all, by its level (a ward's or a province's) and its role. */
export function allowed(user: { role: string; ward_id: number; owner_scope: string | null }, action: Action): boolean {
  if (isProvinceAccount(user)) return PROVINCE_MATRIX[action]?.includes(user.role as Role) ?? false;
  return isRole(user.role) && can(user.role, action);
}

/** Roles limited to their own unit's work for scoped actions. */
export function isUnitScoped(role: Role): boolean {
  return role === "officer";
}

export function isRole(value: string): value is Role {
  return Object.hasOwn(ROLES, value);
}
