import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import path from "node:path";
import { test } from "node:test";
import { extractMentions, extractReferences, parsePlan } from "./parse-plan.ts";
import type { PlanDraft } from "./plan-draft.ts";

const SEED_PATH = path.resolve(process.env.CCHC_SHARED_DIR ?? "../shared", "seeds/000_5d25a1a03213bf5f.txt");
const seed = readFileSync(SEED_PATH, "utf8");

function draftOf(text: string): PlanDraft {
  const result = parsePlan(text);
  if (!result.ok) assert.fail(`expected a draft, got the refusal: ${result.error}`);
  return result.draft;
}

function errorOf(text: string): string {
  const result = parsePlan(text);
  if (result.ok) assert.fail("expected a refusal, got a draft");
  return result.error;
}

/** Replace exactly one occurrence, so a transformation that no longer applies fails loudly. */
function replaceOnce(text: string, from: string, to: string): string {
  const at = text.indexOf(from);
  assert.ok(at >= 0 && text.indexOf(from, at + 1) < 0, `expected exactly one “${from}” in the text`);
  return text.slice(0, at) + to + text.slice(at + from.length);
}

const draft = draftOf(seed);

test("seed: header", () => {
  assert.equal(draft.kind, "Kế hoạch");
  assert.equal(draft.number, "18/KH-UBND");
  assert.equal(draft.place, "Phổ Minh");
  assert.equal(draft.issuedOn, "2024-02-19");
  assert.equal(draft.title, "Tuyên truyền cải cách hành chính năm 2024 trên địa bàn phường Phổ Minh");
  assert.equal(draft.issuer, "UBND phường Phổ Minh");
  assert.deepEqual(draft.issuerUnit, { type: "phường", name: "Phổ Minh" });
  assert.deepEqual(draft.period, { from: "2024-01-01", to: "2024-12-31" });
});

test("seed: basis is the opening Căn cứ paragraph only", () => {
  assert.deepEqual(draft.basis, [
    "Căn cứ Quyết định số 181/QĐ-UBND ngày 29/12/2023 của UBND phường Phổ Minh về Ban hành Kế hoạch cải cách hành chính phường Phổ Minh năm 2024.",
  ]);
});

test("seed: five purposes, the page-broken one rejoined", () => {
  assert.equal(draft.purposes.length, 5);
  const starts = [
    "Tuyên truyền, phổ biến, nâng cao",
    "Tăng cường các hoạt động",
    "Phổ biến kết quả",
    "Đảm bảo thông tin",
    "Nâng cao kỷ luật",
  ];
  for (const [i, p] of draft.purposes.entries()) assert.ok(p.startsWith(starts[i] ?? "?"), p);
  assert.ok(
    draft.purposes[0]?.endsWith("của phường Phổ Minh nói riêng."),
    'expected: draft.purposes[0]?.endsWith("của phường Phổ Minh nói riêng.")',
  );
  assert.equal(
    draft.purposes[4],
    "Nâng cao kỷ luật, kỷ cương hành chính, văn hóa công vụ, quy tắc ứng xử của cán bộ, công chức, người hoạt động không chuyên trách, thực hiện có hiệu quả cơ chế một cửa; đáp ứng ngày càng tốt hơn về dịch vụ hành chính công của tổ chức và công dân.",
  );
});

test("seed: six requirements", () => {
  assert.equal(draft.requirements.length, 6);
  assert.ok(
    draft.requirements[0]?.startsWith("Đẩy mạnh công tác tuyên truyền; đổi mới"),
    'expected: draft.requirements[0]?.startsWith("Đẩy mạnh công tác tuyên truyền; đổi mới")',
  );
  assert.equal(
    draft.requirements[5],
    "Đáp ứng kịp thời nhu cầu nắm bắt, tìm hiểu thông tin về cải cách hành chính của cán bộ, công chức, người hoạt động không chuyên trách và nhân dân trên địa bàn phường.",
  );
});

