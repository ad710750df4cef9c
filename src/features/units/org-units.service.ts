/**
 * Managing the ward's own units: create, rename, aliases, retire with a successor. Each use case validates its
 * input (zod, Vietnamese messages), runs in one transaction and writes its audit record (before → after) in it.
 * A retired unit keeps its tasks (history survives) but leaves matching and unit choices.
 */
import type { Kysely, Transaction } from "kysely";
import { type Actor, audit } from "../../core/audit.ts";
import type { Database, OrgUnit } from "../../core/db/schema.ts";
import { foldWords, formatDate, nfc, squash, vnToday } from "../../core/text/vi.ts";
import { type FieldErrors, validate } from "../../core/web/validation.ts";
import { unitKey } from "../plans/unit-match.ts";
import {
  aliasSchema,
  type CreateOrgUnitInput,
  createSchema,
  removeAliasSchema,
  renameSchema,
  retireSchema,
} from "./org-units.schemas.ts";
import { createOrgUnit, retiredOn } from "./units.service.ts";
import * as q from "./units.sql.ts";

export type Failure = { ok: false; status: 400 | 404 | 409; errors: FieldErrors };
export type Result<T> = { ok: true; value: T } | Failure;

const invalid = (errors: FieldErrors): Failure => ({ ok: false, status: 400, errors });
const conflict = (errors: FieldErrors): Failure => ({ ok: false, status: 409, errors });
const UNIT_NOT_FOUND: Failure = { ok: false, status: 404, errors: { _: "Không tìm thấy đơn vị." } };

/** Zod paths like `aliases.3` point at one line of a field: the form shows them on the field. */
function byField<T>(v: { ok: true; value: T } | { ok: false; errors: FieldErrors }): Result<T> {
  if (v.ok) return v;
  const errors: FieldErrors = {};
  for (const [k, m] of Object.entries(v.errors)) errors[k.split(".")[0] as string] ??= m;
  return invalid(errors);
}

// ---------------------------------------------------------------------------------------------------------------
// Keys: each alias key recognises exactly one unit of the ward.

interface KeyOwner {
  unitId: number;
  unitName: string;
  retired: boolean;
}

/** Which unit each key (alias or unit name) already recognises. Wards have dozens of units: read them all. */
async function keyOwners(trx: Transaction<Database>, wardId: number, today: string): Promise<Map<string, KeyOwner>> {
  const [units, aliases] = await Promise.all([q.orgUnitsOfWard(trx, wardId), q.aliasesOfWard(trx, wardId)]);
  const owners = new Map<string, KeyOwner>();
  const byId = new Map(units.map((u) => [u.id, u]));
  for (const a of aliases) {
    const u = byId.get(a.org_unit_id);
    if (u) owners.set(a.alias_key, { unitId: u.id, unitName: u.name, retired: retiredOn(u, today) });
  }
  // A unit in force is recognised by its name even without an alias row; a retired one only by the rows it keeps.
  for (const u of units) {
    const key = unitKey(u.name);
    if (key && !owners.has(key) && !retiredOn(u, today))
      owners.set(key, { unitId: u.id, unitName: u.name, retired: false });
  }
  return owners;
}

function takenMessage(text: string, owner: KeyOwner): string {
  return owner.retired
    ? `Tên gọi “${text}” đã thuộc về đơn vị “${owner.unitName}” (đã thôi hoạt động). Hãy xóa tên gọi đó khỏi đơn vị ấy trước.`
    : `Tên gọi “${text}” đã thuộc về đơn vị “${owner.unitName}”. Mỗi tên gọi chỉ dùng để nhận ra một đơn vị.`;
}

const tooVague = (text: string) =>
  `“${text}” không đủ để nhận ra đơn vị (chỉ gồm những từ như “Ngành”, “Bộ phận”, “Công chức”). Hãy ghi rõ hơn.`;

/** Two people adding the same alias at once: the unique index refuses the second, which we report as a conflict. */
function isUniqueViolation(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  return code === "23505" || code === "SQLITE_CONSTRAINT_UNIQUE";
}
const RACE: Failure = conflict({ _: "Dữ liệu vừa được người khác thay đổi. Hãy tải lại trang và thử lại." });

