/**
 * Task tracking and the activity ledger. Each use case validates its input (zod, Vietnamese messages), checks
 * who may act (role × own unit × ward), writes evidence bytes before its transaction, and in one transaction
 * writes the rows and their audit record. `recordActivity` is the ledger's one entry point: other features
 * (feedback, radio, …) call it with their own `source` and `sourceRef`.
 */
import type { Kysely } from "kysely";
import { z } from "zod";
import { type Actor, audit } from "../../core/audit.ts";
import { can, isUnitScoped, type Role } from "../../core/auth/roles.ts";
import type { Config } from "../../core/config.ts";
import type { Db } from "../../core/db/connection.ts";
import type { Database, User } from "../../core/db/schema.ts";
import { checkUpload, type PreparedUpload, prepareUpload, readStoredFile, saveFileRow } from "../../core/files.ts";
import { isoDate, nfc, parseVnDate, squash, vnToday } from "../../core/text/vi.ts";
import type { FieldErrors } from "../../core/web/validation.ts";
import { orgUnitsWithAliases, wardOf } from "../units/units.service.ts";
import { adminUnitById } from "../units/units.sql.ts";
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
  taskStatus,
  totalsOf,
  type UnitProgress,
} from "./progress.ts";
import * as q from "./tracking.sql.ts";

export interface TrackingDeps {
  db: Db;
  config: Pick<Config, "dataDir" | "uploadMaxBytes">;
  clock: () => Date;
}

/** The signed-in staff member (the session's user row). */
export type StaffUser = Pick<User, "id" | "ward_id" | "role" | "org_unit_id" | "username">;

export type Failure = { ok: false; status: 400 | 403 | 404 | 409 | 413 | 415; errors: FieldErrors };
export type Result<T> = { ok: true; value: T } | Failure;

export interface UploadInput {
  name: string;
  bytes: Uint8Array;
}

/** Evidence files accepted in one submission. */
export const MAX_FILES = 10;

const FORBIDDEN: Failure = { ok: false, status: 403, errors: { _: "Bạn không có quyền thực hiện việc này." } };
const forbiddenFor = (why: string): Failure => ({ ok: false, status: 403, errors: { _: why } });
const TASK_NOT_FOUND: Failure = { ok: false, status: 404, errors: { _: "Không tìm thấy nhiệm vụ." } };
const invalid = (errors: FieldErrors): Failure => ({ ok: false, status: 400, errors });

// ---------------------------------------------------------------------------------------------------------------
// Input schemas. Forms send strings, other features send typed values; both go through the same schema.

const trimmed = (v: unknown) => (typeof v === "string" ? nfc(v).trim() : v);
const optionalText = (max: number, tooLong: string, oneLine = true) =>
  z.preprocess((v) => {
    if (v == null) return null;
    if (typeof v !== "string") return v;
    const t = oneLine ? squash(nfc(v)) : nfc(v).trim();
    return t === "" ? null : t;
  }, z.string({ error: tooLong }).max(max, tooLong).nullable());

/** "1.500.000" or "1500000" → 1500000; "" → null; anything else is left for the schema to refuse. */
const wholeNumber = (v: unknown) => {
  if (v == null) return null;
  if (typeof v !== "string") return v;
  const t = v.trim().replace(/[\s_]/g, "");
  if (t === "") return null;
  if (/^\d{1,3}(\.\d{3})+$/.test(t)) return Number(t.replace(/\./g, ""));
  if (/^\d+$/.test(t)) return Number(t);
  return v;
};
const optionalId = z.preprocess(
  wholeNumber,
  z.number({ error: "Mã không hợp lệ." }).int("Mã không hợp lệ.").positive("Mã không hợp lệ.").nullable(),
);
const optionalCount = (max: number, message: string) =>
  z.preprocess(wholeNumber, z.number({ error: message }).int(message).min(0, message).max(max, message).nullable());

/** ISO `YYYY-MM-DD` or `dd/mm/yyyy` → ISO, or null when not a real calendar date. */
export function parseDateInput(s: string): string | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(s.trim());
  if (m) return isoDate(Number(m[1]), Number(m[2]), Number(m[3]));
  return parseVnDate(s);
}

const updateSchema = z.object({
  status: z.enum(["not_started", "in_progress", "done"], { error: "Hãy chọn tình trạng của nhiệm vụ." }),
  note: z.preprocess(
    (v) => (v == null ? "" : trimmed(v)),
    z.string({ error: "Nội dung cập nhật không hợp lệ." }).max(4000, "Nội dung cập nhật tối đa 4.000 ký tự."),
  ),
});

