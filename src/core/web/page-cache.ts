/**
 * Public pages cached as rendered HTML, for anonymous visitors only. Routes opt in with `cacheable`; one cache per
 * app answers before any other work (ward lookup, session, rendering). An entry is served only while the
 * database's data version and the date in Vietnam are what they were when it was rendered, so any write — by
 * this server, the CLI or another server on the same database — and the turn of a day (versions of procedures
 * take effect on dates) invalidate it. Each entry is also kept gzipped (compressed once, when rendered): the
 * catalogue of a ward is ~130 KB of HTML and ~15 KB gzipped, which is what a cheap phone on a slow network feels.
 */
import { gzipSync } from "node:zlib";
import type { MiddlewareHandler } from "hono";
import { dataVersion } from "../db/data-version.ts";
import { vnToday } from "../text/vi.ts";
import type { AppEnv } from "./context.ts";

interface Entry {
  version: string;
  body: string;
  gzip: Buffer;
  contentType: string;
}

const MAX_ENTRIES = 1000;
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

/** Mark a route's successful HTML answers as cacheable for anonymous visitors. */
export const cacheable: MiddlewareHandler<AppEnv> = async (c, next) => {
  c.set("cacheable", true);
  await next();
};

/** The app-wide cache; mount early, after the dependencies are set. */
export function publicPageCache(): MiddlewareHandler<AppEnv> {
  const entries = new Map<string, Entry>();
  return async (c, next) => {
    if (c.req.method !== "GET" || hasSessionCookie(c.req.header("cookie"))) return next();
    const { db, clock } = c.get("deps");
    const key = c.req.url;
    const version = `${vnToday(clock())}|${await dataVersion(db)}`;
    const hit = entries.get(key);
    const gzip = acceptsGzip(c.req.header("accept-encoding"));
    if (hit && hit.version === version) {
      // Refresh its place in the LRU order.
      entries.delete(key);
      entries.set(key, hit);
      c.header("Vary", "Accept-Encoding");
      if (gzip)
        return c.body(new Uint8Array(hit.gzip), 200, {
          "Content-Type": hit.contentType,
          "Content-Encoding": "gzip",
          "X-Cache": "hit",
        });
      return c.body(hit.body, 200, { "Content-Type": hit.contentType, "X-Cache": "hit" });
    }
    await next();
    const type = c.res.headers.get("content-type") ?? "";
    if (!c.get("cacheable") || c.res.status !== 200 || !type.startsWith("text/html")) return;
    const body = await c.res.clone().text();
    const entry = { version, body, gzip: gzipSync(body), contentType: type };
    entries.set(key, entry);
    if (entries.size > MAX_ENTRIES) entries.delete(entries.keys().next().value as string);
    c.res.headers.set("Vary", "Accept-Encoding");
    if (gzip) {
      c.res = new Response(new Uint8Array(entry.gzip), { status: 200, headers: c.res.headers });
      c.res.headers.set("Content-Encoding", "gzip");
      c.res.headers.delete("Content-Length");
    }
  };
}