test("seed: documents to communicate, the page break rejoined", () => {
  const docs = draft.documentsToCommunicate;
  assert.ok(
    docs.startsWith("Tuyên truyền nội dung các văn bản chỉ đạo, điều hành"),
    'expected: docs.startsWith("Tuyên truyền nội dung các văn bản chỉ đạo, điều hành")',
  );
  assert.ok(
    docs.includes("(PAPI) giai đoạn 2022 - 2025 của phường Phổ Minh; Nghị quyết số 13-NQ/TU"),
    'expected: docs.includes("(PAPI) giai đoạn 2022 - 2025 của phường Phổ Minh; Nghị quyết số 13-NQ/TU")',
  );
  assert.ok(
    docs.endsWith("triển khai thực hiện nhiệm vụ cải cách hành chính."),
    'expected: docs.endsWith("triển khai thực hiện nhiệm vụ cải cách hành chính.")',
  );
  assert.ok(!docs.includes("\n"), 'expected: !docs.includes("\\n")');
});

test("seed: six content areas mapped to the six pillars", () => {
  assert.deepEqual(
    draft.contentAreas.map((a) => [a.code, a.title, a.pillar, a.items.length]),
    [
      ["2.1", "Về cải cách thể chế", "institutions", 3],
      ["2.2", "Về cải cách thủ tục hành chính", "procedures", 3],
      ["2.3", "Về xây dựng tổ chức bộ máy hành chính Nhà nước", "apparatus", 2],
      ["2.4", "Nâng cao chất lượng đội ngũ cán bộ, công chức", "civil_service", 2],
      ["2.5", "Về cải cách tài chính công", "public_finance", 1],
      ["2.6", "Về hiện đại hóa hành chính", "e_government", 3],
    ],
  );
  assert.ok(
    draft.contentAreas[2]?.items[1]?.includes("nâng cao chất lượng hoạt động của bộ phận tiếp nhận"),
    'expected: draft.contentAreas[2]?.items[1]?.includes("nâng cao chất lượng hoạt động của bộ phận ti...',
  );
  assert.equal(
    draft.contentAreas[4]?.items[0],
    "Tuyên truyền cải cách tài chính công, thực hiện dân chủ, công khai, minh bạch về tài sản công của đơn vị; thực hành tiết kiệm, chống lãng phí.",
  );
});

test("seed: four channels with their kinds", () => {
  assert.deepEqual(
    draft.channels.map((c) => [c.code, c.kind]),
    [
      ["1", "radio"],
      ["2", "notice_board"],
      ["3", "conference"],
      ["4", "meeting_integration"],
    ],
  );
  assert.ok(
    draft.channels[0]?.title.startsWith("Thông qua các phương tiện thông tin đại chúng: Đài truyền thanh"),
    'expected: draft.channels[0]?.title.startsWith("Thông qua các phương tiện thông tin đại chúng: Đài...',
  );
});

test("seed: six assignment groups, sixteen tasks", () => {
  assert.deepEqual(
    draft.assignmentGroups.map((g) => [g.code, g.heading, g.tasks.length]),
    [
      ["1", "Văn phòng – Thống kê UBND phường", 6],
      ["2", "Ngành Văn hóa - xã hội", 5],
      ["3", "Ngành Tư pháp - hộ tịch", 1],
      ["4", "Đài truyền thanh phường", 2],
      ["5", "Công chức Tài chính - kế toán", 1],
      ["6", "Đề nghị Ủy ban Mặt trận, các đoàn thể, tổ chức chính trị - xã hội phường", 1],
    ],
  );
  const tasks = draft.assignmentGroups.flatMap((g) => g.tasks);
  assert.equal(tasks.length, 16);
  assert.deepEqual(
    tasks.map((t) => t.group),
    ["1", "1", "1", "1", "1", "1", "2", "2", "2", "2", "2", "3", "4", "4", "5", "6"],
  );
  // Neither the introduction of IV nor the closing sentence is a task.
  assert.ok(
    tasks.every((t) => !t.text.startsWith("Trên cơ sở") && !t.text.startsWith("Trên đây")),
    'expected: tasks.every((t) => !t.text.startsWith("Trên cơ sở") && !t.text.startsWith("Trên đây"))',
  );
  assert.ok(
    tasks[0]?.text.startsWith("Là thường trực giúp UBND phường"),
    'expected: tasks[0]?.text.startsWith("Là thường trực giúp UBND phường")',
  );
  assert.ok(
    tasks[11]?.text.startsWith("Lồng ghép nội dung tuyên truyền cải cách hành chính vào chương trình"),
    'expected: tasks[11]?.text.startsWith("Lồng ghép nội dung tuyên truyền cải cách hành chính vào chư...',
  );
  assert.ok(
    tasks[15]?.text.startsWith("Phối hợp thực hiện công tác thông tin"),
    'expected: tasks[15]?.text.startsWith("Phối hợp thực hiện công tác thông tin")',
  );
  // "Thường xuyên rà soát …" states a timing and recurs; "đảm bảo tính thường xuyên, liên tục" (task 2) is a
  // quality, not a timing. Nothing here has a due date or a named supporting unit.
  assert.deepEqual(
    tasks.map((t, i) => [i, t.timing, t.recurrence]).filter(([, timing]) => timing !== null),
    [[5, "thường xuyên", "continuous"]],
  );
  assert.match(tasks[2]?.text ?? "", /đảm bảo tính thường xuyên, liên tục/);
  assert.ok(
    tasks.every((t) => t.dueOn === null && t.supportingUnitTexts.length === 0),
    "expected: tasks.every((t) => t.dueOn === null && t.supportingUnitTexts.length === 0)",
  );
});

