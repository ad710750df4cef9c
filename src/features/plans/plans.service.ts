/**
 * Plan import: document → preview (what was understood, what is uncertain, what would change) → confirm → saved.
 * A plan's identity is its issuing unit, normalised number and issue date. Re-importing the same text changes
 * nothing; a revised text updates the plan and its tasks without ever deleting recorded progress.
 */
import type { Kysely, Transaction } from "kysely";
import { type Actor, audit } from "../../core/audit.ts";
import type { AdminUnit, Database } from "../../core/db/schema.ts";
import { fold, foldWords, nfc, squash } from "../../core/text/vi.ts";
import type { Ward } from "../../core/web/context.ts";
import { citePlanDocuments } from "../documents/citations.ts";
import { findCommuneByName, type OrgUnitWithAliases, orgUnitsWithAliases, wardOf } from "../units/units.service.ts";
import { adminUnitById, aliasByKey, insertAliases, insertOrgUnit } from "../units/units.sql.ts";
import { storeBudgetReading } from "./budget.service.ts";
import { attachPlanlessActivities } from "./ledger.ts";
import { ledgerSumsOf } from "./ledger-sums.ts";
import { diffTasks, type TaskChange } from "./plan-diff.ts";
import { type ParsedPlanText, parsePlanText } from "./plan-document.ts";
import type { PlanDraft, TaskDraft } from "./plan-draft.ts";
import { timingMeaning } from "./plan-tasks.ts";
import * as q from "./plans.sql.ts";
import { lastWorkOn } from "./tracking.rules.ts";
import { matchUnit, type UnitKind, unitKey, unitKindOf } from "./unit-match.ts";

export const numberKey = (n: string) => fold(n).replace(/\s+/g, "");

/** How a group heading of section IV maps to the ward's own units. */
export interface GroupMatch {
  code: string;
  heading: string;
  unit: { id: number; name: string; via: "name" | "alias" } | null;
  /** When nothing matched: the unit name the preview proposes to create. */
  proposedName: string | null;
}

export interface ImportPreview {
  draft: PlanDraft;
  text: string;
  hash: string;
  issuingWard: { id: number; code: string; name: string; validTo: string | null } | null;
  groups: GroupMatch[];
  units: OrgUnitWithAliases[];
  existing: { id: number; sameText: boolean } | null;
  taskChanges: TaskChange[];
  /**
   * Units the text names that the ward does not have: lead units (group headings no alias matched) and
   * cooperating units of the tasks; each with the kind it would be created with ("partner": the Front, the unions).
   */
  unknownUnits: { name: string; role: "lead" | "support"; kind: UnitKind }[];
  /** A re-import that removes or rewrites most of the saved tasks: shown as a large change, saved only when confirmed. */
  largeChange: { removed: number; changed: number; total: number } | null;
  /** Reasons the plan cannot be saved as it is (shown in the preview; confirm refuses). */
  blocking: string[];
}

export type PreviewResult = { ok: true; preview: ImportPreview } | { ok: false; error: string };

/** Suggested name for a unit no alias matched: the heading without filler words, in its own casing. */
function proposeUnitName(heading: string): string {
  return squash(
    heading
      .replace(/^(Đề nghị|Ngành|Công chức|Bộ phận)\s+/i, "")
      .replace(/\s+(UBND|Ủy ban nhân dân)\s+(phường|xã|thị trấn)\s*$/i, "")
      .replace(/\s+(phường|xã|thị trấn)\s*$/i, ""),
  );
}

