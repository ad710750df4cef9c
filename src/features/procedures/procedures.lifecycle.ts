/** Announcing decisions applied to the catalogue (new, amended, replaced, abolished), reviews and notice-board prints. */
import type { Kysely } from "kysely";
import { z } from "zod";
import { type Actor, audit } from "../../core/audit.ts";
import type { Database } from "../../core/db/schema.ts";
import { isoDate } from "../../core/text/vi.ts";
import { nextSearchSeq } from "../search/search.sql.ts";
import type { ProcedureRecord } from "./procedure-record.ts";
import {
  type ChangeType,
  type DecisionInput,
  ensureDecision,
  insertVersion,
  upsertSearchDoc,
} from "./procedures.service.ts";
import * as q from "./procedures.sql.ts";

const isoDay = z
  .string({ error: "Cần ngày theo dạng YYYY-MM-DD." })
  .regex(/^\d{4}-\d{2}-\d{2}$/, "Ngày phải theo dạng YYYY-MM-DD.")
  .refine(
    (s) => isoDate(Number(s.slice(0, 4)), Number(s.slice(5, 7)), Number(s.slice(8, 10))) !== null,
    "Ngày không có thật.",
  );

export const decisionSchema = z.object({
  number: z.string({ error: "Cần số quyết định." }).trim().min(3, "Cần số quyết định, ví dụ 1234/QĐ-UBND."),
  decidedOn: isoDay,
  effectiveFrom: isoDay,
  issuer: z.string().trim().min(2, "Cần cơ quan ban hành.").max(200),
  summary: z.string().trim().max(2000).default(""),
});
export type DecisionFields = z.input<typeof decisionSchema>;

export type DecisionChange =
  | { type: "new"; record: ProcedureRecord; provinceId?: number | null }
  | { type: "amended"; record: ProcedureRecord }
  | { type: "replaced"; record: ProcedureRecord; replacesCode?: string | null }
  | { type: "abolished"; code: string };

export type ApplyResult =
  | { ok: true; decisionId: number; versions: number }
  | { ok: false; errors: Record<string, string> };

/**
 * Apply one announcing decision: every change becomes a new version effective from the decision's date; a
 * replacement under a new code also closes the replaced procedure (an "abolished" version naming its successor).
 * All or nothing, audited.
 */
