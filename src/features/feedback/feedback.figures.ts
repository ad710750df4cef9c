/**
 * Feedback figures for a report over a period (Vietnamese calendar days): what was received (by channel, how it was
 * classified), what was answered and whether within the ward's deadline, what was overdue and unanswered at the
 * period's end. Computed from the stored items only; the counting rule is pure (countFeedback) and tested.
 */
import type { Kysely } from "kysely";
import type { Database } from "../../core/db/schema.ts";
import { vnDaysAsInstants, vnToday } from "../../core/text/vi.ts";
import { CHANNELS, type FeedbackFigure } from "./feedback.schemas.ts";

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

/**
 * Pure, and the one place the counting rule lives: whether a row counts in a figure of the period [from, to].
 * The report's numbers (countFeedback) and the staff list behind each number both use it.
 */
export function countsIn(figure: FeedbackFigure, r: FeedbackFigureRow, from: string, to: string): boolean {
  const within = (d: string | null) => d != null && d >= from && d <= to;
  switch (figure) {
    case "received":
      return within(r.receivedOn);
    case "in_scope":
      return within(r.receivedOn) && r.classification === "in_scope";
    case "forwarded":
      return within(r.receivedOn) && r.classification === "forwarded";
    case "not_accepted":
      return within(r.receivedOn) && r.status === "rejected";
    case "answered":
      return within(r.publishedOn);
    case "answered_on_time":
      return within(r.publishedOn) && (r.due_on == null || (r.publishedOn as string) <= r.due_on);
    case "overdue":
      return (
        r.classification === "in_scope" &&
        r.due_on != null &&
        r.due_on < to &&
        r.receivedOn <= to &&
        (r.publishedOn == null || r.publishedOn > to)
      );
  }
}

/** Pure: the figures of a period [from, to] over the rows that may bear on it. */
export function countFeedback(rows: readonly FeedbackFigureRow[], from: string, to: string): FeedbackFigures {
  const n = (figure: FeedbackFigure) => rows.filter((r) => countsIn(figure, r, from, to)).length;
  const received = rows.filter((r) => countsIn("received", r, from, to));
  const byChannel = Object.entries(CHANNELS)
    .map(([key, label]) => ({ key, label, count: received.filter((r) => r.channel === key).length }))
    .filter((c) => c.count > 0);
  return {
    received: received.length,
    byChannel,
    inScope: n("in_scope"),
    forwarded: n("forwarded"),
    notAccepted: n("not_accepted"),
    answered: n("answered"),
    answeredOnTime: n("answered_on_time"),
    overdue: n("overdue"),
  };
}

/** The items of these wards that may bear on a period's figures, as the rule reads them (with their ids). */
async function rowsBearingOn(db: Kysely<Database>, wardIds: number[], period: { from: string; to: string }) {
  const { start, end } = vnDaysAsInstants(period.from, period.to);
  const rows = await db
    .selectFrom("feedback_items")
    .select(["id", "channel", "status", "classification", "due_on", "received_at", "published_at"])
    .where("ward_id", "in", wardIds)
    .where("received_at", "<=", end)
    .where((eb) => eb.or([eb("published_at", "is", null), eb("published_at", ">=", start)]))
    .execute();
  return rows.map((r) => ({
    id: r.id,
    channel: r.channel,
    status: r.status,
    classification: r.classification,
    due_on: r.due_on,
    receivedOn: vnToday(new Date(r.received_at)),
    publishedOn: r.published_at ? vnToday(new Date(r.published_at)) : null,
  }));
}

/** The ids of the items one figure of a period counts (optionally of one channel): the list behind the number. */
export async function feedbackFigureIds(
  db: Kysely<Database>,
  wardIds: number[],
  period: { from: string; to: string },
  figure: FeedbackFigure,
  channel?: string,
): Promise<number[]> {
  return (await rowsBearingOn(db, wardIds, period))
    .filter((r) => countsIn(figure, r, period.from, period.to) && (channel == null || r.channel === channel))
    .map((r) => r.id);
}

/** The figures of these wards' feedback over a period. */
export async function feedbackFigures(
  db: Kysely<Database>,
  wardIds: number[],
  period: { from: string; to: string },
): Promise<FeedbackFigures> {
  return countFeedback(await rowsBearingOn(db, wardIds, period), period.from, period.to);
}
