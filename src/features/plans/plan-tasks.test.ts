import assert from "node:assert/strict";
import { test } from "node:test";
import { taskOf, timingMeaning, timingOf } from "./plan-tasks.ts";

test("a sentence that only mentions regularity states no timing (issue 8, C.3)", () => {
  const text =
    "Theo dõi tình hình, kết quả thực hiện cải cách hành chính của cơ quan, đảm bảo tính thường xuyên, liên tục, chính xác.";
  assert.equal(timingOf(text), null);
  assert.deepEqual(taskOf(text, "1"), {
    text,
    group: "1",
    supportingUnitTexts: [],
    timing: null,
    recurrence: null,
    dueOn: null,
  });
});

test("timing is read where a task states it", () => {
  const cases: [string, string, string | null, string | null][] = [
    ["Thường xuyên rà soát, cập nhật bộ thủ tục hành chính.", "thường xuyên", "continuous", null],
    ["Đăng tải thông tin trên Trang thông tin điện tử thường xuyên.", "thường xuyên", "continuous", null],
    ["Cập nhật tin bài (thường xuyên).", "thường xuyên", "continuous", null],
    ["Phát tin bài hằng tháng.", "hằng tháng", "monthly", null],
    ["Tổ chức tuyên truyền; báo cáo kết quả định kỳ hàng quý.", "định kỳ hàng quý", "quarterly", null],
    ["Tổ chức hội nghị tuyên truyền. Thời gian: quý II/2024.", "quý II/2024", null, "2024-06-30"],
    ["Tổ chức hội nghị - Thời gian thực hiện: trong tháng 9/2025", "trong tháng 9/2025", null, "2025-09-30"],
    ["Hoàn thành trước ngày 30/6/2024 việc bố trí kinh phí.", "ngày 30/6/2024", null, "2024-06-30"],
    ["Tổ chức cuộc thi tìm hiểu trong quý III/2025.", "quý III/2025", null, "2025-09-30"],
    ["Thực hiện theo Kế hoạch số 12/KH-UBND ngày 05/01/2024 của UBND tỉnh.", "", null, null],
  ];
  for (const [text, timing, recurrence, dueOn] of cases) {
    const t = taskOf(text, "1");
    assert.deepEqual([t.timing ?? "", t.recurrence, t.dueOn], [timing, recurrence, dueOn], text);
  }
});

test("a timing edited in the preview is read the same way; cleared, the task has none", () => {
  assert.deepEqual(timingMeaning("Hằng quý"), { timing: "Hằng quý", recurrence: "quarterly", dueOn: null });
  assert.deepEqual(timingMeaning("30/6/2024"), { timing: "30/6/2024", recurrence: null, dueOn: "2024-06-30" });
  assert.deepEqual(timingMeaning("  "), { timing: null, recurrence: null, dueOn: null });
});

test("timing in free words: a month, a quarter, a half-year, a day without its year, a range, a frequency", () => {
  const cases: [string, string | null, string | null][] = [
    ["Tháng 6/2024", null, "2024-06-30"],
    ["tháng 6 năm 2024", null, "2024-06-30"],
    ["Tháng 2", null, "2025-02-28"],
    ["Quý II", null, "2025-06-30"],
    ["Quý 4/2024", null, "2024-12-31"],
    ["Trước ngày 30/6", null, "2025-06-30"],
    ["trước ngày 15/10/2024", null, "2024-10-15"],
    ["6 tháng đầu năm", null, "2025-06-30"],
    ["Cả năm", null, "2025-12-31"],
    ["Năm 2024", null, "2024-12-31"],
    ["Từ tháng 3 đến tháng 5/2024", null, "2024-05-31"],
    ["Thường xuyên", "continuous", null],
    ["Liên tục, thường xuyên", "continuous", null],
    ["Hằng tháng", "monthly", null],
    ["Hàng quý", "quarterly", null],
    ["Định kỳ hằng năm", "yearly", null],
    ["Hàng năm", "yearly", null],
    ["Khi có yêu cầu", null, null],
  ];
  for (const [timing, recurrence, dueOn] of cases) {
    const m = timingMeaning(timing, 2025);
    assert.deepEqual([m.recurrence, m.dueOn], [recurrence, dueOn], timing);
  }
  assert.equal(timingMeaning("Quý II", null).dueOn, null, "no year known: no guess");
});
