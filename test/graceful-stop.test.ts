/**
 * A clean stop (SIGTERM from the service manager) loses nothing: the search log's counts, which otherwise reach the
 * database a few seconds later, are written before the database closes (src/main.ts; article views take the same
 * path), and a request in flight when the signal comes is finished and answered while new connections are refused;
 * an idle keep-alive connection is left for the client to close, and an answer on it closes it (core/web/graceful-stop.ts).
 * The real entry point in a child process, on a fresh SQLite folder with the demo ward.
 */
import assert from "node:assert/strict";
import { type ChildProcessWithoutNullStreams, spawn } from "node:child_process";
import fs from "node:fs";
import http from "node:http";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { test } from "node:test";
import { openSqlite } from "../src/core/db/connection.ts";
import { SHARED_DIR } from "./helpers/env.ts";

/** The server on a fresh data folder, once it listens; `output()` is everything it printed so far. */
async function startServer(logLevel: string) {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "cchc-stop-"));
  const port = 20000 + Math.floor(Math.random() * 20000);
  const child = spawn(process.execPath, ["--import", "tsx", "src/main.ts"], {
    env: {
      PATH: process.env.PATH ?? "",
      DATA_DIR: dataDir,
      CCHC_SHARED_DIR: SHARED_DIR,
      PORT: String(port),
      HOST: "127.0.0.1",
      LOG_LEVEL: logLevel,
      PDF_PREWARM: "0",
    },
    stdio: ["pipe", "pipe", "pipe"],
  }) as ChildProcessWithoutNullStreams;
  let out = "";
  const waiters: { text: string; resolve: () => void }[] = [];
  const read = (chunk: Buffer) => {
    out += chunk.toString("utf8");
    for (const w of [...waiters])
      if (out.includes(w.text)) {
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve();
      }
  };
  child.stdout.on("data", read);
  child.stderr.on("data", read);
  /** Resolves once the output holds `text`; rejects if the process exits first. */
  const printed = (text: string) =>
    new Promise<void>((resolve, reject) => {
      if (out.includes(text)) return resolve();
      const onExit = (code: number | null) =>
        reject(new Error(`the server exited (${code}) before "${text}":\n${out}`));
      child.once("exit", onExit);
      waiters.push({
        text,
        resolve: () => {
          child.off("exit", onExit);
          resolve();
        },
      });
    });
  const cleanup = () => {
    if (child.exitCode === null) child.kill("SIGKILL");
    fs.rmSync(dataDir, { recursive: true, force: true });
  };
  try {
    await printed("CCHC đang chạy");
  } catch (e) {
    cleanup();
    throw e;
  }
  return { child, dataDir, port, url: `http://127.0.0.1:${port}`, output: () => out, printed, cleanup };
}

test("SIGTERM right after a search: the search is in the log", { timeout: 300_000 }, async () => {
  const { child, dataDir, port, output: out, cleanup } = await startServer("warn");
  try {
    const res = await fetch(`http://127.0.0.1:${port}/tim-kiem?q=${encodeURIComponent("giấy khai sinh cho bé")}`);
    assert.equal(res.status, 200, "the search page answers");
    await res.text();
    const closed = new Promise<number | null>((resolve) => child.once("close", (code) => resolve(code)));
    child.kill("SIGTERM");
    assert.equal(await closed, 0, `a clean stop:\n${out()}`);
    const db = openSqlite(path.join(dataDir, "cchc.sqlite"));
    try {
      const rows = await db.kysely.selectFrom("search_log").select(["query", "searches"]).execute();
      assert.deepEqual(
        rows.map((r) => [r.query, Number(r.searches)]),
        [["giấy khai sinh cho bé", 1]],
        "the search counted in memory was written before the stop",
      );
    } finally {
      await db.close();
    }
  } finally {
    cleanup();
  }
});

/** Whether a new TCP connection to the port is accepted (resolves) or refused (rejects). */
function connect(port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, "127.0.0.1");
    socket.once("connect", () => {
      socket.destroy();
      resolve();
    });
    socket.once("error", reject);
  });
}

