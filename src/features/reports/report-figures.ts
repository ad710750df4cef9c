/**
 * Every figure of a ward's report over a period, computed from stored records only (never typed): the ledger by
 * channel and by pillar, the plan in force and its tasks by lead unit, feedback and questions. Each figure is read
 * through the owning feature's exported function.
 */
import type { Kysely } from "kysely";
import type { Database } from "../../core/db/schema.ts";
import type { Ward } from "../../core/web/context.ts";
import { type FeedbackFigures, feedbackFigures } from "../feedback/feedback.figures.ts";
import { ledgerFigures, planCovering } from "../plans/ledger.ts";
import type { UnitProgress } from "../plans/progress.ts";
import { planProgress } from "../plans/tracking.read.ts";
import { questionFigures } from "../questions/questions.figures.ts";
import { trainingFiguresOf } from "../training/training.service.ts";
import type { TrainingFigures } from "../training/training-figures.ts";
import type { Period } from "./periods.ts";

export interface ReportFigures {
  /** When these figures were computed (ISO instant): an issued report keeps them as they were then. */
  computedAt: string;
  period: { from: string; to: string };
  plan: { id: number; number: string; title: string } | null;
  ledger: Awaited<ReturnType<typeof ledgerFigures>>;
  /** Task states per lead unit, as of the period's end (or today, if earlier); null without a plan. */
  tasks: UnitProgress[] | null;
  feedback: FeedbackFigures;
  questions: { received: number; answered: number };
  /** Training and commendations of the period (issue 9 §3); absent from reports frozen before they were counted. */
  training?: TrainingFigures;
}

export async function computeReportFigures(
  db: Kysely<Database>,
  ward: Ward,
  period: Pick<Period, "from" | "to">,
  now: Date,
  today: string,
): Promise<ReportFigures> {
  const scope = ward.scopeIds;
  const asOf = period.to < today ? period.to : today;
  const plan = await planCovering(db, scope, asOf);
  const [ledger, progress, feedback, questions] = await Promise.all([
    ledgerFigures(db, scope, period),
    plan ? planProgress(db, plan.id, asOf) : null,
    feedbackFigures(db, scope, period),
    questionFigures(db, scope, period),
  ]);
  return {
    computedAt: now.toISOString(),
    period: { from: period.from, to: period.to },
    plan: plan ? { id: plan.id, number: plan.number, title: plan.title } : null,
    ledger,
    tasks: progress ? progress.byUnit : null,
    feedback,
    questions,
    training: await trainingFiguresOf(db, scope, period),
  };
}
