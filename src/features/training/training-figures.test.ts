import assert from "node:assert/strict";
import { test } from "node:test";
import { trainingFigures } from "./training-figures.ts";

test("a course counts once however many go; a person once however many courses; the absent are not attendees", () => {
  const row = (person_name: string, org_unit_id: number, course: string, attendance = "attended") => ({
    person_name,
    org_unit_id,
    course,
    organiser: "Sở Nội vụ tỉnh Quảng Ngãi",
    attendance,
  });
  const f = trainingFigures(
    [
      row("Nguyễn Văn An", 1, "Bồi dưỡng kỹ năng tuyên truyền CCHC"),
      row("Trần Thị Bình", 2, "Bồi dưỡng kỹ năng tuyên truyền CCHC", "partial"),
      row("Nguyễn Văn  An", 1, "Chuyển đổi số trong cơ quan nhà nước"),
      row("Lê Văn Cường", 2, "bồi dưỡng kỹ năng tuyên truyền cchc", "absent"),
    ],
    [{ recipient_kind: "person" }, { recipient_kind: "unit" }, { recipient_kind: "person" }],
  );
  assert.deepEqual(f, {
    courses: 2,
    trainees: 3,
    attended: 3,
    commendations: { total: 3, persons: 2, units: 1 },
  });
});
