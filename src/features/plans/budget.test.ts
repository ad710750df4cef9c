import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { test } from "node:test";
import { amountsIn, comparePlannedSpent, isBudgetTask, readBudget, sourcesIn, WHOLE_PLAN } from "./budget.ts";

const SEED = path.resolve(process.env.CCHC_SHARED_DIR ?? "../shared", "seeds/000_5d25a1a03213bf5f.txt");

/** A plan's skeleton around a budget section, as wards write them. */
const plan = (budget: string) => `ỦY BAN NHÂN DÂN
XÃ AN PHÚ

Số: 25/KH-UBND

An Phú, ngày 10 tháng 01 năm 2025

KẾ HOẠCH
Tuyên truyền cải cách hành chính năm 2025

I. MỤC ĐÍCH, YÊU CẦU
- Nâng cao nhận thức của cán bộ, công chức và nhân dân.

II. NỘI DUNG TUYÊN TRUYỀN
1. Về cải cách thủ tục hành chính: tuyên truyền dịch vụ công trực tuyến.

${budget}

IV. TỔ CHỨC THỰC HIỆN
1. Văn phòng - Thống kê: chủ trì, theo dõi, tổng hợp; phối hợp với bộ phận tài chính bố trí kinh phí.

Trên đây là Kế hoạch tuyên truyền cải cách hành chính năm 2025 của UBND xã An Phú./.

Nơi nhận:
- UBND tỉnh;
- Lưu: VT.`;

test("amounts in the ways plans write them, in đồng", () => {
  const cases: [string, number][] = [
    ["15.000.000 đồng", 15_000_000],
    ["15.000.000đ", 15_000_000],
    ["15 000 000 VNĐ", 15_000_000],
    ["15 triệu đồng", 15_000_000],
    ["2,5 triệu đồng", 2_500_000],
    ["1,2 tỷ đồng", 1_200_000_000],
    ["500 nghìn đồng", 500_000],
  ];
  for (const [text, want] of cases)
    assert.deepEqual(
      amountsIn(`khoảng ${text}.`).map((a) => a.amount),
      [want],
      text,
    );
  assert.deepEqual(
    amountsIn("năm 2024, Nghị định 30/2020/NĐ-CP, 12 tháng"),
    [],
    "numbers without a currency are not money",
  );
  assert.deepEqual(amountsIn("đổi mới 20 đơn vị"), [], "a word beginning with đ is not the đồng sign");
});

test("sources as the plan names them", () => {
  assert.deepEqual(
    sourcesIn("được bố trí từ nguồn ngân sách phường năm 2024 và nguồn xã hội hóa (nếu có).").map((s) => s.name),
    ["Ngân sách phường năm 2024", "Nguồn xã hội hóa"],
  );
  assert.deepEqual(
    sourcesIn("từ ngân sách xã được giao và các nguồn huy động hợp pháp khác").map((s) => s.name),
    ["Ngân sách xã", "Các nguồn huy động hợp pháp khác"],
  );
});

test("the seed plan has no budget section: no lines, no total", () => {
  assert.equal(readBudget(fs.readFileSync(SEED, "utf8")), null, "the finance officer's task is not a budget section");
});

test("a section naming only its sources keeps them as lines without an amount", () => {
  const b = readBudget(
    plan(
      "III. KINH PHÍ THỰC HIỆN\nKinh phí thực hiện Kế hoạch được bố trí từ nguồn ngân sách xã năm 2025 và nguồn xã hội hóa (nếu có).",
    ),
  );
  assert.deepEqual(b, {
    stated: null,
    total: null,
    lines: [
      { amount: null, source: "Ngân sách xã năm 2025", purpose: WHOLE_PLAN },
      { amount: null, source: "Nguồn xã hội hóa", purpose: WHOLE_PLAN },
    ],
  });
});

test("one amount for the whole plan, its total stated in words beside it", () => {
  const b = readBudget(
    plan(
      "**III. KINH PHÍ**\n\nTổng kinh phí: 15.000.000 đồng (Mười lăm triệu đồng), từ nguồn ngân sách phường năm 2025.",
    ),
  );
  assert.equal(b?.total, 15_000_000, "the stated total");
  assert.deepEqual(b?.lines, [{ amount: null, source: "Ngân sách phường năm 2025", purpose: WHOLE_PLAN }]);
});

test("itemised lines under a numbered heading, the source in a sentence of its own", () => {
  const b = readBudget(
    plan(`III. KINH PHÍ THỰC HIỆN
1. Dự trù kinh phí:
- In ấn tài liệu, tờ rơi tuyên truyền: 5.000.000 đồng;
- Làm pa nô, băng rôn: 7 triệu đồng;
- Tổ chức hội nghị tuyên truyền: 3.500.000đ.
Tổng cộng: 15.500.000 đồng.
2. Nguồn kinh phí: ngân sách xã năm 2025.`),
  );
  assert.equal(b?.total, 15_500_000, "the stated total");
  assert.deepEqual(b?.lines, [
    { amount: 5_000_000, source: "Ngân sách xã năm 2025", purpose: "In ấn tài liệu, tờ rơi tuyên truyền" },
    { amount: 7_000_000, source: "Ngân sách xã năm 2025", purpose: "Làm pa nô, băng rôn" },
    { amount: 3_500_000, source: "Ngân sách xã năm 2025", purpose: "Tổ chức hội nghị tuyên truyền" },
  ]);
});

