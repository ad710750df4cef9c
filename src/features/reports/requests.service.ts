/**
 * Report requests (issue 9 §5): a province (or a department of it) asks its wards — all, or those it chooses — for a
 * report of a period by a deadline; each ward sees the request in its report list and work queue, the report it
 * creates from it answers it, and the province sees which wards issued theirs (on time, late, not yet).
 */
import type { Kysely } from "kysely";
import { z } from "zod";
import { type Actor, audit } from "../../core/audit.ts";
import type { Database } from "../../core/db/schema.ts";
import { nfc, parseVnDate } from "../../core/text/vi.ts";
import type { Ward } from "../../core/web/context.ts";
import type { FieldErrors } from "../../core/web/validation.ts";
import { validate } from "../../core/web/validation.ts";
import { communesOfProvince } from "../units/units.service.ts";
import { type Period, periodTitle } from "./periods.ts";
import { periodOfQuery, reportQuery } from "./reports.schemas.ts";
import { countStatuses, type RequestWardStatus, requestWardStatus } from "./request-status.ts";
import * as q from "./requests.sql.ts";

type Db = Kysely<Database>;

const requestFields = z.object({
  title: z.preprocess(
    (v) => (typeof v === "string" ? nfc(v).replace(/\s+/g, " ").trim() : ""),
    z.string().max(300, "Tiêu đề dài tối đa 300 ký tự."),
  ),
  note: z.preprocess(
    (v) => (typeof v === "string" ? nfc(v).replace(/\r\n/g, "\n").trim() : ""),
    z.string().max(5000, "Ghi chú dài tối đa 5.000 ký tự."),
  ),
  deadline: z.preprocess(
    (v) => {
      if (typeof v !== "string" || v.trim() === "") return undefined;
      const t = v.trim();
      return /^\d{4}-\d{2}-\d{2}$/.test(t) ? t : (parseVnDate(t) ?? t);
    },
    z.string({ error: "Nhập hạn gửi báo cáo." }).regex(/^\d{4}-\d{2}-\d{2}$/, "Hạn gửi chưa đúng (dd/mm/yyyy)."),
  ),
  scope: z.enum(["all", "chosen"], { error: "Chọn gửi cho mọi xã, phường hay các xã, phường được chọn." }),
});

export interface RequestInput {
  values: Record<string, string>;
  /** The codes of the chosen wards (checkboxes `xa`). */
  wards: string[];
}

export type CreateResult = { ok: true; id: number } | { ok: false; errors: FieldErrors };

/**
 * Send a request from the province of `province` (a province account's own; `orgUnitId` its department, if any).
 * The wards asked are stored one by one — for "all", every commune of the province in force today — so later
 * changes to the register never change whom a request asked. One transaction, audited.
 */
