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
