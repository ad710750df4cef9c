/** The audit trail: who did what, when, before → after. Written inside the caller's transaction, so it exists exactly when the change does. */
import type { Kysely, Transaction } from "kysely";
import type { Database } from "./db/schema.ts";

export interface Actor {
  userId: number | null;
  /** Username or "cli", "system": kept as text so the record survives the account. */
  name: string;
  wardId: number | null;
}

export const SYSTEM_ACTOR: Actor = { userId: null, name: "system", wardId: null };

/** The actor of a signed-in staff user. */
export const actorOf = (u: { id: number; username: string; ward_id: number }): Actor => ({
  userId: u.id,
  name: u.username,
  wardId: u.ward_id,
});

export interface AuditEntry {
  action: string;
  entity: string;
  entityId?: string | number | null;
  wardId?: number | null;
  before?: unknown;
  after?: unknown;
}

/** Append one audit record. Pass the transaction that makes the change. */
export async function audit(
  trx: Transaction<Database> | Kysely<Database>,
  actor: Actor,
  entry: AuditEntry,
  now: Date,
): Promise<void> {
  await trx
    .insertInto("audit_log")
    .values({
      at: now.toISOString(),
      ward_id: entry.wardId ?? actor.wardId,
      user_id: actor.userId,
      actor: actor.name,
      action: entry.action,
      entity: entry.entity,
      entity_id: entry.entityId == null ? null : String(entry.entityId),
      before_json: entry.before === undefined ? null : JSON.stringify(entry.before),
      after_json: entry.after === undefined ? null : JSON.stringify(entry.after),
    })
    .execute();
}

/** The latest audit records of a ward, newest first. */
export function listAudit(db: Kysely<Database>, wardId: number, opts: { limit: number; offset: number }) {
  return db
    .selectFrom("audit_log")
    .selectAll()
    .where("ward_id", "=", wardId)
    .orderBy("id", "desc")
    .limit(opts.limit)
    .offset(opts.offset)
    .execute();
}