export async function createRequest(
  db: Db,
  actor: Actor & { userId: number },
  province: Ward,
  orgUnitId: number | null,
  input: RequestInput,
  now: Date,
  today: string,
): Promise<CreateResult> {
  const errors: FieldErrors = {};
  const fields = validate(requestFields, input.values);
  if (!fields.ok) Object.assign(errors, fields.errors);
  const query = validate(reportQuery, input.values);
  let period: Period | null = null;
  if (!query.ok) Object.assign(errors, query.errors);
  else {
    const p = periodOfQuery(query.value, today);
    if (p.ok) period = p.period;
    else errors[p.field] = p.message;
  }
  if (fields.ok && fields.value.deadline < today) errors.deadline = "Hạn gửi báo cáo không thể trước hôm nay.";
  const communes = await communesOfProvince(db, province.unit.id, today);
  let wardIds: number[] = [];
  if (fields.ok && fields.value.scope === "all") wardIds = communes.map((c) => c.id);
  else if (fields.ok) {
    const byCode = new Map(communes.map((c) => [c.code, c.id] as const));
    const unknown = input.wards.filter((code) => !byCode.has(code));
    if (unknown.length)
      errors.xa = `Không có xã, phường mã ${unknown.slice(0, 5).join(", ")} thuộc ${province.unit.name}.`;
    wardIds = [...new Set(input.wards.map((code) => byCode.get(code)).filter((id): id is number => id != null))];
    if (!unknown.length && wardIds.length === 0) errors.xa = "Chọn ít nhất một xã, phường.";
  }
  if (Object.keys(errors).length || !fields.ok || !period) return { ok: false, errors };
  const title =
    fields.value.title || `Báo cáo kết quả công tác tuyên truyền cải cách hành chính ${periodTitle(period)}`;
  const chosen = period;
  const scope = fields.value.scope;
  const id = await db.transaction().execute(async (trx) => {
    const requestId = await q.insertRequest(trx, {
      province_id: province.unit.id,
      org_unit_id: orgUnitId,
      title,
      note: fields.value.note,
      kind: chosen.kind,
      year: chosen.year,
      quarter: chosen.quarter,
      period_from: chosen.from,
      period_to: chosen.to,
      deadline: fields.value.deadline,
      all_wards: scope === "all" ? 1 : 0,
      created_by: actor.userId,
      created_at: now.toISOString(),
    });
    if (wardIds.length) await q.insertRequestWards(trx, requestId, wardIds);
    await audit(
      trx,
      actor,
      {
        action: "report_request.create",
        entity: "report_request",
        entityId: requestId,
        wardId: province.unit.id,
        after: {
          title,
          period: { from: chosen.from, to: chosen.to },
          deadline: fields.value.deadline,
          wards: wardIds.length,
        },
      },
      now,
    );
    return requestId;
  });
  return { ok: true, id };
}

export type RequestRow = Awaited<ReturnType<typeof q.requestsOfProvince>>[number];

/** The province's requests, each with how many wards stand in each status today. */
export async function requestsOfProvince(db: Db, provinceId: number, today: string) {
  const requests = await q.requestsOfProvince(db, provinceId);
  const details = await Promise.all(requests.map((r) => wardStatuses(db, r, today)));
  return requests.map((r, i) => ({ request: r, counts: countStatuses((details[i] ?? []).map((w) => w.status)) }));
}

/** Each ward a request asked, with its status and the report that answered it (the first issued, else the latest). */
async function wardStatuses(db: Db, r: { id: number; deadline: string }, today: string) {
  const [wards, reports] = await Promise.all([q.wardsAsked(db, r.id), q.reportsAnswering(db, [r.id])]);
  return wards.map((w) => {
    const mine = reports.filter((x) => x.ward_id === w.id);
    const issued = mine
      .filter((x) => x.status === "issued")
      .sort((a, b) => (a.issued_on ?? "").localeCompare(b.issued_on ?? ""));
    return {
      ward: w,
      status: requestWardStatus(mine, r.deadline, today) as RequestWardStatus,
      report: issued[0] ?? mine.at(-1) ?? null,
    };
  });
}

/** One request of the province with every ward's status, or null when the province made no such request. */
export async function requestDetail(db: Db, provinceId: number, id: number, today: string) {
  const request = await q.requestOfProvince(db, provinceId, id);
  if (!request) return null;
  const wards = await wardStatuses(db, request, today);
  return { request, wards, counts: countStatuses(wards.map((w) => w.status)) };
}

/** The requests a ward was asked, each with this ward's status today. */
export async function requestsForWard(db: Db, wardId: number, today: string) {
  const requests = await q.requestsToWard(db, wardId);
  const reports = await q.reportsAnswering(
    db,
    requests.map((r) => r.id),
  );
  return requests.map((r) => {
    const mine = reports.filter((x) => x.ward_id === wardId && x.request_id === r.id);
    return { request: r, status: requestWardStatus(mine, r.deadline, today), reports: mine };
  });
}

export type WardRequest = Awaited<ReturnType<typeof requestsForWard>>[number];

/** A request that asked this ward, or undefined (a report may answer only a request made to its ward). */
export const requestToWard = (db: Db, wardId: number, id: number) => q.requestToWard(db, wardId, id);
