/**
 * Public pages cached as rendered HTML, for anonymous visitors only. Routes opt in with `cacheable(...)`, naming the
 * query parameters they read; one cache per app answers before any other work (ward lookup, session, rendering). An
 * entry is served only while the database's data version and the date in Vietnam are what they were when it was
 * rendered, so any write — by this server, the CLI or another server on the same database — and the turn of a day
 * (versions of procedures take effect on dates) invalidate it.
 *
 * Bounded in bytes, not in entries: the notice board is megabytes of HTML and the search page a few kilobytes, so a
 * count says nothing about memory (1,100 board URLs once took the process past 3.9 GB). Entries are kept gzipped
 * only (compressed once, off the event loop, when rendered): what a phone on a slow network needs, and about a tenth
 * of the memory. Only canonical URLs are ever stored: `cacheable` redirects a URL carrying anything but the declared
 * parameters (in their declared order) to the canonical one, so `?x=1…1100` costs a redirect, not a render.
 * A route may leave a callback (`c.set("onCacheServe", …)`) that runs, synchronously and cheaply, each time the cache
 * answers for its page: the site search counts a cached results page as a search.
 */
import { promisify } from "node:util";
import { gunzip, gzip } from "node:zlib";
import type { MiddlewareHandler } from "hono";
import { dataVersion } from "../db/data-version.ts";
import { vnToday } from "../text/vi.ts";
import type { AppEnv } from "./context.ts";
import { RenderGate } from "./render-gate.ts";

const gzipAsync = promisify(gzip);
const gunzipAsync = promisify(gunzip);

interface Entry {
  version: string;
  gzip: Buffer;
  contentType: string;
  /** What the entry costs, in bytes: the compressed page, its key and the bookkeeping. */
  size: number;
  /** What the route asked to run each time the cache answers in its place (the search log counts a search). */
  onServe?: () => void;
}

/** Map and object overhead of one entry, beyond its strings and buffer (measured order of magnitude). */
const ENTRY_OVERHEAD = 256;

/** A least-recently-used store of gzipped pages whose total size never exceeds `maxBytes`. */
export class PageCache {
  private readonly entries = new Map<string, Entry>();
  private total = 0;
  /** Answers since start (for /metrics): from a stored page, from another request's render, rendered here. */
  readonly served = { hit: 0, shared: 0, miss: 0 };

  constructor(readonly maxBytes: number) {}

  /** The entry for a URL rendered at this data version, refreshed in the LRU order. */
  get(key: string, version: string): Entry | undefined {
    const hit = this.entries.get(key);
    if (!hit) return undefined;
    if (hit.version !== version) {
      this.remove(key);
      return undefined;
    }
    this.entries.delete(key);
    this.entries.set(key, hit);
    return hit;
  }

  /** Store a page; the least recently used go until it fits. A page over a quarter of the cap is not kept. */
  set(key: string, version: string, gzipped: Buffer, contentType: string, onServe?: () => void): Entry {
    const entry: Entry = {
      version,
      gzip: gzipped,
      contentType,
      onServe,
      size: gzipped.byteLength + 2 * (key.length + version.length + contentType.length) + ENTRY_OVERHEAD,
    };
    this.remove(key);
    // One huge page must not flush everything else.
    if (entry.size > this.maxBytes / 4) return entry;
    while (this.total + entry.size > this.maxBytes && this.entries.size > 0)
      this.remove(this.entries.keys().next().value as string);
    this.entries.set(key, entry);
    this.total += entry.size;
    return entry;
  }

  /** Entries held and the bytes they cost. */
  stats(): { entries: number; bytes: number; maxBytes: number } {
    return { entries: this.entries.size, bytes: this.total, maxBytes: this.maxBytes };
  }

  private remove(key: string) {
    const old = this.entries.get(key);
    if (!old) return;
    this.entries.delete(key);
    this.total -= old.size;
  }
}

/** Whether the client takes gzip (`Accept-Encoding: gzip, deflate, br`; a `gzip;q=0` refuses it). */
export function acceptsGzip(header: string | undefined): boolean {
  if (!header) return false;
  for (const part of header.toLowerCase().split(",")) {
    const [coding, ...params] = part.trim().split(";");
    if (coding !== "gzip" && coding !== "*") continue;
    const q = params.map((p) => p.trim()).find((p) => p.startsWith("q="));
    return !q || Number(q.slice(2)) > 0;
  }
  return false;
}

const hasSessionCookie = (cookie: string | undefined) => !!cookie && /(?:^|;\s*)(?:__Host-)?cchc_sid=/.test(cookie);

/** The declared parameters of a query, first value each, in the declared order. */
function declaredPairs(params: URLSearchParams, declared: readonly string[]): [string, string][] {
  return declared.flatMap((name) => {
    const value = params.get(name);
    return value === null ? [] : [[name, value] as [string, string]];
  });
}

