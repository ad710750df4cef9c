/**
 * Reading task tracking: the task lists of a unit or a ward, everything a task page shows, a plan's figures for
 * the overview pages and its rows for exports. Evidence downloads: evidence-files.ts.
 */
import type { Kysely } from "kysely";
import { isUnitScoped, type Role } from "../../core/auth/roles.ts";
import type { Database } from "../../core/db/schema.ts";
import { compareVi, vnToday } from "../../core/text/vi.ts";
import { orgUnitsWithAliases } from "../units/units.service.ts";
import type { LedgerSums } from "./ledger-sums.ts";
import { CHANNEL_KINDS, type ChannelKind, PILLARS, type PillarCode } from "./plan-draft.ts";
import {
  type AreaProgress,
  type ProgressTotals,
  RECURRENCE_LABELS,
  STATUS_LABELS,
  type StoredStatus,
  summariseByArea,
  summariseByUnit,
  type TaskState,
  totalsOf,
  type UnitProgress,
} from "./progress.ts";
import {
  asRole,
  asStored,
  lastWorkMap,
  lastWorkOn,
  mayActOnTask,
  type StaffUser,
  stateOf,
  statesOf,
  type TrackingDeps,
  wardScope,
} from "./tracking.rules.ts";
import * as q from "./tracking.sql.ts";

export interface TaskListItem {
  id: number;
  text: string;
  planId: number;
  planNumber: string;
  planTitle: string;
  groupHeading: string;
  /** The listed unit's role on this task, when listed under a unit. */
  role: "lead" | "support" | null;
  state: TaskState;
  storedStatus: StoredStatus;
  dueOn: string | null;
  recurrence: string | null;
  lastWorkOn: string | null;
  units: { id: number; name: string; role: "lead" | "support" }[];
}

export interface TaskGroup {
  unitId: number | null;
  unitName: string;
  tasks: TaskListItem[];
}

export interface MyTasks {
  /** "unit": an officer's own unit; "ward": everyone else sees the whole ward, grouped by lead unit. */
  scope: "unit" | "ward";
  groups: TaskGroup[];
  /** Counts per state over the listed tasks. */
  counts: Record<TaskState, number>;
}

/** The tasks of the user's unit (officers) or of the whole ward grouped by lead unit (everyone else). */
export async function listMyTasks(
  deps: Pick<TrackingDeps, "db">,
  user: StaffUser,
  today: string,
  /** The user's ward and its predecessors when the caller knows them already (the request's ward); else read. */
  knownScope?: number[],
): Promise<MyTasks> {
  const db = deps.db.kysely;
  const scope = knownScope ?? (await wardScope(db, user.ward_id));
  const unitScoped = isUnitScoped(user.role as Role) && user.org_unit_id != null;
  // Each task row carries its latest work (one statement with the tasks); the units and the officer's unit beside.
  const [unitRows, rows, unit] = await Promise.all([
    unitScoped ? q.unitsOfUnitTasks(db, user.org_unit_id as number, scope) : q.unitsOfWardTasks(db, scope),
    unitScoped ? q.liveTasksOfUnit(db, user.org_unit_id as number, scope) : q.liveTasksOfWards(db, scope),
    unitScoped ? q.orgUnitHead(db, user.org_unit_id as number) : undefined,
  ]);
  const unitsByTask = new Map<number, TaskListItem["units"]>();
  for (const u of unitRows) {
    const list = unitsByTask.get(u.task_id) ?? [];
    list.push({ id: u.unit_id, name: u.unit_name, role: asRole(u.role) });
    unitsByTask.set(u.task_id, list);
  }
  const item = (t: (typeof rows)[number], role: "lead" | "support" | null): TaskListItem => {
    const last = lastWorkOn(t.last_on, t.last_at);
    return {
      id: t.id,
      text: t.text,
      planId: t.plan_id,
      planNumber: t.plan_number,
      planTitle: t.plan_title,
      groupHeading: t.group_heading,
      role,
      state: stateOf(t, last, today),
      storedStatus: asStored(t.status),
      dueOn: t.due_on,
      recurrence: t.recurrence,
      lastWorkOn: last,
      units: unitsByTask.get(t.id) ?? [],
    };
  };
  const counts = { not_started: 0, in_progress: 0, done: 0, overdue: 0 };
  const groups: TaskGroup[] = [];
  if (isUnitScoped(user.role as Role)) {
    if (unitScoped) {
      const tasks = rows.map((t) => item(t, "unit_role" in t ? asRole(String(t.unit_role)) : null));
      groups.push({ unitId: user.org_unit_id, unitName: unit?.name ?? "Đơn vị của tôi", tasks });
    }
  } else {
    const byUnit = new Map<number | null, TaskGroup>();
    for (const t of rows) {
      const lead = (unitsByTask.get(t.id) ?? []).find((u) => u.role === "lead") ?? null;
      const key = lead?.id ?? null;
      let g = byUnit.get(key);
      if (!g) {
        g = { unitId: key, unitName: lead?.name ?? "Chưa giao đơn vị chủ trì", tasks: [] };
        byUnit.set(key, g);
      }
      g.tasks.push(item(t, lead ? "lead" : null));
    }
    groups.push(
      ...[...byUnit.values()].sort(
        (a, b) => (a.unitId === null ? 1 : 0) - (b.unitId === null ? 1 : 0) || compareVi(a.unitName, b.unitName),
      ),
    );
  }
  for (const g of groups) for (const t of g.tasks) counts[t.state]++;
  return { scope: isUnitScoped(user.role as Role) ? "unit" : "ward", groups, counts };
}

