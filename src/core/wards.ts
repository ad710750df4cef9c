/**
 * The ward a request is about, built from the administrative-unit register: a core concept (every request picks
 * its ward one way, ward.ts), so it lives here and the units feature re-exports it rather than core importing it.
 */
import { type Kysely, sql, type Transaction } from "kysely";
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

/** How deep a chain of mergers is followed (a commune merged into a commune merged into …): a guard, not a limit met. */
const MAX_MERGER_DEPTH = 8;

/**
 * Every unit that merged into `id`, directly or through earlier mergers, in one statement (a ward is resolved on
 * the first request for it: at national size that is thousands of wards, and a statement per predecessor was most
 * of its cost). Each row says which unit it merged into and how far from `id` it is.
 */
function mergerChain(db: Q, id: number) {
  // Built with Kysely (not raw SQL) so it stays a read to the write counter (write-counter.ts) and the page cache.
  // Each step reads its units by primary key: joined once at the end instead, PostgreSQL expects hundreds of links
  // and hashes the whole table of units (thousands of rows, ≈ 4 ms a ward) to find the few it holds.
  return db
    .withRecursive("chain", (qb) =>
      qb
        .selectFrom("admin_unit_links as l")
        .innerJoin("admin_units as u", "u.id", "l.from_id")
        .selectAll("u")
        .select(["l.kind as link_kind", "l.to_id as merged_into", sql<number>`1`.as("depth")])
        .where("l.to_id", "=", id)
        .unionAll((more) =>
          more
            .selectFrom("admin_unit_links as l")
            .innerJoin("chain", "chain.id", "l.to_id")
            .innerJoin("admin_units as u", "u.id", "l.from_id")
            .selectAll("u")
            .select(["l.kind as link_kind", "l.to_id as merged_into", sql<number>`chain.depth + 1`.as("depth")])
            .where("chain.depth", "<", MAX_MERGER_DEPTH),
        ),
    )
    .selectFrom("chain")
    .selectAll()
    .orderBy("name")
    .orderBy("id")
    .execute();
}

/** Build the Ward view of a unit: its province and all predecessors, transitively. */
export async function wardOf(db: Kysely<Database>, unit: AdminUnit, base: string): Promise<Ward> {
  const [province, chain] = await Promise.all([
    unit.parent_id ? adminUnitById(db, unit.parent_id).then((p) => p ?? null) : null,
    mergerChain(db, unit.id),
  ]);
  // Breadth first, as the mergers happened: the unit's own predecessors (by name, as the statement orders them),
  // then theirs, each unit once.
  const byTarget = new Map<number, typeof chain>();
  for (const row of chain) {
    const to = Number(row.merged_into);
    byTarget.set(to, [...(byTarget.get(to) ?? []), row]);
  }
  const predecessors: Ward["predecessors"] = [];
  const seen = new Set([unit.id]);
  let frontier = [unit.id];
  while (frontier.length) {
    const next: number[] = [];
    for (const id of frontier) {
      const direct = [...new Map((byTarget.get(id) ?? []).map((r) => [Number(r.id), r])).values()];
      for (const p of direct) {
        const pid = Number(p.id);
        if (seen.has(pid)) continue;
        seen.add(pid);
        const { link_kind, merged_into: _into, depth: _depth, ...pu } = p;
        predecessors.push({ unit: { ...pu, id: pid }, kind: link_kind === "partial" ? "partial" : "full" });
        next.push(pid);
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
  const row = await db
    .selectNoFrom((eb) =>
      eb
        .or([
          eb.exists(eb.selectFrom("users").select("id").where("ward_id", "=", wardId)),
          eb.exists(eb.selectFrom("org_units").select("id").where("ward_id", "=", wardId)),
          eb.exists(eb.selectFrom("plans").select("id").where("ward_id", "in", scopeIds)),
        ])
        .as("set_up"),
    )
    .executeTakeFirst();
  // SQLite answers 0 or 1, PostgreSQL a boolean.
  return Boolean(row?.set_up);
}

/**
 * The codes of the communes in force on a day that have a portal here, by `wardIsSetUp`'s rule for all of them at
 * once (the pre-rendering of every ward's pages): accounts or units of their own, or plans of theirs or of a
 * predecessor — a commune is a successor, through any chain of mergers, of a unit with plans.
 */
export async function communesWithPortal(db: Q, today: string): Promise<string[]> {
  const rows = await db
    .withRecursive("heirs(id)", (qb) =>
      qb
        .selectFrom("plans")
        .select("ward_id as id")
        // `union`, not `union all`: each unit once, so a cycle of links ends.
        .union((more) =>
          more.selectFrom("admin_unit_links as l").innerJoin("heirs", "heirs.id", "l.from_id").select("l.to_id as id"),
        ),
    )
    .selectFrom("admin_units as u")
    .select("u.code")
    .where("u.level", "=", "commune")
    .where((eb) => eb.or([eb("u.valid_from", "is", null), eb("u.valid_from", "<=", today)]))
    .where((eb) => eb.or([eb("u.valid_to", "is", null), eb("u.valid_to", ">=", today)]))
    .where((eb) =>
      eb.or([
        eb.exists(eb.selectFrom("users").select("users.id").whereRef("users.ward_id", "=", "u.id")),
        eb.exists(eb.selectFrom("org_units").select("org_units.id").whereRef("org_units.ward_id", "=", "u.id")),
        eb("u.id", "in", eb.selectFrom("heirs").select("heirs.id")),
      ]),
    )
    .orderBy("u.code")
    .execute();
  return rows.map((r) => r.code);
}

/**
 * Whether `/w/{code}/` has a portal to show: the deployment's default ward, or a ward set up here (staff, units
 * or plans). A dated reference (`21463@2024-02-19`) is a view of history and always shown.
 */
export async function wardHasPortal(db: Kysely<Database>, ward: Ward, ref: string, defaultCode: string) {
  if (ref.includes("@") || ward.unit.code === defaultCode) return true;
  return wardIsSetUp(db, ward.unit.id, ward.scopeIds);
}