/** Understand a plan text for a ward, without writing anything. `wardRef` forces the issuing ward (e.g. CLI --ward). */
export async function previewPlanImport(
  db: Kysely<Database>,
  ward: Ward,
  input: string | ParsedPlanText,
  opts: { issuingWardId?: number | null; today: string },
): Promise<PreviewResult> {
  // A text is parsed here (CLI, demo, tests); the web routes parse uploads in a worker first (readPlanIsolated).
  const parsed = typeof input === "string" ? parsePlanText(input) : { ok: true as const, ...input };
  if (!parsed.ok) return { ok: false, error: parsed.error };
  const { text, hash, draft } = parsed;
  const blocking: string[] = [];
  if (!draft.number) blocking.push("Không tìm thấy số, ký hiệu của kế hoạch (ví dụ “Số: 18/KH-UBND”).");
  if (!draft.issuedOn) blocking.push("Không tìm thấy ngày ban hành (ví dụ “ngày 19 tháng 02 năm 2024”).");
  if (!draft.title) blocking.push("Không tìm thấy tên (trích yếu) của kế hoạch.");

  const issuing = await resolveIssuingWard(db, ward, draft, opts.issuingWardId ?? null, opts.today);
  if (issuing.warning) draft.warnings.push({ path: "issuer", message: issuing.warning });

  const units = await orgUnitsWithAliases(db, ward.unit.id, opts.today);
  const groups: GroupMatch[] = draft.assignmentGroups.map((g) => {
    const m = matchUnit(g.heading, units);
    const unit = m ? units.find((u) => u.id === m.unitId) : undefined;
    return {
      code: g.code,
      heading: g.heading,
      unit: unit ? { id: unit.id, name: unit.name, via: m?.via ?? "alias" } : null,
      proposedName: unit ? null : proposeUnitName(g.heading),
    };
  });

  const unknownUnits: ImportPreview["unknownUnits"] = [];
  const addUnknown = (name: string, role: "lead" | "support") => {
    if (!unknownUnits.some((u) => unitKey(u.name) === unitKey(name)))
      unknownUnits.push({ name, role, kind: unitKindOf(name) });
  };
  for (const g of groups) if (!g.unit) addUnknown(g.proposedName ?? g.heading, "lead");
  for (const t of draftTasks(draft))
    for (const s of t.supportingUnitTexts) if (!matchUnit(s, units)) addUnknown(proposeUnitName(s), "support");

  let existing: ImportPreview["existing"] = null;
  let largeChange: ImportPreview["largeChange"] = null;
  let taskChanges: TaskChange[] = draftTasks(draft).map((t) => ({ kind: "added", text: t.text }));
  if (issuing.unit && draft.number && draft.issuedOn) {
    const found = await q.planByIdentity(db, issuing.unit.id, numberKey(draft.number), draft.issuedOn);
    if (found) {
      existing = { id: found.id, sameText: found.source_hash === hash };
      const current = await q.tasksOf(db, found.id);
      taskChanges = diffTasks(
        current.map((t) => ({ id: t.id, text: t.text, group: t.group_code })),
        draftTasks(draft),
      );
      const removed = taskChanges.filter((c) => c.kind === "removed").length;
      const changed = taskChanges.filter((c) => c.kind === "changed").length;
      // "Most" of the saved tasks gone or reworded: more likely another plan or a wrong file than a revision.
      if (!existing.sameText && current.length > 0 && (removed + changed) * 2 > current.length)
        largeChange = { removed, changed, total: current.length };
    }
  }
  return {
    ok: true,
    preview: {
      draft,
      text,
      hash,
      issuingWard: issuing.unit
        ? { id: issuing.unit.id, code: issuing.unit.code, name: issuing.unit.name, validTo: issuing.unit.valid_to }
        : null,
      groups,
      units,
      existing,
      taskChanges,
      unknownUnits,
      largeChange,
      blocking,
    },
  };
}

