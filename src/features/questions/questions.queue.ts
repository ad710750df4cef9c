/** What is waiting in the question workflow, for the staff home's work queue: open questions, oldest first. */
import type { Kysely } from "kysely";
import type { Database } from "../../core/db/schema.ts";

/** Statuses still waiting for a step, in workflow order. */
export const QUESTION_WAITING = ["received", "routed", "drafted", "approved"] as const;

export function waitingQuestions(db: Kysely<Database>, wardId: number, unitId: number | null, limit = 500) {
  let query = db
    .selectFrom("questions")
    .select(["id", "code", "status", "received_at", "question"])
    .where("ward_id", "=", wardId)
    .where("status", "in", [...QUESTION_WAITING]);
  if (unitId != null) query = query.where("assigned_unit_id", "=", unitId);
  return query.orderBy("received_at").orderBy("id").limit(limit).execute();
}
