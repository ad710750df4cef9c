/**
 * Every query of the personal-data feature. It is the one place besides the feedback and questions features that
 * reads the senders' and askers' tables (feedback_senders, question_askers): finding a person's items, exporting
 * them and erasing them are this feature's whole purpose. The consent texts live in `settings`.
 */
import type { Kysely, Transaction } from "kysely";
import type { Database } from "../../core/db/schema.ts";
import { CLOSED_FEEDBACK, CLOSED_QUESTION, type ItemKind } from "./retention.ts";

type Q = Kysely<Database> | Transaction<Database>;

/** A setting's value, or undefined when it was never set. */
export async function setting(db: Q, key: string): Promise<string | undefined> {
  const row = await db.selectFrom("settings").select("value").where("key", "=", key).executeTakeFirst();
  return row?.value;
}

/** Set a setting, whether or not it existed. */
export async function putSetting(db: Q, key: string, value: string): Promise<void> {
  await db
    .insertInto("settings")
    .values({ key, value })
    .onConflict((oc) => oc.column("key").doUpdateSet({ value }))
    .execute();
}

/** A ward's feedback items whose code, or whose sender's phone, is the one given. */
export function feedbackMatches(db: Q, wardId: number, by: { code?: string; phone?: string }) {
  let query = db
    .selectFrom("feedback_items")
    .innerJoin("feedback_senders", "feedback_senders.feedback_id", "feedback_items.id")
    .select([
      "feedback_items.id",
      "feedback_items.code",
      "feedback_items.status",
      "feedback_items.received_at",
      "feedback_items.content",
      "feedback_senders.name",
      "feedback_senders.phone",
      "feedback_senders.erased_at",
      "feedback_senders.erased_reason",
    ])
    .where("feedback_items.ward_id", "=", wardId);
  if (by.code) query = query.where("feedback_items.code", "=", by.code);
  if (by.phone) query = query.where("feedback_senders.phone", "=", by.phone);
  return query.orderBy("feedback_items.received_at", "desc").orderBy("feedback_items.id", "desc").execute();
}

/** A ward's questions whose code, or whose asker's phone, is the one given. */
export function questionMatches(db: Q, wardId: number, by: { code?: string; phone?: string }) {
  let query = db
    .selectFrom("questions")
    .innerJoin("question_askers", "question_askers.question_id", "questions.id")
    .select([
      "questions.id",
      "questions.code",
      "questions.status",
      "questions.received_at",
      "questions.question as content",
      "question_askers.name",
      "question_askers.phone",
      "question_askers.erased_at",
      "question_askers.erased_reason",
    ])
    .where("questions.ward_id", "=", wardId);
  if (by.code) query = query.where("questions.code", "=", by.code);
  if (by.phone) query = query.where("question_askers.phone", "=", by.phone);
  return query.orderBy("questions.received_at", "desc").orderBy("questions.id", "desc").execute();
}

/** Everything held about the senders of these feedback items of a ward, with the items themselves. */
export function feedbackForExport(db: Q, wardId: number, ids: number[]) {
  if (ids.length === 0) return Promise.resolve([]);
  return db
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
      "feedback_items.answer_final",
      "feedback_items.published_at",
      "feedback_senders.name",
      "feedback_senders.address",
      "feedback_senders.phone",
      "feedback_senders.email",
      "feedback_senders.consent_at",
      "feedback_senders.consent_text",
      "feedback_senders.erased_at",
      "feedback_senders.erased_reason",
    ])
    .where("feedback_items.ward_id", "=", wardId)
    .where("feedback_items.id", "in", ids)
    .orderBy("feedback_items.id")
    .execute();
}

/** Everything held about the askers of these questions of a ward, with the questions themselves. */
export function questionsForExport(db: Q, wardId: number, ids: number[]) {
  if (ids.length === 0) return Promise.resolve([]);
  return db
    .selectFrom("questions")
    .innerJoin("question_askers", "question_askers.question_id", "questions.id")
    .select([
      "questions.id",
      "questions.code",
      "questions.procedure_code",
      "questions.question",
      "questions.status",
      "questions.received_at",
      "questions.answer_final",
      "questions.published_at",
      "question_askers.name",
      "question_askers.email",
      "question_askers.phone",
      "question_askers.consent_at",
      "question_askers.consent_text",
      "question_askers.erased_at",
      "question_askers.erased_reason",
    ])
    .where("questions.ward_id", "=", wardId)
    .where("questions.id", "in", ids)
    .orderBy("questions.id")
    .execute();
}

/** The status steps of items, oldest first, without who took them (staff data, not the person's). */
export function feedbackSteps(db: Q, ids: number[]) {
  if (ids.length === 0) return Promise.resolve([]);
  return db
    .selectFrom("feedback_steps")
    .select(["item_id", "to_status", "at"])
    .where("item_id", "in", ids)
    .orderBy("at")
    .orderBy("id")
    .execute();
}

export function questionSteps(db: Q, ids: number[]) {
  if (ids.length === 0) return Promise.resolve([]);
  return db
    .selectFrom("question_steps")
    .select(["question_id as item_id", "to_status", "at"])
    .where("question_id", "in", ids)
    .orderBy("at")
    .orderBy("id")
    .execute();
}

/** An item's ward and code (any ward when `wardId` is null, for the retention purge). */
export function itemHead(db: Q, kind: ItemKind, id: number, wardId: number | null) {
  const table = kind === "feedback" ? "feedback_items" : "questions";
  let query = db.selectFrom(table).select(["id", "ward_id", "code"]).where("id", "=", id);
  if (wardId != null) query = query.where("ward_id", "=", wardId);
  return query.executeTakeFirst();
}