export type UpdateTaskInput = {
  status: StoredStatus | string;
  note?: string | null;
  files?: UploadInput[];
};

const CHANNEL_CODES = Object.keys(CHANNEL_KINDS) as [ChannelKind, ...ChannelKind[]];
const PILLAR_CODES = Object.keys(PILLARS) as [PillarCode, ...PillarCode[]];

function activitySchema(today: string) {
  return z.object({
    taskId: optionalId,
    planId: optionalId,
    orgUnitId: z.preprocess(
      wholeNumber,
      z
        .number({ error: "Hãy chọn đơn vị thực hiện." })
        .int("Hãy chọn đơn vị thực hiện.")
        .positive("Hãy chọn đơn vị thực hiện."),
    ),
    channelKind: z.enum(CHANNEL_CODES, { error: "Hãy chọn hình thức tuyên truyền trong danh sách." }),
    pillar: z.preprocess(
      (v) => (v === "" || v == null ? null : v),
      z.enum(PILLAR_CODES, { error: "Nội dung tuyên truyền không hợp lệ: hãy chọn trong danh sách." }).nullable(),
    ),
    title: z.preprocess(
      (v) => (typeof v === "string" ? squash(nfc(v)) : v),
      z
        .string({ error: "Hãy nhập tên hoạt động." })
        .min(1, "Hãy nhập tên hoạt động.")
        .max(300, "Tên hoạt động tối đa 300 ký tự."),
    ),
    occurredOn: z.preprocess(
      trimmed,
      z
        .string({ error: "Hãy nhập ngày thực hiện." })
        .min(1, "Hãy nhập ngày thực hiện.")
        .refine(
          (s) => parseDateInput(s) !== null,
          "Ngày thực hiện không hợp lệ: nhập theo dạng ngày/tháng/năm, ví dụ 19/02/2024.",
        )
        .transform((s) => parseDateInput(s) as string)
        .refine((d) => d <= today, "Ngày thực hiện không được sau hôm nay.")
        .refine((d) => d >= "2000-01-01", "Ngày thực hiện không hợp lệ."),
    ),
    place: optionalText(300, "Địa điểm tối đa 300 ký tự."),
    audience: optionalCount(10_000_000, "Số lượt người được tiếp cận phải là số nguyên không âm."),
    participants: optionalText(1000, "Thành phần tham dự tối đa 1.000 ký tự."),
    cost: optionalCount(1_000_000_000_000, "Kinh phí phải là số tiền (đồng) không âm, không có phần lẻ."),
    source: z.preprocess(
      (v) => (v == null || v === "" ? "manual" : v),
      z.string().regex(/^[a-z][a-z_]{0,29}$/, "Nguồn ghi nhận không hợp lệ."),
    ),
    sourceRef: optionalText(200, "Mã nguồn ghi nhận tối đa 200 ký tự."),
  });
}

export type RecordActivityInput = {
  /** The task it carries out, or… */
  taskId?: number | string | null;
  /** …the plan, when it serves the plan as a whole. Neither: a ward-level ledger entry. */
  planId?: number | string | null;
  orgUnitId: number | string;
  channelKind: ChannelKind | string;
  pillar?: PillarCode | string | null;
  title: string;
  /** ISO date (or dd/mm/yyyy), not after today. */
  occurredOn: string;
  place?: string | null;
  audience?: number | string | null;
  participants?: string | null;
  /** Whole đồng. */
  cost?: number | string | null;
  /** "manual" (default), or the calling feature: "feedback", "radio", … */
  source?: string;
  /** The calling feature's own id for the thing: the same (source, sourceRef) is recorded once. */
  sourceRef?: string | null;
  files?: UploadInput[];
};

// ---------------------------------------------------------------------------------------------------------------
// Scope and authorisation

