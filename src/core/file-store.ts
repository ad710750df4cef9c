/**
 * Where stored files' bytes live (issue 12 §6): one small interface, two stores, chosen by FILE_STORE.
 * - `local` (default; the only one on SQLite): the data folder, `files/ab/abcdef…`, named by SHA-256 (the layout
 *   every existing data folder has).
 * - `database` (PostgreSQL only): tables `file_blobs` and `file_chunks` (migration 044), reached by every app
 *   process of a deployment, whatever machine it runs on. A blob is cut into chunks so a range request of a long
 *   recording reads only the chunks it covers.
 *
 * Blobs are content-addressed: `put` of the same bytes twice stores them once, so a caller writes the blob before its
 * transaction and the row naming it inside (a blob without a row is harmless, a row without its blob is not).
 * Which records name a blob is not this module's business: see `blobInUse` (privacy) and the backup's list.
 */
import { createHash, randomBytes } from "node:crypto";
import fs from "node:fs/promises";
import path from "node:path";
import type { Kysely } from "kysely";
import type { Config } from "./config.ts";
import type { Db } from "./db/connection.ts";
import type { Database } from "./db/schema.ts";

export type FileStoreKind = "local" | "database";

export interface FileStore {
  readonly kind: FileStoreKind;
  /** Store the bytes (once: the same content is the same blob); returns their SHA-256. */
  put(bytes: Uint8Array): Promise<string>;
  /** The whole blob, or null when the store has none under that hash. */
  get(sha256: string): Promise<Uint8Array | null>;
  /** Bytes `start`..`end` (inclusive, clamped to the blob), or null when there is no such blob. */
  read(sha256: string, start: number, end: number): Promise<Uint8Array | null>;
  /** The blob's size in bytes, or null when there is none. */
  size(sha256: string): Promise<number | null>;
  has(sha256: string): Promise<boolean>;
  /** Remove the blob (nothing when absent). The caller has checked that no record names it. */
  delete(sha256: string): Promise<void>;
  /** Every blob's SHA-256, in order. */
  list(): AsyncIterable<string>;
  /**
   * The blob held open for reading whole (a backup): its size now, and its bytes as they were when opened even if
   * it is deleted meanwhile. Null when there is none. `close` when done.
   */
  open(sha256: string): Promise<OpenBlob | null>;
}

export interface OpenBlob {
  size: number;
  chunks(): AsyncIterable<Uint8Array>;
  close(): Promise<void>;
}

/** FILE_STORE=database on SQLite: refused at start, with what to do. */
export class FileStoreError extends Error {}

export const DATABASE_STORE_NEEDS_POSTGRES =
  "FILE_STORE=database chỉ dùng được với PostgreSQL (DATABASE_URL): tệp được lưu trong cơ sở dữ liệu để mọi tiến trình cùng đọc. Với SQLite, bỏ FILE_STORE hoặc đặt FILE_STORE=local (tệp nằm trong thư mục dữ liệu).";

const SHA = /^[0-9a-f]{64}$/;
const checkSha = (sha256: string) => {
  if (!SHA.test(sha256)) throw new Error("invalid sha256");
};

export const sha256Of = (bytes: Uint8Array) => createHash("sha256").update(bytes).digest("hex");

/** Where a blob lives in the local store: `${dataDir}/files/ab/abcdef…`, named by its SHA-256, never by the user. */
export function blobPath(dataDir: string, sha256: string): string {
  checkSha(sha256);
  return path.join(dataDir, "files", sha256.slice(0, 2), sha256);
}

const missing = (e: unknown) => (e as NodeJS.ErrnoException).code === "ENOENT";

/** The data folder's `files/`: written once, atomically (temp file, fsync, rename). */
export class LocalFileStore implements FileStore {
  readonly kind = "local" as const;
  constructor(readonly dataDir: string) {}

  async put(bytes: Uint8Array): Promise<string> {
    const sha256 = sha256Of(bytes);
    const target = blobPath(this.dataDir, sha256);
    try {
      const st = await fs.stat(target);
      if (st.size === bytes.length) return sha256;
    } catch {
      // not there yet
    }
    await fs.mkdir(path.dirname(target), { recursive: true });
    const tmp = `${target}.${randomBytes(6).toString("hex")}.tmp`;
    const fh = await fs.open(tmp, "wx", 0o640);
    try {
      await fh.writeFile(bytes);
      await fh.sync();
    } finally {
      await fh.close();
    }
    try {
      await fs.rename(tmp, target);
    } catch (e) {
      await fs.rm(tmp, { force: true });
      throw e;
    }
    return sha256;
  }

