import assert from "node:assert/strict";
import { test } from "node:test";
import {
  type Answer,
  computeIndex,
  defaultQuestions,
  formatIndex,
  indexByField,
  indexByMonth,
  type Question,
  round1,
  SIPAS_FACTORS,
} from "./sipas.ts";

const questions: Question[] = defaultQuestions().map((q, i) => ({ ...q, id: i + 1 }));
const a = (questionId: number, score: number, month = "2026-03", field: string | null = "Hộ tịch"): Answer => ({
  questionId,
  score,
  month,
  field,
});

test("the defaults: 5 factors, 22 criteria, numbered in order", () => {
  assert.equal(SIPAS_FACTORS.length, 5);
  assert.deepEqual(
    SIPAS_FACTORS.map((f) => f.criteria.length),
    [4, 5, 6, 3, 4],
  );
  assert.equal(questions.length, 22);
  assert.equal(questions[4]?.criterion, "F2.1");
  assert.equal(questions[21]?.position, 22);
});

// March: q1 (F1.1) 5,4,2 → 2/3 = 66.67; q2 (F1.2) 3 → 0; F1 = 33.33. q5 (F2.1) 4,4 → F2 = 100. q10 (F3.1) 1 →
// F3 = 0. q16 (F4.1) 5 → F4 = 100. F5 unanswered → left out. Overall = (33.33 + 100 + 0 + 100) / 4 = 58.33.
const march = [a(1, 5), a(1, 4), a(1, 2), a(2, 3), a(5, 4), a(5, 4), a(10, 1), a(16, 5)];
// April: q19 (F5.1) 5,1 → F5 = 50, the only factor: overall 50.
const april = [a(19, 5, "2026-04", "Đất đai"), a(19, 1, "2026-04", "Đất đai")];

test("the stated formula on hand-computed figures", () => {
  const r = computeIndex(questions, march);
  assert.equal(r.answers, 8);
  const f1 = r.factors[0];
  assert.equal(round1(f1?.criteria[0]?.index ?? null), 66.7);
  assert.equal(f1?.criteria[1]?.index, 0);
  assert.equal(f1?.criteria[2]?.index, null, "an unanswered criterion has no index");
  assert.equal(round1(f1?.index ?? null), 33.3, "unanswered criteria are left out of the factor's mean");
  assert.deepEqual(
    r.factors.map((f) => round1(f.index)),
    [33.3, 100, 0, 100, null],
  );
  assert.deepEqual(r.missingFactors, ["F5"]);
  assert.equal(r.factors[4]?.missing, true);
  assert.equal(round1(r.overall), 58.3);
  assert.equal(formatIndex(r.overall), "58,3");
});

test("all answers together, per month and per field", () => {
  const all = computeIndex(questions, [...march, ...april]);
  // (33.33 + 100 + 0 + 100 + 50) / 5 = 56.67
  assert.equal(round1(all.overall), 56.7);
  assert.deepEqual(all.missingFactors, []);
  const months = indexByMonth(questions, [...april, ...march]);
  assert.deepEqual(
    months.map((m) => [m.month, round1(m.result.overall)]),
    [
      ["2026-03", 58.3],
      ["2026-04", 50],
    ],
  );
  const fields = indexByField(questions, [...march, ...april]);
  assert.deepEqual(
    fields.map((f) => [f.field, round1(f.result.overall)]),
    [
      ["Đất đai", 50],
      ["Hộ tịch", 58.3],
    ],
  );
});

test("no answers: no index; a score outside 1–5 is not counted", () => {
  const none = computeIndex(questions, []);
  assert.equal(none.overall, null);
  assert.equal(none.missingFactors.length, 5);
  assert.equal(formatIndex(none.overall), "—");
  const bad = computeIndex(questions, [a(1, 7), a(1, 5)]);
  assert.equal(bad.answers, 1);
  assert.equal(bad.overall, 100);
});