test("a budget item inside the implementation section, two sources with their amounts; the total their sum", () => {
  const text = plan("").replace(
    "Trên đây",
    "2. Kinh phí thực hiện: 20 triệu đồng từ nguồn ngân sách phường; 5 triệu đồng từ nguồn xã hội hóa.\n3. Đài truyền thanh: phát sóng hằng tuần.\n\nTrên đây",
  );
  const b = readBudget(text);
  assert.deepEqual(b, {
    stated: null,
    total: 25_000_000,
    lines: [
      { amount: 20_000_000, source: "Ngân sách phường", purpose: WHOLE_PLAN },
      { amount: 5_000_000, source: "Nguồn xã hội hóa", purpose: WHOLE_PLAN },
    ],
  });
});

test("a text table whose header gives the unit", () => {
  const b = readBudget(
    plan(`III. DỰ TRÙ KINH PHÍ
| TT | Nội dung | Kinh phí (triệu đồng) | Nguồn |
|---|---|---|---|
| 1 | Sản xuất chương trình phát thanh | 6 | Ngân sách phường |
| 2 | Khảo sát sự hài lòng | 4 | Nguồn xã hội hóa |
| | Tổng cộng | 10 | |`),
  );
  assert.deepEqual(b, {
    stated: 10_000_000,
    total: 10_000_000,
    lines: [
      { amount: 6_000_000, source: "Ngân sách phường", purpose: "Sản xuất chương trình phát thanh" },
      { amount: 4_000_000, source: "Nguồn xã hội hóa", purpose: "Khảo sát sự hài lòng" },
    ],
  });
});

test("an unlabelled sentence starting with the budget, followed by more work, ends with its paragraph", () => {
  const text = plan("").replace(
    "Trên đây",
    "Kinh phí thực hiện kế hoạch là 12.000.000 đồng từ ngân sách phường.\nCác đơn vị báo cáo kết quả trước ngày 15/12/2025.\n\nTrên đây",
  );
  assert.deepEqual(readBudget(text), {
    stated: null,
    total: 12_000_000,
    lines: [{ amount: 12_000_000, source: "Ngân sách phường", purpose: WHOLE_PLAN }],
  });
});

test("a task that only mentions arranging the budget is not a budget section", () => {
  const text = plan("").replace(
    "Trên đây",
    "5. Công chức Tài chính - kế toán:\nTham mưu bố trí kinh phí thực hiện.\n\nTrên đây",
  );
  assert.equal(readBudget(text), null, "no section, no lines");
});

test("the budget task is the one about money, not any task", () => {
  assert.ok(isBudgetTask("Tham mưu xây dựng, bố trí kinh phí thực hiện công tác thông tin"), "the seed's finance task");
  assert.ok(isBudgetTask("Lập dự toán và thanh quyết toán theo quy định"), "estimates and settlement");
  assert.ok(!isBudgetTask("Phát sóng các chuyên mục cải cách hành chính"), "a radio task is not about money");
});

test("planned against spent: by key, the untied lines last, ledger-only keys kept", () => {
  const rows = comparePlannedSpent(
    [
      { amount: 6_000_000, key: "radio" },
      { amount: null, key: null },
      { amount: 4_000_000, key: null },
      { amount: 1_000_000, key: "radio" },
    ],
    [
      { key: "radio", cost: 2_500_000, count: 3 },
      { key: "conference", cost: 800_000, count: 1 },
    ],
    new Map([
      ["radio", "Đài truyền thanh"],
      ["conference", "Hội nghị"],
      ["press", "Báo chí"],
    ]),
    "Chung cho kế hoạch",
  );
  assert.deepEqual(rows, [
    { key: "radio", label: "Đài truyền thanh", planned: 7_000_000, spent: 2_500_000, activities: 3 },
    { key: "conference", label: "Hội nghị", planned: null, spent: 800_000, activities: 1 },
    { key: "", label: "Chung cho kế hoạch", planned: 4_000_000, spent: 0, activities: 0 },
  ]);
});

test("a requirement bullet about spending well is not a budget section", () => {
  const text = plan("").replace(
    "- Nâng cao nhận thức",
    "- Kinh phí từ nguồn ngân sách nhà nước phải được sử dụng đúng mục đích, tiết kiệm.\n- Nâng cao nhận thức",
  );
  assert.equal(readBudget(text), null, "no section, no lines");
});