  async get(sha256: string): Promise<Uint8Array | null> {
    try {
      return new Uint8Array(await fs.readFile(blobPath(this.dataDir, sha256)));
    } catch (e) {
      if (missing(e)) return null;
      throw e;
    }
  }

  /** The blob's file opened for reading, or null when there is none. */
  async #handle(sha256: string): Promise<fs.FileHandle | null> {
    try {
      return await fs.open(blobPath(this.dataDir, sha256), "r");
    } catch (e) {
      if (missing(e)) return null;
      throw e;
    }
  }

  async read(sha256: string, start: number, end: number): Promise<Uint8Array | null> {
    const fh = await this.#handle(sha256);
    if (!fh) return null;
    try {
      const size = (await fh.stat()).size;
      const span = clampRange(start, end, size);
      const buf = new Uint8Array(span.length);
      if (span.length > 0) await fh.read(buf, 0, span.length, span.start);
      return buf;
    } finally {
      await fh.close();
    }
  }

  async size(sha256: string): Promise<number | null> {
    try {
      return (await fs.stat(blobPath(this.dataDir, sha256))).size;
    } catch (e) {
      if (missing(e)) return null;
      throw e;
    }
  }

  async has(sha256: string): Promise<boolean> {
    return (await this.size(sha256)) !== null;
  }

  async delete(sha256: string): Promise<void> {
    await fs.rm(blobPath(this.dataDir, sha256), { force: true });
  }

  async open(sha256: string): Promise<OpenBlob | null> {
    // Opened before reading its size: an erasure unlinking it now cannot cut it short.
    const fh = await this.#handle(sha256);
    if (!fh) return null;
    const size = (await fh.stat()).size;
    return {
      size,
      chunks: () => fh.createReadStream({ autoClose: false, start: 0 }) as AsyncIterable<Buffer>,
      close: () => fh.close(),
    };
  }

  async *list(): AsyncIterable<string> {
    const root = path.join(this.dataDir, "files");
    let dirs: string[];
    try {
      dirs = (await fs.readdir(root)).filter((d) => /^[0-9a-f]{2}$/.test(d)).sort();
    } catch (e) {
      if (missing(e)) return;
      throw e;
    }
    for (const d of dirs) {
      const names = (await fs.readdir(path.join(root, d))).filter((n) => SHA.test(n) && n.startsWith(d)).sort();
      yield* names;
    }
  }
}

/** Bytes per chunk in the database store: a range request reads at most one chunk more than it sends. */
export const CHUNK_BYTES = 256 * 1024;

/** A byte range clamped to a blob of `size` bytes: `start` and `length` (0 when nothing of it is inside). */
export function clampRange(start: number, end: number, size: number): { start: number; length: number } {
  const from = Math.max(0, Math.min(start, size));
  const to = Math.min(end, size - 1);
  return { start: from, length: Math.max(0, to - from + 1) };
}

/**
 * The chunks that hold bytes `start`..`end` (inclusive) of a blob of `size` bytes cut every `chunkSize` bytes: the
 * first and last chunk numbers, and how many bytes of the first chunk come before the range. Null for an empty range.
 */
export function chunkSpan(
  start: number,
  end: number,
  size: number,
  chunkSize: number,
): { first: number; last: number; skip: number; length: number } | null {
  const r = clampRange(start, end, size);
  if (r.length === 0) return null;
  const first = Math.floor(r.start / chunkSize);
  const last = Math.floor((r.start + r.length - 1) / chunkSize);
  return { first, last, skip: r.start - first * chunkSize, length: r.length };
}

/** Join the chunks read (in order) and cut the range out of them. */
export function joinSpan(chunks: readonly Uint8Array[], skip: number, length: number): Uint8Array {
  const out = new Uint8Array(length);
  let at = 0;
  let toSkip = skip;
  for (const c of chunks) {
    if (at >= length) break;
    const from = Math.min(toSkip, c.length);
    toSkip -= from;
    const part = c.subarray(from, from + (length - at));
    out.set(part, at);
    at += part.length;
  }
  if (at !== length) throw new Error(`blob chunks short: ${at} of ${length} bytes`);
  return out;
}

/** The `file_blobs` and `file_chunks` tables (PostgreSQL). */
export class DatabaseFileStore implements FileStore {
  readonly kind = "database" as const;
  constructor(readonly db: Kysely<Database>) {}

