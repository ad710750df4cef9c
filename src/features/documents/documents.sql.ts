/** The library's SQL, in one place. Every read names the wards whose entries it may see; every write the owner. */
import type { Insertable, Kysely, Transaction, Updateable } from "kysely";
import type { Database, LegalDocumentTable } from "../../core/db/schema.ts";

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
