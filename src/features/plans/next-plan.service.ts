/**
 * "Lập kế hoạch năm sau" as records: a draft is copied from an existing plan of the ward, edited by the office,
 * submitted, approved by a leader, and issued with the number of the ward's outgoing-document register for the
 * year (the next free one, or the one typed from the paper register) — and then it becomes a plan like an imported
 * one, with its parts and each unit's tasks, which the ward's ledger attaches to on the days it covers. Each move is
 * one conditional UPDATE in a transaction with its audit record, so it happens once and nothing is left half-done.
 */
import type { Kysely } from "kysely";
import { type Actor, audit } from "../../core/audit.ts";
import type { Database } from "../../core/db/schema.ts";
import type { AdminDocument } from "../../core/documents/admin-document.ts";
import {
  insertRegisterEntry,
  nextRegisterNumber,
  registerNumberTaken,
  WORKFLOW_STATUSES,
} from "../../core/documents/register.ts";
import { foldWords, nfc } from "../../core/text/vi.ts";
import type { Ward } from "../../core/web/context.ts";
import { unitChoices } from "../units/units.service.ts";
import { storeBudgetReading } from "./budget.service.ts";
import { attachPlanlessActivities } from "./ledger.ts";
import * as q from "./next-plan.sql.ts";
import { nextYearContent } from "./next-plan.ts";
import { parsePlan } from "./parse-plan.ts";
import { contentOfStoredPlan, type PlanContent, taskCount } from "./plan-content.ts";
import { canonicalText } from "./plan-document.ts";
import { areasPart, PLAN_SYMBOL, planDocument, planDocumentText, taskSentence } from "./plan-export.ts";
import { timingMeaning, timingOf } from "./plan-tasks.ts";
import { insertPlanParts, loadPlan, numberKey, planVisibleIn } from "./plans.service.ts";
import { planByIdentity } from "./plans.sql.ts";

type Db = Kysely<Database>;

export const DRAFT_STATUSES = WORKFLOW_STATUSES;

export type DraftRow = NonNullable<Awaited<ReturnType<typeof q.draftOf>>>;
export type DraftListRow = Awaited<ReturnType<typeof q.draftsOfWard>>[number];
export type Result = { ok: true; id: number } | { ok: false; status: 400 | 404 | 409; errors: Record<string, string> };

const fail = (status: 400 | 404 | 409, field: string, message: string): Result => ({
  ok: false,
  status,
  errors: { [field]: message },
});
const NOT_FOUND = "Không tìm thấy dự thảo kế hoạch.";
const wrongState = (d: { status: string }, what: string) =>
  fail(409, "_", `Dự thảo đang ở trạng thái “${DRAFT_STATUSES[d.status] ?? d.status}”, không thể ${what}.`);

export const contentOf = (d: DraftRow) => JSON.parse(d.content_json) as PlanContent;

/** The two-digit number as the document prints it: "05/KH-UBND". */
export const planNumberText = (number: number, symbol = PLAN_SYMBOL) => `${String(number).padStart(2, "0")}/${symbol}`;

/** A draft as a document (unnumbered and undated until it is issued). */
export function draftDocument(d: DraftRow): AdminDocument {
  const c = contentOf(d);
  return planDocument(
    { ...c, signer: { ...c.signer, name: d.signer_name ?? c.signer.name } },
    { number: d.number, issuedOn: d.issued_on },
  );
}

