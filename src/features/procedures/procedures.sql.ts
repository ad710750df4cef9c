/** Every query of the procedure catalogue. */
import type { Kysely, Transaction } from "kysely";
import type { Database } from "../../core/db/schema.ts";

type Q = Kysely<Database> | Transaction<Database>;

export const countProcedures = async (db: Q) =>
  Number((await db.selectFrom("procedures").select((e) => e.fn.countAll<number>().as("n")).executeTakeFirstOrThrow()).n);

/** Every procedure with its latest version (by number): what an import compares against. */
export function latestVersionsByCode(db: Q, codes: string[]) {
  if (codes.length === 0) return Promise.resolve([]);
  return db
    .selectFrom("procedures")
    .innerJoin("procedure_versions as v", "v.procedure_id", "procedures.id")
    .select(["procedures.id", "procedures.code", "v.version_no", "v.content_hash", "v.change_type"])
    .where("procedures.code", "in", codes)
    .where(({ eb, selectFrom }) =>
      eb("v.version_no", "=", selectFrom("procedure_versions as w").select((e) => e.fn.max("w.version_no").as("m")).whereRef("w.procedure_id", "=", "procedures.id")),
    )
    .execute();
}

export const decisionByKey = (db: Q, key: string) => db.selectFrom("decisions").selectAll().where("number_key", "=", key).executeTakeFirst();

export const procedureByCode = (db: Q, code: string) => db.selectFrom("procedures").selectAll().where("code", "=", code).executeTakeFirst();

/** All versions of a procedure, oldest first, with their decisions. */
export function versionsOf(db: Q, procedureId: number) {
  return db
    .selectFrom("procedure_versions as v")
    .leftJoin("decisions as d", "d.id", "v.decision_id")
    .select([
      "v.id",
      "v.version_no",
      "v.change_type",
      "v.effective_from",
      "v.replaces_code",
      "v.name",
      "v.field",
      "v.levels",
      "v.data_json",
      "v.created_at",
      "d.number as decision_number",
      "d.decided_on as decision_date",
      "d.issuer as decision_issuer",
      "d.summary as decision_summary",
    ])
    .where("v.procedure_id", "=", procedureId)
    .orderBy("v.version_no")
    .execute();
}

/**
 * For every procedure visible to a ward, its versions' summary rows (no data): the service picks the version
 * in force on a date. `provinceIds`: the ward's province (and any unit ids whose own procedures it sees).
 */
export function catalogueRows(db: Q, scopeUnitIds: number[]) {
  return db
    .selectFrom("procedures as p")
    .innerJoin("procedure_versions as v", "v.procedure_id", "p.id")
    .select(["p.id", "p.code", "p.scope", "p.scope_unit_id", "v.version_no", "v.change_type", "v.effective_from", "v.name", "v.field", "v.levels", "v.replaces_code"])
    .where((eb) => eb.or([eb("p.scope", "=", "national"), ...(scopeUnitIds.length ? [eb("p.scope_unit_id", "in", scopeUnitIds)] : [])]))
    .orderBy("p.code")
    .orderBy("v.version_no")
    .execute();
}

export function versionData(db: Q, procedureId: number, versionNo: number) {
  return db
    .selectFrom("procedure_versions")
    .select(["data_json", "name", "field", "levels", "change_type", "effective_from"])
    .where("procedure_id", "=", procedureId)
    .where("version_no", "=", versionNo)
    .executeTakeFirst();
}

export function overridesFor(db: Q, code: string, unitIds: number[]) {
  if (!unitIds.length) return Promise.resolve([]);
  return db.selectFrom("procedure_overrides").selectAll().where("procedure_code", "=", code).where("unit_id", "in", unitIds).execute();
}

export function lastReviews(db: Q, wardId: number) {
  return db
    .selectFrom("procedure_reviews")
    .select(["procedure_id", (e) => e.fn.max("reviewed_at").as("reviewed_at")])
    .where("ward_id", "=", wardId)
    .groupBy("procedure_id")
    .execute();
}

export function lastBoardPrint(db: Q, wardId: number) {
  return db.selectFrom("board_prints").selectAll().where("ward_id", "=", wardId).orderBy("printed_at", "desc").limit(1).executeTakeFirst();
}

/** The next search sequence number: every changed search document takes a new, higher one. */
export async function nextSearchSeq(db: Q): Promise<number> {
  const r = await db.selectFrom("search_docs").select((e) => e.fn.max("seq").as("m")).executeTakeFirst();
  return Number(r?.m ?? 0) + 1;
}
