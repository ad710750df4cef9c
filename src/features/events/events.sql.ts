/** The events' SQL, in one place. Every read and write names the ward that owns the row. */
import type { Insertable, Kysely, Transaction, Updateable } from "kysely";
import type { Database, EventMinutesTable, EventTable } from "../../core/db/schema.ts";
import { workflowSql } from "../../core/workflow-sql.ts";

type Q = Kysely<Database> | Transaction<Database>;

/** The workflow's queries (move with the status and round guard, correct a draft, its steps): src/core/workflow-sql.ts. */
export const flow = workflowSql("events", "event_steps", "event_id");

const COLUMNS = [
  "events.id",
  "events.ward_id",
  "events.org_unit_id",
  "events.kind",
  "events.title",
  "events.description",
  "events.place",
  "events.starts_on",
  "events.starts_at",
  "events.ends_at",
  "events.partners_json",
  "events.area_ids_json",
  "events.expected_audience",
  "events.status",
  "events.round",
  "events.return_reason",
  "events.announced_at",
  "events.attendance_json",
  "events.attended",
  "events.cost",
  "events.withdrawn_reason",
  "events.created_at",
  "events.updated_at",
  "org_units.name as org_unit_name",
] as const;

export function eventOf(db: Q, wardIds: readonly number[], id: number) {
  return db
    .selectFrom("events")
    .innerJoin("org_units", "org_units.id", "events.org_unit_id")
    .select(COLUMNS)
    .where("events.ward_id", "in", wardIds)
    .where("events.id", "=", id)
    .executeTakeFirst();
}
export type EventRow = NonNullable<Awaited<ReturnType<typeof eventOf>>>;

/** The ward's events, newest date first; `announcedOnly` for the public. */
export function eventsOf(
  db: Q,
  wardIds: readonly number[],
  opts: { announcedOnly: boolean; from?: string; to?: string; limit?: number },
) {
  let query = db
    .selectFrom("events")
    .innerJoin("org_units", "org_units.id", "events.org_unit_id")
    .select(COLUMNS)
    .where("events.ward_id", "in", wardIds);
  if (opts.announcedOnly) query = query.where("events.announced_at", "is not", null);
  if (opts.from) query = query.where("events.starts_on", ">=", opts.from);
  if (opts.to) query = query.where("events.starts_on", "<=", opts.to);
  return query
    .orderBy("events.starts_on", "desc")
    .orderBy("events.starts_at", "desc")
    .orderBy("events.id", "desc")
    .limit(opts.limit ?? 500)
    .execute();
}

/**
 * The wards' approved (announced, not yet held) events starting from `from` to `to` (ISO days), soonest first: what
 * the radio bulletin invites people to.
 */
export function comingEvents(db: Q, wardIds: readonly number[], from: string, to: string, limit: number) {
  return db
    .selectFrom("events")
    .innerJoin("org_units", "org_units.id", "events.org_unit_id")
    .select(COLUMNS)
    .where("events.ward_id", "in", wardIds)
    .where("events.status", "=", "approved")
    .where("events.starts_on", ">=", from)
    .where("events.starts_on", "<=", to)
    .orderBy("events.starts_on")
    .orderBy("events.starts_at")
    .limit(limit)
    .execute();
}

export async function insertEvent(db: Q, row: Insertable<EventTable>): Promise<number> {
  const r = await db.insertInto("events").values(row).returning("id").executeTakeFirstOrThrow();
  return Number(r.id);
}

/** The minutes of an event of these wards, or undefined when none is written yet. */
export function minutesOf(db: Q, wardIds: readonly number[], eventId: number) {
  return db
    .selectFrom("event_minutes")
    .selectAll()
    .where("ward_id", "in", wardIds)
    .where("event_id", "=", eventId)
    .executeTakeFirst();
}
export type MinutesRow = NonNullable<Awaited<ReturnType<typeof minutesOf>>>;

/**
 * Hold the event row while its minutes are written: a no-op update that matches only while the event is held, so a
 * withdrawal racing with the save either waits for it (PostgreSQL's row lock; SQLite writes one at a time) or has
 * already happened and the save is refused.
 */
export async function lockHeldEvent(db: Q, wardId: number, id: number): Promise<boolean> {
  const r = await db
    .updateTable("events")
    .set({ status: "held" })
    .where("ward_id", "=", wardId)
    .where("id", "=", id)
    .where("status", "=", "held")
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

export async function insertMinutes(db: Q, row: Insertable<EventMinutesTable>): Promise<void> {
  await db.insertInto("event_minutes").values(row).execute();
}

export async function updateMinutes(db: Q, wardId: number, eventId: number, changes: Updateable<EventMinutesTable>) {
  await db
    .updateTable("event_minutes")
    .set(changes)
    .where("ward_id", "=", wardId)
    .where("event_id", "=", eventId)
    .execute();
}

/** The photos of an event, oldest first. */
export function photosOf(db: Q, eventId: number) {
  return db
    .selectFrom("event_photos")
    .select(["id", "event_id", "file_id", "alt", "width", "height"])
    .where("event_id", "=", eventId)
    .orderBy("id")
    .execute();
}
export type EventPhotoRow = Awaited<ReturnType<typeof photosOf>>[number];

export async function insertPhoto(
  db: Q,
  row: {
    event_id: number;
    file_id: number;
    alt: string;
    width: number;
    height: number;
    created_by: number;
    created_at: string;
  },
): Promise<number> {
  const r = await db.insertInto("event_photos").values(row).returning("id").executeTakeFirstOrThrow();
  return Number(r.id);
}

/** Remove a photo of the event; the row it was, or undefined when there is none. */
export async function deletePhoto(db: Q, eventId: number, photoId: number) {
  const before = await db
    .selectFrom("event_photos")
    .select(["id", "alt", "file_id"])
    .where("event_id", "=", eventId)
    .where("id", "=", photoId)
    .executeTakeFirst();
  if (before) await db.deleteFrom("event_photos").where("id", "=", photoId).execute();
  return before;
}

/** A photo with its stored file and the event's ward, status and announcement: what serving it needs to decide. */
export function photoFile(db: Q, photoId: number) {
  return db
    .selectFrom("event_photos")
    .innerJoin("events", "events.id", "event_photos.event_id")
    .innerJoin("stored_files", "stored_files.id", "event_photos.file_id")
    .select([
      "event_photos.id",
      "events.ward_id",
      "events.status",
      "stored_files.sha256",
      "stored_files.mime",
      "stored_files.size",
    ])
    .where("event_photos.id", "=", photoId)
    .executeTakeFirst();
}

/** The ward owning an event (for the file store's authorisation). */
export async function wardOfEvent(db: Q, id: number): Promise<number | null> {
  const r = await db.selectFrom("events").select("ward_id").where("id", "=", id).executeTakeFirst();
  return r ? Number(r.ward_id) : null;
}
