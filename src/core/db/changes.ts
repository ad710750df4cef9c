/**
 * What changed in the database, by administrative unit, as this process knows it: the page cache keeps a ward's pages
 * until a write touches that ward (or its predecessors, or its province) or shared data, and the search index asks
 * the database for its delta only after a write to its tables.
 *
 * Each change advances a process-local clock; a unit's stamp is the clock at its last change, "everything" has one
 * too (shared data, and whenever this process may have missed something). A page rendered at clock `at` for units U
 * is fresh while no stamp of U, nor "everything", is above `at`: a few map reads, no database.
 *
 * How changes are learned:
 * - PostgreSQL: triggers (migration 046) NOTIFY `cchc_{schema}` with the table and the units each committed write
 *   touched; a dedicated connection per process LISTENs. Notifications are delivered at commit, so a page rendered
 *   from data a write has not yet made visible is always stamped before that write's change. This process's own
 *   writes: after each write commits, `afterCommit` runs one query on the listening connection, whose answer comes
 *   after the notifications already sent to it, so the write's promise resolves once its change is known here. The
 *   connection is re-opened after a loss (a database restart) and everything counts as changed then; while it is
 *   down, the data epoch (data-version.ts) is read again at most every OTHER_WRITERS_MS and any move of it changes
 *   everything (`afterCommit` also advances the epoch after commit, so that fallback never stores a page under an
 *   epoch its data predates).
 * - SQLite: temporary triggers on this connection (never stored in the file) call into this process at each row
 *   written; another connection's commit (the CLI) moves `PRAGMA data_version`, read at most every OTHER_WRITERS_MS,
 *   and changes everything.
 */
import { sql } from "kysely";
import pg from "pg";
import type { Db } from "./connection.ts";
import { dataVersion, OTHER_WRITERS_MS } from "./data-version.ts";

/** Tables whose rows feed the search index (search.service.ts). */
const SEARCH_TABLES = new Set([
  "search_docs",
  "search_synonyms",
  "search_priors",
  "search_prior_learned",
  "search_examples",
]);

/** Tables no public page shows: their writes change nothing here (as migration 046's list). */
export const QUIET_TABLES: ReadonlySet<string> = new Set([
  "sessions",
  "login_attempts",
  "login_throttle",
  "kysely_migration",
  "kysely_migration_lock",
  "jobs",
  "search_log",
  "search_opens",
  "audit_log",
  "public_form_rate_hits",
  // Stored files' bytes (FILE_STORE=database): a page changes with the record that names a file, not with its bytes.
  "file_blobs",
  "file_chunks",
  // Uploads waiting for their confirmation (migration 049): no page shows them.
  "staged_uploads",
  // Pre-rendered pages and the generations that say whether they are current (migration 051): derived, never shown
  // as data; the copy job's own write must not evict the ward's cached pages.
  "page_copies",
  "copy_inputs",
]);

/** How long the listener waits before connecting again after a loss, at most. */
const RECONNECT_MAX_MS = 2_000;
/** How often an idle listening connection is checked (a connection dropped silently would never say). */
const HEARTBEAT_MS = 10_000;

export class Changes {
  #clock = 0;
  #everything = 0;
  #search = 0;
  readonly #units = new Map<number, number>();
  /** Changes applied since start, for tests and metrics: by unit, shared, everything. */
  readonly counts = { unit: 0, shared: 0, everything: 0 };

  /** The clock now: a page about to be rendered is stamped with it. */
  stamp(): number {
    return this.#clock;
  }

  /** A write changed these units' data (`"*"`: shared data, which every ward's pages may show). */
  changed(table: string, units: readonly number[] | "*"): void {
    const at = ++this.#clock;
    if (SEARCH_TABLES.has(table)) this.#search = at;
    if (units === "*") {
      this.#everything = at;
      this.counts.shared++;
      return;
    }
    for (const u of units) this.#units.set(u, at);
    this.counts.unit++;
  }

  /** Anything may have changed (a notification may have been missed). */
  changedEverything(): void {
    const at = ++this.#clock;
    this.#everything = at;
    this.#search = at;
    this.counts.everything++;
  }

