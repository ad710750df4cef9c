/**
 * Where each figure of a report comes from, as links into the staff pages that list the records it counts: the
 * ledger filtered by the report's period and channel or content area (and plan, for a plan's report); the plan's tasks
 * by lead unit and state (as of the day the figures were computed for); the feedback and questions of each figure;
 * the procedures newly in force, changed or abolished and the notice-board prints; the survey responses of the rounds
 * closed in the period; training and commendations. Each list picks its records by the figure's own rule.
 * Pure: stored figures in, links out; a report stored before a section existed gets no links for it.
 */
import { vnToday } from "../../core/text/vi.ts";
import { ledgerListHref } from "../plans/ledger.list.tsx";
import type { TaskState } from "../plans/progress.ts";
import { boardPrintsHref, procedureChangesHref } from "../procedures/procedures.changes.tsx";
import { surveyResponsesHref } from "../surveys/surveys.staff.tsx";
import type { ReportFigures } from "./report-figures.ts";

export interface FigureLink {
  label: string;
  value: number;
  href: string;
}

/** The task states a report gives per unit, each linked. */
const TASK_LINK_STATES: [TaskState, string][] = [
  ["done", "hoàn thành"],
  ["in_progress", "đang thực hiện"],
  ["overdue", "quá hạn"],
];

export interface FigureLinkGroup {
  title: string;
  links: FigureLink[];
}

const query = (params: Record<string, string>) => new URLSearchParams(params).toString();

function feedbackHref(period: { from: string; to: string }, extra: Record<string, string> = {}) {
  return `/quan-tri/phan-anh?${query({ tu: period.from, den: period.to, ...extra })}`;
}

const trainingHref = (period: { from: string; to: string }, extra: Record<string, string>) =>
  `/quan-tri/dao-tao?${query({ tu: period.from, den: period.to, ...extra })}`;

/** The tasks of a plan one figure counts: its lead unit, a state, as of the day the figures were computed for. */
function tasksHref(planId: number, unitId: number | null, asOf: string, state?: TaskState) {
  const p: Record<string, string> = { "don-vi": unitId == null ? "none" : String(unitId), ngay: asOf };
  if (state) p["trang-thai"] = state;
  return `/quan-tri/ke-hoach/${planId}?${query(p)}#nhiem-vu`;
}

