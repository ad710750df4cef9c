/**
 * Task tracking and the activity ledger: the feature's entry point. Each use case validates its input (zod,
 * Vietnamese messages), checks who may act (role × own unit × ward), writes evidence bytes before its
 * transaction, and in one transaction writes the rows and their audit record. `recordActivity` is the ledger's
 * one entry point: other features (feedback, radio, …) call it with their own `source` and `sourceRef`.
 * Reading (task lists, the task page, a plan's figures) is in tracking.read.ts, the rules both follow in
 * tracking.rules.ts; other code imports all of it from here.
 */

import type { Transaction } from "kysely";
import { type Actor, audit } from "../../core/audit.ts";
import { can, isUnitScoped, type Role } from "../../core/auth/roles.ts";
import type { Database } from "../../core/db/schema.ts";
import { fileStoreOf } from "../../core/file-store.ts";
import { checkUpload, type PreparedUpload, prepareUpload, saveFileRow } from "../../core/files.ts";
import { vnToday } from "../../core/text/vi.ts";
import { type FieldErrors, validate } from "../../core/web/validation.ts";
import { ACTIVITY_FILE_OWNER, TASK_UPDATE_FILE_OWNER } from "./evidence-files.ts";
import type { StoredStatus } from "./progress.ts";
import { mayActOnTask, type StaffUser, type TaskRow, type TrackingDeps, wardScope } from "./tracking.rules.ts";
import {
  activitySchema,
  type RecordActivityInput,
  type UpdateTaskInput,
  type UploadInput,
  updateSchema,
} from "./tracking.schemas.ts";
import * as q from "./tracking.sql.ts";

export {
  exportable,
  type FileRef,
  listMyTasks,
  type MyTasks,
  type PlanProgress,
  planProgress,
  type TaskDetail,
  type TaskGroup,
  type TaskListItem,
  taskDetail,
} from "./tracking.read.ts";
export { lastWorkDates, mayActOnTask, type StaffUser, type TrackingDeps } from "./tracking.rules.ts";
export type { RecordActivityInput, UpdateTaskInput, UploadInput } from "./tracking.schemas.ts";

export type Failure = { ok: false; status: 400 | 403 | 404 | 409 | 413 | 415; errors: FieldErrors };
export type Result<T> = { ok: true; value: T } | Failure;

/** Evidence files accepted in one submission. */
export const MAX_FILES = 10;

const FORBIDDEN: Failure = { ok: false, status: 403, errors: { _: "Bạn không có quyền thực hiện việc này." } };
const forbiddenFor = (why: string): Failure => ({ ok: false, status: 403, errors: { _: why } });
const TASK_NOT_FOUND: Failure = { ok: false, status: 404, errors: { _: "Không tìm thấy nhiệm vụ." } };
const invalid = (errors: FieldErrors): Failure => ({ ok: false, status: 400, errors });

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
    const r = await prepareUpload({ config: deps.config, files: fileStoreOf(deps) }, f);
    if (!r.ok) return { ok: false, status: r.status, errors: { files: r.error } };
    out.push(r);
  }
  return out;
}

/** The file rows of written evidence, owned by a progress update or an activity, and their evidence links. */
async function saveEvidence(
  trx: Transaction<Database>,
  prepared: PreparedUpload[],
  user: StaffUser,
  owner: { kind: typeof TASK_UPDATE_FILE_OWNER | typeof ACTIVITY_FILE_OWNER; id: number },
  now: Date,
): Promise<number[]> {
  const fileIds: number[] = [];
  for (const p of prepared)
    fileIds.push((await saveFileRow(trx, p, { wardId: user.ward_id, userId: user.id, owner }, now)).id);
  const update = owner.kind === TASK_UPDATE_FILE_OWNER;
  await q.insertEvidence(
    trx,
    fileIds.map((file_id) => ({
      file_id,
      task_update_id: update ? owner.id : null,
      activity_id: update ? null : owner.id,
    })),
  );
  return fileIds;
}

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
  const parsed = validate(updateSchema, { status: input.status, note: input.note });
  const errors: FieldErrors = parsed.ok ? {} : { ...parsed.errors };
  if (parsed.ok && parsed.value.status === task.status && parsed.value.note === "" && files.length === 0) {
    errors.note = "Hãy ghi nội dung cập nhật, đính kèm minh chứng hoặc chọn tình trạng khác.";
  }
  const fileProblem = checkFiles(files, deps.config.uploadMaxBytes);
  if (fileProblem) errors.files = fileProblem.errors.files as string;
  if (!parsed.ok || Object.keys(errors).length)
    return { ok: false, status: fileProblem && Object.keys(errors).length === 1 ? fileProblem.status : 400, errors };
  const { status, note } = parsed.value;

  const prepared = await writeFiles(deps, files);
  if (!Array.isArray(prepared)) return prepared;

  const now = deps.clock();
  const at = now.toISOString();
  const value = await db.transaction().execute(async (trx) => {
    const updateId = await q.insertTaskUpdate(trx, { task_id: taskId, user_id: user.id, at, status, note });
    const fileIds = await saveEvidence(trx, prepared, user, { kind: TASK_UPDATE_FILE_OWNER, id: updateId }, now);
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
  const parsed = validate(activitySchema(today), fields);
  const errors: FieldErrors = parsed.ok ? {} : { ...parsed.errors };
  const fileProblem = checkFiles(files, deps.config.uploadMaxBytes);
  if (fileProblem) errors.files = fileProblem.errors.files as string;
  if (!parsed.ok || Object.keys(errors).length)
    return { ok: false, status: fileProblem && Object.keys(errors).length === 1 ? fileProblem.status : 400, errors };
  const v = parsed.value;

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
    const fileIds = await saveEvidence(trx, prepared, user, { kind: ACTIVITY_FILE_OWNER, id: activityId }, now);
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
