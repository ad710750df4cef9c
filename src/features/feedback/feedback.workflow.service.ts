/**
 * The staff workflow of a feedback item (NĐ 20/2008 Điều 9, 14, 19): register → classify (rejected with the
 * reason | forwarded to the competent body within 5 working days | in scope) → assign to a unit → draft the
 * answer → a leader approves it or sends it back with a reason (→ the unit drafts again, in a new round) →
 * publish, with the citizen's text as the public will read it (personal data masked, reviewed by staff). Each step
 * is one transaction: a conditional UPDATE (`where status = expected and round = expected`), the step row (unique
 * per item, round and status) and the audit record, so a step happens exactly once however many identical requests
 * race for it.
 */
import type { Kysely } from "kysely";
import type { Actor } from "../../core/audit.ts";
import { can, isUnitScoped, type Role } from "../../core/auth/roles.ts";
import type { Database, User } from "../../core/db/schema.ts";
import { countPersonal, findPersonal, type KnownPersonal, MASKS, redact } from "../../core/text/redact.ts";
import { vnToday } from "../../core/text/vi.ts";
import { type StepPlan, type StepResult, takeStep, type WorkflowStore } from "../../core/workflow.ts";
import { stageDaysOfWard } from "../calendar/calendar.service.ts";
import { answerEntry, recordLedgerEntry } from "../plans/ledger.ts";
import { indexPublished } from "./feedback.published.ts";
import { type ClassifyInput, STATUS_LABELS } from "./feedback.schemas.ts";
import * as q from "./feedback.sql.ts";
import { addWorkingDays, type CalendarEntry, calendarFrom, FORWARDING_LIMIT_WORKING_DAYS } from "./working-days.ts";

type Db = Kysely<Database>;
type Staff = Pick<User, "id" | "username" | "role" | "ward_id" | "org_unit_id">;

export type WorkflowResult = StepResult;

/** The steps staff take; the main one keyed by the status it starts from. */
export type StepName = "register" | "classify" | "assign" | "draft" | "approve" | "sendBack" | "publish";
const NEXT_STEP: Record<string, StepName> = {
  received: "register",
  registered: "classify",
  in_scope: "assign",
  processing: "draft",
  drafted: "approve",
  decided: "publish",
};

/** The status each step starts from (a drafted item can be approved or sent back). */
const STEP_FROM: Record<StepName, string> = {
  register: "received",
  classify: "registered",
  assign: "in_scope",
  draft: "processing",
  approve: "drafted",
  sendBack: "drafted",
  publish: "decided",
};

/** Statuses whose deadline still runs: an overdue item in one of them is highlighted. */
const OPEN = new Set(["in_scope", "processing", "drafted", "decided"]);

/** Whether an item is past its due date on `today` (both ISO dates) and still open. */
export function isOverdue(status: string, dueOn: string | null, today: string): boolean {
  return dueOn != null && OPEN.has(status) && dueOn < today;
}

const actorOf = (u: Staff): Actor => ({ userId: u.id, name: u.username, wardId: u.ward_id });

/** Whether this staff member may take this step on an item assigned to `unitId` (officers: their own unit only). */
export function mayTake(user: Staff, step: StepName, unitId: number | null): boolean {
  const role = user.role as Role;
  if (step === "approve" || step === "sendBack") return can(role, "feedback.approve");
  if (step === "draft")
    return can(role, "feedback.draft") && (role !== "officer" || (unitId != null && unitId === user.org_unit_id));
  return can(role, "feedback.handle");
}

/** A working-day date `n` days after `fromIso`, by the ward's holiday table. */
async function dueAfter(db: Db, fromIso: string, n: number): Promise<string> {
  const entries = (await q.holidayEntries(db)) as CalendarEntry[];
  return addWorkingDays(fromIso, n, calendarFrom(entries));
}

