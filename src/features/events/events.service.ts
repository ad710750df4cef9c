/**
 * Events: create and correct a draft, then the workflow (trình → xem xét → duyệt → đã tổ chức, trả lại, hủy) through
 * the shared step runner, so each step happens once, in one transaction with its step row and audit record. Marking
 * an event held writes its one ledger activity (channel by kind, audience = the people present, its cost, the pillar
 * of the first content area chosen) in that transaction; withdrawing a held event takes the activity back.
 */

import type { Kysely } from "kysely";
import { actorOf, audit } from "../../core/audit.ts";
import type { Role } from "../../core/auth/roles.ts";
import type { Database } from "../../core/db/schema.ts";
import { findPersonal } from "../../core/text/redact.ts";
import type { Ward } from "../../core/web/context.ts";
import { type FieldErrors, type Validated, validate } from "../../core/web/validation.ts";
import { type StepResult, sendBackPlan, stepFailure, takeChannelStep, withdrawPlan } from "../../core/workflow.ts";
import { workflowStore } from "../../core/workflow-sql.ts";
import { mentionNamedDocuments, unmentionDocuments } from "../documents/citations.ts";
import { recordLedgerEntry, withdrawLedgerEntry } from "../plans/ledger.ts";
import { contentAreasOfWards } from "../plans/plans.sql.ts";
import { wardScope } from "../plans/tracking.rules.ts";
import { orgUnitsInForce } from "../units/units.sql.ts";
import {
  ATTENDANCE_GROUPS,
  type Attendance,
  type AttendanceGroup,
  attendedTotal,
  CHANNEL_OF_KIND,
  EVENT_KINDS,
  type EventKind,
  type EventStep,
  STEPS,
  writesFor,
} from "./events.rules.ts";
import { type EventInput, eventForm, heldForm, reasonForm } from "./events.schemas.ts";
import { indexEvent, unindexEvent } from "./events.search.ts";
import * as q from "./events.sql.ts";

type Db = Kysely<Database>;

export interface EventStaff {
  id: number;
  username: string;
  ward_id: number;
  role: Role;
  org_unit_id: number | null;
}

/**
 * Check a channel item's unit and content areas (events, news, posters, radio): the unit is one of the ward's on
 * `today` and one the user writes for (`mayWrite`), each area one of the ward's plans'. `words.unit` names the unit in
 * the error, `words.ownOnly` says what a unit's staff may do.
 */
export async function checkChannelRefs(
  db: Db,
  ward: Ward,
  input: { orgUnitId: number; areaIds?: readonly number[] },
  today: string,
  mayWrite: (unitId: number) => boolean,
  words: { unit: string; ownOnly: string },
): Promise<FieldErrors | null> {
  const units = await orgUnitsInForce(db, ward.unit.id, today);
  if (!units.some((u) => u.id === input.orgUnitId)) return { orgUnitId: `${words.unit} không thuộc phường, xã này.` };
  if (!mayWrite(input.orgUnitId)) return { orgUnitId: words.ownOnly };
  if (!input.areaIds?.length) return null;
  const areas = new Set((await contentAreasOfWards(db, ward.scopeIds)).map((a) => a.id));
  if (input.areaIds.some((id) => !areas.has(id)))
    return { areaIds: "Lĩnh vực nội dung không thuộc kế hoạch của phường." };
  return null;
}

const checkRefs = (db: Db, ward: Ward, user: EventStaff, input: EventInput, today: string) =>
  checkChannelRefs(db, ward, input, today, (unitId) => writesFor(user, unitId), {
    unit: "Đơn vị tổ chức",
    ownOnly: "Cán bộ đơn vị chỉ tạo, sửa sự kiện của đơn vị mình.",
  });

const columnsOf = (input: EventInput) => ({
  org_unit_id: input.orgUnitId,
  kind: input.kind,
  title: input.title,
  description: input.description,
  place: input.place,
  starts_on: input.startsOn,
  starts_at: input.startsAt,
  ends_at: input.endsAt,
  partners_json: JSON.stringify(input.partners),
  area_ids_json: JSON.stringify([...new Set(input.areaIds)]),
  expected_audience: input.expectedAudience,
});

