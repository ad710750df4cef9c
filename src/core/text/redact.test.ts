import assert from "node:assert/strict";
import { test } from "node:test";
import { countPersonal, findPersonal, MASKS, redact } from "./redact.ts";

const P = MASKS.phone;

test("Vietnamese phone numbers in their usual spellings are masked", () => {
  const cases: [string, string][] = [
    ["Liên hệ 0905123456 giúp tôi.", `Liên hệ ${P} giúp tôi.`],
    ["SĐT 0905 123 456.", `SĐT ${P}.`],
    ["SĐT: 0905.123.456", `SĐT: ${P}`],
    ["số 0905-123-456", `số ${P}`],
    ["gọi 090 512 3456", `gọi ${P}`],
    ["+84 905 123 456 là số của tôi", `${P} là số của tôi`],
    ["(+84) 905123456", P],
    ["+84905123456", P],
    ["84905123456", P],
    ["ĐT bàn 0255 3 123 456", `ĐT bàn ${P}`],
    ["ĐT (0255) 3 123 456", `ĐT ${P}`],
    ["024 3825 1234 hoặc 028.3822.1234", `${P} hoặc ${P}`],
    ["+84 24 3825 1234", P],
    ["sđt0912345678, zalo 0387654321", `sđt${P}, zalo ${P}`],
    ["SĐT.0905.123.456.", `SĐT.${P}.`],
    ["tổ 3 0905123456", `tổ 3 ${P}`],
  ];
  for (const [input, expected] of cases) assert.equal(redact(input), expected, input);
});

test("e-mail addresses and ID numbers (CCCD, CMND, passport) are masked", () => {
  const cases: [string, string][] = [
    ["Thư: nguyen.van.a@gmail.com nhé", `Thư: ${MASKS.email} nhé`],
    ["gửi về lan_pham+phuong@ubnd.quangngai.gov.vn.", `gửi về ${MASKS.email}.`],
    ["CCCD 051090001234", `CCCD ${MASKS.id}`],
    ["số CCCD: 051 090 001 234, cấp ngày 12/03/2021", `số CCCD: ${MASKS.id}, cấp ngày 12/03/2021`],
    ["Căn cước công dân số 051090001234", `Căn cước công dân số ${MASKS.id}`],
    ["CMND số 212345678 cấp năm 2010", `CMND số ${MASKS.id} cấp năm 2010`],
    ["chứng minh nhân dân: 212.345.678", `chứng minh nhân dân: ${MASKS.id}`],
    ["hộ chiếu C1234567", `hộ chiếu ${MASKS.id}`],
    ["mã định danh cá nhân 051090001234", `mã định danh cá nhân ${MASKS.id}`],
    ["Tôi có số 051090001234 trên thẻ", `Tôi có số ${MASKS.id} trên thẻ`],
    ["giấy cũ 212345678.", `giấy cũ ${MASKS.id}.`],
  ];
  for (const [input, expected] of cases) assert.equal(redact(input), expected, input);
});

test("ordinary numbers are not masked: procedure codes, dates, amounts, decisions, years, hotlines", () => {
  const keep = [
    "Thủ tục 1.000656 và 2.001255 theo Quyết định 1085/QĐ-UBND ngày 12/03/2026.",
    "Kế hoạch 18/KH-UBND năm 2026; Nghị định 20/2008/NĐ-CP, Luật 91/2025/QH15.",
    "Lệ phí 50.000 đồng, phạt 1.500.000đ, tổng 84.500.000.000 đồng; hỗ trợ 905.123.456 đồng.",
    "Ngày 02.03.2026 08.30 tôi đến; hẹn 03.03.2026 lúc 14.00; ngày 05-03-2026.",
    "Các năm 2024, 2025 và 2026; tổ 5, khu phố 2; 12 hộ, 300 người; mã hồ sơ 000.00.22.H55-260302-0001.",
    "Tổng đài 1900 1234 và 1800 1080 miễn phí; mã bưu chính 570000.",
    "Đèn đường Lê Lợi hỏng, ngõ 4 đường Nguyễn Nghiêm ngập; Bà Rịa – Vũng Tàu; phường Trần Phú.",
    "Tôi là người dân tổ 3, tôi là Hội viên hội nông dân; bà con và chị em tiểu thương.",
    "Giá 0,5 triệu; tỷ lệ 98,5%; 1,2 ha; điểm 4.5/5.",
  ];
  for (const text of keep) {
    assert.deepEqual(findPersonal(text), [], text);
    assert.equal(redact(text), text, text);
  }
});

