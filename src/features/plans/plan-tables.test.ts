/**
 * Plan layouts beyond the seed (issue 9 §4): work assigned in tables (pipe, tab-separated, DOCX with merged cells),
 * lists marked with letters and other signs, timing in free words, signature authority lines. The plans are written
 * the way other wards write them: different header wordings, column orders and spellings.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import {
  AlignmentType,
  Document,
  Packer,
  Paragraph,
  Table,
  TableCell,
  TableRow,
  TextRun,
  VerticalMergeType,
  WidthType,
} from "docx";
import { docxToPlanText } from "./docx-text.ts";
import { parsePlan } from "./parse-plan.ts";
import type { PlanDraft } from "./plan-draft.ts";
import { columnRoleOf, extractTaskTables, unitNames } from "./plan-tables.ts";

const HEAD = [
  "ỦY BAN NHÂN DÂN\tCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
  "XÃ TỊNH HÀ\tĐộc lập - Tự do - Hạnh phúc",
  "",
  "Số: 27/KH-UBND\tTịnh Hà, ngày 10 tháng 01 năm 2025",
  "",
  "KẾ HOẠCH",
  "Tuyên truyền cải cách hành chính năm 2025",
  "",
  "Căn cứ Kế hoạch số 05/KH-UBND ngày 03/01/2025 của UBND huyện Sơn Tịnh về cải cách hành chính năm 2025;",
  "",
  "UBND xã Tịnh Hà ban hành Kế hoạch tuyên truyền cải cách hành chính năm 2025 như sau:",
  "",
  "I. MỤC ĐÍCH, YÊU CẦU",
  "1. Mục đích",
  "a/ Nâng cao nhận thức của cán bộ, công chức và nhân dân về cải cách hành chính.",
  "b/ Tạo sự đồng thuận của xã hội trong triển khai cải cách hành chính.",
  "2. Yêu cầu",
  "✓ Tuyên truyền kịp thời, đúng định hướng, phù hợp với từng đối tượng.",
  "✓ Gắn tuyên truyền với nhiệm vụ chính trị của địa phương.",
  "",
  "II. NỘI DUNG TUYÊN TRUYỀN",
  "1. Các văn bản về cải cách hành chính của Trung ương, tỉnh, huyện.",
  "2. Về cải cách thủ tục hành chính: công khai thủ tục, tiếp nhận phản ánh, kiến nghị.",
  "3. Về hiện đại hóa hành chính: dịch vụ công trực tuyến, chuyển đổi số.",
  "",
  "III. HÌNH THỨC TUYÊN TRUYỀN",
  "➢ Trên Đài truyền thanh xã.",
  "➢ Niêm yết tại Bộ phận một cửa.",
  "➢ Lồng ghép trong các cuộc họp thôn.",
  "",
].join("\n");

const FOOT = [
  "",
  "Trên đây là Kế hoạch tuyên truyền cải cách hành chính năm 2025 của UBND xã Tịnh Hà./.",
  "",
  "Nơi nhận:\tTM. ỦY BAN NHÂN DÂN",
  "- UBND huyện;\tKT. CHỦ TỊCH",
  "- Lưu: VT.\tPHÓ CHỦ TỊCH",
  "",
  "\t(Đã ký)",
  "",
  "\tPhạm Thị Thu Hằng",
].join("\n");

function draftOf(text: string): PlanDraft {
  const r = parsePlan(text);
  if (!r.ok) assert.fail(`expected a draft, got: ${r.error}`);
  return r.draft;
}

const rows = (d: PlanDraft) =>
  d.assignmentGroups.flatMap((g) =>
    g.tasks.map((t) => [
      g.heading,
      t.text.split(" ").slice(0, 4).join(" "),
      t.supportingUnitTexts,
      t.recurrence ?? t.dueOn,
    ]),
  );

test("header cells are matched by folded keywords, whatever the wording", () => {
  const cases: [string, string | null][] = [
    ["STT", "number"],
    ["TT", "number"],
    ["Nội dung công việc", "task"],
    ["NHIỆM VỤ", "task"],
    ["Nội dung nhiệm vụ thực hiện", "task"],
    ["Đơn vị chủ trì", "lead"],
    ["Cơ quan thực hiện", "lead"],
    ["Đơn vị thực hiện", "lead"],
    ["Chủ trì", "lead"],
    ["Đơn vị phối hợp", "support"],
    ["PHỐI HỢP", "support"],
    ["Thời gian hoàn thành", "timing"],
    ["Thời gian thực hiện", "timing"],
    ["Thời hạn", "timing"],
    ["Tiến độ", "timing"],
    ["Ghi chú", null],
    ["Đơn vị tính", null],
  ];
  for (const [cell, role] of cases) assert.equal(columnRoleOf(cell), role, cell);
  assert.deepEqual(unitNames("Hội LHPN xã, Đoàn TN xã và Hội CCB xã; các ngành liên quan"), [
    "Hội LHPN xã",
    "Đoàn TN xã",
    "Hội CCB xã",
  ]);
});

test("a Markdown table under section IV: each row a task with its lead, cooperating units and timing", () => {
  const text = [
    HEAD,
    "IV. TỔ CHỨC THỰC HIỆN",
    "Các ngành, đơn vị thực hiện theo bảng phân công sau:",
    "",
    "| TT | Nội dung công việc | Cơ quan chủ trì | Cơ quan phối hợp | Thời gian hoàn thành | Ghi chú |",
    "|---|---|---|---|---|---|",
    "| 1 | Xây dựng chuyên mục cải cách hành chính trên Đài truyền thanh | Đài truyền thanh xã | Văn phòng - Thống kê | Hằng tháng | |",
    "| 2 | Niêm yết, công khai thủ tục hành chính tại Bộ phận một cửa | Văn phòng - Thống kê | Tư pháp - Hộ tịch | Thường xuyên | |",
    "| 3 | Tổ chức hội nghị tuyên truyền cải cách hành chính cho hội viên | Ủy ban MTTQ xã | Hội Phụ nữ xã, Đoàn Thanh niên xã | Quý II | |",
    "| 4 | Tổng kết, báo cáo kết quả tuyên truyền | Văn phòng - Thống kê | | Trước ngày 30/11 | |",
    "| 5 | Bố trí kinh phí thực hiện kế hoạch | Tài chính - Kế toán | | Tháng 02/2025 | |",
    FOOT,
  ].join("\n");
  const d = draftOf(text);
  assert.deepEqual(rows(d), [
    ["Đài truyền thanh xã", "Xây dựng chuyên mục", ["Văn phòng - Thống kê"], "monthly"],
    ["Văn phòng - Thống kê", "Niêm yết, công khai", ["Tư pháp - Hộ tịch"], "continuous"],
    ["Văn phòng - Thống kê", "Tổng kết, báo cáo", [], "2025-11-30"],
    ["Ủy ban MTTQ xã", "Tổ chức hội nghị", ["Hội Phụ nữ xã", "Đoàn Thanh niên xã"], "2025-06-30"],
    ["Tài chính - Kế toán", "Bố trí kinh phí", [], "2025-02-28"],
  ]);
  const all = d.assignmentGroups.flatMap((g) => [g.heading, ...g.tasks.map((t) => t.text)]).join(" ");
  assert.doesNotMatch(all, /Nội dung công việc|Cơ quan chủ trì|Thời gian hoàn thành/, "the header is no task");
  assert.ok(!d.warnings.some((w) => w.path.startsWith("assignmentGroups")), JSON.stringify(d.warnings));
  // The letters and the check-mark and arrow signs read as items, like numbered ones.
  assert.equal(d.purposes.length, 2, "a/ b/ are two purposes");
  assert.equal(d.requirements.length, 2, "✓ lines are two requirements");
  assert.deepEqual(
    d.channels.map((c) => c.kind),
    ["radio", "notice_board", "meeting_integration"],
    "➢ lines are three channels",
  );
  assert.deepEqual(d.signer, {
    position: "PHÓ CHỦ TỊCH",
    name: "Phạm Thị Thu Hằng",
    authority: "TM. ỦY BAN NHÂN DÂN",
    onBehalfOf: "KT. CHỦ TỊCH",
  });
});

test("a tab-separated table in an appendix after the signature, wrapped rows and merged lead cells", () => {
  const text = [
    HEAD,
    "IV. TỔ CHỨC THỰC HIỆN",
    "1. Văn phòng - Thống kê: làm đầu mối tổng hợp, báo cáo kết quả thực hiện kế hoạch.",
    "2. Các đơn vị thực hiện nhiệm vụ cụ thể tại Phụ lục kèm theo.",
    FOOT,
    "",
    "PHỤ LỤC",
    "DANH MỤC NHIỆM VỤ TUYÊN TRUYỀN CẢI CÁCH HÀNH CHÍNH NĂM 2025",
    "",
    "STT\tNhiệm vụ\tĐơn vị thực hiện\tĐơn vị phối hợp\tThời hạn",
    "1\tTuyên truyền về dịch vụ công trực tuyến\tCông chức Văn hóa - Xã hội\tĐoàn Thanh niên xã\t6 tháng đầu năm",
    "\ttoàn trình cho đoàn viên, thanh niên\t\t\t",
    "2\tPhát tin, bài về cải cách hành chính\t\tĐài truyền thanh xã\tĐịnh kỳ hằng năm",
    "3\tCập nhật thủ tục hành chính mới trên trang thông tin điện tử\tVăn phòng - Thống kê\t\tTừ tháng 3 đến tháng 5/2025",
  ].join("\n");
  const d = draftOf(text);
  const tasks = d.assignmentGroups.flatMap((g) => g.tasks.map((t) => ({ ...t, heading: g.heading })));
  const online = tasks.find((t) => t.text.startsWith("Tuyên truyền về dịch vụ công"));
  assert.equal(
    online?.text,
    "Tuyên truyền về dịch vụ công trực tuyến toàn trình cho đoàn viên, thanh niên",
    "a row without a number continues the row above",
  );
  assert.equal(online?.dueOn, "2025-06-30");
  const news = tasks.find((t) => t.text.startsWith("Phát tin"));
  assert.equal(news?.heading, "Công chức Văn hóa - Xã hội", "an empty lead cell carries the value above");
  assert.equal(news?.recurrence, "yearly");
  assert.deepEqual(news?.supportingUnitTexts, ["Đài truyền thanh xã"]);
  const update = tasks.find((t) => t.text.startsWith("Cập nhật"));
  assert.equal(update?.heading, "Văn phòng - Thống kê", "joins the group of the same unit in section IV");
  assert.equal(update?.dueOn, "2025-05-31", "a range is due at its end");
  assert.equal(d.assignmentGroups.length, 2, "one group per lead unit");
  assert.equal(tasks.length, 4, "section IV's own task and the three rows");
});

test("bad tables: a row without a task, a row with too many cells, no lead anywhere — refused, naming the row", () => {
  const table = (...body: string[]) =>
    [HEAD, "IV. TỔ CHỨC THỰC HIỆN", "", "| STT | Nội dung | Chủ trì | Phối hợp | Thời gian |", ...body, FOOT].join(
      "\n",
    );
  const noTask = parsePlan(
    table("| 1 | Tuyên truyền trên loa | Đài truyền thanh | | Hằng tháng |", "| 2 | | Văn phòng | | Quý III |"),
  );
  assert.equal(noTask.ok, false, "a row with a unit but no task is refused");
  if (!noTask.ok) assert.match(noTask.error, /dòng 2 \(STT 2\): không có nội dung nhiệm vụ/);
  const extra = parsePlan(table("| 1 | Tuyên truyền | Văn phòng | | Quý I | thừa | ô |"));
  assert.equal(extra.ok, false, "more cells than columns is refused");
  if (!extra.ok) assert.match(extra.error, /dòng 1 \(STT 1\): có 7 ô trong khi tiêu đề bảng có 5 cột/);
  const noLead = parsePlan(table("| 1 | Tuyên truyền trên loa | | | Hằng tháng |"));
  assert.equal(noLead.ok, false, "a first row without a lead has nothing to carry");
  if (!noLead.ok) assert.match(noLead.error, /dòng 1 \(STT 1\): không có đơn vị chủ trì/);
  const headerOnly = extractTaskTables("| STT | Nội dung | Chủ trì | Thời gian |\n|---|---|---|---|\n");
  assert.equal(headerOnly.ok, false, "a table with its header only is refused");
  // A budget table is the budget reader's, not a list of tasks.
  const budget = extractTaskTables(
    "| STT | Nội dung chi | Đơn vị thực hiện | Kinh phí (đồng) |\n|---|---|---|---|\n| 1 | In tờ rơi | Văn phòng | 5.000.000 |",
  );
  assert.ok(budget.ok && budget.tables.length === 0, "a budget table is no task table");
  // A lead's own name may hold a comma: the lead cell is not split on it.
  const front = extractTaskTables(
    "| TT | Nhiệm vụ | Chủ trì | Phối hợp | Thời gian |\n| 1 | Vận động hội viên | Ủy ban Mặt trận, các đoàn thể phường | Hội Nông dân, Hội CCB | Quý III |",
  );
  assert.ok(front.ok, "reads");
  if (front.ok) {
    assert.equal(front.tables[0]?.tasks[0]?.lead, "Ủy ban Mặt trận, các đoàn thể phường");
    assert.deepEqual(front.tables[0]?.tasks[0]?.support, ["Hội Nông dân", "Hội CCB"]);
  }
  // A table that is not a task table (the two-column header, the signature) is left alone.
  const other = extractTaskTables("| Nơi nhận: | TM. ỦY BAN NHÂN DÂN |\n| - Lưu: VT. | CHỦ TỊCH |");
  assert.ok(other.ok && other.tables.length === 0, "not a task table");
});

/** A DOCX plan whose section IV is a Word table: a two-row header, a section row across it, merged lead cells. */
async function tableDocx(): Promise<Buffer> {
  const p = (text: string, bold = false) => new Paragraph({ children: [new TextRun({ text, bold })] });
  const cell = (text: string, opts: { span?: number; merge?: "restart" | "continue"; bold?: boolean } = {}) =>
    new TableCell({
      children: text.split("\n").map((t) => p(t, opts.bold)),
      ...(opts.span ? { columnSpan: opts.span } : {}),
      ...(opts.merge
        ? { verticalMerge: opts.merge === "restart" ? VerticalMergeType.RESTART : VerticalMergeType.CONTINUE }
        : {}),
    });
  const row = (...cells: TableCell[]) => new TableRow({ children: cells });
  const table = new Table({
    width: { size: 100, type: WidthType.PERCENTAGE },
    rows: [
      row(
        cell("TT", { merge: "restart", bold: true }),
        cell("Nội dung nhiệm vụ", { merge: "restart", bold: true }),
        cell("Đơn vị thực hiện", { span: 2, bold: true }),
        cell("Thời gian thực hiện", { merge: "restart", bold: true }),
      ),
      row(
        cell("", { merge: "continue" }),
        cell("", { merge: "continue" }),
        cell("Chủ trì", { bold: true }),
        cell("Phối hợp", { bold: true }),
        cell("", { merge: "continue" }),
      ),
      row(cell("I. CÔNG TÁC TUYÊN TRUYỀN TRỰC QUAN", { span: 5, bold: true })),
      row(
        cell("1"),
        cell("Treo băng rôn, khẩu hiệu tuyên truyền cải cách hành chính"),
        cell("Công chức Văn hóa - Xã hội", { merge: "restart" }),
        cell("Đoàn Thanh niên xã\nHội Cựu chiến binh xã"),
        cell("Tháng 6/2025"),
      ),
      row(
        cell("2"),
        cell("Tuyên truyền trên Trang thông tin điện tử của xã"),
        cell("", { merge: "continue" }),
        cell(""),
        cell("Quý IV/2025"),
      ),
      row(
        cell("3"),
        cell("Phối hợp tuyên truyền trong sinh hoạt chi hội"),
        cell("Hội Liên hiệp Phụ nữ xã"),
        cell("Ủy ban MTTQ xã"),
        cell("Thường xuyên"),
      ),
    ],
  });
  const lines = HEAD.split("\n").filter((l) => l !== "");
  const doc = new Document({
    sections: [
      {
        children: [
          ...lines.map((l) => new Paragraph({ alignment: AlignmentType.LEFT, children: [new TextRun(l)] })),
          p("IV. TỔ CHỨC THỰC HIỆN", true),
          p("Giao các đơn vị thực hiện các nhiệm vụ sau:"),
          table,
          ...FOOT.split("\n")
            .filter((l) => l !== "")
            .map((l) => p(l)),
        ],
      },
    ],
  });
  return Packer.toBuffer(doc);
}

