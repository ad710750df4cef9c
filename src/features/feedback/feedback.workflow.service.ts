/**
 * The staff workflow of a feedback item (NĐ 20/2008 Điều 9, 14, 19): register → classify (rejected with the
 * reason | forwarded to the competent body within 5 working days | in scope) → assign to a unit → draft the
 * answer → a leader approves it or sends it back with a reason (→ the unit drafts again, in a new round) →
 * publish, with the citizen's text and the answer as the public will read them (personal data masked, reviewed by
 * staff). The steps from drafting on are the answerable item's, shared with questions (src/features/answerable). Each step
 * is one transaction: a conditional UPDATE (`where status = expected and round = expected`), the step row (unique
 * per item, round and status) and the audit record, so a step happens exactly once however many identical requests
 * race for it.
 */
import type { Kysely } from "kysely";
import { can, isUnitScoped, type Role } from "../../core/auth/roles.ts";
import type { Database } from "../../core/db/schema.ts";
import { vnToday } from "../../core/text/vi.ts";
import type { StepPlan, StepResult } from "../../core/workflow.ts";
import { actorOf, answerable, type PublishInput, type Staff } from "../answerable/answerable.workflow.ts";
import { stageDaysOfWard } from "../calendar/calendar.service.ts";
import { answerEntry, recordLedgerEntry } from "../plans/ledger.ts";
import { indexPublished } from "./feedback.published.ts";
import { type ClassifyInput, STATUS_LABELS } from "./feedback.schemas.ts";
import * as q from "./feedback.sql.ts";
import { addWorkingDays, type CalendarEntry, calendarFrom, FORWARDING_LIMIT_WORKING_DAYS } from "./working-days.ts";

type Db = Kysely<Database>;

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

/** A working-day date `n` days after `fromIso`, by the ward's holiday table. */
async function dueAfter(db: Db, fromIso: string, n: number): Promise<string> {
  const entries = (await q.holidayEntries(db)) as CalendarEntry[];
  return addWorkingDays(fromIso, n, calendarFrom(entries));
}

type Item = NonNullable<Awaited<ReturnType<typeof q.itemForStaff>>>;

/** Feedback as an answerable item: its tables and words for the shared steps (src/features/answerable). */
const steps = answerable<Item, q.ItemChanges>({
  store: {
    entity: "feedback",
    notFound: "Không tìm thấy phản ánh, kiến nghị này.",
    wrongState: (status, what) =>
      `Phản ánh, kiến nghị đang ở trạng thái “${STATUS_LABELS[status] ?? status}”, không thể ${what}. Hãy tải lại trang.`,
    load: q.itemForStaff,
    move: q.moveItem,
    insertStep: (trx, s) => q.insertStep(trx, { ...s, itemId: s.id }),
  },
  permission: "feedback",
  stepFrom: STEP_FROM,
  answering: "processing",
  approved: "decided",
  known: (item) => ({ name: item.name, address: item.address, phone: item.phone, email: item.email }),
  citizenText: { field: "publicContent", label: "Nội dung phản ánh công khai", of: (item) => item.content },
  publicTextChange: (text) => ({ public_content: text }),
});

/** Whether this staff member may take this step on an item assigned to `unitId` (officers: their own unit only). */
export const mayTake = (user: Staff, step: StepName, unitId: number | null) => steps.mayTake(user, step, unitId);

/** Move an item one step (see `takeStep`): the step's name, its words for a 409, and what it changes. */
const step = (
  db: Db,
  user: Staff,
  id: number,
  name: StepName,
  what: string,
  now: Date,
  plan: (item: Item) => Promise<StepPlan<q.ItemChanges> | WorkflowResult>,
) => steps.step(db, user, id, name, what, now, plan);

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
export const draftAnswer = steps.draftAnswer;
/** A leader approves the draft: it becomes the answer. */
export const approve = steps.approve;
/** A leader sends the draft back to the unit with the reason (a new round; the item is processing again). */
export const sendBack = steps.sendBack;

/**
 * Publish the approved answer: the public copy of the citizen's text and the answer, both checked for personal data
 * (see answerable.publication.ts), under a new public id. The sender's status page shows the answer from now on
 * (Điều 19); the answer counts in the plan's activity ledger and is found by the search, from the same transaction.
 */
export function publish(db: Db, user: Staff, id: number, input: PublishInput, now: Date) {
  return steps.publish(db, user, id, input, now, async (trx, item, pub) => {
    await recordLedgerEntry(trx, actorOf(user), answerEntry("feedback", item, user.id, vnToday(now)), now);
    await indexPublished(trx, { ...item, public_id: pub.publicId }, pub.text, pub.answer);
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
    publicDraft: mayNext === "publish" ? steps.suggestedPublication(item) : null,
  };
}
export type WorkflowItem = Exclude<NonNullable<Awaited<ReturnType<typeof workflowItem>>>, "forbidden">;
