import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import path from "node:path";
import { test } from "node:test";
import { normalizeRecord, portalRowFromLabels } from "./normalize-record.ts";
import { splitChannels, splitDossier, splitNameForm } from "./portal-tables.ts";
import { cleanText, splitLegalBases, splitList, splitResults, splitSteps } from "./portal-texts.ts";
import type { ProcedureRecord } from "./procedure-record.ts";

const DIR = path.resolve(process.env.CCHC_SHARED_DIR ?? "../shared", "data/tthc-dichvucong-2026");

function jsonl(file: string): { line: number; raw: Record<string, unknown> }[] {
  return readFileSync(path.join(DIR, file), "utf8")
    .split("\n")
    .map((text, i) => ({ line: i + 1, text }))
    .filter((l) => l.text.trim() !== "")
    .map((l) => ({ line: l.line, raw: JSON.parse(l.text) as Record<string, unknown> }));
}

function normaliseAll(file: string): ProcedureRecord[] {
  return jsonl(file).map(({ line, raw }) => {
    const r = normalizeRecord(raw, line);
    if (!r.ok) assert.fail(`${file}:${line} refused: ${r.problem.reason}`);
    return r.record;
  });
}

const communal = normaliseAll("cap-xa.jsonl");
const others = normaliseAll("other-levels-sample.jsonl");
const all = [...communal, ...others];
const byCode = new Map(all.map((r) => [r.code, r]));

function recordOf(code: string): ProcedureRecord {
  const r = byCode.get(code);
  if (!r) assert.fail(`no record ${code}`);
  return r;
}

function strings(value: unknown, at: string, out: [string, string][] = []): [string, string][] {
  if (typeof value === "string") out.push([at, value]);
  else if (Array.isArray(value)) {
    for (const [i, v] of value.entries()) strings(v, `${at}[${i}]`, out);
  } else if (value && typeof value === "object")
    for (const [k, v] of Object.entries(value)) strings(v, `${at}.${k}`, out);
  return out;
}

test("every real record normalises: 588 communal + 100 of other levels", () => {
  assert.equal(communal.length, 588);
  assert.equal(others.length, 100);
  assert.equal(byCode.size, 688, "codes are unique");
});

test("no output text keeps page furniture, empty markers, no-break spaces or decomposed Unicode", () => {
  const forbidden = [
    "Không có thông tin",
    "Từ khóa",
    "Chọn cơ quan thực hiện",
    "Hệ thống chỉ hiển thị",
    "\u00a0",
    "\u200b",
  ];
  const bad: string[] = [];
  for (const r of all) {
    for (const [at, s] of strings(r, r.code)) {
      if (forbidden.some((f) => s.includes(f)) || s !== s.normalize("NFC")) bad.push(`${at}: ${s.slice(0, 80)}`);
    }
  }
  assert.deepEqual(bad, []);
});