export interface FileRef {
  id: number;
  name: string;
  mime: string;
  size: number;
}

export interface TaskDetail {
  task: {
    id: number;
    text: string;
    groupCode: string;
    groupHeading: string;
    storedStatus: StoredStatus;
    state: TaskState;
    dueOn: string | null;
    recurrence: string | null;
    removedAt: string | null;
    lastWorkOn: string | null;
  };
  plan: { id: number; number: string; title: string; periodFrom: string | null; periodTo: string | null };
  units: { id: number; name: string; role: "lead" | "support" }[];
  updates: { id: number; at: string; status: StoredStatus; note: string; userName: string; files: FileRef[] }[];
  activities: {
    id: number;
    unitName: string;
    channelKind: string;
    pillar: string | null;
    title: string;
    occurredOn: string;
    place: string | null;
    audience: number | null;
    participants: string | null;
    cost: number | null;
    source: string;
    files: FileRef[];
  }[];
  /** The plan's content areas, for the activity form (each maps to a pillar, or none). */
  contentAreas: { code: string; title: string; pillar: string | null }[];
  /** Units the user may record an activity for: an officer's own unit; otherwise the task's units, then the ward's. */
  unitChoices: { id: number; name: string }[];
  canUpdate: boolean;
  canRecord: boolean;
}

const fileRef = (r: { file_id: number; original_name: string; mime: string; size: number }): FileRef => ({
  id: r.file_id,
  name: r.original_name,
  mime: r.mime,
  size: Number(r.size),
});

function groupFiles(
  rows: { owner_id: number | null; file_id: number; original_name: string; mime: string; size: number }[],
) {
  const map = new Map<number, FileRef[]>();
  for (const r of rows) {
    if (r.owner_id == null) continue;
    const list = map.get(r.owner_id) ?? [];
    list.push(fileRef(r));
    map.set(r.owner_id, list);
  }
  return map;
}

