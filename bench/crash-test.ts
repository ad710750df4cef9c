/**
 * `npm run crash-test`: does a submission that got its tracking code survive a kill -9 of the server?
 *
 * On a fresh database (SQLite; PostgreSQL too when BENCH_DATABASE_URL or DATABASE_URL names one; `--database
 * sqlite|postgres` picks one): start the real server (src/main.ts) as a child process, send CRASH_SUBMISSIONS (200)
 * feedback submissions at once over the JSON API, each with its own content, sender and idempotency key; SIGKILL the
 * server as the CRASH_KILL_AFTER-th (60th) answer arrives; keep every code acknowledged with a 201 and what was sent
 * with it. Restart the server on the same data and check each acknowledged code: found by the lookup API with the
 * phone sent, and stored with exactly the content, name, address and phone sent (read from the database). Then
 * every submission is sent again with its key: an acknowledged one must get its own code back (200), an unanswered
 * one is either found (it was committed, its answer lost with the server) or filed now — never twice. Last, a clean
 * stop: SIGTERM while submissions are in flight; each must still be answered, and stored.
 *
 * Prints a JSON array, one object per database: {database, acknowledged, found, lost, corrupted, inFlightAtKill, …}.
 * Exits 1 when anything acknowledged is lost or altered, or anything is filed twice.
 */
import http from "node:http";
import type { Db } from "../src/core/db/connection.ts";
import { freshTarget, postgresUrl, type RunningServer, startServer, type Target } from "./server.ts";
import { postJson } from "./submissions.ts";

const SUBMISSIONS = Number(process.env.CRASH_SUBMISSIONS ?? 200);
const KILL_AFTER = Number(process.env.CRASH_KILL_AFTER ?? 60);
const GRACEFUL_SUBMISSIONS = 50;
if (!(KILL_AFTER >= 1 && KILL_AFTER < SUBMISSIONS))
  throw new Error("CRASH_KILL_AFTER must be between 1 and CRASH_SUBMISSIONS - 1");
// 200 requests from one loopback address at once: far over the per-client limit a ward runs with.
const SETTINGS = { PUBLIC_FORM_RATE_LIMIT: "100000" };

interface Sent {
  content: string;
  name: string;
  address: string;
  phone: string;
  idempotencyKey: string;
  consent: true;
}

/** A submission of its own: content, sender, phone and key all differ from the others (and from other runs). */
function submission(run: string, i: number): Sent {
  return {
    content: `Kiểm tra độ bền ${run}, phản ánh số ${i}: đề nghị phường sửa cống thoát nước ở tổ ${(i % 12) + 1}, mưa là ngập.`,
    name: `Người gửi thứ ${i} Nguyễn Thị Hường`,
    address: `Số ${i} đường Nguyễn Nghiêm, phường Đức Phổ`,
    phone: `09${String(10_000_000 + i * 37).padStart(8, "0")}`,
    idempotencyKey: `crash-${run}-${i}`,
    consent: true,
  };
}

type Outcome = { status: number; code: string | null } | { error: string };

const codeOf = (body: string): string | null => {
  try {
    const v = JSON.parse(body) as { code?: unknown };
    return typeof v.code === "string" ? v.code : null;
  } catch {
    return null;
  }
};

interface StoredRow {
  code: string;
  content: string;
  idempotency_key: string | null;
  name: string;
  address: string;
  phone: string;
}

/** The stored items and senders of these codes, read straight from the database. */
async function storedRows(db: Db, codes: string[]): Promise<Map<string, StoredRow>> {
  const out = new Map<string, StoredRow>();
  for (let i = 0; i < codes.length; i += 100) {
    const rows = await db.kysely
      .selectFrom("feedback_items")
      .innerJoin("feedback_senders", "feedback_senders.feedback_id", "feedback_items.id")
      .select([
        "feedback_items.code",
        "feedback_items.content",
        "feedback_items.idempotency_key",
        "feedback_senders.name",
        "feedback_senders.address",
        "feedback_senders.phone",
      ])
      .where("feedback_items.code", "in", codes.slice(i, i + 100))
      .execute();
    for (const r of rows) out.set(r.code, r);
  }
  return out;
}

/** Which of these idempotency keys have an item. */
async function storedKeys(db: Db, keys: string[]): Promise<Set<string>> {
  const rows = await db.kysely
    .selectFrom("feedback_items")
    .select("idempotency_key")
    .where("idempotency_key", "in", keys)
    .execute();
  return new Set(rows.flatMap((r) => (r.idempotency_key ? [r.idempotency_key] : [])));
}

