/** Every query of the feedback feature. Personal data (feedback_senders) is joined in one place only: the staff list. */
import { type Kysely, sql, type Transaction } from "kysely";
import type { Database } from "../../core/db/schema.ts";
import { forUnits, type UnitIds } from "../../core/db/unit-filter.ts";

type Q = Kysely<Database> | Transaction<Database>;

export interface NewItem {
  wardId: number;
  code: string;
  subject: string;
  contentType: string;
  procedureCode: string | null;
  content: string;
  channel: string;
  receivedAt: string;
  idempotencyKey: string | null;
  /** The staff member who entered it (desk, phone, letter, Front); null when the sender used the web. */
  enteredBy: number | null;
}

export interface NewSender {
  name: string;
  address: string;
  phone: string;
  email: string | null;
  consentAt: string;
  consentText: string;
}

/** The code of the item a ward already filed under this idempotency key, if any. */
export async function codeByIdempotencyKey(db: Q, wardId: number, key: string): Promise<string | null> {
  const row = await db
    .selectFrom("feedback_items")
    .select("code")
    .where("ward_id", "=", wardId)
    .where("idempotency_key", "=", key)
    .executeTakeFirst();
  return row?.code ?? null;
}

/** Insert an item and its sender; returns the item's id. */
export async function insertItem(trx: Q, item: NewItem, sender: NewSender): Promise<number> {
  const { id } = await trx
    .insertInto("feedback_items")
    .values({
      ward_id: item.wardId,
      code: item.code,
      subject: item.subject,
      content_type: item.contentType,
      procedure_code: item.procedureCode,
      content: item.content,
      status: "received",
      channel: item.channel,
      received_at: item.receivedAt,
      idempotency_key: item.idempotencyKey,
      entered_by: item.enteredBy,
    })
    .returning("id")
    .executeTakeFirstOrThrow();
  await trx
    .insertInto("feedback_senders")
    .values({
      feedback_id: id,
      name: sender.name,
      address: sender.address,
      phone: sender.phone,
      email: sender.email,
      consent_at: sender.consentAt,
      consent_text: sender.consentText,
    })
    .execute();
  return id;
}

/** One item by code and the sender's phone: both must match, in one query, so a wrong code and a wrong phone look the same. */
export function findByCodeAndPhone(db: Q, code: string, phone: string) {
  return db
    .selectFrom("feedback_items")
    .innerJoin("feedback_senders", "feedback_senders.feedback_id", "feedback_items.id")
    .select([
      "feedback_items.id",
      "feedback_items.code",
      "feedback_items.status",
      "feedback_items.received_at",
      "feedback_items.due_on",
      "feedback_items.reason",
      "feedback_items.forwarded_to",
      "feedback_items.answer_final",
      "feedback_items.published_at",
    ])
    .where("feedback_items.code", "=", code)
    .where("feedback_senders.phone", "=", phone)
    .executeTakeFirst();
}

/**
 * A ward's items with their senders' name and phone (lists mask the phone), newest first: for authorised staff
 * only; `unitId`: only the items assigned to that unit (an officer's list).
 */
/**
 * A staff list's filter: received between two instants, on a channel (all optional); or `ids`, the items a
 * report's figure counts (feedback.figures.ts), then of `wardIds` (the ward and its predecessors, as reports count).
 */
export interface FeedbackListFilter {
  receivedFrom?: string;
  receivedTo?: string;
  channel?: string;
  ids?: number[];
  wardIds?: number[];
}

