/** Every query of the feedback feature. Personal data (feedback_senders) is joined in one place only: the staff list. */
import type { Kysely, Transaction } from "kysely";
import type { Database } from "../../core/db/schema.ts";

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
    .select(["feedback_items.code", "feedback_items.status", "feedback_items.received_at"])
    .where("feedback_items.code", "=", code)
    .where("feedback_senders.phone", "=", phone)
    .executeTakeFirst();
}

/** A ward's items with their senders, newest first: for authorised staff only. */
export function listWithSenders(db: Q, wardId: number, limit: number) {
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
      "feedback_senders.name",
      "feedback_senders.address",
      "feedback_senders.phone",
      "feedback_senders.email",
    ])
    .where("feedback_items.ward_id", "=", wardId)
    .orderBy("feedback_items.received_at", "desc")
    .orderBy("feedback_items.id", "desc")
    .limit(limit)
    .execute();
}

/** The server secret that signs the public form's tokens (made by migration 007). */
export async function formSecret(db: Q): Promise<string> {
  const row = await db
    .selectFrom("settings")
    .select("value")
    .where("key", "=", "feedback_form_secret")
    .executeTakeFirstOrThrow();
  return row.value;
}

/** A client's hits in a bucket since `since`, oldest first. */
export function hitsSince(db: Q, bucket: string, clientKey: string, since: string) {
  return db
    .selectFrom("feedback_rate_hits")
    .select("at")
    .where("bucket", "=", bucket)
    .where("client_key", "=", clientKey)
    .where("at", ">", since)
    .orderBy("at")
    .execute();
}

export async function addHit(db: Q, bucket: string, clientKey: string, at: string): Promise<void> {
  await db.insertInto("feedback_rate_hits").values({ bucket, client_key: clientKey, at }).execute();
}

/** Forget hits older than any window. */
export async function pruneHits(db: Q, before: string): Promise<void> {
  await db.deleteFrom("feedback_rate_hits").where("at", "<", before).execute();
}
