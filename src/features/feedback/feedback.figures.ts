/**
 * Feedback figures for a report over a period (Vietnamese calendar days): what was received (by channel, how it was
 * classified), what was answered and whether within the ward's deadline, what was overdue and unanswered at the
 * period's end. Computed from the stored items only; the counting rule is pure (countFeedback) and tested.
 */
import type { Kysely } from "kysely";
import type { Database } from "../../core/db/schema.ts";
import { vnDaysAsInstants, vnToday } from "../../core/text/vi.ts";
import { CHANNELS } from "./feedback.schemas.ts";

export interface FeedbackFigures {
  received: number;
  byChannel: { key: string; label: string; count: number }[];
  /** Classified as in the ward's competence / forwarded to the competent body / not accepted. */
  inScope: number;
  forwarded: number;
  notAccepted: number;
  /** Answers published in the period, and of them those on or before their due day. */
  answered: number;
  answeredOnTime: number;
  /** In the ward's competence, due before the period's end, not answered by then. */
  overdue: number;
}

export interface FeedbackFigureRow {
  channel: string;
  status: string;
  classification: string | null;
  due_on: string | null;
  /** Vietnamese calendar days. */
  receivedOn: string;
  publishedOn: string | null;
}

/** Pure: the figures of a period [from, to] over the rows that may bear on it. */
export function countFeedback(rows: readonly FeedbackFigureRow[], from: string, to: string): FeedbackFigures {
  const within = (d: string | null) => d != null && d >= from && d <= to;
  const received = rows.filter((r) => within(r.receivedOn));
  const answered = rows.filter((r) => within(r.publishedOn));
  const byChannel = Object.entries(CHANNELS)
    .map(([key, label]) => ({ key, label, count: received.filter((r) => r.channel === key).length }))
    .filter((c) => c.count > 0);
  return {
    received: received.length,
    byChannel,
    inScope: received.filter((r) => r.classification === "in_scope").length,
    forwarded: received.filter((r) => r.classification === "forwarded").length,
    notAccepted: received.filter((r) => r.status === "rejected").length,
    answered: answered.length,
    answeredOnTime: answered.filter((r) => r.due_on == null || (r.publishedOn as string) <= r.due_on).length,
    overdue: rows.filter(
      (r) =>
        r.classification === "in_scope" &&
        r.due_on != null &&
        r.due_on < to &&
        r.receivedOn <= to &&
        (r.publishedOn == null || r.publishedOn > to),
    ).length,
  };
}

/** The figures of these wards' feedback over a period. */
export async function feedbackFigures(
  db: Kysely<Database>,
  wardIds: number[],
  period: { from: string; to: string },
): Promise<FeedbackFigures> {
  const { start, end } = vnDaysAsInstants(period.from, period.to);
  const rows = await db
    .selectFrom("feedback_items")
    .select(["channel", "status", "classification", "due_on", "received_at", "published_at"])
    .where("ward_id", "in", wardIds)
    .where("received_at", "<=", end)
    .where((eb) => eb.or([eb("published_at", "is", null), eb("published_at", ">=", start)]))
    .execute();
  return countFeedback(
    rows.map((r) => ({
      channel: r.channel,
      status: r.status,
      classification: r.classification,
      due_on: r.due_on,
      receivedOn: vnToday(new Date(r.received_at)),
      publishedOn: r.published_at ? vnToday(new Date(r.published_at)) : null,
    })),
    period.from,
    period.to,
  );
}
