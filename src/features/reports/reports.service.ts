/**
 * A ward's reports as records: a draft is saved with its figures as computed and its narrative; staff correct the
 * narrative and may recompute the figures while it is a draft; it is submitted, approved by a leader, then issued
 * with the number of the ward's outgoing-document register for the year (the next free one, or the number the văn
 * thư typed from the paper register) — and from then on frozen: its stored figures, heading and text are what it
 * says forever; recomputing only shows what changed since. Each move is one conditional UPDATE, so it happens once.
 */
import type { Kysely } from "kysely";
import { type Actor, audit } from "../../core/audit.ts";
import type { Database } from "../../core/db/schema.ts";
import type { AdminDocument } from "../../core/documents/admin-document.ts";
import { WORKFLOW_STATUSES } from "../../core/documents/register.ts";
import { findPersonal } from "../../core/text/redact.ts";
import { nfc } from "../../core/text/vi.ts";
import type { Ward } from "../../core/web/context.ts";
import { planOfWards } from "../plans/ledger.ts";
import { computeRollup } from "../rollup/rollup.service.ts";
import { type Period, periodTitle } from "./periods.ts";
import {
  defaultAddressees,
  draftNarrative,
  type ReportHeading,
  type ReportNarrative,
  reportDocument,
  TO_WRITE,
} from "./report-draft.ts";
import { computeReportFigures, type FigureScope, type ReportFigures } from "./report-figures.ts";
import * as q from "./reports.sql.ts";
import { requestToWard } from "./requests.sql.ts";
import {
  isRollupFigures,
  type RollupFigures,
  type RollupIssuer,
  rollupAddressees,
  rollupDocument,
  rollupFigures,
  rollupNarrative,
  rollupSymbol,
} from "./rollup-report.ts";

type Db = Kysely<Database>;

export const REPORT_STATUSES = WORKFLOW_STATUSES;

interface Stored {
  heading: ReportHeading;
  narrative: ReportNarrative;
  /** A province's report: who issues it (its committee or a department). */
  issuer?: RollupIssuer;
}

/** A department of the province issuing its report (the province account's organisational unit). */
export interface Department {
  id: number;
  name: string;
  code: string;
}

/** Whether a report's unit is a province: its report is the roll-up of its wards. */
const isProvince = (ward: Ward) => ward.unit.level === "province";

/**
 * The figures, stored parts and document of a new draft: a ward's from its own records, a province's from the
 * roll-up of its wards (src/features/rollup), issued by its committee or by `department`.
 */
export async function draftOf(
  db: Db,
  ward: Ward,
  period: Period,
  department: Department | null,
  now: Date,
  today: string,
  scope: FigureScope = {},
): Promise<{ figures: ReportFigures | RollupFigures; stored: Stored; document: AdminDocument; symbol: string }> {
  const heading = headingOf(ward, period);
  const noIssue = { number: null, issuedOn: null, signerName: null };
  if (!isProvince(ward)) {
    const figures = await computeReportFigures(db, ward, period, now, today, scope);
    const stored: Stored = { heading, narrative: draftNarrative(figures, defaultAddressees(heading.provinceName)) };
    return {
      figures,
      stored,
      document: reportDocument(heading, figures, stored.narrative, noIssue),
      symbol: "BC-UBND",
    };
  }
  const rollup = await computeRollup(db, { unitCode: ward.unit.code, from: period.from, to: period.to }, now);
  const rows = (rollup?.items ?? []).map((i) => ({
    code: i.ward.code,
    name: i.ward.name,
    beforeReform: i.beforeReform,
    planInForce: i.planInForce,
    tasks: i.tasks,
    activities: i.activities,
    byChannel: i.byChannel,
    audience: i.audience,
    spent: i.spent,
    feedback: i.feedback,
    satisfaction: i.satisfaction,
  }));
  const figures = rollupFigures({ code: ward.unit.code, name: ward.unit.name }, period, rows, now.toISOString());
  const issuer: RollupIssuer = {
    provinceName: ward.unit.name,
    place: ward.unit.short_name || ward.unit.name,
    department: department ? { name: department.name, code: department.code } : null,
  };
  const stored: Stored = { heading, issuer, narrative: rollupNarrative(figures, rollupAddressees(issuer), TO_WRITE) };
  return {
    figures,
    stored,
    document: rollupDocument(issuer, heading.periodTitle, figures, stored.narrative, noIssue),
    symbol: rollupSymbol(issuer),
  };
}