  async put(bytes: Uint8Array): Promise<string> {
    const sha256 = sha256Of(bytes);
    // One transaction: the head row is the blob's lock (a second process putting the same bytes waits, then finds
    // it), and no reader ever sees a blob with part of its chunks.
    await this.db.transaction().execute(async (trx) => {
      const head = await trx
        .insertInto("file_blobs")
        .values({ sha256, size: bytes.length, chunk_size: CHUNK_BYTES, created_at: new Date().toISOString() })
        .onConflict((oc) => oc.column("sha256").doNothing())
        .returning("sha256")
        .executeTakeFirst();
      if (!head) return;
      for (let n = 0; n * CHUNK_BYTES < bytes.length || (n === 0 && bytes.length === 0); n++) {
        const part = bytes.subarray(n * CHUNK_BYTES, (n + 1) * CHUNK_BYTES);
        await trx
          .insertInto("file_chunks")
          .values({ sha256, n, bytes: Buffer.from(part.buffer, part.byteOffset, part.length) })
          .execute();
      }
    });
    return sha256;
  }

  async #head(sha256: string) {
    checkSha(sha256);
    return this.db
      .selectFrom("file_blobs")
      .select(["size", "chunk_size"])
      .where("sha256", "=", sha256)
      .executeTakeFirst();
  }

  async get(sha256: string): Promise<Uint8Array | null> {
    const size = await this.size(sha256);
    if (size === null) return null;
    return this.read(sha256, 0, size - 1);
  }

  async read(sha256: string, start: number, end: number): Promise<Uint8Array | null> {
    const head = await this.#head(sha256);
    if (!head) return null;
    const span = chunkSpan(start, end, Number(head.size), Number(head.chunk_size));
    if (!span) return new Uint8Array(0);
    const rows = await this.db
      .selectFrom("file_chunks")
      .select("bytes")
      .where("sha256", "=", sha256)
      .where("n", ">=", span.first)
      .where("n", "<=", span.last)
      .orderBy("n")
      .execute();
    // Erased between the two reads: as if it were not there.
    if (rows.length !== span.last - span.first + 1) return null;
    return joinSpan(
      rows.map((r) => r.bytes as Uint8Array),
      span.skip,
      span.length,
    );
  }

  async size(sha256: string): Promise<number | null> {
    const head = await this.#head(sha256);
    return head ? Number(head.size) : null;
  }

  async has(sha256: string): Promise<boolean> {
    return (await this.#head(sha256)) !== undefined;
  }

  async delete(sha256: string): Promise<void> {
    checkSha(sha256);
    await this.db.transaction().execute(async (trx) => {
      await trx.deleteFrom("file_chunks").where("sha256", "=", sha256).execute();
      await trx.deleteFrom("file_blobs").where("sha256", "=", sha256).execute();
    });
  }

  async open(sha256: string): Promise<OpenBlob | null> {
    // Read whole at once: a deletion between reading the size and the chunks cannot cut it short.
    const bytes = await this.get(sha256);
    if (!bytes) return null;
    return {
      size: bytes.length,
      async *chunks() {
        for (let at = 0; at < bytes.length; at += CHUNK_BYTES) yield bytes.subarray(at, at + CHUNK_BYTES);
      },
      close: async () => {},
    };
  }

  async *list(): AsyncIterable<string> {
    let after = "";
    for (;;) {
      const rows = await this.db
        .selectFrom("file_blobs")
        .select("sha256")
        .where("sha256", ">", after)
        .orderBy("sha256")
        .limit(1000)
        .execute();
      for (const r of rows) yield r.sha256;
      if (rows.length < 1000) return;
      after = rows[rows.length - 1]?.sha256 ?? after;
    }
  }
}

const stores = new WeakMap<object, Map<string, FileStore>>();

/**
 * The deployment's file store (FILE_STORE, default local): one object per database and setting. FILE_STORE=database
 * on SQLite throws `FileStoreError` (the server refuses to start with its message).
 */
export function fileStoreOf(deps: { db: Db; config: Pick<Config, "dataDir" | "fileStore"> }): FileStore {
  const kind = deps.config.fileStore ?? "local";
  if (kind === "database" && deps.db.dialect !== "postgres") throw new FileStoreError(DATABASE_STORE_NEEDS_POSTGRES);
  let byKey = stores.get(deps.db);
  if (!byKey) {
    byKey = new Map();
    stores.set(deps.db, byKey);
  }
  const key = kind === "database" ? "database" : `local:${deps.config.dataDir}`;
  let store = byKey.get(key);
  if (!store) {
    store = kind === "database" ? new DatabaseFileStore(deps.db.kysely) : new LocalFileStore(deps.config.dataDir);
    byKey.set(key, store);
  }
  return store;
}