/** A GET on `agent` (a keep-alive connection of its own): the status and the Connection header of the answer. */
function get(agent: http.Agent, url: string): Promise<{ status: number; connection: string | undefined }> {
  return new Promise((resolve, reject) => {
    http
      .get(url, { agent }, (res) => {
        res.resume();
        res.once("end", () => resolve({ status: res.statusCode ?? 0, connection: res.headers.connection }));
      })
      .once("error", reject);
  });
}

test("SIGTERM during a request: new connections refused, the request finished and answered, its write kept; an idle keep-alive connection left open and its next answer closes it; /readyz 200 after start-up", {
  timeout: 300_000,
}, async () => {
  const server = await startServer("info");
  const { child } = server;
  try {
    // Ready without any search: the index is built at start-up, beside the listen.
    let ready = 0;
    for (let i = 0; i < 1200 && ready !== 200; i++) {
      if (i) await new Promise((r) => setTimeout(r, 100));
      ready = (await fetch(`${server.url}/readyz`)).status;
    }
    assert.equal(ready, 200, `/readyz says ready once started:\n${server.output()}`);

    const body = JSON.stringify({
      name: "Trần Văn Bình",
      address: "Tổ 2, phường Đức Phổ",
      phone: "0905 111 222",
      content: "Đề nghị phường sửa đèn đường ở tổ 2, hỏng đã hai tuần.",
      consent: true,
    });
    const bytes = Buffer.from(body, "utf8");
    const half = Math.floor(bytes.length / 2);
    // The request is in the server's hands once it says 100 Continue: headers read, the handler waiting for the body.
    const req = http.request(`${server.url}/api/v1/feedback`, {
      method: "POST",
      agent: false,
      headers: { "content-type": "application/json", "content-length": bytes.length, expect: "100-continue" },
    });
    const answer = new Promise<{ status: number; text: string }>((resolve, reject) => {
      req.once("response", (res) => {
        let text = "";
        res.setEncoding("utf8");
        res.on("data", (d: string) => {
          text += d;
        });
        res.once("end", () => resolve({ status: res.statusCode ?? 0, text }));
        res.once("error", reject);
      });
      req.once("error", reject);
    });
    await new Promise<void>((resolve) => req.once("continue", resolve));
    req.write(bytes.subarray(0, half));

    // A proxy's idle keep-alive connection (one request answered on it, kept open).
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    const before = await get(agent, `${server.url}/healthz`);
    assert.equal(before.status, 200, "the keep-alive connection is answered");
    assert.notEqual(before.connection, "close", "and kept open");

    const closed = new Promise<number | null>((resolve) => child.once("close", (code) => resolve(code)));
    child.kill("SIGTERM");
    await server.printed('"msg":"stopping"');
    await assert.rejects(connect(server.port), "a new connection is refused once the stop began");
    // The idle connection was not closed under the proxy (it might be sending on it): a request on it is answered,
    // and the answer closes it.
    const during = await get(agent, `${server.url}/readyz`);
    assert.equal(during.status, 503, "the idle keep-alive connection still takes a request: /readyz says stopping");
    assert.equal(during.connection, "close", "and the answer closes the connection");
    agent.destroy();
    req.end(bytes.subarray(half));
    const res = await answer;
    assert.equal(res.status, 201, `the request in flight is answered: ${res.text}\n${server.output()}`);
    const code = (JSON.parse(res.text) as { code?: string }).code;
    assert.ok(code, "with its tracking code");
    assert.equal(await closed, 0, `then a clean stop:\n${server.output()}`);

    const db = openSqlite(path.join(server.dataDir, "cchc.sqlite"));
    try {
      const row = await db.kysely
        .selectFrom("feedback_items")
        .select("code")
        .where("code", "=", code)
        .executeTakeFirst();
      assert.equal(row?.code, code, "the answered write is in the database");
    } finally {
      await db.close();
    }
    assert.ok(!server.output().includes("0905"), "the log holds no phone number");
    assert.ok(server.output().includes('"route":"/api/v1/feedback"'), "the request's log line names its route");
  } finally {
    server.cleanup();
  }
});
