/**
 * The search feature owns `search_docs`: every feature that makes something findable (procedures, published
 * feedback answers, FAQ entries) writes its documents through here, inside its own transaction, so the rows and
 * their sequence numbers follow one rule. Each process's in-memory index applies the rows above the last `seq` it saw.
 */
import type { Kysely, Transaction } from "kysely";
import type { Database } from "../../core/db/schema.ts";

type Q = Kysely<Database> | Transaction<Database>;

/** A document as stored: `scope` already in its text form (see `scopeText`). */
export interface StoredSearchDoc {
  key: string;
  kind: string;
  title: string;
  body: string;
  keywords: string;
  url: string;
  scope: string;
  deleted?: boolean;
}

/** The next search sequence number: every changed search document takes a new, higher one. */
export async function nextSearchSeq(db: Q): Promise<number> {
  const r = await db
    .selectFrom("search_docs")
    .select((e) => e.fn.max("seq").as("m"))
    .executeTakeFirst();
  return Number(r?.m ?? 0) + 1;
}

/** Write (or rewrite, or mark deleted) one document with sequence number `seq`; call inside the caller's transaction. */
export async function writeSearchDoc(trx: Q, doc: StoredSearchDoc, seq: number): Promise<void> {
  const values = {
    kind: doc.kind,
    title: doc.title,
    body: doc.body,
    keywords: doc.keywords,
    url: doc.url,
    scope: doc.scope,
    deleted: doc.deleted ? 1 : 0,
    seq,
  };
  const found = await trx.selectFrom("search_docs").select("id").where("doc_key", "=", doc.key).executeTakeFirst();
  if (found) await trx.updateTable("search_docs").set(values).where("id", "=", found.id).execute();
  else
    await trx
      .insertInto("search_docs")
      .values({ ...values, doc_key: doc.key })
      .execute();
}

/** The document a ward pinned as the first answer to a query (its folded key), if any: one indexed row. */
export async function bestBetOf(db: Q, unitId: number, queryKey: string): Promise<string | null> {
  const row = await db
    .selectFrom("search_best_bets")
    .select("doc_key")
    .where("unit_id", "=", unitId)
    .where("query_key", "=", queryKey)
    .executeTakeFirst();
  return row?.doc_key ?? null;
}

/** The documents a ward pinned for these queries (folded keys), in one read: query key → document key. */
export async function bestBetsOf(db: Q, unitId: number, queryKeys: readonly string[]): Promise<Map<string, string>> {
  if (!queryKeys.length) return new Map();
  const rows = await db
    .selectFrom("search_best_bets")
    .select(["query_key", "doc_key"])
    .where("unit_id", "=", unitId)
    .where("query_key", "in", [...new Set(queryKeys)])
    .execute();
  return new Map(rows.map((r) => [r.query_key, r.doc_key]));
}
