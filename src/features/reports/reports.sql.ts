/** Every query of the reports feature: the reports of a ward, their workflow moves, and the document register. */
import type { Insertable, Kysely, Transaction, Updateable } from "kysely";
import type { Database, ReportTable } from "../../core/db/schema.ts";

type Q = Kysely<Database> | Transaction<Database>;

export const insertReport = async (db: Q, row: Insertable<ReportTable>) =>
  (await db.insertInto("reports").values(row).returning("id").executeTakeFirstOrThrow()).id;

/** One report, only if it belongs to one of these wards. */
export const reportOf = (db: Q, wardIds: number[], id: number) =>
  db.selectFrom("reports").selectAll().where("id", "=", id).where("ward_id", "in", wardIds).executeTakeFirst();

export const reportsOfWards = (db: Q, wardIds: number[], opts: { publishedOnly: boolean; limit: number }) => {
  let q = db.selectFrom("reports").selectAll().where("ward_id", "in", wardIds);
  if (opts.publishedOnly) q = q.where("published", "=", 1).where("status", "=", "issued");
  return q.orderBy("period_to", "desc").orderBy("id", "desc").limit(opts.limit).execute();
};

/** Move a report from one status to another (and change fields with it); false when it was no longer in `from`. */
export async function moveReport(
  db: Q,
  wardId: number,
  id: number,
  from: string,
  changes: Updateable<ReportTable>,
): Promise<boolean> {
  const r = await db
    .updateTable("reports")
    .set(changes)
    .where("id", "=", id)
    .where("ward_id", "=", wardId)
    .where("status", "=", from)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

/** An issuing body: a ward's or province's unit, or a department of a province (its own register). */
export interface IssuingBody {
  unitId: number;
  orgUnitId: number | null;
}

/** The register entries of one body and year. */
const registerOf = (db: Q, body: IssuingBody, year: number) => {
  const q = db.selectFrom("document_register").where("issuer_unit_id", "=", body.unitId).where("year", "=", year);
  return body.orgUnitId == null
    ? q.where("issuer_org_unit_id", "is", null)
    : q.where("issuer_org_unit_id", "=", body.orgUnitId);
};

/** The next free number of an issuer's register in a year (1 for the first). */
export async function nextRegisterNumber(db: Q, body: IssuingBody, year: number): Promise<number> {
  const r = await registerOf(db, body, year)
    .select((eb) => eb.fn.max("number").as("n"))
    .executeTakeFirst();
  return Number(r?.n ?? 0) + 1;
}

/** Whether a number is taken in an issuer's register for a year. */
export async function registerNumberTaken(db: Q, body: IssuingBody, year: number, number: number) {
  const r = await registerOf(db, body, year).select("id").where("number", "=", number).executeTakeFirst();
  return r !== undefined;
}

export const insertRegisterEntry = (db: Q, row: Insertable<Database["document_register"]>) =>
  db.insertInto("document_register").values(row).execute();
