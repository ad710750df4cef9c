/**
 * Uploads: size limit, type by content (never by name or the browser's claim), content-addressed storage under a
 * generated name, and a sanitized original name kept only for display and download.
 *
 * Storage is two steps so a caller can write bytes before its transaction and link rows inside it:
 * `prepareUpload` (check + put the blob in the deployment's file store, core/file-store.ts) then `saveFileRow` (the
 * `stored_files` row). `storeFile` does both.
 *
 * Every row names the record that owns it (`owner_kind`, `owner_id`). Bytes leave the store only through
 * `openStoredFile`, which asks the owner kind's rule, registered by the feature that owns such records
 * (`FileOwners`): the core knows no feature, and a file whose kind nobody registered is never served.
 */
import { createHash } from "node:crypto";
import type { Kysely, Selectable, Transaction } from "kysely";
import type { Config } from "./config.ts";
import type { Db } from "./db/connection.ts";
import type { Database, StoredFileTable } from "./db/schema.ts";
import type { FileStore } from "./file-store.ts";
import { inspectPdf, type PdfVerdict } from "./pdf-active-content.ts";

export type StoredFile = Selectable<StoredFileTable>;

export interface FileDeps {
  db: Db;
  config: Pick<Config, "uploadMaxBytes">;
  /** Where the bytes go (core/file-store.ts). */
  files: FileStore;
  clock: () => Date;
}

export interface SniffedType {
  mime: string;
  ext: string;
}

/** What users are told they may upload. */
export const ACCEPTED_TYPES_TEXT = "ảnh (PNG, JPEG, GIF, WEBP), tệp PDF hoặc văn bản Word (.docx)";
/** For `<input type="file" accept=…>`: a hint to the browser only; the server decides by content. */
export const ACCEPT_ATTRIBUTE =
  ".png,.jpg,.jpeg,.gif,.webp,.pdf,.docx,image/png,image/jpeg,image/gif,image/webp,application/pdf,application/vnd.openxmlformats-officedocument.wordprocessingml.document";

const DOCX_MIME = "application/vnd.openxmlformats-officedocument.wordprocessingml.document";
const MAX_NAME_CHARS = 120;

const startsWith = (buf: Uint8Array, sig: readonly number[], at = 0) =>
  buf.length >= at + sig.length && sig.every((b, i) => buf[at + i] === b);
const ascii = (s: string) => [...s].map((ch) => ch.charCodeAt(0));

const u16 = (b: Uint8Array, p: number) => (b[p] ?? 0) | ((b[p + 1] ?? 0) << 8);
const u32 = (b: Uint8Array, p: number) => (u16(b, p) | (u16(b, p + 2) << 16)) >>> 0;

/**
 * Entry names of a zip archive, read from its central directory (the index a real zip reader uses, so a name
 * merely mentioned inside some entry's data does not count). Null when the archive is malformed.
 */
export function zipEntryNames(buf: Uint8Array): string[] | null {
  const EOCD = 0x06054b50;
  const CEN = 0x02014b50;
  const minEocd = 22;
  if (buf.length < minEocd) return null;
  let eocd = -1;
  // The end record sits in the last 22 bytes plus at most a 65,535-byte comment.
  for (let p = buf.length - minEocd; p >= Math.max(0, buf.length - minEocd - 0xffff); p--) {
    if (u32(buf, p) === EOCD) {
      eocd = p;
      break;
    }
  }
  if (eocd < 0) return null;
  const count = u16(buf, eocd + 10);
  const cdSize = u32(buf, eocd + 12);
  const cdOffset = u32(buf, eocd + 16);
  if (cdOffset + cdSize > eocd) return null;
  const names: string[] = [];
  const decoder = new TextDecoder("utf-8");
  let p = cdOffset;
  for (let i = 0; i < count; i++) {
    if (p + 46 > eocd || u32(buf, p) !== CEN) return null;
    const nameLen = u16(buf, p + 28);
    const extraLen = u16(buf, p + 30);
    const commentLen = u16(buf, p + 32);
    if (p + 46 + nameLen > eocd) return null;
    names.push(decoder.decode(buf.subarray(p + 46, p + 46 + nameLen)));
    p += 46 + nameLen + extraLen + commentLen;
  }
  return names;
}

/** The bytes as lower-case Latin-1 text (one byte, one character), for ASCII marker searches. */
const latin1Lower = (buf: Uint8Array, limit: number) =>
  Buffer.from(buf.buffer, buf.byteOffset, Math.min(buf.length, limit)).toString("latin1").toLowerCase();

