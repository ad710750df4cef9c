/**
 * The figures of a plan's pages from one read of its ledger (tracking.sql.ts `planLedgerSums`: sums per pillar,
 * per channel and per recording unit): what the progress section counts per content area and what the budget
 * section compares with the planned lines. Pure, so the pages and the tests read the rows the same way.
 */
import { compareVi } from "../../core/text/vi.ts";
import type { PillarFigures } from "./progress.ts";

export interface PlanSpending {
  byChannel: { key: string; count: number; cost: number }[];
  byUnit: { id: number; name: string; count: number; cost: number }[];
}

export interface LedgerSums extends PlanSpending {
  byPillar: PillarFigures[];
}

/** One row of `planLedgerSums` as the database returns it (PostgreSQL: counts and sums of bigint as text). */
export interface LedgerSumRow {
  kind: string;
  pillar: string | null;
  channel_kind: string | null;
  org_unit_id: number | string | null;
  unit_name: string | null;
  n: number | string;
  audience: number | string | null;
  cost: number | string | null;
}

const num = (v: number | string | null) => (v == null ? 0 : Number(v));

/** The database's rows as figures: per pillar (count, people reached, cost), per channel and per unit (count, cost). */
export function ledgerSumsOf(rows: readonly LedgerSumRow[]): LedgerSums {
  const out: LedgerSums = { byPillar: [], byChannel: [], byUnit: [] };
  for (const r of rows) {
    const count = num(r.n);
    const cost = num(r.cost);
    if (r.kind === "pillar")
      out.byPillar.push({ pillar: r.pillar, activities: count, audience: num(r.audience), cost });
    else if (r.kind === "channel") out.byChannel.push({ key: String(r.channel_kind), count, cost });
    else if (r.kind === "unit") out.byUnit.push({ id: num(r.org_unit_id), name: r.unit_name ?? "", count, cost });
  }
  // Units by name, then id: a stable order whatever order the database grouped them in.
  out.byUnit.sort((a, b) => compareVi(a.name, b.name) || a.id - b.id);
  return out;
}
