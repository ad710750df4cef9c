import assert from "node:assert/strict";
import { test } from "node:test";
import { gunzipSync } from "node:zlib";
import { getRequestListener } from "@hono/node-server";
import { Hono } from "hono";
import { compressText } from "./compress.ts";
import { bodyAsGiven } from "./response-body.ts";

const page = `<!doctype html><title>Trang</title>${"<p>Thủ tục hành chính phường Đức Phổ</p>".repeat(200)}`;

function app() {
  const a = new Hono();
  a.use("*", compressText());
  a.get("/", (c) => c.html(page));
  a.get("/nho", (c) => c.html("<p>ngắn</p>"));
  return a;
}

async function checkGzipped(label: string) {
  const res = await app().request("/", { headers: { "accept-encoding": "gzip, br" } });
  assert.equal(res.headers.get("content-encoding"), "gzip", `${label}: gzipped`);
  assert.equal(gunzipSync(Buffer.from(await res.arrayBuffer())).toString("utf8"), page, `${label}: the same page`);
  const small = await app().request("/nho", { headers: { "accept-encoding": "gzip" } });
  assert.equal(small.headers.get("content-encoding"), null, `${label}: a small page goes as it is`);
  assert.equal(await small.text(), "<p>ngắn</p>", `${label}: and whole`);
}

test("a page is gzipped from a standard web Response (its stream read)", async () => {
  assert.equal(bodyAsGiven(new Response(page)), null, "no body held as given: read from the stream");
  await checkGzipped("standard Response");
});

test("a page is gzipped from @hono/node-server's lightweight Response, its body read as given", async () => {
  // The server's listener puts its lightweight Response in place of the global one, as in production.
  getRequestListener(() => new Response("x"));
  assert.equal(bodyAsGiven(new Response(page)), page, "the body held as given, no stream read");
  await checkGzipped("lightweight Response");
});

test("a gzipped answer keeps the handler's headers and cookies, and stays a body held as given (no stream)", async () => {
  getRequestListener(() => new Response("x"));
  const a = new Hono();
  let held: unknown = "unset";
  a.use("*", async (c, next) => {
    await next();
    // What the server will write: bytes held as given, not a stream to read chunk by chunk.
    held = bodyAsGiven(c.res);
  });
  a.use("*", compressText());
  a.get("/", (c) => {
    c.header("Content-Language", "vi");
    c.header("Set-Cookie", "a=1; Path=/", { append: true });
    c.header("Set-Cookie", "b=2; Path=/", { append: true });
    return c.html(page);
  });
  const res = await a.request("/", { headers: { "accept-encoding": "gzip" } });
  assert.equal(res.headers.get("content-encoding"), "gzip", "gzipped");
  assert.equal(res.headers.get("content-language"), "vi", "the handler's header kept");
  assert.deepEqual(res.headers.getSetCookie(), ["a=1; Path=/", "b=2; Path=/"], "both cookies kept, once each");
  assert.ok(held instanceof Uint8Array, "the replaced answer holds its gzipped bytes as given");
  assert.equal(gunzipSync(Buffer.from(await res.arrayBuffer())).toString("utf8"), page, "the same page");
});
