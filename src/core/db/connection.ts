/** One Kysely instance over SQLite (embedded default) or PostgreSQL (scale-out), chosen by configuration. */
import fs from "node:fs";
import path from "node:path";
import SQLite from "better-sqlite3";
import {
  CompiledQuery,
  type DatabaseConnection,
  Kysely,
  type LogEvent,
  PostgresDialect,
  type PostgresDialectConfig,
  PostgresDriver,
  SqliteDialect,
  SqliteDriver,
} from "kysely";
import pg from "pg";
import { QUIET_TABLES, watcherOf } from "./changes.ts";
import { namingPool } from "./prepared.ts";
import type { Database } from "./schema.ts";
import { mayWrite, WriteCounter, writtenTable } from "./write-counter.ts";

export type Dialect = "sqlite" | "postgres";

export interface Db {
  kysely: Kysely<Database>;
  dialect: Dialect;
  /** For SQLite: the raw handle (backup API, data_version). */
  sqlite: SQLite.Database | null;
  /**
   * SQLite: why the file at the database's path is no longer the one open (deleted, replaced), or null while it is.
   * Once lost, always lost: writes would go to an unlinked inode and vanish at the next start.
   */
  fileLost?(): string | null;
  /** The writes made through `kysely` (data-version.ts: a cached page's version is re-read after each). */
  writes?: WriteCounter;
  /** PostgreSQL: the address connected to (changes.ts opens its listening connection there). */
  postgresUrl?: string;
  close(): Promise<void>;
}

// PostgreSQL returns int8 (count(*), bigint) as strings; our figures fit in a double.
pg.types.setTypeParser(20, (v) => Number(v));
pg.types.setTypeParser(1700, (v) => Number(v));

/**
 * Kysely's SQLite driver begins transactions with a plain BEGIN, which takes the write lock only at the
 * first write and can then fail with SQLITE_BUSY instead of waiting. BEGIN IMMEDIATE takes it up front.
 */
class ImmediateSqliteDriver extends SqliteDriver {
  override async beginTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw("begin immediate"));
  }
}

