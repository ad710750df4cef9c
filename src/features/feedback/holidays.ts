/**
 * Vietnamese public holidays (ngày nghỉ lễ, tết) for 2025–2027, as editable DATA for working-day deadlines.
 *
 * Legal basis: Bộ luật Lao động 2019, Điều 112 khoản 1 (the holidays: Tết Dương lịch 01 ngày; Tết Âm lịch 05 ngày;
 * 30/4; 01/5; Quốc khánh 02 ngày — 02/9 and the day before or after it; Giỗ Tổ Hùng Vương 10/3 âm lịch) and
 * Điều 111 khoản 3 (a holiday falling on the weekly rest day is compensated on the next working day). The exact Tết
 * days, the Quốc khánh adjacent day and any swap of working days (hoán đổi, with a make-up Saturday — ngày làm bù)
 * for civil servants are set each year by the Government / Bộ Nội vụ notice.
 *
 * `basis` on each entry:
 * - "announced": taken from that year's official notice (as recalled when writing this file);
 * - "computed": derived from the rules above (lunar dates from a table, usual arrangement assumed) because no
 *   official notice was at hand. THE WARD MUST CHECK every entry against the Government's yearly notice and edit
 *   this table (add a `makeup_workday` entry for each ngày làm bù).
 *
 * Weekend days inside an announced Tết break are listed too, so the table reads like the notice; they are rest days
 * anyway. Lunar dates used (not computed in code; checked against published lunar calendars):
 * Tết (mùng 1): 2025-01-29, 2026-02-17, 2027-02-06; Giỗ Tổ (10/3 âm lịch): 2025-04-07, 2026-04-26, 2027-04-16.
 */
import type { CalendarEntry } from "./working-days.ts";

export type HolidayEntry = CalendarEntry & { basis: "announced" | "computed" };

const TET = "Tết Nguyên đán";
const TET_DL = "Tết Dương lịch";
const GIO_TO = "Giỗ Tổ Hùng Vương (10/3 âm lịch)";
const GIAI_PHONG = "Ngày Giải phóng miền Nam, thống nhất đất nước (30/4)";
const LAO_DONG = "Ngày Quốc tế Lao động (1/5)";
const QUOC_KHANH = "Quốc khánh (2/9)";
const QUOC_KHANH_LIEN_KE = "Quốc khánh (ngày liền kề 2/9)";

function h(date: string, name: string, basis: HolidayEntry["basis"]): HolidayEntry {
  return { date, kind: "holiday", name, basis };
}

function makeup(date: string, name: string, basis: HolidayEntry["basis"]): HolidayEntry {
  return { date, kind: "makeup_workday", name, basis };
}

export const DEFAULT_HOLIDAYS: readonly HolidayEntry[] = [
  // ---- 2025 ----
  h("2025-01-01", TET_DL, "announced"), // Wednesday
  // Tết Ất Tỵ: announced break Saturday 25/01 – Sunday 02/02/2025 (9 days; weekdays 27–31/01 are the 5 Tết days).
  h("2025-01-25", TET, "announced"),
  h("2025-01-26", TET, "announced"),
  h("2025-01-27", TET, "announced"),
  h("2025-01-28", TET, "announced"),
  h("2025-01-29", `${TET} (mùng 1)`, "announced"),
  h("2025-01-30", TET, "announced"),
  h("2025-01-31", TET, "announced"),
  h("2025-02-01", TET, "announced"),
  h("2025-02-02", TET, "announced"),
  h("2025-04-07", GIO_TO, "announced"), // Monday
  // 30/4 – 1/5/2025: 5-day break 30/04 – 04/05; Friday 02/05 swapped with Saturday 26/04 (làm bù).
  makeup("2025-04-26", "Làm bù cho ngày nghỉ hoán đổi 02/5/2025", "announced"),
  h("2025-04-30", GIAI_PHONG, "announced"),
  h("2025-05-01", LAO_DONG, "announced"),
  h("2025-05-02", "Nghỉ hoán đổi (làm bù thứ Bảy 26/4/2025)", "announced"),
  // Quốc khánh 2025: Monday 01/09 and Tuesday 02/09 (break 30/08 – 02/09).
  h("2025-09-01", QUOC_KHANH_LIEN_KE, "announced"),
  h("2025-09-02", QUOC_KHANH, "announced"),

  // ---- 2026 ----
  // Thursday. A swap giving Friday 02/01 off (làm bù on a Saturday in January) was discussed; not verified, not listed.
  h("2026-01-01", TET_DL, "announced"),
  // Tết Bính Ngọ: announced break Saturday 14/02 – Sunday 22/02/2026 (weekdays 16–20/02 are the 5 Tết days).
  h("2026-02-14", TET, "announced"),
  h("2026-02-15", TET, "announced"),
  h("2026-02-16", TET, "announced"),
  h("2026-02-17", `${TET} (mùng 1)`, "announced"),
  h("2026-02-18", TET, "announced"),
  h("2026-02-19", TET, "announced"),
  h("2026-02-20", TET, "announced"),
  h("2026-02-21", TET, "announced"),
  h("2026-02-22", TET, "announced"),
  h("2026-04-26", GIO_TO, "computed"), // Sunday
  h("2026-04-27", "Nghỉ bù Giỗ Tổ Hùng Vương (trùng Chủ nhật 26/4)", "computed"), // BLLĐ Điều 111 khoản 3
  h("2026-04-30", GIAI_PHONG, "computed"), // Thursday
  h("2026-05-01", LAO_DONG, "computed"), // Friday
  // 02/09 is a Wednesday; the adjacent day (01/09 or 03/09) is chosen yearly. ASSUMED 01/09 — check the notice.
  h("2026-09-01", QUOC_KHANH_LIEN_KE, "computed"),
  h("2026-09-02", QUOC_KHANH, "computed"),

  // ---- 2027 ---- (all computed: no official notice at hand)
  h("2027-01-01", TET_DL, "computed"), // Friday
  // Tết Đinh Mùi: mùng 1 = Saturday 06/02/2027. Usual 5 days = last day of the lunar year (Friday 05/02) + mùng 1–4
  // (06–09/02). Mùng 1 and mùng 2 fall on Saturday/Sunday → compensated on the next working days 10/02 and 11/02.
  // The Government usually announces a different block (and perhaps a swap); replace these with the notice.
  h("2027-02-05", `${TET} (ngày cuối năm Bính Ngọ)`, "computed"),
  h("2027-02-06", `${TET} (mùng 1)`, "computed"),
  h("2027-02-07", `${TET} (mùng 2)`, "computed"),
  h("2027-02-08", `${TET} (mùng 3)`, "computed"),
  h("2027-02-09", `${TET} (mùng 4)`, "computed"),
  h("2027-02-10", "Nghỉ bù Tết Nguyên đán (mùng 1 trùng thứ Bảy)", "computed"),
  h("2027-02-11", "Nghỉ bù Tết Nguyên đán (mùng 2 trùng Chủ nhật)", "computed"),
  h("2027-04-16", GIO_TO, "computed"), // Friday
  h("2027-04-30", GIAI_PHONG, "computed"), // Friday
  h("2027-05-01", LAO_DONG, "computed"), // Saturday
  h("2027-05-03", "Nghỉ bù Ngày Quốc tế Lao động (trùng thứ Bảy 1/5)", "computed"), // Monday
  // 02/09 is a Thursday; ASSUMED adjacent day Friday 03/09 — check the notice.
  h("2027-09-02", QUOC_KHANH, "computed"),
  h("2027-09-03", QUOC_KHANH_LIEN_KE, "computed"),
];
