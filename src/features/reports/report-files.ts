/**
 * A report's files: the signed copy staff upload after issue (a PDF digitally signed, or scanned with the seal —
 * the only copy that is published), and the XLSX of its figure tables (the same tables the document holds, read
 * from the document model so the two never disagree). The signed copy lives in the file store, owned by its report
 * (owner kind "report"): staff who may draft the ward's reports may download it; the public reads it only through
 * the published report's own route.
 */
import type { Kysely } from "kysely";
import { type Actor, audit } from "../../core/audit.ts";
import { can, type Role } from "../../core/auth/roles.ts";
import type { Database } from "../../core/db/schema.ts";
import type { AdminDocument } from "../../core/documents/admin-document.ts";
import type { XlsxSheet } from "../../core/documents/xlsx-writer.ts";
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
import type { Ward } from "../../core/web/context.ts";
import { REPORT_STATUSES } from "./reports.service.ts";
import * as q from "./reports.sql.ts";

/** Owner kind of a report's signed copy in the file store (owner id: the report's). */
export const REPORT_FILE_OWNER = "report";

export type FileResult =
  | { ok: true; id: number }
  | { ok: false; status: 400 | 404 | 409 | 413 | 415; errors: Record<string, string> };

const refuse = (status: 400 | 404 | 409 | 413 | 415, message: string): FileResult => ({
  ok: false,
  status,
  errors: { signed: message },
});

/**
 * Attach the signed copy of an issued report: a PDF judged by its content (size limit, no active content), stored
 * and linked in one transaction. Before publishing it may be replaced (a better scan); once published the public
 * copy is fixed and a new upload is refused.
 */
export async function attachSignedCopy(
  db: Kysely<Database>,
  deps: UploadDeps,
  actor: Actor & { userId: number },
  ward: Ward,
  id: number,
  upload: { name: string; bytes: Uint8Array } | null,
  now: Date,
): Promise<FileResult> {
  const r = await q.reportOf(db, [ward.unit.id], id);
  if (!r) return refuse(404, "Không tìm thấy báo cáo.");
  if (r.status !== "issued")
    return refuse(
      409,
      `Báo cáo đang ở trạng thái “${REPORT_STATUSES[r.status] ?? r.status}”: chỉ tải bản đã ký sau khi ban hành.`,
    );
  if (r.published) return refuse(409, "Báo cáo đã công khai bản đã ký; không thay bản đã công khai được.");
  if (!upload) return refuse(400, "Chọn tệp PDF của bản đã ký (ký số, hoặc bản scan có chữ ký và đóng dấu).");
  const checked = checkUpload(upload, deps.config.uploadMaxBytes);
  if (!checked.ok) return refuse(checked.status, checked.error);
  if (checked.type.mime !== "application/pdf")
    return refuse(
      415,
      `Tệp “${sanitizeFileName(upload.name)}” không phải PDF: bản đã ký phải là tệp PDF (ký số, hoặc bản scan có chữ ký và đóng dấu).`,
    );
  const prepared = await prepareUpload(deps, upload);
  if (!prepared.ok) return refuse(prepared.status, prepared.error);
  return db.transaction().execute(async (trx) => {
    const file = await saveFileRow(
      trx,
      prepared,
      { wardId: ward.unit.id, userId: actor.userId, owner: { kind: REPORT_FILE_OWNER, id } },
      now,
    );
    const moved = await q.setSignedCopy(trx, ward.unit.id, id, file.id, now.toISOString());
    if (!moved) throw new Error("report left the issued, unpublished state during the upload");
    await audit(
      trx,
      actor,
      {
        action: "report.sign",
        entity: "report",
        entityId: id,
        wardId: ward.unit.id,
        before: { signedFileId: r.signed_file_id },
        after: { signedFileId: file.id, sha256: file.sha256, size: file.size },
      },
      now,
    );
    return { ok: true as const, id };
  });
}

/** The bytes of a report's signed copy, or null when it has none (or its blob is gone). */
export async function signedCopyBytes(
  db: Kysely<Database>,
  files: FileStore,
  r: { id: number; signed_file_id: number | null },
): Promise<Uint8Array | null> {
  if (r.signed_file_id == null) return null;
  const row = await q.signedFileOf(db, r.id, r.signed_file_id);
  if (!row) return null;
  return files.get(row.sha256);
}

/** Who may read a report's signed copy in the staff file route: the ward's staff who may draft its reports. */
const authoriseReportFile: AuthoriseFile = async (db, viewer, reportId) => {
  const r = await q.reportOf(db, [...viewer.wardScope], reportId);
  if (!r) return "not_found";
  return can(viewer.role as Role, "report.draft") ? "allowed" : "forbidden";
};

/** Register reports' signed copies with the file store. */
export function registerReportFiles(owners: FileOwners): void {
  owners.register(REPORT_FILE_OWNER, authoriseReportFile);
}

/**
 * The workbook of a report's figure tables: one sheet per table of the document, in its order, titled with the
 * table's caption and the report's title and period. Pure.
 */
export function reportSheets(document: AdminDocument, heading: string): XlsxSheet[] {
  const sheets: XlsxSheet[] = [];
  for (const b of document.body) {
    if (b.kind !== "table") continue;
    const caption = b.caption ?? `Bảng ${sheets.length + 1}`;
    sheets.push({
      name: caption.replace(/^Bảng (\d+)\.\s*/, "B$1 "),
      title: `${caption} — ${heading}`,
      columns: b.header.map((h, i) =>
        i === 0
          ? { header: h, width: 40 }
          : // An index keeps its decimal (85,3%); counts, people and đồng are whole.
            {
              header: h,
              numFmt: b.rows.some((r) => typeof r[i] === "number" && !Number.isInteger(r[i])) ? "0.0" : "#,##0",
            },
      ),
      rows: b.rows.map((r) => [...r]),
    });
  }
  if (sheets.length === 0)
    sheets.push({
      name: "Số liệu",
      title: heading,
      columns: [{ header: "Ghi chú", width: 60 }],
      rows: [["Kỳ báo cáo không có bảng số liệu."]],
    });
  return sheets;
}