/** Every link is a staff page of the ward's own records. */
export function figureLinks(f: ReportFigures): FigureLinkGroup[] {
  const period = f.period;
  const planId = f.scope === "plan" ? (f.plan?.id ?? null) : null;
  // The day task states were computed for: the period's end, or the day of computing if that was earlier.
  const computedOn = vnToday(new Date(f.computedAt));
  // biome-ignore lint/complexity/useMathMinMax: ISO dates are strings; Math.min would turn them into NaN.
  const asOf = period.to < computedOn ? period.to : computedOn;
  const groups: FigureLinkGroup[] = [];
  groups.push({
    title: "Hoạt động tuyên truyền",
    links: [
      { label: "Tất cả hoạt động trong kỳ", value: f.ledger.total.count, href: ledgerListHref({ ...period, planId }) },
      ...f.ledger.byChannel.map((l) => ({
        label: l.label,
        value: l.count,
        href: ledgerListHref({ ...period, channel: l.key, planId }),
      })),
      ...f.ledger.byPillar.map((l) => ({
        label: l.label,
        value: l.count,
        href: ledgerListHref({ ...period, pillar: l.key, planId }),
      })),
    ],
  });
  const plan = f.plan;
  if (plan && f.tasks)
    groups.push({
      title: `Nhiệm vụ của Kế hoạch số ${plan.number}`,
      links: f.tasks.flatMap((u) => [
        { label: u.unitName, value: u.total, href: tasksHref(plan.id, u.unitId, asOf) },
        ...TASK_LINK_STATES.map(([state, label]) => ({
          label: `${u.unitName} — ${label}`,
          value: u.counts[state],
          href: tasksHref(plan.id, u.unitId, asOf, state),
        })),
      ]),
    });
  groups.push({
    title: "Phản ánh, kiến nghị",
    links: [
      { label: "Tiếp nhận trong kỳ", value: f.feedback.received, href: feedbackHref(period) },
      ...f.feedback.byChannel.map((c) => ({
        label: c.label,
        value: c.count,
        href: feedbackHref(period, { kenh: c.key }),
      })),
      { label: "Thuộc thẩm quyền", value: f.feedback.inScope, href: feedbackHref(period, { "so-lieu": "in_scope" }) },
      {
        label: "Chuyển cơ quan có thẩm quyền",
        value: f.feedback.forwarded,
        href: feedbackHref(period, { "so-lieu": "forwarded" }),
      },
      {
        label: "Không tiếp nhận xử lý",
        value: f.feedback.notAccepted,
        href: feedbackHref(period, { "so-lieu": "not_accepted" }),
      },
      {
        label: "Đã trả lời trong kỳ",
        value: f.feedback.answered,
        href: feedbackHref(period, { "so-lieu": "answered" }),
      },
      {
        label: "Trả lời đúng hạn",
        value: f.feedback.answeredOnTime,
        href: feedbackHref(period, { "so-lieu": "answered_on_time" }),
      },
      {
        label: "Quá hạn chưa trả lời",
        value: f.feedback.overdue,
        href: feedbackHref(period, { "so-lieu": "overdue" }),
      },
    ],
  });
  groups.push({
    title: "Hỏi đáp",
    links: [
      {
        label: "Câu hỏi nhận trong kỳ",
        value: f.questions.received,
        href: `/quan-tri/hoi-dap?${query({ tu: period.from, den: period.to, "so-lieu": "received" })}`,
      },
      {
        label: "Câu hỏi đã trả lời",
        value: f.questions.answered,
        href: `/quan-tri/hoi-dap?${query({ tu: period.from, den: period.to, "so-lieu": "answered" })}`,
      },
    ],
  });
  if (f.procedures)
    groups.push({
      title: "Thủ tục hành chính",
      links: [
        {
          label: "Thủ tục mới có hiệu lực",
          value: f.procedures.newInForce,
          href: procedureChangesHref(period, "newInForce"),
        },
        {
          label: "Thủ tục sửa đổi, bổ sung, thay thế",
          value: f.procedures.changed,
          href: procedureChangesHref(period, "changed"),
        },
        { label: "Thủ tục bãi bỏ", value: f.procedures.abolished, href: procedureChangesHref(period, "abolished") },
        { label: "Lần in, niêm yết bảng thủ tục", value: f.procedures.boardPrints, href: boardPrintsHref(period) },
      ],
    });
  if (f.satisfaction?.surveys.length)
    groups.push({
      title: "Khảo sát sự hài lòng (số phiếu của các đợt trong kỳ)",
      links: [
        { label: "Tất cả phiếu", value: f.satisfaction.responses, href: surveyResponsesHref(period) },
        ...f.satisfaction.surveys.map((s) => ({
          label: `Cuộc khảo sát số ${s.id} (${s.rounds} đợt)`,
          value: s.responses,
          href: surveyResponsesHref(period, s.id),
        })),
      ],
    });
  if (f.training)
    groups.push({
      title: "Bồi dưỡng, khen thưởng",
      links: [
        {
          label: "Lượt cán bộ tham dự bồi dưỡng",
          value: f.training.attended,
          href: trainingHref(period, { "danh-sach": "boi-duong", "tham-du": "co" }),
        },
        {
          label: "Khen thưởng",
          value: f.training.commendations.total,
          href: trainingHref(period, { "danh-sach": "khen-thuong" }),
        },
        {
          label: "Khen thưởng cá nhân",
          value: f.training.commendations.persons,
          href: trainingHref(period, { "danh-sach": "khen-thuong", "doi-tuong": "ca-nhan" }),
        },
        {
          label: "Khen thưởng tập thể",
          value: f.training.commendations.units,
          href: trainingHref(period, { "danh-sach": "khen-thuong", "doi-tuong": "tap-the" }),
        },
      ],
    });
  return groups;
}
