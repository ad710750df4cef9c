/**
 * The data folder's own bookkeeping, beside the database and the file store:
 *
 * - a marker (`cchc-portal.json`) written once the folder holds a portal: a folder that has it never gets the demo
 *   loaded again, and a start with the marker but without the database stops and tells the operator to restore;
 * - one entry per process that must have the folder to itself or must not run under a restore (`run/`): the
 *   server and `restore`. An entry names its host, pid and the process's start time, so one left by a killed process
 *   is recognised as stale (the pid is gone, or reused by another process) instead of blocking for ever.
 */
import { randomBytes, randomUUID } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import type { Db } from "./db/connection.ts";

export const MARKER_FILE = "cchc-portal.json";
const RUN_DIR = "run";
/** The settings key of the portal's identity, which the marker repeats. */
export const PORTAL_ID_KEY = "portal_id";

/** A refusal about the data folder, with the message an operator reads. */
export class DataFolderError extends Error {}

export interface PortalMarker {
  portalId: string;
  createdAt: string;
}

/** The marker, or null when this folder has never held a portal. */
export function readMarker(dataDir: string): PortalMarker | null {
  let text: string;
  try {
    text = fs.readFileSync(path.join(dataDir, MARKER_FILE), "utf8");
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "ENOENT") return null;
    throw e;
  }
  try {
    const v = JSON.parse(text) as Partial<PortalMarker>;
    if (typeof v.portalId === "string" && v.portalId) return { portalId: v.portalId, createdAt: String(v.createdAt) };
  } catch {
    // unreadable: still a marker (the folder held a portal), just without an identity to compare
  }
  return { portalId: "", createdAt: "" };
}

/** Write a small file atomically and durably: temp file, fsync, rename, fsync of the folder. */
export function writeFileDurably(file: string, text: string): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const tmp = `${file}.${randomBytes(6).toString("hex")}.tmp`;
  const fd = fs.openSync(tmp, "wx", 0o640);
  try {
    fs.writeSync(fd, text);
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
  fs.renameSync(tmp, file);
  syncFolder(path.dirname(file));
}

/** fsync a folder so a rename in it survives a power cut (a no-op where the platform refuses). */
export function syncFolder(dir: string): void {
  let fd: number | null = null;
  try {
    fd = fs.openSync(dir, "r");
    fs.fsyncSync(fd);
  } catch {
    // not supported on this platform
  } finally {
    if (fd !== null) fs.closeSync(fd);
  }
}

export function writeMarker(dataDir: string, portalId: string, now = new Date()): void {
  writeFileDurably(
    path.join(dataDir, MARKER_FILE),
    `${JSON.stringify({ portalId, createdAt: now.toISOString() } satisfies PortalMarker, null, 2)}\n`,
  );
}

const RESTORE_HINT =
  "Hãy khôi phục bản sao lưu gần nhất (npm run -s cli -- restore TỆP_SAO_LƯU) rồi khởi động lại; " +
  "không khởi động trên một cơ sở dữ liệu trống, vì như vậy dữ liệu mẫu sẽ thay thế dữ liệu của phường.";

/**
 * Before the database is opened (opening SQLite creates a missing file): refuse when this folder once held a portal
 * and its SQLite database is gone.
 */
export function refuseLostSqliteDatabase(config: { dataDir: string; databaseUrl: string | null; sqliteFile: string }) {
  if (config.databaseUrl) return;
  const marker = readMarker(config.dataDir);
  if (marker && !fs.existsSync(config.sqliteFile))
    throw new DataFolderError(
      `Thư mục dữ liệu ${config.dataDir} đã từng chứa cổng thông tin (có tệp ${MARKER_FILE}) nhưng không còn cơ sở dữ liệu ${config.sqliteFile}. ${RESTORE_HINT}`,
    );
}

/** The portal identity stored in the database; undefined when the database holds no portal at all (no tables). */
export async function databasePortalId(db: Db): Promise<string | null | undefined> {
  try {
    const row = await db.kysely
      .selectFrom("settings")
      .select("value")
      .where("key", "=", PORTAL_ID_KEY)
      .executeTakeFirst();
    return row?.value ?? null;
  } catch {
    return undefined;
  }
}

/**
 * After opening, before migrations: with a marker, the database must be the portal's own (PostgreSQL: a dropped or
 * emptied database is refused here, as a deleted SQLite file is before opening).
 */
export async function refuseForeignDatabase(db: Db, config: { dataDir: string }): Promise<void> {
  const marker = readMarker(config.dataDir);
  if (!marker) return;
  const id = await databasePortalId(db);
  if (id === undefined || id === null)
    throw new DataFolderError(
      `Thư mục dữ liệu ${config.dataDir} đã từng chứa cổng thông tin (có tệp ${MARKER_FILE}) nhưng cơ sở dữ liệu ${db.dialect === "sqlite" ? "" : "PostgreSQL "}không còn dữ liệu của cổng. ${RESTORE_HINT}`,
    );
  if (marker.portalId && id !== marker.portalId)
    throw new DataFolderError(
      `Cơ sở dữ liệu thuộc một cổng thông tin khác (mã ${id}) với thư mục dữ liệu ${config.dataDir} (mã ${marker.portalId}): các tệp đính kèm sẽ không khớp. Kiểm tra DATABASE_URL và DATA_DIR; nếu đúng là muốn dùng thư mục này cho cơ sở dữ liệu ấy, xoá tệp ${path.join(config.dataDir, MARKER_FILE)}.`,
    );
}

