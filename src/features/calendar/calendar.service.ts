/**
 * The working-day calendar as editable data: add or remove a public holiday or a make-up working day, and set the
 * working days each feedback stage may take. Each change is one transaction with its audit record (before → after).
 * The feedback workflow reads these tables whenever it computes a due date, so the next deadline uses the change;
 * deadlines already set are not recomputed (they were announced to the sender).
 */
import type { Kysely } from "kysely";
import { type Actor, audit } from "../../core/audit.ts";
import type { Database } from "../../core/db/schema.ts";
import { formatDate } from "../../core/text/vi.ts";
import { type FieldErrors, type Validated, validate } from "../../core/web/validation.ts";
import { type HolidayInput, holidayInput, type StageInput, stageInput } from "./calendar.schemas.ts";
import * as q from "./calendar.sql.ts";

type Db = Kysely<Database>;

export type CalendarResult<T> = { ok: true; value: T } | { ok: false; status: 400 | 404 | 409; errors: FieldErrors };

/** Stage notes for rows that would be missing (the defaults of migration 008 carry their own). */
const STAGE_NOTES: Record<keyof StageInput, string> = {
  classify: "Phân loại sau khi vào sổ (mức do phường đặt)",
  answer: "Xử lý, trả lời phản ánh thuộc thẩm quyền (mức do phường đặt)",
  forward: "Chuyển cơ quan có thẩm quyền: không quá 05 ngày làm việc (NĐ 20/2008 Điều 9)",
};

const isWeekend = (iso: string) => [0, 6].includes(new Date(`${iso}T00:00:00Z`).getUTCDay());

export const parseHoliday = (values: unknown): Validated<HolidayInput> => validate(holidayInput, values);
export const parseStages = (values: unknown): Validated<StageInput> => validate(stageInput, values);

/** The calendar page's data: the entries of one year, the years that have entries, and the stages. */
export async function calendarOverview(db: Db, year: number) {
  const [all, stages] = await Promise.all([q.allHolidays(db), q.stageDays(db)]);
  const years = [...new Set([year, ...all.map((h) => Number(h.date.slice(0, 4)))])].sort((a, b) => a - b);
  return { year, years, entries: all.filter((h) => h.date.startsWith(`${year}-`)), stages };
}

/** Add a holiday or a make-up working day; one entry per date; a make-up day must fall on a weekend. */
export async function addHoliday(
  db: Db,
  actor: Actor,
  input: HolidayInput,
  now: Date,
): Promise<CalendarResult<number>> {
  if (input.kind === "makeup_workday" && !isWeekend(input.date))
    return { ok: false, status: 400, errors: { date: "Ngày làm bù phải là thứ Bảy hoặc Chủ nhật." } };
  const taken = await q.holidayOn(db, input.date);
  const clash = (name: string): CalendarResult<number> => ({
    ok: false,
    status: 409,
    errors: { date: `Ngày ${formatDate(input.date)} đã có trong lịch (“${name}”). Xóa ngày đó trước nếu cần sửa.` },
  });
  if (taken) return clash(taken.name);
  try {
    const id = await db.transaction().execute(async (trx) => {
      const id = await q.insertHoliday(trx, input);
      await audit(trx, actor, { action: "calendar.holiday.add", entity: "holiday", entityId: id, after: input }, now);
      return id;
    });
    return { ok: true, value: id };
  } catch (err) {
    // The date is UNIQUE: a concurrent request added it first.
    const won = await q.holidayOn(db, input.date);
    if (won) return clash(won.name);
    throw err;
  }
}

/** Remove one entry of the calendar. */
export async function removeHoliday(db: Db, actor: Actor, id: number, now: Date): Promise<CalendarResult<string>> {
  const before = await q.holidayById(db, id);
  if (!before)
    return { ok: false, status: 404, errors: { _: "Không tìm thấy ngày này trong lịch; có thể đã bị xóa." } };
  const removed = await db.transaction().execute(async (trx) => {
    if (!(await q.deleteHoliday(trx, id))) return false;
    await audit(trx, actor, { action: "calendar.holiday.remove", entity: "holiday", entityId: id, before }, now);
    return true;
  });
  if (!removed)
    return { ok: false, status: 404, errors: { _: "Không tìm thấy ngày này trong lịch; có thể đã bị xóa." } };
  return { ok: true, value: before.date };
}

/** Set the working days of the stages (forwarding never above the legal 5: checked by the schema). */
export async function updateStageDays(
  db: Db,
  actor: Actor,
  input: StageInput,
  now: Date,
): Promise<CalendarResult<null>> {
  await db.transaction().execute(async (trx) => {
    const before = Object.fromEntries((await q.stageDays(trx)).map((s) => [s.stage, s.working_days]));
    for (const stage of ["classify", "answer", "forward"] as const)
      await q.setStageDays(trx, stage, input[stage], STAGE_NOTES[stage]);
    await audit(
      trx,
      actor,
      { action: "calendar.stages.update", entity: "feedback_stage_days", before, after: input },
      now,
    );
  });
  return { ok: true, value: null };
}