/** Everything the task page shows; null when the task does not exist or belongs to another ward. */
export async function taskDetail(
  deps: Pick<TrackingDeps, "db">,
  user: StaffUser,
  taskId: number,
  today: string,
): Promise<TaskDetail | null> {
  const db = deps.db.kysely;
  const task = await q.taskWithPlan(db, taskId);
  if (!task) return null;
  const scope = await wardScope(db, user.ward_id);
  if (!scope.includes(task.ward_id)) return null;
  const [units, updates, activities, upFiles, actFiles, areas] = await Promise.all([
    q.unitsOfTask(db, taskId),
    q.updatesOfTask(db, taskId),
    q.activitiesOfTask(db, taskId),
    q.evidenceOfTaskUpdates(db, taskId),
    q.evidenceOfTaskActivities(db, taskId),
    q.contentAreasOfPlan(db, task.plan_id),
  ]);
  const lastAct = activities.reduce<string | null>(
    (m, a) => (m == null || a.occurred_on > m ? a.occurred_on : m),
    null,
  );
  const lastUp = updates.length ? vnToday(new Date(updates[0]?.at as string)) : null;
  const lastWorkOn =
    [lastAct, lastUp]
      .filter((d): d is string => d != null)
      .sort()
      .pop() ?? null;
  const linked = units.map((u) => u.unit_id);
  const canUpdate = !task.removed_at && mayActOnTask(user, "task.update", linked);
  const canRecord = !task.removed_at && mayActOnTask(user, "activity.record", linked);

  let unitChoices: { id: number; name: string }[] = [];
  if (canRecord) {
    if (isUnitScoped(user.role as Role)) {
      const own = units.find((u) => u.unit_id === user.org_unit_id);
      unitChoices = own ? [{ id: own.unit_id, name: own.unit_name }] : [];
    } else {
      const ward = await orgUnitsWithAliases(db, user.ward_id, today);
      const first = units.map((u) => ({ id: u.unit_id, name: u.unit_name }));
      unitChoices = [
        ...first,
        ...ward.filter((w) => !first.some((f) => f.id === w.id)).map((w) => ({ id: w.id, name: w.name })),
      ];
    }
  }
  const upMap = groupFiles(upFiles);
  const actMap = groupFiles(actFiles);
  return {
    task: {
      id: task.id,
      text: task.text,
      groupCode: task.group_code,
      groupHeading: task.group_heading,
      storedStatus: asStored(task.status),
      state: stateOf(task, lastWorkOn, today),
      dueOn: task.due_on,
      recurrence: task.recurrence,
      removedAt: task.removed_at,
      lastWorkOn,
    },
    plan: {
      id: task.plan_id,
      number: task.plan_number,
      title: task.plan_title,
      periodFrom: task.period_from,
      periodTo: task.period_to,
    },
    units: units.map((u) => ({ id: u.unit_id, name: u.unit_name, role: asRole(u.role) })),
    updates: updates.map((u) => ({
      id: u.id,
      at: u.at,
      status: asStored(u.status),
      note: u.note,
      userName: u.user_name,
      files: upMap.get(u.id) ?? [],
    })),
    activities: activities.map((a) => ({
      id: a.id,
      unitName: a.unit_name,
      channelKind: a.channel_kind,
      pillar: a.pillar,
      title: a.title,
      occurredOn: a.occurred_on,
      place: a.place,
      audience: a.audience == null ? null : Number(a.audience),
      participants: a.participants,
      cost: a.cost == null ? null : Number(a.cost),
      source: a.source,
      files: actMap.get(a.id) ?? [],
    })),
    contentAreas: areas,
    unitChoices,
    canUpdate,
    canRecord,
  };
}

export interface PlanProgress {
  byUnit: UnitProgress[];
  byArea: AreaProgress[];
  totals: ProgressTotals;
  /** The computed state of each live task, by task id. */
  states: Map<number, TaskState>;
  /** The lead unit each live task is counted under in `byUnit` (null: none), by task id. */
  leadUnitOf: Map<number, number | null>;
}

/** What a plan page has read already and the figures can reuse (plans.service.ts `loadPlan`, `planLedgerSums`). */
export interface LoadedForProgress {
  plan: { period_from: string | null; issued_on: string };
  /** The plan's live tasks in document order. */
  tasks: { id: number; status: string; due_on: string | null; recurrence: string | null }[];
  taskUnits: { task_id: number; role: string; unit_id: number; unit_name: string }[];
  areas: { code: string; title: string; pillar: string | null }[];
  sums: LedgerSums;
  /** Each live task's latest work (a Vietnamese day), when read with the tasks (`loadPlan` with `lastWork`). */
  lastWork?: Map<number, string> | null;
}

/**
 * Figures of one plan for the overview pages: task states per lead unit, ledger figures per content area, totals.
 * `loaded`: the plan's rows a page has read already, so only the tasks' latest work is read here.
 */