test("1.000253, field by field", () => {
  const r = recordOf("1.000253");
  assert.equal(r.name, "Khai báo tạm trú cho người nước ngoài tại Việt Nam bằng Phiếu khai báo tạm trú");
  assert.equal(r.decisionNumber, "QĐ/0001-BCA");
  assert.deepEqual(r.levels, ["Cấp xã"]);
  assert.equal(r.type, "TTHC được giao luật quy định chi tiết");
  assert.equal(r.field, "Quản lý xuất nhập cảnh");
  assert.deepEqual(r.subjects, [
    "Tổ chức (không bao gồm doanh nghiệp, HTX)",
    "Công dân Việt Nam",
    "Doanh nghiệp",
    "Người nước ngoài",
  ]);
  assert.equal(r.competentAgency, "Công an cấp Xã");
  assert.equal(r.receivingAddress, "Công an Xã");
  assert.equal(r.authorisedAgency, "");
  assert.deepEqual(r.related, []);
  assert.deepEqual(
    r.steps.map((s) => s.label),
    ["Bước 1", "Bước 2", "Bước 3"],
  );
  assert.equal(r.steps[0]?.text, "Người khai báo tạm trú tiếp nhận thông tin tạm trú của người nước ngoài.");
  assert.ok(
    r.stepsText.startsWith("Bước 1: Người khai báo tạm trú"),
    'expected: r.stepsText.startsWith("Bước 1: Người khai báo tạm trú")',
  );
  assert.deepEqual(r.channels, [
    { channel: "truc_tiep", timeLimit: "7 Ngày", fee: "", description: "Nộp trực tiếp tại trụ sở Công an cấp xã" },
  ]);
  assert.equal(r.channelsText, "");
  assert.deepEqual(r.dossier, [
    {
      caseName: "",
      items: [
        {
          name: "Phiếu khai báo tạm trú cho người nước ngoài (mẫu NA17)",
          form: "Mau A17 tam tru cho nguoi nuoc ngoai.doc",
          originals: 1,
          copies: null,
        },
      ],
    },
  ]);
  assert.equal(r.dossierText, "");
  assert.deepEqual(r.legalBases, [
    {
      title: "Luật Nhập cảnh, xuất cảnh, quá cảnh, cư trú của người nước ngoài tại Việt Nam",
      number: "47/2014/QH13",
    },
    {
      title:
        "Thông tư quy định cách thức thực hiện khai báo, tiếp nhận thông tin tạm trú của người nước ngoài tại Việt Nam",
      number: "53/2016/TT-BCA",
    },
  ]);
  assert.equal(r.implementingAgency, "Công an cấp Xã");
  assert.equal(r.requirements, "Thực hiện khai báo ngay khi người nước ngoài đến đăng ký tạm trú.");
  assert.deepEqual(r.results, [
    {
      name: "Phiếu khai báo tạm trú được cơ quan Công an xác nhận và các thông tin khai báo tạm trú đã được tiếp nhận ghi vào sổ trực ban của Công an cấp xã",
      code: "KQ.G01.00263",
    },
  ]);
  assert.equal(r.sourceUrl, "https://dichvucong.gov.vn/thu-tuc-hanh-chinh/019d2bf7-4fc4-7716-bab8-167242b3fcda");
  assert.equal(r.keywords, undefined);
  assert.equal(r.description, undefined);
});

