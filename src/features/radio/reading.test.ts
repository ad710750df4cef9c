/** The reading aloud of a fixed set of dates, times, numbers, money and abbreviations, and what is not read. */
import assert from "node:assert/strict";
import { test } from "node:test";
import { bulletinScript, readAloud, readInteger } from "./reading.ts";

const ABBR = new Map([
  ["UBND", "Ủy ban nhân dân"],
  ["QĐ-UBND", "quyết định của Ủy ban nhân dân"],
  ["CCHC", "cải cách hành chính"],
  ["TTHC", "thủ tục hành chính"],
  ["HĐND", "Hội đồng nhân dân"],
  ["BHXH", "bảo hiểm xã hội"],
]);

test("whole numbers in Vietnamese words", () => {
  const cases: [string, string][] = [
    ["0", "không"],
    ["5", "năm"],
    ["10", "mười"],
    ["11", "mười một"],
    ["15", "mười lăm"],
    ["21", "hai mươi mốt"],
    ["24", "hai mươi tư"],
    ["25", "hai mươi lăm"],
    ["105", "một trăm linh năm"],
    ["110", "một trăm mười"],
    ["1005", "một nghìn không trăm linh năm"],
    ["2024", "hai nghìn không trăm hai mươi tư"],
    ["1500000", "một triệu năm trăm nghìn"],
    ["3000000000", "ba tỷ"],
  ];
  for (const [n, words] of cases) assert.equal(readInteger(n), words, `${n} is read “${words}”`);
});

test("the fixed set: dates, times, numbers, money and abbreviations read aloud", () => {
  const cases: [string, string][] = [
    ["19/02/2024", "ngày mười chín tháng hai năm hai nghìn không trăm hai mươi tư"],
    ["Từ ngày 01/7/2025", "Từ ngày một tháng bảy năm hai nghìn không trăm hai mươi lăm"],
    ["hạn chót 30/4", "hạn chót ngày ba mươi tháng tư"],
    ["trong tháng 12/2026", "trong tháng mười hai năm hai nghìn không trăm hai mươi sáu"],
    ["lúc 08:30 sáng", "lúc tám giờ ba mươi phút sáng"],
    ["lúc 14h", "lúc mười bốn giờ"],
    ["từ 7h30 đến 11h00", "từ bảy giờ ba mươi phút đến mười một giờ"],
    ["lệ phí 1.500.000 đồng", "lệ phí một triệu năm trăm nghìn đồng"],
    ["phí 50.000đ", "phí năm mươi nghìn đồng"],
    ["đạt 98,5%", "đạt chín mươi tám phẩy năm phần trăm"],
    ["có 1.234 hồ sơ", "có một nghìn hai trăm ba mươi tư hồ sơ"],
    ["UBND phường", "Ủy ban nhân dân phường"],
    ["công tác CCHC", "công tác cải cách hành chính"],
    ["giải quyết TTHC", "giải quyết thủ tục hành chính"],
    ["kỳ họp HĐND", "kỳ họp Hội đồng nhân dân"],
    ["cơ quan BHXH", "cơ quan bảo hiểm xã hội"],
    ["Quyết định số 15/QĐ-UBND", "Quyết định số mười lăm quyết định của Ủy ban nhân dân"],
    ["UBNDX không phải từ viết tắt", "UBNDX không phải từ viết tắt"],
  ];
  for (const [text, reading] of cases) assert.equal(readAloud(text, ABBR), reading, `“${text}” is read “${reading}”`);
});

test("procedure codes, web and e-mail addresses are not read", () => {
  assert.equal(
    readAloud("Thủ tục đăng ký thường trú (mã 1.004194) nộp tại https://dichvucong.gov.vn/p/home.", ABBR),
    "Thủ tục đăng ký thường trú nộp tại.",
    "the code and the URL are left out",
  );
  assert.equal(
    readAloud(
      "Xem dichvucong.gov.vn hoặc gửi thư tới vanphong@phuong.gov.vn, mã thủ tục 2.000123.000.00.00.H12.",
      ABBR,
    ),
    "Xem hoặc gửi thư tới.",
    "a bare domain, an e-mail address and a long code are left out",
  );
});

test("the reading is NFC whatever the script's form", () => {
  const decomposed = "Ủy ban nhân dân".normalize("NFD");
  const out = readAloud(`${decomposed} thông báo 2 việc`, ABBR);
  assert.equal(out, out.normalize("NFC"), "NFC");
  assert.equal(out, "Ủy ban nhân dân thông báo hai việc", "read as composed text");
});

test("the bulletin's script: title, then each item numbered", () => {
  const s = bulletinScript({
    title: "Bản tin cải cách hành chính",
    items: [
      { title: "Thủ tục mới", script: "Nội dung một." },
      { title: "Lịch họp", script: "Nội dung hai." },
    ],
  });
  assert.match(
    s,
    /^Bản tin cải cách hành chính\.\n\nTin thứ nhất\. Thủ tục mới\.\n\nNội dung một\.\n\nTin thứ hai\./,
    "in order",
  );
});
