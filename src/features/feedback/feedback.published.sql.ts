/**
 * Queries of the published answers: the public list and the site-search document of each. Nothing here touches
 * feedback_senders: the public side never reads personal data.
 */
import type { Kysely, Transaction } from "kysely";
import type { Database } from "../../core/db/schema.ts";

type Q = Kysely<Database> | Transaction<Database>;

const PUBLIC_COLUMNS = [
  "feedback_items.id",
  // The public id, never `code`: the tracking code with a phone number opens the sender's own record.
  "feedback_items.public_id",
  "feedback_items.subject",
  "feedback_items.content_type",
  "feedback_items.procedure_code",
  // The reviewed public copy, never `content` (the citizen's text as typed, with their personal data).
  "feedback_items.public_content",
  // The answer's checked public copy, never `answer_final` as approved.
  "feedback_items.public_answer",
  "feedback_items.published_at",
] as const;

/** A ward's published items, newest first; `ids`: only these (a search's matches). Without a public text, none. */
function published(db: Q, wardId: number | readonly number[], ids: readonly number[] | null) {
  let query = db
    .selectFrom("feedback_items")
    .where("feedback_items.ward_id", "in", typeof wardId === "number" ? [wardId] : wardId)
    .where("feedback_items.status", "=", "published")
    .where("feedback_items.public_content", "is not", null)
    .where("feedback_items.public_answer", "is not", null)
    .where("feedback_items.public_id", "is not", null);
  if (ids) query = query.where("feedback_items.id", "in", ids.length ? ids : [-1]);
  return query;
}

/** One page of a ward's published items, newest first, and how many there are in all. */
export async function publishedPage(
  db: Q,
  wardId: number,
  ids: readonly number[] | null,
  limit: number,
  offset: number,
) {
  const rows = await published(db, wardId, ids)
    .select([...PUBLIC_COLUMNS])
    .orderBy("feedback_items.published_at", "desc")
    .orderBy("feedback_items.id", "desc")
    .limit(limit)
    .offset(offset)
    .execute();
  const { n } = await published(db, wardId, ids)
    .select((eb) => eb.fn.countAll().as("n"))
    .executeTakeFirstOrThrow();
  return { rows, total: Number(n) };
}
export type PublishedRow = Awaited<ReturnType<typeof publishedPage>>["rows"][number];

/** One published item of a ward by its public id. */
export function publishedByPublicId(db: Q, wardId: number, publicId: string) {
  return published(db, wardId, null)
    .select([...PUBLIC_COLUMNS])
    .where("feedback_items.public_id", "=", publicId)
    .executeTakeFirst();
}

/** The wards' items published after `after` (an ISO instant), newest first: what the radio bulletin reads out. */
export function publishedSince(db: Q, wardIds: readonly number[], after: string, limit: number) {
  return published(db, wardIds, null)
    .select([...PUBLIC_COLUMNS])
    .where("feedback_items.published_at", ">", after)
    .orderBy("feedback_items.published_at", "desc")
    .orderBy("feedback_items.id", "desc")
    .limit(limit)
    .execute();
}
