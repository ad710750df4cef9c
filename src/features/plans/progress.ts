/** Task states and progress figures: pure functions over rows, so every page, export and report agrees. */
import { PILLARS, type PillarCode } from "./plan-draft.ts";

/** What a unit records. */
export type StoredStatus = "not_started" | "in_progress" | "done";
/** What is shown: the recorded status, or "overdue" computed from dates. */
export type TaskState = StoredStatus | "overdue";

export const STORED_STATUSES: readonly StoredStatus[] = ["not_started", "in_progress", "done"];
/** Display order: what needs attention first. */
export const TASK_STATES: readonly TaskState[] = ["overdue", "not_started", "in_progress", "done"];

export const STATUS_LABELS: Record<TaskState, string> = {
  not_started: "Chưa bắt đầu",
  in_progress: "Đang thực hiện",
  done: "Hoàn thành",
  overdue: "Quá hạn",
};

export const RECURRENCE_LABELS: Record<string, string> = {
  monthly: "Hằng tháng",
  quarterly: "Hằng quý",
  yearly: "Hằng năm",
  continuous: "Thường xuyên (kiểm tra hằng tháng)",
};

export interface TaskStatusInput {
  /** Recorded status: not_started | in_progress | done. */
  status: string;
  /** ISO date or null. */
  dueOn: string | null;
  /** "monthly" | "quarterly" | "yearly" | "continuous" ("thường xuyên") for recurring tasks, else null. */
  recurrence: string | null;
  /** Latest update or activity on the task, ISO date (Vietnam calendar), or null. */
  lastActivityOn: string | null;
  /** Start of the plan's period (or, lacking one, its issue date), ISO, or null. */
  periodFrom: string | null;
}

const pad2 = (n: number) => String(n).padStart(2, "0");

/** First day of the month `back` months before the month of `iso`. */
export function monthStart(iso: string, back = 0): string {
  const y = Number(iso.slice(0, 4));
  const m = Number(iso.slice(5, 7)) - 1 - back;
  const yy = y + Math.floor(m / 12);
  const mm = ((m % 12) + 12) % 12;
  return `${yy}-${pad2(mm + 1)}-01`;
}

/** First day of the quarter `back` quarters before the quarter of `iso`. */
export function quarterStart(iso: string, back = 0): string {
  const m = Number(iso.slice(5, 7)) - 1;
  const first = `${iso.slice(0, 4)}-${pad2(m - (m % 3) + 1)}-01`;
  return monthStart(first, back * 3);
}

/**
 * The state of a task on `today` (ISO date).
 *
 * Rule:
 * - recorded "done" is done, whatever the dates;
 * - otherwise, a due date strictly before today makes it overdue (due today is not yet late);
 * - otherwise, a recurring task ("thường xuyên") is overdue when nothing was recorded on it (update or activity)
 *   during the whole previous full month (quarter for quarterly, year for yearly checks; "thường xuyên" is checked
 *   monthly) nor since: that is, when its last work —
 *   or, with none, the start of the plan's period — is older than the first day of the previous full period.
 *   Example, monthly, today 10/05/2024: last work on 31/03/2024 → overdue; on 01/04/2024 → not overdue.
 *   With neither work nor a period start there is nothing to measure against, and it is not flagged.
 * - otherwise the recorded status.
 */
export function taskStatus(t: TaskStatusInput, today: string): TaskState {
  const stored: StoredStatus = t.status === "done" || t.status === "in_progress" ? t.status : "not_started";
  if (stored === "done") return "done";
  if (t.dueOn && t.dueOn < today) return "overdue";
  if (t.recurrence && t.recurrence in RECURRENCE_LABELS) {
    const since = t.lastActivityOn ?? t.periodFrom;
    // "Thường xuyên" is checked like a monthly task: a whole month with nothing recorded is a lapse.
    const limit =
      t.recurrence === "quarterly"
        ? quarterStart(today, 1)
        : t.recurrence === "yearly"
          ? `${Number(today.slice(0, 4)) - 1}-01-01`
          : monthStart(today, 1);
    if (since && since < limit) return "overdue";
  }
  return stored;
}

export type StatusCounts = Record<TaskState, number>;

export const emptyCounts = (): StatusCounts => ({ not_started: 0, in_progress: 0, done: 0, overdue: 0 });

export const countTotal = (c: StatusCounts) => c.not_started + c.in_progress + c.done + c.overdue;

export interface UnitProgress {
  /** null: tasks with no lead unit. */
  unitId: number | null;
  unitName: string;
  counts: StatusCounts;
  total: number;
}

