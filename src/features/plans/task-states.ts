/** The state of each task of a plan today: one computation shared by the pages and the API. */
import type { Kysely } from "kysely";
import type { Database } from "../../core/db/schema.ts";
import type { LoadedPlan } from "./plans.service.ts";
import { type TaskState, taskStatus } from "./progress.ts";
import { lastWorkDates } from "./tracking.service.ts";

/** Each live task's state today (overdue computed from due dates and, for recurring tasks, from the last work). */
export async function taskStates(db: Kysely<Database>, p: LoadedPlan, today: string): Promise<Map<number, TaskState>> {
  const last = await lastWorkDates(db, p.plan.id);
  return new Map(
    p.tasks.map((t) => [
      t.id,
      taskStatus(
        {
          status: t.status,
          dueOn: t.due_on,
          recurrence: t.recurrence,
          lastActivityOn: last.get(t.id) ?? null,
          periodFrom: p.plan.period_from ?? p.plan.issued_on,
        },
        today,
      ),
    ]),
  );
}
