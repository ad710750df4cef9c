/**
 * Queries of the published answers: the public list and the site-search document of each. Nothing here touches
 * feedback_senders: the public side never reads personal data.
 */
import type { Kysely, Transaction } from "kysely";
import type { Database } from "../../core/db/schema.ts";

type Q = Kysely<Database> | Transaction<Database>;

const PUBLIC_COLUMNS = [
  "feedback_items.id",
  "feedback_items.code",
  "feedback_items.subject",
  "feedback_items.content_type",
  "feedback_items.procedure_code",
  // The reviewed public copy, never `content` (the citizen's text as typed, with their personal data).
  "feedback_items.public_content",
  "feedback_items.answer_final",
  "feedback_items.published_at",
] as const;

/** A ward's published items, newest first; `ids`: only these (a search's matches). Without a public text, none. */
function published(db: Q, wardId: number, ids: readonly number[] | null) {
  let query = db
    .selectFrom("feedback_items")
    .where("feedback_items.ward_id", "=", wardId)
    .where("feedback_items.status", "=", "published")
    .where("feedback_items.public_content", "is not", null);
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

/** One published item of a ward by its code. */
export function publishedByCode(db: Q, wardId: number, code: string) {
  return published(db, wardId, null)
    .select([...PUBLIC_COLUMNS])
    .where("feedback_items.code", "=", code)
    .executeTakeFirst();
}

/** The next `search_docs.seq`: search servers apply rows above the last one they saw. */
async function nextSearchSeq(db: Q): Promise<number> {
  const r = await db
    .selectFrom("search_docs")
    .select((e) => e.fn.max("seq").as("m"))
    .executeTakeFirst();
  return Number(r?.m ?? 0) + 1;
}

/** Write (or rewrite) a published item's search document; call inside the publishing transaction. */
export async function upsertSearchDoc(
  trx: Q,
  doc: { key: string; title: string; body: string; keywords: string; url: string; scope: string },
): Promise<void> {
  const values = {
    kind: "feedback",
    title: doc.title,
    body: doc.body,
    keywords: doc.keywords,
    url: doc.url,
    scope: doc.scope,
    deleted: 0,
    seq: await nextSearchSeq(trx),
  };
  const found = await trx.selectFrom("search_docs").select("id").where("doc_key", "=", doc.key).executeTakeFirst();
  if (found) await trx.updateTable("search_docs").set(values).where("id", "=", found.id).execute();
  else
    await trx
      .insertInto("search_docs")
      .values({ ...values, doc_key: doc.key })
      .execute();
}