export const NO_UNIT_NAME = "Chưa giao đơn vị chủ trì";

/**
 * Counts per lead unit. Each task is counted once, under its lead unit (the one answerable for it), so the
 * units' figures add up to the plan's; supporting units see the task in their own list instead.
 */
export function summariseByUnit(
  tasks: { state: TaskState; lead: { id: number; name: string } | null }[],
): UnitProgress[] {
  const map = new Map<number | null, UnitProgress>();
  for (const t of tasks) {
    const key = t.lead?.id ?? null;
    let row = map.get(key);
    if (!row) {
      row = { unitId: key, unitName: t.lead?.name ?? NO_UNIT_NAME, counts: emptyCounts(), total: 0 };
      map.set(key, row);
    }
    row.counts[t.state]++;
    row.total++;
  }
  // Units in first-seen (plan) order; tasks without a unit last.
  return [...map.values()].sort((a, b) => (a.unitId === null ? 1 : 0) - (b.unitId === null ? 1 : 0));
}

export interface AreaProgress {
  /** The plan's numbering, e.g. "2.1"; several joined with ", " when they map to the same pillar; "" for none. */
  code: string;
  title: string;
  pillar: string | null;
  activities: number;
  audience: number;
  cost: number;
}

export interface PillarFigures {
  pillar: string | null;
  activities: number;
  audience: number | null;
  cost: number | null;
}

const pillarLabel = (p: string | null) => (p ? (PILLARS[p as PillarCode] ?? p) : "Chưa xếp lĩnh vực");

/**
 * Figures per content area of a plan. The ledger records an activity's pillar, so content areas that map to the
 * same pillar share one row (codes and titles joined) rather than each claiming the same activities; activities
 * in a pillar no area of the plan uses, or in none, get rows of their own. Rows therefore add up to the totals.
 */
export function summariseByArea(
  areas: { code: string; title: string; pillar: string | null }[],
  figures: PillarFigures[],
): AreaProgress[] {
  const byPillar = new Map<string | null, PillarFigures>();
  for (const f of figures) {
    const cur = byPillar.get(f.pillar) ?? { pillar: f.pillar, activities: 0, audience: 0, cost: 0 };
    cur.activities += f.activities;
    cur.audience = (cur.audience ?? 0) + (f.audience ?? 0);
    cur.cost = (cur.cost ?? 0) + (f.cost ?? 0);
    byPillar.set(f.pillar, cur);
  }
  const rows: AreaProgress[] = [];
  const seen = new Map<string, AreaProgress>();
  for (const a of areas) {
    if (!a.pillar) continue; // nothing in the ledger can point at an area without a pillar
    const existing = seen.get(a.pillar);
    if (existing) {
      existing.code += `, ${a.code}`;
      existing.title += `; ${a.title}`;
      continue;
    }
    const f = byPillar.get(a.pillar);
    const row = {
      code: a.code,
      title: a.title,
      pillar: a.pillar,
      activities: f?.activities ?? 0,
      audience: f?.audience ?? 0,
      cost: f?.cost ?? 0,
    };
    seen.set(a.pillar, row);
    rows.push(row);
  }
  for (const f of byPillar.values()) {
    if (f.pillar && seen.has(f.pillar)) continue;
    if (f.activities === 0) continue;
    rows.push({
      code: "",
      title: f.pillar ? `${pillarLabel(f.pillar)} (ngoài nội dung kế hoạch)` : "Khác, chưa xếp lĩnh vực",
      pillar: f.pillar,
      activities: f.activities,
      audience: f.audience ?? 0,
      cost: f.cost ?? 0,
    });
  }
  return rows;
}

export interface ProgressTotals {
  tasks: number;
  counts: StatusCounts;
  activities: number;
  audience: number;
  cost: number;
}

/** Plan-wide totals from the unit and area rows. */
export function totalsOf(byUnit: UnitProgress[], byArea: AreaProgress[]): ProgressTotals {
  const counts = emptyCounts();
  for (const u of byUnit) for (const s of TASK_STATES) counts[s] += u.counts[s];
  return {
    tasks: countTotal(counts),
    counts,
    activities: byArea.reduce((n, a) => n + a.activities, 0),
    audience: byArea.reduce((n, a) => n + a.audience, 0),
    cost: byArea.reduce((n, a) => n + a.cost, 0),
  };
}

/** Whole numbers with Vietnamese thousands dots: 1500000 → "1.500.000". */
export function formatNumber(n: number): string {
  const s = String(Math.trunc(Math.abs(n))).replace(/\B(?=(\d{3})+(?!\d))/g, ".");
  return n < 0 ? `-${s}` : s;
}
