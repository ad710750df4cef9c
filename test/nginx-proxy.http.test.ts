/**
 * Issue 8 A.5 behind Debian's nginx: the real server (src/main.ts) behind nginx configured by the README's
 * deploy/nginx.conf.example (test/helpers/nginx.ts), which appends to X-Forwarded-For, with TRUST_PROXY=1. Forged X-Forwarded-For entries sent through nginx do not make new
 * clients for the lookup limit or the login throttle, and the forwarded host passes the cross-site check only when
 * the browser's Origin matches it. Skipped with a message when nginx is not installed (never in CI: .ci/run
 * installs nginx-light).
 */
import assert from "node:assert/strict";
import { type ChildProcess, spawn } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { after, before, describe, test } from "node:test";
import { freePort } from "../bench/server.ts";
import { createWorld, SHARED_DIR, type TestWorld, testDatabases } from "./helpers/env.ts";
import { NGINX, type RunningNginx, startNginx } from "./helpers/nginx.ts";

const ROOT = path.resolve(import.meta.dirname, "..");
const missing = !fs.existsSync(NGINX);
if (missing && process.env.CI) throw new Error(`${NGINX} is missing: .ci/run installs nginx-light`);

async function waitFor(url: string, what: string, child: ChildProcess, log: () => string): Promise<void> {
  for (let i = 0; i < 600; i++) {
    if (child.exitCode !== null) throw new Error(`${what} exited (${child.exitCode}): ${log()}`);
    try {
      const res = await fetch(url);
      if (res.status < 500) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`${what} did not answer at ${url}: ${log()}`);
}

const randomIp = () =>
  `${1 + Math.floor(Math.random() * 220)}.${Math.floor(Math.random() * 255)}.3.${Math.floor(Math.random() * 255)}`;

for (const target of testDatabases())
  describe(`behind nginx (${target.name})`, {
    skip: missing ? `${NGINX} is not installed: skipping the reverse-proxy test` : false,
  }, () => {
    let w: TestWorld;
    let app: ChildProcess;
    let nginx: RunningNginx;
    let appLog = "";
    let proxy = "";

    before(async () => {
      // The demo ward and an administrator, in the database the server opens: a set-up portal without loading the demo.
      w = await createWorld(target);
      await w.createStaff("quantri", "admin");
      const appPort = await freePort();
      const proxyPort = await freePort();
      app = spawn(process.execPath, ["--import", "tsx", "src/main.ts"], {
        cwd: ROOT,
        env: {
          PATH: process.env.PATH ?? "/usr/bin:/bin",
          HOME: process.env.HOME ?? "/tmp",
          PORT: String(appPort),
          HOST: "127.0.0.1",
          ...w.env,
          CCHC_SHARED_DIR: SHARED_DIR,
          TRUST_PROXY: "1",
          PUBLIC_FORM_RATE_LIMIT: "5",
          LOG_LEVEL: "warn",
        },
      });
      app.stdout?.on("data", (d) => {
        appLog += d;
      });
      app.stderr?.on("data", (d) => {
        appLog += d;
      });
      await waitFor(`http://127.0.0.1:${appPort}/healthz`, "the server", app, () => appLog);
      // The README's nginx configuration (deploy/nginx.conf.example), in front of this one process.
      nginx = await startNginx({
        upstreams: [`127.0.0.1:${appPort}`],
        port: proxyPort,
        redirectPort: await freePort(),
      });
      proxy = nginx.url;
    });

    after(async () => {
      await nginx?.stop();
      if (app && app.exitCode === null) {
        const gone = new Promise((r) => app.once("exit", r));
        app.kill("SIGTERM");
        await gone;
      }
      await w?.cleanup();
    });

    test("200 lookups with random X-Forwarded-For: the client is the address nginx saw, so all past 5 are refused", async () => {
      const statuses: number[] = [];
      for (let i = 0; i < 200; i++) {
        const res = await fetch(`${proxy}/api/v1/feedback/lookup`, {
          method: "POST",
          headers: { "content-type": "application/json", "x-forwarded-for": `${randomIp()}, ${randomIp()}` },
          body: JSON.stringify({ code: "PA-2026-XXXXXX", phone: `09${String(i).padStart(8, "0")}` }),
        });
        statuses.push(res.status);
        await res.arrayBuffer();
      }
      assert.equal(
        statuses.filter((s) => s === 429).length,
        195,
        `refused: ${statuses.filter((s) => s === 429).length}`,
      );
    });

    test("login attempts with forged addresses are throttled as one client", async () => {
      const statuses: number[] = [];
      for (let i = 0; i < 8; i++) {
        const res = await fetch(`${proxy}/dang-nhap`, {
          method: "POST",
          headers: { "content-type": "application/x-www-form-urlencoded", "x-forwarded-for": randomIp() },
          body: new URLSearchParams({ username: "quantri", password: `doan-${i}` }),
          redirect: "manual",
        });
        statuses.push(res.status);
        await res.arrayBuffer();
      }
      assert.deepEqual(statuses, [401, 401, 401, 401, 401, 429, 429, 429], "five checked, then waits");
    });

    test("the cross-site check uses the host nginx forwards, and refuses another origin", async () => {
      const post = (origin: string) =>
        fetch(`${proxy}/dang-nhap`, {
          method: "POST",
          headers: { "content-type": "application/x-www-form-urlencoded", origin },
          body: new URLSearchParams({ username: "khac", password: "x" }),
          redirect: "manual",
        });
      const ours = await post(proxy);
      assert.equal(ours.status, 401, "our own origin through nginx passes the check (then the login fails)");
      const evil = await post("https://evil.example");
      assert.equal(evil.status, 403, "another origin is refused");
    });
  });
