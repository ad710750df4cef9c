/**
 * Named prepared statements on PostgreSQL, behind Kysely's back: a statement this process runs again and again is
 * prepared once per connection, so PostgreSQL parses it once and, once it has chosen a generic plan (after five
 * runs, when that plan costs no more than the custom ones), plans it once too. At a province's size most of the
 * database's CPU for a page went to parsing and planning small indexed statements, more than to running them.
 *
 * Kysely hands each statement to the pool's client as `query(text, values)`; the pool given to Kysely here wraps
 * every client so that a text seen `PREPARE_AFTER` times runs as `{ name, text, values }`, which node-postgres
 * prepares on a connection the first time and reuses after. Bounds: at most `MAX_NAMED` texts are ever named (each
 * costs memory on every connection that ran it), and texts are only counted up to `MAX_COUNTED`, so statements
 * built with varying text (long IN lists) cannot grow either map without end.
 *
 * A statement prepared before a migration changed its table's columns fails once with "cached plan must not change
 * result type" (0A000) on a process that did not run the migration; the text is then never named again here and the
 * statement is run again unnamed, unless a transaction is open on that connection (the failure aborted it: the error
 * reaches the caller, as any failed statement in a transaction does).
 *
 * `DATABASE_PREPARED_STATEMENTS=0` turns this off, for a pooler in transaction mode that cannot carry prepared
 * statements between transactions (PgBouncer before 1.21).
 */
import { createHash } from "node:crypto";
import type pg from "pg";

/** Runs of a text before it is prepared: statements run once or twice (start-up, migrations) are not. */
export const PREPARE_AFTER = 3;
const MAX_NAMED = 1_000;
const MAX_COUNTED = 5_000;
/** Statements worth preparing: reads and writes, not a transaction's bookkeeping or session commands. */
const PREPARABLE = /^\s*(?:select|insert|update|delete|with)\b/i;
const TRANSACTION_START = /^\s*(?:begin|start\s+transaction)\b/i;
const TRANSACTION_END = /^\s*(?:commit|rollback|end)\b/i;

/** Which texts are prepared, under which name: one per pool (one database, one process). */
export class StatementNames {
  readonly #runs = new Map<string, number>();
  readonly #names = new Map<string, string>();
  readonly #refused = new Set<string>();

  /** The name to run a text under, or null to run it unnamed (not yet frequent, not preparable, or refused). */
  nameFor(text: string): string | null {
    const named = this.#names.get(text);
    if (named) return named;
    if (this.#refused.has(text) || !PREPARABLE.test(text)) return null;
    const runs = (this.#runs.get(text) ?? 0) + 1;
    if (runs < PREPARE_AFTER || this.#names.size >= MAX_NAMED) {
      if (this.#runs.size < MAX_COUNTED || this.#runs.has(text)) this.#runs.set(text, runs);
      return null;
    }
    this.#runs.delete(text);
    const name = `cchc_${createHash("sha1").update(text).digest("hex").slice(0, 24)}`;
    this.#names.set(text, name);
    return name;
  }

  /** Never name this text again (its prepared form no longer fits the table). */
  refuse(text: string): void {
    this.#names.delete(text);
    this.#refused.add(text);
  }

  get size(): number {
    return this.#names.size;
  }
}

/** Whether PostgreSQL refused a prepared statement because its table's columns changed since it was prepared. */
export function stalePreparedStatement(err: unknown): boolean {
  const e = err as { code?: unknown; message?: unknown } | null;
  return (
    e?.code === "0A000" && typeof e.message === "string" && /cached plan must not change result type/.test(e.message)
  );
}

type Client = pg.PoolClient;

/** A pool client whose statements run under their names once frequent (see the module's comment). */
function namingClient(client: Client, names: StatementNames): Client {
  let inTransaction = false;
  const run = client.query.bind(client) as (...args: unknown[]) => Promise<pg.QueryResult>;
  const query = (textOrConfig: unknown, values?: unknown): unknown => {
    if (typeof textOrConfig !== "string") return run(textOrConfig, values);
    const text = textOrConfig;
    if (TRANSACTION_START.test(text)) inTransaction = true;
    else if (TRANSACTION_END.test(text)) inTransaction = false;
    const name = names.nameFor(text);
    if (!name) return run(text, values);
    return run({ name, text, values }).catch((err: unknown) => {
      if (!stalePreparedStatement(err)) throw err;
      names.refuse(text);
      if (inTransaction) throw err;
      return run(text, values);
    });
  };
  return new Proxy(client, {
    get(target, prop, receiver) {
      if (prop === "query") return query;
      const value = Reflect.get(target, prop, receiver);
      return typeof value === "function" ? value.bind(target) : value;
    },
  });
}

/** The pool Kysely is given: the same pool, each client it hands out naming its frequent statements. */
export function namingPool(pool: pg.Pool, names = new StatementNames()) {
  return {
    connect: async () => namingClient(await pool.connect(), names),
    end: () => pool.end(),
    names,
  };
}
