/**
 * Static assets (stylesheets) under content-hashed URLs: `/static/site.3f9a1c0b2d4e.css` never changes, so browsers
 * keep it a year without asking again (`immutable`), and a new version is a new URL. The plain URL still answers
 * (cached briefly: pages cached elsewhere may name it), and an old hashed URL is sent on to the current one.
 * Each asset is gzipped once, at start.
 */
import { createHash } from "node:crypto";
import { gzipSync } from "node:zlib";
import type { MiddlewareHandler } from "hono";
import { acceptsGzip } from "./page-cache.ts";

export const CSS_TYPE = "text/css; charset=utf-8";
const YEAR_S = 365 * 24 * 3600;
const HASH_CHARS = 12;

export interface StaticAsset {
  /** The plain URL, e.g. `/static/site.css`. */
  path: string;
  /** The content-hashed URL pages link to, e.g. `/static/site.3f9a1c0b2d4e.css`. */
  href: string;
  type: string;
  body: Buffer;
  gzip: Buffer;
  etag: string;
}

/** An asset served at `path` and at its content-hashed form (the hash goes before the extension). */
export function staticAsset(path: string, type: string, content: string | Buffer): StaticAsset {
  const body = Buffer.from(content);
  const hash = createHash("sha256").update(body).digest("hex").slice(0, HASH_CHARS);
  const dot = path.lastIndexOf(".");
  return {
    path,
    href: `${path.slice(0, dot)}.${hash}${path.slice(dot)}`,
    type,
    body,
    gzip: gzipSync(body, { level: 9 }),
    etag: `"${hash}"`,
  };
}

/** Serve the given assets at their plain and hashed URLs; any other request passes on. */
export function serveStaticAssets(assets: readonly StaticAsset[]): MiddlewareHandler {
  const byUrl = new Map<string, { asset: StaticAsset; hashed: boolean }>();
  for (const asset of assets) {
    byUrl.set(asset.path, { asset, hashed: false });
    byUrl.set(asset.href, { asset, hashed: true });
  }
  const stale = new RegExp(`^(.+)\\.[0-9a-f]{${HASH_CHARS}}(\\.[a-z]+)$`);
  return async (c, next) => {
    if (c.req.method !== "GET" && c.req.method !== "HEAD") return next();
    const found = byUrl.get(c.req.path);
    if (!found) {
      // A page rendered before a new release names the old hash: send it to the current one.
      const m = stale.exec(c.req.path);
      const current = m ? byUrl.get(`${m[1]}${m[2]}`) : undefined;
      return current ? c.redirect(current.asset.href, 302) : next();
    }
    const { asset, hashed } = found;
    const headers: Record<string, string> = {
      "Content-Type": asset.type,
      "Cache-Control": hashed ? `public, max-age=${YEAR_S}, immutable` : "public, max-age=300",
      ETag: asset.etag,
      Vary: "Accept-Encoding",
    };
    if (c.req.header("if-none-match") === asset.etag) return c.body(null, 304, headers);
    if (acceptsGzip(c.req.header("accept-encoding")) && asset.gzip.byteLength < asset.body.byteLength)
      return c.body(new Uint8Array(asset.gzip), 200, { ...headers, "Content-Encoding": "gzip" });
    return c.body(new Uint8Array(asset.body), 200, headers);
  };
}
