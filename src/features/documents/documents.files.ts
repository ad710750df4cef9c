/**
 * A library entry's file: the text of the document as a PDF or DOCX, judged by its content (core/files.ts: size
 * limit, type sniffed, no active content in a PDF), owned by its entry (owner kind "legal_document"). Staff of the
 * ward attach or replace it; the public downloads it from the document's page (a published document's text is
 * public by nature).
 */
import type { Kysely } from "kysely";
import { type Actor, audit } from "../../core/audit.ts";
import type { Database } from "../../core/db/schema.ts";
import type { FileStore } from "../../core/file-store.ts";
import {
  type AuthoriseFile,
  checkUpload,
  type FileOwners,
  prepareUpload,
  sanitizeFileName,
  saveFileRow,
  type UploadDeps,
} from "../../core/files.ts";
import * as q from "./documents.sql.ts";

export const DOCUMENT_FILE_OWNER = "legal_document";
const TEXT_TYPES = new Set([
  "application/pdf",
  "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
]);

export type FileResult = { ok: true } | { ok: false; status: 400 | 404 | 413 | 415; errors: Record<string, string> };
const refuse = (status: 400 | 404 | 413 | 415, message: string): FileResult => ({
  ok: false,
  status,
  errors: { file: message },
});

/** Attach (or replace) the entry's text: stored, linked and audited in one transaction. */
export async function attachDocumentFile(
  db: Kysely<Database>,
  deps: UploadDeps,
  actor: Actor & { userId: number; wardId: number },
  id: number,
  upload: { name: string; bytes: Uint8Array } | null,
  now: Date,
): Promise<FileResult> {
  const d = await q.documentOf(db, [actor.wardId], id);
  if (!d) return refuse(404, "Không tìm thấy văn bản.");
  if (!upload) return refuse(400, "Chọn tệp văn bản (PDF hoặc Word .docx).");
  const checked = checkUpload(upload, deps.config.uploadMaxBytes);
  if (!checked.ok) return refuse(checked.status, checked.error);
  if (!TEXT_TYPES.has(checked.type.mime))
    return refuse(
      415,
      `Tệp “${sanitizeFileName(upload.name)}” không phải văn bản: chỉ nhận tệp PDF hoặc Word (.docx).`,
    );
  const prepared = await prepareUpload(deps, upload);
  if (!prepared.ok) return refuse(prepared.status, prepared.error);
  return db.transaction().execute(async (trx) => {
    const file = await saveFileRow(
      trx,
      prepared,
      { wardId: actor.wardId, userId: actor.userId, owner: { kind: DOCUMENT_FILE_OWNER, id } },
      now,
    );
    await q.updateDocument(trx, actor.wardId, id, { file_id: file.id, updated_at: now.toISOString() });
    await audit(
      trx,
      actor,
      {
        action: "document.file",
        entity: "legal_document",
        entityId: id,
        before: { fileId: d.file_id },
        after: { fileId: file.id, sha256: file.sha256, size: file.size },
      },
      now,
    );
    return { ok: true as const };
  });
}

/** The entry's file row and bytes, or null when it has none (or its blob is gone). */
export async function documentFile(db: Kysely<Database>, files: FileStore, wardIds: readonly number[], id: number) {
  const row = await db
    .selectFrom("legal_documents")
    .innerJoin("stored_files", "stored_files.id", "legal_documents.file_id")
    .select(["stored_files.sha256", "stored_files.mime", "stored_files.original_name", "stored_files.size"])
    .where("legal_documents.ward_id", "in", wardIds)
    .where("legal_documents.id", "=", id)
    .where("stored_files.owner_kind", "=", DOCUMENT_FILE_OWNER)
    .where("stored_files.owner_id", "=", id)
    .executeTakeFirst();
  if (!row) return null;
  const bytes = await files.get(row.sha256);
  return bytes ? { row, bytes } : null;
}

/** In the staff file route: the ward's staff may open any file of its library (the text is public anyway). */
const authoriseDocumentFile: AuthoriseFile = async (db, viewer, documentId) =>
  (await q.documentOf(db, [...viewer.wardScope], documentId)) ? "allowed" : "not_found";

export function registerDocumentFiles(owners: FileOwners): void {
  owners.register(DOCUMENT_FILE_OWNER, authoriseDocumentFile);
}