export function listWithSenders(
  db: Q,
  wardId: number,
  unitId: number | null,
  limit: number,
  filter: FeedbackListFilter = {},
) {
  let query = db
    .selectFrom("feedback_items")
    .innerJoin("feedback_senders", "feedback_senders.feedback_id", "feedback_items.id")
    .select([
      "feedback_items.id",
      "feedback_items.code",
      "feedback_items.subject",
      "feedback_items.content_type",
      "feedback_items.procedure_code",
      "feedback_items.content",
      "feedback_items.status",
      "feedback_items.channel",
      "feedback_items.received_at",
      "feedback_items.due_on",
      "feedback_senders.name",
      "feedback_senders.phone",
      "feedback_senders.erased_at",
      "feedback_senders.erased_reason",
    ])
    .where("feedback_items.ward_id", "in", filter.ids ? (filter.wardIds ?? [wardId]) : [wardId]);
  if (filter.ids) query = query.where("feedback_items.id", "in", filter.ids.length ? filter.ids : [0]);
  if (unitId != null) query = query.where("feedback_items.assigned_unit_id", "=", unitId);
  if (filter.receivedFrom) query = query.where("feedback_items.received_at", ">=", filter.receivedFrom);
  if (filter.receivedTo) query = query.where("feedback_items.received_at", "<=", filter.receivedTo);
  if (filter.channel) query = query.where("feedback_items.channel", "=", filter.channel);
  return query
    .orderBy("feedback_items.received_at", "desc")
    .orderBy("feedback_items.id", "desc")
    .limit(limit)
    .execute();
}

// --- The staff workflow ----------------------------------------------------------------------------------------

/** One item of a ward with its sender and assigned unit: for staff handling it. */
export function itemForStaff(db: Q, wardId: number, id: number) {
  return db
    .selectFrom("feedback_items")
    .innerJoin("feedback_senders", "feedback_senders.feedback_id", "feedback_items.id")
    .leftJoin("org_units", "org_units.id", "feedback_items.assigned_unit_id")
    .leftJoin("users", "users.id", "feedback_items.approved_by")
    .leftJoin("users as entrant", "entrant.id", "feedback_items.entered_by")
    .selectAll("feedback_items")
    .select([
      "feedback_senders.name",
      "feedback_senders.address",
      "feedback_senders.phone",
      "feedback_senders.email",
      "feedback_senders.erased_at",
      "feedback_senders.erased_reason",
      "org_units.name as unit_name",
      "users.display_name as approver_name",
      "entrant.display_name as entered_by_name",
    ])
    .where("feedback_items.ward_id", "=", wardId)
    .where("feedback_items.id", "=", id)
    .executeTakeFirst();
}

/** An item's steps, oldest first. */
export function stepsOf(db: Q, itemId: number) {
  return db
    .selectFrom("feedback_steps")
    .select(["from_status", "to_status", "at", "actor", "note", "round"])
    .where("item_id", "=", itemId)
    .orderBy("at")
    .orderBy("id")
    .execute();
}

export type ItemChanges = Partial<{
  classification: string;
  reason: string;
  forwarded_to: string;
  assigned_unit_id: number;
  due_on: string;
  answer_draft: string;
  answer_final: string;
  approved_by: number;
  published_at: string;
  public_content: string;
  public_answer: string;
  public_id: string;
  return_reason: string;
  /** A new round: only a send-back starts one. */
  round: number;
}>;

/**
 * Move an item from one status to the next, only if it is still in `from` in the same `round` (the conditional
 * UPDATE that makes concurrent requests race on the database; the round keeps a request made on a draft that was
 * since sent back and redrafted from acting on the new one); true when this call moved it.
 */
