import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { DEFAULT_HOLIDAYS } from "./holidays.ts";
import {
  addWorkingDays,
  calendarFrom,
  FORWARDING_LIMIT_WORKING_DAYS,
  isIsoDate,
  isWorkingDay,
  workingDaysBetween,
} from "./working-days.ts";

const empty = calendarFrom([]);
const vn = calendarFrom(DEFAULT_HOLIDAYS);

describe("isWorkingDay", () => {
  test("weekdays yes, Saturday and Sunday no", () => {
    assert.equal(isWorkingDay("2026-11-27", empty), true); // Friday
    assert.equal(isWorkingDay("2026-11-28", empty), false); // Saturday
    assert.equal(isWorkingDay("2026-11-29", empty), false); // Sunday
    assert.equal(isWorkingDay("2026-11-30", empty), true); // Monday
  });
  test("holidays and compensatory days off are not working days", () => {
    assert.equal(isWorkingDay("2026-02-17", vn), false); // mùng 1 Tết, Tuesday
    assert.equal(isWorkingDay("2026-04-27", vn), false); // nghỉ bù Giỗ Tổ, Monday
    assert.equal(isWorkingDay("2025-05-02", vn), false); // swapped day off, Friday
  });
  test("a make-up Saturday is a working day", () => {
    assert.equal(isWorkingDay("2025-04-26", vn), true);
    assert.equal(isWorkingDay("2025-04-26", empty), false);
  });
  test("rejects malformed and impossible dates", () => {
    for (const bad of ["2026-02-30", "2026-2-3", "26-02-03", "2026-13-01", "", "2026-02-03T00:00:00Z"]) {
      assert.throws(() => isWorkingDay(bad, empty), RangeError, bad);
      assert.equal(isIsoDate(bad), false);
    }
    assert.equal(isIsoDate("2028-02-29"), true);
    assert.equal(isIsoDate("2027-02-29"), false);
  });
});

describe("addWorkingDays", () => {
  test("the day of receipt does not count", () => {
    assert.equal(addWorkingDays("2026-11-23", 1, empty), "2026-11-24"); // Monday → Tuesday
    assert.equal(addWorkingDays("2026-11-23", 0, empty), "2026-11-23");
  });
  test("skips weekends", () => {
    assert.equal(addWorkingDays("2026-11-27", 1, empty), "2026-11-30"); // Friday → Monday
    assert.equal(addWorkingDays("2026-11-25", 5, empty), "2026-12-02"); // Wednesday → next Wednesday
    assert.equal(addWorkingDays("2026-11-28", 1, empty), "2026-11-30"); // received on Saturday (online)
    assert.equal(addWorkingDays("2026-11-29", 5, empty), "2026-12-04"); // received on Sunday
  });
  test("received Friday 2026-02-13, Tết off 14–22/02: 5 working days end Friday 2026-02-27", () => {
    assert.equal(addWorkingDays("2026-02-13", 5, vn), "2026-02-27");
    assert.equal(addWorkingDays("2026-02-13", 1, vn), "2026-02-23");
    assert.equal(addWorkingDays("2026-02-13", 5, empty), "2026-02-20"); // without the Tết break
  });
  test("a make-up Saturday counts (30/4–1/5/2025, làm bù 26/04)", () => {
    assert.equal(addWorkingDays("2025-04-24", 2, vn), "2025-04-26"); // Thu → Fri 25, Sat 26 (làm bù)
    assert.equal(addWorkingDays("2025-04-25", 1, vn), "2025-04-26");
    assert.equal(addWorkingDays("2025-04-29", 1, vn), "2025-05-05"); // 30/4, 1/5, 2/5 off, then weekend
  });
  test("across a year end and 2027 computed Tết with compensation days", () => {
    assert.equal(addWorkingDays("2026-12-31", 1, vn), "2027-01-04"); // 1/1 Friday off, then weekend
    assert.equal(addWorkingDays("2027-02-04", 1, vn), "2027-02-12"); // 5–11/02 off
  });
  test("rejects negative or fractional counts", () => {
    assert.throws(() => addWorkingDays("2026-01-05", -1, empty), RangeError);
    assert.throws(() => addWorkingDays("2026-01-05", 1.5, empty), RangeError);
    assert.throws(() => addWorkingDays("2026-01-05", Number.NaN, empty), RangeError);
  });
});

describe("workingDaysBetween", () => {
  test("counts (a, b] and inverts addWorkingDays", () => {
    assert.equal(workingDaysBetween("2026-11-23", "2026-11-23", empty), 0);
    assert.equal(workingDaysBetween("2026-11-27", "2026-11-30", empty), 1);
    assert.equal(workingDaysBetween("2026-11-30", "2026-11-27", empty), -1);
    for (const start of ["2025-01-20", "2025-04-24", "2026-02-13", "2026-04-24", "2027-02-03", "2026-12-30"]) {
      for (let n = 0; n <= 30; n++) {
        assert.equal(workingDaysBetween(start, addWorkingDays(start, n, vn), vn), n, `${start} + ${n}`);
      }
    }
  });
  test("a year of working days: 2026 has 261 weekdays minus the weekday holidays", () => {
    const weekdayHolidays2026 = [...vn.holidays].filter(
      (d) => d.startsWith("2026-") && ![0, 6].includes(new Date(`${d}T00:00:00Z`).getUTCDay()),
    ).length;
    assert.equal(workingDaysBetween("2025-12-31", "2026-12-31", empty), 261);
    assert.equal(workingDaysBetween("2025-12-31", "2026-12-31", vn), 261 - weekdayHolidays2026);
  });
});

describe("the 5-working-day forwarding limit (NĐ 20/2008 Điều 9)", () => {
  const received = "2026-02-13"; // Friday before Tết
  const deadline = addWorkingDays(received, FORWARDING_LIMIT_WORKING_DAYS, vn);
  test("forwarded on the last allowed day is on time, the next working day is late", () => {
    assert.equal(deadline, "2026-02-27");
    assert.ok(
      workingDaysBetween(received, "2026-02-27", vn) <= FORWARDING_LIMIT_WORKING_DAYS,
      'expected: workingDaysBetween(received, "2026-02-27", vn) <= FORWARDING_LIMIT_WORKING_DAYS',
    );
    assert.ok(
      workingDaysBetween(received, "2026-03-02", vn) > FORWARDING_LIMIT_WORKING_DAYS,
      'expected: workingDaysBetween(received, "2026-03-02", vn) > FORWARDING_LIMIT_WORKING_DAYS',
    );
  });
  test("calendar days alone would wrongly call it late", () => {
    const calendarDays = (Date.parse("2026-02-27") - Date.parse(received)) / 86_400_000;
    assert.equal(calendarDays, 14);
  });
});

describe("calendarFrom", () => {
  test("splits holidays and make-up days", () => {
    const cal = calendarFrom([
      { date: "2025-05-02", kind: "holiday", name: "Nghỉ hoán đổi" },
      { date: "2025-04-26", kind: "makeup_workday", name: "Làm bù" },
    ]);
    assert.deepEqual([...cal.holidays], ["2025-05-02"]);
    assert.deepEqual([...cal.makeUpWorkdays], ["2025-04-26"]);
  });
  test("rejects invalid dates and a date that is both", () => {
    assert.throws(() => calendarFrom([{ date: "2025-02-29", kind: "holiday", name: "x" }]), RangeError);
    assert.throws(
      () =>
        calendarFrom([
          { date: "2025-04-26", kind: "holiday", name: "x" },
          { date: "2025-04-26", kind: "makeup_workday", name: "y" },
        ]),
      RangeError,
    );
  });
});
