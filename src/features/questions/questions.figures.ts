/** Question figures for a report over a period (Vietnamese calendar days): received, and answers published. */
import type { Kysely } from "kysely";
import type { Database } from "../../core/db/schema.ts";
import { vnDaysAsInstants, vnToday } from "../../core/text/vi.ts";

export async function questionFigures(
  db: Kysely<Database>,
  wardIds: number[],
  period: { from: string; to: string },
): Promise<{ received: number; answered: number }> {
  const { start, end } = vnDaysAsInstants(period.from, period.to);
  const rows = await db
    .selectFrom("questions")
    .select(["received_at", "published_at"])
    .where("ward_id", "in", wardIds)
    .where("received_at", "<=", end)
    .where((eb) => eb.or([eb("published_at", "is", null), eb("published_at", ">=", start)]))
    .execute();
  const within = (instant: string | null) => {
    if (!instant) return false;
    const d = vnToday(new Date(instant));
    return d >= period.from && d <= period.to;
  };
  return {
    received: rows.filter((r) => within(r.received_at)).length,
    answered: rows.filter((r) => within(r.published_at)).length,
  };
}
