/**
 * Which personal data the retention period has run out for: pure, so it is tested without a database.
 * An item is closed once its outcome is final — feedback published, rejected or forwarded to the competent body;
 * a question published or closed — and its clock starts when it reached that status.
 */
import { CLOSED_FEEDBACK } from "../feedback/feedback.schemas.ts";
import { CLOSED_QUESTION } from "../questions/questions.schemas.ts";

export type ItemKind = "feedback" | "question";

/** An item whose personal data may be due for erasure. */
export interface RetentionCandidate {
  kind: ItemKind;
  id: number;
  status: string;
  /** When it reached its current status (the workflow step), if recorded. */
  closedAt: string | null;
  publishedAt: string | null;
  receivedAt: string;
  erasedAt: string | null;
}

const DAY_MS = 24 * 60 * 60 * 1000;

/** When an item closed: its step into the current status, else its publication, else its receipt. */
export function closedAt(c: RetentionCandidate): string {
  return c.closedAt ?? c.publishedAt ?? c.receivedAt;
}

/** Whether an item's status is a closed one for its kind. */
export function isClosed(kind: ItemKind, status: string): boolean {
  return (kind === "feedback" ? CLOSED_FEEDBACK : CLOSED_QUESTION).includes(status);
}

/**
 * The candidates whose personal data is due for erasure on `now`: closed, not yet erased, and closed more than
 * `retentionDays` days before. `retentionDays` 0 means keep: nothing is ever due.
 */
export function dueForErasure<T extends RetentionCandidate>(
  candidates: readonly T[],
  now: Date,
  retentionDays: number,
): T[] {
  if (!Number.isInteger(retentionDays) || retentionDays <= 0) return [];
  const cutoff = now.getTime() - retentionDays * DAY_MS;
  return candidates.filter((c) => {
    if (c.erasedAt != null || !isClosed(c.kind, c.status)) return false;
    const t = Date.parse(closedAt(c));
    return Number.isFinite(t) && t < cutoff;
  });
}