test("seed: the fourteen cited documents, once each", () => {
  const pick = (r: PlanDraft["references"][number]) => [r.kind, r.number, r.issuedOn, r.issuer, r.year];
  assert.deepEqual(draft.references.map(pick), [
    ["Quyết định", "181/QĐ-UBND", "2023-12-29", "UBND phường Phổ Minh", null],
    ["Nghị quyết", "13-NQ/TU", "2023-09-06", "Ban Thường vụ Tỉnh ủy", null],
    ["Luật", null, null, null, 2005],
    ["Luật", null, null, null, 2006],
    ["Luật", null, null, null, 2015],
    ["Luật", null, null, null, 2018],
    ["Luật", null, null, null, 2018],
    ["Nghị định", "61/2018/NĐ-CP", "2018-04-23", "Chính phủ", null],
    ["Nghị định", "45/2020/NĐ-CP", null, null, null],
    ["Kế hoạch", "61/KH-UBND", "2020-04-10", "UBND tỉnh", null],
    ["Kế hoạch", "54/KH-UBND", "2021-10-07", "UBND phường Phổ Minh", null],
    ["Quyết định", "08/QĐ-UBND", "2022-01-11", "Chủ tịch UBND phường Phổ Minh", null],
    ["Nghị quyết", "39-NQ/TW", "2015-04-17", "Bộ Chính trị", null],
    ["Nghị quyết", "18-NQ/TW", "2017-10-25", "Ban chấp hành Trung ương Đảng khóa XII", null],
  ]);
  assert.deepEqual(
    draft.references.filter((r) => r.kind === "Luật").map((r) => r.title),
    [
      "Luật Giao dịch điện tử",
      "Luật Công nghệ thông tin",
      "Luật An toàn thông tin mạng",
      "Luật An ninh mạng",
      "Luật Bảo vệ bí mật Nhà nước",
    ],
  );
  assert.ok(
    !draft.references.some((r) => r.number === "18/KH-UBND"),
    'expected: !draft.references.some((r) => r.number === "18/KH-UBND")',
  );
});

test("seed: unnumbered programmes and standards are mentions, not references", () => {
  assert.ok(draft.mentions.includes("ISO 9001:2015"), 'expected: draft.mentions.includes("ISO 9001:2015")');
  assert.equal(draft.mentions.filter((m) => m.startsWith("Chương trình tổng thể")).length, 1);
  assert.ok(
    !draft.references.some((r) => /ISO|Chương trình/.test(`${r.number} ${r.title}`)),
    "expected: !draft.references.some((r) => /ISO|Chương trình/.test(`{r.number} {r.title}`))",
  );
});

