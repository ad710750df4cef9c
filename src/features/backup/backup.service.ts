/**
 * `backup`: one archive (tar, gzip) with the database and every stored file it names, and a manifest of their
 * sizes and SHA-256. SQLite: a snapshot through SQLite's backup API (consistent while the server writes); PostgreSQL:
 * pg_dump in an exported snapshot. The files listed are those the snapshot names (`stored_files`, and the radio
 * bulletins' audio: `namedBlobsSql`), read from the deployment's file store (FILE_STORE: the data folder, or the
 * database's tables, whose data the dump leaves out) after it: blobs are written before their rows and removed after theirs,
 * so every one the snapshot needs is still there
 * (unless erased in the seconds between, which the report names). The archive is written under a temporary name
 * and renamed when complete, so a failed backup never leaves a half archive under the chosen name.
 */
import { createHash, randomBytes } from "node:crypto";
import fs from "node:fs";
import fsp from "node:fs/promises";
import path from "node:path";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import zlib from "node:zlib";
import SQLite from "better-sqlite3";
import type { Config } from "../../core/config.ts";
import { PORTAL_ID_KEY, syncFolder } from "../../core/data-folder.ts";
import { openPostgres } from "../../core/db/connection.ts";
import {
  DATABASE_STORE_NEEDS_POSTGRES,
  DatabaseFileStore,
  type FileStore,
  LocalFileStore,
} from "../../core/file-store.ts";
import { type BackupManifest, blobEntryName, DATABASE_ENTRY, MANIFEST_NAME, namedBlobsSql } from "./backup.manifest.ts";
import { dumpPostgres } from "./backup.postgres.ts";
import { type TarEntry, writeTar } from "./tar.ts";

/** A refusal or failure the operator reads. */
export class BackupError extends Error {}

export interface BackupReport {
  file: string;
  dialect: "sqlite" | "postgres";
  databaseBytes: number;
  files: number;
  fileBytes: number;
  archiveBytes: number;
  missingFiles: BackupManifest["missingFiles"];
}

type BackupConfig = Pick<Config, "dataDir" | "databaseUrl" | "sqliteFile" | "fileStore">;

interface Snapshot {
  blobs: string[];
  portalId: string | null;
  postgresSchema: string | null;
}

/** SQLite's backup API into `file`, then the stored files and the portal id read from that copy. */
async function snapshotSqlite(sqliteFile: string, file: string): Promise<Snapshot> {
  if (!fs.existsSync(sqliteFile)) throw new BackupError(`Chưa có cơ sở dữ liệu tại ${sqliteFile}.`);
  const live = new SQLite(sqliteFile, { readonly: true, fileMustExist: true });
  try {
    live.pragma("busy_timeout = 5000");
    await live.backup(file);
  } finally {
    live.close();
  }
  // The copy keeps the live database's WAL mode; a single file (no -wal beside it) is what the archive needs.
  const copy = new SQLite(file, { fileMustExist: true });
  try {
    copy.pragma("journal_mode = DELETE");
    const withRadio = copy
      .prepare("select count(*) from sqlite_master where type = 'table' and name = 'radio_bulletins'")
      .pluck()
      .get() as number;
    const blobs = copy
      .prepare(namedBlobsSql(withRadio > 0))
      .pluck()
      .all() as string[];
    const portalId = (copy.prepare("select value from settings where key = ?").pluck().get(PORTAL_ID_KEY) ?? null) as
      | string
      | null;
    return { blobs, portalId, postgresSchema: null };
  } finally {
    copy.close();
  }
}

/** An entry read from an open file or blob, its SHA-256 handed to `done` once the whole body has been read. */
function hashedEntry(
  name: string,
  source: AsyncIterable<Uint8Array>,
  size: number,
  done: (sha256: string) => void,
): TarEntry {
  return {
    name,
    size,
    async *body() {
      const hash = createHash("sha256");
      for await (const chunk of source) {
        hash.update(chunk);
        yield chunk;
      }
      done(hash.digest("hex"));
    },
  };
}

