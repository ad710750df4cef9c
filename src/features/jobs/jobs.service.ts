/**
 * The staff page of background jobs (issue 12 §8, operations): what is queued, running, failed for good and recently
 * finished, read from the `jobs` table, which is the record on both databases (core/jobs/jobs.ts: SQLite's runner
 * and pg-boss on PostgreSQL both write each row's outcome there), and "run again" for a failed job.
 *
 * Tenancy: a ward's administrator sees and retries only the jobs of their ward; the deployment's operator
 * (owners.ts `isOperator`) every job, the ward-less ones (the nightly purges' work, the search prior) too. A job's
 * payload is never shown, and its last error passes through the personal-data redaction (core/text/redact.ts) first:
 * an error message may quote what the job was about.
 */
import type { Kysely } from "kysely";
import { type Actor, audit } from "../../core/audit.ts";
import { isOperator } from "../../core/auth/owners.ts";
import type { Database, User } from "../../core/db/schema.ts";
import { inTransaction } from "../../core/db/transaction.ts";
import { retryFailedJob } from "../../core/jobs/jobs.ts";
import { redact } from "../../core/text/redact.ts";
import * as q from "./jobs.sql.ts";

export type JobState = "queued" | "running" | "failed" | "done";
export const JOB_STATES: readonly JobState[] = ["failed", "running", "queued", "done"];
/** How long a finished job stays on the page. */
export const DONE_SHOWN_DAYS = 7;
/** At most this many jobs of each state are listed (the counts say how many there are). */
export const JOBS_SHOWN = 100;
/** An error is shown up to this length. */
const ERROR_SHOWN = 500;

/** Whose jobs an account sees: its ward's, or (the deployment's operator) every job. */
export type JobScope = { wardId: number } | { all: true };
export const jobScopeOf = (user: User): JobScope => (isOperator(user) ? { all: true } : { wardId: user.ward_id });

export interface JobView {
  id: number;
  kind: string;
  ward: string | null;
  status: JobState;
  attempts: number;
  runAt: string;
  createdAt: string;
  finishedAt: string | null;
  /** The last error, personal data masked; null when none. */
  lastError: string | null;
}

export interface JobsListing {
  jobs: Record<JobState, JobView[]>;
  counts: Record<JobState, number>;
  all: boolean;
}

/** The error as staff may read it: personal data masked, one paragraph, cut to a readable length. */
export function shownError(text: string | null): string | null {
  if (!text) return null;
  const masked = redact(text.normalize("NFC")).replace(/\s+/g, " ").trim();
  return masked.length > ERROR_SHOWN ? `${masked.slice(0, ERROR_SHOWN - 1)}…` : masked;
}

/** The jobs an account may see, by state; finished ones of the last DONE_SHOWN_DAYS days. */
export async function listJobs(db: Kysely<Database>, scope: JobScope, now: Date): Promise<JobsListing> {
  const since = new Date(now.getTime() - DONE_SHOWN_DAYS * 86_400_000).toISOString();
  const wardId = "wardId" in scope ? scope.wardId : null;
  const [queued, running, failed, done, counted] = await Promise.all([
    q.jobsInState(db, { wardId, status: "queued", limit: JOBS_SHOWN }),
    q.jobsInState(db, { wardId, status: "running", limit: JOBS_SHOWN }),
    q.jobsInState(db, { wardId, status: "failed", limit: JOBS_SHOWN }),
    q.jobsInState(db, { wardId, status: "done", finishedSince: since, limit: JOBS_SHOWN }),
    q.jobCounts(db, { wardId, doneSince: since }),
  ]);
  const counts: Record<JobState, number> = { queued: 0, running: 0, failed: 0, done: 0 };
  for (const r of counted) if (r.status in counts) counts[r.status as JobState] = Number(r.n);
  const view = (r: q.JobRow): JobView => ({
    id: Number(r.id),
    kind: r.kind,
    ward: r.ward_name ?? null,
    status: r.status as JobState,
    attempts: Number(r.attempts),
    runAt: r.run_at,
    createdAt: r.created_at,
    finishedAt: r.finished_at,
    lastError: shownError(r.last_error),
  });
  return {
    jobs: { queued: queued.map(view), running: running.map(view), failed: failed.map(view), done: done.map(view) },
    counts,
    all: !("wardId" in scope),
  };
}

export type RetryResult = { ok: true } | { ok: false; status: 404 | 409; message: string };

/**
 * Run a failed job once more (core/jobs/jobs.ts `retryFailedJob`), audited, in one transaction. A job the account
 * may not see is "not found"; one no longer failed (retried meanwhile, or never failed) is refused as a conflict.
 */
export async function retryJob(
  db: Kysely<Database>,
  actor: Actor,
  scope: JobScope,
  id: number,
  now: Date,
): Promise<RetryResult> {
  return inTransaction(db, async (trx): Promise<RetryResult> => {
    const job = await q.jobOf(trx, id, "wardId" in scope ? scope.wardId : null);
    if (!job) return { ok: false, status: 404, message: "Không tìm thấy việc này." };
    if (job.status !== "failed" || !(await retryFailedJob(trx, id, now, "wardId" in scope ? scope : {})))
      return { ok: false, status: 409, message: "Việc này không còn ở trạng thái lỗi: có thể đã được chạy lại." };
    await audit(
      trx,
      actor,
      {
        action: "job.retry",
        entity: "job",
        entityId: id,
        wardId: job.ward_id,
        before: {
          kind: job.kind,
          status: "failed",
          attempts: Number(job.attempts),
          lastError: shownError(job.last_error),
        },
        after: { status: "queued", runAt: now.toISOString() },
      },
      now,
    );
    return { ok: true };
  });
}
