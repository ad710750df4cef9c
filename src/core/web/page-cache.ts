/**
 * Public pages cached as rendered HTML, for anonymous visitors only. Routes opt in with `cacheable(...)`, naming the
 * query parameters they read; one cache per app answers before any other work (ward lookup, session, rendering). An
 * entry is served only while nothing it shows has changed since its render began — a write to its ward's units
 * (the ward, its predecessors, its province) or to shared data, as db/changes.ts learns them (at once for this
 * process, by LISTEN/NOTIFY for others on PostgreSQL) — and the date in Vietnam is the one it was rendered on
 * (versions of procedures take effect on dates). A write in one ward never evicts another ward's pages.
 *
 * Bounded in bytes, not in entries: the notice board is megabytes of HTML and the search page a few kilobytes, so a
 * count says nothing about memory (1,100 board URLs once took the process past 3.9 GB). Entries are kept compressed
 * only, gzip and brotli, each made once off the event loop when the page is rendered (never per hit): what a phone on
 * a slow network needs, and about a tenth of the memory; a client taking neither gets the page unzipped on demand.
 * Each entry carries a weak ETag of its HTML, and every cached page goes out with `Cache-Control: no-cache`: a
 * browser or the proxy may keep it but asks again each time, and a page that has not changed costs a 304 — erased or
 * withdrawn content never survives in anybody's cache. The hot path for a hit does not go through the framework at
 * all: `cachedPagesFirst` (cached-listener.ts) answers it at the Node server, with the same answer as here
 * (`wireAnswer`: `cachedAnswerNow`'s headers, listed once per entry). Only canonical URLs are ever stored: `cacheable` redirects a URL carrying anything but the declared
 * parameters (in their declared order) to the canonical one, so `?x=1…1100` costs a redirect, not a render.
 * A route may leave a callback (`c.set("onCacheServe", …)`) that runs, synchronously and cheaply, each time the cache
 * answers for its page: the site search counts a cached results page as a search.
 */
import { createHash } from "node:crypto";
import { promisify } from "node:util";
import { brotliCompress, gunzip, gzip, constants as zlibConstants } from "node:zlib";
import type { MiddlewareHandler } from "hono";
import { matchedRoutes } from "hono/route";
import { type Changes, currentChanges, currentChangesNow } from "../db/changes.ts";
import { vnToday } from "../text/vi.ts";
import type { AppEnv, Deps, Ward } from "./context.ts";
import { routeLabel } from "./observe.ts";
import { RenderGate } from "./render-gate.ts";
import { bodyAsGiven, gzipBody, replaceResponse } from "./response-body.ts";

const gzipAsync = promisify(gzip);
const gunzipAsync = promisify(gunzip);
const brotliAsync = promisify(brotliCompress);

/** Brotli's quality for stored pages: near its best ratio for HTML at a few milliseconds per page (11 costs ~10×). */
const BROTLI_QUALITY = 8;

export interface Entry {
  /** The day in Vietnam it was rendered on (versions of procedures take effect on dates). */
  day: string;
  /** The change clock when its rendering began (db/changes.ts): fresh while nothing it shows changed since. */
  at: number;
  /** The administrative units whose data it shows (its ward, predecessors, province); null: it may show any. */
  units: readonly number[] | null;
  gzip: Buffer;
  brotli: Buffer;
  /** A weak validator of the page's HTML: the same bytes rendered again (after an unrelated write) answer 304. */
  etag: string;
  contentType: string;
  /** What the entry costs, in bytes: the compressed page, its key and the bookkeeping. */
  size: number;
  /** What the route asked to run each time the cache answers in its place (the search log counts a search). */
  onServe?: () => void;
  /** The pattern of the route that rendered it: the label of its hits in the log and the metrics (observe.ts). */
  route?: string;
  /** Its answers as the server's hot path sends them, headers listed once for every hit (`wireAnswer`). */
  wire?: WireAnswers;
}

/** Map and object overhead of one entry, beyond its strings and buffer (measured order of magnitude). */
const ENTRY_OVERHEAD = 256;