/** After the first start: give the database a portal identity if it has none, and write the marker naming it. */
export async function markPortal(db: Db, config: { dataDir: string }, now = new Date()): Promise<string> {
  let id = await databasePortalId(db);
  if (!id) {
    // Several processes starting together on one PostgreSQL database: the first identity written is the portal's.
    await db.kysely
      .insertInto("settings")
      .values({ key: PORTAL_ID_KEY, value: randomUUID() })
      .onConflict((oc) => oc.column("key").doNothing())
      .execute();
    id = await databasePortalId(db);
    if (!id) throw new DataFolderError("Không ghi được mã cổng thông tin vào cơ sở dữ liệu.");
  }
  const marker = readMarker(config.dataDir);
  if (marker?.portalId !== id) writeMarker(config.dataDir, id, now);
  return id;
}

// ── Processes using the folder ─────────────────────────────────────────────────────────────────────────────────

export type ProcessKind = "server" | "restore";

export interface FolderProcess {
  kind: ProcessKind;
  pid: number;
  host: string;
  /** The process's start time in clock ticks since boot (Linux /proc), to tell a reused pid from the original. */
  startTicks: string | null;
  startedAt: string;
  /** The entry's file. */
  file: string;
}

/** Start time of a process from /proc/PID/stat (field 22), or null where there is no /proc. */
export function processStartTicks(pid: number): string | null {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
    // The command name (field 2) may hold spaces and parentheses: count fields after its closing parenthesis.
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return fields[19] ?? null;
  } catch {
    return null;
  }
}

/** "alive", "dead", or "unknown" (another host: its processes cannot be seen from here). */
export function processState(p: Pick<FolderProcess, "pid" | "host" | "startTicks">): "alive" | "dead" | "unknown" {
  if (p.host !== os.hostname()) return "unknown";
  try {
    process.kill(p.pid, 0);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "ESRCH") return "dead";
    // EPERM: a process of another user has that pid; the start time below decides
  }
  const now = processStartTicks(p.pid);
  if (p.startTicks && now !== null && now !== p.startTicks) return "dead";
  return "alive";
}

const runDir = (dataDir: string) => path.join(dataDir, RUN_DIR);

/** Record this process as using the folder; `release` removes the entry (also done at exit). */
export function registerProcess(
  dataDir: string,
  kind: ProcessKind,
  now = new Date(),
): { entry: FolderProcess; release(): void } {
  const host = os.hostname();
  const file = path.join(runDir(dataDir), `${kind}-${host.replace(/[^A-Za-z0-9.-]/g, "_")}-${process.pid}.json`);
  const entry: FolderProcess = {
    kind,
    pid: process.pid,
    host,
    startTicks: processStartTicks(process.pid),
    startedAt: now.toISOString(),
    file,
  };
  const { file: _file, ...stored } = entry;
  writeFileDurably(file, `${JSON.stringify(stored)}\n`);
  let released = false;
  const release = () => {
    if (released) return;
    released = true;
    fs.rmSync(file, { force: true });
    process.off("exit", release);
  };
  process.on("exit", release);
  return { entry, release };
}

/**
 * The other processes using the folder. Entries of dead processes of this host are removed on the way: a killed
 * server's entry never blocks a restore. Entries from another host are returned as `unknown`.
 */
export function otherProcesses(
  dataDir: string,
  self?: FolderProcess,
): (FolderProcess & { state: "alive" | "unknown" })[] {
  let names: string[];
  try {
    names = fs.readdirSync(runDir(dataDir));
  } catch {
    return [];
  }
  const out: (FolderProcess & { state: "alive" | "unknown" })[] = [];
  for (const name of names) {
    if (!name.endsWith(".json")) continue;
    const file = path.join(runDir(dataDir), name);
    if (file === self?.file) continue;
    let p: FolderProcess;
    try {
      p = { ...(JSON.parse(fs.readFileSync(file, "utf8")) as Omit<FolderProcess, "file">), file };
    } catch {
      continue; // half-written by a process starting now, or removed meanwhile
    }
    const state = processState(p);
    if (state === "dead") fs.rmSync(file, { force: true });
    else out.push({ ...p, state });
  }
  return out;
}

/** How an operator reads one entry: "máy chủ (pid 1234 trên máy abc, từ 2026-12-06T17:00:00Z)". */
export function describeProcess(p: FolderProcess & { state: "alive" | "unknown" }): string {
  const what = p.kind === "server" ? "máy chủ" : "lệnh khôi phục";
  const where = `pid ${p.pid} trên máy ${p.host}, từ ${p.startedAt}`;
  return p.state === "unknown"
    ? `${what} (${where}; không kiểm tra được từ máy này — nếu nó đã dừng, xoá tệp ${p.file})`
    : `${what} (${where})`;
}

/** For the server at start: register, and refuse while a restore is writing the folder. */
export function claimForServer(dataDir: string): { release(): void } {
  const me = registerProcess(dataDir, "server");
  const restoring = otherProcesses(dataDir, me.entry).filter((p) => p.kind === "restore");
  if (restoring.length > 0) {
    me.release();
    throw new DataFolderError(
      `Đang khôi phục dữ liệu vào ${dataDir}: ${restoring.map(describeProcess).join("; ")}. Chờ lệnh khôi phục xong rồi khởi động lại.`,
    );
  }
  return me;
}

/** For restore: register, and refuse while any server (or another restore) uses the folder. */
export function claimForRestore(dataDir: string): { release(): void } {
  const me = registerProcess(dataDir, "restore");
  const others = otherProcesses(dataDir, me.entry);
  if (others.length > 0) {
    me.release();
    throw new DataFolderError(
      `Không khôi phục: thư mục dữ liệu ${dataDir} đang được dùng bởi ${others.map(describeProcess).join("; ")}. Dừng máy chủ trước rồi chạy lại lệnh.`,
    );
  }
  return me;
}
