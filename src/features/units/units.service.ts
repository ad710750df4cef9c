/** Administrative units with time, the ward a request is about, and the ward's own units with their aliases. */
import type { Kysely } from "kysely";
import { type Actor, audit } from "../../core/audit.ts";
import type { Db } from "../../core/db/connection.ts";
import type { Database, OrgUnit } from "../../core/db/schema.ts";
import { inTransaction } from "../../core/db/transaction.ts";
import { compareVi, foldWords, nfc, squash, vnToday } from "../../core/text/vi.ts";
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
      q.insertAdminUnits(
        trx,
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
      ),
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
    await k.transaction().execute((trx) => q.insertAdminUnitLinks(trx, batch));
  }
  return { loaded: true, units: ordered.length, links: links.length };
}

export { parseWardRef, resolveWard, wardById, wardHasPortal, wardOf } from "../../core/wards.ts";

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
  /** "own" or "partner" (the Front, the unions). */
  kind: string;
}

/** The ward's own units in force today, each with its aliases (for recognising them in documents). */
export async function orgUnitsWithAliases(
  db: Kysely<Database>,
  wardId: number,
  today = vnToday(),
): Promise<OrgUnitWithAliases[]> {
  const [units, aliases] = await Promise.all([q.orgUnitsOfWard(db, wardId), q.aliasesOfWard(db, wardId)]);
  return units
    .filter((u) => !retiredOn(u, today))
    .map((u) => ({
      id: u.id,
      code: u.code,
      name: u.name,
      validTo: u.valid_to,
      kind: u.kind,
      aliases: aliases.filter((a) => a.org_unit_id === u.id).map((a) => a.alias),
    }));
}

/** Create one of the ward's own units with its aliases; audited. Given a transaction, it writes in it. */
export async function createOrgUnit(
  db: Kysely<Database>,
  actor: Actor,
  input: { wardId: number; name: string; code?: string | null; aliases?: string[]; validFrom?: string | null },
  now: Date,
): Promise<number> {
  const name = squash(nfc(input.name));
  return inTransaction(db, async (trx) => {
    const unitId = await q.insertOrgUnit(trx, {
      ward_id: input.wardId,
      code: input.code ?? null,
      name,
      valid_from: input.validFrom ?? null,
      created_at: now.toISOString(),
    });
    const aliases = new Map<string, string>();
    for (const alias of [name, ...(input.aliases ?? [])]) {
      const clean = squash(nfc(alias));
      const key = unitKey(clean);
      if (key && !aliases.has(key)) aliases.set(key, clean);
    }
    await q.insertAliases(
      trx,
      [...aliases].map(([key, alias]) => ({ org_unit_id: unitId, ward_id: input.wardId, alias, alias_key: key })),
    );
    await audit(
      trx,
      actor,
      {
        action: "org_unit.create",
        entity: "org_unit",
        entityId: unitId,
        wardId: input.wardId,
        after: { name, aliases: input.aliases ?? [] },
      },
      now,
    );
    return unitId;
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
    if (await q.aliasByKey(trx, wardId, key)) return false;
    await q.insertAliases(trx, [{ org_unit_id: orgUnitId, ward_id: wardId, alias: clean, alias_key: key }]);
    await audit(
      trx,
      actor,
      { action: "org_unit.alias_add", entity: "org_unit", entityId: orgUnitId, wardId, after: { alias: clean } },
      now,
    );
    return true;
  });
}

// ---------------------------------------------------------------------------------------------------------------
// The ward's own units, for their pages and for choosing one (managing them: org-units.service.ts)

export interface OrgUnitView {
  id: number;
  code: string | null;
  name: string;
  validFrom: string | null;
  /** Last day in force, or null. */
  validTo: string | null;
  /** Out of force today: no longer matched, no longer offered as a choice. */
  retired: boolean;
  successor: { id: number; name: string } | null;
  predecessors: { id: number; name: string }[];
  aliases: { id: number; alias: string; isName: boolean }[];
  taskCount: number;
  activeUsers: number;
}

/** Out of force on `today`: its last day is past. */
export const retiredOn = (u: Pick<OrgUnit, "valid_to">, today: string) => u.valid_to != null && u.valid_to < today;

/** Every unit of the ward, in force first (by name), then retired (latest first), with aliases and history counts. */
export async function listOrgUnits(db: Kysely<Database>, wardId: number, today: string): Promise<OrgUnitView[]> {
  const [units, aliases, tasks, users] = await Promise.all([
    q.orgUnitsOfWard(db, wardId),
    q.aliasesOfWard(db, wardId),
    q.taskCountsOfWardUnits(db, wardId),
    q.activeUserCountsOfWardUnits(db, wardId),
  ]);
  const byId = new Map(units.map((u) => [u.id, u]));
  const views = units.map((u) => {
    const nameKey = unitKey(u.name);
    const successor = u.successor_id != null ? byId.get(u.successor_id) : undefined;
    return {
      id: u.id,
      code: u.code,
      name: u.name,
      validFrom: u.valid_from,
      validTo: u.valid_to,
      retired: retiredOn(u, today),
      successor: successor ? { id: successor.id, name: successor.name } : null,
      predecessors: units.filter((p) => p.successor_id === u.id).map((p) => ({ id: p.id, name: p.name })),
      aliases: aliases
        .filter((a) => a.org_unit_id === u.id)
        .map((a) => ({ id: a.id, alias: a.alias, isName: a.alias_key === nameKey })),
      taskCount: tasks.get(u.id) ?? 0,
      activeUsers: users.get(u.id) ?? 0,
    };
  });
  return views.sort((a, b) =>
    a.retired !== b.retired
      ? Number(a.retired) - Number(b.retired)
      : a.retired
        ? (b.validTo ?? "").localeCompare(a.validTo ?? "")
        : compareVi(a.name, b.name),
  );
}

/** The units an account or a task may be given today (in force only), by name. */
export async function unitChoices(db: Kysely<Database>, wardId: number, today: string) {
  const units = await q.orgUnitsOfWard(db, wardId);
  return units
    .filter((u) => !retiredOn(u, today))
    .map((u) => ({ id: u.id, name: u.name }))
    .sort((a, b) => compareVi(a.name, b.name));
}

/** One of the ward's units, if it exists there; `inForce` tells whether it may still be chosen today. */
export async function findOrgUnit(db: Kysely<Database>, wardId: number, id: number, today: string) {
  const u = await q.orgUnitOfWard(db, wardId, id);
  return u ? { id: u.id, name: u.name, code: u.code, inForce: !retiredOn(u, today) } : null;
}

/** The communes (wards) in force on a date under a province. */
export const communesOfProvince = q.communesOfProvince;
export const provincesInForce = q.provincesInForce;