/** The issuing ward: forced, or recognised from the text, and in any case the ward itself or one of its predecessors. */
async function resolveIssuingWard(
  db: Kysely<Database>,
  ward: Ward,
  draft: PlanDraft,
  forcedId: number | null,
  today: string,
) {
  if (forcedId) {
    const unit = await adminUnitById(db, forcedId);
    return { unit: unit ?? ward.unit, warning: null as string | null };
  }
  if (draft.issuerUnit) {
    const found = await findCommuneByName(db, draft.issuerUnit.type, draft.issuerUnit.name, draft.issuedOn ?? today);
    if (found && ward.scopeIds.includes(found.id)) return { unit: found, warning: null };
    if (found) {
      return {
        unit: ward.unit,
        warning: `Kế hoạch do ${found.name} ban hành, không thuộc ${ward.unit.name}: sẽ lưu cho ${ward.unit.name} nếu bạn xác nhận.`,
      };
    }
    return {
      unit: ward.unit,
      warning: `Không nhận ra đơn vị ban hành “${draft.issuerUnit.type} ${draft.issuerUnit.name}”: sẽ lưu cho ${ward.unit.name}.`,
    };
  }
  return { unit: ward.unit, warning: `Không rõ đơn vị ban hành: sẽ lưu cho ${ward.unit.name}.` };
}

type FlatTask = TaskDraft & { position: number };

/** The plan's year, for timings edited without one ("Quý II"). */
function planYear(d: PlanDraft): number | null {
  return Number((d.period?.to ?? d.issuedOn ?? "").slice(0, 4)) || null;
}

function draftTasks(draft: PlanDraft): FlatTask[] {
  let position = 0;
  return draft.assignmentGroups.flatMap((g) => g.tasks.map((t) => ({ ...t, group: g.code, position: position++ })));
}

export type UnitChoice = { existing: number } | { create: string };

export type ConfirmResult =
  | {
      ok: true;
      planId: number;
      outcome: "created" | "updated" | "unchanged";
      createdUnits: string[];
      /** Ledger rows without a plan that this plan now covers (see attachPlanlessActivities). */
      attachedActivities: number;
    }
  | { ok: false; error: string };

