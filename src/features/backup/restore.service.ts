/**
 * `restore`: verify a backup archive completely, then put it in place — never under a running server, never half.
 *
 * 1. Claim the data folder (refused while a server or another restore uses it; a killed server's entry is stale).
 * 2. Unpack into a staging folder inside the data folder, hashing every entry; refuse a truncated or damaged
 *    archive, an entry the manifest does not list or whose size or SHA-256 differs, a SQLite copy that fails
 *    `integrity_check`, a backup of the other database kind, a PostgreSQL target that already holds the tables.
 * 3. Only then: the stored files are moved in (content-addressed, so extra ones are harmless), then the database —
 *    SQLite by one rename (the database it replaces is kept aside in `before-restore-…/`), PostgreSQL by pg_restore
 *    in one transaction (on failure the files just added are removed again) — and last the portal marker. With
 *    FILE_STORE=database the files go into the restored database's store after pg_restore (its tables come with the
 *    dump); if that fails, what pg_restore created is dropped again.
 */
import { createHash, randomBytes, randomUUID } from "node:crypto";
import fs from "node:fs";
import fsp from "node:fs/promises";
import path from "node:path";
import zlib from "node:zlib";
import SQLite from "better-sqlite3";
import type { Config } from "../../core/config.ts";
import { claimForRestore, markPortal, PORTAL_ID_KEY, syncFolder, writeMarker } from "../../core/data-folder.ts";
import { openPostgres } from "../../core/db/connection.ts";
import { blobPath, DATABASE_STORE_NEEDS_POSTGRES, DatabaseFileStore } from "../../core/file-store.ts";
import { type BackupManifest, blobOfEntry, DATABASE_ENTRY, MANIFEST_NAME, manifestSchema } from "./backup.manifest.ts";
import { postgresTarget, restorePostgres, undoPostgresRestore } from "./backup.postgres.ts";
import { BackupError } from "./backup.service.ts";
import { ArchiveError, readTar } from "./tar.ts";

export interface RestoreReport {
  dialect: "sqlite" | "postgres";
  files: number;
  /** Where the SQLite database that was replaced now lies, if there was one. */
  replacedKeptIn: string | null;
  missingFiles: BackupManifest["missingFiles"];
  createdAt: string;
}

type RestoreConfig = Pick<Config, "dataDir" | "databaseUrl" | "sqliteFile" | "fileStore">;

const MANIFEST_MAX_BYTES = 512 * 1024 * 1024;

interface Staged {
  size: number;
  sha256: string;
  file: string | null;
}

/** Unpack the archive into `staging`, hashing each entry; returns what was seen and the manifest's text. */
async function unpack(archive: string, staging: string): Promise<{ seen: Map<string, Staged>; manifest: Buffer }> {
  const head = Buffer.alloc(2);
  const fd = fs.openSync(archive, "r");
  try {
    fs.readSync(fd, head, 0, 2, 0);
  } finally {
    fs.closeSync(fd);
  }
  if (head[0] !== 0x1f || head[1] !== 0x8b)
    throw new ArchiveError(`${archive} không phải bản sao lưu của CCHC (tệp .tar.gz do lệnh backup tạo ra).`);

  const input = fs.createReadStream(archive);
  const gunzip = zlib.createGunzip();
  input.on("error", (e) => gunzip.destroy(e));
  input.pipe(gunzip);
  const seen = new Map<string, Staged>();
  let manifest: Buffer | null = null;
  try {
    for await (const entry of readTar(gunzip)) {
      if (seen.has(entry.name)) throw new ArchiveError(`Tệp sao lưu có mục trùng: ${entry.name}.`);
      const hash = createHash("sha256");
      if (entry.name === MANIFEST_NAME) {
        if (entry.size > MANIFEST_MAX_BYTES) throw new ArchiveError("Bảng kê của bản sao lưu quá lớn.");
        const parts: Buffer[] = [];
        for await (const chunk of entry.body) parts.push(Buffer.from(chunk));
        manifest = Buffer.concat(parts);
        seen.set(entry.name, { size: entry.size, sha256: "", file: null });
        continue;
      }
      const known = entry.name === DATABASE_ENTRY.sqlite || entry.name === DATABASE_ENTRY.postgres;
      if (!known && !blobOfEntry(entry.name))
        throw new ArchiveError(`Tệp sao lưu có mục lạ: ${JSON.stringify(entry.name)}.`);
      const file = path.join(staging, entry.name);
      await fsp.mkdir(path.dirname(file), { recursive: true });
      const out = await fsp.open(file, "wx", 0o640);
      try {
        for await (const chunk of entry.body) {
          hash.update(chunk);
          await out.write(chunk);
        }
        await out.sync();
      } finally {
        await out.close();
      }
      seen.set(entry.name, { size: entry.size, sha256: hash.digest("hex"), file });
    }
    // Drain to the end so gzip checks its own length and CRC as well.
    for await (const _ of gunzip);
  } catch (e) {
    if (e instanceof ArchiveError) throw e;
    const code = (e as NodeJS.ErrnoException).code ?? "";
    if (code.startsWith("Z_") || /unexpected end of file|incorrect header check|invalid/i.test(String(e)))
      throw new ArchiveError(`Tệp sao lưu bị hỏng hoặc bị cắt cụt (giải nén thất bại: ${(e as Error).message}).`);
    throw e;
  } finally {
    input.destroy();
  }
  if (!manifest) throw new ArchiveError("Tệp sao lưu không có bảng kê (cchc-backup.json): có thể đã bị cắt cụt.");
  return { seen, manifest };
}

