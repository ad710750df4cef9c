/**
 * Public pages cached as rendered HTML, for anonymous visitors only. Each entry remembers the database's data
 * version when it was rendered and is served only while that version is unchanged, so any write — by this
 * server, the CLI or another server on the same database — invalidates every cached page at once.
 */
import type { MiddlewareHandler } from "hono";
import { getCookie } from "hono/cookie";
import { dataVersion } from "../db/data-version.ts";
import type { AppEnv } from "./context.ts";

interface Entry {
  version: string;
  body: string;
  contentType: string;
}

const MAX_ENTRIES = 500;

export function pageCache(): MiddlewareHandler<AppEnv> {
  const entries = new Map<string, Entry>();
  return async (c, next) => {
    if (c.req.method !== "GET" || getCookie(c, "cchc_sid") || getCookie(c, "__Host-cchc_sid")) return next();
    const { db } = c.get("deps");
    const key = c.req.url;
    const version = await dataVersion(db);
    const hit = entries.get(key);
    if (hit && hit.version === version) {
      // Refresh its place in the LRU order.
      entries.delete(key);
      entries.set(key, hit);
      c.header("X-Cache", "hit");
      return c.body(hit.body, 200, { "Content-Type": hit.contentType });
    }
    await next();
    const type = c.res.headers.get("content-type") ?? "";
    if (c.res.status !== 200 || !type.startsWith("text/html")) return;
    const body = await c.res.clone().text();
    entries.set(key, { version, body, contentType: type });
    if (entries.size > MAX_ENTRIES) entries.delete(entries.keys().next().value as string);
  };
}
