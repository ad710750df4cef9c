/** The state of each task of a plan today: one computation shared by the pages and the API. */
import type { Kysely } from "kysely";
import type { Database } from "../../core/db/schema.ts";
import type { LoadedPlan } from "./plans.service.ts";
import type { TaskState } from "./progress.ts";
import { statesOf } from "./tracking.rules.ts";
import { lastWorkDates } from "./tracking.service.ts";

/** Each live task's state today (overdue computed from due dates and, for recurring tasks, from the last work). */
export async function taskStates(db: Kysely<Database>, p: LoadedPlan, today: string): Promise<Map<number, TaskState>> {
  return statesOf(p.tasks, p.plan, p.lastWork ?? (await lastWorkDates(db, p.plan.id)), today);
}
