/** The library's SQL, in one place. Every read names the wards whose entries it may see; every write the owner. */
import type { Insertable, Kysely, Transaction, Updateable } from "kysely";
import type { Database, LegalDocumentTable, LegalMentionTable } from "../../core/db/schema.ts";

type Q = Kysely<Database> | Transaction<Database>;

export function documentOf(db: Q, wardIds: readonly number[], id: number) {
  return db
    .selectFrom("legal_documents")
    .selectAll()
    .where("ward_id", "in", wardIds)
    .where("id", "=", id)
    .executeTakeFirst();
}
export type DocumentRow = NonNullable<Awaited<ReturnType<typeof documentOf>>>;

/** The wards' entries, newest first (issue date, then entry). */
export function documentsOf(db: Q, wardIds: readonly number[]) {
  return db
    .selectFrom("legal_documents")
    .selectAll()
    .where("ward_id", "in", wardIds)
    .orderBy("issued_on", "desc")
    .orderBy("year", "desc")
    .orderBy("id", "desc")
    .limit(5000)
    .execute();
}

export async function insertDocument(db: Q, row: Insertable<LegalDocumentTable>): Promise<number> {
  const r = await db.insertInto("legal_documents").values(row).returning("id").executeTakeFirstOrThrow();
  return Number(r.id);
}

export async function updateDocument(db: Q, wardId: number, id: number, changes: Updateable<LegalDocumentTable>) {
  const r = await db
    .updateTable("legal_documents")
    .set(changes)
    .where("ward_id", "=", wardId)
    .where("id", "=", id)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

export function eventsOfDocuments(db: Q, wardIds: readonly number[], ids: readonly number[]) {
  if (!ids.length) return Promise.resolve([]);
  return db
    .selectFrom("legal_document_events")
    .selectAll()
    .where("ward_id", "in", wardIds)
    .where("document_id", "in", ids)
    .orderBy("on_date")
    .orderBy("id")
    .execute();
}

export function relationsOfDocuments(db: Q, wardIds: readonly number[], ids: readonly number[]) {
  if (!ids.length) return Promise.resolve([]);
  return db
    .selectFrom("legal_relations")
    .selectAll()
    .where("ward_id", "in", wardIds)
    .where((eb) => eb.or([eb("from_id", "in", ids), eb("to_id", "in", ids)]))
    .orderBy("id")
    .execute();
}

/** A plan's citations with their entries' ids, by reference position. */
export function citationsOfPlan(db: Q, planId: number) {
  return db
    .selectFrom("legal_citations")
    .select(["position", "document_id", "uncertain"])
    .where("plan_id", "=", planId)
    .orderBy("position")
    .execute();
}

/** The plans that cite a document, and how. */
export function citationsOfDocument(db: Q, wardIds: readonly number[], documentId: number) {
  return db
    .selectFrom("legal_citations")
    .innerJoin("plans", "plans.id", "legal_citations.plan_id")
    .select([
      "legal_citations.id",
      "legal_citations.plan_id",
      "legal_citations.cited_json",
      "legal_citations.uncertain",
      "plans.number as plan_number",
      "plans.title as plan_title",
    ])
    .where("legal_citations.ward_id", "in", wardIds)
    .where("legal_citations.document_id", "=", documentId)
    .orderBy("legal_citations.id")
    .execute();
}

/** Citations matched on part of the identity only, for staff to confirm or split. */
export function uncertainCitations(db: Q, wardId: number) {
  return db
    .selectFrom("legal_citations")
    .innerJoin("plans", "plans.id", "legal_citations.plan_id")
    .select([
      "legal_citations.id",
      "legal_citations.document_id",
      "legal_citations.cited_json",
      "plans.number as plan_number",
    ])
    .where("legal_citations.ward_id", "=", wardId)
    .where("legal_citations.uncertain", "=", 1)
    .orderBy("legal_citations.id")
    .execute();
}

export function citationOf(db: Q, wardId: number, id: number) {
  return db
    .selectFrom("legal_citations")
    .selectAll()
    .where("ward_id", "=", wardId)
    .where("id", "=", id)
    .executeTakeFirst();
}

export function mentionsOf(db: Q, wardIds: readonly number[], documentId: number) {
  return db
    .selectFrom("legal_mentions")
    .selectAll()
    .where("ward_id", "in", wardIds)
    .where("document_id", "=", documentId)
    .orderBy("on_date", "desc")
    .orderBy("id", "desc")
    .execute();
}

/** Which of these ids are entries of the ward's own library. */
export async function ownDocumentIds(db: Q, wardId: number, ids: readonly number[]): Promise<number[]> {
  if (!ids.length) return [];
  const rows = await db
    .selectFrom("legal_documents")
    .select("id")
    .where("ward_id", "=", wardId)
    .where("id", "in", ids)
    .execute();
  return rows.map((r) => Number(r.id));
}

/** The ward's entries carrying one of these number keys (documents.rules.ts `numberKeyOf`). */
export function documentsByNumberKeys(db: Q, wardId: number, keys: readonly string[]) {
  if (!keys.length) return Promise.resolve([]);
  return db
    .selectFrom("legal_documents")
    .select(["id", "number_key"])
    .where("ward_id", "=", wardId)
    .where("number_key", "in", keys)
    .execute();
}

/**
 * Record mentions in one statement: a mention already recorded for the same document and channel item (the unique
 * `legal_mentions_once`) gets the new date and channel.
 */
export async function upsertMentions(db: Q, rows: readonly Insertable<LegalMentionTable>[]): Promise<void> {
  if (!rows.length) return;
  await db
    .insertInto("legal_mentions")
    .values([...rows])
    .onConflict((oc) =>
      oc.columns(["document_id", "source", "source_ref"]).doUpdateSet((eb) => ({
        on_date: eb.ref("excluded.on_date"),
        channel: eb.ref("excluded.channel"),
      })),
    )
    .execute();
}

export async function deleteMentions(db: Q, wardId: number, source: string, sourceRef: string) {
  await db
    .deleteFrom("legal_mentions")
    .where("ward_id", "=", wardId)
    .where("source", "=", source)
    .where("source_ref", "=", sourceRef)
    .execute();
}

/**
 * The wards' entries with a subject that take effect after `after` and on or before `until` (ISO days), soonest
 * first: what the radio bulletin announces as new documents in force.
 */
export function documentsTakingEffect(db: Q, wardIds: readonly number[], after: string, until: string, limit: number) {
  return db
    .selectFrom("legal_documents")
    .select(["kind", "number", "issuer", "title", "issued_on", "effective_from"])
    .where("ward_id", "in", wardIds)
    .where("title", "is not", null)
    .where("effective_from", ">", after)
    .where("effective_from", "<=", until)
    .orderBy("effective_from")
    .orderBy("id")
    .limit(limit)
    .execute();
}