export async function createEvent(
  db: Db,
  user: EventStaff,
  ward: Ward,
  raw: unknown,
  now: Date,
  today: string,
): Promise<Validated<{ id: number }>> {
  const v = validate(eventForm, raw);
  if (!v.ok) return v;
  const problem = personalIn(v.value) ?? (await checkRefs(db, ward, user, v.value, today));
  if (problem) return { ok: false, errors: problem };
  const id = await db.transaction().execute(async (trx) => {
    const row = {
      ward_id: ward.unit.id,
      ...columnsOf(v.value),
      status: "draft",
      created_by: user.id,
      created_at: now.toISOString(),
      updated_at: now.toISOString(),
    };
    const eventId = await q.insertEvent(trx, row);
    await audit(trx, actorOf(user), { action: "event.create", entity: "event", entityId: eventId, after: row }, now);
    return eventId;
  });
  return { ok: true, value: { id } };
}

export async function editEvent(
  db: Db,
  user: EventStaff,
  ward: Ward,
  id: number,
  raw: unknown,
  now: Date,
  today: string,
): Promise<Validated<{ id: number }> | { ok: false; status: 403 | 404 | 409; errors: Record<string, string> }> {
  const current = await q.eventOf(db, [ward.unit.id], id);
  if (!current) return { ok: false, status: 404, errors: { _: "Không tìm thấy sự kiện." } };
  if (!writesFor(user, current.org_unit_id))
    return { ok: false, status: 403, errors: { _: "Cán bộ đơn vị chỉ sửa sự kiện của đơn vị mình." } };
  if (current.status !== "draft")
    return {
      ok: false,
      status: 409,
      errors: { _: "Chỉ sửa được sự kiện đang là dự thảo (đã trình thì cần được trả lại)." },
    };
  const v = validate(eventForm, raw);
  if (!v.ok) return v;
  const problem = personalIn(v.value) ?? (await checkRefs(db, ward, user, v.value, today));
  if (problem) return { ok: false, errors: problem };
  const changes = { ...columnsOf(v.value), updated_at: now.toISOString() };
  const saved = await db.transaction().execute(async (trx) => {
    if (!(await q.flow.updateDraft(trx, ward.unit.id, id, changes))) return false;
    await audit(
      trx,
      actorOf(user),
      { action: "event.edit", entity: "event", entityId: id, before: current, after: changes },
      now,
    );
    return true;
  });
  if (!saved) return { ok: false, status: 409, errors: { _: "Sự kiện vừa được trình, không còn là dự thảo." } };
  return { ok: true, value: { id } };
}

/**
 * Personal data in what the public will read of an event — its name, its description, its partners (a name introduced
 * as "ông …", a phone, an e-mail, an ID number, a home address) — as a field error, or null. The place is a venue,
 * whose street address is public by nature, so it is not checked.
 */
export function personalIn(e: { title: string; description: string; partners: readonly string[] }): FieldErrors | null {
  const fields: [keyof typeof e, string, string][] = [
    ["title", "Tên sự kiện", e.title],
    ["description", "Nội dung chính", e.description],
    ["partners", "Đơn vị phối hợp", e.partners.join("; ")],
  ];
  for (const [key, label, text] of fields) {
    const found = findPersonal(text)[0];
    if (found)
      return {
        [key]: `Phần “${label}” được công khai nên không ghi thông tin cá nhân (“${text.slice(found.start, found.end)}”).`,
      };
  }
  return null;
}

const STATUS_WORDS: Record<string, string> = {
  draft: "dự thảo",
  submitted: "chờ xem xét",
  reviewed: "chờ duyệt",
  approved: "đã duyệt",
  held: "đã tổ chức",
  withdrawn: "đã hủy",
};

const store = workflowStore({
  entity: "event",
  subject: "Sự kiện",
  notFound: "Không tìm thấy sự kiện.",
  statusWords: STATUS_WORDS,
  load: q.eventOf,
  sql: q.flow,
});

/**
 * Take a step on an event of the user's own ward. `form` carries the step's fields: the reason of a send-back or
 * withdrawal, the attendance and cost of a held event.
 */
