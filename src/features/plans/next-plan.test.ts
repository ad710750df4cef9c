import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { moveYear, nextYearContent, nextYearDate } from "./next-plan.ts";
import type { PlanContent } from "./plan-content.ts";

describe("next year's plan from this year's", () => {
  test("the plan's own times move on a year; cited documents keep their dates", () => {
    assert.equal(
      moveYear("Tuyên truyền cải cách hành chính năm 2024", 2024),
      "Tuyên truyền cải cách hành chính năm 2025",
    );
    assert.equal(moveYear("Hoàn thành trong quý II/2024.", 2024), "Hoàn thành trong quý II/2025.");
    assert.equal(moveYear("trong tháng 6/2024", 2024), "trong tháng 6/2025");
    assert.equal(moveYear("trước ngày 30/6/2024", 2024), "trước ngày 30/6/2025");
    assert.equal(
      moveYear("Căn cứ Quyết định số 181/QĐ-UBND ngày 29/12/2024 của UBND phường", 2024),
      "Căn cứ Quyết định số 181/QĐ-UBND ngày 29/12/2024 của UBND phường",
      "a cited document keeps its date",
    );
    assert.equal(
      moveYear("giai đoạn 2021 - 2024, định hướng đến năm 2030", 2024),
      "giai đoạn 2021 - 2024, định hướng đến năm 2030",
      "a range and another year are not the plan's year",
    );
    assert.equal(moveYear("Luật An ninh mạng 2018", 2024), "Luật An ninh mạng 2018");
  });

  test("dates move a year; 29 February becomes 28 February", () => {
    assert.equal(nextYearDate("2024-12-31"), "2025-12-31");
    assert.equal(nextYearDate("2024-02-29"), "2025-02-28");
  });

  test("the copy keeps texts, units in force and timing, names today's ward and leaves the signer's name open", () => {
    const c: PlanContent = {
      issuer: "UBND phường Phổ Minh",
      place: "Phổ Minh",
      title: "Tuyên truyền cải cách hành chính năm 2024",
      period: { from: "2024-01-01", to: "2024-12-31" },
      basis: ["Căn cứ Quyết định số 181/QĐ-UBND ngày 29/12/2023 về Kế hoạch cải cách hành chính năm 2024."],
      purposes: ["Nâng cao nhận thức năm 2024."],
      requirements: ["Kịp thời."],
      documentsToCommunicate: "",
      contentAreas: [{ title: "Về cải cách thể chế", pillar: "institutions", items: ["Tuyên truyền văn bản."] }],
      channels: [{ title: "Đài truyền thanh phường", kind: "radio" }],
      budget: null,
      groups: [
        {
          heading: "Đài truyền thanh phường",
          leadUnitId: 7,
          tasks: [{ text: "Phát bản tin", timing: "quý II/2024", supportUnits: [{ id: 9, name: "Tổ dân phố" }] }],
        },
        { heading: "Ban đã giải thể", leadUnitId: 8, tasks: [] },
      ],
      recipients: ["Lưu: VT"],
      signer: { authority: null, onBehalfOf: null, position: "CHỦ TỊCH", name: "Lê Duy Bảo" },
    };
    const n = nextYearContent(c, { name: "Phường Đức Phổ", shortName: "Đức Phổ", unitIds: new Set([7]) });
    assert.equal(n.issuer, "UBND phường Đức Phổ");
    assert.equal(n.place, "Đức Phổ");
    assert.equal(n.title, "Tuyên truyền cải cách hành chính năm 2025");
    assert.deepEqual(n.period, { from: "2025-01-01", to: "2025-12-31" });
    assert.deepEqual(n.basis, c.basis, "the bases are carried for staff to edit");
    assert.equal(n.purposes[0], "Nâng cao nhận thức năm 2025.");
    assert.equal(n.groups[0]?.leadUnitId, 7, "a unit in force keeps its tasks");
    assert.equal(n.groups[0]?.tasks[0]?.timing, "quý II/2025");
    assert.deepEqual(n.groups[0]?.tasks[0]?.supportUnits, [], "a unit no longer in force is not asked to support");
    assert.equal(n.groups[1]?.leadUnitId, null, "a retired unit leaves its group to be given to another");
    assert.equal(n.signer.name, null, "the signer is named when the plan is issued");
    assert.equal(n.signer.position, "CHỦ TỊCH");
  });
});
