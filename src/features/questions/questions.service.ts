/**
 * Questions (hỏi đáp): a citizen asks (once per form token, audited), staff route the question to a unit, an
 * officer of that unit (or a coordinator) drafts the answer, a leader approves it or sends it back with a reason
 * (the unit drafts again, in a new round), and publishing makes it a public FAQ entry — the question as staff
 * reviewed it for the public, personal data masked — a site-search document of kind "answer" (scoped to the ward)
 * and a notification to the asker. Each step is one transaction — conditional UPDATE on status and round, step row
 * unique per round, audit record — so it happens exactly once.
 */
import type { Kysely } from "kysely";
import type { Logger } from "pino";
import { type Actor, audit } from "../../core/audit.ts";
import type { Role } from "../../core/auth/roles.ts";
import type { Db as Connection } from "../../core/db/connection.ts";
import type { Database } from "../../core/db/schema.ts";
import type { Notifier } from "../../core/notify.ts";
import { normaliseTrackingCode } from "../../core/text/tracking-code.ts";
import { vnToday } from "../../core/text/vi.ts";
import type { Ward } from "../../core/web/context.ts";
import { fileOnce } from "../../core/web/public-forms.ts";
import type { StepResult } from "../../core/workflow.ts";
import { actorOf, answerable, type PublishInput, type Staff } from "../answerable/answerable.workflow.ts";
import { normalisePhone } from "../feedback/feedback.schemas.ts";
import { answerEntry, recordLedgerEntry } from "../plans/ledger.ts";
import { consentText } from "../privacy/consent.ts";
import { allMatches, fresh } from "../search/search.service.ts";
import { nextSearchSeq, writeSearchDoc } from "../search/search.sql.ts";
import { type LookupInput, type QuestionInput, STATUS_LABELS } from "./questions.schemas.ts";
import * as q from "./questions.sql.ts";

type Db = Kysely<Database>;

/** Who files a citizen's question in the audit trail: nobody signed in, and no personal data. */
const publicActor = (wardId: number): Actor => ({ userId: null, name: "public", wardId });

/** The public address of a published entry (by its public id), without the ward's base. */
export const answerPath = (publicId: string) => `/hoi-dap/${publicId}`;

/** File a question; a key the ward already used returns that question's code and files nothing. */
export async function submitQuestion(
  db: Db,
  input: QuestionInput & { wardId: number; idempotencyKey: string | null },
  now: Date,
): Promise<{ code: string; created: boolean }> {
  const { wardId, idempotencyKey: key } = input;
  return fileOnce({
    prefix: "HD",
    now,
    key,
    findByKey: (k) => q.codeByIdempotencyKey(db, wardId, k),
    insert: (code) =>
      db.transaction().execute(async (trx) => {
        const id = await q.insertQuestion(
          trx,
          {
            wardId,
            code,
            procedureCode: input.procedureCode ?? null,
            question: input.question,
            receivedAt: now.toISOString(),
            key,
          },
          {
            name: input.name,
            email: input.email ?? null,
            phone: input.phone ?? null,
            consentAt: now.toISOString(),
            // The text in force when it was sent: the ward may have edited it since the form was shown.
            consentText: await consentText(trx, "question", wardId),
          },
        );
        await audit(
          trx,
          publicActor(wardId),
          {
            action: "question.receive",
            entity: "question",
            entityId: id,
            after: { code, procedureCode: input.procedureCode ?? null },
          },
          now,
        );
      }),
  });
}

// --- The asker's lookup --------------------------------------------------------------------------------------

/** What an asker sees of their own question: where it stands, and the answer once it is published. */
export interface QuestionStatus {
  code: string;
  status: string;
  receivedAt: string;
  answer?: string;
  publishedAt?: string;
  /** The public FAQ entry, without the ward's base. */
  url?: string;
}

/**
 * A question's status for its asker: the code and the phone or e-mail they gave must both match (null otherwise,
 * whichever was wrong). Once published, the answer as approved (it is their own question) and the public entry.
 */
/**
 * What a failed lookup counts against (core/web/public-forms.ts `limitedLookup`): the phone or e-mail given and the
 * code — so a known contact cannot be tried against many codes, nor a code against many contacts, from any address.
 */
export function questionLookupSubjects(input: LookupInput): string[] {
  const contact = input.contact.includes("@")
    ? input.contact.trim().toLowerCase()
    : (normalisePhone(input.contact) ?? input.contact.trim());
  return [`contact:${contact}`, `code:${normaliseTrackingCode(input.code) ?? input.code.trim()}`];
}