/** The manifest parsed and every entry checked against it, both ways. */
function verify(seen: Map<string, Staged>, text: Buffer): BackupManifest {
  let parsed: BackupManifest;
  try {
    parsed = manifestSchema.parse(JSON.parse(text.toString("utf8")));
  } catch {
    throw new ArchiveError("Bảng kê của bản sao lưu không đọc được: tệp bị hỏng hoặc không phải của CCHC.");
  }
  const listed = new Set<string>();
  for (const e of parsed.entries) {
    listed.add(e.name);
    const got = seen.get(e.name);
    if (!got) throw new ArchiveError(`Tệp sao lưu thiếu ${e.name}: có thể đã bị cắt cụt.`);
    if (got.size !== e.size || got.sha256 !== e.sha256)
      throw new ArchiveError(`Tệp sao lưu bị hỏng: ${e.name} không khớp kích thước hoặc tổng kiểm SHA-256 đã ghi.`);
  }
  for (const name of seen.keys())
    if (name !== MANIFEST_NAME && !listed.has(name))
      throw new ArchiveError(`Tệp sao lưu có mục không ghi trong bảng kê: ${name}.`);
  if (!listed.has(DATABASE_ENTRY[parsed.dialect])) throw new ArchiveError("Tệp sao lưu không có cơ sở dữ liệu.");
  return parsed;
}

/** SQLite copy: sound, a portal's, and carrying a portal id (given one if the source had none). */
function checkSqliteCopy(file: string): string {
  const db = new SQLite(file, { fileMustExist: true });
  try {
    const check = db.pragma("integrity_check", { simple: true });
    if (check !== "ok") throw new ArchiveError(`Cơ sở dữ liệu trong bản sao lưu bị hỏng: ${String(check)}.`);
    const hasSettings = db.prepare("select 1 from sqlite_master where type = 'table' and name = 'settings'").get();
    if (!hasSettings) throw new ArchiveError("Cơ sở dữ liệu trong bản sao lưu không phải của CCHC.");
    let id = db.prepare("select value from settings where key = ?").pluck().get(PORTAL_ID_KEY) as string | undefined;
    if (!id) {
      id = randomUUID();
      db.prepare("insert into settings (key, value) values (?, ?)").run(PORTAL_ID_KEY, id);
    }
    db.pragma("journal_mode = DELETE");
    return id;
  } finally {
    db.close();
  }
}

/** The sound stored files of the archive: their SHA-256 and staged copy. */
function soundBlobs(seen: Map<string, Staged>, manifest: BackupManifest): { sha: string; file: string }[] {
  const damaged = new Set(manifest.missingFiles.filter((m) => m.reason === "damaged").map((m) => m.sha256));
  const out: { sha: string; file: string }[] = [];
  for (const [name, staged] of seen) {
    const sha = blobOfEntry(name);
    if (!sha || !staged.file || damaged.has(sha) || staged.sha256 !== sha) continue;
    out.push({ sha, file: staged.file });
  }
  return out;
}

/** Put the sound stored files into the database file store (after pg_restore made its tables). */
async function putBlobsInDatabase(url: string, blobs: { sha: string; file: string }[]): Promise<void> {
  const db = openPostgres(url, { max: 1 });
  try {
    const store = new DatabaseFileStore(db.kysely);
    for (const b of blobs) {
      const sha = await store.put(new Uint8Array(await fsp.readFile(b.file)));
      if (sha !== b.sha) throw new BackupError(`Tệp ${b.sha} đổi nội dung khi khôi phục.`);
    }
  } finally {
    await db.close();
  }
}

/** Move the sound stored files in; returns those that were not there before (to take back if the database fails). */
function placeBlobs(seen: Map<string, Staged>, manifest: BackupManifest, dataDir: string): string[] {
  const added: string[] = [];
  for (const { sha, file } of soundBlobs(seen, manifest)) {
    // The local store's own layout, written by rename from the staging folder (same file system): no copy.
    const target = blobPath(dataDir, sha);
    if (fs.existsSync(target)) continue; // same name, same content
    fs.mkdirSync(path.dirname(target), { recursive: true });
    fs.renameSync(file, target);
    added.push(target);
  }
  for (const dir of new Set(added.map((f) => path.dirname(f)))) syncFolder(dir);
  return added;
}