export type ReportRow = NonNullable<Awaited<ReturnType<typeof q.reportOf>>>;

export function headingOf(ward: Ward, period: Period): ReportHeading {
  return {
    wardName: ward.unit.name,
    place: ward.unit.short_name || ward.unit.name,
    provinceName: ward.province?.name ?? null,
    periodTitle: periodTitle(period),
    year: Number(period.to.slice(0, 4)),
  };
}

/** A stored report as a document: its own frozen figures, heading and narrative, and its issue facts. */
export function documentOf(r: ReportRow): {
  document: AdminDocument;
  figures: ReportFigures | RollupFigures;
  narrative: ReportNarrative;
} {
  const figures = JSON.parse(r.figures_json) as ReportFigures | RollupFigures;
  const stored = JSON.parse(r.document_json) as Stored;
  const issue = { number: r.number, issuedOn: r.issued_on, signerName: r.signer_name };
  return {
    figures,
    narrative: stored.narrative,
    document:
      isRollupFigures(figures) && stored.issuer
        ? rollupDocument(stored.issuer, stored.heading.periodTitle, figures, stored.narrative, issue)
        : reportDocument(stored.heading, figures as ReportFigures, stored.narrative, issue),
  };
}

export type Result = { ok: true; id: number } | { ok: false; status: 400 | 404 | 409; errors: Record<string, string> };
const fail = (status: 400 | 404 | 409, field: string, message: string): Result => ({
  ok: false,
  status,
  errors: { [field]: message },
});

/**
 * Save a new draft for a period: figures computed now, narrative drafted from them. `requestId`: the higher level's
 * request it answers, which must have asked this ward.
 */
export async function createReport(
  db: Db,
  actor: Actor & { userId: number },
  ward: Ward,
  period: Period,
  now: Date,
  today: string,
  opts: { requestId?: number | null; department?: Department | null; scope?: FigureScope } = {},
): Promise<Result> {
  const scope = opts.scope ?? {};
  const planId = scope.planId ?? null;
  if (planId != null && !(await planOfWards(db, ward.scopeIds, planId)))
    return fail(400, "kehoach", "Kế hoạch đã chọn không phải của xã, phường này.");
  const requestId = opts.requestId ?? null;
  if (requestId != null && (isProvince(ward) || !(await requestToWard(db, ward.unit.id, requestId))))
    return fail(404, "_", "Không tìm thấy yêu cầu báo cáo gửi xã, phường này.");
  const department = isProvince(ward) ? (opts.department ?? null) : null;
  const { figures, stored, symbol } = await draftOf(db, ward, period, department, now, today, scope);
  const title = isProvince(ward)
    ? `Báo cáo tổng hợp ${stored.heading.periodTitle}${department ? ` (${department.name})` : ""}`
    : `Báo cáo ${stored.heading.periodTitle}`;
  return db.transaction().execute(async (trx) => {
    const id = await q.insertReport(trx, {
      ward_id: ward.unit.id,
      kind: period.kind,
      quarter: period.quarter,
      period_from: period.from,
      period_to: period.to,
      title,
      status: "draft",
      figures_json: JSON.stringify(figures),
      computed_at: figures.computedAt,
      document_json: JSON.stringify(stored),
      number: null,
      symbol,
      issued_on: null,
      signer_name: null,
      approved_by: null,
      created_by: actor.userId,
      created_at: now.toISOString(),
      updated_at: now.toISOString(),
      plan_id: planId,
      request_id: requestId,
      issuer_org_unit_id: department?.id ?? null,
    });
    await audit(
      trx,
      actor,
      {
        action: "report.create",
        entity: "report",
        entityId: id,
        wardId: ward.unit.id,
        after: { period, title, planId, requestId },
      },
      now,
    );
    return { ok: true as const, id };
  });
}