test("1.001193 Thủ tục đăng ký khai sinh, field by field", () => {
  const r = recordOf("1.001193");
  assert.equal(r.name, "Thủ tục đăng ký khai sinh");
  assert.equal(r.decisionNumber, "163/QĐ-BTP");
  assert.deepEqual(r.levels, ["Cấp xã"]);
  assert.equal(r.field, "Hộ tịch");
  assert.deepEqual(r.subjects, ["Công dân Việt Nam", "Người Việt Nam định cư ở nước ngoài"]);
  assert.equal(r.competentAgency, "");
  assert.equal(r.implementingAgency, "", "“Không có thông tin” is empty");
  assert.equal(r.requirements, "");
  // No "Bước N": one step with the whole text.
  assert.equal(r.steps.length, 1);
  assert.equal(r.steps[0]?.label, "");
  assert.equal(r.steps[0]?.text, r.stepsText);
  assert.ok(
    r.stepsText.startsWith("- Nếu lựa chọn hình thức nộp hồ sơ trực tiếp"),
    'expected: r.stepsText.startsWith("- Nếu lựa chọn hình thức nộp hồ sơ trực tiếp")',
  );
  assert.deepEqual(r.channels, [
    { channel: "truc_tuyen", timeLimit: "1", fee: "Miễn phí", description: "" },
    { channel: "buu_chinh", timeLimit: "1", fee: "Miễn phí", description: "" },
    { channel: "truc_tiep", timeLimit: "1", fee: "Miễn phí", description: "" },
  ]);
  assert.deepEqual(
    r.dossier.map((g) => g.caseName),
    ["* Giấy tờ phải nộp", "* Giấy tờ phải xuất trình", "* Lưu ý", ""],
  );
  const toSubmit = r.dossier[0]?.items ?? [];
  assert.equal(toSubmit.length, 5);
  assert.deepEqual(toSubmit[4], {
    name: "Giấy chứng sinh; trường hợp không có Giấy chứng sinh thì nộp văn bản của người làm chứng xác nhận về việc sinh; nếu không có người làm chứng thì phải có giấy cam đoan về việc sinh.",
    form: "",
    originals: 1,
    copies: null,
  });
  assert.equal(toSubmit[2]?.originals, 0);
  assert.ok(
    r.dossier[3]?.items.some((i) => i.name.startsWith("Tờ khai đăng ký khai sinh theo mẫu")),
    'expected: r.dossier[3]?.items.some((i) => i.name.startsWith("Tờ khai đăng ký khai sinh theo mẫu"))',
  );
  assert.ok(
    r.dossier.flatMap((g) => g.items).every((i) => !i.name.includes("\u200e")),
    "direction marks pasted from Word are gone",
  );
  assert.equal(r.dossierText, "");
  assert.equal(r.legalBases.length, 15);
  assert.deepEqual(r.legalBases[0], {
    title:
      "Thông tư Hướng dẫn về phí và lệ phí thuộc thẩm quyền quyết định của Hội đồng nhân dân tỉnh, thành phố trực thuộc Trung ương",
    number: "85/2019/TT-BTC",
  });
  assert.deepEqual(
    r.legalBases.map((b) => b.number),
    [
      "85/2019/TT-BTC",
      "104/2022/NĐ-CP",
      "123/2015/NĐ-CP",
      "08/2025/TT-BTP",
      "18/2026/NĐ-CP",
      "87/2020/NĐ-CP",
      "04/2024/TT-BTP",
      "03/2023/TT-BTP",
      "106/2021/TT-BTC",
      "04/2020/TT-BTP",
      "07/2025/NĐ-CP",
      "120/2025/NĐ-CP",
      "66.7/2025/NQ-CP",
      "60/2014/QH13",
      "01/2022/TT-BTP",
    ],
  );
  // The number cell repeated a kind of document glued to the title: "…Bộ Tư phápThông tư số 03/2023/TT-BTP".
  assert.equal(r.legalBases[7]?.title, "Thông tư số 03/2023/TT-BTP ngày 02/8/2023 của Bộ trưởng Bộ Tư pháp");
  // The title ends with the number: "Luật 60/2014/QH1360/2014/QH13".
  assert.deepEqual(r.legalBases[13], { title: "Luật 60/2014/QH13", number: "60/2014/QH13" });
  assert.deepEqual(r.results, [{ name: "Giấy khai sinh", code: "KQ.G15.000031" }]);
});

test("structuring rates over the 688 records", () => {
  const n = all.length;
  const share = (f: (r: ProcedureRecord) => boolean) => all.filter(f).length / n;
  const rates = {
    channels: share((r) => r.channels.length > 0 && r.channelsText === ""),
    dossier: share((r) => r.dossier.length > 0 && r.dossierText === ""),
    legalBases: share((r) => r.legalBases.length > 0 && r.legalBases.every((b) => b.number !== "")),
    results: share((r) => r.results.length > 0 && r.results.every((x) => x.code !== "")),
    numberedSteps: share((r) => r.steps.some((s) => s.label !== "")),
  };
  console.log(
    `structured: ${Object.entries(rates)
      .map(([k, v]) => `${k} ${(v * 100).toFixed(1)}%`)
      .join(", ")}`,
  );
  assert.ok(rates.channels >= 0.95, `channels ${rates.channels}`);
  assert.ok(rates.dossier >= 0.9, `dossier ${rates.dossier}`);
  assert.ok(rates.legalBases >= 0.9, `legal bases ${rates.legalBases}`);
  assert.ok(rates.results >= 0.95, `results ${rates.results}`);
});

test("the 22 records whose dossier field holds procedure steps keep it as text", () => {
  const steps = all.filter((r) => r.dossierText !== "" && r.dossier.length === 0);
  assert.equal(steps.length, 22);
  for (const r of steps) assert.match(r.dossierText, /Bước \d|nộp/);
  assert.ok(
    all.every((r) => r.dossier.length > 0 || r.dossierText !== ""),
    "no record loses its dossier",
  );
});

