/**
 * Sustained feedback submissions: `npx tsx bench/submissions.ts` prints JSON; `runSubmissionsBench()` returns the
 * same figures for `npm run bench`.
 *
 * The real server (src/main.ts) in a child process on a fresh database with the demo ward; 50 keep-alive
 * connections each POST a valid JSON feedback to /api/v1/feedback, wait for the answer and send the next, for
 * BENCH_SUBMIT_SECONDS (default 10). No request is started after the deadline and every started one is awaited, so
 * the 201s counted are exactly the acknowledgements given: the rows in feedback_items must equal them. Every request
 * comes from 127.0.0.1, so the per-client rate limit is raised for the run (the JSON says so). SQLite always;
 * PostgreSQL as well when BENCH_DATABASE_URL (or DATABASE_URL) names one.
 */
import http from "node:http";
import os from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { freshTarget, postgresUrl, startServer, type Target } from "./server.ts";

const DURATION_S = Number(process.env.BENCH_SUBMIT_SECONDS ?? process.env.BENCH_SECONDS ?? 10);
const CONNECTIONS = 50;
const RAISED_LIMIT = 100_000_000;
const TARGET_PER_SECOND = 200;
const TARGET_P99_MS = 250;

/** A quantile of sorted numbers (nearest rank). */
export function quantile(sorted: number[], q: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))] as number;
}

interface Reply {
  status: number;
  body: string;
}

/** One POST on a keep-alive agent; the reply's status and text. */
export function postJson(agent: http.Agent, url: string, body: unknown): Promise<Reply> {
  const data = Buffer.from(JSON.stringify(body));
  return new Promise((resolve, reject) => {
    const req = http.request(
      url,
      {
        method: "POST",
        agent,
        headers: { "content-type": "application/json", "content-length": data.length },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("end", () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString("utf8") }));
        res.on("error", reject);
      },
    );
    req.on("error", reject);
    req.end(data);
  });
}

/** A valid submission, its content unique to the request so the run stores distinct items. */
function submission(n: number) {
  return {
    content: `Phản ánh thử tải số ${n}: vỉa hè đường Nguyễn Nghiêm bị lấn chiếm, người đi bộ phải xuống lòng đường.`,
    name: "Người dân thử tải",
    address: "Tổ dân phố 1, phường Đức Phổ",
    phone: "0912345678",
    consent: true,
  };
}

async function feedbackRows(target: Target): Promise<number> {
  const db = target.open();
  try {
    const r = await db.kysely
      .selectFrom("feedback_items")
      .select((eb) => eb.fn.countAll().as("n"))
      .executeTakeFirstOrThrow();
    return Number(r.n);
  } finally {
    await db.close();
  }
}

/** One run on one database. */
async function runOn(database: "sqlite" | "postgres", url: string | null) {
  const target = await freshTarget(database, url);
  try {
    const server = await startServer(target, { PUBLIC_FORM_RATE_LIMIT: String(RAISED_LIMIT) });
    const agent = new http.Agent({ keepAlive: true, maxSockets: CONNECTIONS });
    const endpoint = `${server.url}/api/v1/feedback`;
    try {
      // A warm-up, not counted: it opens all the connections and pays for cold caches and the JIT.
      let warm = 0;
      await Promise.all(
        Array.from({ length: CONNECTIONS }, async () => {
          for (let i = 0; i < 3; i++) await postJson(agent, endpoint, submission(-++warm));
        }),
      );
      const rowsBefore = await feedbackRows(target);

      const latencies: number[] = [];
      const statuses = new Map<number, number>();
      let errors = 0;
      let seq = 0;
      const started = performance.now();
      const deadline = started + DURATION_S * 1000;
      const worker = async () => {
        while (performance.now() < deadline) {
          const n = seq++;
          const t = performance.now();
          try {
            const r = await postJson(agent, endpoint, submission(n));
            latencies.push(performance.now() - t);
            statuses.set(r.status, (statuses.get(r.status) ?? 0) + 1);
          } catch {
            errors++;
          }
        }
      };
      await Promise.all(Array.from({ length: CONNECTIONS }, worker));
      const elapsedS = (performance.now() - started) / 1000;
      const rowsAfter = await feedbackRows(target);

      latencies.sort((a, b) => a - b);
      const created = statuses.get(201) ?? 0;
      let non2xx = 0;
      for (const [status, count] of statuses) if (status < 200 || status >= 300) non2xx += count;
      const perSecond = created / elapsedS;
      const p99 = quantile(latencies, 0.99);
      const rowsAdded = rowsAfter - rowsBefore;
      return {
        database,
        requests: latencies.length + errors,
        created,
        elapsedS: Math.round(elapsedS * 100) / 100,
        submissionsPerSecond: Math.round(perSecond),
        latencyP50Ms: Math.round(quantile(latencies, 0.5) * 10) / 10,
        latencyP99Ms: Math.round(p99 * 10) / 10,
        latencyMaxMs: Math.round((latencies.at(-1) ?? 0) * 10) / 10,
        non2xx,
        statuses: Object.fromEntries(statuses),
        errors,
        rowsAdded,
        rowsEqualCreated: rowsAdded === created,
        targets: {
          [`atLeast${TARGET_PER_SECOND}PerSecond`]: perSecond >= TARGET_PER_SECOND,
          [`p99Under${TARGET_P99_MS}ms`]: p99 <= TARGET_P99_MS,
          noErrors: non2xx === 0 && errors === 0,
          everyAcknowledgedStored: rowsAdded === created,
        },
      };
    } finally {
      agent.destroy();
      await server.stop();
    }
  } finally {
    await target.cleanup();
  }
}

/** The figures for every database available. */
export async function runSubmissionsBench() {
  const url = postgresUrl();
  const runs = [await runOn("sqlite", null)];
  if (url) runs.push(await runOn("postgres", url));
  return {
    path: "POST /api/v1/feedback (JSON)",
    server: "src/main.ts in a child process, fresh database with the demo ward",
    connections: CONNECTIONS,
    durationS: DURATION_S,
    rateLimit: `raised to ${RAISED_LIMIT} per window for the benchmark (loopback: every request comes from 127.0.0.1)`,
    target: `≥ ${TARGET_PER_SECOND} submissions/s and p99 ≤ ${TARGET_P99_MS} ms, no errors, rows = 201s, on ${os.cpus().length} cores`,
    runs,
  };
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  runSubmissionsBench()
    .then((figures) => console.log(JSON.stringify(figures, null, 2)))
    .catch((e) => {
      console.error(e);
      process.exit(1);
    });
}
