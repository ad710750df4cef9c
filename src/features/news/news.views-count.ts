/**
 * Article views, counted cheaply: a public article page served (from the page cache or rendered) adds one to a
 * counter in this process's memory; at most every FLUSH_MS the counts are added to the articles and to their ledger
 * rows' audience in one transaction (`views = views + n`, so several servers each add their own). A view is thus no
 * database write — which would invalidate every cached page at each hit — and the audience lags by about a minute.
 * The article's route counts the view it renders and leaves the same count to run each time the page cache answers
 * in its place (`onCacheServe`), so a view served from the cache, even by the server's hot path, is counted too.
 */
import type { Db } from "../../core/db/connection.ts";
import type { Deps } from "../../core/web/context.ts";
import { addArticleViews } from "./news.service.ts";

export const FLUSH_MS = 60_000;
/** Distinct articles held between flushes; a flood of made-up ids stops adding here. */
const MAX_PENDING = 10_000;

interface Pending {
  counts: Map<number, number>;
  lastFlush: number;
  flushing: Promise<number> | null;
}
const pendingOf = new WeakMap<Db, Pending>();

function pending(db: Db): Pending {
  let p = pendingOf.get(db);
  if (!p) {
    p = { counts: new Map(), lastFlush: Date.now(), flushing: null };
    pendingOf.set(db, p);
  }
  return p;
}

/** Count one view of an article in memory. */
export function countView(db: Db, articleId: number): void {
  const p = pending(db);
  const n = p.counts.get(articleId);
  if (n === undefined && p.counts.size >= MAX_PENDING) return;
  p.counts.set(articleId, (n ?? 0) + 1);
}

/** Write the views counted so far (the server's timer, a test, shutdown); returns the articles changed. */
export async function flushNewsViews(db: Db): Promise<number> {
  const p = pending(db);
  if (p.flushing) await p.flushing;
  const counts = p.counts;
  p.counts = new Map();
  p.lastFlush = Date.now();
  p.flushing = addArticleViews(db.kysely, counts).catch((err) => {
    // Put them back: a failed flush (database busy, restarting) loses no views.
    for (const [id, n] of counts) p.counts.set(id, (p.counts.get(id) ?? 0) + n);
    throw err;
  });
  try {
    return await p.flushing;
  } finally {
    p.flushing = null;
  }
}

/** One view of an article's page (rendered or from the cache); the counts are written when the time has come. */
export function noteArticleView({ db, log }: Pick<Deps, "db" | "log">, articleId: number): void {
  countView(db, articleId);
  const p = pending(db);
  if (!p.flushing && Date.now() - p.lastFlush >= FLUSH_MS)
    flushNewsViews(db).catch((err) => log.warn({ err: { message: (err as Error).message } }, "news views not saved"));
}
