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
  const cases: [string, string, "monthly" | "quarterly" | null, string | null][] = [
    ["Thường xuyên rà soát, cập nhật bộ thủ tục hành chính.", "thường xuyên", "monthly", null],
    ["Đăng tải thông tin trên Trang thông tin điện tử thường xuyên.", "thường xuyên", "monthly", null],
    ["Cập nhật tin bài (thường xuyên).", "thường xuyên", "monthly", null],
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
