/**
 * The loop that learns from searches (issue 11 §5). Public queries are counted per ward, folded query and day —
 * how often searched, how many results, how often a result was opened — never who searched (no address, no session,
 * no time of day). Before anything is kept the query loses what redaction would mask (phones, e-mails, ID numbers,
 * names introduced as such) and any run of eight or more digits; a query left empty is not counted.
 *
 * Counting never slows a page: a search (rendered or served from the page cache) or an open adds to a counter in
 * memory, written in one upsert per FLUSH_MS (or sooner when many queries wait) as a quiet write (it empties no
 * cached page). A failed write loses those counts and nothing else. A process that stops loses at most the last few
 * seconds of counts: the log is a guide, not a ledger.
 *
 * Opened results are also counted per search document (`search_opens`, whatever the query): what the search prior
 * learns from (search-prior.service.ts).
 *
 * Retention: SEARCH_LOG_RETENTION_DAYS (default 180); rows older are deleted once a day by the server and by
 * `cli purge-search-log`; 0 turns the log off (nothing is counted and the purge deletes every row).
 */
import { sql } from "kysely";
import type { Db } from "../../core/db/connection.ts";
import { quietWrite } from "../../core/db/data-version.ts";
import type { PeriodicTask } from "../../core/jobs/jobs.ts";
import { findPersonal } from "../../core/text/redact.ts";
import { nfc, vnToday } from "../../core/text/vi.ts";
import { cleanQuery, MAX_LOGGED_CHARS, queryKey } from "./search.service.ts";

/** How long counts wait in memory before they are written. */
export const FLUSH_MS = 5_000;
/** Distinct rows waiting that trigger a write at once. */
const FLUSH_ROWS = 500;
export const SEARCH_LOG_RETENTION_DEFAULT = 180;

const cap = (text: string, n: number) => [...text].slice(0, n).join("").trim();

/**
 * A query as it may be kept: NFC, lower case, spaces collapsed, without personal data, capped; with its folded key.
 * Null when nothing is left (a query of only a phone number is not counted).
 */
export function loggableQuery(q: string): { text: string; key: string } | null {
  const text = nfc(cleanQuery(q));
  let kept = "";
  let at = 0;
  for (const s of findPersonal(text)) {
    kept += `${text.slice(at, s.start)} `;
    at = s.end;
  }
  kept += text.slice(at);
  // Belt and braces: a long bare number is more likely someone's than a search term (procedure codes have dots).
  const clean = cap(
    kept
      .replace(/\d{8,}/g, " ")
      .replace(/\s+/g, " ")
      .trim()
      .toLowerCase(),
    MAX_LOGGED_CHARS,
  );
  const key = queryKey(clean);
  return key ? { text: clean, key } : null;
}

interface Pending {
  unitId: number;
  key: string;
  text: string;
  day: string;
  searches: number;
  opens: number;
  results: number | null;
}

/** Opens of one search document in one ward on one day (`search_opens`, the prior's learning, migration 039). */
interface PendingOpen {
  unitId: number;
  docKey: string;
  day: string;
  opens: number;
}

class LogBuffer {
  rows = new Map<string, Pending>();
  opens = new Map<string, PendingOpen>();
  timer: NodeJS.Timeout | null = null;
  writing: Promise<void> = Promise.resolve();
  onError: (err: Error) => void = () => {};
}

const buffers = new WeakMap<Db, LogBuffer>();

function bufferOf(db: Db): LogBuffer {
  let b = buffers.get(db);
  if (!b) {
    b = new LogBuffer();
    buffers.set(db, b);
  }
  return b;
}

/** What counting needs from the request: the ward's unit, the clock's now and the configured retention. */
export interface LogTarget {
  db: Db;
  unitId: number;
  now: Date;
  retentionDays: number;
  onError?: (err: Error) => void;
}

function add(t: LogTarget, q: string, change: { searches?: number; opens?: number; results?: number }): void {
  if (t.retentionDays <= 0) return;
  const lq = loggableQuery(q);
  if (!lq) return;
  const b = bufferOf(t.db);
  if (t.onError) b.onError = t.onError;
  const day = vnToday(t.now);
  const id = `${t.unitId}|${day}|${lq.key}`;
  const row = b.rows.get(id) ?? {
    unitId: t.unitId,
    key: lq.key,
    text: lq.text,
    day,
    searches: 0,
    opens: 0,
    results: null,
  };
  row.searches += change.searches ?? 0;
  row.opens += change.opens ?? 0;
  if (change.results !== undefined) row.results = change.results;
  b.rows.set(id, row);
  schedule(t.db, b);
}

/** Write at once when many rows wait, else within FLUSH_MS. */
function schedule(db: Db, b: LogBuffer): void {
  if (b.rows.size + b.opens.size >= FLUSH_ROWS) void flushSearchLog(db);
  else if (!b.timer) {
    b.timer = setTimeout(() => void flushSearchLog(db), FLUSH_MS);
    b.timer.unref();
  }
}