/**
 * Blank one person's fields and mark when and why, only if not erased yet: true when this call erased them, so
 * two concurrent erasures write one audit record.
 */
export async function erasePerson(trx: Q, kind: ItemKind, id: number, at: string, reason: string): Promise<boolean> {
  const r =
    kind === "feedback"
      ? await trx
          .updateTable("feedback_senders")
          .set({ name: "", address: "", phone: "", email: null, erased_at: at, erased_reason: reason })
          .where("feedback_id", "=", id)
          .where("erased_at", "is", null)
          .executeTakeFirst()
      : await trx
          .updateTable("question_askers")
          .set({ name: "", email: null, phone: null, erased_at: at, erased_reason: reason })
          .where("question_id", "=", id)
          .where("erased_at", "is", null)
          .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

/**
 * Closed items of every ward whose personal data is still held, with when they reached their status: the
 * retention purge's candidates (the pure `dueForErasure` decides). `before` narrows to items received before it,
 * since an item cannot close before it arrives.
 */
export async function retentionCandidates(db: Q, before: string) {
  const feedback = await db
    .selectFrom("feedback_items")
    .innerJoin("feedback_senders", "feedback_senders.feedback_id", "feedback_items.id")
    .leftJoin("feedback_steps", (j) =>
      j
        .onRef("feedback_steps.item_id", "=", "feedback_items.id")
        .onRef("feedback_steps.to_status", "=", "feedback_items.status"),
    )
    .select([
      "feedback_items.id",
      "feedback_items.ward_id",
      "feedback_items.code",
      "feedback_items.status",
      "feedback_items.received_at",
      "feedback_items.published_at",
      "feedback_steps.at as step_at",
      "feedback_senders.erased_at",
    ])
    .where("feedback_senders.erased_at", "is", null)
    .where("feedback_items.status", "in", [...CLOSED_FEEDBACK])
    .where("feedback_items.received_at", "<", before)
    .orderBy("feedback_items.id")
    .execute();
  const questions = await db
    .selectFrom("questions")
    .innerJoin("question_askers", "question_askers.question_id", "questions.id")
    .leftJoin("question_steps", (j) =>
      j
        .onRef("question_steps.question_id", "=", "questions.id")
        .onRef("question_steps.to_status", "=", "questions.status"),
    )
    .select([
      "questions.id",
      "questions.ward_id",
      "questions.code",
      "questions.status",
      "questions.received_at",
      "questions.published_at",
      "question_steps.at as step_at",
      "question_askers.erased_at",
    ])
    .where("question_askers.erased_at", "is", null)
    .where("questions.status", "in", [...CLOSED_QUESTION])
    .where("questions.received_at", "<", before)
    .orderBy("questions.id")
    .execute();
  return { feedback, questions };
}

/**
 * Detach and forget a feedback item's attachments (rows of feedback_files and stored_files): papers a citizen
 * attached are theirs — often a photo of an ID card, sensitive data. Returns the blobs' hashes, for the caller
 * to delete after the commit when no other row still points at the same content.
 */
export async function dropFeedbackFiles(trx: Q, feedbackId: number): Promise<string[]> {
  const rows = await trx
    .selectFrom("feedback_files")
    .innerJoin("stored_files", "stored_files.id", "feedback_files.file_id")
    .select(["stored_files.id", "stored_files.sha256"])
    .where("feedback_files.feedback_id", "=", feedbackId)
    .execute();
  if (rows.length === 0) return [];
  await trx.deleteFrom("feedback_files").where("feedback_id", "=", feedbackId).execute();
  await trx
    .deleteFrom("stored_files")
    .where(
      "id",
      "in",
      rows.map((r) => r.id),
    )
    .execute();
  return rows.map((r) => r.sha256);
}

/** Whether any stored file still has this content (the same bytes uploaded elsewhere share one blob). */
export async function blobInUse(db: Q, sha256: string): Promise<boolean> {
  const row = await db.selectFrom("stored_files").select("id").where("sha256", "=", sha256).executeTakeFirst();
  return row != null;
}

/** The text a person wrote (feedback content, question) with their own fields, while not yet erased. */
export async function ownText(trx: Q, kind: ItemKind, id: number) {
  if (kind === "feedback")
    return trx
      .selectFrom("feedback_items")
      .innerJoin("feedback_senders", "feedback_senders.feedback_id", "feedback_items.id")
      .select(["content as text", "name", "address", "phone", "email"])
      .where("feedback_items.id", "=", id)
      .where("feedback_senders.erased_at", "is", null)
      .executeTakeFirst();
  return trx
    .selectFrom("questions")
    .innerJoin("question_askers", "question_askers.question_id", "questions.id")
    .select(["question as text", "name", "phone", "email"])
    .where("questions.id", "=", id)
    .where("question_askers.erased_at", "is", null)
    .executeTakeFirst();
}

export async function setOwnText(trx: Q, kind: ItemKind, id: number, text: string): Promise<void> {
  if (kind === "feedback")
    await trx.updateTable("feedback_items").set({ content: text }).where("id", "=", id).execute();
  else await trx.updateTable("questions").set({ question: text }).where("id", "=", id).execute();
}

/** The files attached to these feedback items (names, types, sizes: the bytes stay on the staff's download page). */
export function feedbackFilesForExport(db: Q, ids: number[]) {
  if (ids.length === 0) return Promise.resolve([]);
  return db
    .selectFrom("feedback_files")
    .innerJoin("stored_files", "stored_files.id", "feedback_files.file_id")
    .select(["feedback_files.feedback_id", "stored_files.original_name", "stored_files.mime", "stored_files.size"])
    .where("feedback_files.feedback_id", "in", ids)
    .orderBy("feedback_files.id")
    .execute();
}