test("seed: recipients as written without the dash (trailing ; and . dropped), and the signer", () => {
  assert.deepEqual(draft.recipients, [
    "UBND thị xã",
    "Phòng VH-TT thị xã",
    "TT. Đảng ủy; HĐND phường",
    "CT, PCT UBND phường",
    "TT. UBMTTQVN phường",
    "Các ngành, đoàn thể, tổ chức CT-XH phường",
    "Đài phát thanh phường",
    "Lưu: VT",
  ]);
  assert.deepEqual(draft.signer, { position: "CHỦ TỊCH", name: "Lê Duy Bảo", authority: null, onBehalfOf: null });
});

test("seed: nothing uncertain, everything NFC", () => {
  assert.deepEqual(draft.warnings, []);
  const json = JSON.stringify(draft);
  assert.equal(json, json.normalize("NFC"));
});

test("CRLF and NFD text read the same", () => {
  assert.deepEqual(draftOf(seed.replace(/\n/g, "\r\n")), draft);
  const nfd = seed.normalize("NFD");
  assert.notEqual(nfd, seed);
  const fromNfd = draftOf(nfd);
  assert.deepEqual(fromNfd, draft);
  assert.equal(JSON.stringify(fromNfd), JSON.stringify(fromNfd).normalize("NFC"));
});