export async function planProgress(
  db: Kysely<Database>,
  planId: number,
  today: string,
  loaded?: LoadedForProgress,
): Promise<PlanProgress> {
  if (loaded) return progressOf(loaded, loaded.lastWork ?? (await lastWorkMap(db, { planId })), today);
  const [tasks, units, last, areas, sums] = await Promise.all([
    q.liveTasksOfPlan(db, planId),
    q.unitsOfPlanTasks(db, planId),
    lastWorkMap(db, { planId }),
    q.contentAreasOfPlan(db, planId),
    q.planLedgerSums(db, planId),
  ]);
  const plan = { period_from: tasks[0]?.period_from ?? null, issued_on: tasks[0]?.plan_issued_on ?? "" };
  return progressOf({ plan, tasks, taskUnits: units, areas, sums }, last, today);
}

function progressOf(d: LoadedForProgress, last: Map<number, string>, today: string): PlanProgress {
  const leadOf = new Map<number, { id: number; name: string }>();
  for (const u of d.taskUnits)
    if (u.role === "lead" && !leadOf.has(u.task_id)) leadOf.set(u.task_id, { id: u.unit_id, name: u.unit_name });
  const states = statesOf(d.tasks, d.plan, last, today);
  const byUnit = summariseByUnit(
    d.tasks.map((t) => ({ state: states.get(t.id) ?? "not_started", lead: leadOf.get(t.id) ?? null })),
  );
  const byArea = summariseByArea(d.areas, d.sums.byPillar);
  const leadUnitOf = new Map(d.tasks.map((t) => [t.id, leadOf.get(t.id)?.id ?? null] as const));
  return { byUnit, byArea, totals: totalsOf(byUnit, byArea), states, leadUnitOf };
}

/** Flat rows of a plan's tasks and ledger, with Vietnamese labels beside the codes: what reports and spreadsheets need. */
export async function exportable(db: Kysely<Database>, planId: number, today: string) {
  const [tasks, units, last, activities, files] = await Promise.all([
    q.liveTasksOfPlan(db, planId),
    q.unitsOfPlanTasks(db, planId),
    lastWorkMap(db, { planId }),
    q.activitiesOfPlan(db, planId),
    q.evidenceOfPlanActivities(db, planId),
  ]);
  const fileCount = new Map<number, number>();
  for (const f of files) if (f.owner_id != null) fileCount.set(f.owner_id, (fileCount.get(f.owner_id) ?? 0) + 1);
  return {
    tasks: tasks.map((t) => {
      const us = units.filter((u) => u.task_id === t.id);
      const state = stateOf(t, last.get(t.id) ?? null, today);
      return {
        id: t.id,
        group: t.group_code,
        text: t.text,
        leadUnit: us
          .filter((u) => u.role === "lead")
          .map((u) => u.unit_name)
          .join(", "),
        supportUnits: us
          .filter((u) => u.role !== "lead")
          .map((u) => u.unit_name)
          .join(", "),
        status: state,
        statusLabel: STATUS_LABELS[state],
        dueOn: t.due_on,
        recurrence: t.recurrence,
        recurrenceLabel: t.recurrence ? (RECURRENCE_LABELS[t.recurrence] ?? t.recurrence) : null,
        lastWorkOn: last.get(t.id) ?? null,
      };
    }),
    activities: activities.map((a) => ({
      id: a.id,
      taskId: a.task_id,
      occurredOn: a.occurred_on,
      unit: a.unit_name,
      channelKind: a.channel_kind,
      channelLabel: CHANNEL_KINDS[a.channel_kind as ChannelKind] ?? a.channel_kind,
      pillar: a.pillar,
      pillarLabel: a.pillar ? (PILLARS[a.pillar as PillarCode] ?? a.pillar) : null,
      title: a.title,
      place: a.place,
      audience: a.audience == null ? null : Number(a.audience),
      participants: a.participants,
      cost: a.cost == null ? null : Number(a.cost),
      source: a.source,
      evidenceFiles: fileCount.get(a.id) ?? 0,
    })),
  };
}
