/** Every query on administrative units and the ward's own units. */
import type { Insertable, Kysely, Transaction, Updateable } from "kysely";
import type {
  AdminUnitLinkTable,
  AdminUnitTable,
  Database,
  OrgUnitAliasTable,
  OrgUnitTable,
} from "../../core/db/schema.ts";
import { unitKindOf } from "../plans/unit-match.ts";

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

/** Insert a batch of the national register; returns what the loader needs to link children to their parents. */
export function insertAdminUnits(db: Q, rows: Insertable<AdminUnitTable>[]) {
  return db.insertInto("admin_units").values(rows).returning(["id", "code", "level", "valid_to"]).execute();
}

/** Insert a batch of links from old units to the units they went into (whole or in part). */
export async function insertAdminUnitLinks(db: Q, rows: Insertable<AdminUnitLinkTable>[]): Promise<void> {
  await db.insertInto("admin_unit_links").values(rows).execute();
}

// The register queries a request's ward needs live in core (core/wards.ts); this feature uses the same ones.
export { adminUnitById, adminUnitInForce, predecessorsOf } from "../../core/wards.ts";

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

// ---------------------------------------------------------------------------------------------------------------
// Managing the ward's own units (org-units.service.ts)

/** One of the ward's own units, only when it belongs to that ward. */
export function orgUnitOfWard(db: Q, wardId: number, id: number) {
  return db.selectFrom("org_units").selectAll().where("ward_id", "=", wardId).where("id", "=", id).executeTakeFirst();
}

export function aliasesOfUnit(db: Q, orgUnitId: number) {
  return db.selectFrom("org_unit_aliases").selectAll().where("org_unit_id", "=", orgUnitId).orderBy("id").execute();
}

/** The alias row that already recognises this key in the ward, if any. */
export function aliasByKey(db: Q, wardId: number, aliasKey: string) {
  return db
    .selectFrom("org_unit_aliases")
    .select("id")
    .where("ward_id", "=", wardId)
    .where("alias_key", "=", aliasKey)
    .executeTakeFirst();
}

/** A new unit of the ward: in force, with no successor yet. */
export async function insertOrgUnit(
  db: Q,
  row: Omit<Insertable<OrgUnitTable>, "valid_to" | "successor_id">,
): Promise<number> {
  // The Front and the unions are partners the ward requests, told apart from its own units in reports.
  const values = {
    ...row,
    kind: row.kind ?? unitKindOf(row.name, row.code ?? null),
    valid_to: null,
    successor_id: null,
  };
  return (await db.insertInto("org_units").values(values).returning("id").executeTakeFirstOrThrow()).id;
}

export async function insertAliases(db: Q, rows: Insertable<OrgUnitAliasTable>[]): Promise<void> {
  if (rows.length) await db.insertInto("org_unit_aliases").values(rows).execute();
}

export async function updateOrgUnit(db: Q, id: number, set: Updateable<OrgUnitTable>): Promise<void> {
  await db.updateTable("org_units").set(set).where("id", "=", id).execute();
}

export async function deleteAlias(db: Q, aliasId: number): Promise<void> {
  await db.deleteFrom("org_unit_aliases").where("id", "=", aliasId).execute();
}

/** Hand every alias of one unit to another (a retired unit's names, so documents keep being recognised). */
export async function moveAliases(db: Q, fromUnitId: number, toUnitId: number): Promise<void> {
  await db
    .updateTable("org_unit_aliases")
    .set({ org_unit_id: toUnitId })
    .where("org_unit_id", "=", fromUnitId)
    .execute();
}

/** How many tasks each of the ward's units is linked to (lead or support): the history a unit carries. */
export async function taskCountsOfWardUnits(db: Q, wardId: number): Promise<Map<number, number>> {
  const rows = await db
    .selectFrom("task_units")
    .innerJoin("org_units", "org_units.id", "task_units.org_unit_id")
    .select(["task_units.org_unit_id", (eb) => eb.fn.count<number>("task_units.task_id").distinct().as("n")])
    .where("org_units.ward_id", "=", wardId)
    .groupBy("task_units.org_unit_id")
    .execute();
  return new Map(rows.map((r) => [r.org_unit_id, Number(r.n)]));
}

/** How many active accounts each of the ward's units has. */
export async function activeUserCountsOfWardUnits(db: Q, wardId: number): Promise<Map<number, number>> {
  const rows = await db
    .selectFrom("users")
    .select(["org_unit_id", (eb) => eb.fn.countAll<number>().as("n")])
    .where("ward_id", "=", wardId)
    .where("active", "=", 1)
    .where("org_unit_id", "is not", null)
    .groupBy("org_unit_id")
    .execute();
  return new Map(rows.map((r) => [r.org_unit_id as number, Number(r.n)]));
}

/** Administrative units of a level in force on a date, by name. */
const unitsInForce = (db: Q, level: "province" | "commune", onDate: string) =>
  db
    .selectFrom("admin_units")
    .selectAll()
    .where("level", "=", level)
    .where((eb) => eb.or([eb("valid_from", "is", null), eb("valid_from", "<=", onDate)]))
    .where((eb) => eb.or([eb("valid_to", "is", null), eb("valid_to", ">=", onDate)]))
    .orderBy("name_key")
    .orderBy("code");

/** The provinces in force on a date, by name (the deployment operator's list of provinces). */
export const provincesInForce = (db: Q, onDate: string) => unitsInForce(db, "province", onDate).execute();

/** The communes in force on a date under a province (since 1/7/2025 a province's direct children), by name. */
export const communesOfProvince = (db: Q, provinceId: number, onDate: string) =>
  unitsInForce(db, "commune", onDate).where("parent_id", "=", provinceId).execute();

/**
 * The ward's own units in force on `today` (not yet dissolved or merged): who may organise an event, write a news
 * item or a bulletin.
 */
export function orgUnitsInForce(db: Q, wardId: number, today: string) {
  return db
    .selectFrom("org_units")
    .select(["id", "name"])
    .where("ward_id", "=", wardId)
    .where((eb) => eb.or([eb("valid_to", "is", null), eb("valid_to", ">", today)]))
    .orderBy("name")
    .execute();
}