/** Start next year's plan from one of the ward's plans. */
export async function createNextPlan(
  db: Db,
  actor: Actor & { userId: number },
  ward: Ward,
  sourcePlanId: number,
  now: Date,
  today: string,
): Promise<Result> {
  const source = await loadPlan(db, sourcePlanId);
  if (!source || !planVisibleIn(source.plan, ward)) return fail(404, "_", "Không tìm thấy kế hoạch.");
  const units = await unitChoices(db, ward.unit.id, today);
  const content = nextYearContent(contentOfStoredPlan(source), {
    name: ward.unit.name,
    shortName: ward.unit.short_name || ward.unit.name,
    unitIds: new Set(units.map((u) => u.id)),
  });
  const year = Number(content.period?.from.slice(0, 4));
  return db.transaction().execute(async (trx) => {
    const id = await q.insertDraft(trx, {
      ward_id: ward.unit.id,
      source_plan_id: source.plan.id,
      year,
      title: content.title,
      status: "draft",
      content_json: JSON.stringify(content),
      number: null,
      symbol: PLAN_SYMBOL,
      issued_on: null,
      signer_name: null,
      approved_by: null,
      plan_id: null,
      created_by: actor.userId,
      created_at: now.toISOString(),
      updated_at: now.toISOString(),
    });
    await audit(
      trx,
      actor,
      {
        action: "plan_draft.create",
        entity: "plan_draft",
        entityId: id,
        wardId: ward.unit.id,
        after: { from: source.plan.number, year, title: content.title },
      },
      now,
    );
    return { ok: true as const, id };
  });
}

/** Units a draft names that are not the ward's units in force (a tampered form, or a unit retired since). */
async function foreignUnits(db: Db, ward: Ward, c: PlanContent, today: string): Promise<string | null> {
  const allowed = new Set((await unitChoices(db, ward.unit.id, today)).map((u) => u.id));
  for (const [i, g] of c.groups.entries()) {
    if (g.leadUnitId !== null && !allowed.has(g.leadUnitId)) return `group-${i}-unit`;
    for (const [j, t] of g.tasks.entries())
      if (t.supportUnits.some((u) => u.id !== null && !allowed.has(u.id))) return `task-${i}-${j}-support`;
  }
  return null;
}

/** Save what staff edited (the whole content, validated at the edge); only while a draft. */
export async function saveNextPlan(
  db: Db,
  actor: Actor,
  ward: Ward,
  id: number,
  content: PlanContent,
  now: Date,
  today: string,
): Promise<Result> {
  const d = await q.draftOf(db, ward.unit.id, id);
  if (!d) return fail(404, "_", NOT_FOUND);
  if (d.status !== "draft") return wrongState(d, "sửa");
  const foreign = await foreignUnits(db, ward, content, today);
  if (foreign) return fail(400, foreign, "Chỉ chọn được các đơn vị đang hoạt động của phường.");
  return db.transaction().execute(async (trx) => {
    const moved = await q.moveDraft(trx, ward.unit.id, id, "draft", {
      content_json: JSON.stringify(content),
      title: content.title,
      year: Number(content.period?.from.slice(0, 4) ?? d.year),
      updated_at: now.toISOString(),
    });
    if (!moved) return wrongState(d, "sửa");
    await audit(
      trx,
      actor,
      {
        action: "plan_draft.edit",
        entity: "plan_draft",
        entityId: id,
        wardId: ward.unit.id,
        before: { title: d.title, tasks: taskCount(contentOf(d)) },
        after: { title: content.title, tasks: taskCount(content) },
      },
      now,
    );
    return { ok: true as const, id };
  });
}

/** What keeps a draft from going to the leader: no task, or tasks no unit leads. Null when it may go. */
export function notReady(c: PlanContent): { field: string; message: string } | null {
  if (taskCount(c) === 0)
    return { field: "_", message: "Kế hoạch chưa có nhiệm vụ nào: thêm nhiệm vụ cho các đơn vị trước khi trình." };
  const i = c.groups.findIndex((g) => g.tasks.length > 0 && g.leadUnitId === null);
  if (i >= 0)
    return { field: `group-${i}-unit`, message: `Chọn đơn vị chủ trì cho nhóm nhiệm vụ “${c.groups[i]?.heading}”.` };
  return null;
}