const wrongState = (r: ReportRow, what: string) =>
  fail(409, "_", `Báo cáo đang ở trạng thái “${REPORT_STATUSES[r.status] ?? r.status}”, không thể ${what}.`);

/** Correct the narrative of a draft (addressees one per line; the three sections as text). */
export async function editNarrative(
  db: Db,
  actor: Actor,
  ward: Ward,
  id: number,
  input: ReportNarrative,
  now: Date,
): Promise<Result> {
  const r = await q.reportOf(db, [ward.unit.id], id);
  if (!r) return fail(404, "_", "Không tìm thấy báo cáo.");
  if (r.status !== "draft") return wrongState(r, "sửa nội dung");
  const stored = JSON.parse(r.document_json) as Stored;
  const narrative: ReportNarrative = {
    addressees: input.addressees.map((a) => nfc(a).trim()).filter(Boolean),
    shortcomings: nfc(input.shortcomings),
    nextTasks: nfc(input.nextTasks),
    proposals: nfc(input.proposals),
  };
  return db.transaction().execute(async (trx) => {
    const moved = await q.moveReport(trx, ward.unit.id, id, "draft", {
      document_json: JSON.stringify({ ...stored, narrative }),
      updated_at: now.toISOString(),
    });
    if (!moved) return wrongState(r, "sửa nội dung");
    await audit(trx, actor, { action: "report.edit", entity: "report", entityId: id, wardId: ward.unit.id }, now);
    return { ok: true as const, id };
  });
}

/** Recompute a draft's figures from the records as they are now. */
export async function refreshFigures(
  db: Db,
  actor: Actor,
  ward: Ward,
  id: number,
  now: Date,
  today: string,
  levels?: readonly string[],
): Promise<Result> {
  const r = await q.reportOf(db, [ward.unit.id], id);
  if (!r) return fail(404, "_", "Không tìm thấy báo cáo.");
  if (r.status !== "draft") return wrongState(r, "tính lại số liệu");
  const figures = await figuresAgain(db, ward, r, now, today, levels);
  return db.transaction().execute(async (trx) => {
    const moved = await q.moveReport(trx, ward.unit.id, id, "draft", {
      figures_json: JSON.stringify(figures),
      computed_at: figures.computedAt,
      updated_at: now.toISOString(),
    });
    if (!moved) return wrongState(r, "tính lại số liệu");
    await audit(trx, actor, { action: "report.refresh", entity: "report", entityId: id, wardId: ward.unit.id }, now);
    return { ok: true as const, id };
  });
}

/** A workflow move that changes only the status (and who approved). */
export async function moveStatus(
  db: Db,
  actor: Actor & { userId: number },
  ward: Ward,
  id: number,
  step: "submit" | "approve" | "publish",
  now: Date,
): Promise<Result> {
  const plan = {
    submit: { from: "draft", to: "submitted", what: "trình lãnh đạo" },
    approve: { from: "submitted", to: "approved", what: "duyệt" },
    publish: { from: "issued", to: "issued", what: "công khai" },
  }[step];
  const r = await q.reportOf(db, [ward.unit.id], id);
  if (!r) return fail(404, "_", "Không tìm thấy báo cáo.");
  if (r.status !== plan.from || (step === "publish" && r.published)) return wrongState(r, plan.what);
  if (step === "publish") {
    const personal = personalDataIn((JSON.parse(r.document_json) as Stored).narrative);
    if (personal) return fail(409, "_", personal);
    if (r.signed_file_id == null)
      return fail(
        409,
        "_",
        "Chưa thể công khai: cần tải lên bản đã ký (PDF ký số, hoặc bản scan có chữ ký và đóng dấu) trước. Bản được công khai là bản đã ký.",
      );
  }
  return db.transaction().execute(async (trx) => {
    const moved = await q.moveReport(trx, ward.unit.id, id, plan.from, {
      status: plan.to,
      ...(step === "approve" ? { approved_by: actor.userId } : {}),
      ...(step === "publish" ? { published: 1 } : {}),
      updated_at: now.toISOString(),
    });
    if (!moved) return wrongState(r, plan.what);
    await audit(
      trx,
      actor,
      {
        action: `report.${step}`,
        entity: "report",
        entityId: id,
        wardId: ward.unit.id,
        after: { status: plan.to, ...(step === "publish" ? { signedFileId: r.signed_file_id } : {}) },
      },
      now,
    );
    return { ok: true as const, id };
  });
}