/** Save a previewed plan in one transaction: all of it or nothing; audited. */
export async function confirmPlanImport(
  db: Kysely<Database>,
  actor: Actor,
  ward: Ward,
  input: string | ParsedPlanText,
  opts: {
    issuingWardId?: number | null;
    choices?: Record<string, UnitChoice>;
    /** Timings as edited in the preview, keyed "group-index" (index of the task in its group). */
    timings?: Record<string, string>;
    /**
     * Units the text names that the ward lacks: "create" them (the web preview lists them before saving; the CLI
     * with --create-units), or "refuse" and save nothing, the error listing them (the CLI's default). Default create.
     */
    unknownUnits?: "create" | "refuse";
    /** Confirms a large change (most saved tasks removed or reworded); without it such a re-import is refused. */
    replace?: boolean;
    now: Date;
    today: string;
  },
): Promise<ConfirmResult> {
  const result = await previewPlanImport(db, ward, input, {
    issuingWardId: opts.issuingWardId ?? null,
    today: opts.today,
  });
  if (!result.ok) return result;
  const p = result.preview;
  if (p.blocking.length) return { ok: false, error: p.blocking.join(" ") };
  if (!p.issuingWard) return { ok: false, error: "Không xác định được đơn vị ban hành kế hoạch." };
  if (p.existing?.sameText)
    return { ok: true, planId: p.existing.id, outcome: "unchanged", createdUnits: [], attachedActivities: 0 };
  const unchosen = p.unknownUnits.filter(
    (u) =>
      u.role === "support" ||
      p.groups.some((g) => !g.unit && !opts.choices?.[g.code] && (g.proposedName ?? g.heading) === u.name),
  );
  if (opts.unknownUnits === "refuse" && unchosen.length > 0) {
    return {
      ok: false,
      error: `Kế hoạch nêu ${unchosen.length} đơn vị chưa có trong danh sách đơn vị của ${ward.unit.name}: ${unchosen.map((u) => `“${u.name}”`).join(", ")}. Hãy thêm các đơn vị này (hoặc tên gọi khác của đơn vị đã có) rồi nhập lại, hoặc cho phép tạo mới (--create-units). Chưa lưu gì.`,
    };
  }
  if (p.largeChange && !opts.replace) {
    const { removed, changed, total } = p.largeChange;
    return {
      ok: false,
      error: `Thay đổi lớn: văn bản mới bỏ ${removed} và sửa ${changed} trong ${total} nhiệm vụ đã lưu của kế hoạch ${p.draft.number}. Nếu đúng là thay thế kế hoạch, hãy xác nhận thay thế (--replace). Chưa lưu gì.`,
    };
  }
  const d = p.draft;
  for (const g of d.assignmentGroups)
    g.tasks.forEach((t, i) => {
      const edited = opts.timings?.[`${g.code}-${i}`];
      if (edited !== undefined) Object.assign(t, timingMeaning(nfc(edited), planYear(d)));
    });
  const now = opts.now.toISOString();
  const issuingId = p.issuingWard.id;

  return db.transaction().execute(async (trx) => {
    // Units for every group: matched, chosen, or created from the proposal.
    const createdUnits: string[] = [];
    const unitOfGroup = new Map<string, number>();
    for (const g of p.groups) {
      const choice = opts.choices?.[g.code];
      if (choice && "existing" in choice && p.units.some((u) => u.id === choice.existing)) {
        unitOfGroup.set(g.code, choice.existing);
        await addAliasIfNew(trx, ward.unit.id, choice.existing, g.heading);
      } else if (g.unit && !(choice && "create" in choice)) {
        unitOfGroup.set(g.code, g.unit.id);
      } else {
        const name = squash(
          nfc(choice && "create" in choice && choice.create.trim() ? choice.create : (g.proposedName ?? g.heading)),
        );
        const id = await createUnitInTrx(trx, actor, ward.unit.id, name, g.heading, opts.now);
        createdUnits.push(name);
        unitOfGroup.set(g.code, id);
      }
    }

    const values = {
      ward_id: issuingId,
      kind: d.kind,
      number: d.number as string,
      number_key: numberKey(d.number as string),
      issued_on: d.issuedOn as string,
      title: d.title as string,
      place: d.place,
      issuer: d.issuer,
      period_from: d.period?.from ?? null,
      period_to: d.period?.to ?? null,
      basis_json: JSON.stringify(d.basis),
      purposes_json: JSON.stringify(d.purposes),
      requirements_json: JSON.stringify(d.requirements),
      documents_text: d.documentsToCommunicate,
      mentions_json: JSON.stringify(d.mentions),
      recipients_json: JSON.stringify(d.recipients),
      signer_position: d.signer?.position ?? null,
      signer_name: d.signer?.name ?? null,
      signer_authority: d.signer?.authority ?? null,
      signer_on_behalf_of: d.signer?.onBehalfOf ?? null,
      source_hash: p.hash,
      source_text: p.text,
      updated_at: now,
    };
    let planId: number;
    let before: unknown;
    if (p.existing) {
      planId = p.existing.id;
      const old = await q.planById(trx, planId);
      before = old ? { title: old.title, source_hash: old.source_hash } : undefined;
      await trx.updateTable("plans").set(values).where("id", "=", planId).execute();
      await q.deletePlanParts(trx, planId);
    } else {
      planId = (
        await trx
          .insertInto("plans")
          .values({ ...values, created_at: now })
          .returning("id")
          .executeTakeFirstOrThrow()
      ).id;
    }
    await insertPlanParts(trx, planId, d, { wardId: ward.unit.id, now });
    // Cooperating units the ward lacks (listed in the preview, or allowed by --create-units) are created too.
    for (const u of p.unknownUnits.filter((x) => x.role === "support")) {
      if (matchUnit(u.name, await orgUnitsWithAliases(trx, ward.unit.id, opts.today))) continue;
      await createUnitInTrx(trx, actor, ward.unit.id, u.name, u.name, opts.now);
      createdUnits.push(u.name);
    }
    await storeBudgetReading(trx, planId, d.budget, now);
    await saveTasks(trx, planId, ward.unit.id, d, p.taskChanges, unitOfGroup, ward, now);
    // Answers and survey rounds recorded while no plan covered their day join the plan that now does.
    const attached = await attachPlanlessActivities(
      trx,
      actor,
      { id: planId, wardId: ward.unit.id, wardIds: ward.scopeIds, period: d.period ?? null },
      opts.now,
    );
    await audit(
      trx,
      actor,
      {
        action: p.existing ? "plan.revise" : "plan.import",
        entity: "plan",
        entityId: planId,
        wardId: ward.unit.id,
        before,
        after: { number: d.number, issuedOn: d.issuedOn, title: d.title, tasks: p.taskChanges.map((c) => c.kind) },
      },
      opts.now,
    );
    return {
      ok: true as const,
      planId,
      outcome: p.existing ? ("updated" as const) : ("created" as const),
      createdUnits,
      attachedActivities: attached,
    };
  });
}