async function countItems(db: Db): Promise<number> {
  const r = await db.kysely
    .selectFrom("feedback_items")
    .select((eb) => eb.fn.countAll().as("n"))
    .executeTakeFirstOrThrow();
  return Number(r.n);
}

/** Whether the stored row is exactly what was sent (the API keys what it files with `api:`). */
const intact = (row: StoredRow, sent: Sent) =>
  row.content === sent.content &&
  row.name === sent.name &&
  row.address === sent.address &&
  row.phone === sent.phone &&
  row.idempotency_key === `api:${sent.idempotencyKey}`;

/** Send all at once; `onAnswer` sees each answer as it comes (the n-th, counting failures too). */
async function sendAll(
  agent: http.Agent,
  url: string,
  bodies: Sent[],
  onAnswer: (answered: number) => void,
): Promise<Outcome[]> {
  let answered = 0;
  return Promise.all(
    bodies.map(async (b) => {
      let outcome: Outcome;
      try {
        const r = await postJson(agent, url, b);
        outcome = { status: r.status, code: codeOf(r.body) };
      } catch (e) {
        outcome = { error: (e as NodeJS.ErrnoException).code ?? String(e) };
      }
      onAnswer(++answered);
      return outcome;
    }),
  );
}

async function withDb<T>(target: Target, f: (db: Db) => Promise<T>): Promise<T> {
  const db = target.open();
  try {
    return await f(db);
  } finally {
    await db.close();
  }
}