test("a DOCX table with a two-row header, a section row and merged cells reads row by row", async () => {
  const read = await docxToPlanText(await tableDocx());
  assert.ok(read.ok, "the DOCX reads");
  if (!read.ok) return;
  const d = draftOf(read.text);
  assert.deepEqual(rows(d), [
    [
      "Công chức Văn hóa - Xã hội",
      "Treo băng rôn, khẩu",
      ["Đoàn Thanh niên xã", "Hội Cựu chiến binh xã"],
      "2025-06-30",
    ],
    ["Công chức Văn hóa - Xã hội", "Tuyên truyền trên Trang", [], "2025-12-31"],
    ["Hội Liên hiệp Phụ nữ xã", "Phối hợp tuyên truyền", ["Ủy ban MTTQ xã"], "continuous"],
  ]);
  const names = d.assignmentGroups.map((g) => g.heading).join(" ");
  assert.doesNotMatch(names, /Chủ trì|Đơn vị thực hiện|CÔNG TÁC TUYÊN TRUYỀN/, "no header or section row as a unit");
});

test("signature blocks: TM., KT., TL., Q. lines as authority, on behalf of, position", () => {
  const plan = (...lines: string[]) =>
    [
      HEAD,
      "IV. TỔ CHỨC THỰC HIỆN",
      "1. Văn phòng - Thống kê: tổng hợp, báo cáo kết quả thực hiện.",
      "",
      "Trên đây là Kế hoạch tuyên truyền cải cách hành chính năm 2025 của UBND xã Tịnh Hà./.",
      "",
      "Nơi nhận:",
      "- Lưu: VT.",
      "",
      ...lines,
    ].join("\n");
  const cases: [string[], [string, string | null, string | null]][] = [
    [
      ["TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH", "", "Võ Văn Tâm"],
      ["CHỦ TỊCH", "TM. ỦY BAN NHÂN DÂN", null],
    ],
    [
      ["TM. ỦY BAN NHÂN DÂN", "Q. CHỦ TỊCH", "", "Võ Văn Tâm"],
      ["Q. CHỦ TỊCH", "TM. ỦY BAN NHÂN DÂN", null],
    ],
    [
      ["TL. CHỦ TỊCH", "CHÁNH VĂN PHÒNG", "", "Võ Văn Tâm"],
      ["CHÁNH VĂN PHÒNG", null, "TL. CHỦ TỊCH"],
    ],
    [
      ["KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH", "", "Võ Văn Tâm"],
      ["PHÓ CHỦ TỊCH", null, "KT. CHỦ TỊCH"],
    ],
  ];
  for (const [lines, [position, authority, onBehalfOf]] of cases) {
    const d = draftOf(plan(...lines));
    assert.deepEqual(d.signer, { position, name: "Võ Văn Tâm", authority, onBehalfOf }, lines.join(" / "));
  }
});