/** A unit the plan names and the ward lacks, with the plan's spelling as an alias; audited. */
async function createUnitInTrx(
  trx: Transaction<Database>,
  actor: Actor,
  wardId: number,
  name: string,
  heading: string,
  at: Date,
): Promise<number> {
  const kind = unitKindOf(name);
  const unitId = await insertOrgUnit(trx, {
    ward_id: wardId,
    code: null,
    name,
    kind,
    valid_from: null,
    created_at: at.toISOString(),
  });
  for (const alias of new Set([name, heading])) await addAliasIfNew(trx, wardId, unitId, alias);
  await audit(
    trx,
    actor,
    { action: "org_unit.create", entity: "org_unit", entityId: unitId, wardId, after: { name, alias: heading, kind } },
    at,
  );
  return unitId;
}

async function addAliasIfNew(trx: Transaction<Database>, wardId: number, orgUnitId: number, alias: string) {
  const key = unitKey(alias);
  if (!key) return;
  if (!(await aliasByKey(trx, wardId, key)))
    await insertAliases(trx, [{ org_unit_id: orgUnitId, ward_id: wardId, alias: squash(nfc(alias)), alias_key: key }]);
}

/** A plan's content areas, channels and cited documents, as read (an import) or written (an issued draft). */
export async function insertPlanParts(
  trx: Transaction<Database>,
  planId: number,
  d: Pick<PlanDraft, "contentAreas" | "channels" | "references">,
  library: { wardId: number; now: string },
) {
  if (d.contentAreas.length) {
    await trx
      .insertInto("plan_content_areas")
      .values(
        d.contentAreas.map((a, i) => ({
          plan_id: planId,
          code: a.code,
          title: a.title,
          pillar: a.pillar,
          items_json: JSON.stringify(a.items),
          position: i,
        })),
      )
      .execute();
  }
  if (d.channels.length) {
    await trx
      .insertInto("plan_channels")
      .values(
        d.channels.map((ch, i) => ({ plan_id: planId, code: ch.code, title: ch.title, kind: ch.kind, position: i })),
      )
      .execute();
  }
  if (d.references.length) {
    await trx
      .insertInto("plan_references")
      .values(
        d.references.map((r, i) => ({
          plan_id: planId,
          kind: r.kind,
          number: r.number,
          title: r.title,
          issued_on: r.issuedOn,
          issuer: r.issuer,
          year: r.year,
          position: i,
        })),
      )
      .execute();
  }
  // Each cited document becomes (or joins) an entry of the ward's library.
  await citePlanDocuments(trx, library.wardId, planId, library.now);
}