export async function moveItem(
  trx: Q,
  wardId: number,
  id: number,
  from: { status: string; round: number },
  to: string,
  changes: ItemChanges,
): Promise<boolean> {
  const r = await trx
    .updateTable("feedback_items")
    .set({ ...changes, status: to })
    .where("id", "=", id)
    .where("ward_id", "=", wardId)
    .where("status", "=", from.status)
    .where("round", "=", from.round)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

export async function insertStep(
  trx: Q,
  step: {
    itemId: number;
    from: string;
    to: string;
    at: string;
    userId: number | null;
    actor: string;
    note: string | null;
    round: number;
  },
): Promise<void> {
  await trx
    .insertInto("feedback_steps")
    .values({
      item_id: step.itemId,
      from_status: step.from,
      to_status: step.to,
      at: step.at,
      user_id: step.userId,
      actor: step.actor,
      note: step.note,
      round: step.round,
    })
    .execute();
}

/** The holiday calendar's entries (editable data). */
export function holidayEntries(db: Q) {
  return db.selectFrom("holidays").select(["date", "kind", "name"]).orderBy("date").execute();
}

/** A unit of the ward, if it is one. */
export function wardUnit(db: Q, wardId: number, unitId: number) {
  return db
    .selectFrom("org_units")
    .select(["id", "name"])
    .where("ward_id", "=", wardId)
    .where("id", "=", unitId)
    .executeTakeFirst();
}

/** The ward's units, for the assign form. */
export function wardUnits(db: Q, wardId: number) {
  return db.selectFrom("org_units").select(["id", "name"]).where("ward_id", "=", wardId).orderBy("name").execute();
}

// --- Attachments ------------------------------------------------------------------------------------------------

/** Link a stored file to an item. */
export async function linkFile(trx: Q, feedbackId: number, fileId: number): Promise<void> {
  await trx.insertInto("feedback_files").values({ feedback_id: feedbackId, file_id: fileId }).execute();
}

/** An item's files, in the order they were sent. */
export function filesOf(db: Q, feedbackId: number) {
  return db
    .selectFrom("feedback_files")
    .innerJoin("stored_files", "stored_files.id", "feedback_files.file_id")
    .select(["stored_files.id", "stored_files.original_name", "stored_files.mime", "stored_files.size"])
    .where("feedback_files.feedback_id", "=", feedbackId)
    .orderBy("feedback_files.id")
    .execute();
}

/** The id of a ward's item by its code. */
export async function idByCode(db: Q, wardId: number, code: string): Promise<number | null> {
  const row = await db
    .selectFrom("feedback_items")
    .select("id")
    .where("ward_id", "=", wardId)
    .where("code", "=", code)
    .executeTakeFirst();
  return row?.id ?? null;
}

/**
 * Feedback figures of these units over a period, counted in the database by the rule of the ward's report
 * (feedback.figures.ts `countFeedback`; set-based, for the province roll-up): received in the period; answers published
 * in it, and of them those published by the end of their due day; items in the ward's competence due before the
 * period's end, received by then and not answered by then. Instants are stored as ISO UTC text, so a Vietnamese day is
 * a range of such text: published by the end of day D (Vietnam) is published ≤ D "T16:59:59.999Z".
 */
export async function feedbackCounts(
  db: Q,
  unitIds: UnitIds,
  period: { from: string; to: string },
  start: string,
  end: string,
) {
  const rows = await db
    .selectFrom("feedback_items")
    .select([
      "ward_id",
      sql<number | string>`sum(case when received_at >= ${start} and received_at <= ${end} then 1 else 0 end)`.as(
        "received",
      ),
      sql<number | string>`sum(case when published_at >= ${start} and published_at <= ${end}
        and (due_on is null or published_at <= due_on || 'T16:59:59.999Z') then 1 else 0 end)`.as("on_time"),
      sql<number | string>`sum(case when classification = 'in_scope' and due_on is not null and due_on < ${period.to}
        and (published_at is null or published_at > ${end}) then 1 else 0 end)`.as("overdue"),
    ])
    .where(forUnits("ward_id", unitIds))
    .where("received_at", "<=", end)
    .where((eb) => eb.or([eb("published_at", "is", null), eb("published_at", ">=", start)]))
    .groupBy("ward_id")
    .execute();
  return rows.map((r) => ({
    unitId: Number(r.ward_id),
    received: Number(r.received),
    answeredOnTime: Number(r.on_time),
    overdue: Number(r.overdue),
  }));
}
