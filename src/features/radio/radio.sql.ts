/** The radio's SQL, in one place. Every read and write names the ward that owns the row. */
import type { Insertable, Kysely, Transaction, Updateable } from "kysely";
import type { Database, RadioBulletinTable } from "../../core/db/schema.ts";
import { workflowSql } from "../../core/workflow-sql.ts";

type Q = Kysely<Database> | Transaction<Database>;

/** The workflow's queries (move with the status and round guard, correct a draft, its steps): src/core/workflow-sql.ts. */
export const flow = workflowSql("radio_bulletins", "radio_bulletin_steps", "bulletin_id");

const COLUMNS = [
  "radio_bulletins.id",
  "radio_bulletins.ward_id",
  "radio_bulletins.org_unit_id",
  "radio_bulletins.title",
  "radio_bulletins.broadcast_on",
  "radio_bulletins.slot",
  "radio_bulletins.status",
  "radio_bulletins.round",
  "radio_bulletins.return_reason",
  "radio_bulletins.approved_at",
  "radio_bulletins.withdrawn_reason",
  "radio_bulletins.audio_state",
  "radio_bulletins.audio_error",
  "radio_bulletins.audio_sha256",
  "radio_bulletins.audio_mime",
  "radio_bulletins.audio_size",
  "radio_bulletins.audio_duration_ms",
  "radio_bulletins.audio_origin",
  "radio_bulletins.audio_voice",
  "radio_bulletins.audio_command",
  "radio_bulletins.audio_text_sha256",
  "radio_bulletins.audio_made_at",
  "radio_bulletins.created_at",
  "radio_bulletins.updated_at",
  "org_units.name as org_unit_name",
] as const;

export function bulletinOf(db: Q, wardIds: readonly number[], id: number) {
  return db
    .selectFrom("radio_bulletins")
    .innerJoin("org_units", "org_units.id", "radio_bulletins.org_unit_id")
    .select(COLUMNS)
    .where("radio_bulletins.ward_id", "in", wardIds)
    .where("radio_bulletins.id", "=", id)
    .executeTakeFirst();
}
export type BulletinRow = NonNullable<Awaited<ReturnType<typeof bulletinOf>>>;

/** The ward's bulletins, latest broadcast date first; `statuses` to keep only some. */
export function bulletinsOf(db: Q, wardIds: readonly number[], opts: { statuses?: readonly string[]; limit?: number }) {
  let query = db
    .selectFrom("radio_bulletins")
    .innerJoin("org_units", "org_units.id", "radio_bulletins.org_unit_id")
    .select(COLUMNS)
    .where("radio_bulletins.ward_id", "in", wardIds);
  if (opts.statuses) query = query.where("radio_bulletins.status", "in", [...opts.statuses]);
  return query
    .orderBy("radio_bulletins.broadcast_on", "desc")
    .orderBy("radio_bulletins.id", "desc")
    .limit(opts.limit ?? 500)
    .execute();
}

export function itemsOf(db: Q, bulletinIds: readonly number[]) {
  if (!bulletinIds.length) return Promise.resolve([]);
  return db
    .selectFrom("radio_items")
    .select(["bulletin_id", "position", "title", "script"])
    .where("bulletin_id", "in", [...bulletinIds])
    .orderBy("bulletin_id")
    .orderBy("position")
    .execute();
}

export async function insertBulletin(db: Q, row: Insertable<RadioBulletinTable>): Promise<number> {
  const r = await db.insertInto("radio_bulletins").values(row).returning("id").executeTakeFirstOrThrow();
  return Number(r.id);
}

export async function replaceItems(db: Q, bulletinId: number, items: readonly { title: string; script: string }[]) {
  await db.deleteFrom("radio_items").where("bulletin_id", "=", bulletinId).execute();
  await db
    .insertInto("radio_items")
    .values(items.map((i, n) => ({ bulletin_id: bulletinId, position: n + 1, title: i.title, script: i.script })))
    .execute();
}

/** Set the audio columns; `onlyIf` the audio state is still that one (a recording uploaded meanwhile wins). */
export async function setAudio(
  db: Q,
  wardId: number,
  id: number,
  changes: Updateable<RadioBulletinTable>,
  onlyIf?: string,
): Promise<boolean> {
  let query = db.updateTable("radio_bulletins").set(changes).where("ward_id", "=", wardId).where("id", "=", id);
  if (onlyIf) query = query.where("audio_state", "=", onlyIf);
  const r = await query.executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

export function broadcastOf(db: Q, wardIds: readonly number[], bulletinId: number) {
  return db
    .selectFrom("radio_broadcasts")
    .selectAll()
    .where("ward_id", "in", wardIds)
    .where("bulletin_id", "=", bulletinId)
    .executeTakeFirst();
}

/** The broadcast log: every airing of the ward's bulletins, latest first. */
export function broadcastsOf(db: Q, wardIds: readonly number[]) {
  return db
    .selectFrom("radio_broadcasts")
    .innerJoin("radio_bulletins", "radio_bulletins.id", "radio_broadcasts.bulletin_id")
    .select([
      "radio_broadcasts.id",
      "radio_broadcasts.bulletin_id",
      "radio_bulletins.title",
      "radio_broadcasts.aired_on",
      "radio_broadcasts.aired_at",
      "radio_broadcasts.duration_s",
      "radio_broadcasts.cluster_names",
      "radio_broadcasts.listens",
      "radio_broadcasts.withdrawn_at",
    ])
    .where("radio_broadcasts.ward_id", "in", wardIds)
    .orderBy("radio_broadcasts.aired_on", "desc")
    .orderBy("radio_broadcasts.aired_at", "desc")
    .limit(500)
    .execute();
}

export function clustersOf(db: Q, wardId: number, activeOnly = false) {
  let query = db
    .selectFrom("radio_clusters")
    .select(["id", "name", "place", "audience", "active"])
    .where("ward_id", "=", wardId);
  if (activeOnly) query = query.where("active", "=", 1);
  return query.orderBy("name").execute();
}

/** The defaults and the ward's own abbreviations (a ward's own row overrides the default of the same text). */
export function abbreviationRowsOf(db: Q, wardId: number) {
  return db
    .selectFrom("radio_abbreviations")
    .select(["id", "ward_id", "abbr", "reading"])
    .where((eb) => eb.or([eb("ward_id", "is", null), eb("ward_id", "=", wardId)]))
    .orderBy("abbr")
    .execute();
}

export async function abbreviationsOf(db: Q, wardId: number): Promise<Map<string, string>> {
  const rows = await abbreviationRowsOf(db, wardId);
  const out = new Map<string, string>();
  for (const r of rows) if (r.ward_id == null) out.set(r.abbr, r.reading);
  for (const r of rows) if (r.ward_id != null) out.set(r.abbr, r.reading);
  return out;
}