/** Apply the task diff: keep ids (and so progress) for kept and changed tasks, add new ones, retire removed ones. */
async function saveTasks(
  trx: Transaction<Database>,
  planId: number,
  wardId: number,
  d: PlanDraft,
  changes: TaskChange[],
  unitOfGroup: Map<string, number>,
  ward: Ward,
  now: string,
) {
  const flat = draftTasks(d);
  const supportUnits = await orgUnitsWithAliases(trx, ward.unit.id);
  for (let i = 0; i < flat.length; i++) {
    const t = flat[i] as FlatTask;
    const change = changes[i];
    const group = d.assignmentGroups.find((g) => g.code === t.group);
    const due = t.dueOn ?? (t.recurrence ? null : (d.period?.to ?? null));
    const fields = {
      group_code: t.group,
      group_heading: group?.heading ?? "",
      position: t.position,
      text: t.text,
      text_key: foldWords(t.text),
      due_on: due,
      recurrence: t.recurrence,
      removed_at: null,
      updated_at: now,
    };
    let taskId: number;
    if (change?.taskId && change.kind !== "added") {
      taskId = change.taskId;
      await trx.updateTable("tasks").set(fields).where("id", "=", taskId).execute();
      await trx.deleteFrom("task_units").where("task_id", "=", taskId).execute();
    } else {
      taskId = (
        await trx
          .insertInto("tasks")
          .values({ ...fields, plan_id: planId, ward_id: wardId, status: "not_started", created_at: now })
          .returning("id")
          .executeTakeFirstOrThrow()
      ).id;
    }
    const lead = unitOfGroup.get(t.group);
    const links = new Map<number, "lead" | "support">();
    if (lead) links.set(lead, "lead");
    for (const s of t.supportingUnitTexts) {
      const m = matchUnit(s, supportUnits);
      if (m && !links.has(Number(m.unitId))) links.set(Number(m.unitId), "support");
    }
    if (links.size) {
      await trx
        .insertInto("task_units")
        .values([...links].map(([org_unit_id, role]) => ({ task_id: taskId, org_unit_id, role })))
        .execute();
    }
  }
  for (const c of changes) {
    if (c.kind === "removed" && c.taskId)
      await trx.updateTable("tasks").set({ removed_at: now, updated_at: now }).where("id", "=", c.taskId).execute();
  }
}

/**
 * A saved plan in full, for the pages and the API, in one statement (plans.sql.ts `planWithParts`). `opts.units`:
 * admin units the caller holds already (the request's ward and its predecessors), so the issuing one is not read
 * again; `opts.lastWork`: also each live task's latest work (a Vietnamese day), for the figures (`planProgress`);
 * `opts.ledgerSums`: also the ledger's sums (per pillar, channel and unit), for the progress and budget sections.
 */
export async function loadPlan(
  db: Kysely<Database>,
  planId: number,
  opts: { units?: readonly AdminUnit[]; lastWork?: boolean; ledgerSums?: boolean } = {},
) {
  const read = await q.planWithParts(db, planId, opts);
  if (!read) return null;
  const { plan, sums, tasks: taskRows, ...parts } = read;
  const known = opts.units?.find((u) => u.id === plan.ward_id);
  const issuing = known ?? (await adminUnitById(db, plan.ward_id));
  const lastWork = new Map<number, string>();
  const tasks = taskRows.map(({ last_on, last_at, ...task }) => {
    const last = lastWorkOn(last_on, last_at);
    if (last) lastWork.set(task.id, last);
    return task;
  });
  return {
    plan,
    ...parts,
    tasks,
    issuing: issuing ?? null,
    lastWork: opts.lastWork ? lastWork : null,
    sums: sums ? ledgerSumsOf(sums) : null,
  };
}
export type LoadedPlan = NonNullable<Awaited<ReturnType<typeof loadPlan>>>;

/** Plans a ward can see (its own and its predecessors'), newest first. */
export const plansOfWard = (db: Kysely<Database>, ward: Ward) => q.plansOfWards(db, ward.scopeIds);

/** Whether a plan belongs to the ward or one of its predecessors. */
export const planVisibleIn = (plan: { ward_id: number }, ward: Ward) => ward.scopeIds.includes(plan.ward_id);

export type { TaskChange };
export { wardOf };
