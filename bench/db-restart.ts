/**
 * PostgreSQL restarted under load (issue 12 "Figures": the app recovers by itself within 10 s, with clear 503s
 * meanwhile, never a wrong answer). `npx tsx bench/db-restart.ts` prints JSON; `runDbRestartBench()` returns the same
 * for `npm run bench` and test/db-restart.test.ts.
 *
 * A PostgreSQL cluster of its own (scripts/pg-test-cluster.sh with a private folder and port, so no other test's
 * database is touched), the real server (src/main.ts) in a child process on it, and a steady load from this process:
 * citizens submitting feedback (each with its own content and idempotency key) and reading a public API list. The
 * cluster is stopped (`pg_ctl -m fast`: every connection cut), kept down a while, and started again. Every answer is
 * classified: a 201 must come with a tracking code that is found afterwards; while the database is away the only
 * other answer allowed is a 503 with a Vietnamese message (no 500, no hang past the client's time limit); after the
 * start, the time until /readyz answers 200 and a submission is accepted again is the recovery figure.
 */
import { execFile } from "node:child_process";
import fs from "node:fs";
import http from "node:http";
import os from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { promisify } from "node:util";
import { freePort, freshTarget, ROOT, startServer } from "./server.ts";
import { postJson } from "./submissions.ts";

const run = promisify(execFile);
const TARGET_RECOVERY_MS = 10_000;
const DOWN_MS = Number(process.env.DB_RESTART_DOWN_MS ?? 3_000);
const WORKERS = 4;
/** A request the client gives up on: an app that waits for a database that is away must answer before this. */
const CLIENT_TIMEOUT_MS = 15_000;

type Answer = { status: number; body: string } | { error: string };

function get(agent: http.Agent, url: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.get(url, { agent, timeout: CLIENT_TIMEOUT_MS }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString("utf8") }));
      res.on("error", reject);
    });
    req.on("timeout", () => req.destroy(new Error("timeout")));
    req.on("error", reject);
  });
}

const settle = (p: Promise<{ status: number; body: string }>): Promise<Answer> =>
  p.then(
    (r) => r,
    (e: Error) => ({ error: e.message }),
  );

/** A private cluster's control: start (returns its URL), stop. */
function privateCluster(dir: string, port: number) {
  const env = { ...process.env, PG_TEST_DIR: dir, PG_TEST_PORT: String(port) };
  const script = path.join(ROOT, "scripts/pg-test-cluster.sh");
  return {
    start: async () => (await run("bash", [script, "start"], { env })).stdout.trim(),
    stop: async () => {
      await run("bash", [script, "stop"], { env });
    },
    destroy: async () => {
      await run("bash", [script, "destroy"], { env }).catch(() => undefined);
    },
  };
}

/** Whether PostgreSQL's server programs are installed (the cluster script finds them). */
export async function postgresInstalled(): Promise<boolean> {
  try {
    await run("bash", ["-c", "command -v pg_ctl || ls /usr/lib/postgresql/*/bin/pg_ctl"]);
    return true;
  } catch {
    return false;
  }
}