/**
 * Issue an approved report: the register's number for the year of `issuedOn` (`number` typed from the paper register,
 * or the next free one), the day, the signer. A number already used that year is refused; nothing is written then.
 */
export async function issueReport(
  db: Db,
  actor: Actor,
  ward: Ward,
  id: number,
  input: { number: number | null; issuedOn: string; signerName: string },
  now: Date,
): Promise<Result> {
  const r = await q.reportOf(db, [ward.unit.id], id);
  if (!r) return fail(404, "_", "Không tìm thấy báo cáo.");
  if (r.status !== "approved") return wrongState(r, "ban hành");
  if (input.issuedOn < r.period_from)
    return fail(400, "issuedOn", "Ngày ban hành không thể trước ngày bắt đầu kỳ báo cáo.");
  const year = Number(input.issuedOn.slice(0, 4));
  try {
    return await db.transaction().execute(async (trx) => {
      const body = { unitId: ward.unit.id, orgUnitId: r.issuer_org_unit_id };
      const number = input.number ?? (await q.nextRegisterNumber(trx, body, year));
      if (await q.registerNumberTaken(trx, body, year, number))
        return fail(409, "number", `Số ${number} đã được dùng trong sổ văn bản đi năm ${year}. Chọn số khác.`);
      await q.insertRegisterEntry(trx, {
        issuer_unit_id: ward.unit.id,
        issuer_org_unit_id: r.issuer_org_unit_id,
        year,
        number,
        symbol: r.symbol,
        issued_on: input.issuedOn,
        report_id: id,
        created_at: now.toISOString(),
      });
      const moved = await q.moveReport(trx, ward.unit.id, id, "approved", {
        status: "issued",
        number,
        issued_on: input.issuedOn,
        signer_name: nfc(input.signerName).trim(),
        updated_at: now.toISOString(),
      });
      if (!moved) throw new Conflict();
      await audit(
        trx,
        actor,
        {
          action: "report.issue",
          entity: "report",
          entityId: id,
          wardId: ward.unit.id,
          after: { number, symbol: r.symbol, issuedOn: input.issuedOn },
        },
        now,
      );
      return { ok: true as const, id };
    });
  } catch (err) {
    // A racing issue took the number (UNIQUE) or the report first: nothing of this attempt was written.
    const again = await q.reportOf(db, [ward.unit.id], id);
    if (err instanceof Conflict || (again && again.status !== "approved")) return wrongState(again ?? r, "ban hành");
    if (/unique|UNIQUE|duplicate/.test(String((err as Error).message)))
      return fail(409, "number", `Số này vừa được dùng trong sổ văn bản đi năm ${year}. Chọn số khác.`);
    throw err;
  }
}

class Conflict extends Error {}

const NARRATIVE_PARTS: [keyof Omit<ReportNarrative, "addressees">, string][] = [
  ["shortcomings", "Tồn tại, hạn chế"],
  ["nextTasks", "Nhiệm vụ kỳ tới"],
  ["proposals", "Đề xuất, kiến nghị"],
];

/**
 * What staff wrote must not carry personal data to the public (a name introduced as "bà …", a phone, an e-mail,
 * an ID number, a home address): the message naming the first finding, or null. An issued report is frozen, so one
 * that holds such data stays unpublished (it still goes upward, where it was addressed).
 */
function personalDataIn(n: ReportNarrative): string | null {
  for (const [key, label] of NARRATIVE_PARTS) {
    const found = findPersonal(n[key])[0];
    if (found)
      return `Không thể công khai: phần “${label}” có thông tin cá nhân (“${n[key].slice(found.start, found.end)}”). Báo cáo đã ban hành không sửa được; chỉ gửi cấp trên, không công khai.`;
  }
  return null;
}

