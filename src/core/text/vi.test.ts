import assert from "node:assert/strict";
import { test } from "node:test";
import {
  compareVi,
  fold,
  foldWords,
  formatDate,
  formatDateTime,
  nfc,
  parseVnDate,
  vnDaysAsInstants,
  vnToday,
} from "./vi.ts";

test("fold removes tone marks and folds đ/Đ to d, for NFC and NFD alike", () => {
  assert.equal(fold("Đăng ký khai sinh"), "dang ky khai sinh");
  assert.equal(fold("Đăng ký khai sinh".normalize("NFD")), "dang ky khai sinh");
  assert.equal(foldWords("Văn phòng – Thống kê"), "van phong thong ke");
});

test("nfc composes decomposed text and unifies line endings and no-break spaces", () => {
  assert.equal(nfc("Phổ Minh".normalize("NFD")), "Phổ Minh");
  assert.equal(nfc("a\r\nb\u00a0c\u200b"), "a\nb c");
});

test("dates are shown dd/mm/yyyy in Vietnam's time zone", () => {
  assert.equal(formatDate("2024-02-19"), "19/02/2024");
  // 18:30 UTC is already the next day in Vietnam.
  assert.equal(formatDate(new Date("2024-02-18T18:30:00Z")), "19/02/2024");
  assert.equal(formatDateTime(new Date("2024-02-18T18:30:00Z")), "01:30 19/02/2024");
  assert.equal(vnToday(new Date("2025-06-30T17:00:00Z")), "2025-07-01");
});

test("parseVnDate accepts day/month/year and refuses impossible dates", () => {
  assert.equal(parseVnDate("6/9/2023"), "2023-09-06");
  assert.equal(parseVnDate("31/02/2024"), null);
});

test("vnDaysAsInstants bounds Vietnamese days in UTC (UTC+7)", () => {
  assert.deepEqual(vnDaysAsInstants("2024-01-01", "2024-03-31"), {
    start: "2023-12-31T17:00:00.000Z",
    end: "2024-03-31T16:59:59.999Z",
  });
});

test('compareVi orders as localeCompare(…, "vi") does, with one collator', () => {
  const words = ["Đăng ký", "dân", "Ăn", "an", "ấp", "Hộ tịch", "hổ", "Chứng thực", "Cư trú", "Z", "ô", "ơ", "o"];
  const byLocale = [...words].sort((a, b) => a.localeCompare(b, "vi"));
  assert.deepEqual([...words].sort(compareVi), byLocale);
});
