/**
 * Every stored file names the record that owns it (`owner_kind`, `owner_id`), so the file store can ask that record's
 * own authorisation before serving a byte (issue 8, A.3). Existing files take their owner from the link tables that
 * held it until now: `feedback_files` (a citizen's attachment) and `evidence` (a task update's or an activity's
 * proof). A file no link names keeps no owner and is never served. The kinds are this migration's own copy of the
 * names the features register; the layout of the blobs on disk is unchanged.
 */
import { type Kysely, sql } from "kysely";

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable("stored_files").addColumn("owner_kind", "text").execute();
  await db.schema.alterTable("stored_files").addColumn("owner_id", "integer").execute();
  await backfillFileOwners(db);
  await db.schema.createIndex("stored_files_owner").on("stored_files").columns(["owner_kind", "owner_id"]).execute();
}

/** Give each file without an owner the record its link row names (exported for its test). */
export async function backfillFileOwners(db: Kysely<unknown>): Promise<void> {
  await sql`update stored_files set owner_kind = 'feedback',
      owner_id = (select min(ff.feedback_id) from feedback_files ff where ff.file_id = stored_files.id)
    where owner_kind is null and id in (select file_id from feedback_files)`.execute(db);
  await sql`update stored_files set owner_kind = 'task_update',
      owner_id = (select min(e.task_update_id) from evidence e where e.file_id = stored_files.id)
    where owner_kind is null and id in (select file_id from evidence where task_update_id is not null)`.execute(db);
  await sql`update stored_files set owner_kind = 'activity',
      owner_id = (select min(e.activity_id) from evidence e where e.file_id = stored_files.id)
    where owner_kind is null and id in (select file_id from evidence where activity_id is not null)`.execute(db);
}