export async function applyDecision(
  db: Kysely<Database>,
  actor: Actor,
  fields: DecisionFields,
  changes: DecisionChange[],
  now: Date,
): Promise<ApplyResult> {
  const parsed = decisionSchema.safeParse(fields);
  if (!parsed.success) {
    const errors: Record<string, string> = {};
    for (const i of parsed.error.issues) errors[String(i.path[0] ?? "_")] ??= i.message;
    return { ok: false, errors };
  }
  const d = parsed.data;
  if (changes.length === 0)
    return {
      ok: false,
      errors: { changes: "Quyết định cần ít nhất một thủ tục được công bố, sửa đổi, thay thế hoặc bãi bỏ." },
    };
  const nowIso = now.toISOString();
  const errors: Record<string, string> = {};
  for (const [i, ch] of changes.entries()) {
    const code = ch.type === "abolished" ? ch.code : ch.record.code;
    const exists = await q.procedureByCode(db, code);
    if (ch.type === "new" && exists)
      errors[`changes.${i}`] = `Thủ tục ${code} đã có; dùng “sửa đổi, bổ sung” hoặc “thay thế”.`;
    if ((ch.type === "amended" || ch.type === "abolished") && !exists)
      errors[`changes.${i}`] = `Không có thủ tục mã ${code}.`;
    if (ch.type === "replaced" && ch.replacesCode && !(await q.procedureByCode(db, ch.replacesCode)))
      errors[`changes.${i}`] = `Không có thủ tục bị thay thế mã ${ch.replacesCode}.`;
  }
  if (Object.keys(errors).length) return { ok: false, errors };

  return db.transaction().execute(async (trx) => {
    const decisionId = await ensureDecision(trx, new Map(), d, null, nowIso);
    let seq = await nextSearchSeq(trx);
    let versions = 0;
    const addVersion = async (
      procedureId: number,
      type: ChangeType,
      record: ProcedureRecord,
      replacesCode: string | null,
    ) => {
      const last = await trx
        .selectFrom("procedure_versions")
        .select((e) => e.fn.max("version_no").as("m"))
        .where("procedure_id", "=", procedureId)
        .executeTakeFirst();
      await insertVersion(
        trx,
        procedureId,
        Number(last?.m ?? 0) + 1,
        decisionId,
        type,
        d.effectiveFrom,
        record,
        replacesCode,
        nowIso,
      );
      versions++;
    };
    const latestRecord = async (procedureId: number) => {
      const v = await trx
        .selectFrom("procedure_versions")
        .select("data_json")
        .where("procedure_id", "=", procedureId)
        .orderBy("version_no", "desc")
        .limit(1)
        .executeTakeFirstOrThrow();
      return JSON.parse(v.data_json) as ProcedureRecord;
    };
    for (const ch of changes) {
      if (ch.type === "abolished") {
        const p = await q.procedureByCode(trx, ch.code);
        if (!p) continue;
        const record = await latestRecord(p.id);
        await addVersion(p.id, "abolished", record, null);
        await upsertSearchDoc(trx, record, p.scope_unit_id, seq++, true);
        continue;
      }
      let p = await q.procedureByCode(trx, ch.record.code);
      if (!p) {
        const provinceId = ch.type === "new" ? (ch.provinceId ?? null) : null;
        const id = (
          await trx
            .insertInto("procedures")
            .values({
              code: ch.record.code,
              scope: provinceId ? "province" : "national",
              scope_unit_id: provinceId,
              created_at: nowIso,
            })
            .returning("id")
            .executeTakeFirstOrThrow()
        ).id;
        p = {
          id,
          code: ch.record.code,
          scope: provinceId ? "province" : "national",
          scope_unit_id: provinceId,
          created_at: nowIso,
        };
      }
      const replaces = ch.type === "replaced" ? (ch.replacesCode ?? null) : null;
      await addVersion(p.id, ch.type, ch.record, replaces);
      await upsertSearchDoc(trx, ch.record, p.scope_unit_id, seq++);
      if (replaces && replaces !== ch.record.code) {
        const old = await q.procedureByCode(trx, replaces);
        if (old) {
          // The successor is found through its replaces_code; the old procedure simply leaves the catalogue.
          const record = await latestRecord(old.id);
          await addVersion(old.id, "abolished", record, null);
          await upsertSearchDoc(trx, record, old.scope_unit_id, seq++, true);
        }
      }
    }
    await audit(
      trx,
      actor,
      {
        action: "procedure.decision",
        entity: "decision",
        entityId: decisionId,
        after: {
          ...d,
          changes: changes.map((c) => ({ type: c.type, code: c.type === "abolished" ? c.code : c.record.code })),
        },
      },
      now,
    );
    return { ok: true as const, decisionId, versions };
  });
}

/** Mark a procedure reviewed (rà soát) for a ward; audited. */
export async function markReviewed(
  db: Kysely<Database>,
  actor: Actor,
  wardId: number,
  code: string,
  now: Date,
): Promise<boolean> {
  const p = await q.procedureByCode(db, code);
  if (!p) return false;
  await db.transaction().execute(async (trx) => {
    await trx
      .insertInto("procedure_reviews")
      .values({ procedure_id: p.id, ward_id: wardId, user_id: actor.userId, reviewed_at: now.toISOString() })
      .execute();
    await audit(trx, actor, { action: "procedure.review", entity: "procedure", entityId: code, wardId }, now);
  });
  return true;
}

/** Record that the notice board was printed today; audited. */
export async function markBoardPrinted(db: Kysely<Database>, actor: Actor, wardId: number, now: Date): Promise<void> {
  await db.transaction().execute(async (trx) => {
    await trx
      .insertInto("board_prints")
      .values({ ward_id: wardId, user_id: actor.userId, printed_at: now.toISOString() })
      .execute();
    await audit(trx, actor, { action: "procedure.board_print", entity: "notice_board", wardId }, now);
  });
}

