/**
 * Question figures for a report over a period (Vietnamese calendar days): received, and answers published. The rule
 * (`countsIn`) is the one place a question is counted: the report's numbers and the staff list behind each number
 * (`/quan-tri/hoi-dap?tu=…&den=…&so-lieu=…`) both use it.
 */
import type { Kysely } from "kysely";
import type { Database } from "../../core/db/schema.ts";
import { vnDaysAsInstants, vnToday } from "../../core/text/vi.ts";

export const QUESTION_FIGURES = { received: "nhận trong kỳ", answered: "trả lời, công khai trong kỳ" } as const;
export type QuestionFigure = keyof typeof QUESTION_FIGURES;

interface Row {
  id: number;
  received_at: string;
  published_at: string | null;
}

function countsIn(figure: QuestionFigure, r: Row, period: { from: string; to: string }) {
  const instant = figure === "received" ? r.received_at : r.published_at;
  if (!instant) return false;
  const d = vnToday(new Date(instant));
  return d >= period.from && d <= period.to;
}

/** The questions of these wards that may bear on a period's figures. */
function rowsBearingOn(db: Kysely<Database>, wardIds: number[], period: { from: string; to: string }) {
  const { start, end } = vnDaysAsInstants(period.from, period.to);
  return db
    .selectFrom("questions")
    .select(["id", "received_at", "published_at"])
    .where("ward_id", "in", wardIds)
    .where("received_at", "<=", end)
    .where((eb) => eb.or([eb("published_at", "is", null), eb("published_at", ">=", start)]))
    .execute();
}

/** The ids of the questions one figure of a period counts: the list behind the number. */
export async function questionFigureIds(
  db: Kysely<Database>,
  wardIds: number[],
  period: { from: string; to: string },
  figure: QuestionFigure,
): Promise<number[]> {
  return (await rowsBearingOn(db, wardIds, period)).filter((r) => countsIn(figure, r, period)).map((r) => r.id);
}

export async function questionFigures(
  db: Kysely<Database>,
  wardIds: number[],
  period: { from: string; to: string },
): Promise<{ received: number; answered: number }> {
  const rows = await rowsBearingOn(db, wardIds, period);
  return {
    received: rows.filter((r) => countsIn("received", r, period)).length,
    answered: rows.filter((r) => countsIn("answered", r, period)).length,
  };
}