/** Count one search of `q` that found `results` documents. Never throws. */
export function countSearch(t: LogTarget, q: string, results: number): void {
  try {
    add(t, q, { searches: 1, results });
  } catch (err) {
    t.onError?.(err as Error);
  }
}

/**
 * Count one opened result of a search for `q`; with `docKey` (the search document opened), that document's open
 * too, whatever the query (what the prior learns from). Never throws.
 */
export function countOpen(t: LogTarget, q: string, docKey?: string): void {
  try {
    if (q) add(t, q, { opens: 1 });
    if (docKey && t.retentionDays > 0) {
      const b = bufferOf(t.db);
      if (t.onError) b.onError = t.onError;
      const day = vnToday(t.now);
      const id = `${t.unitId}|${day}|${docKey}`;
      const row = b.opens.get(id) ?? { unitId: t.unitId, docKey, day, opens: 0 };
      row.opens++;
      b.opens.set(id, row);
      schedule(t.db, b);
    }
  } catch (err) {
    t.onError?.(err as Error);
  }
}

/** Write what waits in memory now (the staff page and tests call it; a timer does otherwise). Never throws. */
export function flushSearchLog(db: Db): Promise<void> {
  const b = bufferOf(db);
  if (b.timer) clearTimeout(b.timer);
  b.timer = null;
  const rows = [...b.rows.values()];
  const opens = [...b.opens.values()];
  b.rows = new Map();
  b.opens = new Map();
  // One write at a time, so two flushes never race on the same row.
  b.writing = b.writing.then(async () => {
    if (rows.length === 0 && opens.length === 0) return;
    try {
      await quietWrite(db, async (trx) => {
        for (let i = 0; i < opens.length; i += 200)
          await trx
            .insertInto("search_opens")
            .values(
              opens
                .slice(i, i + 200)
                .map((r) => ({ unit_id: r.unitId, doc_key: r.docKey, day: r.day, opens: r.opens })),
            )
            .onConflict((oc) =>
              oc
                .columns(["unit_id", "doc_key", "day"])
                .doUpdateSet({ opens: sql`search_opens.opens + excluded.opens` }),
            )
            .execute();
        for (let i = 0; i < rows.length; i += 200)
          await trx
            .insertInto("search_log")
            .values(
              rows.slice(i, i + 200).map((r) => ({
                unit_id: r.unitId,
                query_key: r.key,
                query: r.text,
                day: r.day,
                searches: r.searches,
                results: r.results,
                opens: r.opens,
              })),
            )
            .onConflict((oc) =>
              oc.columns(["unit_id", "query_key", "day"]).doUpdateSet({
                searches: sql`search_log.searches + excluded.searches`,
                opens: sql`search_log.opens + excluded.opens`,
                results: sql`coalesce(excluded.results, search_log.results)`,
              }),
            )
            .execute();
      });
    } catch (err) {
      b.onError(err as Error);
    }
  });
  return b.writing;
}

/** The first day kept under a retention of `days` days, counted back from today (Vietnam). */
export function firstKeptDay(now: Date, days: number): string {
  const today = vnToday(now);
  const d = new Date(`${today}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() - (days - 1));
  return d.toISOString().slice(0, 10);
}

/** Delete the days past retention (every day when `retentionDays` is 0: the log is off); returns the rows deleted. */
export async function purgeSearchLog(db: Db, retentionDays: number, now: Date): Promise<number> {
  await flushSearchLog(db);
  return quietWrite(db, async (trx) => {
    let q = trx.deleteFrom("search_log");
    let o = trx.deleteFrom("search_opens");
    if (retentionDays > 0) {
      q = q.where("day", "<", firstKeptDay(now, retentionDays));
      o = o.where("day", "<", firstKeptDay(now, retentionDays));
    }
    const r = await q.executeTakeFirst();
    const r2 = await o.executeTakeFirst();
    return Number(r.numDeletedRows ?? 0) + Number(r2.numDeletedRows ?? 0);
  });
}

/**
 * The purge as the job runner's periodic task (src/core/jobs): soon after start, then every night at 02:40 (one run
 * across every process on PostgreSQL) or every 24 hours (SQLite). Deleting the days past retention twice is harmless.
 */
export function searchLogPurgeTask(deps: {
  retentionDays: number;
  log: { info(o: object, m: string): void };
}): PeriodicTask {
  const { retentionDays, log } = deps;
  return {
    name: "search-log.purge",
    cron: "40 2 * * *",
    everyMs: 24 * 3600_000,
    async run(ctx) {
      const n = await purgeSearchLog(ctx.db, retentionDays, ctx.now);
      if (n > 0) log.info({ event: "search_log.purged", deleted: n, retentionDays }, "search log purged");
    },
  };
}