/** Put the SQLite copy in place by one rename; the database it replaces (and its WAL) goes aside, kept. */
function placeSqlite(staged: string, sqliteFile: string, dataDir: string, now: Date): string | null {
  const old = [sqliteFile, `${sqliteFile}-wal`, `${sqliteFile}-shm`].filter((f) => fs.existsSync(f));
  let keptIn: string | null = null;
  if (old.length > 0) {
    keptIn = path.join(dataDir, `before-restore-${now.toISOString().replace(/[:.]/g, "-")}`);
    fs.mkdirSync(keptIn, { recursive: true });
    // The WAL and shared memory go with their database: left beside the restored one they would be applied to it.
    for (const f of old) fs.renameSync(f, path.join(keptIn, path.basename(f)));
  }
  fs.mkdirSync(path.dirname(sqliteFile), { recursive: true });
  fs.renameSync(staged, sqliteFile);
  syncFolder(path.dirname(sqliteFile));
  return keptIn;
}

/** Verify `archive` and restore it into the configured data folder and database. */
export async function restoreBackup(config: RestoreConfig, archive: string, now = new Date()): Promise<RestoreReport> {
  if (!fs.existsSync(archive)) throw new BackupError(`Không tìm thấy tệp ${archive}.`);
  fs.mkdirSync(config.dataDir, { recursive: true });
  const claim = claimForRestore(config.dataDir);
  const staging = path.join(config.dataDir, `.restore-${randomBytes(6).toString("hex")}`);
  try {
    fs.mkdirSync(staging);
    const { seen, manifest: text } = await unpack(archive, staging);
    const manifest = verify(seen, text);
    const dialect = config.databaseUrl ? "postgres" : "sqlite";
    if (config.fileStore === "database" && !config.databaseUrl) throw new BackupError(DATABASE_STORE_NEEDS_POSTGRES);
    if (manifest.dialect !== dialect)
      throw new BackupError(
        manifest.dialect === "sqlite"
          ? "Bản sao lưu này là của SQLite, nhưng DATABASE_URL đang chỉ tới PostgreSQL: bỏ DATABASE_URL để khôi phục vào SQLite."
          : "Bản sao lưu này là của PostgreSQL: đặt DATABASE_URL tới một cơ sở dữ liệu PostgreSQL trống để khôi phục.",
      );
    const dbStaged = seen.get(DATABASE_ENTRY[dialect])?.file as string;
    let replacedKeptIn: string | null = null;
    if (!config.databaseUrl) {
      const portalId = checkSqliteCopy(dbStaged);
      placeBlobs(seen, manifest, config.dataDir);
      replacedKeptIn = placeSqlite(dbStaged, config.sqliteFile, config.dataDir, now);
      writeMarker(config.dataDir, portalId, now);
    } else {
      const schema = manifest.postgresSchema ?? "public";
      const target = await postgresTarget(config.databaseUrl, schema);
      if (target.tables > 0)
        throw new BackupError(
          `Cơ sở dữ liệu PostgreSQL đích đã có bảng trong lược đồ “${schema}”: khôi phục chỉ ghi vào một cơ sở dữ liệu trống. Tạo một cơ sở dữ liệu mới (createdb) hoặc xoá dữ liệu cũ sau khi đã chắc chắn, rồi chạy lại.`,
        );
      if (target.current !== null && target.current !== schema)
        throw new BackupError(
          `Bản sao lưu là của lược đồ “${schema}”, nhưng DATABASE_URL đang dùng lược đồ “${target.current}”: máy chủ sẽ không thấy dữ liệu được khôi phục.`,
        );
      if (config.fileStore === "database") {
        // The database store's tables come with the dump (empty): the files go in once they exist, and a failure
        // there takes the whole restore back.
        await restorePostgres(config.databaseUrl, dbStaged, target.schemaExists ? schema : null);
        try {
          await putBlobsInDatabase(config.databaseUrl, soundBlobs(seen, manifest));
        } catch (e) {
          await undoPostgresRestore(config.databaseUrl, schema, target.schemaExists);
          throw e;
        }
      } else {
        const added = placeBlobs(seen, manifest, config.dataDir);
        try {
          await restorePostgres(config.databaseUrl, dbStaged, target.schemaExists ? schema : null);
        } catch (e) {
          for (const f of added) fs.rmSync(f, { force: true });
          throw e;
        }
      }
      const db = openPostgres(config.databaseUrl, { max: 1 });
      try {
        await markPortal(db, config, now);
      } finally {
        await db.close();
      }
    }
    const files =
      [...seen.keys()].filter((n) => blobOfEntry(n)).length -
      manifest.missingFiles.filter((m) => m.reason === "damaged").length;
    return { dialect, files, replacedKeptIn, missingFiles: manifest.missingFiles, createdAt: manifest.createdAt };
  } finally {
    fs.rmSync(staging, { recursive: true, force: true });
    claim.release();
  }
}
