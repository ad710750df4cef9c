/**
 * The real server (src/main.ts, started as in production) in a child process, on a fresh database of its own: a
 * temporary SQLite file, or a temporary schema in a PostgreSQL database. The first start loads the demo ward as
 * `npm start` does. Used by the submissions benchmark and the crash test, which must be able to kill -9 it.
 */
import { type ChildProcess, spawn } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import pg from "pg";
import { type Db, openPostgres, openSqlite } from "../src/core/db/connection.ts";

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
export const SHARED_DIR = path.resolve(ROOT, process.env.CCHC_SHARED_DIR ?? "../shared");

/** The PostgreSQL database to run on as well, when one is named (BENCH_DATABASE_URL, else DATABASE_URL). */
export function postgresUrl(env: NodeJS.ProcessEnv = process.env): string | null {
  const url = env.BENCH_DATABASE_URL || env.DATABASE_URL || "";
  return /^postgres(ql)?:\/\//.test(url) ? url : null;
}

export interface Target {
  database: "sqlite" | "postgres";
  /** What the server needs to reach this database. */
  env: Record<string, string>;
  /** A connection of our own, for checking what the server stored. */
  open(): Db;
  cleanup(): Promise<void>;
  /** PostgreSQL: the schema that holds the deployment. */
  schema?: string;
}

/** A fresh, empty database: SQLite in a temporary folder, or a new schema in the given PostgreSQL database. */
export async function freshTarget(database: "sqlite" | "postgres", url?: string | null): Promise<Target> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "cchc-server-"));
  if (database === "sqlite") {
    return {
      database,
      env: { DATA_DIR: dataDir },
      open: () => openSqlite(path.join(dataDir, "cchc.sqlite")),
      cleanup: async () => fs.rmSync(dataDir, { recursive: true, force: true }),
    };
  }
  if (!url) throw new Error("PostgreSQL needs a URL (BENCH_DATABASE_URL or DATABASE_URL)");
  // Schema names are ours, never user input: safe to splice into DDL.
  const schema = `bench_${process.pid}_${Math.random().toString(36).slice(2, 8)}`;
  await adminQuery(url, `create schema ${schema}`);
  const sep = url.includes("?") ? "&" : "?";
  return {
    database,
    schema,
    env: { DATA_DIR: dataDir, DATABASE_URL: `${url}${sep}options=${encodeURIComponent(`-c search_path=${schema}`)}` },
    open: () => openPostgres(url, { searchPath: schema, max: 2 }),
    cleanup: async () => {
      // pg-boss's schema beside ours (src/core/jobs/pg-queue.ts), when the server started its job queue.
      await adminQuery(url, `drop schema if exists ${schema} cascade; drop schema if exists ${schema}_pgboss cascade`);
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/**
 * A PostgreSQL schema that already holds a deployment (one a `--keep` run left): used as it is, and never dropped.
 * Schema names must be plain identifiers: they are spliced into the connection's search_path.
 */
export function existingTarget(url: string, schema: string): Target {
  if (!/^[a-z_][a-z0-9_]*$/.test(schema)) throw new Error(`not a schema name: ${schema}`);
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "cchc-server-"));
  const sep = url.includes("?") ? "&" : "?";
  return {
    database: "postgres",
    schema,
    env: { DATA_DIR: dataDir, DATABASE_URL: `${url}${sep}options=${encodeURIComponent(`-c search_path=${schema}`)}` },
    open: () => openPostgres(url, { searchPath: schema, max: 2 }),
    cleanup: async () => fs.rmSync(dataDir, { recursive: true, force: true }),
  };
}

async function adminQuery(url: string, text: string) {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(text);
  } finally {
    await client.end();
  }
}

/** A free TCP port on loopback (asked of the kernel, then released for the server to take). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once("error", reject);
    s.listen(0, "127.0.0.1", () => {
      const a = s.address();
      const port = typeof a === "object" && a ? a.port : 0;
      s.close(() => resolve(port));
    });
  });
}

export interface RunningServer {
  url: string;
  pid: number;
  /** Everything the server wrote (stdout and stderr), for a failure message. Holds first-start passwords: never print it whole. */
  output(): string;
  /** SIGTERM, as a service manager stops it; resolves with the exit code. */
  stop(): Promise<number | null>;
  /** SIGKILL at once, as a power cut or the OOM killer would; resolves when the process is gone. */
  kill9(): Promise<void>;
  /** The exit, whenever it comes. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** Start `node --import tsx src/main.ts` on a target with extra settings; resolves once it listens. */
export async function startServer(target: Target, settings: Record<string, string> = {}): Promise<RunningServer> {
  const port = await freePort();
  // A clean environment: only what the server needs, so nothing of the caller's own setup (DATABASE_URL…) leaks in.
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? "/usr/bin:/bin",
    HOME: process.env.HOME ?? os.tmpdir(),
    CCHC_SHARED_DIR: SHARED_DIR,
    HOST: "127.0.0.1",
    PORT: String(port),
    LOG_LEVEL: "warn",
    ...target.env,
    ...settings,
  };
  const child: ChildProcess = spawn(process.execPath, ["--import", "tsx", "src/main.ts"], {
    cwd: ROOT,
    env,
    stdio: ["ignore", "pipe", "pipe"],
  });
  let out = "";
  child.stdout?.on("data", (d) => {
    out += d;
  });
  child.stderr?.on("data", (d) => {
    out += d;
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once("exit", (code, signal) => resolve({ code, signal })),
  );
  const ready = new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the server did not start within 180 s:\n${tail(out)}`)), 180_000);
    const onData = () => {
      if (/đang chạy tại http:\/\/localhost:\d+/.test(out)) {
        clearTimeout(timer);
        child.stdout?.off("data", onData);
        resolve();
      }
    };
    child.stdout?.on("data", onData);
    void exited.then(({ code, signal }) => {
      clearTimeout(timer);
      reject(new Error(`the server exited before listening (${code ?? signal}):\n${tail(out)}`));
    });
  });
  await ready;
  const pid = child.pid as number;
  return {
    url: `http://127.0.0.1:${port}`,
    pid,
    output: () => out,
    exited,
    async stop() {
      child.kill("SIGTERM");
      return (await exited).code;
    },
    async kill9() {
      process.kill(pid, "SIGKILL");
      await exited;
    },
  };
}

/** The last lines of the server's output, passwords of the first start masked. */
function tail(out: string): string {
  return out
    .replace(/( \/ )\S+/g, "$1***")
    .split("\n")
    .slice(-20)
    .join("\n");
}
