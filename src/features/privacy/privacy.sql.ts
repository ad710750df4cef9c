/**
 * The personal-data feature's own queries: the consent texts (in `settings`) and whether a stored blob is still
 * used. The senders' and askers' tables are read and written through feedback.personal.ts and
 * questions.personal.ts, owned by those features.
 */
import type { Kysely, Transaction } from "kysely";
import type { Database } from "../../core/db/schema.ts";

type Q = Kysely<Database> | Transaction<Database>;

/** A setting's value, or undefined when it was never set. */
export async function setting(db: Q, key: string): Promise<string | undefined> {
  const row = await db.selectFrom("settings").select("value").where("key", "=", key).executeTakeFirst();
  return row?.value;
}

/** Set a setting, whether or not it existed. */
export async function putSetting(db: Q, key: string, value: string): Promise<void> {
  await db
    .insertInto("settings")
    .values({ key, value })
    .onConflict((oc) => oc.column("key").doUpdateSet({ value }))
    .execute();
}

/**
 * Whether any record still names this content (the same bytes uploaded elsewhere share one blob): a stored file of
 * any owner, or a radio bulletin's audio (named by its SHA-256 without a stored_files row). The same owners as the
 * backup's list (backup.manifest.ts `namedBlobsSql`).
 */
export async function blobInUse(db: Q, sha256: string): Promise<boolean> {
  const row = await db.selectFrom("stored_files").select("id").where("sha256", "=", sha256).executeTakeFirst();
  if (row) return true;
  const audio = await db
    .selectFrom("radio_bulletins")
    .select("id")
    .where("audio_sha256", "=", sha256)
    .executeTakeFirst();
  return audio != null;
}