export async function lookupQuestion(db: Db, input: LookupInput): Promise<QuestionStatus | null> {
  const code = normaliseTrackingCode(input.code);
  if (!code?.startsWith("HD-")) return null;
  const contact = input.contact.includes("@")
    ? { phone: null, email: input.contact.toLowerCase() }
    : { phone: normalisePhone(input.contact), email: null };
  if (!contact.phone && !contact.email) return null;
  const row = await q.findByCodeAndContact(db, code, contact);
  if (!row) return null;
  const out: QuestionStatus = { code: row.code, status: row.status, receivedAt: row.received_at };
  if (row.status === "published" && row.published_at) {
    out.answer = row.answer_final ?? "";
    out.publishedAt = row.published_at;
    if (row.public_id) out.url = answerPath(row.public_id);
  }
  return out;
}

// --- Public reading -------------------------------------------------------------------------------------------

export interface PublicEntry {
  /** The public id: never the row id or the tracking code. */
  id: string;
  question: string;
  answer: string;
  procedureCode: string | null;
  publishedOn: string;
}

const entryOf = (r: q.PublishedRow): PublicEntry => ({
  id: r.public_id ?? "",
  question: r.public_question ?? "",
  answer: r.public_answer ?? "",
  procedureCode: r.procedure_code,
  publishedOn: vnToday(new Date(r.published_at ?? 0)),
});

/** The ward's published entries, newest first; with a query, those the site search finds for it, best first. */
export async function findPublished(db: Connection, ward: Ward, query?: string): Promise<PublicEntry[]> {
  const rows = await q.publishedOf(db.kysely, ward.unit.id);
  if (!query) return rows.map(entryOf);
  const byId = new Map(rows.map((r) => [`answer:${r.id}`, entryOf(r)]));
  return allMatches(await fresh(db), ward, query, ["answer"]).flatMap((id) => byId.get(id) ?? []);
}

export async function publishedEntry(db: Db, wardId: number, publicId: string): Promise<PublicEntry | null> {
  const r = await q.publishedOne(db, wardId, publicId);
  return r ? entryOf(r) : null;
}

/** The public id of a published entry by its row id (old links), or null. */
export const publicIdOf = (db: Db, wardId: number, id: number) => q.publicIdOf(db, wardId, id);

// --- The staff workflow ---------------------------------------------------------------------------------------

export type StepName = "route" | "draft" | "approve" | "sendBack" | "publish";
const NEXT_STEP: Record<string, StepName> = {
  received: "route",
  routed: "draft",
  drafted: "approve",
  approved: "publish",
};
/** The status each step starts from (a drafted question can be approved or sent back). */
const STEP_FROM: Record<StepName, string> = {
  route: "received",
  draft: "routed",
  approve: "drafted",
  sendBack: "drafted",
  publish: "approved",
};

export type WorkflowResult = StepResult;

export const NOT_FOUND_TEXT = "Không tìm thấy câu hỏi này.";
export const FORBIDDEN_TEXT = "Câu hỏi này không giao cho đơn vị của bạn.";

/** A question as an answerable item: its tables and words for the shared steps (src/features/answerable). */
const steps = answerable<q.StaffItem, q.Changes>({
  store: {
    entity: "question",
    notFound: NOT_FOUND_TEXT,
    wrongState: (status, what) =>
      `Câu hỏi đang ở trạng thái “${STATUS_LABELS[status] ?? status}”, không thể ${what}. Hãy tải lại trang.`,
    load: q.itemForStaff,
    move: q.moveQuestion,
    insertStep: q.insertStep,
  },
  permission: "question",
  stepFrom: STEP_FROM,
  answering: "routed",
  approved: "approved",
  // The asker gives no address.
  known: (item) => ({ name: item.name, phone: item.phone, email: item.email }),
  citizenText: { field: "publicQuestion", label: "Câu hỏi công khai", of: (item) => item.question },
  publicTextChange: (text) => ({ public_question: text }),
});

/** Whether this staff member may take this step on a question routed to `unitId` (officers: their unit only). */
export const mayTake = (user: Staff, step: StepName, unitId: number | null) => steps.mayTake(user, step, unitId);

export function routeQuestion(db: Db, user: Staff, id: number, unitId: number, now: Date) {
  return steps.step(db, user, id, "route", "chuyển đơn vị trả lời", now, async () => {
    const unit = await q.wardUnit(db, user.ward_id, unitId);
    if (!unit) return { ok: false, status: 400, errors: { unitId: "Chọn một đơn vị của phường." } };
    return {
      to: "routed",
      changes: { assigned_unit_id: unit.id },
      note: unit.name,
      after: { status: "routed", unitId: unit.id },
    };
  });
}

