import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { DEFAULT_HOLIDAYS } from "./holidays.ts";
import { calendarFrom, isIsoDate } from "./working-days.ts";

const weekday = (iso: string) => new Date(`${iso}T00:00:00Z`).getUTCDay();
const holidayDates = DEFAULT_HOLIDAYS.filter((e) => e.kind === "holiday").map((e) => e.date);
const has = (d: string) => holidayDates.includes(d);

describe("DEFAULT_HOLIDAYS data", () => {
  test("every date is a valid ISO date in 2025–2027, sorted, without duplicates", () => {
    const dates = DEFAULT_HOLIDAYS.map((e) => e.date);
    for (const d of dates) {
      assert.ok(isIsoDate(d), d);
      assert.match(d, /^202[5-7]-/);
    }
    assert.equal(new Set(dates).size, dates.length);
    assert.deepEqual(dates, [...dates].sort());
  });
  test("every entry has a Vietnamese name, a known kind and a basis", () => {
    for (const e of DEFAULT_HOLIDAYS) {
      assert.ok(e.name.trim().length >= 5, e.date);
      assert.match(e.name, /[À-ỹ]/u, `${e.date}: name should be Vietnamese`);
      assert.ok(e.kind === "holiday" || e.kind === "makeup_workday", e.date);
      assert.ok(e.basis === "announced" || e.basis === "computed", e.date);
    }
  });
  test("builds a calendar (no date both holiday and make-up)", () => {
    const cal = calendarFrom(DEFAULT_HOLIDAYS);
    assert.equal(cal.holidays.size + cal.makeUpWorkdays.size, DEFAULT_HOLIDAYS.length);
  });
  test("make-up working days are Saturdays or Sundays", () => {
    for (const e of DEFAULT_HOLIDAYS.filter((x) => x.kind === "makeup_workday")) {
      assert.ok([0, 6].includes(weekday(e.date)), e.date);
    }
  });
  test("fixed-date holidays are present every year", () => {
    for (const y of [2025, 2026, 2027]) {
      for (const md of ["01-01", "04-30", "05-01", "09-02"]) assert.ok(has(`${y}-${md}`), `${y}-${md}`);
      assert.ok(has(`${y}-09-01`) !== has(`${y}-09-03`), `${y}: exactly one day adjacent to 2/9`);
    }
  });
  test("lunar dates: mùng 1 Tết and Giỗ Tổ", () => {
    for (const d of ["2025-01-29", "2026-02-17", "2027-02-06"]) {
      const e = DEFAULT_HOLIDAYS.find((x) => x.date === d);
      assert.ok(e?.name.includes("mùng 1"), d);
    }
    for (const d of ["2025-04-07", "2026-04-26", "2027-04-16"]) {
      assert.ok(DEFAULT_HOLIDAYS.find((x) => x.date === d)?.name.startsWith("Giỗ Tổ"), d);
    }
  });
  test("Tết gives at least 5 weekday days off each year", () => {
    for (const y of [2025, 2026, 2027]) {
      const tetWeekdays = DEFAULT_HOLIDAYS.filter(
        (e) => e.date.startsWith(`${y}-0`) && /Tết Nguyên đán/.test(e.name) && ![0, 6].includes(weekday(e.date)),
      );
      assert.ok(tetWeekdays.length >= 5, `${y}: ${tetWeekdays.length}`);
    }
  });
  test("each holiday on a weekend outside a Tết break has a compensatory day off (BLLĐ Điều 111.3)", () => {
    const compensated = DEFAULT_HOLIDAYS.filter((e) => e.name.startsWith("Nghỉ bù"));
    const weekendHolidays = DEFAULT_HOLIDAYS.filter(
      (e) => e.kind === "holiday" && [0, 6].includes(weekday(e.date)) && !/^Tết Nguyên đán$/.test(e.name),
    );
    // 2026-04-26 (Giỗ Tổ, Sun), 2027-02-06/07 (mùng 1, 2), 2027-05-01 (Sat): each must have its nghỉ bù.
    assert.deepEqual(
      weekendHolidays.map((e) => e.date),
      ["2026-04-26", "2027-02-06", "2027-02-07", "2027-05-01"],
    );
    assert.equal(compensated.length, weekendHolidays.length);
    for (const c of compensated) assert.ok(![0, 6].includes(weekday(c.date)), c.date);
  });
});
