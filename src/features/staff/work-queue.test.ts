import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { buildWorkQueue, type QueueTask, type WaitingFeedback, type WaitingQuestion } from "./work-queue.ts";

const today = "2026-03-02";
const fb = (id: number, status: string, due_on: string | null = null): WaitingFeedback => ({
  id,
  code: `PA-2026-${id}`,
  status,
  due_on,
  received_at: `2026-02-${String(id).padStart(2, "0")}T02:00:00Z`,
  subject: `Phản ánh số ${id}`,
});
const qu = (id: number, status: string): WaitingQuestion => ({
  id,
  code: `HD-2026-${id}`,
  status,
  received_at: "2026-02-20T02:00:00Z",
  question: `Câu hỏi ${id}`,
});
const task = (id: number, state: QueueTask["state"], dueOn: string | null): QueueTask => ({
  id,
  text: `Nhiệm vụ ${id}`,
  state,
  dueOn,
});

const feedback = [
  fb(1, "received"),
  fb(2, "registered"),
  fb(3, "processing", "2026-02-27"),
  fb(4, "drafted", "2026-03-10"),
  fb(5, "decided"),
];
const questions = [qu(11, "received"), qu(12, "routed"), qu(13, "drafted"), qu(14, "approved")];
const tasks = [
  task(21, "overdue", "2026-02-01"),
  task(22, "not_started", "2026-03-10"),
  task(23, "in_progress", "2026-05-01"),
  task(24, "done", "2026-03-05"),
  task(25, "not_started", null),
];
const countOf = (b: ReturnType<typeof buildWorkQueue>, key: string) => b.find((x) => x.key === key)?.count;

describe("the staff work queue", () => {
  test("a coordinator sees the steps the office takes: register, classify, assign, draft, publish; not approve", () => {
    const b = buildWorkQueue({ role: "coordinator", feedback, questions, tasks, today });
    assert.equal(countOf(b, "feedback-received"), 1, "to register");
    assert.equal(countOf(b, "feedback-registered"), 1, "to classify");
    assert.equal(countOf(b, "feedback-processing"), 1, "the coordinator may draft too");
    assert.equal(countOf(b, "feedback-decided"), 1, "to publish");
    assert.equal(countOf(b, "feedback-drafted"), undefined, "approving is the leader's");
    assert.equal(countOf(b, "question-received"), 1, "to route");
    assert.equal(countOf(b, "question-approved"), 1, "to publish");
    assert.equal(countOf(b, "feedback-overdue"), 1, "the item past its due date");
    assert.equal(countOf(b, "tasks-overdue"), 1, "the overdue task");
    assert.equal(countOf(b, "tasks-due"), 1, "only the open task due within 14 days");
  });

  test("a leader sees what waits for approval and what is overdue", () => {
    const b = buildWorkQueue({ role: "leader", feedback, questions, tasks, today });
    assert.equal(countOf(b, "feedback-drafted"), 1, "feedback drafts to approve");
    assert.equal(countOf(b, "question-drafted"), 1, "question drafts to approve");
    assert.equal(countOf(b, "feedback-received"), undefined, "registering is the office's");
    assert.equal(countOf(b, "feedback-overdue"), 1, "overdue items");
  });

  test("an officer sees drafting and tasks; a viewer sees nothing", () => {
    const officer = buildWorkQueue({ role: "officer", feedback, questions, tasks, today });
    assert.deepEqual(
      officer.map((x) => x.key),
      ["feedback-overdue", "feedback-processing", "question-routed", "tasks-overdue", "tasks-due"],
      "the officer's buckets, in order",
    );
    assert.deepEqual(buildWorkQueue({ role: "viewer", feedback, questions, tasks, today }), [], "no queue");
  });

  test("a bucket lists at most five items, oldest first, and keeps the full count", () => {
    const many = Array.from({ length: 8 }, (_, i) => fb(i + 1, "received"));
    const b = buildWorkQueue({ role: "admin", feedback: many, questions: [], tasks: [], today });
    const received = b.find((x) => x.key === "feedback-received");
    assert.equal(received?.count, 8, "all eight counted");
    assert.equal(received?.items.length, 5, "five shown");
    assert.equal(received?.items[0]?.href, "/quan-tri/phan-anh/1", "the oldest first");
  });

  test("the overdue bucket is sorted by due date and shows it", () => {
    const b = buildWorkQueue({
      role: "coordinator",
      feedback: [fb(1, "processing", "2026-02-28"), fb(2, "drafted", "2026-02-10"), fb(3, "received", "2026-01-01")],
      questions: [],
      tasks: [],
      today,
    });
    const overdue = b.find((x) => x.key === "feedback-overdue");
    assert.equal(overdue?.count, 2, "a received item has no running deadline yet");
    assert.equal(overdue?.items[0]?.date, "2026-02-10", "the most overdue first");
    assert.equal(overdue?.items[0]?.dateLabel, "Hạn", "labelled as the deadline");
  });
});

describe("report requests in the work queue", () => {
  const today = "2026-03-10";
  const base = { feedback: [], questions: [], tasks: [], today };
  const requests = [
    { id: 2, title: "Báo cáo quý I năm 2026", deadline: "2026-03-20" },
    { id: 1, title: "Báo cáo đột xuất", deadline: "2026-03-05" },
  ];
  test("those who draft reports see the open requests, the earliest deadline first, urgent once one is past", () => {
    const bucket = buildWorkQueue({ ...base, role: "coordinator", reportRequests: requests }).find(
      (b) => b.key === "report-requests",
    );
    assert.equal(bucket?.count, 2, "both open requests are counted");
    assert.deepEqual(
      bucket?.items.map((i) => i.label),
      ["Báo cáo đột xuất", "Báo cáo quý I năm 2026"],
      "earliest deadline first",
    );
    assert.equal(bucket?.urgent, true, "a request past its deadline makes the bucket urgent");
  });
  test("an officer, who drafts no report, does not", () => {
    const keys = buildWorkQueue({ ...base, role: "officer", reportRequests: requests }).map((b) => b.key);
    assert.equal(keys.includes("report-requests"), false, "no request bucket for an officer");
  });
});
