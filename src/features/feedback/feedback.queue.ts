/**
 * What is waiting in the feedback workflow, for the staff home's work queue: the open items of a ward (of one unit
 * for an officer), oldest first. Closed items (rejected, forwarded, published) wait for nobody.
 */
import type { Kysely } from "kysely";
import type { Database } from "../../core/db/schema.ts";

/** Statuses still waiting for a step, in workflow order. */
export const FEEDBACK_WAITING = ["received", "registered", "in_scope", "processing", "drafted", "decided"] as const;

export function waitingFeedback(db: Kysely<Database>, wardId: number, unitId: number | null, limit = 500) {
  let query = db
    .selectFrom("feedback_items")
    .select(["id", "code", "status", "due_on", "received_at", "subject"])
    .where("ward_id", "=", wardId)
    .where("status", "in", [...FEEDBACK_WAITING]);
  if (unitId != null) query = query.where("assigned_unit_id", "=", unitId);
  return query.orderBy("received_at").orderBy("id").limit(limit).execute();
}