/** A least-recently-used store of gzipped pages whose total size never exceeds `maxBytes`. */
export class PageCache {
  private readonly entries = new Map<string, Entry>();
  private total = 0;
  /** The most recently used key: a hit on it leaves the LRU order as it is (no delete and insert per hit). */
  private newest: string | undefined;
  /** Answers since start (for /metrics): from a stored page, from another request's render, rendered here. */
  readonly served = { hit: 0, shared: 0, miss: 0 };

  constructor(readonly maxBytes: number) {}

  /** The entry for a URL if nothing it shows changed since it was rendered, refreshed in the LRU order. */
  get(key: string, view: PageView): Entry | undefined {
    const hit = this.entries.get(key);
    if (!hit) return undefined;
    if (!isFresh(hit, view)) {
      this.remove(key);
      return undefined;
    }
    if (key !== this.newest) {
      this.entries.delete(key);
      this.entries.set(key, hit);
      this.newest = key;
    }
    return hit;
  }

  /** Store a page; the least recently used go until it fits. A page over a quarter of the cap is not kept. */
  set(
    key: string,
    rendered: Pick<Entry, "day" | "at" | "units">,
    page: CompressedPage,
    contentType: string,
    onServe?: () => void,
    route?: string,
  ): Entry {
    const entry: Entry = {
      day: rendered.day,
      at: rendered.at,
      units: rendered.units,
      ...page,
      contentType,
      onServe,
      route,
      size:
        page.gzip.byteLength +
        page.brotli.byteLength +
        2 * (key.length + rendered.day.length + contentType.length + page.etag.length) +
        8 * (rendered.units?.length ?? 0) +
        ENTRY_OVERHEAD,
    };
    this.remove(key);
    // One huge page must not flush everything else.
    if (entry.size > this.maxBytes / 4) return entry;
    while (this.total + entry.size > this.maxBytes && this.entries.size > 0)
      this.remove(this.entries.keys().next().value as string);
    this.entries.set(key, entry);
    this.newest = key;
    this.total += entry.size;
    return entry;
  }

  /**
   * Whether a page of this many bytes of HTML could be kept at all. False when the cache is off (PAGE_CACHE_MB=0),
   * or for a page so large that even compressed tenfold it would pass the quarter of the cap `set` refuses.
   */
  mayKeep(htmlBytes: number): boolean {
    return this.maxBytes > 0 && htmlBytes / 10 <= this.maxBytes / 4;
  }

  /** Whether a URL has an entry at all (of any version): the server's hot path asks before doing any work. */
  has(key: string): boolean {
    return this.entries.has(key);
  }

  /** Entries held and the bytes they cost. */
  stats(): { entries: number; bytes: number; maxBytes: number } {
    return { entries: this.entries.size, bytes: this.total, maxBytes: this.maxBytes };
  }

  private remove(key: string) {
    const old = this.entries.get(key);
    if (!old) return;
    if (key === this.newest) this.newest = undefined;
    this.entries.delete(key);
    this.total -= old.size;
  }
}

/** A page's bodies as stored: compressed both ways, with its validator. */
export interface CompressedPage {
  gzip: Buffer;
  brotli: Buffer;
  etag: string;
}

/** Compress a rendered page once, both ways, in zlib's thread pool. */
export async function compressPage(html: Buffer): Promise<CompressedPage> {
  const [gzipped, brotli] = await Promise.all([
    gzipAsync(html),
    brotliAsync(html, {
      params: {
        [zlibConstants.BROTLI_PARAM_QUALITY]: BROTLI_QUALITY,
        [zlibConstants.BROTLI_PARAM_MODE]: zlibConstants.BROTLI_MODE_TEXT,
        [zlibConstants.BROTLI_PARAM_SIZE_HINT]: html.byteLength,
      },
    }),
  ]);
  return { gzip: gzipped, brotli, etag: etagOf(html) };
}

/** A page's weak validator: a digest of its HTML, the same however it is encoded. */
const etagOf = (html: Buffer) => `W/"${createHash("sha256").update(html).digest("base64url").slice(0, 27)}"`;

/**
 * Whether the client takes this content coding (`Accept-Encoding: gzip, deflate, br`); `gzip;q=0` refuses it, `*`
 * stands for any coding not named.
 */