test("plain headings, without Markdown bold, italics or #", () => {
  const plain = seed.replace(/\*+/g, "").replace(/^#+\s*/gm, "");
  assert.ok(!plain.includes("**") && !/^#/m.test(plain), 'expected: !plain.includes("**") && !/^#/m.test(plain)');
  assert.deepEqual(draftOf(plain), draft);
});

test("page breaks in other places are rejoined too", () => {
  let moved = replaceOnce(seed, "thực hiện có hiệu\n\nquả cơ chế một cửa", "thực hiện có hiệu quả cơ chế một cửa");
  moved = replaceOnce(moved, "đặc biệt là cán bộ lãnh đạo", "đặc biệt là cán bộ\n\nlãnh đạo");
  moved = replaceOnce(moved, "làm đầu mối tổng hợp tình hình", "làm đầu mối tổng\n\n2\n\nhợp tình hình");
  moved = replaceOnce(moved, "ISO 9001:2015; Việc thực hiện", "ISO 9001:2015; Việc thực\n\nhiện");
  moved = replaceOnce(moved, "sinh hoạt của các hội đoàn thể", "sinh hoạt của các hội\n\nđoàn thể");
  moved = replaceOnce(
    moved,
    "trong giám sát quá trình triển khai thực hiện cải cách thủ tục hành của Ủy ban",
    "trong giám sát quá trình triển khai thực hiện cải cách thủ tục hành của\n\nỦy ban",
  );
  const d = draftOf(moved);
  assert.deepEqual(d, { ...draft, warnings: [] });
});

test("a header block, a deputy signing and a task with a deadline", () => {
  let text = replaceOnce(seed, "Số: 18 /KH-UBND", "ỦY BAN NHÂN DÂN\nPHƯỜNG PHỔ MINH\n\nSố: 18 /KH-UBND");
  text = replaceOnce(text, "UBND phường Phổ Minh ban hành Kế hoạch", "Ủy ban nhân dân phường ban hành Kế hoạch");
  text = replaceOnce(
    text,
    "**CHỦ TỊCH**\n\n**Lê Duy Bảo**",
    "TM. ỦY BAN NHÂN DÂN\nKT. CHỦ TỊCH\nPHÓ CHỦ TỊCH\n\n(Đã ký)\n\nNguyễn Văn An",
  );
  text = replaceOnce(
    text,
    "Tham mưu xây dựng, bố trí kinh phí thực hiện",
    "Phối hợp với Đài truyền thanh phường, hoàn thành trước ngày 30/6/2024 việc bố trí kinh phí thực hiện",
  );
  const d = draftOf(text);
  assert.equal(d.issuer, "UBND phường Phổ Minh");
  assert.deepEqual(d.issuerUnit, { type: "phường", name: "Phổ Minh" });
  assert.deepEqual(d.signer, {
    position: "PHÓ CHỦ TỊCH",
    name: "Nguyễn Văn An",
    authority: "TM. ỦY BAN NHÂN DÂN",
    onBehalfOf: "KT. CHỦ TỊCH",
  });
  const task = d.assignmentGroups[4]?.tasks[0];
  assert.equal(task?.dueOn, "2024-06-30");
  assert.deepEqual(task?.supportingUnitTexts, ["Đài truyền thanh phường"]);
  assert.deepEqual(d.warnings, []);
});

test("the plan citing its own number does not make it a reference", () => {
  const text = replaceOnce(seed, "Trên đây là kế hoạch", "Trên đây là Kế hoạch số 18/KH-UBND,");
  assert.equal(draftOf(text).references.length, 14);
});

test("missing things are flagged", () => {
  let text = replaceOnce(seed, "Số: 18 /KH-UBND", "Số:      /KH-UBND");
  text = replaceOnce(text, "### *2.5. Về cải cách tài chính công:*", "### *2.5. Nội dung khác:*");
  const d = draftOf(text);
  assert.equal(d.number, null);
  const paths = d.warnings.map((w) => w.path);
  assert.ok(paths.includes("number"), 'expected: paths.includes("number")');
  assert.ok(paths.includes("contentAreas.4.pillar"), 'expected: paths.includes("contentAreas.4.pillar")');
  assert.equal(d.contentAreas[4]?.pillar, null);
  assert.ok(
    d.warnings.every((w) => w.message.length > 10),
    "expected: d.warnings.every((w) => w.message.length > 10)",
  );
});

test("a group with no task is flagged", () => {
  const text = replaceOnce(
    seed,
    "### **5. Công chức Tài chính - kế toán:**\n\nTham mưu xây dựng, bố trí kinh phí thực hiện công tác thông tin, tuyên truyền cải cách hành chính trên địa bàn phường.\n",
    "### **5. Công chức Tài chính - kế toán:**\n",
  );
  const d = draftOf(text);
  assert.equal(d.assignmentGroups[4]?.tasks.length, 0);
  assert.ok(
    d.warnings.some((w) => w.path === "assignmentGroups.4.tasks"),
    'expected: d.warnings.some((w) => w.path === "assignmentGroups.4.tasks")',
  );
});

test("refusals: empty, binary, too large", () => {
  assert.match(errorOf(""), /trống/);
  assert.match(errorOf("  \n\n\t "), /trống/);
  const bytes = Buffer.from(Array.from({ length: 4000 }, (_, i) => (i * 7919 + 13) % 256));
  assert.match(errorOf(bytes.toString("utf8")), /không phải văn bản/);
  assert.match(errorOf(`${seed.slice(0, 2000)}\u0000\u0001\u0002`), /không phải văn bản/);
  const big = seed.repeat(Math.ceil((2 * 1024 * 1024) / Buffer.byteLength(seed)) + 1);
  assert.match(errorOf(big), /quá lớn/);
});

test("refusals: a decision and an unrelated article", () => {
  const decision = [
    "ỦY BAN NHÂN DÂN",
    "PHƯỜNG PHỔ MINH",
    "",
    "Số: 20/QĐ-UBND",
    "",
    "QUYẾT ĐỊNH",
    "Về việc ban hành Kế hoạch tuyên truyền cải cách hành chính năm 2024",
    "",
    "CHỦ TỊCH ỦY BAN NHÂN DÂN PHƯỜNG PHỔ MINH",
    "",
    "Căn cứ Luật Tổ chức chính quyền địa phương năm 2015;",
    "",
    "QUYẾT ĐỊNH:",
    "",
    "**Điều 1.** Ban hành kèm theo Quyết định này Kế hoạch tuyên truyền cải cách hành chính năm 2024.",
    "",
    "**Điều 2.** Quyết định có hiệu lực kể từ ngày ký.",
    "",
    "**Điều 3.** Chánh Văn phòng và các ngành liên quan chịu trách nhiệm thi hành Quyết định này./.",
  ].join("\n");
  assert.match(errorOf(decision), /quyết định/);
  const article = [
    "# Mùa lúa chín ở Đức Phổ",
    "",
    "Những ngày cuối tháng Tư, cánh đồng ven sông Trà Câu vàng rực. Nông dân tranh thủ trời nắng để gặt.",
    "",
    "Theo anh Nguyễn Văn B., năm nay năng suất đạt khá nhờ thời tiết thuận lợi và kế hoạch gieo sạ hợp lý.",
    "",
    "1. Giá lúa ổn định.",
    "2. Thương lái đến tận ruộng.",
  ].join("\n");
  assert.match(errorOf(article), /không phải|Không nhận ra/);
});

test("extractReferences: identity is kind + number + issuer, never the number alone", () => {
  const refs = extractReferences(
    "Thực hiện Nghị định số 61/2018/NĐ-CP ngày 23/4/2018 của Chính phủ; Kế hoạch số 61/KH-UBND ngày 10/4/2020 của UBND tỉnh; " +
      "Nghị quyết số 18-NQ-TW ngày 25 tháng 10 năm 2017 của Ban Chấp hành Trung ương; Nghị quyết 18-NQ/TW; " +
      "Kế hoạch số 61/KH-UBND của UBND huyện về việc tuyên truyền; Luật An ninh mạng năm 2018 và Luật An ninh mạng 2018.",
  );
  assert.deepEqual(
    refs.map((r) => [r.kind, r.number, r.issuer, r.issuedOn, r.year]),
    [
      ["Nghị định", "61/2018/NĐ-CP", "Chính phủ", "2018-04-23", null],
      ["Kế hoạch", "61/KH-UBND", "UBND tỉnh", "2020-04-10", null],
      ["Nghị quyết", "18-NQ/TW", "Ban Chấp hành Trung ương", "2017-10-25", null],
      ["Kế hoạch", "61/KH-UBND", "UBND huyện", null, null],
      ["Luật", null, null, null, 2018],
    ],
  );
  assert.equal(refs[3]?.title, "tuyên truyền");
});

test("extractMentions: programmes once, standards by number", () => {
  assert.deepEqual(
    extractMentions(
      "thực hiện Chương trình tổng thể cải cách hành chính nhà nước giai đoạn 2021 - 2030; áp dụng ISO 9001: 2015 và Chương trình tổng thể về cải cách hành chính.",
    ),
    ["Chương trình tổng thể cải cách hành chính nhà nước giai đoạn 2021 - 2030", "ISO 9001:2015"],
  );
});

test("another style: two-column header, Roman I–V, 2.1 and a) numbering, bullets for channels, a deputy signing", () => {
  const text = [
    "ỦY BAN NHÂN DÂN                      CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
    "XÃ TỊNH HÀ                                  Độc lập - Tự do - Hạnh phúc",
    "",
    "Số: 25/KH-UBND                              Tịnh Hà, ngày 05 tháng 3 năm 2025",
    "",
    "KẾ HOẠCH",
    "Thông tin, tuyên truyền cải cách hành chính",
    "năm 2025",
    "",
    "Căn cứ Quyết định số 30/QĐ-UBND ngày 15/01/2025 của UBND xã Tịnh Hà về việc ban hành Kế hoạch cải cách hành chính năm 2025;",
    "",
    "Ủy ban nhân dân xã xây dựng kế hoạch như sau:",
    "",
    "I. MỤC ĐÍCH, YÊU CẦU",
    "1. Mục đích",
    "a) Nâng cao nhận thức của cán bộ, công chức và người dân về cải cách hành chính.",
    "b) Tạo sự đồng thuận trong xã hội đối với",
    "công tác cải cách hành chính.",
    "2. Yêu cầu: Tuyên truyền đúng định hướng, kịp thời.",
    "II. NỘI DUNG TUYÊN TRUYỀN",
    "1. Tuyên truyền các văn bản về cải cách hành chính, nhất là Nghị định số 107/2021/NĐ-CP ngày 06/12/2021 của Chính phủ sửa đổi, bổ sung Nghị định số 61/2018/NĐ-CP.",
    "2. Nội dung cụ thể",
    "2.1. Cải cách thể chế: tuyên truyền các văn bản quy phạm pháp luật mới.",
    "2.2. Cải cách thủ tục hành chính",
    "- Công khai thủ tục hành chính tại Bộ phận một cửa.",
    "- Hướng dẫn nộp hồ sơ trực tuyến.",
    "2.3. Xây dựng chính quyền điện tử, chính quyền số",
    "- Tuyên truyền dịch vụ công trực tuyến.",
    "III. HÌNH THỨC TUYÊN TRUYỀN",
    "- Tuyên truyền trên hệ thống loa truyền thanh của xã.",
    "- Đăng tải trên Trang thông tin điện tử của xã.",
    "- Chia sẻ trên nhóm Zalo của các thôn.",
    "IV. KINH PHÍ",
    "Từ nguồn ngân sách xã năm 2025.",
    "V. TỔ CHỨC THỰC HIỆN",
    "1. Công chức Văn hóa - Xã hội",
    "a) Chủ trì, phối hợp với Đài truyền thanh xã và Đoàn Thanh niên xã tổ chức tuyên truyền; báo cáo kết quả hằng quý.",
    "b) Hoàn thành việc khảo sát trước ngày 30/9/2025.",
    "2. Công chức Văn phòng - Thống kê: đăng tải thông tin trên Trang thông tin điện tử thường xuyên.",
    "3. Ủy ban MTTQVN xã và các đoàn thể",
    "Phối hợp tuyên truyền đến đoàn viên, hội viên.",
    "",
    "Trong quá trình thực hiện nếu có khó khăn, vướng mắc, báo cáo về UBND xã để giải quyết./.",
    "",
    "Nơi nhận:                                     TM. ỦY BAN NHÂN DÂN",
    "- UBND huyện Sơn Tịnh;                        KT. CHỦ TỊCH",
    "- Lưu: VT.                                    PHÓ CHỦ TỊCH",
    "",
    "                                              Nguyễn Văn An",
  ].join("\n");
  const d = draftOf(text);
  assert.equal(d.number, "25/KH-UBND");
  assert.equal(d.place, "Tịnh Hà");
  assert.equal(d.issuedOn, "2025-03-05");
  assert.equal(d.title, "Thông tin, tuyên truyền cải cách hành chính năm 2025");
  assert.equal(d.issuer, "UBND xã Tịnh Hà");
  assert.deepEqual(d.issuerUnit, { type: "xã", name: "Tịnh Hà" });
  assert.deepEqual(d.purposes, [
    "Nâng cao nhận thức của cán bộ, công chức và người dân về cải cách hành chính.",
    "Tạo sự đồng thuận trong xã hội đối với công tác cải cách hành chính.",
  ]);
  assert.deepEqual(d.requirements, ["Tuyên truyền đúng định hướng, kịp thời."]);
  assert.ok(
    d.documentsToCommunicate.startsWith("Tuyên truyền các văn bản về cải cách hành chính"),
    'expected: d.documentsToCommunicate.startsWith("Tuyên truyền các văn bản về cải cách hành chính")',
  );
  assert.deepEqual(
    d.contentAreas.map((a) => [a.code, a.title, a.pillar, a.items.length]),
    [
      ["2.1", "Cải cách thể chế", "institutions", 1],
      ["2.2", "Cải cách thủ tục hành chính", "procedures", 2],
      ["2.3", "Xây dựng chính quyền điện tử, chính quyền số", "e_government", 1],
    ],
  );
  assert.deepEqual(
    d.channels.map((c) => c.kind),
    ["radio", "web_portal", "social_media"],
  );
  assert.deepEqual(
    d.assignmentGroups.map((g) => [g.heading, g.tasks.length]),
    [
      ["Công chức Văn hóa - Xã hội", 2],
      ["Công chức Văn phòng - Thống kê", 1],
      ["Ủy ban MTTQVN xã và các đoàn thể", 1],
    ],
  );
  const [lead, deadline] = d.assignmentGroups[0]?.tasks ?? [];
  assert.deepEqual(lead?.supportingUnitTexts, ["Đài truyền thanh xã", "Đoàn Thanh niên xã"]);
  assert.equal(lead?.recurrence, "quarterly");
  assert.equal(deadline?.dueOn, "2025-09-30");
  assert.equal(d.assignmentGroups[1]?.tasks[0]?.recurrence, "continuous");
  assert.deepEqual(
    d.references.map((r) => r.number),
    ["30/QĐ-UBND", "107/2021/NĐ-CP", "61/2018/NĐ-CP"],
  );
  assert.equal(d.references[1]?.issuer, "Chính phủ");
  assert.deepEqual(d.recipients, ["UBND huyện Sơn Tịnh", "Lưu: VT"]);
  assert.deepEqual(d.signer, {
    position: "PHÓ CHỦ TỊCH",
    name: "Nguyễn Văn An",
    authority: "TM. ỦY BAN NHÂN DÂN",
    onBehalfOf: "KT. CHỦ TỊCH",
  });
  assert.deepEqual(d.warnings, []);
});

test("another style: Markdown tables for header and signature, sections without sub-numbers", () => {
  const text = [
    "| ỦY BAN NHÂN DÂN<br>**THỊ TRẤN LA HÀ** | **CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM**<br>**Độc lập - Tự do - Hạnh phúc** |",
    "|---|---|",
    "| Số: 07/KH-UBND | *La Hà, ngày 12/01/2023* |",
    "",
    "# KẾ HOẠCH",
    "",
    "**Tuyên truyền cải cách hành chính giai đoạn 2023 - 2025**",
    "",
    "Căn cứ Kế hoạch số 201/KH-UBND ngày 20/12/2022 của UBND huyện Tư Nghĩa;",
    "",
    "## I - MỤC ĐÍCH, YÊU CẦU",
    "",
    "Mục đích:",
    "* Nâng cao nhận thức về cải cách hành chính.",
    "* Tạo chuyển biến trong thực thi công vụ.",
    "",
    "Yêu cầu:",
    "* Bám sát nhiệm vụ trọng tâm.",
    "",
    "## II - NỘI DUNG",
    "",
    "### 1. Các văn bản cần tuyên truyền",
    "",
    "Các văn bản của Trung ương và của tỉnh về cải cách hành chính.",
    "",
    "### 2. Nội dung trọng tâm",
    "",
    "- **Cải cách thể chế:** tuyên truyền văn bản mới.",
    "- **Cải cách tài chính công:** công khai ngân sách.",
    "",
    "## III - HÌNH THỨC",
    "",
    "1. Đài truyền thanh thị trấn phát 4 tin/tháng.",
    "2. Tổ chức hội nghị đối thoại với nhân dân.",
    "",
    "## IV - TỔ CHỨC THỰC HIỆN",
    "",
    "Văn phòng - Thống kê:",
    "- Tham mưu kế hoạch; báo cáo trong tháng 12/2023.",
    "",
    "Đài truyền thanh:",
    "- Phát tin bài hằng tháng.",
    "",
    "| **Nơi nhận:**<br>- UBND huyện;<br>- Lưu: VT. | **TM. ỦY BAN NHÂN DÂN**<br>**CHỦ TỊCH**<br><br>**TRẦN VĂN BÌNH** |",
  ].join("\n");
  const d = draftOf(text);
  assert.equal(d.number, "07/KH-UBND");
  assert.equal(d.issuedOn, "2023-01-12");
  assert.equal(d.place, "La Hà");
  assert.equal(d.issuer, "UBND thị trấn La Hà");
  assert.deepEqual(d.period, { from: "2023-01-01", to: "2025-12-31" });
  assert.equal(d.purposes.length, 2);
  assert.deepEqual(d.requirements, ["Bám sát nhiệm vụ trọng tâm."]);
  assert.deepEqual(
    d.contentAreas.map((a) => [a.title, a.pillar, a.items]),
    [
      ["Cải cách thể chế", "institutions", ["tuyên truyền văn bản mới."]],
      ["Cải cách tài chính công", "public_finance", ["công khai ngân sách."]],
    ],
  );
  assert.deepEqual(
    d.channels.map((c) => c.kind),
    ["radio", "conference"],
  );
  assert.deepEqual(
    d.assignmentGroups.map((g) => [g.heading, g.tasks.map((t) => t.dueOn ?? t.recurrence)]),
    [
      ["Văn phòng - Thống kê", ["2023-12-31"]],
      ["Đài truyền thanh", ["monthly"]],
    ],
  );
  assert.deepEqual(d.recipients, ["UBND huyện", "Lưu: VT"]);
  assert.deepEqual(d.signer, {
    position: "CHỦ TỊCH",
    name: "TRẦN VĂN BÌNH",
    authority: "TM. ỦY BAN NHÂN DÂN",
    onBehalfOf: null,
  });
  assert.deepEqual(d.warnings, []);
});