/** Submit to the leader, or approve (a leader). */
export async function moveNextPlan(
  db: Db,
  actor: Actor & { userId: number },
  ward: Ward,
  id: number,
  step: "submit" | "approve",
  now: Date,
): Promise<Result> {
  const move = {
    submit: { from: "draft", to: "submitted", what: "trình lãnh đạo" },
    approve: { from: "submitted", to: "approved", what: "duyệt" },
  }[step];
  const d = await q.draftOf(db, ward.unit.id, id);
  if (!d) return fail(404, "_", NOT_FOUND);
  if (d.status !== move.from) return wrongState(d, move.what);
  const problem = notReady(contentOf(d));
  if (problem) return fail(400, problem.field, problem.message);
  return db.transaction().execute(async (trx) => {
    const moved = await q.moveDraft(trx, ward.unit.id, id, move.from, {
      status: move.to,
      ...(step === "approve" ? { approved_by: actor.userId } : {}),
      updated_at: now.toISOString(),
    });
    if (!moved) return wrongState(d, move.what);
    await audit(
      trx,
      actor,
      {
        action: `plan_draft.${step}`,
        entity: "plan_draft",
        entityId: id,
        wardId: ward.unit.id,
        after: { status: move.to },
      },
      now,
    );
    return { ok: true as const, id };
  });
}

class Conflict extends Error {}

/**
 * Issue an approved draft: the register's number for the year of `issuedOn`, the day, the signer — and the plan it
 * becomes, with its parts and tasks, in the same transaction. A number already used that year, or a plan of the
 * ward with the same number and day, is refused and nothing is written.
 */
export async function issueNextPlan(
  db: Db,
  actor: Actor,
  ward: Ward,
  id: number,
  input: { number: number | null; issuedOn: string; signerName: string },
  now: Date,
): Promise<Result & { planId?: number }> {
  const d = await q.draftOf(db, ward.unit.id, id);
  if (!d) return fail(404, "_", NOT_FOUND);
  if (d.status !== "approved") return wrongState(d, "ban hành");
  const content = contentOf(d);
  const problem = notReady(content);
  if (problem) return fail(400, problem.field, problem.message);
  const year = Number(input.issuedOn.slice(0, 4));
  const signerName = nfc(input.signerName).trim();
  try {
    return await db.transaction().execute(async (trx) => {
      const number = input.number ?? (await nextRegisterNumber(trx, { unitId: ward.unit.id, orgUnitId: null }, year));
      if (await registerNumberTaken(trx, { unitId: ward.unit.id, orgUnitId: null }, year, number))
        return fail(409, "number", `Số ${number} đã được dùng trong sổ văn bản đi năm ${year}. Chọn số khác.`);
      const numberText = planNumberText(number, d.symbol);
      if (await planByIdentity(trx, ward.unit.id, numberKey(numberText), input.issuedOn))
        return fail(409, "number", `Phường đã có kế hoạch số ${numberText} ngày này. Chọn số khác.`);
      const doc = planDocument(
        { ...content, signer: { ...content.signer, name: signerName } },
        { number, issuedOn: input.issuedOn },
      );
      const { text, hash } = canonicalText(
        planDocumentText(doc, {
          number: `Số: ${numberText}`,
          date: `${content.place}, ngày ${input.issuedOn.slice(8)} tháng ${input.issuedOn.slice(5, 7)} năm ${year}`,
        }),
      );
      // The plan reader gives the cited documents and programmes, as it does for an imported plan.
      const read = parsePlan(text);
      const references = read.ok ? read.draft.references : [];
      const mentions = read.ok ? read.draft.mentions : [];
      const planId = (
        await trx
          .insertInto("plans")
          .values({
            ward_id: ward.unit.id,
            kind: "Kế hoạch",
            number: numberText,
            number_key: numberKey(numberText),
            issued_on: input.issuedOn,
            title: content.title,
            place: content.place,
            issuer: content.issuer,
            period_from: content.period?.from ?? null,
            period_to: content.period?.to ?? null,
            basis_json: JSON.stringify(content.basis),
            purposes_json: JSON.stringify(content.purposes),
            requirements_json: JSON.stringify(content.requirements),
            documents_text: content.documentsToCommunicate,
            mentions_json: JSON.stringify(mentions),
            recipients_json: JSON.stringify(content.recipients),
            signer_position: content.signer.position,
            signer_authority: content.signer.authority,
            signer_on_behalf_of: content.signer.onBehalfOf,
            signer_name: signerName,
            source_hash: hash,
            source_text: text,
            created_at: now.toISOString(),
            updated_at: now.toISOString(),
          })
          .returning("id")
          .executeTakeFirstOrThrow()
      ).id;
      await insertPlanParts(
        trx,
        planId,
        {
          contentAreas: content.contentAreas.map((a, i) => ({ ...a, code: `${areasPart(content)}.${i + 1}` })),
          channels: content.channels.map((ch, i) => ({ ...ch, code: String(i + 1) })),
          references,
        },
        { wardId: ward.unit.id, now: now.toISOString() },
      );
      await insertTasks(trx, planId, ward.unit.id, content, now.toISOString());
      // The budget as drafted: its lines, and its total as the plan states it.
      await storeBudgetReading(
        trx,
        planId,
        content.budget
          ? {
              stated: content.budget.total,
              total: content.budget.total,
              lines: content.budget.lines.map((l) => ({ ...l, source: l.source || null })),
            }
          : null,
        now.toISOString(),
      );
      await insertRegisterEntry(trx, {
        issuer_unit_id: ward.unit.id,
        year,
        number,
        symbol: d.symbol,
        issued_on: input.issuedOn,
        report_id: null,
        plan_id: planId,
        created_at: now.toISOString(),
      });
      const moved = await q.moveDraft(trx, ward.unit.id, id, "approved", {
        status: "issued",
        number,
        issued_on: input.issuedOn,
        signer_name: signerName,
        plan_id: planId,
        updated_at: now.toISOString(),
      });
      if (!moved) throw new Conflict();
      const attached = await attachPlanlessActivities(
        trx,
        actor,
        { id: planId, wardId: ward.unit.id, wardIds: ward.scopeIds, period: content.period },
        now,
      );
      await audit(
        trx,
        actor,
        {
          action: "plan_draft.issue",
          entity: "plan_draft",
          entityId: id,
          wardId: ward.unit.id,
          after: { number: numberText, issuedOn: input.issuedOn, planId, tasks: taskCount(content), attached },
        },
        now,
      );
      return { ok: true as const, id, planId };
    });
  } catch (err) {
    // A racing issue took the number (UNIQUE) or the draft first: nothing of this attempt was written.
    const again = await q.draftOf(db, ward.unit.id, id);
    if (err instanceof Conflict || (again && again.status !== "approved")) return wrongState(again ?? d, "ban hành");
    if (/unique|UNIQUE|duplicate/.test(String((err as Error).message)))
      return fail(409, "number", `Số này vừa được dùng trong sổ văn bản đi năm ${year}. Chọn số khác.`);
    throw err;
  }
}