/** The ward's id and its predecessors' (whose plans and tasks it carries on). */
async function wardScope(db: Kysely<Database>, wardId: number): Promise<number[]> {
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

/** Check uploads (size, count, type) without writing. */
function checkFiles(files: UploadInput[], maxBytes: number): Failure | null {
  if (files.length > MAX_FILES) return invalid({ files: `Mỗi lần gửi tối đa ${MAX_FILES} tệp.` });
  for (const f of files) {
    const r = checkUpload(f, maxBytes);
    if (!r.ok) return { ok: false, status: r.status, errors: { files: r.error } };
  }
  return null;
}

async function writeFiles(deps: TrackingDeps, files: UploadInput[]): Promise<PreparedUpload[] | Failure> {
  const out: PreparedUpload[] = [];
  for (const f of files) {
    const r = await prepareUpload(deps, f);
    if (!r.ok) return { ok: false, status: r.status, errors: { files: r.error } };
    out.push(r);
  }
  return out;
}

/** Latest work (update or activity) per task as a Vietnamese calendar date. */
async function lastWorkMap(
  db: Kysely<Database>,
  scope: { planId: number } | { wardIds: number[] },
): Promise<Map<number, string>> {
  const { activities, updates } = await q.lastWorkByTask(db, scope);
  const map = new Map<number, string>();
  const keep = (id: number, d: string | null) => {
    if (!d) return;
    const cur = map.get(id);
    if (!cur || d > cur) map.set(id, d);
  };
  for (const a of activities) keep(a.taskId, a.lastOn);
  for (const u of updates) keep(u.taskId, u.lastAt ? vnToday(new Date(u.lastAt)) : null);
  return map;
}

/** Latest work per task of a plan (updates and activities), ISO dates: what the overdue rule reads. */
export const lastWorkDates = (db: Kysely<Database>, planId: number) => lastWorkMap(db, { planId });

type TaskRow = NonNullable<Awaited<ReturnType<typeof q.taskWithPlan>>>;

const stateOf = (
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

// ---------------------------------------------------------------------------------------------------------------
// Use cases

/** Record a progress update on a task (status, note, evidence files). */
export async function updateTask(
  deps: TrackingDeps,
  actor: Actor,
  user: StaffUser,
  taskId: number,
  input: UpdateTaskInput,
): Promise<Result<{ updateId: number; status: StoredStatus; fileIds: number[] }>> {
  const db = deps.db.kysely;
  if (!can(user.role as Role, "task.update")) return FORBIDDEN;
  const task = await q.taskWithPlan(db, taskId);
  if (!task || !(await wardScope(db, user.ward_id)).includes(task.ward_id)) return TASK_NOT_FOUND;
  const units = await q.unitsOfTask(db, taskId);
  if (
    !mayActOnTask(
      user,
      "task.update",
      units.map((u) => u.unit_id),
    )
  ) {
    return forbiddenFor("Bạn chỉ cập nhật được nhiệm vụ mà đơn vị mình chủ trì hoặc phối hợp.");
  }
  if (task.removed_at)
    return { ok: false, status: 409, errors: { _: "Nhiệm vụ này đã được bỏ khỏi kế hoạch; không cập nhật được nữa." } };

  const files = input.files ?? [];
  const parsed = updateSchema.safeParse({ status: input.status, note: input.note });
  const errors: FieldErrors = {};
  if (!parsed.success) for (const i of parsed.error.issues) errors[String(i.path[0] ?? "_")] ??= i.message;
  if (parsed.success && parsed.data.status === task.status && parsed.data.note === "" && files.length === 0) {
    errors.note = "Hãy ghi nội dung cập nhật, đính kèm minh chứng hoặc chọn tình trạng khác.";
  }
  const fileProblem = checkFiles(files, deps.config.uploadMaxBytes);
  if (fileProblem) errors.files = fileProblem.errors.files as string;
  if (!parsed.success || Object.keys(errors).length)
    return { ok: false, status: fileProblem && Object.keys(errors).length === 1 ? fileProblem.status : 400, errors };
  const { status, note } = parsed.data;

  const prepared = await writeFiles(deps, files);
  if (!Array.isArray(prepared)) return prepared;

  const now = deps.clock();
  const at = now.toISOString();
  const value = await db.transaction().execute(async (trx) => {
    const updateId = await q.insertTaskUpdate(trx, { task_id: taskId, user_id: user.id, at, status, note });
    const fileIds: number[] = [];
    for (const p of prepared)
      fileIds.push((await saveFileRow(trx, p, { wardId: user.ward_id, userId: user.id }, now)).id);
    await q.insertEvidence(
      trx,
      fileIds.map((file_id) => ({ file_id, task_update_id: updateId, activity_id: null })),
    );
    if (status !== task.status) await q.setTaskStatus(trx, taskId, status, at);
    await audit(
      trx,
      actor,
      {
        action: "task.update",
        entity: "task",
        entityId: taskId,
        before: { status: task.status },
        after: { status, note, updateId, files: fileIds },
      },
      now,
    );
    return { updateId, status, fileIds };
  });
  return { ok: true, value };
}

/**
 * Add one row to the activity ledger (a meeting held, a bulletin aired, a banner hung…), with evidence.
 * Recording work on a task that had not started marks it in progress. Other features pass `source` and
 * `sourceRef`; the same pair is recorded once (a retry returns the existing row with `created: false`).
 */
export async function recordActivity(
  deps: TrackingDeps,
  actor: Actor,
  user: StaffUser,
  input: RecordActivityInput,
): Promise<Result<{ activityId: number; created: boolean; fileIds: number[] }>> {
  const db = deps.db.kysely;
  const role = user.role as Role;
  if (!can(role, "activity.record")) return FORBIDDEN;
  const now = deps.clock();
  const today = vnToday(now);
  const { files: rawFiles, ...fields } = input;
  const files = rawFiles ?? [];
  const parsed = activitySchema(today).safeParse(fields);
  const errors: FieldErrors = {};
  if (!parsed.success) for (const i of parsed.error.issues) errors[String(i.path[0] ?? "_")] ??= i.message;
  const fileProblem = checkFiles(files, deps.config.uploadMaxBytes);
  if (fileProblem) errors.files = fileProblem.errors.files as string;
  if (!parsed.success || Object.keys(errors).length)
    return { ok: false, status: fileProblem && Object.keys(errors).length === 1 ? fileProblem.status : 400, errors };
  const v = parsed.data;

  const scope = await wardScope(db, user.ward_id);
  let planId = v.planId;
  let task: TaskRow | undefined;
  if (v.taskId != null) {
    task = await q.taskWithPlan(db, v.taskId);
    if (!task || !scope.includes(task.ward_id)) return TASK_NOT_FOUND;
    if (task.removed_at)
      return {
        ok: false,
        status: 409,
        errors: { _: "Nhiệm vụ này đã được bỏ khỏi kế hoạch; không ghi nhận thêm hoạt động được." },
      };
    if (planId != null && planId !== task.plan_id) return invalid({ planId: "Nhiệm vụ không thuộc kế hoạch đã chọn." });
    planId = task.plan_id;
  } else if (planId != null) {
    const plan = await q.planHead(db, planId);
    if (!plan || !scope.includes(plan.ward_id))
      return { ok: false, status: 404, errors: { _: "Không tìm thấy kế hoạch." } };
  }
  const unit = await q.orgUnitHead(db, v.orgUnitId);
  if (!unit || !scope.includes(unit.ward_id))
    return invalid({ orgUnitId: "Đơn vị thực hiện không thuộc phường, xã này." });

  if (isUnitScoped(role)) {
    if (user.org_unit_id == null || user.org_unit_id !== v.orgUnitId)
      return forbiddenFor("Bạn chỉ ghi nhận được hoạt động của đơn vị mình.");
    if (task && !(await q.unitLinkedToTask(db, task.id, user.org_unit_id))) {
      return forbiddenFor("Bạn chỉ ghi nhận được hoạt động cho nhiệm vụ mà đơn vị mình chủ trì hoặc phối hợp.");
    }
  }

  if (v.source !== "manual" && v.sourceRef) {
    const existing = await q.activityBySource(db, user.ward_id, v.source, v.sourceRef);
    if (existing) return { ok: true, value: { activityId: Number(existing.id), created: false, fileIds: [] } };
  }

  const prepared = await writeFiles(deps, files);
  if (!Array.isArray(prepared)) return prepared;

  const value = await db.transaction().execute(async (trx) => {
    const row = {
      ward_id: user.ward_id,
      org_unit_id: v.orgUnitId,
      plan_id: planId ?? null,
      task_id: task?.id ?? null,
      channel_kind: v.channelKind,
      pillar: v.pillar,
      title: v.title,
      occurred_on: v.occurredOn,
      place: v.place,
      audience: v.audience,
      participants: v.participants,
      cost: v.cost,
      source: v.source,
      source_ref: v.sourceRef,
      created_by: user.id,
      created_at: now.toISOString(),
    };
    const activityId = await q.insertActivity(trx, row);
    const fileIds: number[] = [];
    for (const p of prepared)
      fileIds.push((await saveFileRow(trx, p, { wardId: user.ward_id, userId: user.id }, now)).id);
    await q.insertEvidence(
      trx,
      fileIds.map((file_id) => ({ file_id, task_update_id: null, activity_id: activityId })),
    );
    await audit(
      trx,
      actor,
      { action: "activity.record", entity: "activity", entityId: activityId, after: { ...row, files: fileIds } },
      now,
    );
    if (task && task.status === "not_started") {
      await q.setTaskStatus(trx, task.id, "in_progress", now.toISOString());
      await audit(
        trx,
        actor,
        {
          action: "task.start",
          entity: "task",
          entityId: task.id,
          before: { status: "not_started" },
          after: { status: "in_progress", activityId },
        },
        now,
      );
    }
    return { activityId, created: true, fileIds };
  });
  return { ok: true, value };
}

// ---------------------------------------------------------------------------------------------------------------
// Reading

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

const asStored = (s: string): StoredStatus => (s === "done" || s === "in_progress" ? s : "not_started");
const asRole = (r: string): "lead" | "support" => (r === "lead" ? "lead" : "support");

/** The tasks of the user's unit (officers) or of the whole ward grouped by lead unit (everyone else). */
export async function listMyTasks(deps: Pick<TrackingDeps, "db">, user: StaffUser, today: string): Promise<MyTasks> {
  const db = deps.db.kysely;
  const scope = await wardScope(db, user.ward_id);
  const [unitRows, last] = await Promise.all([q.unitsOfWardTasks(db, scope), lastWorkMap(db, { wardIds: scope })]);
  const unitsByTask = new Map<number, TaskListItem["units"]>();
  for (const u of unitRows) {
    const list = unitsByTask.get(u.task_id) ?? [];
    list.push({ id: u.unit_id, name: u.unit_name, role: asRole(u.role) });
    unitsByTask.set(u.task_id, list);
  }
  const item = (
    t: Awaited<ReturnType<typeof q.liveTasksOfWards>>[number],
    role: "lead" | "support" | null,
  ): TaskListItem => ({
    id: t.id,
    text: t.text,
    planId: t.plan_id,
    planNumber: t.plan_number,
    planTitle: t.plan_title,
    groupHeading: t.group_heading,
    role,
    state: stateOf(t, last.get(t.id) ?? null, today),
    storedStatus: asStored(t.status),
    dueOn: t.due_on,
    recurrence: t.recurrence,
    lastWorkOn: last.get(t.id) ?? null,
    units: unitsByTask.get(t.id) ?? [],
  });
  const counts = { not_started: 0, in_progress: 0, done: 0, overdue: 0 };
  const groups: TaskGroup[] = [];
  if (isUnitScoped(user.role as Role)) {
    if (user.org_unit_id != null) {
      const rows = await q.liveTasksOfUnit(db, user.org_unit_id, scope);
      const unit = await q.orgUnitHead(db, user.org_unit_id);
      const tasks = rows.map((t) => item(t, asRole(t.unit_role)));
      groups.push({ unitId: user.org_unit_id, unitName: unit?.name ?? "Đơn vị của tôi", tasks });
    }
  } else {
    const byUnit = new Map<number | null, TaskGroup>();
    for (const t of await q.liveTasksOfWards(db, scope)) {
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
        (a, b) =>
          (a.unitId === null ? 1 : 0) - (b.unitId === null ? 1 : 0) || a.unitName.localeCompare(b.unitName, "vi"),
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
}

/** Figures of one plan for the overview pages: task states per lead unit, ledger figures per content area, totals. */
export async function planProgress(db: Kysely<Database>, planId: number, today: string): Promise<PlanProgress> {
  const [tasks, units, last, areas, figures] = await Promise.all([
    q.liveTasksOfPlan(db, planId),
    q.unitsOfPlanTasks(db, planId),
    lastWorkMap(db, { planId }),
    q.contentAreasOfPlan(db, planId),
    q.planFiguresByPillar(db, planId),
  ]);
  const leadOf = new Map<number, { id: number; name: string }>();
  for (const u of units)
    if (u.role === "lead" && !leadOf.has(u.task_id)) leadOf.set(u.task_id, { id: u.unit_id, name: u.unit_name });
  const states = new Map(tasks.map((t) => [t.id, stateOf(t, last.get(t.id) ?? null, today)] as const));
  const byUnit = summariseByUnit(
    tasks.map((t) => ({ state: states.get(t.id) ?? "not_started", lead: leadOf.get(t.id) ?? null })),
  );
  const byArea = summariseByArea(areas, figures);
  return { byUnit, byArea, totals: totalsOf(byUnit, byArea), states };
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

/** An evidence file for download: only to staff of the ward (or its successor) that stored it. */
export async function evidenceFile(deps: Pick<TrackingDeps, "db" | "config">, user: StaffUser, fileId: number) {
  const db = deps.db.kysely;
  const head = await q.storedFileById(db, fileId);
  if (!head || !(await wardScope(db, user.ward_id)).includes(head.ward_id)) return null;
  return readStoredFile(deps, fileId);
}