/** Write the backup archive of the configured data folder and database to `target`. */
export async function createBackup(config: BackupConfig, target: string, now = new Date()): Promise<BackupReport> {
  const dialect = config.databaseUrl ? "postgres" : "sqlite";
  fs.mkdirSync(path.dirname(target), { recursive: true });
  const tag = randomBytes(6).toString("hex");
  const dbTemp = `${target}.${tag}.db.tmp`;
  const archiveTemp = `${target}.${tag}.tmp`;
  const handles: { close(): Promise<void> }[] = [];
  // The stored files come from the deployment's store (FILE_STORE): the data folder, or the database's tables.
  const storeDb =
    config.fileStore === "database" && config.databaseUrl ? openPostgres(config.databaseUrl, { max: 1 }) : null;
  if (config.fileStore === "database" && !storeDb) throw new BackupError(DATABASE_STORE_NEEDS_POSTGRES);
  const files: FileStore = storeDb ? new DatabaseFileStore(storeDb.kysely) : new LocalFileStore(config.dataDir);
  try {
    const snap = config.databaseUrl
      ? await dumpPostgres(config.databaseUrl, dbTemp).then((s) => ({ ...s, postgresSchema: s.schema }))
      : await snapshotSqlite(config.sqliteFile, dbTemp);

    const manifest: BackupManifest = {
      format: "cchc-backup",
      version: 1,
      createdAt: now.toISOString(),
      dialect,
      postgresSchema: snap.postgresSchema,
      portalId: snap.portalId,
      entries: [],
      missingFiles: [],
    };
    const dbHandle = await fsp.open(dbTemp, "r");
    handles.push(dbHandle);
    const databaseBytes = (await dbHandle.stat()).size;
    let fileBytes = 0;

    async function* entries(): AsyncGenerator<TarEntry> {
      const dbName = DATABASE_ENTRY[dialect];
      yield hashedEntry(dbName, dbHandle.createReadStream({ autoClose: false, start: 0 }), databaseBytes, (sha256) =>
        manifest.entries.push({ name: dbName, size: databaseBytes, sha256 }),
      );
      for (const sha of snap.blobs) {
        const blob = await files.open(sha);
        if (!blob) {
          manifest.missingFiles.push({ sha256: sha, reason: "missing" });
          continue;
        }
        handles.push(blob);
        const size = blob.size;
        const name = blobEntryName(sha);
        yield hashedEntry(name, blob.chunks(), size, (actual) => {
          // Kept in the archive as read (its checksum in the manifest is the bytes'), but a restore installs a
          // blob only under its own hash: one damaged in the store is reported, never passed off as sound.
          manifest.entries.push({ name, size, sha256: actual });
          if (actual !== sha) manifest.missingFiles.push({ sha256: sha, reason: "damaged" });
          fileBytes += size;
        });
        await blob.close();
        handles.pop();
      }
      const text = Buffer.from(`${JSON.stringify(manifest, null, 1)}\n`);
      yield {
        name: MANIFEST_NAME,
        size: text.length,
        async *body() {
          yield text;
        },
      };
    }

    await pipeline(
      Readable.from(writeTar(entries())),
      zlib.createGzip({ level: 6 }),
      fs.createWriteStream(archiveTemp, { flags: "wx", mode: 0o600 }),
    );
    const out = await fsp.open(archiveTemp, "r");
    try {
      await out.sync();
    } finally {
      await out.close();
    }
    fs.renameSync(archiveTemp, target);
    syncFolder(path.dirname(target));
    return {
      file: target,
      dialect,
      databaseBytes,
      files: manifest.entries.length - 1 - manifest.missingFiles.filter((m) => m.reason === "damaged").length,
      fileBytes,
      archiveBytes: fs.statSync(target).size,
      missingFiles: manifest.missingFiles,
    };
  } finally {
    for (const h of handles) await h.close().catch(() => {});
    await storeDb?.close();
    for (const f of [dbTemp, `${dbTemp}-wal`, `${dbTemp}-shm`, `${dbTemp}-journal`]) fs.rmSync(f, { force: true });
    fs.rmSync(archiveTemp, { force: true });
  }
}
