/**
 * An upload held between a dry run and its confirmation (the procedure import), in the database (migration 049), so
 * any app process can confirm what another one checked. The form carries an unguessable token; the table keeps only
 * its SHA-256, the user it belongs to and the time. `takeStaged` gives the upload back to that user only, within
 * `ttlMs`, for the purpose it was staged for; `dropStaged` forgets it once used. Staging forgets abandoned uploads.
 */
import { createHash, randomBytes } from "node:crypto";
import type { Kysely } from "kysely";
import type { Database } from "./db/schema.ts";

const TOKEN = /^[A-Za-z0-9_-]{32}$/;
const hashOf = (token: string) => createHash("sha256").update(token).digest("hex");

export interface StagedUpload<M> {
  fileName: string;
  meta: M;
  bytes: Uint8Array;
}

/** Keep `bytes` for `userId`; returns the token for the confirmation form. Uploads older than `ttlMs` are dropped. */
export async function stageUpload<M>(
  db: Kysely<Database>,
  upload: StagedUpload<M> & { purpose: string; userId: number; now: Date; ttlMs: number },
): Promise<string> {
  const token = randomBytes(24).toString("base64url");
  await db
    .deleteFrom("staged_uploads")
    .where("created_at", "<", new Date(upload.now.getTime() - upload.ttlMs).toISOString())
    .execute();
  await db
    .insertInto("staged_uploads")
    .values({
      token_sha256: hashOf(token),
      purpose: upload.purpose,
      user_id: upload.userId,
      file_name: upload.fileName,
      meta: JSON.stringify(upload.meta),
      bytes: upload.bytes,
      created_at: upload.now.toISOString(),
    })
    .execute();
  return token;
}

/** The upload under `token`, when it was staged for `purpose` by `userId` less than `ttlMs` ago; else null. */
export async function takeStaged<M>(
  db: Kysely<Database>,
  q: { purpose: string; token: string; userId: number; now: Date; ttlMs: number },
): Promise<StagedUpload<M> | null> {
  if (!TOKEN.test(q.token)) return null;
  const row = await db
    .selectFrom("staged_uploads")
    .select(["purpose", "user_id", "file_name", "meta", "bytes", "created_at"])
    .where("token_sha256", "=", hashOf(q.token))
    .executeTakeFirst();
  if (!row || row.purpose !== q.purpose || row.user_id !== q.userId) return null;
  if (q.now.getTime() - Date.parse(row.created_at) > q.ttlMs) return null;
  return { fileName: row.file_name, meta: JSON.parse(row.meta) as M, bytes: new Uint8Array(row.bytes) };
}

/** Forget the upload under `token` (once imported). */
export async function dropStaged(db: Kysely<Database>, token: string): Promise<void> {
  if (!TOKEN.test(token)) return;
  await db.deleteFrom("staged_uploads").where("token_sha256", "=", hashOf(token)).execute();
}