/** The draft's tasks as the plan's: worded as the document words them, each with its lead and supporting units. */
async function insertTasks(
  trx: Parameters<typeof q.insertTask>[0],
  planId: number,
  wardId: number,
  c: PlanContent,
  now: string,
) {
  let position = 0;
  for (const [i, g] of c.groups.entries()) {
    for (const t of g.tasks) {
      const text = taskSentence(t);
      const timing = timingMeaning(t.timing ?? timingOf(text));
      const taskId = await q.insertTask(trx, {
        plan_id: planId,
        ward_id: wardId,
        group_code: String(i + 1),
        group_heading: g.heading,
        position: position++,
        text,
        text_key: foldWords(text),
        status: "not_started",
        due_on: timing.dueOn ?? (timing.recurrence ? null : (c.period?.to ?? null)),
        recurrence: timing.recurrence,
        removed_at: null,
        created_at: now,
        updated_at: now,
      });
      const links = new Map<number, "lead" | "support">();
      if (g.leadUnitId !== null) links.set(g.leadUnitId, "lead");
      for (const u of t.supportUnits) if (u.id !== null && !links.has(u.id)) links.set(u.id, "support");
      if (links.size)
        await q.insertTaskUnits(
          trx,
          [...links].map(([org_unit_id, role]) => ({ task_id: taskId, org_unit_id, role })),
        );
    }
  }
}

export const nextPlanOf = (db: Db, ward: Ward, id: number) => q.draftOf(db, ward.unit.id, id);
export const nextPlansOf = (db: Db, ward: Ward) => q.draftsOfWard(db, ward.unit.id);
