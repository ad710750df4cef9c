/**
 * The ward a request is about, built from the administrative-unit register: a core concept (every request picks
 * its ward one way, ward.ts), so it lives here and the units feature re-exports it rather than core importing it.
 */
import type { Kysely, Transaction } from "kysely";
import type { AdminUnit, Database } from "./db/schema.ts";
import type { Ward } from "./web/context.ts";

type Q = Kysely<Database> | Transaction<Database>;

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

/** Parse "21439" or "21463@2024-02-19". */
export function parseWardRef(ref: string): { code: string; onDate: string | null } | null {
  const m = /^(\d{5})(?:@(\d{4}-\d{2}-\d{2}))?$/.exec(ref.trim());
  if (!m) return null;
  return { code: m[1] as string, onDate: m[2] ?? null };
}

/** The ward a request is about, with its province and predecessors; null when no such unit exists. */
export async function resolveWard(
  db: Kysely<Database>,
  ref: string,
  today: string,
  defaultCode: string,
): Promise<Ward | null> {
  const parsed = parseWardRef(ref);
  if (!parsed) return null;
  const unit = await adminUnitInForce(db, parsed.code, parsed.onDate ?? today);
  if (unit?.level !== "commune") return null;
  return wardOf(db, unit, parsed.code === defaultCode && !parsed.onDate ? "" : `/w/${ref}`);
}

/** Build the Ward view of a unit: its province and all predecessors, transitively. */
export async function wardOf(db: Kysely<Database>, unit: AdminUnit, base: string): Promise<Ward> {
  const province = unit.parent_id ? ((await adminUnitById(db, unit.parent_id)) ?? null) : null;
  const predecessors: Ward["predecessors"] = [];
  const seen = new Set([unit.id]);
  let frontier = [unit.id];
  while (frontier.length) {
    const next: number[] = [];
    for (const id of frontier) {
      for (const p of await predecessorsOf(db, id)) {
        if (seen.has(p.id)) continue;
        seen.add(p.id);
        const { link_kind, ...pu } = p;
        predecessors.push({ unit: pu, kind: link_kind === "partial" ? "partial" : "full" });
        next.push(p.id);
      }
    }
    frontier = next;
  }
  return { unit, province, scopeIds: [...seen], predecessors, base };
}

/** The Ward view of a unit by its internal id (a staff account's own ward), or null. */
export async function wardById(db: Kysely<Database>, id: number): Promise<Ward | null> {
  const unit = await adminUnitById(db, id);
  return unit ? wardOf(db, unit, "") : null;
}

/**
 * Whether a ward has anything to show on this deployment: staff accounts or units of its own, or plans of it or of
 * a predecessor (read here, not through the plans feature, to keep this check to one round trip per table).
 */
async function wardIsSetUp(db: Q, wardId: number, scopeIds: number[]): Promise<boolean> {
  const [user, unit, plan] = await Promise.all([
    db.selectFrom("users").select("id").where("ward_id", "=", wardId).limit(1).executeTakeFirst(),
    db.selectFrom("org_units").select("id").where("ward_id", "=", wardId).limit(1).executeTakeFirst(),
    db.selectFrom("plans").select("id").where("ward_id", "in", scopeIds).limit(1).executeTakeFirst(),
  ]);
  return !!user || !!unit || !!plan;
}

/**
 * Whether `/w/{code}/` has a portal to show: the deployment's default ward, or a ward set up here (staff, units
 * or plans). A dated reference (`21463@2024-02-19`) is a view of history and always shown.
 */
export async function wardHasPortal(db: Kysely<Database>, ward: Ward, ref: string, defaultCode: string) {
  if (ref.includes("@") || ward.unit.code === defaultCode) return true;
  return wardIsSetUp(db, ward.unit.id, ward.scopeIds);
}
