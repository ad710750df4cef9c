/**
 * The personal-data side of questions, for the privacy feature (find a person's items, export, erase, retention): the
 * only queries outside this feature that touch the askers (question_askers). Kept here so the feature that owns the tables owns their SQL.
 */
import type { Kysely, Transaction } from "kysely";
import type { Database } from "../../core/db/schema.ts";
import { CLOSED_QUESTION } from "./questions.schemas.ts";

type Q = Kysely<Database> | Transaction<Database>;

/** A ward's questions whose code, or whose asker's phone, is the one given. */
export function matchesOfPerson(db: Q, wardId: number, by: { code?: string; phone?: string }) {
  let query = db
    .selectFrom("questions")
    .innerJoin("question_askers", "question_askers.question_id", "questions.id")
    .select([
      "questions.id",
      "questions.code",
      "questions.status",
      "questions.received_at",
      "questions.question as content",
      "question_askers.name",
      "question_askers.phone",
      "question_askers.erased_at",
      "question_askers.erased_reason",
    ])
    .where("questions.ward_id", "=", wardId);
  if (by.code) query = query.where("questions.code", "=", by.code);
  if (by.phone) query = query.where("question_askers.phone", "=", by.phone);
  return query.orderBy("questions.received_at", "desc").orderBy("questions.id", "desc").execute();
}

/** Everything held about the askers of these questions of a ward, with the questions themselves. */
export function forExport(db: Q, wardId: number, ids: number[]) {
  if (ids.length === 0) return Promise.resolve([]);
  return db
    .selectFrom("questions")
    .innerJoin("question_askers", "question_askers.question_id", "questions.id")
    .select([
      "questions.id",
      "questions.code",
      "questions.procedure_code",
      "questions.question",
      "questions.status",
      "questions.received_at",
      "questions.answer_final",
      "questions.published_at",
      "question_askers.name",
      "question_askers.email",
      "question_askers.phone",
      "question_askers.consent_at",
      "question_askers.consent_text",
      "question_askers.erased_at",
      "question_askers.erased_reason",
    ])
    .where("questions.ward_id", "=", wardId)
    .where("questions.id", "in", ids)
    .orderBy("questions.id")
    .execute();
}

export function stepsForExport(db: Q, ids: number[]) {
  if (ids.length === 0) return Promise.resolve([]);
  return db
    .selectFrom("question_steps")
    .select(["question_id as item_id", "to_status", "at"])
    .where("question_id", "in", ids)
    .orderBy("at")
    .orderBy("id")
    .execute();
}

/** A question's ward and code (any ward when `wardId` is null, for the retention purge). */
export function head(db: Q, id: number, wardId: number | null) {
  let query = db.selectFrom("questions").select(["id", "ward_id", "code"]).where("id", "=", id);
  if (wardId != null) query = query.where("ward_id", "=", wardId);
  return query.executeTakeFirst();
}

/** Blank the asker's fields and mark when and why, only if not erased yet: true when this call erased them. */
export async function erase(trx: Q, id: number, at: string, reason: string): Promise<boolean> {
  const r = await trx
    .updateTable("question_askers")
    .set({ name: "", email: null, phone: null, erased_at: at, erased_reason: reason })
    .where("question_id", "=", id)
    .where("erased_at", "is", null)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

/** The question as the asker wrote it, with their own fields, while not yet erased. */
export function ownText(trx: Q, id: number) {
  return trx
    .selectFrom("questions")
    .innerJoin("question_askers", "question_askers.question_id", "questions.id")
    .select(["question as text", "name", "phone", "email"])
    .where("questions.id", "=", id)
    .where("question_askers.erased_at", "is", null)
    .executeTakeFirst();
}

export async function setOwnText(trx: Q, id: number, text: string): Promise<void> {
  await trx.updateTable("questions").set({ question: text }).where("id", "=", id).execute();
}

/**
 * Closed items of every ward whose personal data is still held, with when they reached their status: the
 * retention purge's candidates (the pure `dueForErasure` decides). `before` narrows to items received before it.
 */
export function retentionCandidates(db: Q, before: string) {
  return db
    .selectFrom("questions")
    .innerJoin("question_askers", "question_askers.question_id", "questions.id")
    .leftJoin("question_steps", (j) =>
      j
        .onRef("question_steps.question_id", "=", "questions.id")
        .onRef("question_steps.to_status", "=", "questions.status"),
    )
    .select([
      "questions.id",
      "questions.ward_id",
      "questions.code",
      "questions.status",
      "questions.received_at",
      "questions.published_at",
      "question_steps.at as step_at",
      "question_askers.erased_at",
    ])
    .where("question_askers.erased_at", "is", null)
    .where("questions.status", "in", [...CLOSED_QUESTION])
    .where("questions.received_at", "<", before)
    .orderBy("questions.id")
    .execute();
}