/** One crash, restart and check on one database. */
export async function crashTest(database: "sqlite" | "postgres", url: string | null = null) {
  const run = `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;
  const target = await freshTarget(database, url);
  let server: RunningServer | null = null;
  try {
    server = await startServer(target, SETTINGS);
    const itemsBefore = await withDb(target, countItems);
    const bodies = Array.from({ length: SUBMISSIONS }, (_, i) => submission(run, i));
    // One connection per submission, so all 200 are really in flight together.
    const agent = new http.Agent({ keepAlive: false, maxSockets: Number.POSITIVE_INFINITY });
    let inFlightAtKill = 0;
    let answeredAtKill = 0;
    const victim = server;
    const outcomes = await sendAll(agent, `${victim.url}/api/v1/feedback`, bodies, (answered) => {
      if (answered !== KILL_AFTER) return;
      answeredAtKill = answered;
      inFlightAtKill = SUBMISSIONS - answered;
      process.kill(victim.pid, "SIGKILL");
    });
    const death = await victim.exited;
    agent.destroy();
    if (death.signal !== "SIGKILL")
      throw new Error(
        `the server was not killed mid-run (exit ${death.code ?? death.signal}): raise CRASH_SUBMISSIONS`,
      );

    const acknowledged = new Map<number, string>();
    outcomes.forEach((o, i) => {
      if ("status" in o && o.status === 201 && o.code) acknowledged.set(i, o.code);
    });
    const otherAnswers = outcomes.filter((o) => "status" in o && o.status !== 201).length;
    const failedRequests = outcomes.filter((o) => "error" in o).length;

    // Restart on the same data: SQLite replays its WAL, PostgreSQL its own log.
    server = await startServer(target, SETTINGS);
    const keep = new http.Agent({ keepAlive: true, maxSockets: 10 });
    const lookupUrl = `${server.url}/api/v1/feedback/lookup`;
    const notFoundByLookup = new Set<string>();
    for (const [i, code] of acknowledged) {
      const r = await postJson(keep, lookupUrl, { code, phone: (bodies[i] as Sent).phone });
      if (r.status !== 200 || codeOf(r.body) !== code) notFoundByLookup.add(code);
    }
    const stored = await withDb(target, (db) => storedRows(db, [...acknowledged.values()]));
    let found = 0;
    let lost = 0;
    const corrupted: string[] = [];
    for (const [i, code] of acknowledged) {
      const row = stored.get(code);
      if (!row || notFoundByLookup.has(code)) lost++;
      else if (!intact(row, bodies[i] as Sent)) corrupted.push(code);
      else found++;
    }

    // Everything again with the same keys: the key must have survived the crash with its item.
    const again = await sendAll(keep, `${server.url}/api/v1/feedback`, bodies, () => {});
    let sameCodeForAcknowledged = 0;
    let committedButUnanswered = 0;
    let filedOnResend = 0;
    let resendFailures = 0;
    again.forEach((o, i) => {
      if (!("status" in o)) resendFailures++;
      else if (acknowledged.has(i)) {
        if (o.status === 200 && o.code === acknowledged.get(i)) sameCodeForAcknowledged++;
        else resendFailures++;
      } else if (o.status === 200) committedButUnanswered++;
      else if (o.status === 201) filedOnResend++;
      else resendFailures++;
    });
    const itemsAfterResend = await withDb(target, countItems);
    const duplicates = itemsAfterResend - itemsBefore - SUBMISSIONS;

    // A clean stop: SIGTERM with submissions in flight on open connections. The server must not drop work it has
    // begun: whatever it stored, it answered. (A request it had not begun reading may be refused: the client can
    // send it again with its key.)
    const graceful = Array.from({ length: GRACEFUL_SUBMISSIONS }, (_, i) => submission(`${run}-stop`, i));
    const stopping = server;
    const stopAgent = new http.Agent({ keepAlive: true, maxSockets: GRACEFUL_SUBMISSIONS });
    await Promise.all(
      graceful.map(() =>
        postJson(stopAgent, `${stopping.url}/api/v1/feedback/lookup`, { code: "PA-2026-AAAAA", phone: "0900000000" }),
      ),
    );
    const stopOutcomes = await sendAll(stopAgent, `${stopping.url}/api/v1/feedback`, graceful, (answered) => {
      if (answered === 10) process.kill(stopping.pid, "SIGTERM");
    });
    const stopExit = await stopping.exited;
    server = null;
    keep.destroy();
    stopAgent.destroy();
    const stopCodes = stopOutcomes.flatMap((o) => ("status" in o && o.status === 201 && o.code ? [o.code] : []));
    const stopKeys = graceful.map((g) => `api:${g.idempotencyKey}`);
    const stopStoredKeys = await withDb(target, (db) => storedKeys(db, stopKeys));
    const answeredKeys = new Set(
      graceful.flatMap((g, i) => {
        const o = stopOutcomes[i];
        return o && "status" in o && o.status === 201 ? [`api:${g.idempotencyKey}`] : [];
      }),
    );
    const integrity =
      database === "sqlite"
        ? await withDb(target, async (db) => String(db.sqlite?.pragma("integrity_check", { simple: true })))
        : null;

    const report = {
      database,
      submissions: SUBMISSIONS,
      killedAfterAnswers: answeredAtKill,
      inFlightAtKill,
      acknowledged: acknowledged.size,
      found,
      lost,
      corrupted: corrupted.length,
      otherAnswers,
      failedRequests,
      resent: {
        sameCodeForAcknowledged,
        committedButUnanswered,
        filedOnResend,
        failures: resendFailures,
      },
      duplicates,
      sqliteIntegrity: integrity,
      gracefulStop: {
        inFlight: GRACEFUL_SUBMISSIONS,
        answered201: stopCodes.length,
        refused: GRACEFUL_SUBMISSIONS - stopCodes.length,
        storedOfAnswered: [...answeredKeys].filter((k) => stopStoredKeys.has(k)).length,
        storedWithoutAnswer: [...stopStoredKeys].filter((k) => !answeredKeys.has(k)).length,
        exitCode: stopExit.code,
      },
    };
    const ok =
      report.acknowledged > 0 &&
      lost === 0 &&
      corrupted.length === 0 &&
      duplicates === 0 &&
      resendFailures === 0 &&
      (integrity === null || integrity === "ok") &&
      report.gracefulStop.answered201 >= 10 &&
      report.gracefulStop.storedOfAnswered === report.gracefulStop.answered201 &&
      report.gracefulStop.storedWithoutAnswer === 0 &&
      stopExit.code === 0;
    return { ...report, ok };
  } finally {
    if (server) await server.stop();
    await target.cleanup();
  }
}

async function main() {
  const i = process.argv.indexOf("--database");
  const only = i > 0 ? process.argv[i + 1] : undefined;
  if (only !== undefined && only !== "sqlite" && only !== "postgres")
    throw new Error("--database takes sqlite or postgres");
  const url = postgresUrl();
  if (only === "postgres" && !url) throw new Error("--database postgres needs BENCH_DATABASE_URL (or DATABASE_URL)");
  const reports = [];
  if (only !== "postgres") reports.push(await crashTest("sqlite"));
  if (only !== "sqlite" && url) reports.push(await crashTest("postgres", url));
  console.log(JSON.stringify(reports, null, 2));
  if (reports.some((r) => !r.ok)) process.exit(1);
}

main().catch((e) => {
  console.error(e);
  process.exit(2);
});
