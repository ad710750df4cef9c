/**
 * Minutes (biên bản) of a held event: written by whoever writes for its organising unit, corrected as often as
 * needed until the event is withdrawn, each save audited with what it replaced, all in one transaction that holds
 * the event as held. Staff-only: nothing of the minutes reaches a public page, the API or the search.
 */
import type { Kysely } from "kysely";
import { type Actor, audit } from "../../core/audit.ts";
import type { Database } from "../../core/db/schema.ts";
import type { Ward } from "../../core/web/context.ts";
import { type FieldErrors, validate } from "../../core/web/validation.ts";
import { type Attendance, writesFor } from "./events.rules.ts";
import type { EventStaff } from "./events.service.ts";
import * as q from "./events.sql.ts";
import { minutesDocument } from "./minutes.document.ts";
import { minutesForm } from "./minutes.schemas.ts";

type Db = Kysely<Database>;

export type MinutesResult = { ok: true } | { ok: false; status: 400 | 403 | 404 | 409; errors: FieldErrors };

/** Why minutes cannot be written on an event in this status now; null when they can. */
export function minutesClosed(status: string): string | null {
  if (status === "held") return null;
  if (status === "withdrawn") return "Sự kiện đã hủy nên biên bản không sửa được nữa.";
  return "Biên bản được ghi sau khi sự kiện đã tổ chức: trước hết ghi nhận đã tổ chức (số người tham dự).";
}

/** Write or correct the minutes of an event of the user's ward. */
export async function saveMinutes(
  db: Db,
  user: EventStaff,
  id: number,
  raw: unknown,
  now: Date,
): Promise<MinutesResult> {
  const e = await q.eventOf(db, [user.ward_id], id);
  if (!e) return { ok: false, status: 404, errors: { _: "Không tìm thấy sự kiện." } };
  if (!writesFor(user, e.org_unit_id))
    return { ok: false, status: 403, errors: { _: "Cán bộ đơn vị chỉ ghi biên bản sự kiện của đơn vị mình." } };
  const closed = minutesClosed(e.status);
  if (closed) return { ok: false, status: 409, errors: { _: closed } };
  const v = validate(minutesForm, raw);
  if (!v.ok) return { ok: false, status: 400, errors: v.errors };
  const m = v.value;
  const at = now.toISOString();
  const fields = {
    started_at: m.startedAt,
    ended_at: m.endedAt,
    chair_name: m.chairName,
    chair_title: m.chairTitle,
    secretary_name: m.secretaryName,
    secretary_title: m.secretaryTitle,
    attendees: m.attendees,
    agenda: m.agenda,
    opinions: m.opinions,
    conclusions: m.conclusions,
    updated_by: user.id,
    updated_at: at,
  };
  const actor: Actor = { userId: user.id, name: user.username, wardId: user.ward_id };
  return db.transaction().execute(async (trx): Promise<MinutesResult> => {
    if (!(await q.lockHeldEvent(trx, e.ward_id, id)))
      return { ok: false, status: 409, errors: { _: "Sự kiện vừa được hủy, biên bản không lưu được." } };
    const before = await q.minutesOf(trx, [e.ward_id], id);
    if (before) await q.updateMinutes(trx, e.ward_id, id, fields);
    else
      await q.insertMinutes(trx, { event_id: id, ward_id: e.ward_id, ...fields, created_by: user.id, created_at: at });
    await audit(
      trx,
      actor,
      {
        action: before ? "event.minutes.edit" : "event.minutes.create",
        entity: "event",
        entityId: id,
        before: before ?? null,
        after: fields,
      },
      now,
    );
    return { ok: true };
  });
}

/** The minutes' document of an event, for the DOCX and PDF downloads. */
export function minutesDocumentOf(ward: Ward, e: q.EventRow, m: q.MinutesRow) {
  return minutesDocument(
    { name: ward.unit.name, place: ward.unit.short_name || ward.unit.name },
    {
      kind: e.kind,
      title: e.title,
      place: e.place,
      starts_on: e.starts_on,
      org_unit_name: e.org_unit_name,
      partners: JSON.parse(e.partners_json) as string[],
      attendance: e.attendance_json ? (JSON.parse(e.attendance_json) as Attendance) : null,
      attended: e.attended,
    },
    m,
  );
}
