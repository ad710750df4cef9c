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

/** A body gzipped: at once up to `GZIP_AT_ONCE_BYTES`, in zlib's thread pool beyond. */
export async function gzipBody(body: Buffer): Promise<Buffer> {
  return body.byteLength <= GZIP_AT_ONCE_BYTES ? gzipSync(body) : gzipAsync(body);
}