// Markup that makes a file a polyglot: a browser or viewer that sniffs it could run it as a page.
const MARKUP = ["<script", "<html", "<svg", "<!doctype html", "<iframe", "<body", "javascript:"];

/**
 * The file's type judged by its content only (magic bytes), or null for anything not accepted:
 * PNG, JPEG, GIF, WEBP, PDF and DOCX (a zip whose central directory lists `word/document.xml`).
 * Executables, SVG, HTML, macro-enabled Word files and images carrying markup are refused.
 */
export function sniffType(buf: Uint8Array): SniffedType | null {
  let type: SniffedType | null = null;
  if (startsWith(buf, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) type = { mime: "image/png", ext: "png" };
  else if (startsWith(buf, [0xff, 0xd8, 0xff])) type = { mime: "image/jpeg", ext: "jpg" };
  else if (startsWith(buf, ascii("GIF87a")) || startsWith(buf, ascii("GIF89a")))
    type = { mime: "image/gif", ext: "gif" };
  else if (startsWith(buf, ascii("RIFF")) && startsWith(buf, ascii("WEBP"), 8))
    type = { mime: "image/webp", ext: "webp" };
  else if (startsWith(buf, ascii("%PDF-"))) type = { mime: "application/pdf", ext: "pdf" };
  else if (startsWith(buf, [0x50, 0x4b, 0x03, 0x04])) {
    const names = zipEntryNames(buf);
    if (!names) return null;
    const has = (n: string) => names.some((x) => x.toLowerCase() === n.toLowerCase());
    // vbaProject.bin: a macro-enabled document (.docm) dressed as .docx.
    if (has("word/document.xml") && has("[Content_Types].xml") && !has("word/vbaProject.bin"))
      type = { mime: DOCX_MIME, ext: "docx" };
    return type;
  }
  if (!type) return null;
  // Images are scanned whole (markup has no business anywhere in them); a PDF's head only, where browsers sniff.
  const limit = type.mime === "application/pdf" ? 1024 : buf.length;
  const text = latin1Lower(buf, limit);
  if (MARKUP.some((m) => text.includes(m))) return null;
  return type;
}

const WINDOWS_RESERVED = /^(con|prn|aux|nul|com\d|lpt\d)(\..*)?$/i;

/**
 * A name safe to show and to offer on download: the last path part only, no control, zero-width or
 * bidirectional-override characters, nothing Windows forbids, no leading dots, at most 120 characters
 * (keeping the extension). Never used as a path: files are stored under their hash.
 */
export function sanitizeFileName(raw: string): string {
  let s = raw
    .normalize("NFC")
    .replace(/\p{Cc}/gu, "")
    .replace(/[\u061c\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff]/g, "");
  s = s.split(/[\\/]/).pop() ?? "";
  s = s
    .replace(/[<>:"|?*]/g, "_")
    .replace(/\s+/g, " ")
    .trim()
    .replace(/^[.\s]+/, "")
    .replace(/[.\s]+$/, "");
  if (WINDOWS_RESERVED.test(s)) s = `_${s}`;
  const chars = Array.from(s);
  if (chars.length > MAX_NAME_CHARS) {
    const dot = s.lastIndexOf(".");
    const ext = dot > 0 ? Array.from(s.slice(dot)) : [];
    if (ext.length > 0 && ext.length <= 10)
      s =
        chars
          .slice(0, MAX_NAME_CHARS - ext.length)
          .join("")
          .trimEnd() + ext.join("");
    else s = chars.slice(0, MAX_NAME_CHARS).join("").trimEnd();
  }
  return s || "tep-dinh-kem";
}

const SAME_EXT: Record<string, string[]> = { jpg: ["jpg", "jpeg", "jpe", "jfif"] };

/** The name to download under: the sanitized name, with the extension of the sniffed type where it differs. */
export function downloadName(row: { original_name: string; mime: string }): string {
  const name = sanitizeFileName(row.original_name);
  const ext = Object.entries({
    png: "image/png",
    jpg: "image/jpeg",
    gif: "image/gif",
    webp: "image/webp",
    pdf: "application/pdf",
    docx: DOCX_MIME,
  }).find(([, m]) => m === row.mime)?.[0];
  if (!ext) return name;
  const current = /\.([A-Za-z0-9]{1,10})$/.exec(name)?.[1]?.toLowerCase();
  if (current && (SAME_EXT[ext] ?? [ext]).includes(current)) return name;
  return sanitizeFileName(`${name}.${ext}`);
}

/** `Content-Disposition: attachment` with an ASCII fallback and the UTF-8 name (RFC 6266 / 5987). */
export function contentDisposition(name: string): string {
  const clean = sanitizeFileName(name);
  const fallback =
    clean
      .normalize("NFD")
      .replace(/\p{M}+/gu, "")
      .replace(/đ/g, "d")
      .replace(/Đ/g, "D")
      .replace(/[^A-Za-z0-9._ -]/g, "_") || "tep";
  const encoded = encodeURIComponent(clean).replace(
    /['()*]/g,
    (ch) => `%${ch.charCodeAt(0).toString(16).toUpperCase()}`,
  );
  return `attachment; filename="${fallback}"; filename*=UTF-8''${encoded}`;
}

/** A size in megabytes, one decimal at most, with a Vietnamese decimal comma: "10 MB", "1,5 MB". */
export function megabytes(bytes: number): string {
  const mb = Math.round((bytes / 1024 / 1024) * 10) / 10;
  return `${String(mb).replace(".", ",")} MB`;
}

/** "Tệp quá lớn (tối đa 10 MB)." */
export function tooLargeMessage(maxBytes: number): string {
  return `Tệp quá lớn (tối đa ${megabytes(maxBytes)}).`;
}

/** Why an upload was refused: empty, over the size limit, a type not accepted, or an accepted type with active content. */
export type UploadRefusal = "empty" | "too_large" | "type" | "active_content";
export type UploadError = { ok: false; status: 400 | 413 | 415; error: string; reason: UploadRefusal };

/** A checked upload, its bytes already in the store. */
export interface PreparedUpload {
  ok: true;
  sha256: string;
  mime: string;
  ext: string;
  size: number;
  /** Sanitized original name. */
  name: string;
}

/** Size and content checks only, no writing. */
export function checkUpload(
  file: { name: string; bytes: Uint8Array },
  maxBytes: number,
): { ok: true; type: SniffedType; sha256: string } | UploadError {
  const name = sanitizeFileName(file.name);
  if (file.bytes.length === 0) return { ok: false, status: 400, error: `Tệp “${name}” trống.`, reason: "empty" };
  if (file.bytes.length > maxBytes)
    return { ok: false, status: 413, error: tooLargeMessage(maxBytes), reason: "too_large" };
  const type = sniffType(file.bytes);
  if (!type) {
    return {
      ok: false,
      status: 415,
      error: `Tệp “${name}” không được chấp nhận: chỉ nhận ${ACCEPTED_TYPES_TEXT}.`,
      reason: "type",
    };
  }
  if (type.mime === "application/pdf") {
    const pdf = inspectPdf(file.bytes);
    if (!pdf.ok) return { ok: false, status: 415, error: pdfRefusalMessage(name, pdf), reason: "active_content" };
  }
  return { ok: true, type, sha256: createHash("sha256").update(file.bytes).digest("hex") };
}

/** Why a PDF is refused, and what the sender can do: print it to a plain PDF (or scan it) and send that. */
function pdfRefusalMessage(name: string, verdict: Exclude<PdfVerdict, { ok: true }>): string {
  const why =
    verdict.reason === "active" ? `có ${verdict.what}` : "có phần dữ liệu nén mà hệ thống không kiểm tra được";
  return `Tệp PDF “${name}” không được chấp nhận vì ${why}, có thể gây hại cho máy người mở. Hãy in tài liệu ra PDF thường (chức năng “In ra PDF”) hoặc chụp, quét lại rồi gửi.`;
}

/** What writing an upload needs: the size limit and the deployment's file store. */
export interface UploadDeps {
  config: Pick<Config, "uploadMaxBytes">;
  files: FileStore;
}

/**
 * Check an upload and put its bytes in the store (before any transaction: a blob without a row is harmless,
 * a row without its blob is not).
 */
export async function prepareUpload(
  deps: UploadDeps,
  file: { name: string; bytes: Uint8Array },
): Promise<PreparedUpload | UploadError> {
  const checked = checkUpload(file, deps.config.uploadMaxBytes);
  if (!checked.ok) return checked;
  await deps.files.put(file.bytes);
  return {
    ok: true,
    sha256: checked.sha256,
    mime: checked.type.mime,
    ext: checked.type.ext,
    size: file.bytes.length,
    name: sanitizeFileName(file.name),
  };
}

/** The record a file belongs to: its kind (as registered in `FileOwners`) and id. */
export interface FileOwnerRef {
  kind: string;
  id: number;
}

/** Where a file was uploaded and by whom, and the record that owns it. */
export interface FilePlacement {
  wardId: number;
  userId: number | null;
  owner: FileOwnerRef;
}

/** The `stored_files` row of a prepared upload; pass the caller's transaction. */
export async function saveFileRow(
  q: Kysely<Database> | Transaction<Database>,
  file: PreparedUpload,
  placement: FilePlacement,
  now: Date,
): Promise<StoredFile> {
  return q
    .insertInto("stored_files")
    .values({
      ward_id: placement.wardId,
      sha256: file.sha256,
      mime: file.mime,
      size: file.size,
      original_name: file.name,
      created_by: placement.userId,
      created_at: now.toISOString(),
      owner_kind: placement.owner.kind,
      owner_id: placement.owner.id,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
}

export type StoreResult = { ok: true; file: StoredFile } | UploadError;

/** Check, store and record one upload. The bytes are written before the row. */
export async function storeFile(
  deps: FileDeps,
  input: FilePlacement & { name: string; bytes: Uint8Array },
  trx?: Transaction<Database>,
): Promise<StoreResult> {
  const prepared = await prepareUpload(deps, input);
  if (!prepared.ok) return prepared;
  const file = await saveFileRow(
    trx ?? deps.db.kysely,
    prepared,
    { wardId: input.wardId, userId: input.userId, owner: input.owner },
    deps.clock(),
  );
  return { ok: true, file };
}

/** Who asks for a file: a signed-in staff member, with the wards whose records they may see (theirs and its predecessors). */
export interface FileViewer {
  id: number;
  role: string;
  ward_id: number;
  org_unit_id: number | null;
  wardScope: readonly number[];
}

/** An owner rule's answer: "not_found" when the viewer may not even know the record exists. */
export type FileAccess = "allowed" | "forbidden" | "not_found";

/** The owning record's own authorisation: may this viewer open record `ownerId` (and so its files)? */
export type AuthoriseFile = (db: Kysely<Database>, viewer: FileViewer, ownerId: number) => Promise<FileAccess>;

/**
 * Owner kinds and their rules. Features register their kinds at the composition root; a kind is registered once,
 * and a file whose kind is unknown (or that has no owner) is treated as not found.
 */
export class FileOwners {
  readonly #rules = new Map<string, AuthoriseFile>();

  register(kind: string, authorise: AuthoriseFile): this {
    if (this.#rules.has(kind)) throw new Error(`file owner kind registered twice: ${kind}`);
    this.#rules.set(kind, authorise);
    return this;
  }

  /** The rule of the file's owner, asked for this viewer. */
  async authorise(db: Kysely<Database>, viewer: FileViewer, row: Pick<StoredFile, "owner_kind" | "owner_id">) {
    const rule = row.owner_kind == null ? undefined : this.#rules.get(row.owner_kind);
    if (!rule || row.owner_id == null) return "not_found" as const;
    return rule(db, viewer, Number(row.owner_id));
  }
}

export type OpenedFile = { ok: true; row: StoredFile; bytes: Uint8Array } | { ok: false; status: 403 | 404 };

/**
 * A stored file's row and bytes for this viewer, after its owner's rule: 404 for an unknown id, a file of a ward
 * outside the viewer's, an owner the rule hides or a missing blob; 403 when the rule refuses a record the viewer
 * may know of (an officer and another unit's item). The only way bytes leave the store for a request.
 */
export async function openStoredFile(
  deps: Pick<FileDeps, "db" | "files">,
  owners: FileOwners,
  viewer: FileViewer,
  id: number,
): Promise<OpenedFile> {
  const notFound = { ok: false, status: 404 } as const;
  const row = await deps.db.kysely.selectFrom("stored_files").selectAll().where("id", "=", id).executeTakeFirst();
  // Another ward's file is never this viewer's, whatever a feature's rule says.
  if (!row || !viewer.wardScope.includes(Number(row.ward_id))) return notFound;
  const access = await owners.authorise(deps.db.kysely, viewer, row);
  if (access === "forbidden") return { ok: false, status: 403 };
  if (access !== "allowed") return notFound;
  const bytes = await deps.files.get(row.sha256);
  return bytes ? { ok: true, row, bytes } : notFound;
}
