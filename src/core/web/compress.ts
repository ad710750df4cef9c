/**
 * Every text answer over about a kilobyte goes gzipped to a client that takes gzip: pages rendered for staff or on a
 * cache miss, stylesheets, the OpenAPI document (35 KB of JSON, 5 KB gzipped), API answers. Compression runs in
 * zlib's thread pool, not on the event loop. Answers already encoded (cached pages, static assets) pass as they are;
 * `Vary: Accept-Encoding` tells shared caches that the answer depends on that header.
 */
import type { MiddlewareHandler } from "hono";
import { acceptsGzip } from "./page-cache.ts";
import { bodyAsGiven, gzipBody, replaceResponse } from "./response-body.ts";

/** Below this, gzip's header and the CPU cost outweigh the bytes saved. */
export const COMPRESS_MIN_BYTES = 1024;

const TEXT_TYPE = /^(?:text\/|application\/(?:json|javascript|xml|[\w.+-]+\+(?:json|xml))|image\/svg\+xml)/i;

/** Append `Accept-Encoding` to a response's Vary header, once. */
export function varyOnEncoding(headers: Headers) {
  const vary = headers.get("vary");
  if (vary === "*" || (vary && /(?:^|,)\s*accept-encoding\s*(?:,|$)/i.test(vary))) return;
  headers.set("Vary", vary ? `${vary}, Accept-Encoding` : "Accept-Encoding");
}

export function compressText(minBytes = COMPRESS_MIN_BYTES): MiddlewareHandler {
  return async (c, next) => {
    await next();
    const res = c.res;
    const given = bodyAsGiven(res);
    if ((given === null && !res.body) || !TEXT_TYPE.test(res.headers.get("content-type") ?? "")) return;
    if (res.headers.has("content-encoding") || res.status === 206) return;
    if (/(?:^|,)\s*no-transform\s*(?:,|$)/i.test(res.headers.get("cache-control") ?? "")) return;
    varyOnEncoding(res.headers);
    if (c.req.method === "HEAD" || !acceptsGzip(c.req.header("accept-encoding"))) return;
    const length = res.headers.get("content-length");
    if (length && Number(length) < minBytes) return;
    // Text answers here are built in memory; reading one whole costs nothing new.
    const body = given === null ? Buffer.from(await res.arrayBuffer()) : Buffer.from(given);
    const init = { status: res.status, headers: res.headers };
    if (body.byteLength < minBytes) {
      // A body read from the stream is gone from the response: answer it again; one held as given is still there.
      if (given === null) replaceResponse(c, new Response(new Uint8Array(body), init));
      return;
    }
    replaceResponse(c, new Response(new Uint8Array(await gzipBody(body)), init));
    c.res.headers.set("Content-Encoding", "gzip");
    c.res.headers.delete("Content-Length");
  };
}