test("a name introduced as such, or after ông/bà/anh/chị with a family name, is masked", () => {
  const cases: [string, string][] = [
    ["Tôi là Nguyễn Văn An, ở tổ 3.", `Tôi là ${MASKS.name}, ở tổ 3.`],
    ["tôi tên là Phạm Thị Lan ở khu phố 2", `tôi tên là ${MASKS.name} ở khu phố 2`],
    ["Họ và tên: TRẦN VĂN BÌNH", `Họ và tên: ${MASKS.name}`],
    ["cán bộ là ông Lê Văn Cường gây khó dễ", `cán bộ là ông ${MASKS.name} gây khó dễ`],
    ["Chị Võ Thị Mai đã nhận hồ sơ", `Chị ${MASKS.name} đã nhận hồ sơ`],
  ];
  for (const [input, expected] of cases) assert.equal(redact(input), expected, input);
});

test("the sender's own name, address, phone and e-mail are found folded, in any case and spacing", () => {
  const known = {
    name: "Nguyễn Văn A",
    address: "Số 12 đường Nguyễn Nghiêm, tổ 7, phường Đức Phổ",
    phone: "0905123456",
    email: "vana@example.vn",
  };
  const text =
    "nguyen van a kính gửi. NGUYỄN  VĂN A ở số 12 Đường Nguyễn Nghiêm; gọi 0 9 0 5 1 2 3 4 5 6 hoặc VanA@Example.vn.";
  assert.equal(
    redact(text, known),
    `${MASKS.name} kính gửi. ${MASKS.name} ở ${MASKS.address}; gọi ${P} hoặc ${MASKS.email}.`,
  );
  // The whole address, and a shorter name inside a longer one is not the sender.
  assert.equal(
    redact("Nhà tôi ở Số 12 đường Nguyễn Nghiêm, tổ 7, phường Đức Phổ. Anh Nguyễn Văn Anh là hàng xóm.", {
      ...known,
      name: "Nguyễn Văn An",
    }),
    `Nhà tôi ở ${MASKS.address}. Anh ${MASKS.name} là hàng xóm.`,
  );
  assert.equal(redact("Nguyễn Văn Anh là hàng xóm.", { name: "Nguyễn Văn An" }), "Nguyễn Văn Anh là hàng xóm.");
  // A one-word name is also an ordinary word: not matched alone; a street the sender lives on is not the address.
  assert.equal(redact("Đèn lan can cầu hỏng.", { name: "Lan" }), "Đèn lan can cầu hỏng.");
  assert.equal(
    redact("Đường Nguyễn Nghiêm ngập nước.", { address: "Số 12 đường Nguyễn Nghiêm, tổ 7" }),
    "Đường Nguyễn Nghiêm ngập nước.",
  );
  // An address that names only an area is not a home: the ward's name stays wherever the text uses it.
  assert.equal(
    redact("Đề nghị UBND phường Đức Phổ kiểm tra.", { address: "Phường Đức Phổ" }),
    "Đề nghị UBND phường Đức Phổ kiểm tra.",
  );
  // Erased senders have empty fields: nothing to look for, nothing broken.
  assert.equal(
    redact("Không có gì riêng tư.", { name: "", address: "", phone: "", email: null }),
    "Không có gì riêng tư.",
  );
});

