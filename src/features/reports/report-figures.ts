/**
 * Every figure of a ward's report over a period, computed from stored records only (never typed): the ledger by
 * channel and by pillar, the plan and its tasks by lead unit, feedback and questions, the procedures put in force,
 * changed and abolished and the notice-board prints, the satisfaction index. Each figure is read through the owning
 * feature's exported function. A report covers all the ward's work, or one plan (`scope.planId`): then the ledger
 * counts only that plan's activities and the tasks are that plan's; the other figures are the ward's, whatever plan.
 *
 * Figures are stored with the report (frozen when issued). Sections added after the first issued reports are
 * optional here: a report stored before them reads without them, and the document leaves their part out.
 */
import type { Kysely } from "kysely";
import type { Database } from "../../core/db/schema.ts";
import type { Ward } from "../../core/web/context.ts";
import { type FeedbackFigures, feedbackFigures } from "../feedback/feedback.figures.ts";
import { ledgerFigures, planCovering, planOfWards } from "../plans/ledger.ts";
import type { UnitProgress } from "../plans/progress.ts";
import { planProgress } from "../plans/tracking.read.ts";
import { type ProcedureFigures, procedureFigures } from "../procedures/procedures.figures.ts";
import { questionFigures } from "../questions/questions.figures.ts";
import { type SatisfactionFigures, satisfactionFigures } from "../surveys/surveys.figures.ts";
import { trainingFiguresOf } from "../training/training.service.ts";
import type { TrainingFigures } from "../training/training-figures.ts";
import type { Period } from "./periods.ts";

export interface ReportFigures {
  /** When these figures were computed (ISO instant): an issued report keeps them as they were then. */
  computedAt: string;
  period: { from: string; to: string };
  plan: { id: number; number: string; title: string } | null;
  /** "plan": the report covers only `plan`; absent or "ward" (reports before migration 022): all the ward's work. */
  scope?: "ward" | "plan";
  ledger: Awaited<ReturnType<typeof ledgerFigures>>;
  /** Task states per lead unit, as of the period's end (or today, if earlier); null without a plan. */
  tasks: UnitProgress[] | null;
  feedback: FeedbackFigures;
  questions: { received: number; answered: number };
  /** Procedures newly in force, changed, abolished; notice-board prints (absent in reports stored before them). */
  procedures?: ProcedureFigures;
  /** The satisfaction index of the rounds closed in the period (absent in reports stored before it). */
  satisfaction?: SatisfactionFigures;
  /** Training and commendations of the period (issue 9 §3); absent from reports frozen before they were counted. */
  training?: TrainingFigures;
}

/** What a report counts: all the ward's work (planId null) or one plan's; the procedure levels the ward shows. */
export interface FigureScope {
  planId?: number | null;
  procedureLevels?: readonly string[];
}

export async function computeReportFigures(
  db: Kysely<Database>,
  ward: Ward,
  period: Pick<Period, "from" | "to">,
  now: Date,
  today: string,
  scope: FigureScope = {},
): Promise<ReportFigures> {
  const wardIds = ward.scopeIds;
  const asOf = period.to < today ? period.to : today;
  const planId = scope.planId ?? null;
  const plan = planId != null ? await planOfWards(db, wardIds, planId) : await planCovering(db, wardIds, asOf);
  if (planId != null && !plan) throw new Error(`plan ${planId} is not one of this ward's`);
  const [ledger, progress, feedback, questions, procedures, satisfaction, training] = await Promise.all([
    ledgerFigures(db, wardIds, period, planId),
    plan ? planProgress(db, plan.id, asOf) : null,
    feedbackFigures(db, wardIds, period),
    questionFigures(db, wardIds, period),
    procedureFigures(db, ward, period, scope.procedureLevels),
    satisfactionFigures(db, wardIds, period),
    trainingFiguresOf(db, wardIds, period),
  ]);
  return {
    computedAt: now.toISOString(),
    period: { from: period.from, to: period.to },
    plan: plan ? { id: plan.id, number: plan.number, title: plan.title } : null,
    scope: planId != null ? "plan" : "ward",
    ledger,
    tasks: progress ? progress.byUnit : null,
    feedback,
    questions,
    procedures,
    satisfaction,
    training,
  };
}