/** Feedback's tables and words for the shared step runner (src/core/workflow.ts). */
const store: WorkflowStore<Item, q.ItemChanges> = {
  entity: "feedback",
  notFound: "Không tìm thấy phản ánh, kiến nghị này.",
  wrongState: (status, what) =>
    `Phản ánh, kiến nghị đang ở trạng thái “${STATUS_LABELS[status] ?? status}”, không thể ${what}. Hãy tải lại trang.`,
  load: q.itemForStaff,
  move: q.moveItem,
  insertStep: (trx, s) => q.insertStep(trx, { ...s, itemId: s.id }),
};
type Item = NonNullable<Awaited<ReturnType<typeof q.itemForStaff>>>;

/** Move an item one step (see `takeStep`): the step's name, its words for a 409, and what it changes. */
function step(
  db: Db,
  user: Staff,
  id: number,
  name: StepName,
  what: string,
  now: Date,
  plan: (item: Item) => Promise<StepPlan<q.ItemChanges> | WorkflowResult>,
): Promise<WorkflowResult> {
  return takeStep(
    db,
    store,
    user,
    id,
    { name, what, from: STEP_FROM[name], allowed: (item) => mayTake(user, name, item.assigned_unit_id) },
    now,
    plan,
  );
}

/** Vào sổ: a received item is registered. */
export function register(db: Db, user: Staff, id: number, now: Date) {
  return step(db, user, id, "register", "vào sổ", now, async () => ({
    to: "registered",
    changes: {},
    note: null,
    after: { status: "registered" },
  }));
}

/**
 * Classify a registered item. Forwarded: due the 5th working day after receipt (the legal limit, or less if the
 * ward set less). In scope: due after the ward's "answer" stage. Rejected: closed, with the reason; no due date.
 */
export function classify(db: Db, user: Staff, id: number, input: ClassifyInput, now: Date) {
  return step(db, user, id, "classify", "phân loại", now, async (item) => {
    // The ward's own working days, else its province's, else the national defaults.
    const days = Object.fromEntries((await stageDaysOfWard(db, user.ward_id)).map((s) => [s.stage, s.working_days]));
    if (input.classification === "rejected")
      return {
        to: "rejected",
        changes: { classification: "rejected", reason: input.reason },
        note: input.reason,
        after: { status: "rejected", reason: input.reason },
      };
    if (input.classification === "forwarded") {
      const n = Math.min(days.forward ?? FORWARDING_LIMIT_WORKING_DAYS, FORWARDING_LIMIT_WORKING_DAYS);
      const due = await dueAfter(db, vnToday(new Date(item.received_at)), n);
      return {
        to: "forwarded",
        changes: { classification: "forwarded", forwarded_to: input.forwardedTo, due_on: due },
        note: input.forwardedTo,
        after: { status: "forwarded", forwardedTo: input.forwardedTo, dueOn: due },
      };
    }
    const due = await dueAfter(db, vnToday(now), days.answer ?? 10);
    return {
      to: "in_scope",
      changes: { classification: "in_scope", due_on: due },
      note: null,
      after: { status: "in_scope", dueOn: due },
    };
  });
}

/** Assign an in-scope item to one of the ward's units. */
export function assign(db: Db, user: Staff, id: number, unitId: number, now: Date) {
  return step(db, user, id, "assign", "giao đơn vị xử lý", now, async () => {
    const unit = await q.wardUnit(db, user.ward_id, unitId);
    if (!unit) return { ok: false, status: 400, errors: { unitId: "Chọn một đơn vị của phường." } };
    return {
      to: "processing",
      changes: { assigned_unit_id: unit.id },
      note: unit.name,
      after: { status: "processing", unitId: unit.id },
    };
  });
}

/** Draft the answer (officers: only for items assigned to their unit). */
export function draftAnswer(db: Db, user: Staff, id: number, answer: string, now: Date) {
  return step(db, user, id, "draft", "soạn dự thảo trả lời", now, async () => ({
    to: "drafted",
    changes: { answer_draft: answer },
    note: null,
    after: { status: "drafted", answer },
  }));
}

/** A leader approves the draft: it becomes the answer. */
export function approve(db: Db, user: Staff, id: number, now: Date) {
  return step(db, user, id, "approve", "phê duyệt", now, async (item) => ({
    to: "decided",
    changes: { answer_final: item.answer_draft ?? "", approved_by: user.id },
    note: null,
    after: { status: "decided" },
  }));
}