export async function moveEvent(
  db: Db,
  user: EventStaff,
  id: number,
  name: EventStep,
  form: Record<string, string>,
  now: Date,
  today: string,
): Promise<StepResult> {
  const step = STEPS[name];
  return takeChannelStep(db, store, user, id, name, step, now, async (e) => {
    const at = now.toISOString();
    const base = { updated_at: at };
    switch (name) {
      case "submit":
      case "review":
        return { to: step.to, changes: base, note: null, after: { status: step.to } };
      case "approve": {
        // The last gate before the public reads it (events written before this check, or edited in the database).
        const found = personalIn({
          title: e.title,
          description: e.description,
          partners: JSON.parse(e.partners_json) as string[],
        });
        if (found) return stepFailure(409, `Chưa thể duyệt: ${Object.values(found)[0]} Trả lại để đơn vị sửa.`);
        return {
          to: step.to,
          changes: { ...base, announced_at: at },
          note: null,
          after: { status: step.to },
          also: (trx) => indexEvent(trx, e),
        };
      }
      case "send_back": {
        const v = validate(reasonForm, form);
        if (!v.ok) return { ok: false, status: 400, errors: v.errors };
        return sendBackPlan(base, e.round, v.value.reason);
      }
      case "hold": {
        if (e.starts_on > today)
          return stepFailure(
            409,
            `Sự kiện diễn ra ngày ${e.starts_on.split("-").reverse().join("/")}, chưa thể ghi nhận đã tổ chức.`,
          );
        const v = validate(heldForm, form);
        if (!v.ok) return { ok: false, status: 400, errors: v.errors };
        const attendance: Attendance = {};
        for (const g of Object.keys(ATTENDANCE_GROUPS) as AttendanceGroup[]) {
          const n = v.value[g];
          if (n) attendance[g] = n;
        }
        const attended = attendedTotal(attendance);
        const areaIds = JSON.parse(e.area_ids_json) as number[];
        const areas = await contentAreasOfWards(db, await wardScope(db, e.ward_id));
        const pillar = areas.find((a) => a.id === areaIds[0])?.pillar ?? null;
        return {
          to: "held",
          changes: { ...base, attendance_json: JSON.stringify(attendance), attended, cost: v.value.cost },
          note: null,
          after: { status: "held", attendance, cost: v.value.cost },
          also: async (trx) => {
            await recordLedgerEntry(
              trx,
              actorOf(user),
              {
                wardId: e.ward_id,
                orgUnitId: e.org_unit_id,
                topic: "event",
                channel: CHANNEL_OF_KIND[e.kind as EventKind] ?? "conference",
                pillar,
                title: e.title,
                occurredOn: e.starts_on,
                audience: attended,
                place: e.place,
                cost: v.value.cost,
                source: "event",
                sourceRef: String(e.id),
                createdBy: user.id,
              },
              now,
            );
            await mentionNamedDocuments(
              trx,
              e.ward_id,
              `${e.title}\n${e.description}`,
              {
                source: "event",
                sourceRef: e.id,
                on: e.starts_on,
                channel: `${EVENT_KINDS[e.kind as EventKind] ?? "Hội nghị"}: ${e.title}`,
              },
              now,
            );
          },
        };
      }
      case "withdraw": {
        const v = validate(reasonForm, form);
        if (!v.ok) return { ok: false, status: 400, errors: v.errors };
        // The reason of a cancellation is shown to the public once the event was announced.
        const leak = e.announced_at ? findPersonal(v.value.reason)[0] : undefined;
        if (leak)
          return {
            ok: false,
            status: 400,
            errors: {
              reason: `Lý do hủy được công khai, không ghi thông tin cá nhân (“${v.value.reason.slice(leak.start, leak.end)}”).`,
            },
          };
        return withdrawPlan(base, v.value.reason, async (trx) => {
          if (e.announced_at) await unindexEvent(trx, e);
          if (e.status === "held") {
            await withdrawLedgerEntry(
              trx,
              actorOf(user),
              { wardId: e.ward_id, source: "event", sourceRef: String(e.id), reason: v.value.reason },
              now,
            );
            await unmentionDocuments(trx, e.ward_id, "event", e.id);
          }
        });
      }
    }
  });
}

/** The ward's units that may author a channel item on a day, and its plans' content areas (news uses them too). */
/** The choices of every channel's form: the plans' content areas and the units in force (their features' reads). */
export { contentAreasOfWards as channelAreasOf } from "../plans/plans.sql.ts";
export { orgUnitsInForce as channelUnitsOf } from "../units/units.sql.ts";