export const reportOf = (db: Db, ward: Ward, id: number) => q.reportOf(db, [ward.unit.id], id);
export const reportsOf = (db: Db, wardIds: number[], publishedOnly: boolean) =>
  q.reportsOfWards(db, wardIds, { publishedOnly, limit: 200 });

/** What changed in the records since a report's figures were computed: the headline figures then and now. */
export async function changesSince(
  db: Db,
  ward: Ward,
  r: ReportRow,
  now: Date,
  today: string,
  levels?: readonly string[],
) {
  const stored = JSON.parse(r.figures_json) as ReportFigures | RollupFigures;
  if (isRollupFigures(stored)) {
    const current = await figuresAgain(db, ward, r, now, today, levels);
    if (!isRollupFigures(current)) return [];
    const a = stored.totals;
    const b = current.totals;
    return [
      { label: "Hoạt động tuyên truyền", issued: a.activities, now: b.activities },
      { label: "Lượt người được tiếp cận", issued: a.audience, now: b.audience },
      { label: "Kinh phí (đồng)", issued: a.spent, now: b.spent },
      { label: "Phản ánh, kiến nghị tiếp nhận", issued: a.feedback.received, now: b.feedback.received },
      { label: "Nhiệm vụ hoàn thành", issued: a.tasks.done, now: b.tasks.done },
    ].filter((l) => l.issued !== l.now);
  }
  const issued = stored;
  const current = await computeReportFigures(db, ward, { from: r.period_from, to: r.period_to }, now, today, {
    planId: r.plan_id,
    procedureLevels: levels,
  });
  const lines: { label: string; issued: number; now: number }[] = [
    { label: "Hoạt động tuyên truyền", issued: issued.ledger.total.count, now: current.ledger.total.count },
    { label: "Lượt người được tiếp cận", issued: issued.ledger.total.audience, now: current.ledger.total.audience },
    { label: "Kinh phí (đồng)", issued: issued.ledger.total.cost, now: current.ledger.total.cost },
    { label: "Phản ánh, kiến nghị tiếp nhận", issued: issued.feedback.received, now: current.feedback.received },
    { label: "Phản ánh, kiến nghị đã trả lời", issued: issued.feedback.answered, now: current.feedback.answered },
    { label: "Câu hỏi đã trả lời", issued: issued.questions.answered, now: current.questions.answered },
  ];
  // Figures an older report did not count are not "changes" of it.
  const later = (label: string, then: number | undefined, now: number) =>
    then === undefined ? [] : [{ label, issued: then, now }];
  lines.push(
    ...later("Thủ tục mới có hiệu lực", issued.procedures?.newInForce, current.procedures?.newInForce ?? 0),
    ...later("Thủ tục sửa đổi, thay thế", issued.procedures?.changed, current.procedures?.changed ?? 0),
    ...later("Thủ tục bãi bỏ", issued.procedures?.abolished, current.procedures?.abolished ?? 0),
    ...later("Đợt khảo sát sự hài lòng", issued.satisfaction?.rounds, current.satisfaction?.rounds ?? 0),
  );
  return lines.filter((l) => l.issued !== l.now);
}

/** A stored report's figures computed again from the records as they are now (a ward's, or a province's roll-up). */
/** A stored report's figures computed again now, by the scope it was made with (its plan, the ward's levels). */
async function figuresAgain(db: Db, ward: Ward, r: ReportRow, now: Date, today: string, levels?: readonly string[]) {
  const period = { from: r.period_from, to: r.period_to };
  if (!isProvince(ward))
    return computeReportFigures(db, ward, period, now, today, { planId: r.plan_id, procedureLevels: levels });
  const stored = JSON.parse(r.document_json) as Stored;
  const department = stored.issuer?.department
    ? { id: r.issuer_org_unit_id ?? 0, name: stored.issuer.department.name, code: stored.issuer.department.code }
    : null;
  const kind = (r.kind as Period["kind"]) ?? "ad_hoc";
  return (
    await draftOf(
      db,
      ward,
      { kind, year: Number(r.period_to.slice(0, 4)), quarter: r.quarter, ...period },
      department,
      now,
      today,
    )
  ).figures;
}