export async function runDbRestartBench() {
  if (!(await postgresInstalled())) return { skipped: "PostgreSQL chưa được cài: không đo được khi khởi động lại" };
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "cchc-pg-restart-"));
  // The cluster runs as `postgres` when we are root: it must be able to enter the folder.
  fs.chmodSync(dir, 0o777);
  const cluster = privateCluster(dir, await freePort());
  const url = await cluster.start();
  const target = await freshTarget("postgres", url);
  const server = await startServer(target, { PUBLIC_FORM_RATE_LIMIT: "1000000", LOG_LEVEL: "error" });
  let serverExited = false;
  void server.exited.then(() => {
    serverExited = true;
  });
  const agent = new http.Agent({ keepAlive: true, maxSockets: WORKERS * 2 });
  const runId = Date.now().toString(36);
  let seq = 0;
  const acknowledged: { code: string; phone: string }[] = [];
  const answers = { during: new Map<string, number>(), wrong: [] as string[] };
  const note = (phase: string, what: string, a: Answer) => {
    const key = "error" in a ? `${what} error` : `${what} ${a.status}`;
    const m = answers.during;
    m.set(`${phase}: ${key}`, (m.get(`${phase}: ${key}`) ?? 0) + 1);
    if ("error" in a) {
      answers.wrong.push(`${phase} ${what}: ${a.error}`);
      return;
    }
    const ok = a.status === 200 || a.status === 201;
    const clear503 = a.status === 503 && /[àáảãạăâđèéêìíòóôơùúưỳý]/i.test(a.body);
    if (!ok && !clear503) answers.wrong.push(`${phase} ${what}: ${a.status} ${a.body.slice(0, 160)}`);
  };
  let phase: "before" | "down" | "after" = "before";
  let stopLoad = false;
  const worker = async (w: number) => {
    while (!stopLoad) {
      const n = seq++;
      const phone = `09${String(20_000_000 + n).padStart(8, "0")}`;
      const body = {
        content: `Phản ánh ${runId}-${n}: đèn đường ở tổ dân phố ${(n % 9) + 1} không sáng, đề nghị phường kiểm tra.`,
        name: "Người dân thử khởi động lại",
        address: "Tổ dân phố 2, phường Đức Phổ",
        phone,
        idempotencyKey: `restart-${runId}-${n}`,
        consent: true,
      };
      const at = phase;
      const post = await settle(
        Promise.race([
          postJson(agent, `${server.url}/api/v1/feedback`, body),
          new Promise<never>((_, reject) => setTimeout(() => reject(new Error("timeout")), CLIENT_TIMEOUT_MS)),
        ]),
      );
      note(at, "submit", post);
      if (!("error" in post) && post.status === 201) {
        const code = (JSON.parse(post.body) as { code?: string }).code;
        if (code) acknowledged.push({ code, phone });
        else answers.wrong.push(`${at} submit: 201 without a code`);
      }
      note(at, "read", await settle(get(agent, `${server.url}/api/v1/procedures?pageSize=5&q=khai+sinh+${w}`)));
      // While the database is away (or the server is gone) a citizen would wait a little before trying again.
      if (at === "down" || "error" in post) await new Promise((r) => setTimeout(r, 100));
    }
  };
  // The load starts once the server is ready (its search index built), as a balancer would send it traffic.
  const probe = new http.Agent({ keepAlive: false });
  for (let i = 0; i < 600; i++) {
    const ready = await settle(get(probe, `${server.url}/readyz`));
    if (!("error" in ready) && ready.status === 200) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  const load = Promise.all(Array.from({ length: WORKERS }, (_, w) => worker(w)));
  try {
    await new Promise((r) => setTimeout(r, 3_000));
    phase = "down";
    await cluster.stop();
    await new Promise((r) => setTimeout(r, DOWN_MS));
    await cluster.start();
    const upAt = performance.now();
    const acknowledgedBeforeUp = acknowledged.length;
    phase = "after";
    // Recovery: /readyz ready and a submission accepted, asked every 100 ms.
    let recoveredMs: number | null = null;
    while (performance.now() - upAt < 60_000) {
      const ready = await settle(get(probe, `${server.url}/readyz`));
      if (!("error" in ready) && ready.status === 200 && acknowledged.length > acknowledgedBeforeUp) {
        recoveredMs = Math.round(performance.now() - upAt);
        break;
      }
      await new Promise((r) => setTimeout(r, 100));
    }
    await new Promise((r) => setTimeout(r, 500));
    stopLoad = true;
    await load;
    const serverAlive = !serverExited;

    // Every acknowledged code is found by the lookup API, once the database is back.
    let lost = 0;
    for (const a of acknowledged) {
      const r = await settle(postJson(agent, `${server.url}/api/v1/feedback/lookup`, { code: a.code, phone: a.phone }));
      if ("error" in r || r.status !== 200) lost++;
    }
    return {
      downForMs: DOWN_MS,
      answers: Object.fromEntries([...answers.during].sort()),
      acknowledged: acknowledged.length,
      acknowledgedLost: lost,
      wrongAnswers: answers.wrong.length,
      wrongExamples: answers.wrong.slice(0, 5),
      serverAlive,
      ...(serverAlive ? {} : { serverLastWords: lastWords(server.output()) }),
      recoveredMs,
      targets: {
        recoveryMs: TARGET_RECOVERY_MS,
        recoveryMet: recoveredMs !== null && recoveredMs <= TARGET_RECOVERY_MS,
        onlyClear503sMet: answers.wrong.length === 0,
        nothingLostMet: lost === 0,
      },
    };
  } finally {
    stopLoad = true;
    await load.catch(() => undefined);
    agent.destroy();
    await server.stop().catch(() => undefined);
    await target.cleanup().catch(() => undefined);
    await cluster.destroy();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** The server's last lines, the first start's passwords left out. */
function lastWords(out: string): string[] {
  return out
    .split("\n")
    .filter((l) => l.trim() && !/ \/ /.test(l))
    .slice(-40);
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  console.log(JSON.stringify(await runDbRestartBench(), null, 2));
}
