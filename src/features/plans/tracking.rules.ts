/**
 * The rules of task tracking: which tasks a ward carries (its own and its predecessors'), who may act on a task,
 * and what state a task is in (from its stored status, its deadline and its latest work).
 */
import type { Kysely } from "kysely";
import { can, isUnitScoped, type Role } from "../../core/auth/roles.ts";
import type { Config } from "../../core/config.ts";
import type { Db } from "../../core/db/connection.ts";
import type { Database, User } from "../../core/db/schema.ts";
import { vnToday } from "../../core/text/vi.ts";
import { wardOf } from "../units/units.service.ts";
import { adminUnitById } from "../units/units.sql.ts";
import { type StoredStatus, type TaskState, taskStatus } from "./progress.ts";
import * as q from "./tracking.sql.ts";

export interface TrackingDeps {
  db: Db;
  config: Pick<Config, "dataDir" | "uploadMaxBytes" | "fileStore">;
  clock: () => Date;
}

/** The signed-in staff member (the session's user row). */
export type StaffUser = Pick<User, "id" | "ward_id" | "role" | "org_unit_id" | "username">;

/** The ward's id and its predecessors' (whose plans and tasks it carries on). */
export async function wardScope(db: Kysely<Database>, wardId: number): Promise<number[]> {
  const unit = await adminUnitById(db, wardId);
  if (!unit) return [wardId];
  return (await wardOf(db, unit, "")).scopeIds;
}

/**
 * Whether a user may update a task or record activities on it: the role must allow the action, and a unit-scoped
 * role (officer) only for tasks its own unit is linked to (lead or support).
 */
export function mayActOnTask(
  user: Pick<StaffUser, "role" | "org_unit_id">,
  action: "task.update" | "activity.record",
  linkedUnitIds: number[],
): boolean {
  const role = user.role as Role;
  if (!can(role, action)) return false;
  if (!isUnitScoped(role)) return true;
  return user.org_unit_id != null && linkedUnitIds.includes(user.org_unit_id);
}

/** Latest work (update or activity) per task as a Vietnamese calendar date. */
export async function lastWorkMap(
  db: Kysely<Database>,
  scope: { planId: number } | { wardIds: number[] },
): Promise<Map<number, string>> {
  const map = new Map<number, string>();
  for (const r of await q.lastWorkByTask(db, scope)) {
    const last = lastWorkOn(r.lastOn, r.lastAt);
    if (last) map.set(r.taskId, last);
  }
  return map;
}

/** The later of a task's latest activity day and its latest update (an instant, taken as its Vietnamese day). */
export function lastWorkOn(lastActivityOn: string | null, lastUpdateAt: string | null): string | null {
  const update = lastUpdateAt ? vnToday(new Date(lastUpdateAt)) : null;
  if (!update) return lastActivityOn;
  return !lastActivityOn || update > lastActivityOn ? update : lastActivityOn;
}

/** Latest work per task of a plan (updates and activities), ISO dates: what the overdue rule reads. */
export const lastWorkDates = (db: Kysely<Database>, planId: number) => lastWorkMap(db, { planId });

/** A task row with its plan's number, title and period. */
export type TaskRow = NonNullable<Awaited<ReturnType<typeof q.taskWithPlan>>>;

/** The state a task is in today, given its latest work. */
export const stateOf = (
  t: Pick<TaskRow, "status" | "due_on" | "recurrence" | "period_from" | "plan_issued_on">,
  last: string | null,
  today: string,
) =>
  taskStatus(
    {
      status: t.status,
      dueOn: t.due_on,
      recurrence: t.recurrence,
      lastActivityOn: last,
      periodFrom: t.period_from ?? t.plan_issued_on,
    },
    today,
  );

/** Each task's state on a day, from the plan's start (its period, else its issue day) and each task's latest work. */
export function statesOf(
  tasks: readonly { id: number; status: string; due_on: string | null; recurrence: string | null }[],
  plan: { period_from: string | null; issued_on: string },
  last: ReadonlyMap<number, string>,
  today: string,
): Map<number, TaskState> {
  const periodFrom = plan.period_from ?? plan.issued_on;
  return new Map(
    tasks.map((t) => [
      t.id,
      taskStatus(
        {
          status: t.status,
          dueOn: t.due_on,
          recurrence: t.recurrence,
          lastActivityOn: last.get(t.id) ?? null,
          periodFrom,
        },
        today,
      ),
    ]),
  );
}

/** A stored status as its type (anything unknown reads as not started). */
export const asStored = (s: string): StoredStatus => (s === "done" || s === "in_progress" ? s : "not_started");
/** A unit's role on a task as its type. */
export const asRole = (r: string): "lead" | "support" => (r === "lead" ? "lead" : "support");
