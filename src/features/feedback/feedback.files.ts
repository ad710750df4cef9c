/**
 * Files a sender attaches to feedback (a photo of the problem, a scanned letter): at most three, images (JPEG, PNG)
 * or PDF judged by their content, each within the configured size. Every file is checked before any is written, so
 * a refused submission stores nothing; the bytes go to the content-addressed store before the item's transaction
 * and the rows inside it. Each file is owned by its item (owner kind "feedback"): the file store serves it only to
 * staff who may open that item, by the item page's own rule (`authoriseFeedbackFile`).
 */

import type { Config } from "../../core/config.ts";
import type { Db } from "../../core/db/connection.ts";
import { fileStoreOf } from "../../core/file-store.ts";
import {
  type AuthoriseFile,
  checkUpload,
  type FileOwners,
  megabytes,
  type PreparedUpload,
  prepareUpload,
  sanitizeFileName,
  type UploadDeps,
} from "../../core/files.ts";
import { ATTACHMENT_TYPES, ATTACHMENT_TYPES_TEXT, FEEDBACK_FILE_OWNER, MAX_ATTACHMENTS } from "./feedback.schemas.ts";
import { submitFeedback } from "./feedback.service.ts";
import * as q from "./feedback.sql.ts";
import { mayOpen } from "./feedback.workflow.service.ts";

/** One uploaded file as the form sent it. */
export interface Upload {
  name: string;
  bytes: Uint8Array;
}

export type AttachmentError = { ok: false; status: 400 | 413 | 415; error: string };

/** Count, size and type of every upload, without writing anything. */
export function checkAttachments(uploads: readonly Upload[], maxBytes: number): AttachmentError | null {
  if (uploads.length > MAX_ATTACHMENTS)
    return { ok: false, status: 400, error: `Chỉ đính kèm được tối đa ${MAX_ATTACHMENTS} tệp.` };
  for (const f of uploads) {
    const r = checkUpload(f, maxBytes);
    if (!r.ok) {
      // The shared message lists every type the store accepts; feedback takes fewer.
      const error =
        r.reason === "type"
          ? `Tệp “${sanitizeFileName(f.name)}” không được chấp nhận: chỉ nhận ${ATTACHMENT_TYPES_TEXT}.`
          : r.status === 413
            ? `Tệp “${sanitizeFileName(f.name)}” quá lớn (tối đa ${megabytes(maxBytes)} mỗi tệp).`
            : r.error;
      return { ok: false, status: r.status, error };
    }
    if (!Object.hasOwn(ATTACHMENT_TYPES, r.type.mime))
      return {
        ok: false,
        status: 415,
        error: `Tệp “${sanitizeFileName(f.name)}” không được chấp nhận: chỉ nhận ${ATTACHMENT_TYPES_TEXT}.`,
      };
  }
  return null;
}

/** Write checked uploads to the store (call `checkAttachments` first). */
export async function storeAttachments(
  deps: UploadDeps,
  uploads: readonly Upload[],
): Promise<PreparedUpload[] | AttachmentError> {
  const out: PreparedUpload[] = [];
  for (const f of uploads) {
    const r = await prepareUpload(deps, f);
    if (!r.ok) return { ok: false, status: r.status, error: r.error };
    out.push(r);
  }
  return out;
}

/**
 * File an item with its attachments: every file checked first (a refused one stores nothing), a key the ward already
 * used returns that item without writing again, then the bytes are stored and the item filed with them.
 */
export async function submitWithAttachments(
  db: Db,
  config: Pick<Config, "dataDir" | "uploadMaxBytes" | "fileStore">,
  input: Parameters<typeof submitFeedback>[1],
  uploads: readonly Upload[],
  now: Date,
): Promise<{ ok: true; code: string; created: boolean } | AttachmentError> {
  const bad = checkAttachments(uploads, config.uploadMaxBytes);
  if (bad) return bad;
  if (input.idempotencyKey) {
    const known = await q.codeByIdempotencyKey(db.kysely, input.wardId, input.idempotencyKey);
    if (known) return { ok: true, code: known, created: false };
  }
  const files = await storeAttachments({ config, files: fileStoreOf({ db, config }) }, uploads);
  if (!Array.isArray(files)) return files;
  return { ok: true, ...(await submitFeedback(db.kysely, { ...input, files }, now)) };
}

/**
 * Who may read an item's attachments: exactly who may open the item (its ward's staff with "feedback.open", an
 * officer only when the item is assigned to their unit). Another ward's item is not found.
 */
const authoriseFeedbackFile: AuthoriseFile = async (db, viewer, itemId) => {
  const item = await q.itemForStaff(db, viewer.ward_id, itemId);
  if (!item) return "not_found";
  return mayOpen(viewer, item.assigned_unit_id) ? "allowed" : "forbidden";
};

/** Register citizens' attachments with the file store. */
export function registerFeedbackFiles(owners: FileOwners): void {
  owners.register(FEEDBACK_FILE_OWNER, authoriseFeedbackFile);
}