export const draftAnswer = steps.draftAnswer;
export const approveAnswer = steps.approve;
/** A leader sends the draft back to the unit with the reason: routed again, in a new round. */
export const sendBack = steps.sendBack;

/** A search title: the question's first line, at most 160 characters. */
function titleOf(question: string): string {
  const first = [...(question.split("\n")[0] ?? "").trim()];
  return first.length > 160 ? `${first.slice(0, 157).join("")}…` : first.join("");
}

/**
 * Publish the approved answer: the FAQ entry — the question and the answer as staff reviewed them for the public,
 * both through the redaction check (see answerable.publication.ts), under a new public id — and its search document
 * in the step's transaction; then the asker is notified (e-mail when configured, with their question as they wrote
 * it) and the outcome audited, without the address. A failed notification never undoes the publication.
 */
export async function publishAnswer(
  db: Db,
  user: Staff,
  id: number,
  input: PublishInput,
  now: Date,
  notify: { notifier: Notifier; log: Logger; publicUrl: string | null; wardBase: string },
): Promise<WorkflowResult> {
  let published: { item: q.StaffItem; publicId: string } | null = null;
  const r = await steps.publish(db, user, id, input, now, async (trx, item, pub) => {
    published = { item, publicId: pub.publicId };
    await writeSearchDoc(
      trx,
      {
        key: `answer:${item.id}`,
        kind: "answer",
        title: titleOf(pub.text),
        body: `${pub.text}\n${pub.answer}`,
        keywords: item.procedure_code ?? "",
        url: answerPath(pub.publicId),
        scope: `unit:${item.ward_id}`,
      },
      await nextSearchSeq(trx),
    );
    await recordLedgerEntry(trx, actorOf(user), answerEntry("question", item, user.id, vnToday(now)), now);
  });
  const done = published as { item: q.StaffItem; publicId: string } | null;
  if (!r.ok || !done) return r;
  const { item, publicId } = done;
  const link = `${notify.publicUrl?.replace(/\/$/, "") ?? ""}${notify.wardBase}${answerPath(publicId)}`;
  let delivery = { delivered: false, channel: "none" };
  try {
    delivery = await notify.notifier.send(
      { email: item.email ?? undefined, phone: item.phone ?? undefined },
      {
        subject: `Trả lời câu hỏi ${item.code}`,
        text: [
          `Câu hỏi ${item.code} của bạn đã được trả lời.`,
          "",
          "Câu hỏi:",
          item.question,
          "",
          "Trả lời:",
          item.answer_final ?? "",
          "",
          `Xem tại: ${link}`,
        ].join("\n"),
      },
    );
  } catch (err) {
    notify.log.warn({ event: "question.notify_failed", id: item.id, message: (err as Error).message }, "notify failed");
  }
  await db.transaction().execute(async (trx) => {
    await q.setNotified(trx, item.id, delivery.delivered ? delivery.channel : "none");
    await audit(
      trx,
      actorOf(user),
      { action: "question.notify", entity: "question", entityId: item.id, after: delivery },
      now,
    );
  });
  return r;
}

/** One question for staff handling it, with its history, the ward's units and the step this user may take next. */
export async function staffItem(db: Db, user: Staff, id: number) {
  const item = await q.itemForStaff(db, user.ward_id, id);
  if (!item) return null;
  if (
    (user.role as Role) === "officer" &&
    (item.assigned_unit_id == null || item.assigned_unit_id !== user.org_unit_id)
  )
    return "forbidden" as const;
  const next = NEXT_STEP[item.status];
  const mayNext = next && mayTake(user, next, item.assigned_unit_id) ? next : null;
  return {
    item,
    steps: await q.stepsOf(db, id),
    units: await db
      .selectFrom("org_units")
      .select(["id", "name"])
      .where("ward_id", "=", user.ward_id)
      .orderBy("name")
      .execute(),
    next: mayNext,
    /** For the publish form: the question with personal data masked, for staff to check. */
    publicDraft: mayNext === "publish" ? steps.suggestedPublication(item) : null,
  };
}
export type StaffItemData = Exclude<NonNullable<Awaited<ReturnType<typeof staffItem>>>, "forbidden">;

/** The staff list: officers see the questions routed to their unit only. */
export function staffList(db: Db, user: Staff, only: { ids: number[]; wardIds: number[] } | null = null) {
  const officer = (user.role as Role) === "officer";
  if (officer && user.org_unit_id == null) return Promise.resolve([]);
  return q.listForStaff(db, user.ward_id, officer ? user.org_unit_id : null, only ? 1000 : 200, only);
}
