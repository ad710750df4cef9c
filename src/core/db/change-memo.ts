/**
 * Values a process remembers until a write that could change them reaches it (db/changes.ts: at once for this
 * process's own writes, by LISTEN/NOTIFY from other processes) — the rule the page cache keeps its pages by. For data
 * read on every public page that changes rarely (a ward's contact, a procedure's record): each entry names the
 * administrative units whose writes end it (`[]`: only writes to shared data end it). One memo per database, so two
 * apps in one process never see each other's values. Read-only for callers: the same objects serve every request.
 */
import { currentChanges } from "./changes.ts";
import type { Db } from "./connection.ts";

export class ChangeMemo<V> {
  readonly #byDb = new WeakMap<object, Map<string, { value: V; at: number; units: number[] }>>();

  /** `maxEntries`: past it the memo starts afresh (a bound, not a cache policy). */
  constructor(private readonly maxEntries: number) {}

  /** The value remembered for `key`, or `read()`'s when none is, or a write to its units came after it. */
  async get(db: Db, key: string, read: () => Promise<{ value: V; units: number[] }>): Promise<V> {
    let memo = this.#byDb.get(db);
    if (!memo) {
      memo = new Map();
      this.#byDb.set(db, memo);
    }
    const changes = await currentChanges(db);
    const hit = memo.get(key);
    if (hit && changes.unchangedSince(hit.at, hit.units)) return hit.value;
    // Stamped before reading: a write landing during the read ends this entry at the next request.
    const at = changes.stamp();
    const { value, units } = await read();
    if (memo.size >= this.maxEntries) memo.clear();
    memo.set(key, { value, at, units });
    return value;
  }
}
