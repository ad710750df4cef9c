/**
 * Survey rounds (đợt khảo sát). Staff close a round when they want the responses so far counted: the round covers
 * the responses sent since the previous round (or the start), gets the next number (UNIQUE per survey, so two
 * clicks close one round), and becomes one activity in the plan's ledger — channel "khảo sát", the number of
 * responses as its audience, the survey's unit as the one that did it — all in one transaction with the audit
 * record. Closing the last round may also close the survey to new answers.
 */
import type { Kysely } from "kysely";
import { type Actor, audit } from "../../core/audit.ts";
import type { Database } from "../../core/db/schema.ts";
import { vnToday } from "../../core/text/vi.ts";
import type { FieldErrors } from "../../core/web/validation.ts";
import { recordLedgerEntry } from "../plans/ledger.ts";
import { findSurvey } from "./surveys.service.ts";
import * as q from "./surveys.sql.ts";

type Db = Kysely<Database>;

export type RoundResult =
  | { ok: true; value: { roundNo: number | null; responses: number; closed: boolean } }
  | { ok: false; status: 400 | 404 | 409; errors: FieldErrors };

const fail = (status: 400 | 404 | 409, message: string): RoundResult => ({ ok: false, status, errors: { _: message } });

/** The ledger title of a round: "Khảo sát sự hài lòng: <tên>, <n> phiếu" (the round's number after the first). */
export function roundTitle(title: string, roundNo: number, responses: number): string {
  return `Khảo sát sự hài lòng: ${title}${roundNo > 1 ? ` (đợt ${roundNo})` : ""}, ${responses} phiếu`;
}

/**
 * Close the current round of a survey of `wardId` (and, with `closeSurvey`, stop taking answers). A round needs at
 * least one response; closing a survey with nothing new to count closes it without a round.
 */
export async function closeRound(
  db: Db,
  actor: Actor,
  user: { id: number; ward_id: number },
  surveyId: number,
  input: { closeSurvey: boolean },
  now: Date,
): Promise<RoundResult> {
  const survey = await findSurvey(db, surveyId, [user.ward_id]);
  if (!survey) return fail(404, "Không tìm thấy cuộc khảo sát.");
  const last = await q.lastRound(db, survey.id);
  const toAt = now.toISOString();
  const fromAt = last?.to_at ?? null;
  const responses = await q.countResponsesBetween(db, survey.id, fromAt, toAt);
  if (responses === 0 && !(input.closeSurvey && survey.open))
    return fail(
      survey.open ? 400 : 409,
      survey.open
        ? "Chưa có phiếu nào kể từ đợt trước: chưa có gì để tổng hợp."
        : "Cuộc khảo sát đã kết thúc và mọi phiếu đã được tổng hợp.",
    );
  const roundNo = responses > 0 ? (last?.round_no ?? 0) + 1 : null;
  try {
    return await db.transaction().execute(async (trx) => {
      let activityId: number | null = null;
      if (roundNo != null) {
        await q.insertRound(trx, {
          survey_id: survey.id,
          round_no: roundNo,
          from_at: fromAt,
          to_at: toAt,
          responses,
          closed_by: user.id,
        });
        const entry = await recordLedgerEntry(
          trx,
          actor,
          {
            wardId: survey.ward_id,
            orgUnitId: survey.org_unit_id,
            topic: "survey",
            title: roundTitle(survey.title, roundNo, responses),
            occurredOn: vnToday(now),
            audience: responses,
            source: "survey",
            sourceRef: `${survey.id}:${roundNo}`,
            createdBy: user.id,
          },
          now,
        );
        activityId = entry.activityId;
      }
      const closed = input.closeSurvey ? await q.closeSurvey(trx, survey.id) : false;
      await audit(
        trx,
        actor,
        {
          action: "survey.round.close",
          entity: "survey",
          entityId: survey.id,
          before: { open: survey.open === 1, lastRound: last?.round_no ?? 0 },
          after: { open: survey.open === 1 && !closed, roundNo, fromAt, toAt, responses, activityId },
        },
        now,
      );
      return { ok: true as const, value: { roundNo, responses, closed } };
    });
  } catch (err) {
    // Another request closed this round first (UNIQUE survey_id, round_no).
    const now2 = await q.lastRound(db, survey.id);
    if (roundNo != null && now2 && now2.round_no >= roundNo)
      return fail(409, `Đợt ${roundNo} của cuộc khảo sát này vừa được kết thúc. Hãy tải lại trang.`);
    throw err;
  }
}

/** For the staff list: per survey, rounds closed and responses not yet counted in a round. */
export async function roundStatus(db: Db, wardId: number, surveyIds: number[], now: Date) {
  const rounds = new Map((await q.roundsOfWard(db, wardId)).map((r) => [r.surveyId, r]));
  const out = new Map<number, { rounds: number; pending: number }>();
  for (const id of surveyIds) {
    const r = rounds.get(id);
    out.set(id, {
      rounds: r?.rounds ?? 0,
      pending: await q.countResponsesBetween(db, id, r?.lastToAt ?? null, now.toISOString()),
    });
  }
  return out;
}
