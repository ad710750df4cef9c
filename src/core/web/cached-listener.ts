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
  type Entry,
  hasSessionCookie,
  noteCachedServe,
  type PageCache,
  pageKey,
  pageView,
  pageViewNow,
  type WireAnswer,
  wireAnswer,
} from "./page-cache.ts";
import { forwardedClient, lastForwardedValue } from "./proxy.ts";

/** What the hot path needs; with `log` and `metrics`, its answers are logged and counted as the app's are. */
export type HotPathDeps = Pick<Deps, "db" | "clock" | "config"> & {
  log?: Pick<Logger, "info" | "isLevelEnabled">;
  metrics?: RequestMetrics;
};

export function cachedPagesFirst(cache: PageCache, deps: HotPathDeps, app: RequestListener): RequestListener {
  // As the app's security headers on a cached page (middleware.ts `isHttps`): HSTS when the portal's public address
  // is HTTPS, or when a trusted proxy says the client came over HTTPS (nginx's X-Forwarded-Proto). Listed once.
  const httpsAddress = deps.config.publicUrl?.startsWith("https://") ?? false;
  const secure = Object.entries(securityHeaderPairs(true)).flat();
  const plain = Object.entries(securityHeaderPairs(false)).flat();
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

  /** Send a hit's answer, count it (and what its route counts on a cached answer) and log it as the app would. */
  const reply = (
    req: IncomingMessage,
    res: ServerResponse,
    key: string,
    entry: Entry,
    answer: WireAnswer,
    started: number,
  ) => {
    noteCachedServe(entry);
    cache.served.hit++;
    const incoming = req.headers["x-request-id"];
    const id = requestIdOf(
      deps.config.trustProxy,
      req.socket.remoteAddress,
      Array.isArray(incoming) ? undefined : incoming,
    );
    res.writeHead(answer.status, securityOf(req).concat(answer.head, "X-Request-Id", id));
    res.end(answer.body ?? undefined);
    if (deps.log && deps.metrics)
      recordAnswer(deps.log, deps.metrics, {
        id,
        method: "GET",
        route: entry.route ?? UNMATCHED_ROUTE,
        status: answer.status,
        seconds: (performance.now() - started) / 1000,
        path: key,
      });
  };

  /** The rare hit that must wait: the version not known without asking, or a client taking neither coding. */
  const answerLater = async (req: IncomingMessage, res: ServerResponse, key: string, started: number) => {
    const entry = cache.get(key, await pageView(deps));
    if (!entry) return false;
    const request = { acceptEncoding: req.headers["accept-encoding"], ifNoneMatch: req.headers["if-none-match"] };
    const answer = await cachedAnswer(entry, request, "hit");
    const head = Object.entries(answer.headers).flat();
    if (answer.body) head.push("Content-Length", String(answer.body.byteLength));
    reply(req, res, key, entry, { status: answer.status, head, body: answer.body }, started);
    return true;
  };

  return (req, res) => {
    const key = cachedKey(req);
    if (key === null || !cache.has(key)) return app(req, res);
    const started = performance.now();
    // Nearly every hit: the version is known and the client takes a stored encoding, so nothing is awaited.
    const view = pageViewNow(deps);
    if (view !== null) {
      const entry = cache.get(key, view);
      if (!entry) return app(req, res);
      const answer = wireAnswer(entry, req.headers["accept-encoding"], req.headers["if-none-match"]);
      if (answer) return reply(req, res, key, entry, answer, started);
    }
    answerLater(req, res, key, started).then(
      (answered) => {
        if (!answered) app(req, res);
      },
      // The database could not say its version (lost, restarting): the app answers, with its own errors.
      () => app(req, res),
    );
  };
}

/** A path with nothing `new URL` would change: segments of unreserved characters, none starting with a dot. */
const PLAIN_PATH = /^(?:\/[\w~-][\w.~-]*)*\/?$/;

/** The cache key of a request the hot path may answer, or null (not a GET, a staff session, a malformed URL). */
function cachedKey(req: IncomingMessage): string | null {
  if (req.method !== "GET" || hasSessionCookie(req.headers.cookie)) return null;
  const url = req.url;
  // A path as browsers send it; anything else (`//host…`, absolute forms) is the app's to judge.
  if (!url?.startsWith("/") || url.startsWith("//")) return null;
  // Most hits (`/`, `/w/21439/thu-tuc`): the path is its own key, as `pageKey` would return it.
  if (PLAIN_PATH.test(url)) return url;
  try {
    return pageKey(url);
  } catch {
    return null;
  }
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
