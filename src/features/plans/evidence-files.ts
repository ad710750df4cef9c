/**
 * Evidence files in the file store: a task's progress update and an activity of the ledger own their proof (minutes,
 * photos, scans). The task page and the ledger are open to every staff member of the ward holding them (and of its
 * successor after a merger), so their evidence is too; another ward's is not found.
 */
import type { Kysely } from "kysely";
import { can, type Role } from "../../core/auth/roles.ts";
import type { Database } from "../../core/db/schema.ts";
import type { AuthoriseFile, FileAccess, FileOwners, FileViewer } from "../../core/files.ts";
import { wardScope } from "./tracking.rules.ts";
import * as q from "./tracking.sql.ts";

/** Owner kind of the evidence of a task's progress update (owner id: the update's). */
export const TASK_UPDATE_FILE_OWNER = "task_update";
/** Owner kind of the evidence of an activity of the ledger (owner id: the activity's). */
export const ACTIVITY_FILE_OWNER = "activity";

async function wardStaffMayRead(db: Kysely<Database>, viewer: FileViewer, wardId: number | null): Promise<FileAccess> {
  if (wardId == null || !(await wardScope(db, viewer.ward_id)).includes(wardId)) return "not_found";
  return can(viewer.role as Role, "plan.read") ? "allowed" : "forbidden";
}

const authoriseTaskUpdateFile: AuthoriseFile = async (db, viewer, updateId) =>
  wardStaffMayRead(db, viewer, await q.wardOfTaskUpdate(db, updateId));

const authoriseActivityFile: AuthoriseFile = async (db, viewer, activityId) =>
  wardStaffMayRead(db, viewer, await q.wardOfActivity(db, activityId));

/** Register the evidence owner kinds with the file store. */
export function registerEvidenceFiles(owners: FileOwners): void {
  owners.register(TASK_UPDATE_FILE_OWNER, authoriseTaskUpdateFile).register(ACTIVITY_FILE_OWNER, authoriseActivityFile);
}
