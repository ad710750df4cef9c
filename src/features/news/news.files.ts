/**
 * News photos and poster photos in the file store: the ward's staff who read news may download them (the public
 * reads a published article's photos through its own route, news.public.tsx); another ward's are not found.
 */
import type { Kysely } from "kysely";
import { can, type Role } from "../../core/auth/roles.ts";
import type { Database } from "../../core/db/schema.ts";
import type { AuthoriseFile, FileAccess, FileOwners, FileViewer } from "../../core/files.ts";
import { NEWS_FILE_OWNER } from "./news.service.ts";
import * as q from "./news.sql.ts";
import { POSTER_FILE_OWNER } from "./posters.service.ts";

function staffMayRead(viewer: FileViewer, wardId: number | null): FileAccess {
  if (wardId == null || !viewer.wardScope.includes(wardId)) return "not_found";
  return can(viewer.role as Role, "news.read") ? "allowed" : "forbidden";
}

const article: AuthoriseFile = async (db: Kysely<Database>, viewer, id) =>
  staffMayRead(viewer, await q.wardOfArticle(db, id));
const poster: AuthoriseFile = async (db: Kysely<Database>, viewer, id) =>
  staffMayRead(viewer, await q.wardOfPoster(db, id));

/** Register the news owner kinds with the file store. */
export function registerNewsFiles(owners: FileOwners): void {
  owners.register(NEWS_FILE_OWNER, article).register(POSTER_FILE_OWNER, poster);
}
