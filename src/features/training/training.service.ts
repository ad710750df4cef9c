/**
 * The ward's training list (staff sent to administrative-reform courses) and commendations list, kept by the office
 * (coordinators). Each change is validated, checked against the ward that owns the record, and written in one
 * transaction with its audit record. These lists name staff: they are shown to signed-in staff only, never on a
 * public page or through the anonymous API; a report takes only their counts (training-figures.ts).
 */
import type { Kysely } from "kysely";
import { type Actor, audit } from "../../core/audit.ts";
import type { Database } from "../../core/db/schema.ts";
import { renderXlsx, type XlsxSheet } from "../../core/documents/xlsx-writer.ts";
import { formatDate } from "../../core/text/vi.ts";
import type { Ward } from "../../core/web/context.ts";
import { type FieldErrors, validate } from "../../core/web/validation.ts";
import {
  ATTENDANCE,
  type Attendance,
  commendationSchema,
  RECIPIENT_KINDS,
  trainingSchema,
} from "./training.schemas.ts";
import * as q from "./training.sql.ts";
import { attendedRecord, personCommendation, type TrainingFigures, trainingFigures } from "./training-figures.ts";

export type Failure = { ok: false; status: 400 | 404; errors: FieldErrors };
export type Result<T> = { ok: true; value: T } | Failure;

export type ListKind = "training" | "commendation";
const NOT_FOUND: Record<ListKind, Failure> = {
  training: { ok: false, status: 404, errors: { _: "Không tìm thấy người trong danh sách bồi dưỡng." } },
  commendation: { ok: false, status: 404, errors: { _: "Không tìm thấy khen thưởng." } },
};

interface Who {
  actor: Actor;
  ward: Ward;
  today: string;
}

async function unitErrors(db: Kysely<Database>, ward: Ward, id: number | null): Promise<FieldErrors | null> {
  if (id == null) return null;
  const unit = await q.orgUnitWard(db, id);
  return unit && ward.scopeIds.includes(unit.ward_id) ? null : { orgUnitId: "Đơn vị không thuộc phường, xã này." };
}

/** Add (`id` null) or correct a training record. */
export async function saveTraining(
  db: Kysely<Database>,
  who: Who,
  id: number | null,
  input: Record<string, unknown>,
  now: Date,
): Promise<Result<{ id: number }>> {
  if (id != null && !(await trainingRecord(db, who.ward, id))) return NOT_FOUND.training;
  const parsed = validate(trainingSchema, input);
  if (!parsed.ok) return { ok: false, status: 400, errors: parsed.errors };
  const v = parsed.value;
  const badUnit = await unitErrors(db, who.ward, v.orgUnitId);
  if (badUnit) return { ok: false, status: 400, errors: badUnit };
  const row: q.TrainingRow = {
    person_name: v.personName,
    position: v.position,
    org_unit_id: v.orgUnitId as number,
    course: v.course,
    organiser: v.organiser,
    starts_on: v.startsOn,
    ends_on: v.endsOn,
    attendance: v.attendance,
  };
  return saveRow(db, who, "training", id, row, now);
}

/** Add (`id` null) or correct a commendation; the decision's date may not be in the future. */
export async function saveCommendation(
  db: Kysely<Database>,
  who: Who,
  id: number | null,
  input: Record<string, unknown>,
  now: Date,
): Promise<Result<{ id: number }>> {
  if (id != null && !(await commendationRecord(db, who.ward, id))) return NOT_FOUND.commendation;
  const parsed = validate(commendationSchema, input);
  if (!parsed.ok) return { ok: false, status: 400, errors: parsed.errors };
  const v = parsed.value;
  if (v.decidedOn > who.today)
    return { ok: false, status: 400, errors: { decidedOn: "Ngày quyết định không được sau hôm nay." } };
  const badUnit = await unitErrors(db, who.ward, v.orgUnitId);
  if (badUnit) return { ok: false, status: 400, errors: badUnit };
  const person = v.recipientKind === "person";
  const row: q.CommendationRow = {
    recipient_kind: v.recipientKind,
    person_name: person ? v.personName : null,
    position: person && v.position ? v.position : null,
    org_unit_id: v.orgUnitId,
    form: v.form,
    decision: v.decision,
    decided_on: v.decidedOn,
    reason: v.reason,
  };
  return saveRow(db, who, "commendation", id, row, now);
}

async function saveRow(
  db: Kysely<Database>,
  who: Who,
  kind: ListKind,
  id: number | null,
  row: q.TrainingRow | q.CommendationRow,
  now: Date,
): Promise<Result<{ id: number }>> {
  const at = now.toISOString();
  return db.transaction().execute(async (trx) => {
    let before: unknown;
    let savedId: number;
    if (id == null) {
      savedId =
        kind === "training"
          ? await q.insertTraining(trx, who.ward.unit.id, row as q.TrainingRow, who.actor.userId, at)
          : await q.insertCommendation(trx, who.ward.unit.id, row as q.CommendationRow, who.actor.userId, at);
    } else {
      const old = kind === "training" ? await q.trainingById(trx, id) : await q.commendationById(trx, id);
      if (!old || old.ward_id !== who.ward.unit.id) return NOT_FOUND[kind];
      before = old;
      savedId = id;
      if (kind === "training") await q.updateTraining(trx, id, row as q.TrainingRow, at);
      else await q.updateCommendation(trx, id, row as q.CommendationRow, at);
    }
    await audit(
      trx,
      who.actor,
      {
        action: `${kind}.${id == null ? "create" : "update"}`,
        entity: kind === "training" ? "training_record" : "commendation",
        entityId: savedId,
        wardId: who.ward.unit.id,
        before,
        after: row,
      },
      now,
    );
    return { ok: true as const, value: { id: savedId } };
  });
}

