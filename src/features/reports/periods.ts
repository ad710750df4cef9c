/**
 * Reporting periods. Nghị định 09/2019/NĐ-CP (Điều 12) sets the statutory cut-off of periodic reports: the data of a
 * period run from the 15th of the last month of the previous period to the 14th of the period's last month — the
 * first quarter of 2024 is 15/12/2023 → 14/03/2024, the year 2024 is 15/12/2023 → 14/12/2024. A report may also cover
 * any dates (ad hoc, "đột xuất"). Pure.
 */

export type PeriodKind = "quarter" | "half" | "nine_months" | "year" | "ad_hoc";

export const PERIOD_KINDS: Record<PeriodKind, string> = {
  quarter: "Quý",
  half: "6 tháng",
  nine_months: "9 tháng",
  year: "Năm",
  ad_hoc: "Đột xuất",
};

export interface Period {
  kind: PeriodKind;
  /** The year the period belongs to (its last month's year). */
  year: number;
  /** 1–4 for a quarter; otherwise null. */
  quarter: number | null;
  from: string;
  to: string;
}

const iso = (y: number, m: number, d: number) => `${y}-${String(m).padStart(2, "0")}-${String(d).padStart(2, "0")}`;

/** The month (1–12) a periodic report's period ends in. */
function lastMonth(kind: Exclude<PeriodKind, "ad_hoc">, quarter: number | null): number {
  switch (kind) {
    case "quarter":
      return (quarter ?? 1) * 3;
    case "half":
      return 6;
    case "nine_months":
      return 9;
    case "year":
      return 12;
  }
}

/** The statutory period of a periodic report: from the 15th of the month before it starts to the 14th of its last. */
export function statutoryPeriod(
  kind: Exclude<PeriodKind, "ad_hoc">,
  year: number,
  quarter: number | null = null,
): Period {
  if (kind === "quarter" && (quarter == null || quarter < 1 || quarter > 4)) throw new RangeError("quarter 1–4");
  const end = lastMonth(kind, quarter);
  const months = kind === "quarter" ? 3 : end; // 6 and 9 months, and the year, run from the year's start
  const startMonth = end - months + 1; // the period's first month
  const before = startMonth === 1 ? { y: year - 1, m: 12 } : { y: year, m: startMonth - 1 };
  return {
    kind,
    year,
    quarter: kind === "quarter" ? quarter : null,
    from: iso(before.y, before.m, 15),
    to: iso(year, end, 14),
  };
}

/** The title words of a period: "quý I năm 2024", "6 tháng đầu năm 2024", "năm 2024", "từ 01/03/2024 đến 31/03/2024". */
export function periodTitle(p: Pick<Period, "kind" | "year" | "quarter" | "from" | "to">): string {
  const roman = ["I", "II", "III", "IV"];
  const dmy = (d: string) => d.split("-").reverse().join("/");
  switch (p.kind) {
    case "quarter":
      return `quý ${roman[(p.quarter ?? 1) - 1]} năm ${p.year}`;
    case "half":
      return `6 tháng đầu năm ${p.year}`;
    case "nine_months":
      return `9 tháng năm ${p.year}`;
    case "year":
      return `năm ${p.year}`;
    case "ad_hoc":
      return `từ ngày ${dmy(p.from)} đến ngày ${dmy(p.to)}`;
  }
}

export type PeriodError = "empty" | "reversed" | "future";

/** Why a period cannot be reported on `today`: missing dates, ending before it starts, or starting after today. */
export function periodProblem(from: string, to: string, today: string): PeriodError | null {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(from) || !/^\d{4}-\d{2}-\d{2}$/.test(to)) return "empty";
  if (to < from) return "reversed";
  if (from > today) return "future";
  return null;
}

export const PERIOD_ERRORS: Record<PeriodError, string> = {
  empty: "Nhập đủ ngày bắt đầu và ngày kết thúc của kỳ báo cáo (dd/mm/yyyy).",
  reversed: "Ngày kết thúc kỳ báo cáo phải sau ngày bắt đầu.",
  future: "Kỳ báo cáo chưa bắt đầu: không có số liệu để báo cáo.",
};
