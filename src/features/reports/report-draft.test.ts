import assert from "node:assert/strict";
import { describe, test } from "node:test";
import type { Block } from "../../core/documents/admin-document.ts";
import { draftNarrative, procedureSentence, reportBody, satisfactionSentence } from "./report-draft.ts";
import type { ReportFigures } from "./report-figures.ts";
import { reportSheets } from "./report-files.ts";
import { figureLinks } from "./report-links.ts";

/** Figures as a report stored before migration 022 holds them: no procedures, no satisfaction, no scope. */
const LEGACY: ReportFigures = {
  computedAt: "2024-03-18T03:00:00.000Z",
  period: { from: "2023-12-15", to: "2024-03-14" },
  plan: { id: 7, number: "18/KH-UBND", title: "Tuyên truyền cải cách hành chính năm 2024" },
  ledger: {
    total: { count: 2, audience: 2700, cost: 350000 },
    byChannel: [{ key: "radio", label: "Đài truyền thanh, phát thanh", count: 2, audience: 2700, cost: 350000 }],
    byPillar: [{ key: "procedures", label: "Cải cách thủ tục hành chính", count: 2, audience: 2700, cost: 350000 }],
  },
  tasks: [
    { unitId: 3, unitName: "Đài truyền thanh", counts: { done: 1, in_progress: 1, overdue: 0 } as never, total: 2 },
  ],
  feedback: {
    received: 3,
    byChannel: [{ key: "phone", label: "Điện thoại", count: 3 }],
    inScope: 2,
    forwarded: 1,
    notAccepted: 0,
    answered: 2,
    answeredOnTime: 1,
    overdue: 1,
  },
  questions: { received: 1, answered: 1 },
};

const CURRENT: ReportFigures = {
  ...LEGACY,
  scope: "plan",
  procedures: { newInForce: 1, changed: 2, abolished: 0, boardPrints: 0 },
  satisfaction: {
    rounds: 1,
    responses: 40,
    overall: 82.5,
    factors: [
      { code: "F1", title: "Tiếp cận dịch vụ", index: 90 },
      { code: "F2", title: "Thủ tục hành chính", index: 75 },
      { code: "F3", title: "Công chức trực tiếp giải quyết", index: null },
    ],
    surveys: [{ id: 4, rounds: 1, responses: 40 }],
  },
};

const headings = (body: Block[]) => body.flatMap((b) => (b.kind === "heading" ? [b.text] : []));
const captions = (body: Block[]) => body.flatMap((b) => (b.kind === "table" ? [b.caption] : []));

describe("the report's new figures in its text, tables and links", () => {
  test("a report stored before them reads exactly as issued: four sections, three tables", () => {
    const body = reportBody(LEGACY);
    assert.deepEqual(headings(body).slice(1), [
      "1. Công tác chỉ đạo, triển khai",
      "2. Kết quả hoạt động tuyên truyền",
      "3. Tiến độ thực hiện nhiệm vụ của các đơn vị",
      "4. Tiếp nhận, xử lý phản ánh, kiến nghị và trả lời hỏi đáp",
    ]);
    assert.equal(captions(body).length, 3, "no new table");
    assert.ok(!figureLinks(LEGACY).some((g) => g.title === "Thủ tục hành chính"), "no links to what it did not count");
  });

  test("a current report adds the procedures and satisfaction sections and tables, numbered in order", () => {
    const body = reportBody(CURRENT);
    assert.deepEqual(headings(body).slice(4), [
      "4. Cập nhật, công khai thủ tục hành chính",
      "5. Tiếp nhận, xử lý phản ánh, kiến nghị và trả lời hỏi đáp",
      "6. Đo lường sự hài lòng của người dân, tổ chức",
    ]);
    assert.deepEqual(captions(body).slice(3), [
      "Bảng 4. Thủ tục hành chính thay đổi trong kỳ và niêm yết",
      "Bảng 5. Tiếp nhận, xử lý phản ánh, kiến nghị",
      "Bảng 6. Chỉ số hài lòng theo yếu tố (%)",
    ]);
    assert.ok(
      body.some((b) => b.kind === "paragraph" && /tổng hợp riêng kết quả thực hiện kế hoạch/.test(b.text)),
      "a plan's report says it counts only the plan's activities",
    );
  });

  test("the sentences say what the figures say, in Vietnamese numbers", () => {
    assert.equal(
      procedureSentence({ newInForce: 1, changed: 2, abolished: 0, boardPrints: 0 }),
      "Trong kỳ có 1 thủ tục hành chính mới ban hành có hiệu lực, 2 thủ tục được sửa đổi, bổ sung hoặc thay thế và 0 thủ tục bị bãi bỏ; chưa in, niêm yết lại bảng thủ tục hành chính tại Bộ phận Một cửa.",
    );
    assert.equal(
      satisfactionSentence(CURRENT.satisfaction as NonNullable<ReportFigures["satisfaction"]>),
      "Trong kỳ đã tổng hợp 1 đợt khảo sát với 40 phiếu; chỉ số hài lòng chung đạt 82,5%, theo từng yếu tố: tiếp cận dịch vụ 90%; thủ tục hành chính 75%.",
    );
    const shortcomings = draftNarrative(CURRENT, []).shortcomings;
    assert.match(shortcomings, /Có 3 thủ tục hành chính thay đổi trong kỳ nhưng chưa in, niêm yết lại bảng thủ tục/);
    assert.match(shortcomings, /thấp nhất: thủ tục hành chính \(75%\)/);
  });

  test("the workbook has one sheet per table; an index keeps its decimal, counts are whole", () => {
    const doc = { body: reportBody(CURRENT) } as Parameters<typeof reportSheets>[0];
    const sheets = reportSheets(doc, "BÁO CÁO quý I năm 2024");
    assert.equal(sheets.length, 6);
    assert.equal(sheets[0]?.columns[1]?.numFmt, "#,##0");
    assert.equal(sheets[5]?.columns[1]?.numFmt, "0.0");
    assert.deepEqual(sheets[5]?.rows.at(-1), ["Chỉ số hài lòng chung", 82.5]);
  });

  test("a plan's report links its ledger figures to that plan's activities of the period", () => {
    const ledger = figureLinks(CURRENT).find((g) => g.title === "Hoạt động tuyên truyền");
    assert.deepEqual(ledger?.links[1], {
      label: "Đài truyền thanh, phát thanh",
      value: 2,
      href: "/quan-tri/hoat-dong?tu=2023-12-15&den=2024-03-14&hinh-thuc=radio&ke-hoach=7",
    });
    const ward = figureLinks(LEGACY).find((g) => g.title === "Hoạt động tuyên truyền");
    assert.equal(ward?.links[0]?.href, "/quan-tri/hoat-dong?tu=2023-12-15&den=2024-03-14", "all the ward's work");
  });
});
