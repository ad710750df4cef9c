/**
 * A response's body without the cost of a web Response's streams, and gzip without the thread pool's for a page:
 * what the gzip middleware (compress.ts) and the page cache's misses (page-cache.ts) share.
 */

import { promisify } from "node:util";
import { gzip, gzipSync } from "node:zlib";
import type { Context } from "hono";

const gzipAsync = promisify(gzip);

/**
 * The body a response was made with, when @hono/node-server's lightweight Response holds it as given (a string or
 * bytes, under its "cache" symbol): read from there, the response is never turned into a full web Response, whose
 * streams cost more CPU than the gzip itself on a small page. Null for any other response (read it the usual way).
 */
export function bodyAsGiven(res: Response): string | Uint8Array | null {
  const key = Object.getOwnPropertySymbols(res).find((s) => s.description === "cache");
  const held = key ? (res as unknown as Record<symbol, unknown>)[key] : undefined;
  if (!Array.isArray(held)) return null;
  const body = held[1];
  return typeof body === "string" || body instanceof Uint8Array ? body : null;
}

/** Up to this size a body is gzipped at once on the event loop (≈ 0.2 ms for 60 KB): cheaper than zlib's thread pool. */
export const GZIP_AT_ONCE_BYTES = 128 * 1024;

/**
 * zlib's level for a body compressed as it is answered (a page rendered per request, staff pages, JSON). Level 3 is
 * the last of zlib's fast strategy: on a plan page of 38 KB it costs 0.11 ms against 0.20 at level 4 and 0.40 at the
 * default 6, for 6 % more bytes than level 4 (8.6 against 8.1 KB; 7.7 at level 6). A page rendered per request is
 * rendered for one visitor; pages the cache keeps are compressed once, harder (page-cache.ts `compressPage`).
 */
export const ON_THE_FLY_GZIP_LEVEL = 3;

/** A body gzipped: at once up to `GZIP_AT_ONCE_BYTES`, in zlib's thread pool beyond. */
export async function gzipBody(body: Buffer): Promise<Buffer> {
  const options = { level: ON_THE_FLY_GZIP_LEVEL };
  return body.byteLength <= GZIP_AT_ONCE_BYTES ? gzipSync(body, options) : gzipAsync(body, options);
}

/**
 * Answer with `next` instead of the response a handler set, as `c.res = next` would, but without the web streams:
 * Hono's setter rebuilds the new response from its `body` (turning @hono/node-server's lightweight Response, which
 * holds bytes as given, into a full one whose stream the server then reads chunk by chunk: a tenth of a rendered
 * page's CPU). The headers are merged exactly as the setter merges them: each header of the replaced response but
 * its Content-Type overrides the new one's, Set-Cookie appended whole.
 */
export function replaceResponse(c: Context, next: Response): void {
  const replaced = c.res;
  for (const [name, value] of replaced.headers) {
    if (name === "content-type" || name === "set-cookie") continue;
    next.headers.set(name, value);
  }
  const cookies = replaced.headers.getSetCookie();
  if (cookies.length) {
    next.headers.delete("set-cookie");
    for (const cookie of cookies) next.headers.append("set-cookie", cookie);
  }
  // Unset first: the setter merges (through the body stream) only when a response is already there.
  c.res = undefined;
  c.res = next;
}
