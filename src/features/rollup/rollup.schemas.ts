/**
 * The roll-up's inputs, validated at the edge with Vietnamese messages: the API's `unit`, `from`, `to`, and the
 * table's `tu`, `den` (ISO days, as a date field sends them) and `sap-xep` (a column, `-` first for descending).
 */
import { z } from "zod";
import { AppError } from "../../core/web/errors.ts";
import { SORT_KEYS, type SortKey } from "./rollup.domain.ts";

export const UNIT_MESSAGE = "unit: mã tỉnh, thành phố gồm 2 chữ số, ví dụ 51 (Quảng Ngãi).";

const isCalendarDay = (s: string) =>
  /^\d{4}-\d{2}-\d{2}$/.test(s) && new Date(`${s}T00:00:00Z`).toISOString().slice(0, 10) === s;

const day = (name: string) =>
  z
    .string({ error: `${name}: ngày theo dạng YYYY-MM-DD, ví dụ 2026-01-01.` })
    .refine(isCalendarDay, `${name}: ngày theo dạng YYYY-MM-DD, có thật trên lịch, ví dụ 2026-01-01.`)
    .optional();

/** The API's query (`ward` is accepted by every /api/v1 route and ignored here). */
export const apiShape = {
  unit: z.string({ error: UNIT_MESSAGE }).regex(/^\d{2}$/, UNIT_MESSAGE),
  from: day("from"),
  to: day("to"),
};

/** The table's query. */
export const pageShape = {
  tu: day("Từ ngày"),
  den: day("Đến ngày"),
  "sap-xep": z
    .string()
    .refine((s) => (SORT_KEYS as readonly string[]).includes(s.replace(/^-/, "")), "Cột sắp xếp không hợp lệ.")
    .optional(),
};

/** The sort a `sap-xep` value names: column and direction; none when absent. */
export function parseSort(value: string | undefined): { key: SortKey; descending: boolean } | null {
  if (!value) return null;
  return { key: value.replace(/^-/, "") as SortKey, descending: value.startsWith("-") };
}

const badQuery = (message: string) => new AppError(400, "bad_query", message);

/**
 * The period of a roll-up: from the first of January of today's year to today when not given; a 400 in Vietnamese
 * when it ends before it starts or starts after today (no figures to show yet).
 */
export function rollupPeriod(from: string | undefined, to: string | undefined, today: string) {
  const period = { from: from ?? `${(to ?? today).slice(0, 4)}-01-01`, to: to ?? today };
  if (period.to < period.from)
    throw badQuery(`Kỳ tổng hợp không hợp lệ: ngày kết thúc (${period.to}) trước ngày bắt đầu (${period.from}).`);
  if (period.from > today)
    throw badQuery(`Kỳ tổng hợp chưa bắt đầu: ngày bắt đầu (${period.from}) sau hôm nay, chưa có số liệu.`);
  return period;
}
