/** Every query of the questions feature. Askers' personal data (question_askers) is joined for staff only. */
import type { Kysely, Transaction } from "kysely";
import type { Database } from "../../core/db/schema.ts";

type Q = Kysely<Database> | Transaction<Database>;

export async function codeByIdempotencyKey(db: Q, wardId: number, key: string): Promise<string | null> {
  const row = await db
    .selectFrom("questions")
    .select("code")
    .where("ward_id", "=", wardId)
    .where("idempotency_key", "=", key)
    .executeTakeFirst();
  return row?.code ?? null;
}

export async function insertQuestion(
  trx: Q,
  q: {
    wardId: number;
    code: string;
    procedureCode: string | null;
    question: string;
    receivedAt: string;
    key: string | null;
  },
  asker: { name: string; email: string | null; phone: string | null; consentAt: string; consentText: string },
): Promise<number> {
  const { id } = await trx
    .insertInto("questions")
    .values({
      ward_id: q.wardId,
      code: q.code,
      procedure_code: q.procedureCode,
      question: q.question,
      status: "received",
      received_at: q.receivedAt,
      idempotency_key: q.key,
    })
    .returning("id")
    .executeTakeFirstOrThrow();
  await trx
    .insertInto("question_askers")
    .values({
      question_id: id,
      name: asker.name,
      email: asker.email,
      phone: asker.phone,
      consent_at: asker.consentAt,
      consent_text: asker.consentText,
    })
    .execute();
  return id;
}

/**
 * What the public reads of a published question: its reviewed public text (`public_question`) and public answer
 * (`public_answer`), never the question or the answer as typed; addressed by its public id, never its row id (read
 * here only to match search documents) or its tracking code; none without them.
 */
const PUBLIC_COLUMNS = [
  "id",
  "public_id",
  "public_question",
  "public_answer",
  "procedure_code",
  "published_at",
] as const;

function published(db: Q, wardId: number | readonly number[]) {
  return db
    .selectFrom("questions")
    .where("ward_id", "in", typeof wardId === "number" ? [wardId] : wardId)
    .where("status", "=", "published")
    .where("public_question", "is not", null)
    .where("public_answer", "is not", null)
    .where("public_id", "is not", null);
}

/** Published questions of a ward, newest first: no personal data. */
export function publishedOf(db: Q, wardId: number, limit = 500) {
  return published(db, wardId)
    .select([...PUBLIC_COLUMNS])
    .orderBy("published_at", "desc")
    .orderBy("id", "desc")
    .limit(limit)
    .execute();
}

/** The wards' questions published after `after` (an ISO instant), newest first: what the radio bulletin reads out. */
export function publishedSince(db: Q, wardIds: readonly number[], after: string, limit: number) {
  return published(db, wardIds)
    .select([...PUBLIC_COLUMNS])
    .where("published_at", ">", after)
    .orderBy("published_at", "desc")
    .orderBy("id", "desc")
    .limit(limit)
    .execute();
}

/** One published question of a ward by its public id: no personal data. */
export function publishedOne(db: Q, wardId: number, publicId: string) {
  return published(db, wardId)
    .select([...PUBLIC_COLUMNS])
    .where("public_id", "=", publicId)
    .executeTakeFirst();
}

/** The public id of a published question by its row id: old links (`/hoi-dap/12`) are redirected to it. */
export async function publicIdOf(db: Q, wardId: number, id: number): Promise<string | null> {
  const r = await published(db, wardId).select("public_id").where("id", "=", id).executeTakeFirst();
  return r?.public_id ?? null;
}
export type PublishedRow = NonNullable<Awaited<ReturnType<typeof publishedOne>>>;

/** A ward's questions for staff, newest first; `unitId` limits to one unit's (officers). */
/** `only`: the questions a report's figure counts (questions.figures.ts), then of `wardIds` (ward and predecessors). */
export function listForStaff(
  db: Q,
  wardId: number,
  unitId: number | null,
  limit = 200,
  only: { ids: number[]; wardIds: number[] } | null = null,
) {
  let query = db
    .selectFrom("questions")
    .leftJoin("org_units", "org_units.id", "questions.assigned_unit_id")
    .select([
      "questions.id",
      "questions.code",
      "questions.question",
      "questions.procedure_code",
      "questions.status",
      "questions.received_at",
      "org_units.name as unit_name",
    ])
    .where("questions.ward_id", "in", only ? only.wardIds : [wardId]);
  if (only) query = query.where("questions.id", "in", only.ids.length ? only.ids : [0]);
  if (unitId != null) query = query.where("questions.assigned_unit_id", "=", unitId);
  return query.orderBy("questions.received_at", "desc").orderBy("questions.id", "desc").limit(limit).execute();
}
export type StaffRow = Awaited<ReturnType<typeof listForStaff>>[number];

