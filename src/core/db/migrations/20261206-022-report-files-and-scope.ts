/**
 * Reports, continued (issue 9 §1): the signed copy staff upload after a report is issued (a stored file owned by the
 * report; publishing publishes that copy), and the plan a report is scoped to (null: all the ward's work). Older
 * reports keep neither: an issued one without a signed copy can still be published once staff upload it.
 */
import type { Kysely } from "kysely";

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .alterTable("reports")
    .addColumn("signed_file_id", "integer", (c) => c.references("stored_files.id"))
    .execute();
  await db.schema
    .alterTable("reports")
    .addColumn("plan_id", "integer", (c) => c.references("plans.id"))
    .execute();
}
