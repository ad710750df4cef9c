/**
 * A response's body without the cost of a web Response's streams, and gzip without the thread pool's for a page:
 * what the gzip middleware (compress.ts) and the page cache's misses (page-cache.ts) share.
 */
import { promisify } from "node:util";
import { gzip, gzipSync } from "node:zlib";

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
 * zlib's level for a body compressed as it is answered (a page rendered per request, staff pages, JSON): on a plan
 * page of 38 KB, level 4 costs half the CPU of the default 6 (0.22 against 0.42 ms) for 4.5 % more bytes (8.1
 * against 7.7 KB). Pages the cache keeps are compressed once, harder (page-cache.ts `compressPage`).
 */
export const ON_THE_FLY_GZIP_LEVEL = 4;

/** A body gzipped: at once up to `GZIP_AT_ONCE_BYTES`, in zlib's thread pool beyond. */
export async function gzipBody(body: Buffer): Promise<Buffer> {
  const options = { level: ON_THE_FLY_GZIP_LEVEL };
  return body.byteLength <= GZIP_AT_ONCE_BYTES ? gzipSync(body, options) : gzipAsync(body, options);
}