class DurableSqliteDialect extends SqliteDialect {
  readonly #config: ConstructorParameters<typeof SqliteDialect>[0];
  constructor(config: ConstructorParameters<typeof SqliteDialect>[0]) {
    super(config);
    this.#config = config;
  }
  override createDriver() {
    return new ImmediateSqliteDriver(this.#config);
  }
}

/** Open SQLite for durability: WAL, synchronous=FULL, foreign keys, a busy timeout. */
export function openSqlite(file: string): Db {
  if (file !== ":memory:") fs.mkdirSync(path.dirname(file), { recursive: true });
  const handle = new SQLite(file);
  handle.pragma("journal_mode = WAL");
  // FULL: an acknowledged commit survives a power cut (NORMAL may roll it back in WAL mode).
  handle.pragma("synchronous = FULL");
  handle.pragma("foreign_keys = ON");
  handle.pragma("busy_timeout = 5000");
  const writes = new WriteCounter();
  const kysely = new Kysely<Database>({ dialect: new DurableSqliteDialect({ database: handle }), plugins: [writes] });
  return {
    kysely,
    dialect: "sqlite",
    sqlite: handle,
    writes,
    fileLost: file === ":memory:" ? () => null : watchFileIdentity(file),
    close: async () => {
      await kysely.destroy();
    },
  };
}

/**
 * The device and inode of the file as opened; later calls compare the path's with them (one stat, microseconds).
 * better-sqlite3 does not expose its descriptor, and holding a second one would be unsafe (closing any descriptor
 * of a file drops the process's POSIX locks on it), so the identity is taken right after opening.
 */
function watchFileIdentity(file: string): () => string | null {
  const opened = fs.statSync(file);
  let lost: string | null = null;
  return () => {
    if (lost) return lost;
    try {
      const now = fs.statSync(file);
      if (now.dev !== opened.dev || now.ino !== opened.ino) lost = "replaced";
    } catch (e) {
      lost = (e as NodeJS.ErrnoException).code === "ENOENT" ? "deleted" : `unreadable (${(e as Error).message})`;
    }
    return lost;
  };
}

/** How long opening a PostgreSQL connection may take before the query that needed it fails. */
export const CONNECT_TIMEOUT_MS = 5_000;
/** Statements of a transaction's own bookkeeping, not writes. */
const TRANSACTION_CONTROL = /^\s*(?:begin|start\s+transaction|commit|rollback|savepoint|release|end)\b/i;

/**
 * Kysely's PostgreSQL driver, telling `afterCommit` when a write has committed: at the COMMIT of a transaction
 * that wrote, or right after a write run outside any transaction (changes.ts: this process learns of its own write
 * before the write's promise resolves).
 */
class CommitHookDriver extends PostgresDriver {
  readonly #open = new WeakMap<object, { wrote: boolean }>();
  readonly #patched = new WeakSet<object>();
  constructor(
    config: PostgresDialectConfig,
    private readonly afterCommit: () => Promise<void>,
  ) {
    super(config);
  }
  override async acquireConnection(): Promise<DatabaseConnection> {
    const connection = await super.acquireConnection();
    if (!this.#patched.has(connection)) {
      this.#patched.add(connection);
      const run = connection.executeQuery.bind(connection);
      connection.executeQuery = (async (query: CompiledQuery) => {
        const result = await run(query);
        const table = writtenTable(query.query);
        const write =
          mayWrite(query.query) && !TRANSACTION_CONTROL.test(query.sql) && !(table && QUIET_TABLES.has(table));
        if (write) {
          const tx = this.#open.get(connection);
          if (tx) tx.wrote = true;
          else await this.afterCommit();
        }
        return result;
      }) as typeof connection.executeQuery;
    }
    return connection;
  }
  override async beginTransaction(...args: Parameters<PostgresDriver["beginTransaction"]>): Promise<void> {
    this.#open.set(args[0], { wrote: false });
    await super.beginTransaction(...args);
  }
  override async commitTransaction(connection: DatabaseConnection): Promise<void> {
    const tx = this.#open.get(connection);
    this.#open.delete(connection);
    await super.commitTransaction(connection);
    if (tx?.wrote) await this.afterCommit();
  }
  override async rollbackTransaction(...args: Parameters<PostgresDriver["rollbackTransaction"]>): Promise<void> {
    this.#open.delete(args[0]);
    await super.rollbackTransaction(...args);
  }
}

class CommitHookDialect extends PostgresDialect {
  constructor(
    private readonly config: PostgresDialectConfig,
    private readonly afterCommit: () => Promise<void>,
  ) {
    super(config);
  }
  override createDriver() {
    return new CommitHookDriver(this.config, this.afterCommit);
  }
}

/** Connect to PostgreSQL. `searchPath` lets tests isolate themselves in a schema of their own. */
export function openPostgres(
  url: string,
  opts: { searchPath?: string; max?: number; preparedStatements?: boolean } = {},
): Db {
  const pool = new pg.Pool({
    connectionString: url,
    max: opts.max ?? 10,
    // While the database is away a request fails after this instead of waiting for ever (it gets a 503, app.tsx).
    connectionTimeoutMillis: CONNECT_TIMEOUT_MS,
    ...(opts.searchPath ? { options: `-c search_path=${opts.searchPath}` } : {}),
  });
  // An idle connection cut by the server (a restart, a failover) is dropped by the pool and a new one opened on the
  // next query; without a listener Node would treat the event as fatal and end the process.
  pool.on("error", () => {});
  // The same for a connection that is checked out but between queries (inside a transaction): the cut reaches the
  // query that uses it next, which fails (a 503) and the pool drops the connection.
  pool.on("connect", (client) => client.on("error", () => {}));
  const capture = process.env.CCHC_CAPTURE_SQL;
  const writes = new WriteCounter();
  // The watcher of this database, once the page cache or the search index has started one (changes.ts).
  const afterCommit = async () => {
    await watcherOf(db)?.afterCommit();
  };
  const kysely = new Kysely<Database>({
    // Frequent statements prepared once per connection (prepared.ts), unless turned off (a pooler in transaction mode).
    dialect: new CommitHookDialect({ pool: opts.preparedStatements === false ? pool : namingPool(pool) }, afterCommit),
    plugins: [writes],
    ...(capture ? { log: sqlCapture(capture) } : {}),
  });
  const db: Db = {
    kysely,
    dialect: "postgres",
    sqlite: null,
    writes,
    postgresUrl: url,
    close: async () => {
      await watcherOf(db)?.close();
      await kysely.destroy();
    },
  };
  return db;
}

/**
 * `CCHC_CAPTURE_SQL=<file>`: every distinct statement this connection compiles, appended to the file once, one a
 * line (newlines folded into spaces). The text only, with its `$n` placeholders: never a parameter's value. Read when
 * the connection opens; unset (the default), no logger is installed at all. test/query-plans.pg.test.ts EXPLAINs them.
 */
function sqlCapture(file: string): (event: LogEvent) => void {
  const seen = new Set<string>();
  return (event) => {
    const text = event.query.sql.replace(/\s+/g, " ").trim();
    if (seen.has(text)) return;
    seen.add(text);
    fs.appendFileSync(file, `${text}\n`);
  };
}

/** Open the database the configuration names. */
export function openDatabase(config: {
  databaseUrl: string | null;
  sqliteFile: string;
  databasePreparedStatements?: boolean;
}): Db {
  return config.databaseUrl
    ? openPostgres(config.databaseUrl, { preparedStatements: config.databasePreparedStatements !== false })
    : openSqlite(config.sqliteFile);
}

/** The SQLSTATE classes and codes PostgreSQL sends when it is going away or not yet back (57P: operator
 * intervention; 08: connection exception). */
const UNAVAILABLE_STATES = /^(08|57P0[1-3])/;
/** What Node and the pg driver say when the server cannot be reached or cut the connection. */
const UNAVAILABLE_MESSAGES =
  /ECONNREFUSED|ECONNRESET|EPIPE|ETIMEDOUT|Connection terminated|timeout exceeded when trying to connect|Client has encountered a connection error|the database system is (starting up|shutting down|in recovery mode)/i;

/**
 * Whether an error means the database is away for now (restarting, unreachable) rather than a fault of the request
 * or the code: such a request is answered 503 "try again shortly", never 500, and nothing was written.
 */
export function databaseUnavailable(err: unknown): boolean {
  for (
    let e = err as { code?: unknown; message?: unknown; cause?: unknown } | null, depth = 0;
    e && depth < 4;
    depth++
  ) {
    if (typeof e.code === "string" && (UNAVAILABLE_STATES.test(e.code) || UNAVAILABLE_MESSAGES.test(e.code)))
      return true;
    if (typeof e.message === "string" && UNAVAILABLE_MESSAGES.test(e.message)) return true;
    if (e instanceof AggregateError) return e.errors.some((x) => databaseUnavailable(x));
    e = (e.cause ?? null) as typeof e;
  }
  return false;
}
