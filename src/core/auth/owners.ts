/**
 * Owner levels (ARCHITECTURE.md "Every record has an owner level"): a record belongs to the nation, to a province or
 * to a ward, and only users of the owning level change it. Stored as text: "nation", or "unit:{admin unit id}" for a
 * province or a ward (the same form as the search documents' scopes). A ward's own values live beside the shared
 * record, never in it; what a ward reads is the nation's, then its province's, then its own (the latter win).
 *
 * Accounts: every account changes its own ward's records (as its role allows). `users.owner_scope` names the level
 * above the ward it may also change: "nation" for a deployment operator (national and every province's records),
 * "unit:{province id}" for a province user (issue 9), NULL for everyone else. A province user's account belongs to the
 * province itself (`ward_id` is the province's unit, `owner_scope` the same unit): it reads every ward under it and
 * changes only its own level's records.
 */

export type Owner = "nation" | `unit:${number}`;

export const NATION: Owner = "nation";

/** The owner value of an administrative unit (a province or a ward). */
export const unitOwner = (unitId: number): Owner => `unit:${unitId}`;

/** Whether a stored text is an owner value. */
export const isOwner = (value: string): value is Owner => value === NATION || /^unit:\d+$/.test(value);

/** The owners whose records a ward reads, most general first: the nation, its province, itself. */
export function ownersReadBy(ward: { unit: { id: number }; province: { id: number } | null }): Owner[] {
  return [NATION, ...(ward.province ? [unitOwner(ward.province.id)] : []), unitOwner(ward.unit.id)];
}

interface Account {
  ward_id: number;
  owner_scope: string | null;
}

/** A province's account (or its department's): its unit is the province it holds the scope of. */
export const isProvinceAccount = (user: Account | null | undefined): boolean =>
  !!user && user.owner_scope === unitOwner(user.ward_id);

/** A deployment operator: may change the nation's records (and so every province's). */
export const isOperator = (user: Account | null | undefined): boolean => user?.owner_scope === NATION;

/** The three levels a record may belong to. */
export type OwnerLevel = "nation" | "province" | "ward";

/**
 * Whether an account may change a record owned by `owner` at `level`: its own ward's always (its role decides
 * which), a province's when it holds that province's scope, the nation's and every province's when it is an
 * operator. No account changes another ward's records (an operator acts on a ward through that ward's accounts).
 */
export function mayChange(user: Account, level: OwnerLevel, owner: Owner): boolean {
  if (level === "ward") return owner === unitOwner(user.ward_id);
  if (level === "province") return user.owner_scope === NATION || user.owner_scope === owner;
  return user.owner_scope === NATION;
}