/** Remove a record of the ward's list; audited with what it held. */
export async function removeRecord(
  db: Kysely<Database>,
  who: Who,
  kind: ListKind,
  id: number,
  now: Date,
): Promise<Result<null>> {
  return db.transaction().execute(async (trx) => {
    const old = kind === "training" ? await q.trainingById(trx, id) : await q.commendationById(trx, id);
    if (!old || old.ward_id !== who.ward.unit.id) return NOT_FOUND[kind];
    if (kind === "training") await q.deleteTraining(trx, id);
    else await q.deleteCommendation(trx, id);
    await audit(
      trx,
      who.actor,
      {
        action: `${kind}.delete`,
        entity: kind === "training" ? "training_record" : "commendation",
        entityId: id,
        wardId: who.ward.unit.id,
        before: old,
      },
      now,
    );
    return { ok: true as const, value: null };
  });
}

/** The ward's lists (its own records: a predecessor's staff are not this ward's). */
export const trainingList = (db: Kysely<Database>, ward: Ward) => q.trainingOf(db, [ward.unit.id]);

/** What a report's training figure lists: the records of a period, only the attended ones, or only one kind. */
export interface PeriodFilter {
  from: string;
  to: string;
  list: ListKind;
  attendedOnly?: boolean;
  recipient?: "person" | "unit";
}

/**
 * The records behind a report's training figures: the same queries and rules as `trainingFiguresOf` (the ward and
 * its predecessors, the period), narrowed to what one figure counts; with the figures of the listed rows.
 */
export async function periodRecords(db: Kysely<Database>, ward: Ward, f: PeriodFilter) {
  const period = { from: f.from, to: f.to };
  const training =
    f.list === "training"
      ? (await q.trainingOf(db, ward.scopeIds, period)).filter((r) => !f.attendedOnly || attendedRecord(r))
      : [];
  const commendations =
    f.list === "commendation"
      ? (await q.commendationsOf(db, ward.scopeIds, period)).filter(
          (c) => !f.recipient || personCommendation(c) === (f.recipient === "person"),
        )
      : [];
  return { training, commendations, figures: trainingFigures(training, commendations) };
}
export const commendationList = (db: Kysely<Database>, ward: Ward) => q.commendationsOf(db, [ward.unit.id]);
/** One record of the ward's training list; null when it is another ward's or none. */
export async function trainingRecord(db: Kysely<Database>, ward: Ward, id: number) {
  const r = await q.trainingById(db, id);
  return r && r.ward_id === ward.unit.id ? r : null;
}
/** One commendation of the ward; null when it is another ward's or none. */
export async function commendationRecord(db: Kysely<Database>, ward: Ward, id: number) {
  const r = await q.commendationById(db, id);
  return r && r.ward_id === ward.unit.id ? r : null;
}

/** The counts a report takes for its period (courses ending in it, commendations decided in it), over these wards. */
export async function trainingFiguresOf(
  db: Kysely<Database>,
  wardIds: number[],
  period: { from: string; to: string },
): Promise<TrainingFigures> {
  const [training, commendations] = await Promise.all([
    q.trainingOf(db, wardIds, period),
    q.commendationsOf(db, wardIds, period),
  ]);
  return trainingFigures(training, commendations);
}

/** One list as an XLSX workbook (renderXlsx): the staff download; dates dd/mm/yyyy. */
export async function listXlsx(db: Kysely<Database>, ward: Ward, kind: ListKind): Promise<Buffer> {
  const sheet: XlsxSheet =
    kind === "training"
      ? {
          name: "Bồi dưỡng CCHC",
          title: `Danh sách cán bộ, công chức được cử đi bồi dưỡng về cải cách hành chính — ${ward.unit.name}`,
          columns: [
            { header: "STT", width: 6 },
            { header: "Họ và tên", width: 26 },
            { header: "Chức vụ", width: 22 },
            { header: "Đơn vị", width: 24 },
            { header: "Lớp, khóa bồi dưỡng", width: 40 },
            { header: "Từ ngày", width: 12 },
            { header: "Đến ngày", width: 12 },
            { header: "Đơn vị tổ chức", width: 28 },
            { header: "Tham dự", width: 18 },
          ],
          rows: (await trainingList(db, ward)).map((r, i) => [
            i + 1,
            r.person_name,
            r.position,
            r.unit_name,
            r.course,
            formatDate(r.starts_on),
            formatDate(r.ends_on),
            r.organiser,
            ATTENDANCE[r.attendance as Attendance] ?? r.attendance,
          ]),
        }
      : {
          name: "Khen thưởng",
          title: `Danh sách khen thưởng trong công tác cải cách hành chính — ${ward.unit.name}`,
          columns: [
            { header: "STT", width: 6 },
            { header: "Cá nhân / tập thể", width: 16 },
            { header: "Họ và tên", width: 26 },
            { header: "Chức vụ", width: 22 },
            { header: "Đơn vị", width: 24 },
            { header: "Hình thức khen thưởng", width: 32 },
            { header: "Quyết định", width: 22 },
            { header: "Ngày quyết định", width: 14 },
            { header: "Thành tích", width: 40 },
          ],
          rows: (await commendationList(db, ward)).map((r, i) => [
            i + 1,
            RECIPIENT_KINDS[r.recipient_kind as keyof typeof RECIPIENT_KINDS] ?? r.recipient_kind,
            r.person_name,
            r.position,
            r.unit_name,
            r.form,
            r.decision,
            formatDate(r.decided_on),
            r.reason,
          ]),
        };
  return renderXlsx([sheet]);
}