test("a real-looking letter: every personal detail masked, the substance kept; masking twice changes nothing", () => {
  const text =
    "Kính gửi UBND phường. Tôi là Nguyễn Văn A, SĐT 0905 123 456, CCCD 051090001234, ở tổ 3 khu phố 2. " +
    "Ngày 12/03/2026 tôi nộp hồ sơ thủ tục 1.000656 (lệ phí 50.000 đồng) theo Kế hoạch 18/KH-UBND " +
    "nhưng đến nay chưa có kết quả. Xin trả lời qua nguyenvana@gmail.com hoặc gọi +84 905 123 456.";
  const out = redact(text, { name: "Nguyễn Văn A", phone: "0905123456" });
  assert.equal(
    out,
    `Kính gửi UBND phường. Tôi là ${MASKS.name}, SĐT ${P}, CCCD ${MASKS.id}, ở tổ 3 khu phố 2. ` +
      "Ngày 12/03/2026 tôi nộp hồ sơ thủ tục 1.000656 (lệ phí 50.000 đồng) theo Kế hoạch 18/KH-UBND " +
      `nhưng đến nay chưa có kết quả. Xin trả lời qua ${MASKS.email} hoặc gọi ${P}.`,
  );
  // The address as given ("Tổ 3, khu phố 2") is found in the text ("tổ 3 khu phố 2"), punctuation aside.
  assert.equal(redact(out, { address: "Tổ 3, khu phố 2" }), out.replace("tổ 3 khu phố 2", MASKS.address));
  assert.equal(redact(redact(text)), redact(text), "idempotent");
  assert.deepEqual(countPersonal(findPersonal(text, { name: "Nguyễn Văn A" })), { name: 1, phone: 2, id: 1, email: 1 });
});

test("known values only: what the publish step refuses to let through", () => {
  const known = { name: "Trần Thị Bình", phone: "0987654321" };
  assert.deepEqual(
    findPersonal("Chị trần thị bình gọi 0987.654.321; hotline 0255 3 822 123.", known, { patterns: false }).map(
      (s) => s.kind,
    ),
    ["name", "phone"],
  );
  assert.deepEqual(findPersonal("Hotline 0255 3 822 123.", known, { patterns: false }), []);
});

test("a name after ông/bà/anh/chị/em/cô/chú is masked, with or without a family name; offices and places stay", () => {
  const N = MASKS.name;
  const cases: [string, string][] = [
    ["Đã liên hệ bà Nguyễn Thị Hoa (0905 123 456) để hướng dẫn.", `Đã liên hệ bà ${N} (${P}) để hướng dẫn.`],
    ["Đã gọi chị Hoa và anh Minh Tuấn.", `Đã gọi chị ${N} và anh ${N}.`],
    ["em Lan, cô Tư, chú Ba Khánh, ông Y Bình Niê", `em ${N}, cô ${N}, chú ${N}, ông ${N}`],
  ];
  for (const [input, expected] of cases) assert.equal(redact(input), expected, input);
  const keep = [
    "Ông Chủ tịch UBND phường đã chỉ đạo; bà Trưởng phòng Tư pháp; anh Bác sĩ trạm y tế.",
    "tỉnh Bà Rịa – Vũng Tàu; chợ Bà Chiểu; đường Bà Triệu; phố Ông Ích Khiêm.",
    "Ông bà, anh chị em trong tổ dân phố; cô giáo và chú bộ đội.",
  ];
  for (const text of keep) assert.equal(redact(text), text, text);
});

test("a street address with a house number is masked; lanes, groups, articles and dates stay", () => {
  const A = MASKS.address;
  const cases: [string, string][] = [
    ["Nhà tôi ở số 12 đường Lê Lợi, tổ 3.", `Nhà tôi ở ${A}, tổ 3.`],
    ["Gia đình ở 45/2B Trần Hưng Đạo bị ngập.", `Gia đình ở ${A} bị ngập.`],
    ["nhà số 7, phố Huế; 20 đường Hùng Vương", `nhà ${A}; ${A}`],
    ["Nắp hố ga trước nhà số 7 hẻm Bí Mật bị mất.", `Nắp hố ga trước nhà ${A} bị mất.`],
    ["số nhà 15 bị ngập", `${A} bị ngập`],
    ["Địa chỉ: 123 Nguyễn Huệ, phường Đức Phổ", `Địa chỉ: ${A}, phường Đức Phổ`],
  ];
  for (const [input, expected] of cases) assert.equal(redact(input), expected, input);
  const keep = [
    "ngõ 4 đường Nguyễn Nghiêm ngập; Điều 19 Nghị định 20/2008; năm 2026 tổ 3 Nguyễn Nghiêm.",
    "12 hộ, 300 người; Kế hoạch 18 đường Lê Lợi; tháng 3 đường Quang Trung sửa.",
  ];
  for (const text of keep) assert.equal(redact(text), text, text);
});