test("decision titles used as names are kept on one line", () => {
  const group = all.filter((r) => r.name.startsWith("Công bố Danh mục và Quy trình nội bộ"));
  assert.equal(group.length, 7);
  for (const r of group) {
    assert.equal(
      r.name,
      "Công bố Danh mục và Quy trình nội bộ thủ tục hành chính thuộc thẩm quyền giải quyết của Sở Nội vụ về thực hiện một số chính sách đảm bảo an sinh xã hội trên địa bàn tỉnh Hà Tĩnh giai đoạn 2026 - 2030",
    );
  }
  assert.ok(
    all.every((r) => !/\s{2}|\n/.test(r.name)),
    "expected: all.every((r) => !/\\s{2}|\\n/.test(r.name))",
  );
});

test("lists: levels, subjects with commas inside, keywords and the page's description", () => {
  assert.deepEqual(splitList("Cấp bộ, Cấp tỉnh, Cấp xã"), ["Cấp bộ", "Cấp tỉnh", "Cấp xã"]);
  assert.deepEqual(splitList("Tổ chức (không bao gồm doanh nghiệp, HTX), Cán bộ, công chức, viên chức, Hợp tác xã"), [
    "Tổ chức (không bao gồm doanh nghiệp, HTX)",
    "Cán bộ, công chức, viên chức",
    "Hợp tác xã",
  ]);
  assert.ok(
    recordOf("1.003197").subjects.includes("Cán bộ, công chức, viên chức"),
    'expected: recordOf("1.003197").subjects.includes("Cán bộ, công chức, viên chức")',
  );
  assert.deepEqual(recordOf("1.003677").keywords, ["Khai báo tạm vắng"]);
  assert.equal(recordOf("3.000323").description, "Uỷ ban nhân dân cấp xã nơi cư trú của người được giám hộ.");
});

test("refusals: no code, a code of another shape, no name", () => {
  const base = { ma_thu_tuc: "1.000253", ten_thu_tuc: "Khai báo tạm trú" };
  assert.deepEqual(normalizeRecord({ ...base, ma_thu_tuc: "" }, 7), {
    ok: false,
    problem: { line: 7, code: null, reason: "Thiếu mã thủ tục (cột «Mã thủ tục»)." },
  });
  const shape = normalizeRecord({ ...base, ma_thu_tuc: "1.00025" }, 8);
  assert.ok(
    !shape.ok && shape.problem.code === "1.00025" && /không đúng dạng/.test(shape.problem.reason),
    'expected: !shape.ok && shape.problem.code === "1.00025" && /không đúng dạng/.test(shape.problem.r...',
  );
  const noName = normalizeRecord({ ...base, ten_thu_tuc: " \u00a0" }, 9);
  assert.ok(
    !noName.ok && noName.problem.line === 9 && /Thiếu tên thủ tục/.test(noName.problem.reason),
    "expected: !noName.ok && noName.problem.line === 9 && /Thiếu tên thủ tục/.test(noName.problem.reason)",
  );
  const ok = normalizeRecord({ ma_thu_tuc: " 1.000253\u00a0", ten_thu_tuc: "Khai báo\ntạm trú" }, 1);
  assert.ok(
    ok.ok && ok.record.code === "1.000253" && ok.record.name === "Khai báo tạm trú",
    'expected: ok.ok && ok.record.code === "1.000253" && ok.record.name === "Khai báo tạm trú"',
  );
  const numeric = normalizeRecord({ ma_thu_tuc: 1.00104, ten_thu_tuc: "Số" }, 1);
  assert.ok(
    numeric.ok && numeric.record.code === "1.001040",
    'expected: numeric.ok && numeric.record.code === "1.001040"',
  );
});

