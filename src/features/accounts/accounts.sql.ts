/** Every query of the accounts feature: staff accounts of a ward, with the unit each belongs to. */
import type { Insertable, Kysely, Transaction, Updateable } from "kysely";
import type { Database, UserTable } from "../../core/db/schema.ts";

type Q = Kysely<Database> | Transaction<Database>;

const ACCOUNT_COLUMNS = [
  "users.id",
  "users.username",
  "users.display_name",
  "users.role",
  "users.org_unit_id",
  "users.active",
  "users.created_at",
  "users.sso_email",
  // When the second factor was switched on (null: off); never the secret itself.
  "users.totp_enabled_at",
  "org_units.name as unit_name",
  "org_units.valid_to as unit_valid_to",
] as const;

const accountsQuery = (db: Q, wardId: number) =>
  db
    .selectFrom("users")
    .leftJoin("org_units", "org_units.id", "users.org_unit_id")
    .select(ACCOUNT_COLUMNS)
    .where("users.ward_id", "=", wardId);

/** An account with its unit's name and last day in force. */
export type AccountRow = Awaited<ReturnType<typeof accountRows>>[number];

/** The ward's accounts, active first, then by username. */
export function accountRows(db: Q, wardId: number) {
  return accountsQuery(db, wardId).orderBy("users.active", "desc").orderBy("users.username").execute();
}

/** One account of the ward, with its unit. */
export function accountRow(db: Q, wardId: number, id: number) {
  return accountsQuery(db, wardId).where("users.id", "=", id).executeTakeFirst();
}

/** One user row, only when it belongs to that ward. */
export function userOfWard(db: Q, wardId: number, id: number) {
  return db.selectFrom("users").selectAll().where("ward_id", "=", wardId).where("id", "=", id).executeTakeFirst();
}

/** The user with this (normalised) username, in any ward: usernames are unique across the install. */
export function userByUsername(db: Q, username: string) {
  return db.selectFrom("users").selectAll().where("username", "=", username).executeTakeFirst();
}

/** A new account; returns its id. */
export async function insertUser(db: Q, row: Insertable<UserTable>): Promise<number> {
  return (await db.insertInto("users").values(row).returning("id").executeTakeFirstOrThrow()).id;
}

/** Change some columns of one account. */
export async function updateUser(db: Q, id: number, set: Updateable<UserTable>): Promise<void> {
  await db.updateTable("users").set(set).where("id", "=", id).execute();
}

/** The ward's users by username (no unit names: see `accountRows` for the pages). */
export function usersOfWard(db: Q, wardId: number) {
  return db
    .selectFrom("users")
    .select(["id", "username", "display_name", "role", "org_unit_id", "active"])
    .where("ward_id", "=", wardId)
    .orderBy("username")
    .execute();
}

/** The level of an administrative unit ("province", "district", "commune"), or null when there is none. */
export async function levelOfUnit(db: Q, unitId: number): Promise<string | null> {
  const r = await db.selectFrom("admin_units").select("level").where("id", "=", unitId).executeTakeFirst();
  return r?.level ?? null;
}

/** Whether an organisational unit belongs to this ward (or province). */
export async function orgUnitBelongsTo(db: Q, orgUnitId: number, unitId: number): Promise<boolean> {
  const r = await db
    .selectFrom("org_units")
    .select("id")
    .where("id", "=", orgUnitId)
    .where("ward_id", "=", unitId)
    .executeTakeFirst();
  return r !== undefined;
}

/** The single sign-on identities bound to an account (issuer, when bound, last used). */
export function ssoIdentitiesOf(db: Q, userId: number) {
  return db
    .selectFrom("sso_identities")
    .select(["issuer", "subject", "bound_at", "last_sign_in_at"])
    .where("user_id", "=", userId)
    .orderBy("bound_at")
    .execute();
}

/** The account, in any ward, granted this e-mail for single sign-on. */
export function userBySsoEmail(db: Q, email: string) {
  return db.selectFrom("users").select(["id", "ward_id"]).where("sso_email", "=", email).executeTakeFirst();
}

/** Forget an account's bound identities (its e-mail for single sign-on changed): the next sign-in binds anew. */
export async function unbindSso(db: Q, userId: number): Promise<number> {
  const r = await db.deleteFrom("sso_identities").where("user_id", "=", userId).executeTakeFirst();
  return Number(r.numDeletedRows);
}
