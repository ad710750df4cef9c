/** Administrative units with time, the ward a request is about, and the ward's own units with their aliases. */
import type { Kysely } from "kysely";
import { type Actor, audit } from "../../core/audit.ts";
import type { Db } from "../../core/db/connection.ts";
import type { AdminUnit, Database } from "../../core/db/schema.ts";
import { foldWords, nfc, squash, vnToday } from "../../core/text/vi.ts";
import type { Ward } from "../../core/web/context.ts";
import { unitKey } from "../plans/unit-match.ts";
import type { UnitsDataset } from "./dvhcvn.ts";
import * as q from "./units.sql.ts";

const BATCH = 400;

const recordKey = (level: string, code: string, validTo: string | null) =>
  `${level}:${code}@${validTo ? "old" : "new"}`;

/**
 * Load the national register once. Batches of a few hundred rows, each in its own short transaction,
 * so a running server is never locked out for long.
 */
export async function loadAdminUnits(
  db: Db,
  dataset: UnitsDataset,
): Promise<{ loaded: boolean; units: number; links: number }> {
  const k = db.kysely;
  if ((await q.countAdminUnits(k)) > 0) return { loaded: false, units: 0, links: 0 };
  const idByDatasetKey = new Map<string, number>();
  const idByRecordKey = new Map<string, number>();
  // The dataset lists parents before children (provinces, districts, communes), as inserting needs.
  const ordered = dataset.units;
  // A batch never mixes levels, so every parent has its id before its children are inserted.
  const batches: (typeof ordered)[] = [];
  for (const u of ordered) {
    const last = batches.at(-1);
    if (last && last.length < BATCH && last[0]?.level === u.level) last.push(u);
    else batches.push([u]);
  }
  for (const batch of batches) {
    const rows = await k.transaction().execute((trx) =>
      trx
        .insertInto("admin_units")
        .values(
          batch.map((u) => ({
            code: u.code,
            name: u.name,
            short_name: u.shortName,
            type: u.type,
            level: u.level,
            parent_id: u.parentKey ? (idByDatasetKey.get(u.parentKey) ?? null) : null,
            valid_from: u.validFrom,
            valid_to: u.validTo,
            name_key: foldWords(u.shortName),
          })),
        )
        .returning(["id", "code", "level", "valid_to"])
        .execute(),
    );
    for (const r of rows) idByRecordKey.set(recordKey(r.level, r.code, r.valid_to), r.id);
    for (const u of batch) {
      const id = idByRecordKey.get(recordKey(u.level, u.code, u.validTo));
      if (id != null) idByDatasetKey.set(u.key, id);
    }
  }
  const links = dataset.links.flatMap((l) => {
    const from = idByDatasetKey.get(l.fromKey);
    const to = idByDatasetKey.get(l.toKey);
    return from != null && to != null ? [{ from_id: from, to_id: to, kind: l.kind }] : [];
  });
  for (let i = 0; i < links.length; i += BATCH) {
    const batch = links.slice(i, i + BATCH);
    await k.transaction().execute((trx) => trx.insertInto("admin_unit_links").values(batch).execute());
  }
  return { loaded: true, units: ordered.length, links: links.length };
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
  const unit = await q.adminUnitInForce(db, parsed.code, parsed.onDate ?? today);
  if (unit?.level !== "commune") return null;
  return wardOf(db, unit, parsed.code === defaultCode && !parsed.onDate ? "" : `/w/${ref}`);
}