async function inTransaction<T>(db: Kysely<Database>, work: (trx: Transaction<Database>) => Promise<Result<T>>) {
  try {
    return await db.transaction().execute(work);
  } catch (err) {
    if (isUniqueViolation(err)) return RACE as Result<T>;
    throw err;
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Use cases

/** Create one of the ward's units with its aliases (the name is an alias too); refused when a name is taken. */
export async function createUnit(
  db: Kysely<Database>,
  actor: Actor,
  input: CreateOrgUnitInput,
  now: Date,
): Promise<Result<{ id: number }>> {
  const v = byField(validate(createSchema, input));
  if (!v.ok) return v;
  const u = v.value;
  const today = vnToday(now);
  const names: { text: string; key: string; field: "name" | "aliases" }[] = [];
  for (const [text, field] of [[u.name, "name"] as const, ...u.aliases.map((a) => [a, "aliases"] as const)]) {
    const key = unitKey(text);
    if (!key) return invalid({ [field]: tooVague(text) });
    if (!names.some((n) => n.key === key)) names.push({ text, key, field });
  }
  return inTransaction(db, async (trx) => {
    const owners = await keyOwners(trx, u.wardId, today);
    const errors: FieldErrors = {};
    for (const n of names) {
      const owner = owners.get(n.key);
      if (owner) errors[n.field] ??= takenMessage(n.text, owner);
    }
    if (u.code) {
      const units = await q.orgUnitsOfWard(trx, u.wardId);
      const same = units.find((x) => x.code != null && x.code.toLowerCase() === u.code?.toLowerCase());
      if (same) errors.code = `Mã “${u.code}” đã dùng cho đơn vị “${same.name}”.`;
    }
    if (Object.keys(errors).length) return conflict(errors);
    const unitId = await q.insertOrgUnit(trx, {
      ward_id: u.wardId,
      code: u.code,
      name: u.name,
      valid_from: u.validFrom,
      created_at: now.toISOString(),
    });
    await q.insertAliases(
      trx,
      names.map((n) => ({ org_unit_id: unitId, ward_id: u.wardId, alias: n.text, alias_key: n.key })),
    );
    await audit(
      trx,
      actor,
      {
        action: "org_unit.create",
        entity: "org_unit",
        entityId: unitId,
        wardId: u.wardId,
        after: { name: u.name, code: u.code, validFrom: u.validFrom, aliases: names.map((n) => n.text) },
      },
      now,
    );
    return { ok: true, value: { id: unitId } };
  });
}

/**
 * Rename a unit. The new name also becomes an alias (while the unit is in force); the old name stays an alias,
 * since documents written before the change still use it.
 */
export async function renameUnit(
  db: Kysely<Database>,
  actor: Actor,
  input: { wardId: number; unitId: number | string; name: string },
  now: Date,
): Promise<Result<{ id: number }>> {
  const v = byField(validate(renameSchema, input));
  if (!v.ok) return v;
  const { wardId, unitId, name } = v.value;
  const key = unitKey(name);
  if (!key) return invalid({ name: tooVague(name) });
  const today = vnToday(now);
  return inTransaction(db, async (trx) => {
    const unit = await q.orgUnitOfWard(trx, wardId, unitId);
    if (!unit) return UNIT_NOT_FOUND;
    if (unit.name === name) return { ok: true, value: { id: unit.id } };
    const owner = (await keyOwners(trx, wardId, today)).get(key);
    if (owner && owner.unitId !== unit.id) return conflict({ name: takenMessage(name, owner) });
    await q.updateOrgUnit(trx, unit.id, { name });
    const aliasAdded = !owner && !retiredOn(unit, today);
    if (aliasAdded)
      await q.insertAliases(trx, [{ org_unit_id: unit.id, ward_id: wardId, alias: name, alias_key: key }]);
    await audit(
      trx,
      actor,
      {
        action: "org_unit.rename",
        entity: "org_unit",
        entityId: unit.id,
        wardId,
        before: { name: unit.name },
        after: { name, aliasAdded: aliasAdded ? name : null },
      },
      now,
    );
    return { ok: true, value: { id: unit.id } };
  });
}

/** Teach the ward another name for one of its units in force; refused when that name recognises another unit. */
export async function addAlias(
  db: Kysely<Database>,
  actor: Actor,
  input: { wardId: number; unitId: number | string; alias: string },
  now: Date,
): Promise<Result<{ id: number }>> {
  const v = byField(validate(aliasSchema, input));
  if (!v.ok) return v;
  const { wardId, unitId, alias } = v.value;
  const key = unitKey(alias);
  if (!key) return invalid({ alias: tooVague(alias) });
  const today = vnToday(now);
  return inTransaction(db, async (trx) => {
    const unit = await q.orgUnitOfWard(trx, wardId, unitId);
    if (!unit) return UNIT_NOT_FOUND;
    if (retiredOn(unit, today))
      return invalid({ alias: "Đơn vị đã thôi hoạt động: không thêm tên gọi cho đơn vị này nữa." });
    const owner = (await keyOwners(trx, wardId, today)).get(key);
    if (owner?.unitId === unit.id)
      return conflict({ alias: `Đơn vị “${unit.name}” đã có tên gọi “${alias}” (hoặc một cách viết tương đương).` });
    if (owner) return conflict({ alias: takenMessage(alias, owner) });
    const before = (await q.aliasesOfUnit(trx, unit.id)).map((a) => a.alias);
    await q.insertAliases(trx, [{ org_unit_id: unit.id, ward_id: wardId, alias, alias_key: key }]);
    await audit(
      trx,
      actor,
      {
        action: "org_unit.alias_add",
        entity: "org_unit",
        entityId: unit.id,
        wardId,
        before: { aliases: before },
        after: { aliases: [...before, alias] },
      },
      now,
    );
    return { ok: true, value: { id: unit.id } };
  });
}

/** Forget one alias of a unit. The alias that is the unit's own name stays while the unit is in force. */
export async function removeAlias(
  db: Kysely<Database>,
  actor: Actor,
  input: { wardId: number; unitId: number | string; aliasId: number | string },
  now: Date,
): Promise<Result<{ id: number }>> {
  const v = byField(validate(removeAliasSchema, input));
  if (!v.ok) return v;
  const { wardId, unitId, aliasId } = v.value;
  const today = vnToday(now);
  return inTransaction(db, async (trx) => {
    const unit = await q.orgUnitOfWard(trx, wardId, unitId);
    if (!unit) return UNIT_NOT_FOUND;
    const aliases = await q.aliasesOfUnit(trx, unit.id);
    const alias = aliases.find((a) => a.id === aliasId);
    if (!alias) return { ok: false, status: 404, errors: { _: "Không tìm thấy tên gọi này của đơn vị." } };
    if (alias.alias_key === unitKey(unit.name) && !retiredOn(unit, today))
      return invalid({
        aliases: `“${alias.alias}” là tên của đơn vị nên không xóa được. Muốn bỏ tên này, hãy đổi tên đơn vị.`,
      });
    await q.deleteAlias(trx, alias.id);
    await audit(
      trx,
      actor,
      {
        action: "org_unit.alias_remove",
        entity: "org_unit",
        entityId: unit.id,
        wardId,
        before: { aliases: aliases.map((a) => a.alias) },
        after: { aliases: aliases.filter((a) => a.id !== alias.id).map((a) => a.alias) },
      },
      now,
    );
    return { ok: true, value: { id: unit.id } };
  });
}

export interface RetireInput {
  wardId: number;
  unitId: number | string;
  /** Last day the unit is in force (ISO or dd/mm/yyyy). */
  validTo: string;
  successorId?: number | string | null;
  /** Hand the unit's aliases to its successor, so documents naming the old unit are recognised as the new one. */
  moveAliases?: boolean | string;
}

/**
 * Retire a unit: after its last day it leaves matching and unit choices; its tasks and activities stay linked to
 * it. An optional successor (in force after that day) may take over its aliases.
 */
export async function retireUnit(
  db: Kysely<Database>,
  actor: Actor,
  input: RetireInput,
  now: Date,
): Promise<Result<{ id: number }>> {
  const v = byField(validate(retireSchema, input));
  if (!v.ok) return v;
  const { wardId, unitId, validTo, successorId } = v.value;
  const moveAliases = v.value.moveAliases && successorId != null;
  return inTransaction(db, async (trx) => {
    const unit = await q.orgUnitOfWard(trx, wardId, unitId);
    if (!unit) return UNIT_NOT_FOUND;
    if (unit.valid_to) return invalid({ validTo: `Đơn vị đã thôi hoạt động sau ngày ${formatDate(unit.valid_to)}.` });
    if (unit.valid_from && validTo < unit.valid_from)
      return invalid({
        validTo: `Ngày thôi hoạt động không được trước ngày đơn vị bắt đầu hoạt động (${formatDate(unit.valid_from)}).`,
      });
    let successor: OrgUnit | undefined;
    if (successorId != null) {
      successor = await q.orgUnitOfWard(trx, wardId, successorId);
      if (!successor || successor.id === unit.id)
        return invalid({ successorId: "Hãy chọn đơn vị kế thừa khác với đơn vị này, trong danh sách." });
      if (successor.valid_to != null && successor.valid_to <= validTo)
        return invalid({
          successorId: `Đơn vị kế thừa “${successor.name}” phải còn hoạt động sau ngày ${formatDate(validTo)}.`,
        });
    }
    const aliases = (await q.aliasesOfUnit(trx, unit.id)).map((a) => a.alias);
    await q.updateOrgUnit(trx, unit.id, { valid_to: validTo, successor_id: successor?.id ?? null });
    if (moveAliases && successor) await q.moveAliases(trx, unit.id, successor.id);
    await audit(
      trx,
      actor,
      {
        action: "org_unit.retire",
        entity: "org_unit",
        entityId: unit.id,
        wardId,
        before: { validTo: unit.valid_to, successorId: unit.successor_id, aliases },
        after: {
          validTo,
          successorId: successor?.id ?? null,
          successor: successor?.name ?? null,
          aliases: moveAliases ? [] : aliases,
          aliasesMovedTo: moveAliases ? (successor?.name ?? null) : null,
        },
      },
      now,
    );
    return { ok: true, value: { id: unit.id } };
  });
}

/** A department's symbol from its name's initials, as in its documents' symbol: "Sở Nội vụ" → "SNV". */
export function departmentSymbol(name: string): string {
  return foldWords(name)
    .split(" ")
    .filter(Boolean)
    .map((w) => w.charAt(0).toUpperCase())
    .join("");
}

/** The province's department with this symbol or (folded) name, if it has one. */
export async function findDepartment(db: Kysely<Database>, provinceId: number, nameOrSymbol: string) {
  const wanted = squash(nfc(nameOrSymbol));
  const key = foldWords(wanted);
  const units = await q.orgUnitsOfWard(db, provinceId);
  return units.find((u) => u.code === wanted.toUpperCase() || foldWords(u.name) === key);
}

/** What is wrong with a department's name (or symbol), or null: 2–120 characters, enough words for a symbol. */
export function departmentNameProblem(nameOrSymbol: string): string | null {
  const wanted = squash(nfc(nameOrSymbol));
  if (wanted.length === 0) return "Cần tên sở, ngành.";
  if (wanted.length < 2 || wanted.length > 120) return "Tên sở, ngành gồm 2–120 ký tự.";
  if (departmentSymbol(wanted).length < 2) return `Không đặt được ký hiệu cho “${wanted}”: hãy ghi đủ tên sở, ngành.`;
  return null;
}

/**
 * A department of a province (an organisational unit of the province, e.g. Sở Nội vụ) named by its symbol or its
 * name; made, with its initials as symbol, when the province has none of that name.
 */
export async function findOrCreateDepartment(
  db: Kysely<Database>,
  actor: Actor,
  provinceId: number,
  nameOrSymbol: string,
  now: Date,
): Promise<{ ok: true; id: number; name: string; code: string; created: boolean } | { ok: false; error: string }> {
  const wanted = squash(nfc(nameOrSymbol));
  const found = await findDepartment(db, provinceId, wanted);
  if (found) return { ok: true, id: found.id, name: found.name, code: found.code ?? "", created: false };
  const problem = departmentNameProblem(wanted);
  if (problem) return { ok: false, error: problem };
  const code = departmentSymbol(wanted);
  const id = await createOrgUnit(db, actor, { wardId: provinceId, name: wanted, code }, now);
  return { ok: true, id, name: wanted, code, created: true };
}
