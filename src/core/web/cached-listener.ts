/**
 * The page cache's hot path at the Node server, ahead of the framework: a GET of a stored public page by an
 * anonymous visitor is answered from the cache's bytes with one version check, without building a Request, running
 * the middleware chain or converting a Response back (more than half of a cached page's time in bench/news.ts).
 * Anything else — a miss, a stale entry, a staff session, another method — goes to the app unchanged, where the same
 * cache middleware (page-cache.ts) renders, stores and answers in exactly the same way (`cachedAnswer`), so the two
 * paths cannot disagree; tests that call the app directly exercise the second.
 */
import {
  createServer,
  type IncomingMessage,
  type RequestListener,
  type ServerOptions,
  type ServerResponse,
} from "node:http";
import type { AddressInfo } from "node:net";
import { serve } from "@hono/node-server";
import type { Logger } from "pino";
import type { RequestMetrics } from "../metrics.ts";
import type { Deps } from "./context.ts";
import { securityHeaderPairs } from "./middleware.ts";
import { recordAnswer, requestIdOf, UNMATCHED_ROUTE } from "./observe.ts";
import {
  cachedAnswer,
  cachedAnswerNow,
  type Entry,
  hasSessionCookie,
  noteCachedServe,
  type PageCache,
  type PageView,
  pageKey,
  pageView,
  pageViewNow,
} from "./page-cache.ts";
import { forwardedClient, lastForwardedValue } from "./proxy.ts";

/** What the hot path needs; with `log` and `metrics`, its answers are logged and counted as the app's are. */
export type HotPathDeps = Pick<Deps, "db" | "clock" | "config"> & {
  log?: Pick<Logger, "info" | "isLevelEnabled">;
  metrics?: RequestMetrics;
};

export function cachedPagesFirst(cache: PageCache, deps: HotPathDeps, app: RequestListener): RequestListener {
  // As the app's security headers on a cached page (middleware.ts `isHttps`): HSTS when the portal's public address
  // is HTTPS, or when a trusted proxy says the client came over HTTPS (nginx's X-Forwarded-Proto).
  const httpsAddress = deps.config.publicUrl?.startsWith("https://") ?? false;
  const secure = securityHeaderPairs(true);
  const plain = securityHeaderPairs(false);
  const securityOf = (req: IncomingMessage) => {
    if (httpsAddress) return secure;
    const proto = req.headers["x-forwarded-proto"];
    if (typeof proto !== "string" || lastForwardedValue(proto) !== "https") return plain;
    const forwardedFor = req.headers["x-forwarded-for"];
    const via = forwardedClient(
      deps.config.trustProxy,
      req.socket.remoteAddress,
      Array.isArray(forwardedFor) ? forwardedFor.join(",") : forwardedFor,
    );
    return via.peerIsProxy ? secure : plain;
  };
  return (req, res) => {
    const key = cachedKey(req);
    if (key === null || !cache.has(key)) return app(req, res);
    // Nearly every hit: the version is known and the client takes a stored encoding, so nothing is awaited.
    const view = pageViewNow(deps);
    if (view !== null && answerFromCache(key, view, true)) return;
    pageView(deps)
      .then((v) => answerFromCache(key, v, false))
      .then(
        (answered) => {
          if (!answered) app(req, res);
        },
        // The database could not say its version (lost, restarting): the app answers, with its own errors.
        () => app(req, res),
      );

    /** Answer from the cache: false when the entry is stale, or (`now`) when the answer would have to wait. */
    function answerFromCache(at: string, view: PageView, now: true): boolean;
    function answerFromCache(at: string, view: PageView, now: false): Promise<boolean>;
    function answerFromCache(at: string, view: PageView, now: boolean): boolean | Promise<boolean> {
      const started = performance.now();
      const request = { acceptEncoding: req.headers["accept-encoding"], ifNoneMatch: req.headers["if-none-match"] };
      if (now) {
        const entry = cache.get(at, view);
        const answer = entry && cachedAnswerNow(entry, request, "hit");
        if (!entry || !answer) return false;
        reply(at, entry, answer, started);
        return true;
      }
      const entry = cache.get(at, view);
      if (!entry) return Promise.resolve(false);
      return cachedAnswer(entry, request, "hit").then((answer) => {
        reply(at, entry, answer, started);
        return true;
      });
    }

    function reply(at: string, entry: Entry, answer: Awaited<ReturnType<typeof cachedAnswer>>, started: number) {
      noteCachedServe(entry);
      cache.served.hit++;
      const incoming = req.headers["x-request-id"];
      const id = requestIdOf(
        deps.config.trustProxy,
        req.socket.remoteAddress,
        Array.isArray(incoming) ? undefined : incoming,
      );
      send(res, answer.status, { ...securityOf(req), ...answer.headers, "X-Request-Id": id }, answer.body);
      if (deps.log && deps.metrics)
        recordAnswer(deps.log, deps.metrics, {
          id,
          method: "GET",
          route: entry.route ?? UNMATCHED_ROUTE,
          status: answer.status,
          seconds: (performance.now() - started) / 1000,
          path: at,
        });
    }
  };
}

/** The cache key of a request the hot path may answer, or null (not a GET, a staff session, a malformed URL). */
function cachedKey(req: IncomingMessage): string | null {
  if (req.method !== "GET" || hasSessionCookie(req.headers.cookie)) return null;
  // A path as browsers send it; anything else (`//host…`, absolute forms) is the app's to judge.
  if (!req.url?.startsWith("/") || req.url.startsWith("//")) return null;
  try {
    return pageKey(req.url);
  } catch {
    return null;
  }
}

function send(res: ServerResponse, status: number, headers: Record<string, string>, body: Buffer | null) {
  res.writeHead(status, body ? { ...headers, "Content-Length": String(body.byteLength) } : headers);
  res.end(body ?? undefined);
}

/**
 * The portal's HTTP server: @hono/node-server's, with the cache's hot path in front of the app. The one way the
 * server is started (src/main.ts, and the bench measuring it).
 */
export function servePortal(
  app: { fetch: (request: Request, env?: unknown) => Response | Promise<Response> },
  cache: PageCache,
  deps: HotPathDeps,
  listen: { port: number; hostname?: string },
  onListening?: (info: AddressInfo) => void,
) {
  return serve(
    {
      fetch: app.fetch,
      port: listen.port,
      hostname: listen.hostname,
      createServer: ((options: ServerOptions, listener: RequestListener) =>
        createServer(options, cachedPagesFirst(cache, deps, listener))) as typeof createServer,
    },
    onListening,
  );
}
