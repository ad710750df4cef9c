/**
 * The work queue on each staff member's home page: what waits for a step this person may take, with counts and the
 * oldest items first. Pure: the rows come from the features (feedback, questions, tasks); this decides which
 * buckets a role sees (by the action each step needs, so the queue follows the role matrix) and what goes in each.
 */
import { type Action, can, type Role } from "../../core/auth/roles.ts";

export interface WaitingFeedback {
  id: number;
  code: string;
  status: string;
  due_on: string | null;
  received_at: string;
  subject: string;
}
export interface WaitingQuestion {
  id: number;
  code: string;
  status: string;
  received_at: string;
  question: string;
}
export interface QueueTask {
  id: number;
  text: string;
  state: "not_started" | "in_progress" | "done" | "overdue";
  dueOn: string | null;
}

/** A higher level's report request this ward has not answered with an issued report yet. */
export interface OpenReportRequest {
  id: number;
  title: string;
  deadline: string;
}

export interface QueueItem {
  href: string;
  label: string;
  /** ISO date (or date-time) the item has waited since, or its due date for tasks. */
  date: string;
  dateLabel: "Nhận" | "Hạn";
}
export interface QueueBucket {
  key: string;
  title: string;
  count: number;
  /** The oldest (or most urgent) few. */
  items: QueueItem[];
  /** The full list this bucket is part of. */
  listHref: string;
  urgent: boolean;
}

const SHOWN = 5;
/** How far ahead a task's due date puts it in the queue. */
export const TASK_HORIZON_DAYS = 14;

const FEEDBACK_STEPS: { status: string; title: string; action: Action }[] = [
  { status: "received", title: "Phản ánh, kiến nghị chờ vào sổ", action: "feedback.handle" },
  { status: "registered", title: "Phản ánh, kiến nghị chờ phân loại", action: "feedback.handle" },
  { status: "in_scope", title: "Phản ánh, kiến nghị chờ giao đơn vị xử lý", action: "feedback.handle" },
  { status: "processing", title: "Phản ánh, kiến nghị chờ soạn trả lời", action: "feedback.draft" },
  { status: "drafted", title: "Dự thảo trả lời phản ánh chờ phê duyệt", action: "feedback.approve" },
  { status: "decided", title: "Trả lời phản ánh đã duyệt, chờ công bố", action: "feedback.handle" },
];
const QUESTION_STEPS: { status: string; title: string; action: Action }[] = [
  { status: "received", title: "Câu hỏi chờ chuyển đơn vị trả lời", action: "question.handle" },
  { status: "routed", title: "Câu hỏi chờ soạn trả lời", action: "question.draft" },
  { status: "drafted", title: "Dự thảo trả lời câu hỏi chờ phê duyệt", action: "question.approve" },
  { status: "approved", title: "Trả lời câu hỏi đã duyệt, chờ công bố", action: "question.handle" },
];

/** Statuses in which a feedback item's deadline runs (the classification set it). */
const DEADLINE_RUNS = new Set(["in_scope", "processing", "drafted", "decided"]);

const addDays = (iso: string, days: number) => {
  const d = new Date(`${iso}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
};
const short = (s: string) => (s.length > 90 ? `${s.slice(0, 89)}…` : s);

export function buildWorkQueue(input: {
  role: Role;
  feedback: readonly WaitingFeedback[];
  questions: readonly WaitingQuestion[];
  tasks: readonly QueueTask[];
  /** Requests of the province still waiting for this ward's issued report. */
  reportRequests?: readonly OpenReportRequest[];
  today: string;
}): QueueBucket[] {
  const { role, today } = input;
  const buckets: QueueBucket[] = [];
  const bucket = (b: Omit<QueueBucket, "count" | "items">, items: QueueItem[]) =>
    buckets.push({ ...b, count: items.length, items: items.slice(0, SHOWN) });
  const feedbackItem = (f: WaitingFeedback): QueueItem => ({
    href: `/quan-tri/phan-anh/${f.id}`,
    label: `${f.code}: ${short(f.subject)}`,
    date: f.received_at,
    dateLabel: "Nhận",
  });

  if (can(role, "feedback.open")) {
    const overdue = input.feedback
      .filter((f) => f.due_on != null && DEADLINE_RUNS.has(f.status) && f.due_on < today)
      .sort((a, b) => (a.due_on as string).localeCompare(b.due_on as string));
    bucket(
      { key: "feedback-overdue", title: "Phản ánh, kiến nghị quá hạn", listHref: "/quan-tri/phan-anh", urgent: true },
      overdue.map((f) => ({ ...feedbackItem(f), date: f.due_on as string, dateLabel: "Hạn" })),
    );
  }
  for (const step of FEEDBACK_STEPS)
    if (can(role, step.action))
      bucket(
        { key: `feedback-${step.status}`, title: step.title, listHref: "/quan-tri/phan-anh", urgent: false },
        input.feedback.filter((f) => f.status === step.status).map(feedbackItem),
      );
  for (const step of QUESTION_STEPS)
    if (can(role, step.action))
      bucket(
        { key: `question-${step.status}`, title: step.title, listHref: "/quan-tri/hoi-dap", urgent: false },
        input.questions
          .filter((q) => q.status === step.status)
          .map((q) => ({
            href: `/quan-tri/hoi-dap/${q.id}`,
            label: `${q.code}: ${short(q.question)}`,
            date: q.received_at,
            dateLabel: "Nhận",
          })),
      );
  if (can(role, "task.update")) {
    const taskItem = (t: QueueTask): QueueItem => ({
      href: `/quan-tri/nhiem-vu/${t.id}`,
      label: short(t.text),
      date: t.dueOn ?? "",
      dateLabel: "Hạn",
    });
    const byDue = (a: QueueTask, b: QueueTask) => (a.dueOn ?? "9999").localeCompare(b.dueOn ?? "9999");
    bucket(
      { key: "tasks-overdue", title: "Nhiệm vụ quá hạn", listHref: "/quan-tri/viec-cua-toi", urgent: true },
      input.tasks
        .filter((t) => t.state === "overdue")
        .sort(byDue)
        .map(taskItem),
    );
    const horizon = addDays(today, TASK_HORIZON_DAYS);
    bucket(
      {
        key: "tasks-due",
        title: `Nhiệm vụ đến hạn trong ${TASK_HORIZON_DAYS} ngày`,
        listHref: "/quan-tri/viec-cua-toi",
        urgent: false,
      },
      input.tasks
        .filter((t) => t.state !== "done" && t.state !== "overdue" && t.dueOn && t.dueOn >= today && t.dueOn <= horizon)
        .sort(byDue)
        .map(taskItem),
    );
  }
  if (can(role, "report.draft") && input.reportRequests) {
    const open = [...input.reportRequests].sort((a, b) => a.deadline.localeCompare(b.deadline));
    bucket(
      {
        key: "report-requests",
        title: "Yêu cầu báo cáo của cấp trên chưa ban hành",
        listHref: "/quan-tri/bao-cao",
        urgent: open.some((r) => r.deadline < today),
      },
      open.map((r) => ({
        href: "/quan-tri/bao-cao#yeu-cau",
        label: short(r.title),
        date: r.deadline,
        dateLabel: "Hạn",
      })),
    );
  }
  return buckets;
}