/** One question of a ward with its asker and unit: for staff handling it. */
export function itemForStaff(db: Q, wardId: number, id: number) {
  return db
    .selectFrom("questions")
    .innerJoin("question_askers", "question_askers.question_id", "questions.id")
    .leftJoin("org_units", "org_units.id", "questions.assigned_unit_id")
    .leftJoin("users", "users.id", "questions.approved_by")
    .selectAll("questions")
    .select([
      "question_askers.name",
      "question_askers.email",
      "question_askers.phone",
      "question_askers.erased_at",
      "question_askers.erased_reason",
      "org_units.name as unit_name",
      "users.display_name as approver_name",
    ])
    .where("questions.ward_id", "=", wardId)
    .where("questions.id", "=", id)
    .executeTakeFirst();
}
export type StaffItem = NonNullable<Awaited<ReturnType<typeof itemForStaff>>>;

export function stepsOf(db: Q, id: number) {
  return db
    .selectFrom("question_steps")
    .select(["from_status", "to_status", "at", "actor", "note", "round"])
    .where("question_id", "=", id)
    .orderBy("at")
    .orderBy("id")
    .execute();
}

export type Changes = Partial<{
  assigned_unit_id: number;
  answer_draft: string;
  answer_final: string;
  approved_by: number;
  published_at: string;
  public_question: string;
  public_answer: string;
  public_id: string;
  return_reason: string;
  /** A new round: only a send-back starts one. */
  round: number;
}>;

/**
 * The conditional UPDATE: moves the question only if it is still in `from`, in the same round (a request made on a
 * draft since sent back and redrafted does not act on the new one); true when this call moved it.
 */
export async function moveQuestion(
  trx: Q,
  wardId: number,
  id: number,
  from: { status: string; round: number },
  to: string,
  changes: Changes,
) {
  const r = await trx
    .updateTable("questions")
    .set({ ...changes, status: to })
    .where("id", "=", id)
    .where("ward_id", "=", wardId)
    .where("status", "=", from.status)
    .where("round", "=", from.round)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

export async function insertStep(
  trx: Q,
  s: {
    id: number;
    from: string;
    to: string;
    at: string;
    userId: number;
    actor: string;
    note: string | null;
    round: number;
  },
) {
  await trx
    .insertInto("question_steps")
    .values({
      question_id: s.id,
      from_status: s.from,
      to_status: s.to,
      at: s.at,
      user_id: s.userId,
      actor: s.actor,
      note: s.note,
      round: s.round,
    })
    .execute();
}

export async function setNotified(db: Q, id: number, channel: string) {
  await db.updateTable("questions").set({ notified_channel: channel }).where("id", "=", id).execute();
}

/** A unit of the ward, if it is one (the route step's choice). */
export function wardUnit(db: Q, wardId: number, unitId: number) {
  return db
    .selectFrom("org_units")
    .select(["id", "name"])
    .where("ward_id", "=", wardId)
    .where("id", "=", unitId)
    .executeTakeFirst();
}

/**
 * A question by its code, only when `phone` or `email` is the one its asker gave (and not erased): the asker's own
 * lookup. The caller passes at least one of them.
 */
export function findByCodeAndContact(db: Q, code: string, contact: { phone: string | null; email: string | null }) {
  return db
    .selectFrom("questions")
    .innerJoin("question_askers", "question_askers.question_id", "questions.id")
    .select([
      "questions.id",
      "questions.code",
      "questions.status",
      "questions.received_at",
      "questions.answer_final",
      "questions.published_at",
      "questions.public_id",
    ])
    .where("questions.code", "=", code)
    .where("question_askers.erased_at", "is", null)
    .where((eb) =>
      eb.or([
        ...(contact.phone ? [eb("question_askers.phone", "=", contact.phone)] : []),
        ...(contact.email ? [eb(eb.fn("lower", ["question_askers.email"]), "=", contact.email)] : []),
      ]),
    )
    .executeTakeFirst();
}
