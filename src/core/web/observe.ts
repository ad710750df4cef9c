/**
 * Every request gets an id and leaves one JSON log line and its count in the metrics.
 *
 * - The id: a trusted proxy's `X-Request-Id` (nginx's `$request_id`) when it is a sane token, so the proxy's log and
 *   ours name a request alike; otherwise a new one. It is returned in `X-Request-Id`, carried by the request's log
 *   lines (`reqId`) and set as `requestId` for handlers.
 * - The log line (`info`, message "request"): method, route pattern, status, duration in ms, the ward's code when the
 *   request named one. Never the path as sent nor the query string: a path can hold a question's public id, a query
 *   a citizen's search words or a tracking code. Only what the router matched (`/hoi-dap/:publicId{…}`).
 */
import { randomFillSync } from "node:crypto";
import type { MiddlewareHandler } from "hono";
import { matchedRoutes } from "hono/route";
import type { Logger } from "pino";
import type { RequestMetrics } from "../metrics.ts";
import type { AppEnv } from "./context.ts";
import { forwardedClient, type TrustProxy } from "./proxy.ts";

/** What a request id may look like: a token of up to 128 letters, digits and `-_.:` (nginx: 32 hex digits). */
const SANE_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/** The incoming id when it is sane, else null. */
export function saneRequestId(value: string | undefined): string | null {
  return value !== undefined && SANE_ID.test(value) ? value : null;
}

/** Random bytes drawn ahead for request ids, refilled when spent: one system call per 256 ids, not one per request. */
const idPool = Buffer.alloc(16 * 256);
let idAt = idPool.length;

/** A new request id: 16 random bytes as 32 hex digits, the shape of nginx's `$request_id`. */
export function newRequestId(): string {
  if (idAt === idPool.length) {
    randomFillSync(idPool);
    idAt = 0;
  }
  idAt += 16;
  return idPool.toString("hex", idAt - 16, idAt);
}

/** The route label of a request no route matched (a 404): one series for every unknown URL. */
export const UNMATCHED_ROUTE = "(không khớp)";

type Matched = { method: string; path: string };

/**
 * The pattern of the route that answered: the handler the request reached, or — when a middleware answered in its
 * place (a cached page, a redirect to the canonical URL, a refused body) — the first route it would have reached.
 * Middleware (`app.use`, method ALL) is never the answer; nothing matched: UNMATCHED_ROUTE.
 */
export function routeLabel(matched: readonly Matched[], reached: number): string {
  const at = matched[reached];
  if (at && at.method !== "ALL") return at.path;
  const first = matched.find((r) => r.method !== "ALL");
  return first ? first.path : UNMATCHED_ROUTE;
}

/** A ward's code the request named in its path (`/w/21439/…`), when no ward was resolved (a cached page). */
const WARD_IN_PATH = /^\/w\/(\d{5})(?:\/|$)/;

/** The id of a request: the incoming one when the peer is a trusted proxy and it is sane, else a new one. */
export function requestIdOf(trust: TrustProxy, remote: string | undefined, incoming: string | undefined): string {
  if (incoming === undefined) return newRequestId();
  const fromProxy = forwardedClient(trust, remote, undefined).peerIsProxy;
  return (fromProxy ? saneRequestId(incoming) : null) ?? newRequestId();
}

export interface Answered {
  id: string;
  method: string;
  route: string;
  status: number;
  seconds: number;
  /** The ward's code when the request had one (else read from a `/w/{code}/` path). */
  ward?: string;
  /** The path as sent: read here for a ward's code, never logged. */
  path: string;
}

/** Count an answered request and write its one log line (both paths: the app's middleware, the cache's hot path). */
export function recordAnswer(log: Pick<Logger, "info" | "isLevelEnabled">, metrics: RequestMetrics, a: Answered) {
  metrics.observe(a.method, a.route, a.status, a.seconds);
  if (!log.isLevelEnabled("info")) return;
  const ward = a.ward ?? WARD_IN_PATH.exec(a.path)?.[1];
  log.info(
    {
      reqId: a.id,
      method: a.method,
      route: a.route,
      status: a.status,
      ms: Math.round(a.seconds * 1000),
      ...(ward ? { ward } : {}),
    },
    "request",
  );
}

export function observeRequests(
  metrics: RequestMetrics,
  remote: (c: import("hono").Context<AppEnv>) => string | undefined,
): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const started = performance.now();
    const { config, log } = c.get("deps");
    const id = requestIdOf(config.trustProxy, remote(c), c.req.header("x-request-id"));
    c.set("requestId", id);
    try {
      await next();
    } finally {
      // After next(): the answer is set (onError has run for a throwing handler).
      try {
        c.res.headers.set("X-Request-Id", id);
      } catch {
        // An answer with immutable headers (Response.redirect, a fetched one): the same answer, headers copied.
        c.res = new Response(c.res.body, c.res);
        c.res.headers.set("X-Request-Id", id);
      }
      recordAnswer(log, metrics, {
        id,
        method: c.req.method,
        route: routeLabel(matchedRoutes(c), c.req.routeIndex),
        status: c.res.status,
        seconds: (performance.now() - started) / 1000,
        ward: c.get("ward")?.unit.code,
        path: c.req.path,
      });
    }
  };
}
