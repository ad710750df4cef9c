/** Every query on administrative units and the ward's own units. */
import type { Kysely, Transaction } from "kysely";
import type { Database } from "../../core/db/schema.ts";

type Q = Kysely<Database> | Transaction<Database>;

export const countAdminUnits = async (db: Q) =>
  Number(
    (
      await db
        .selectFrom("admin_units")
        .select((e) => e.fn.countAll<number>().as("n"))
        .executeTakeFirstOrThrow()
    ).n,
  );

/** The unit with this code in force on a date (a code alone means today). */
export function adminUnitInForce(db: Q, code: string, onDate: string) {
  return db
    .selectFrom("admin_units")
    .selectAll()
    .where("code", "=", code)
    .where((eb) => eb.or([eb("valid_from", "is", null), eb("valid_from", "<=", onDate)]))
    .where((eb) => eb.or([eb("valid_to", "is", null), eb("valid_to", ">=", onDate)]))
    .orderBy("level", "desc") // "province" sorts after "commune": prefer the commune when codes coincide
    .executeTakeFirst();
}

export const adminUnitById = (db: Q, id: number) =>
  db.selectFrom("admin_units").selectAll().where("id", "=", id).executeTakeFirst();

/** Units that merged into this one, with the kind of link. */
export function predecessorsOf(db: Q, id: number) {
  return db
    .selectFrom("admin_unit_links")
    .innerJoin("admin_units", "admin_units.id", "admin_unit_links.from_id")
    .selectAll("admin_units")
    .select("admin_unit_links.kind as link_kind")
    .where("admin_unit_links.to_id", "=", id)
    .orderBy("admin_units.name")
    .execute();
}

/** Units this one went into. */
export function successorsOf(db: Q, id: number) {
  return db
    .selectFrom("admin_unit_links")
    .innerJoin("admin_units", "admin_units.id", "admin_unit_links.to_id")
    .selectAll("admin_units")
    .select("admin_unit_links.kind as link_kind")
    .where("admin_unit_links.from_id", "=", id)
    .execute();
}

/** Communes whose folded short name matches, optionally of a type, valid on a date. */
export function communesByNameKey(db: Q, nameKey: string, onDate: string) {
  return db
    .selectFrom("admin_units")
    .selectAll()
    .where("level", "=", "commune")
    .where("name_key", "=", nameKey)
    .where((eb) => eb.or([eb("valid_from", "is", null), eb("valid_from", "<=", onDate)]))
    .where((eb) => eb.or([eb("valid_to", "is", null), eb("valid_to", ">=", onDate)]))
    .execute();
}

export function orgUnitsOfWard(db: Q, wardId: number) {
  return db.selectFrom("org_units").selectAll().where("ward_id", "=", wardId).orderBy("id").execute();
}

export function aliasesOfWard(db: Q, wardId: number) {
  return db.selectFrom("org_unit_aliases").selectAll().where("ward_id", "=", wardId).orderBy("id").execute();
}
