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

// The register is shared by every document the portal issues (reports, plans).
export {
  type IssuingBody,
  insertRegisterEntry,
  nextRegisterNumber,
  registerNumberTaken,
} from "../../core/documents/register.ts";

/** Link an issued, unpublished report to its signed copy; false when it was no longer issued and unpublished. */
export async function setSignedCopy(db: Q, wardId: number, id: number, fileId: number, at: string) {
  const r = await db
    .updateTable("reports")
    .set({ signed_file_id: fileId, updated_at: at })
    .where("id", "=", id)
    .where("ward_id", "=", wardId)
    .where("status", "=", "issued")
    .where("published", "=", 0)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

/** The stored file of a report's signed copy, only if the report owns it. */
export const signedFileOf = (db: Q, reportId: number, fileId: number) =>
  db
    .selectFrom("stored_files")
    .selectAll()
    .where("id", "=", fileId)
    .where("owner_kind", "=", "report")
    .where("owner_id", "=", reportId)
    .executeTakeFirst();