  /** Whether nothing a page of these units shows changed after `at`; null units: nothing at all changed. */
  unchangedSince(at: number, units: readonly number[] | null): boolean {
    if (this.#everything > at) return false;
    if (units === null) return this.#clock <= at;
    for (const u of units) if ((this.#units.get(u) ?? 0) > at) return false;
    return true;
  }

  /** Whether the search tables may have changed after `at`. */
  searchChangedSince(at: number): boolean {
    return this.#search > at;
  }
}

/** How this process learns of other processes' writes to one database. */
interface Watcher {
  changes: Changes;
  /** Whether the stamps are current without asking the database (a live listener, SQLite's triggers). */
  knownNow(now?: number): boolean;
  /** Bring the stamps up to date by asking the database (the fallback while not `knownNow`). */
  refresh(): Promise<void>;
  /** After a write committed on this database through this process (PostgreSQL). */
  afterCommit(): Promise<void>;
  close(): Promise<void>;
}

const watchers = new WeakMap<Db, Watcher>();

/** The change stamps of a database in this process; the first call starts watching it. */
export function changesOf(db: Db): Watcher {
  let w = watchers.get(db);
  if (!w) {
    w = db.sqlite ? sqliteWatcher(db) : pgWatcher(db);
    watchers.set(db, w);
  }
  return w;
}

/** The watcher of a database if one was started (connection.ts's commit hook, close). */
export function watcherOf(db: Db): Watcher | undefined {
  return watchers.get(db);
}

/**
 * Stamps that are current, asking the database only when they may not be (the listener is down, another SQLite
 * connection may have written): the page cache's and the search index's one question before trusting them.
 */
export async function currentChanges(db: Db): Promise<Changes> {
  const w = changesOf(db);
  if (!w.knownNow()) await w.refresh();
  return w.changes;
}

/** `currentChanges` without waiting, or null when the database must be asked first. */
export function currentChangesNow(db: Db): Changes | null {
  const w = changesOf(db);
  return w.knownNow() ? w.changes : null;
}

/**
 * Apply one notification from PostgreSQL's triggers. A quiet table's write is left out, as this process's own
 * triggers leave it out on SQLite: migration 046 made the triggers before `page_copies`, `copy_inputs` and
 * `staged_uploads` existed, so their writes notify, and a copy job's write would otherwise end the cached pages
 * and remembered values of its ward in every process. A payload not understood may hide anything: all changed.
 */
export function applyNotification(changes: Changes, payload: string | undefined): void {
  const change = payload ? parseChange(payload) : null;
  if (!change) changes.changedEverything();
  else if (!QUIET_TABLES.has(change.table)) changes.changed(change.table, change.units);
}

/** Parse one notification's payload, `{table}:{id,id,…}` or `{table}:*`. */
export function parseChange(payload: string): { table: string; units: number[] | "*" } | null {
  const i = payload.lastIndexOf(":");
  if (i <= 0) return null;
  const table = payload.slice(0, i);
  const rest = payload.slice(i + 1);
  if (rest === "*" || rest === "") return { table, units: "*" };
  const units = rest.split(",").map(Number);
  return units.every(Number.isInteger) ? { table, units } : { table, units: "*" };
}

// ---------------------------------------------------------------------------------------------------------------
// PostgreSQL: LISTEN on a connection of its own
// ---------------------------------------------------------------------------------------------------------------

/**
 * A client's queries one at a time: node-postgres queues overlapping ones itself but deprecates it (pg 9 refuses
 * them), and every commit of the process ticks the epoch on the listening connection. A call whose text is already
 * waiting (not yet sent) shares that query: sent after this caller's own commit, it answers for it too.
 */
export function oneAtATime(query: (text: string) => Promise<unknown>): (text: string) => Promise<unknown> {
  let tail: Promise<unknown> = Promise.resolve();
  const waiting = new Map<string, Promise<unknown>>();
  return (text) => {
    const shared = waiting.get(text);
    if (shared) return shared;
    const mine = tail
      .catch(() => undefined)
      .then(() => {
        waiting.delete(text);
        return query(text);
      });
    waiting.set(text, mine);
    tail = mine;
    return mine;
  };
}

function pgWatcher(db: Db): Watcher {
  const changes = new Changes();
  const url = db.postgresUrl;
  let client: pg.Client | null = null;
  // The listening client's queries after its set-up (the epoch's ticks, the heartbeat), one at a time.
  let queryInTurn: ((text: string) => Promise<unknown>) | null = null;
  let live = false;
  let closed = false;
  let retryMs = 100;
  let retry: NodeJS.Timeout | null = null;
  let heartbeat: NodeJS.Timeout | null = null;
  // The fallback: the data epoch as last read, and when.
  let epoch: string | null = null;
  let epochAt = -Infinity;
  let epochWrites = -1;

  const lost = (c: pg.Client) => {
    if (client !== c) return;
    client = null;
    queryInTurn = null;
    if (live) changes.changedEverything();
    live = false;
    epoch = null;
    if (heartbeat) clearInterval(heartbeat);
    heartbeat = null;
    c.end().catch(() => undefined);
    schedule();
  };
  const schedule = () => {
    if (closed || retry) return;
    retry = setTimeout(() => {
      retry = null;
      void connect();
    }, retryMs);
    retry.unref();
    retryMs = Math.min(retryMs * 2, RECONNECT_MAX_MS);
  };
  const connect = async () => {
    if (closed || client || !url) return;
    const c = new pg.Client({ connectionString: url, keepAlive: true, query_timeout: 5_000 });
    client = c;
    c.on("error", () => lost(c));
    c.on("end", () => lost(c));
    c.on("notification", (m) => applyNotification(changes, m.payload));
    try {
      await c.connect();
      const schema = (await sql<{ s: string }>`select current_schema() as s`.execute(db.kysely)).rows[0]?.s ?? "public";
      const ident = (name: string) => `"${name.replaceAll('"', '""')}"`;
      await c.query(`set search_path to ${ident(schema)}`);
      // Named, so an operator (or a test) can tell it in pg_stat_activity.
      await c.query("select set_config('application_name', $1, false)", [`cchc_listen_${schema}`.slice(0, 63)]);
      await c.query(`listen ${ident(`cchc_${schema}`)}`);
      if (client !== c || closed) return;
      // Writes committed while nobody listened moved the epoch (every writer of this app advances it after its
      // commit): unmoved since the pages were checked against it, nothing was missed; else anything may have changed.
      // No epoch read since the loss (or the start): no page was checked against one, so none can be stale.
      const version = await dataVersion(db);
      if (client !== c || closed) return;
      if (epoch !== null && version !== epoch) changes.changedEverything();
      const inTurn = oneAtATime((text) => c.query(text));
      queryInTurn = inTurn;
      live = true;
      retryMs = 100;
      heartbeat = setInterval(() => {
        inTurn("select 1").catch(() => lost(c));
      }, HEARTBEAT_MS);
      heartbeat.unref();
    } catch {
      lost(c);
    }
  };
  void connect();

  return {
    changes,
    knownNow(now = performance.now()) {
      if (live) return true;
      return epoch !== null && epochWrites === (db.writes?.count ?? 0) && now - epochAt < OTHER_WRITERS_MS;
    },
    async refresh() {
      if (live) return;
      const writes = db.writes?.count ?? 0;
      const at = performance.now();
      const version = await dataVersion(db);
      if (version !== epoch) changes.changedEverything();
      epoch = version;
      epochAt = at;
      epochWrites = writes;
    },
    async afterCommit() {
      // On the listening connection: its answer follows the notifications of every commit acknowledged before it.
      // The epoch advanced after commit keeps the fallback of other processes exact.
      const inTurn = live ? queryInTurn : null;
      try {
        if (inTurn) await inTurn("select nextval('data_epoch')");
        else await sql`select nextval('data_epoch')`.execute(db.kysely);
      } catch {
        // The database is away: the write is committed; the listener's loss changes everything when it is back.
        changes.changedEverything();
      }
    },
    async close() {
      closed = true;
      if (retry) clearTimeout(retry);
      if (heartbeat) clearInterval(heartbeat);
      const c = client;
      client = null;
      live = false;
      await c?.end().catch(() => undefined);
    },
  };
}

// ---------------------------------------------------------------------------------------------------------------
// SQLite: temporary triggers calling into this process
// ---------------------------------------------------------------------------------------------------------------

/** The unit a row belongs to, for a trigger's `cchc_changed(table, value)`: -1 skips the row. */
function unitsOfValue(value: unknown): number[] | "*" | null {
  if (value === -1) return null;
  if (typeof value === "number" || typeof value === "bigint") return [Number(value)];
  if (typeof value === "string") {
    const units: number[] = [];
    for (const token of value.trim().split(/\s+/)) {
      const m = /^unit:(\d+)$/.exec(token);
      if (!m) return "*";
      units.push(Number(m[1]));
    }
    return units.length ? units : "*";
  }
  return "*";
}

function sqliteWatcher(db: Db): Watcher {
  const changes = new Changes();
  const handle = db.sqlite as NonNullable<Db["sqlite"]>;
  handle.function("cchc_changed", { deterministic: false, directOnly: true }, (table: unknown, value: unknown) => {
    const units = unitsOfValue(value);
    if (units) changes.changed(String(table), units);
    return null;
  });
  let watched = installSqliteTriggers(handle);
  const version = handle.prepare("pragma data_version").pluck();
  const schemaVersion = handle.prepare("pragma schema_version").pluck();
  let seen = version.get();
  let seenSchema = schemaVersion.get();
  let seenAt = performance.now();
  let writes = db.writes?.count ?? 0;
  const check = (now: number) => {
    const v = version.get();
    if (v !== seen) changes.changedEverything();
    seen = v;
    // Tables created since (a migration): they get their triggers, and anything may have changed.
    const s = schemaVersion.get();
    if (s !== seenSchema) {
      watched = installSqliteTriggers(handle);
      changes.changedEverything();
    }
    seenSchema = s;
    seenAt = now;
    // Without triggers (no table yet), any write of this connection changes everything.
    const count = db.writes?.count ?? 0;
    if (!watched && count !== writes) changes.changedEverything();
    writes = count;
  };
  return {
    changes,
    knownNow(now = performance.now()) {
      if (now - seenAt >= OTHER_WRITERS_MS || (!watched && (db.writes?.count ?? 0) !== writes)) check(now);
      return true;
    },
    async refresh() {
      check(performance.now());
    },
    async afterCommit() {},
    async close() {},
  };
}

type SqliteHandle = NonNullable<Db["sqlite"]>;

/** One temporary trigger per table and kind of write; false when the database has no table yet. */
function installSqliteTriggers(handle: SqliteHandle): boolean {
  const tables = handle
    .prepare("select name from sqlite_master where type = 'table' and name not like 'sqlite_%'")
    .pluck()
    .all() as string[];
  const columnsOf = (t: string) =>
    new Set((handle.prepare(`pragma table_info(${quote(t)})`).all() as { name: string }[]).map((c) => c.name));
  const columns = new Map(tables.map((t) => [t, columnsOf(t)]));
  let installed = 0;
  for (const table of tables) {
    if (QUIET_TABLES.has(table)) continue;
    const cols = columns.get(table) ?? new Set<string>();
    const own = ["ward_id", "unit_id", "scope_unit_id", "owner"].find((c) => cols.has(c));
    let expr: (row: "NEW" | "OLD") => string;
    if (own) expr = (row) => `${row}.${quote(own)}`;
    else if (table === "search_docs") expr = (row) => `${row}.scope`;
    else expr = parentExpression(handle, table, columns);
    const name = (kind: string) => quote(`cchc_changed_${kind}_${table}`);
    const call = (row: "NEW" | "OLD") => `select cchc_changed(${sqlText(table)}, ${expr(row)});`;
    handle.exec(`drop trigger if exists temp.${name("i")}; drop trigger if exists temp.${name("u")};
      drop trigger if exists temp.${name("d")};
      create temp trigger ${name("i")} after insert on main.${quote(table)} begin ${call("NEW")} end;
      create temp trigger ${name("u")} after update on main.${quote(table)} begin ${call("OLD")} ${call("NEW")} end;
      create temp trigger ${name("d")} after delete on main.${quote(table)} begin ${call("OLD")} end;`);
    installed++;
  }
  return installed > 0;
}

interface ForeignKey {
  id: number;
  table: string;
  from: string;
  to: string | null;
}

/**
 * A child row's ward through its parent (as migration 046 on PostgreSQL): a NOT NULL single-column key first, a
 * parent other than `users` first, one step up or else two. `'*'` (shared) for a NULL key or a parent without a ward,
 * -1 (nothing) for a parent no longer there (its own delete was counted), NULL-free.
 */
function parentExpression(
  handle: SqliteHandle,
  table: string,
  columns: Map<string, Set<string>>,
): (row: "NEW" | "OLD") => string {
  const keysOf = (t: string): (ForeignKey & { notNull: boolean })[] => {
    const fks = handle.prepare(`pragma foreign_key_list(${quote(t)})`).all() as ForeignKey[];
    const info = handle.prepare(`pragma table_info(${quote(t)})`).all() as { name: string; notnull: number }[];
    return fks
      .filter((f) => fks.filter((g) => g.id === f.id).length === 1)
      .map((f) => ({ ...f, notNull: info.some((c) => c.name === f.from && c.notnull === 1) }))
      .sort(
        (x, y) => Number(y.notNull) - Number(x.notNull) || Number(x.table === "users") - Number(y.table === "users"),
      );
  };
  const hasWard = (t: string) => columns.get(t)?.has("ward_id") ?? false;
  const wardOf = (parent: string, key: string | null, value: string) =>
    `coalesce((select coalesce(ward_id, '*') from ${quote(parent)} where ${quote(key ?? "id")} = ${value}), -1)`;
  const keys = keysOf(table);
  const direct = keys.find((f) => hasWard(f.table));
  if (direct)
    return (row) =>
      `case when ${row}.${quote(direct.from)} is null then '*' else ${wardOf(direct.table, direct.to, `${row}.${quote(direct.from)}`)} end`;
  for (const f of keys) {
    const up = keysOf(f.table).find((g) => hasWard(g.table));
    if (!up) continue;
    return (row) =>
      `case when ${row}.${quote(f.from)} is null then '*' else coalesce((select case when m.${quote(up.from)} is null then '*' else ${wardOf(up.table, up.to, `m.${quote(up.from)}`)} end from ${quote(f.table)} m where m.${quote(f.to ?? "id")} = ${row}.${quote(f.from)}), -1) end`;
  }
  return () => "null";
}

const quote = (name: string) => `"${name.replaceAll('"', '""')}"`;
const sqlText = (text: string) => `'${text.replaceAll("'", "''")}'`;
