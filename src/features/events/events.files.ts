/**
 * Event photos in the file store: the ward's staff who read events may download them (the public reads a held
 * event's photos through its own route, events.public.tsx); another ward's are not found.
 */
import type { Kysely } from "kysely";
import { can, type Role } from "../../core/auth/roles.ts";
import type { Database } from "../../core/db/schema.ts";
import type { AuthoriseFile, FileOwners } from "../../core/files.ts";
import * as q from "./events.sql.ts";
import { EVENT_PHOTO_OWNER } from "./photos.service.ts";

const eventPhoto: AuthoriseFile = async (db: Kysely<Database>, viewer, id) => {
  const wardId = await q.wardOfEvent(db, id);
  if (wardId == null || !viewer.wardScope.includes(wardId)) return "not_found";
  return can(viewer.role as Role, "event.read") ? "allowed" : "forbidden";
};

/** Register the events' owner kinds with the file store. */
export function registerEventFiles(owners: FileOwners): void {
  owners.register(EVENT_PHOTO_OWNER, eventPhoto);
}