export function acceptsEncoding(header: string | undefined, coding: "gzip" | "br"): boolean {
  if (!header) return false;
  let star: boolean | null = null;
  for (const part of header.toLowerCase().split(",")) {
    const [name, ...params] = part.trim().split(";");
    if (name !== coding && name !== "*") continue;
    const q = params.map((p) => p.trim()).find((p) => p.startsWith("q="));
    const ok = !q || Number(q.slice(2)) > 0;
    if (name === coding) return ok;
    star = ok;
  }
  return star ?? false;
}

/** Whether the client takes gzip (`Accept-Encoding: gzip, deflate, br`; a `gzip;q=0` refuses it). */
export const acceptsGzip = (header: string | undefined) => acceptsEncoding(header, "gzip");

/** Whether a request carries a staff session (a cached page is for anonymous visitors only). */
export const hasSessionCookie = (cookie: string | undefined) =>
  !!cookie && /(?:^|;\s*)(?:__Host-)?cchc_sid=/.test(cookie);

/** Whether `If-None-Match` names this validator (weak comparison, as RFC 9110 asks for GET). */
export function matchesEtag(ifNoneMatch: string | undefined, etag: string): boolean {
  if (!ifNoneMatch) return false;
  if (ifNoneMatch.trim() === "*") return true;
  const bare = (tag: string) => tag.trim().replace(/^W\//, "");
  const mine = bare(etag);
  return ifNoneMatch.split(",").some((tag) => bare(tag) === mine);
}

/** The headers every answer of a cached page carries, whichever way it is sent. */
export const CACHED_PAGE_HEADERS = { "Cache-Control": "no-cache", Vary: "Accept-Encoding, Cookie" } as const;

/** How the cache answers a request for a stored page: what the client can take, or 304 when it holds this page. */
export async function cachedAnswer(
  entry: Entry,
  request: CachedRequest,
  status: "hit" | "shared",
): Promise<CachedPageAnswer> {
  const now = cachedAnswerNow(entry, request, status);
  if (now) return now;
  const headers = { ...CACHED_PAGE_HEADERS, ETag: entry.etag, "X-Cache": status, "Content-Type": entry.contentType };
  return { status: 200, headers, body: await gunzipAsync(entry.gzip) };
}

type CachedRequest = { acceptEncoding: string | undefined; ifNoneMatch: string | undefined };
type CachedPageAnswer = { status: 200 | 304; headers: Record<string, string>; body: Buffer | null };

/**
 * `cachedAnswer` without waiting, for every client but one taking neither brotli nor gzip (null: the page must be
 * unzipped first). The server's hot path answers nearly every hit through it without a promise.
 */
export function cachedAnswerNow(
  entry: Entry,
  request: CachedRequest,
  status: "hit" | "shared",
): CachedPageAnswer | null {
  const headers: Record<string, string> = { ...CACHED_PAGE_HEADERS, ETag: entry.etag, "X-Cache": status };
  if (matchesEtag(request.ifNoneMatch, entry.etag)) return { status: 304, headers, body: null };
  headers["Content-Type"] = entry.contentType;
  if (acceptsEncoding(request.acceptEncoding, "br"))
    return { status: 200, headers: { ...headers, "Content-Encoding": "br" }, body: entry.brotli };
  if (acceptsEncoding(request.acceptEncoding, "gzip"))
    return { status: 200, headers: { ...headers, "Content-Encoding": "gzip" }, body: entry.gzip };
  return null;
}

/** A hit as the server's hot path sends it: the status, the headers as a flat list (name, value, …), the body. */
export interface WireAnswer {
  status: 200 | 304;
  head: readonly string[];
  body: Buffer | null;
}

/** An entry's three answers the hot path gives without waiting: brotli, gzip, and 304 for a client holding it. */
export interface WireAnswers {
  br: WireAnswer;
  gzip: WireAnswer;
  notModified: WireAnswer;
}

/**
 * The entry's answers with their headers built once (the same headers, in the same order, as `cachedAnswerNow`
 * gives, with the body's length): a hit then only adds the security headers and its request id.
 */
function wireAnswers(entry: Entry): WireAnswers {
  const common = [
    "Cache-Control",
    CACHED_PAGE_HEADERS["Cache-Control"],
    "Vary",
    CACHED_PAGE_HEADERS.Vary,
    "ETag",
    entry.etag,
    "X-Cache",
    "hit",
  ];
  const full = (coding: "br" | "gzip", body: Buffer): WireAnswer => ({
    status: 200,
    head: [
      ...common,
      "Content-Type",
      entry.contentType,
      "Content-Encoding",
      coding,
      "Content-Length",
      String(body.byteLength),
    ],
    body,
  });
  return {
    br: full("br", entry.brotli),
    gzip: full("gzip", entry.gzip),
    notModified: { status: 304, head: common, body: null },
  };
}

/** The stored coding a client's `Accept-Encoding` takes first (brotli, then gzip), or null for neither. */
function storedCoding(header: string): "br" | "gzip" | null {
  return acceptsEncoding(header, "br") ? "br" : acceptsEncoding(header, "gzip") ? "gzip" : null;
}

/** `storedCoding` by header value: browsers send a handful of distinct values, each parsed once (at most 64 kept). */
const codingOf = new Map<string, "br" | "gzip" | null>();

/**
 * `cachedAnswerNow` for the server's hot path (a hit): the same answer, from headers built once per entry, or null
 * when the client takes neither stored coding (the page must be unzipped first: `cachedAnswer`).
 */
export function wireAnswer(
  entry: Entry,
  acceptEncoding: string | undefined,
  ifNoneMatch: string | undefined,
): WireAnswer | null {
  entry.wire ??= wireAnswers(entry);
  if (ifNoneMatch !== undefined && matchesEtag(ifNoneMatch, entry.etag)) return entry.wire.notModified;
  if (!acceptEncoding) return null;
  let coding = codingOf.get(acceptEncoding);
  if (coding === undefined) {
    coding = storedCoding(acceptEncoding);
    if (codingOf.size >= 64) codingOf.clear();
    codingOf.set(acceptEncoding, coding);
  }
  return coding === null ? null : entry.wire[coding];
}

/**
 * The answer for a page the cache will not keep: one encoding, the one this client prefers (gzip before brotli: at
 * the quality kept pages use, brotli costs several times gzip's time for a page made once), with the same validator
 * and headers a kept page has, or 304 when the client holds this page. Compressing both ways is worth it only for a
 * page that will be sent again.
 */
export async function directAnswer(
  html: Buffer,
  contentType: string,
  request: CachedRequest,
): Promise<CachedPageAnswer> {
  const etag = etagOf(html);
  const headers: Record<string, string> = { ...CACHED_PAGE_HEADERS, ETag: etag, "X-Cache": "miss" };
  if (matchesEtag(request.ifNoneMatch, etag)) return { status: 304, headers, body: null };
  headers["Content-Type"] = contentType;
  if (acceptsEncoding(request.acceptEncoding, "gzip"))
    return { status: 200, headers: { ...headers, "Content-Encoding": "gzip" }, body: await gzipBody(html) };
  if (acceptsEncoding(request.acceptEncoding, "br"))
    return { status: 200, headers: { ...headers, "Content-Encoding": "br" }, body: await brotliAsync(html) };
  return { status: 200, headers, body: html };
}

/** What a cached page is checked against: the day in Vietnam and the database's changes as this process knows them. */
export interface PageView {
  day: string;
  changes: Changes;
}

/** Whether an entry still shows what a render would show now. */
export function isFresh(entry: Pick<Entry, "day" | "at" | "units">, view: PageView): boolean {
  return entry.day === view.day && view.changes.unchangedSince(entry.at, entry.units);
}

/** The units a ward's pages show: the ward, its predecessors and its province; null (any) for a province's own. */
export function unitsOfWard(ward: Ward | undefined): number[] | null {
  if (!ward?.province) return null;
  return [...ward.scopeIds, ward.province.id];
}

/** The view a cached page is checked against, asking the database only when the changes may not be known. */
export async function pageView(deps: Pick<Deps, "db" | "clock">): Promise<PageView> {
  return { day: vnToday(deps.clock()), changes: await currentChanges(deps.db) };
}

/** `pageView` when it is known without asking the database (db/changes.ts `currentChangesNow`), else null. */
export function pageViewNow(deps: Pick<Deps, "db" | "clock">): PageView | null {
  const changes = currentChangesNow(deps.db);
  return changes === null ? null : { day: dayOf(deps.clock()), changes };
}

/** The last minute asked and its day in Vietnam (UTC+7: a day always begins on a whole minute). */
let lastMinute = Number.NaN;
let lastDay = "";

/** `vnToday`, worked out once a minute rather than for every hit (exported for its test). */
export function dayOf(now: Date): string {
  const minute = Math.floor(now.getTime() / 60_000);
  if (minute !== lastMinute) {
    lastDay = vnToday(now);
    lastMinute = minute;
  }
  return lastDay;
}

/** Run what a route asked to run when the cache answers for its page; it must never cost the page. */
export function noteCachedServe(entry: Entry) {
  try {
    entry.onServe?.();
  } catch {
    // ignored: see above
  }
}

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
  // A request line's path (`/thu-tuc?q=…`) or a whole URL: the base only completes the first.
  const u = new URL(url, "http://page.invalid");
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
  const inFlight = new Map<string, Promise<Entry | null>>();

  const serve = async (entry: Entry, request: Request, status: "hit" | "shared") => {
    // A cached answer is still a visit the route wanted to know of.
    noteCachedServe(entry);
    cache.served[status]++;
    const answer = await cachedAnswer(entry, conditions(request), status);
    return new Response(answer.body ? new Uint8Array(answer.body) : null, answer);
  };
  const conditions = (request: Request) => ({
    acceptEncoding: request.headers.get("accept-encoding") ?? undefined,
    ifNoneMatch: request.headers.get("if-none-match") ?? undefined,
  });

  return async (c, next) => {
    if (c.req.method !== "GET" || hasSessionCookie(c.req.header("cookie"))) return next();
    const key = pageKey(c.req.url);
    const view = await pageView(c.get("deps"));
    // Stamped before anything is read: a change landing during the render leaves this page stale, never wrong.
    const at = view.changes.stamp();
    const request = c.req.raw;
    const hit = cache.get(key, view);
    if (hit) return serve(hit, request, "hit");
    const pending = inFlight.get(key);
    if (pending) {
      const shared = await pending;
      // The other render is used only if it is as fresh as a stored page would have to be.
      if (shared && isFresh(shared, await pageView(c.get("deps")))) return serve(shared, request, "shared");
    }

    let settle: (e: Entry | null) => void = () => {};
    const mine = new Promise<Entry | null>((resolve) => (settle = resolve));
    if (!pending) inFlight.set(key, mine);
    try {
      await next();
      const type = c.res.headers.get("content-type") ?? "";
      if (!c.get("cacheable")) return;
      // A cacheable page the cache could not answer: a miss, whether or not its answer can be kept.
      cache.served.miss++;
      if (c.res.status !== 200 || !type.startsWith("text/html")) return;
      // The body as the route gave it when the server's lightweight Response holds it, else a copy of its stream.
      const given = bodyAsGiven(c.res);
      const html = given === null ? Buffer.from(await c.res.clone().arrayBuffer()) : Buffer.from(given);
      if (!cache.mayKeep(html.byteLength)) {
        const answer = await directAnswer(html, type, conditions(request));
        replaceResponse(c, new Response(answer.body ? new Uint8Array(answer.body) : null, answer));
        return;
      }
      const page = await compressPage(html);
      const route = routeLabel(matchedRoutes(c), c.req.routeIndex);
      const rendered = { day: view.day, at, units: unitsOfWard(c.get("ward")) };
      const entry = cache.set(key, rendered, page, type, c.get("onCacheServe"), route);
      settle(entry);
      // The first answer is the stored one, so it validates and is encoded as every later hit will be.
      const answer = await cachedAnswer(entry, conditions(request), "hit");
      answer.headers["X-Cache"] = "miss";
      replaceResponse(c, new Response(answer.body ? new Uint8Array(answer.body) : null, answer));
    } finally {
      settle(null);
      if (inFlight.get(key) === mine) inFlight.delete(key);
    }
  };
}
