/**
 * The personal-data side of feedback, for the privacy feature (find a person's items, export, erase, retention): the
 * only queries outside this feature that touch the senders (feedback_senders) and the attachments. Kept here so the feature that owns the tables owns their SQL.
 */
import type { Kysely, Transaction } from "kysely";
import type { Database } from "../../core/db/schema.ts";
import { CLOSED_FEEDBACK } from "./feedback.schemas.ts";

type Q = Kysely<Database> | Transaction<Database>;

/** A ward's feedback items whose code, or whose sender's phone, is the one given. */
export function matchesOfPerson(db: Q, wardId: number, by: { code?: string; phone?: string }) {
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

/** Everything held about the senders of these feedback items of a ward, with the items themselves. */
export function forExport(db: Q, wardId: number, ids: number[]) {
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

/** The status steps of items, oldest first, without who took them (staff data, not the person's). */
export function stepsForExport(db: Q, ids: number[]) {
  if (ids.length === 0) return Promise.resolve([]);
  return db
    .selectFrom("feedback_steps")
    .select(["item_id", "to_status", "at"])
    .where("item_id", "in", ids)
    .orderBy("at")
    .orderBy("id")
    .execute();
}

/** The files attached to these feedback items (names, types, sizes: the bytes stay on the staff's download page). */
export function filesForExport(db: Q, ids: number[]) {
  if (ids.length === 0) return Promise.resolve([]);
  return db
    .selectFrom("feedback_files")
    .innerJoin("stored_files", "stored_files.id", "feedback_files.file_id")
    .select(["feedback_files.feedback_id", "stored_files.original_name", "stored_files.mime", "stored_files.size"])
    .where("feedback_files.feedback_id", "in", ids)
    .orderBy("feedback_files.id")
    .execute();
}

/**
 * Detach and forget a feedback item's attachments (rows of feedback_files and stored_files): papers a citizen
 * attached are theirs — often a photo of an ID card, sensitive data. Returns the blobs' hashes, for the caller
 * to delete after the commit when no other row still points at the same content.
 */
export async function dropFiles(trx: Q, feedbackId: number): Promise<string[]> {
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

/** An item's ward and code (any ward when `wardId` is null, for the retention purge). */
export function head(db: Q, id: number, wardId: number | null) {
  let query = db.selectFrom("feedback_items").select(["id", "ward_id", "code"]).where("id", "=", id);
  if (wardId != null) query = query.where("ward_id", "=", wardId);
  return query.executeTakeFirst();
}

/** Blank the sender's fields and mark when and why, only if not erased yet: true when this call erased them. */
export async function erase(trx: Q, id: number, at: string, reason: string): Promise<boolean> {
  const r = await trx
    .updateTable("feedback_senders")
    .set({ name: "", address: "", phone: "", email: null, erased_at: at, erased_reason: reason })
    .where("feedback_id", "=", id)
    .where("erased_at", "is", null)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

/** The text the sender wrote, with their own fields, while not yet erased. */
export function ownText(trx: Q, id: number) {
  return trx
    .selectFrom("feedback_items")
    .innerJoin("feedback_senders", "feedback_senders.feedback_id", "feedback_items.id")
    .select(["content as text", "name", "address", "phone", "email"])
    .where("feedback_items.id", "=", id)
    .where("feedback_senders.erased_at", "is", null)
    .executeTakeFirst();
}

export async function setOwnText(trx: Q, id: number, text: string): Promise<void> {
  await trx.updateTable("feedback_items").set({ content: text }).where("id", "=", id).execute();
}

/**
 * Closed items of every ward whose personal data is still held, with when they reached their status: the
 * retention purge's candidates (the pure `dueForErasure` decides). `before` narrows to items received before it.
 */
export function retentionCandidates(db: Q, before: string) {
  return db
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
}
