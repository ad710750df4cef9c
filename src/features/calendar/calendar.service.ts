/**
 * The working-day calendar as editable data: add or remove a public holiday or a make-up working day, and set the
 * working days each feedback stage may take. Each change is one transaction with its audit record (before → after).
 * The feedback workflow reads these tables whenever it computes a due date, so the next deadline uses the change;
 * deadlines already set are not recomputed (they were announced to the sender).
 */
import type { Kysely } from "kysely";
import { type Actor, audit } from "../../core/audit.ts";
import { NATION, type Owner, unitOwner } from "../../core/auth/owners.ts";
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

/** One stage's working days as a ward reads them, and whose value that is. */
export interface StageDays {
  stage: string;
  working_days: number;
  note: string;
  /** The national default, or the ward's province's or the ward's own value. */
  from: "nation" | "province" | "ward";
  /** The national default, shown beside a ward's own value. */
  national: number;
}

/** The working days of each stage for a ward: its own values, else its province's, else the national ones. */
export async function stageDaysOfWard(db: Db, wardId: number): Promise<StageDays[]> {
  const provinceId = await q.provinceIdOf(db, wardId);
  const own = unitOwner(wardId);
  const province = provinceId != null ? unitOwner(provinceId) : null;
  const [national, local] = await Promise.all([
    q.nationalStageDays(db),
    q.localStageDays(db, province ? [own, province] : [own]),
  ]);
  return national.map((n) => {
    const mine = local.find((l) => l.stage === n.stage && l.owner === own);
    const theirs = local.find((l) => l.stage === n.stage && l.owner === province);
    const chosen = mine ?? theirs;
    return {
      stage: n.stage,
      note: n.note,
      working_days: Number(chosen?.working_days ?? n.working_days),
      from: mine ? "ward" : theirs ? "province" : "nation",
      national: Number(n.working_days),
    };
  });
}

/** The calendar page's data: the entries of one year, the years that have entries, and the ward's stages. */
export async function calendarOverview(db: Db, year: number, wardId: number) {
  const [all, stages] = await Promise.all([q.allHolidays(db), stageDaysOfWard(db, wardId)]);
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

/**
 * Set the working days of the stages for one owner (forwarding never above the legal 5: checked by the schema):
 * the national defaults, or a ward's (province's) own values beside them. Who may is the caller's check
 * (core/auth/owners.ts `mayChange`).
 */
export async function updateStageDays(
  db: Db,
  actor: Actor,
  owner: Owner,
  input: StageInput,
  now: Date,
): Promise<CalendarResult<null>> {
  const stages = ["classify", "answer", "forward"] as const;
  await db.transaction().execute(async (trx) => {
    const national = await q.nationalStageDays(trx);
    const local = owner === NATION ? [] : await q.localStageDays(trx, [owner]);
    const before = Object.fromEntries(
      (owner === NATION ? national : local).map((s) => [s.stage, Number(s.working_days)]),
    );
    for (const stage of stages) {
      if (owner === NATION) await q.setNationalStageDays(trx, stage, input[stage], STAGE_NOTES[stage]);
      else await q.setLocalStageDays(trx, owner, stage, input[stage]);
    }
    const wardId = /^unit:(\d+)$/.exec(owner)?.[1];
    await audit(
      trx,
      actor,
      {
        action: "calendar.stages.update",
        entity: owner === NATION ? "feedback_stage_days" : "feedback_stage_days_local",
        entityId: owner,
        wardId: wardId ? Number(wardId) : null,
        before,
        after: input,
      },
      now,
    );
  });
  return { ok: true, value: null };
}

/** Forget an owner's own working days, so the ward reads the national (or provincial) values again. */
export async function resetStageDays(db: Db, actor: Actor, owner: Owner, now: Date): Promise<CalendarResult<null>> {
  await db.transaction().execute(async (trx) => {
    const before = await q.localStageDays(trx, [owner]);
    if ((await q.clearLocalStageDays(trx, owner)) === 0) return;
    const wardId = /^unit:(\d+)$/.exec(owner)?.[1];
    await audit(
      trx,
      actor,
      {
        action: "calendar.stages.reset",
        entity: "feedback_stage_days_local",
        entityId: owner,
        wardId: wardId ? Number(wardId) : null,
        before: Object.fromEntries(before.map((s) => [s.stage, Number(s.working_days)])),
      },
      now,
    );
  });
  return { ok: true, value: null };
}
