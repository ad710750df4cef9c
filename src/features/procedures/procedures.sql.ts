/** Every query of the procedure catalogue. */
import type { Kysely, Transaction } from "kysely";
import type { Database } from "../../core/db/schema.ts";

type Q = Kysely<Database> | Transaction<Database>;

export const countProcedures = async (db: Q) =>
  Number(
    (
      await db
        .selectFrom("procedures")
        .select((e) => e.fn.countAll<number>().as("n"))
        .executeTakeFirstOrThrow()
    ).n,
  );

/** Every procedure with its latest version (by number): what an import compares against. */
export function latestVersionsByCode(db: Q, codes: string[]) {
  if (codes.length === 0) return Promise.resolve([]);
  return db
    .selectFrom("procedures")
    .innerJoin("procedure_versions as v", "v.procedure_id", "procedures.id")
    .select(["procedures.id", "procedures.code", "v.version_no", "v.content_hash", "v.change_type"])
    .where("procedures.code", "in", codes)
    .where(({ eb, selectFrom }) =>
      eb(
        "v.version_no",
        "=",
        selectFrom("procedure_versions as w")
          .select((e) => e.fn.max("w.version_no").as("m"))
          .whereRef("w.procedure_id", "=", "procedures.id"),
      ),
    )
    .execute();
}

export const decisionByKey = (db: Q, key: string) =>
  db.selectFrom("decisions").selectAll().where("number_key", "=", key).executeTakeFirst();

export const procedureByCode = (db: Q, code: string) =>
  db.selectFrom("procedures").selectAll().where("code", "=", code).executeTakeFirst();

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
    .select([
      "p.id",
      "p.code",
      "p.scope",
      "p.scope_unit_id",
      "v.version_no",
      "v.change_type",
      "v.effective_from",
      "v.name",
      "v.field",
      "v.levels",
      "v.replaces_code",
    ])
    .where((eb) =>
      eb.or([
        eb("p.scope", "=", "national"),
        ...(scopeUnitIds.length ? [eb("p.scope_unit_id", "in", scopeUnitIds)] : []),
      ]),
    )
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
  return db
    .selectFrom("procedure_overrides")
    .selectAll()
    .where("procedure_code", "=", code)
    .where("unit_id", "in", unitIds)
    .execute();
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
  return db
    .selectFrom("board_prints")
    .selectAll()
    .where("ward_id", "=", wardId)
    .orderBy("printed_at", "desc")
    .limit(1)
    .executeTakeFirst();
}

// --- Added for the public pages, the notice board and the staff reminders ---

/** Versions of other procedures that replace `code` (their replaces_code), with the successor's code. */
export function successorsOf(db: Q, code: string) {
  return db
    .selectFrom("procedure_versions as v")
    .innerJoin("procedures as p", "p.id", "v.procedure_id")
    .select(["p.code", "p.scope", "p.scope_unit_id", "v.name", "v.effective_from"])
    .where("v.replaces_code", "=", code)
    .where("p.code", "<>", code)
    .orderBy("v.effective_from")
    .execute();
}

/** The stored records of the given versions (by procedure and number), for pages that show many procedures. */
export async function versionRecords(db: Q, pairs: { id: number; versionNo: number }[]) {
  const out: { procedure_id: number; version_no: number; data_json: string; created_at: string }[] = [];
  // Chunked: both dialects cap the number of bound parameters.
  for (let i = 0; i < pairs.length; i += 500) {
    const chunk = pairs.slice(i, i + 500);
    const rows = await db
      .selectFrom("procedure_versions")
      .select(["procedure_id", "version_no", "data_json", "created_at"])
      .where(
        "procedure_id",
        "in",
        chunk.map((p) => p.id),
      )
      .execute();
    const wanted = new Set(chunk.map((p) => `${p.id}:${p.versionNo}`));
    for (const r of rows) if (wanted.has(`${r.procedure_id}:${r.version_no}`)) out.push(r);
  }
  return out;
}

/**
 * Versions of the procedures a ward sees that were created after an instant or took effect after a day (the
 * last notice-board print), with their decisions, newest first.
 */
export function versionsChangedSince(db: Q, scopeUnitIds: number[], sinceIso: string, sinceDay: string) {
  return db
    .selectFrom("procedure_versions as v")
    .innerJoin("procedures as p", "p.id", "v.procedure_id")
    .leftJoin("decisions as d", "d.id", "v.decision_id")
    .select([
      "p.id",
      "p.code",
      "p.scope",
      "v.version_no",
      "v.levels",
      "v.name",
      "v.change_type",
      "v.effective_from",
      "v.created_at",
      "v.decision_id",
      "d.number as decision_number",
    ])
    .where((eb) =>
      eb.or([
        eb("p.scope", "=", "national"),
        ...(scopeUnitIds.length ? [eb("p.scope_unit_id", "in", scopeUnitIds)] : []),
      ]),
    )
    .where((eb) => eb.or([eb("v.created_at", ">", sinceIso), eb("v.effective_from", ">", sinceDay)]))
    .orderBy("v.created_at", "desc")
    .orderBy("p.code")
    .execute();
}

export const overrideOf = (db: Q, code: string, unitId: number) =>
  db
    .selectFrom("procedure_overrides")
    .selectAll()
    .where("procedure_code", "=", code)
    .where("unit_id", "=", unitId)
    .executeTakeFirst();

/** Every override of the given units (the ward and its province), for pages listing many procedures. */
export function overridesOfUnits(db: Q, unitIds: number[]) {
  if (!unitIds.length) return Promise.resolve([]);
  return db.selectFrom("procedure_overrides").selectAll().where("unit_id", "in", unitIds).execute();
}