export const overrideSchema = z.object({
  fee: z.string().trim().max(500, "Phí, lệ phí tối đa 500 ký tự.").default(""),
  receivingAddress: z.string().trim().max(500, "Địa chỉ tiếp nhận tối đa 500 ký tự.").default(""),
  openingHours: z.string().trim().max(500, "Thời gian tiếp nhận tối đa 500 ký tự.").default(""),
  note: z.string().trim().max(2000, "Ghi chú tối đa 2000 ký tự.").default(""),
});
export type OverrideFields = z.input<typeof overrideSchema>;

/**
 * Save a unit's local values for a procedure (fee, receiving address, opening hours, note); all empty removes
 * them, so the national values show again. Audited with before and after.
 */
export async function saveOverride(
  db: Kysely<Database>,
  actor: Actor,
  unitId: number,
  code: string,
  fields: OverrideFields,
  now: Date,
): Promise<{ ok: true } | { ok: false; errors: Record<string, string> }> {
  const parsed = overrideSchema.safeParse(fields);
  if (!parsed.success) {
    const errors: Record<string, string> = {};
    for (const i of parsed.error.issues) errors[String(i.path[0] ?? "_")] ??= i.message;
    return { ok: false, errors };
  }
  if (!(await q.procedureByCode(db, code))) return { ok: false, errors: { code: `Không có thủ tục mã ${code}.` } };
  const f = parsed.data;
  const values = {
    fee: f.fee || null,
    receiving_address: f.receivingAddress || null,
    opening_hours: f.openingHours || null,
    note: f.note || null,
    updated_at: now.toISOString(),
  };
  const empty = !values.fee && !values.receiving_address && !values.opening_hours && !values.note;
  await db.transaction().execute(async (trx) => {
    const before = await q.overrideOf(trx, code, unitId);
    if (before && empty) await trx.deleteFrom("procedure_overrides").where("id", "=", before.id).execute();
    else if (before) await trx.updateTable("procedure_overrides").set(values).where("id", "=", before.id).execute();
    else if (!empty)
      await trx
        .insertInto("procedure_overrides")
        .values({ ...values, procedure_code: code, unit_id: unitId })
        .execute();
    await audit(
      trx,
      actor,
      {
        action: "procedure.override",
        entity: "procedure",
        entityId: code,
        wardId: unitId,
        before: before ?? null,
        after: empty ? null : values,
      },
      now,
    );
  });
  return { ok: true };
}

const optionalDay = z.union([z.literal(""), isoDay]).default("");

/** The announcing decision a whole import belongs to (command-line flags or the upload form); all optional. */
export const importDecisionSchema = z
  .object({
    decision: z.string().trim().max(100, "Số quyết định tối đa 100 ký tự.").default(""),
    decidedOn: optionalDay,
    effectiveFrom: optionalDay,
    issuer: z.string().trim().max(200, "Cơ quan ban hành tối đa 200 ký tự.").default(""),
  })
  .refine((d) => d.decision !== "" || (d.decidedOn === "" && d.effectiveFrom === "" && d.issuer === ""), {
    path: ["decision"],
    message: "Cần số quyết định khi có ngày ban hành, ngày hiệu lực hoặc cơ quan ban hành.",
  });

/** Validate an import's decision options: the decision (or none), or errors by field. */
export function importDecision(
  fields: z.input<typeof importDecisionSchema>,
): { ok: true; decision: DecisionInput | undefined } | { ok: false; errors: Record<string, string> } {
  const parsed = importDecisionSchema.safeParse(fields);
  if (!parsed.success) {
    const errors: Record<string, string> = {};
    for (const i of parsed.error.issues) errors[String(i.path[0] ?? "_")] ??= i.message;
    return { ok: false, errors };
  }
  const d = parsed.data;
  if (!d.decision) return { ok: true, decision: undefined };
  return {
    ok: true,
    decision: {
      number: d.decision,
      decidedOn: d.decidedOn || null,
      effectiveFrom: d.effectiveFrom || null,
      issuer: d.issuer || null,
    },
  };
}
