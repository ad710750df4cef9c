/** Reads what waits for one staff member (through each feature's own query) and builds their work queue. */

import { isProvinceAccount } from "../../core/auth/owners.ts";
import { can, isUnitScoped, type Role } from "../../core/auth/roles.ts";
import type { Deps } from "../../core/web/context.ts";
import { waitingFeedback } from "../feedback/feedback.queue.ts";
import { listMyTasks } from "../plans/tracking.read.ts";
import { waitingQuestions } from "../questions/questions.queue.ts";
import { requestsForWard } from "../reports/requests.service.ts";
import { buildWorkQueue, type QueueBucket } from "./work-queue.ts";

export async function workQueueOf(
  deps: Pick<Deps, "db">,
  user: {
    id: number;
    ward_id: number;
    role: string;
    org_unit_id: number | null;
    username: string;
    owner_scope: string | null;
  },
  today: string,
): Promise<QueueBucket[]> {
  const role = user.role as Role;
  const db = deps.db.kysely;
  // A province's account has no ward work: its home lists its wards and requests instead.
  if (isProvinceAccount(user)) return [];
  // An officer's queue is their unit's; an officer without a unit has none (never the whole ward's).
  const unitScoped = isUnitScoped(role);
  if (unitScoped && user.org_unit_id == null)
    return buildWorkQueue({ role, feedback: [], questions: [], tasks: [], today });
  const unitId = unitScoped ? user.org_unit_id : null;
  const [feedback, questions, tasks, requests] = await Promise.all([
    can(role, "feedback.open") ? waitingFeedback(db, user.ward_id, unitId) : [],
    can(role, "question.open") ? waitingQuestions(db, user.ward_id, unitId) : [],
    can(role, "task.update") ? listMyTasks(deps, user, today) : null,
    can(role, "report.draft") ? requestsForWard(db, user.ward_id, today) : [],
  ]);
  return buildWorkQueue({
    role,
    feedback,
    questions,
    tasks: tasks ? tasks.groups.flatMap((g) => g.tasks) : [],
    reportRequests: requests
      .filter((r) => r.status === "pending" || r.status === "overdue")
      .map((r) => ({ id: r.request.id, title: r.request.title, deadline: r.request.deadline })),
    today,
  });
}
