import assert from "node:assert/strict";
import { test } from "node:test";
import { type Answer, computeIndex, defaultQuestions, type Question, round1 } from "./sipas.ts";
import { aboutOf, FIELD_MESSAGE } from "./surveys.about.ts";
import { indexPerField, resultsJson, type SurveyResults } from "./surveys.results.ts";
import type { Survey } from "./surveys.service.ts";

const questions: Question[] = defaultQuestions().map((q, i) => ({ ...q, id: i + 1 }));
const a = (questionId: number, score: number, field: string | null): Answer => ({
  questionId,
  score,
  month: "2026-03",
  field,
});

// Hộ tịch: F1.1 (q1) 5, 2 → 1/2 = 50, so F1 = 50; F2.1 (q5) 4 → F2 = 100. Overall (50 + 100) / 2 = 75.
// Đất đai: F3.1 (q10) 3 → F3 = 0; F4.1 (q16) 4, 5 → F4 = 100; F5.1 (q19) 5 → F5 = 100. Overall 200 / 3 = 66.7.
// No field: F1.1 (q1) 5 → F1 = 100. Overall 100.
const answers = [
  a(1, 5, "Hộ tịch"),
  a(1, 2, "Hộ tịch"),
  a(5, 4, "Hộ tịch"),
  a(10, 3, "Đất đai"),
  a(16, 4, "Đất đai"),
  a(16, 5, "Đất đai"),
  a(19, 5, "Đất đai"),
  a(1, 5, null),
];

test("the index per field, by the stated formula, on hand-worked figures", () => {
  const fields = indexPerField(questions, answers);
  assert.deepEqual(
    fields.map((f) => [f.field, round1(f.result.overall), f.result.answers]),
    [
      ["Đất đai", 66.7, 4],
      ["Hộ tịch", 75, 3],
      [null, 100, 1],
    ],
    "named fields in Vietnamese order (Đ after D, before H), no field last",
  );
  assert.deepEqual(
    fields[1]?.result.factors.map((f) => round1(f.index)),
    [50, 100, null, null, null],
  );
  // Each field stands alone: all answers together give another figure.
  // F1.1 over all fields: 5, 2, 5 → 66.7.
  assert.equal(round1(computeIndex(questions, answers).overall), 73.3, "(66.7 + 100 + 0 + 100 + 100) / 5");
});

test("the API's byField: one decimal, factors by code, alongside the existing fields", () => {
  const survey = { id: 7, field: null } as Survey;
  const r: SurveyResults = {
    survey,
    responses: 8,
    index: computeIndex(questions, answers),
    months: [],
    fields: indexPerField(questions, answers),
  };
  const json = resultsJson(r);
  assert.deepEqual(Object.keys(json), ["surveyId", "overall", "factors", "byMonth", "byField"]);
  assert.deepEqual(json.byField[0], {
    field: "Đất đai",
    overall: 66.7,
    answers: 4,
    factors: [
      { code: "F1", index: null },
      { code: "F2", index: null },
      { code: "F3", index: 0 },
      { code: "F4", index: 100 },
      { code: "F5", index: 100 },
    ],
  });
  assert.equal(json.byField[2]?.field, null);
});

test("what a response is about: the survey's field, else the named procedure's, else a field from the list", () => {
  const fields = ["Đất đai", "Hộ tịch"];
  const proc = { code: "1.000253", name: "Trích lục khai sinh", field: "Hộ tịch" };
  assert.deepEqual(aboutOf({ field: "Chứng thực" }, "Đất đai", proc, fields), {
    ok: true,
    value: { field: "Chứng thực", procedureCode: "1.000253" },
  });
  assert.deepEqual(aboutOf({ field: null }, "Đất đai", proc, fields), {
    ok: true,
    value: { field: "Hộ tịch", procedureCode: "1.000253" },
  });
  assert.deepEqual(aboutOf({ field: null }, "Đất đai", null, fields), {
    ok: true,
    value: { field: "Đất đai", procedureCode: null },
  });
  assert.deepEqual(aboutOf({ field: null }, "", null, fields), {
    ok: true,
    value: { field: null, procedureCode: null },
  });
  assert.deepEqual(aboutOf({ field: null }, "Thuế", null, fields), { ok: false, errors: { field: FIELD_MESSAGE } });
});