test("portalRowFromLabels folds case, diacritics and spacing; labels also work straight into normalizeRecord", () => {
  assert.deepEqual(
    portalRowFromLabels({
      "Mã thủ tục": "1.000253",
      "  TEN THU TUC ": "Khai báo",
      "Địa chỉ tiếp nhận HS": "Công an Xã",
      "Yêu cầu, điều kiện thực hiện": "Không",
      "Cơ quan được uỷ quyền": "X",
      "Cột lạ": "bỏ qua",
    }),
    {
      ma_thu_tuc: "1.000253",
      ten_thu_tuc: "Khai báo",
      dia_chi_tiep_nhan: "Công an Xã",
      yeu_cau_dieu_kien: "Không",
      co_quan_duoc_uy_quyen: "X",
    },
  );
  const r = normalizeRecord({ "Mã thủ tục": "1.000253", "Tên thủ tục": "Khai báo", "Cấp thực hiện": "Cấp xã" }, 2);
  assert.ok(r.ok && r.record.levels[0] === "Cấp xã", 'expected: r.ok && r.record.levels[0] === "Cấp xã"');
});

test("splitters on the portal's quirks", () => {
  // A bare day count glued to a fee: the fee never starts with 0, the day count is as short as can be.
  const online = splitChannels("Hình thức nộpThời gianPhí, lệ phíMô tảTrực tuyến120 VNĐ(20.000 vnđ /tờ khai)");
  assert.deepEqual(online.channels, [
    { channel: "truc_tuyen", timeLimit: "1", fee: "20 VNĐ", description: "20.000 vnđ /tờ khai" },
  ]);
  assert.equal(online.confident, true);
  assert.equal(splitChannels("Hình thức nộpThời gianPhí, lệ phíMô tảTrực tiếp115 USD").confident, false);
  // A channel label inside a description does not start a row.
  const two = splitChannels(
    "Hình thức nộpThời gianPhí, lệ phíMô tảTrực tuyến3 Ngày làm việcMiễn phí(Không)Trực tuyến qua Cổng DVCDịch vụ bưu chính3 Ngày làm việcMiễn phí",
  );
  assert.deepEqual(
    two.channels.map((c) => [c.channel, c.description]),
    [
      ["truc_tuyen", "Trực tuyến qua Cổng DVC"],
      ["buu_chinh", ""],
    ],
  );
  assert.deepEqual(splitNameForm("Văn bản đề nghị theo Mẫu số 01 tại Nghị định số 42/2026/NĐ-CPMẫu số 01.docx"), {
    name: "Văn bản đề nghị theo Mẫu số 01 tại Nghị định số 42/2026/NĐ-CP",
    form: "Mẫu số 01.docx",
  });
  const d = splitDossier(
    "--Tên giấy tờMẫu đơn, tờ khaiSố lượngĐơn (01 bản chính) theo mẫu1 bản chính,2 bản saoBản đồ1 bản sao",
  );
  assert.deepEqual(d.dossier[0]?.items, [
    { name: "Đơn (01 bản chính) theo mẫu", form: "", originals: 1, copies: 2 },
    { name: "Bản đồ", form: "", originals: null, copies: 1 },
  ]);
  assert.deepEqual(
    splitLegalBases(
      "Tên văn bản pháp lýMã văn bảnNghị định 126/2020/NĐ-CP126/2020/NĐ-CPsửa đổi Thông tư 19/2021/TT-BTC46/2024/TT-BTC",
    ).legalBases,
    [
      { title: "Nghị định 126/2020/NĐ-CP", number: "126/2020/NĐ-CP" },
      { title: "sửa đổi Thông tư 19/2021/TT-BTC", number: "46/2024/TT-BTC" },
    ],
  );
  assert.deepEqual(splitResults("Biển số xeMã: KQ.G01.000015Giấy chứng nhậnMã: 000.00.00.G11-KQ3554"), [
    { name: "Biển số xe", code: "KQ.G01.000015" },
    { name: "Giấy chứng nhận", code: "000.00.00.G11-KQ3554" },
  ]);
  assert.deepEqual(
    splitSteps("Bước 1: Nộp hồ sơ.\nBước 2. Nhận kết quả, nếu sai thì quay lại Bước 1 và nộp lại.").map((s) => s.label),
    ["Bước 1", "Bước 2"],
  );
  const cleaned = cleanText(
    "Giấy khai sinhMã: KQ.G15.000031Từ khóaKhai sinhMô tảKhông có thông tinChọn cơ quan thực hiện…",
  );
  assert.deepEqual(cleaned, { text: "Giấy khai sinhMã: KQ.G15.000031", keywords: "Khai sinh", description: "" });
});