/** Build the Ward view of a unit: its province and all predecessors, transitively. */
export async function wardOf(db: Kysely<Database>, unit: AdminUnit, base: string): Promise<Ward> {
  const province = unit.parent_id ? ((await q.adminUnitById(db, unit.parent_id)) ?? null) : null;
  const predecessors: Ward["predecessors"] = [];
  const seen = new Set([unit.id]);
  let frontier = [unit.id];
  while (frontier.length) {
    const next: number[] = [];
    for (const id of frontier) {
      for (const p of await q.predecessorsOf(db, id)) {
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

/** Find the commune a document names ("phường Phổ Minh") as it was on the document's date. */
export async function findCommuneByName(db: Kysely<Database>, type: string, name: string, onDate: string) {
  const wanted = foldWords(type).replace(/ /g, "_");
  const candidates = await q.communesByNameKey(db, foldWords(name), onDate);
  const typed = candidates.filter((c) => c.type === wanted);
  return typed.length === 1 ? typed[0] : candidates.length === 1 ? candidates[0] : undefined;
}

export const adminUnitInForce = q.adminUnitInForce;
export const successorsOf = q.successorsOf;

export interface OrgUnitWithAliases {
  id: number;
  code: string | null;
  name: string;
  validTo: string | null;
  aliases: string[];
}

/** The ward's own units in force today, each with its aliases (for recognising them in documents). */
export async function orgUnitsWithAliases(
  db: Kysely<Database>,
  wardId: number,
  today = vnToday(),
): Promise<OrgUnitWithAliases[]> {
  const [units, aliases] = await Promise.all([q.orgUnitsOfWard(db, wardId), q.aliasesOfWard(db, wardId)]);
  return units
    .filter((u) => u.valid_to == null || u.valid_to >= today)
    .map((u) => ({
      id: u.id,
      code: u.code,
      name: u.name,
      validTo: u.valid_to,
      aliases: aliases.filter((a) => a.org_unit_id === u.id).map((a) => a.alias),
    }));
}

/** Create one of the ward's own units with its aliases; audited. */
export async function createOrgUnit(
  db: Kysely<Database>,
  actor: Actor,
  input: { wardId: number; name: string; code?: string | null; aliases?: string[]; validFrom?: string | null },
  now: Date,
): Promise<number> {
  const name = squash(nfc(input.name));
  return db.transaction().execute(async (trx) => {
    const row = await trx
      .insertInto("org_units")
      .values({
        ward_id: input.wardId,
        code: input.code ?? null,
        name,
        valid_from: input.validFrom ?? null,
        valid_to: null,
        successor_id: null,
        created_at: now.toISOString(),
      })
      .returning("id")
      .executeTakeFirstOrThrow();
    const keys = new Set<string>();
    for (const alias of [name, ...(input.aliases ?? [])]) {
      const clean = squash(nfc(alias));
      const key = unitKey(clean);
      if (!key || keys.has(key)) continue;
      keys.add(key);
      await trx
        .insertInto("org_unit_aliases")
        .values({ org_unit_id: row.id, ward_id: input.wardId, alias: clean, alias_key: key })
        .execute();
    }
    await audit(
      trx,
      actor,
      {
        action: "org_unit.create",
        entity: "org_unit",
        entityId: row.id,
        wardId: input.wardId,
        after: { name, aliases: input.aliases ?? [] },
      },
      now,
    );
    return row.id;
  });
}

/** Teach the ward another name for one of its units; audited. Returns false when the alias already points somewhere. */
export async function addOrgUnitAlias(
  db: Kysely<Database>,
  actor: Actor,
  wardId: number,
  orgUnitId: number,
  alias: string,
  now: Date,
): Promise<boolean> {
  const clean = squash(nfc(alias));
  const key = unitKey(clean);
  if (!key) return false;
  return db.transaction().execute(async (trx) => {
    const existing = await trx
      .selectFrom("org_unit_aliases")
      .select("id")
      .where("ward_id", "=", wardId)
      .where("alias_key", "=", key)
      .executeTakeFirst();
    if (existing) return false;
    await trx
      .insertInto("org_unit_aliases")
      .values({ org_unit_id: orgUnitId, ward_id: wardId, alias: clean, alias_key: key })
      .execute();
    await audit(
      trx,
      actor,
      { action: "org_unit.alias_add", entity: "org_unit", entityId: orgUnitId, wardId, after: { alias: clean } },
      now,
    );
    return true;
  });
}