/** The canonical query string for a route reading only `declared`, encoded as a browser's GET form does ("" if none). */
export function canonicalQuery(params: URLSearchParams, declared: readonly string[]): string {
  return new URLSearchParams(declaredPairs(params, declared)).toString();
}

/** Whether a query holds exactly its declared parameters, once each, in order (however its values are encoded). */
export function isCanonicalQuery(params: URLSearchParams, declared: readonly string[]): boolean {
  const given = [...params];
  const kept = declaredPairs(params, declared);
  return given.length === kept.length && given.every(([n, v], i) => n === kept[i]?.[0] && v === kept[i]?.[1]);
}

/**
 * The cache key of a request: its path and its query re-encoded (`%20` and `+` are one page). Not its host: no
 * public page is built from the request's host (printed links and QR codes come from PUBLIC_URL only), so a client
 * sending many Host headers gets one page, never one copy each.
 */
export function pageKey(url: string): string {
  const u = new URL(url);
  const query = new URLSearchParams(u.search).toString();
  return `${u.pathname}${query ? `?${query}` : ""}`;
}

/** At most two cacheable pages render at once (the machine's cores); the others wait their turn off the loop. */
const renderGate = new RenderGate(2);

/**
 * Mark a route's successful HTML answers as cacheable for anonymous visitors, naming the query parameters it reads.
 * Any other parameter (or a declared one out of order or repeated) is redirected (302, not 301: a later version may
 * declare more) to the canonical URL, which is the only one ever rendered and stored.
 */
export function cacheable(...declared: string[]): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const url = new URL(c.req.url);
    if (!isCanonicalQuery(url.searchParams, declared)) {
      const canonical = canonicalQuery(url.searchParams, declared);
      return c.redirect(`${url.pathname}${canonical ? `?${canonical}` : ""}`, 302);
    }
    c.set("cacheable", true);
    await renderGate.run(next);
  };
}

/** The app-wide cache middleware over one store; mount early, after the dependencies are set. */
export function publicPageCache(cache: PageCache): MiddlewareHandler<AppEnv> {
  // Renders under way, by URL: a burst of requests for one page after a change waits for one render.
  const inFlight = new Map<string, { version: string; done: Promise<Entry | null> }>();

  const serve = async (entry: Entry, gzipOk: boolean, status: "hit" | "shared") => {
    // A cached answer is still a visit the route wanted to know of; what it does must never cost the page.
    try {
      entry.onServe?.();
    } catch {
      // ignored: see above
    }
    const headers = { "Content-Type": entry.contentType, Vary: "Accept-Encoding", "X-Cache": status };
    if (gzipOk)
      return new Response(new Uint8Array(entry.gzip), {
        status: 200,
        headers: { ...headers, "Content-Encoding": "gzip" },
      });
    return new Response(new Uint8Array(await gunzipAsync(entry.gzip)), { status: 200, headers });
  };

  return async (c, next) => {
    if (c.req.method !== "GET" || hasSessionCookie(c.req.header("cookie"))) return next();
    const { db, clock } = c.get("deps");
    const key = pageKey(c.req.url);
    const version = `${vnToday(clock())}|${await dataVersion(db)}`;
    const gzipOk = acceptsGzip(c.req.header("accept-encoding"));
    const hit = cache.get(key, version);
    if (hit) {
      cache.served.hit++;
      return serve(hit, gzipOk, "hit");
    }
    const pending = inFlight.get(key);
    if (pending && pending.version === version) {
      const shared = await pending.done;
      if (shared) {
        cache.served.shared++;
        return serve(shared, gzipOk, "shared");
      }
    }

    let settle: (e: Entry | null) => void = () => {};
    const mine = { version, done: new Promise<Entry | null>((resolve) => (settle = resolve)) };
    if (!pending) inFlight.set(key, mine);
    try {
      await next();
      const type = c.res.headers.get("content-type") ?? "";
      if (!c.get("cacheable")) return;
      // A cacheable page the cache could not answer: a miss, whether or not its answer can be kept.
      cache.served.miss++;
      if (c.res.status !== 200 || !type.startsWith("text/html")) return;
      const gzipped = await gzipAsync(Buffer.from(await c.res.clone().arrayBuffer()));
      const entry = cache.set(key, version, gzipped, type, c.get("onCacheServe"));
      settle(entry);
      c.res.headers.set("Vary", "Accept-Encoding");
      if (gzipOk) {
        c.res = new Response(new Uint8Array(entry.gzip), { status: 200, headers: c.res.headers });
        c.res.headers.set("Content-Encoding", "gzip");
        c.res.headers.delete("Content-Length");
      }
    } finally {
      settle(null);
      if (inFlight.get(key) === mine) inFlight.delete(key);
    }
  };
}