/**
 * A leader sends the draft back to the unit with the reason: the item is processing again, in a new round (so the
 * unit's next draft and the leader's next decision are new steps), and the draft stays for the unit to revise.
 */
export function sendBack(db: Db, user: Staff, id: number, reason: string, now: Date) {
  return step(db, user, id, "sendBack", "trả lại để sửa", now, async (item) => ({
    to: "processing",
    changes: { return_reason: reason, round: item.round + 1 },
    note: reason,
    after: { status: "processing", round: item.round + 1, reason },
  }));
}

/** The sender's own data, to find in their text (empty once erased). */
const knownOf = (item: KnownPersonal): KnownPersonal => ({
  name: item.name,
  address: item.address,
  phone: item.phone,
  email: item.email,
});

/** What the publish form offers: the citizen's text with personal data masked, and how much was masked. */
export function suggestedPublicContent(item: { content: string } & KnownPersonal) {
  const spans = findPersonal(item.content, knownOf(item));
  return { text: redact(item.content, knownOf(item)), masked: countPersonal(spans) };
}

const KIND_WORDS: Record<keyof typeof MASKS, string> = {
  name: "họ tên",
  address: "địa chỉ",
  phone: "số điện thoại",
  email: "thư điện tử",
  id: "số giấy tờ",
};

/**
 * Publish the approved answer with the citizen's text as the public will read it: `publicContent` as staff
 * reviewed it (null: the automatic redaction, for a client that sends no text). The sender's own name, address,
 * phone or e-mail left in it are refused. The sender's status page shows the answer from now on (Điều 19).
 */
export function publish(db: Db, user: Staff, id: number, publicContent: string | null, now: Date) {
  return step(db, user, id, "publish", "công bố", now, async (item) => {
    const text = publicContent ?? suggestedPublicContent(item).text;
    const left = [...new Set(findPersonal(text, knownOf(item), { patterns: false }).map((s) => KIND_WORDS[s.kind]))];
    if (left.length)
      return {
        ok: false,
        status: 400,
        errors: {
          publicContent: `Nội dung công khai còn ${left.join(", ")} của người gửi: hãy thay bằng ${MASKS.name}, ${MASKS.phone}… rồi công bố.`,
        },
      };
    return {
      to: "published",
      changes: { published_at: now.toISOString(), public_content: text },
      note: null,
      after: { status: "published", publicContent: text },
      // The answer counts in the plan's activity ledger, once, from the same transaction.
      also: async (trx) => {
        await recordLedgerEntry(trx, actorOf(user), answerEntry("feedback", item, user.id, vnToday(now)), now);
        // …and is found by the public list's and the site's search from the moment it is published.
        await indexPublished(trx, item, text);
      },
    };
  });
}

/** Whether this staff member may open an item assigned to `unitId` (and its files): an officer only their unit's. */
export function mayOpen(user: Pick<Staff, "role" | "org_unit_id">, unitId: number | null): boolean {
  if (!can(user.role as Role, "feedback.open")) return false;
  return !isUnitScoped(user.role as Role) || (unitId != null && unitId === user.org_unit_id);
}

/** One item for staff handling it, with its history, its files, the ward's units and the step this user may take next. */
export async function workflowItem(db: Db, user: Staff, id: number) {
  const item = await q.itemForStaff(db, user.ward_id, id);
  if (!item) return null;
  if (!mayOpen(user, item.assigned_unit_id)) return "forbidden" as const;
  const next = NEXT_STEP[item.status];
  const mayNext = next && mayTake(user, next, item.assigned_unit_id) ? next : null;
  return {
    item,
    steps: await q.stepsOf(db, id),
    files: await q.filesOf(db, id),
    units: await q.wardUnits(db, user.ward_id),
    next: mayNext,
    /** For the publish form: the text with personal data masked, for staff to check. */
    publicDraft: mayNext === "publish" ? suggestedPublicContent(item) : null,
  };
}
export type WorkflowItem = Exclude<NonNullable<Awaited<ReturnType<typeof workflowItem>>>, "forbidden">;
