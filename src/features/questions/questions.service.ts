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
import { can, type Role } from "../../core/auth/roles.ts";
import type { Db as Connection } from "../../core/db/connection.ts";
import type { Database, User } from "../../core/db/schema.ts";
import type { Notifier } from "../../core/notify.ts";
import { countPersonal, findPersonal, type KnownPersonal, MASKS, redact } from "../../core/text/redact.ts";
import { vnToday } from "../../core/text/vi.ts";
import type { Ward } from "../../core/web/context.ts";
import { fileOnce } from "../../core/web/public-forms.ts";
import { type StepPlan, type StepResult, takeStep, type WorkflowStore } from "../../core/workflow.ts";
import { answerEntry, recordLedgerEntry } from "../plans/ledger.ts";
import { consentText } from "../privacy/consent.ts";
import { allMatches, fresh } from "../search/search.service.ts";
import { nextSearchSeq, writeSearchDoc } from "../search/search.sql.ts";
import { type QuestionInput, STATUS_LABELS } from "./questions.schemas.ts";
import * as q from "./questions.sql.ts";

type Db = Kysely<Database>;
type Staff = Pick<User, "id" | "username" | "role" | "ward_id" | "org_unit_id">;

/** Who files a citizen's question in the audit trail: nobody signed in, and no personal data. */
const publicActor = (wardId: number): Actor => ({ userId: null, name: "public", wardId });
const actorOf = (u: Staff): Actor => ({ userId: u.id, name: u.username, wardId: u.ward_id });

/** The public address of a published entry, without the ward's base. */
export const answerPath = (id: number) => `/hoi-dap/${id}`;

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

// --- Public reading -------------------------------------------------------------------------------------------

export interface PublicEntry {
  id: number;
  question: string;
  answer: string;
  procedureCode: string | null;
  publishedOn: string;
}

const entryOf = (r: q.PublishedRow): PublicEntry => ({
  id: r.id,
  question: r.public_question ?? "",
  answer: r.answer_final ?? "",
  procedureCode: r.procedure_code,
  publishedOn: vnToday(new Date(r.published_at ?? 0)),
});

export async function publishedEntries(db: Db, wardId: number): Promise<PublicEntry[]> {
  return (await q.publishedOf(db, wardId)).map(entryOf);
}

/** The ward's published entries, newest first; with a query, those the site search finds for it, best first. */
export async function findPublished(db: Connection, ward: Ward, query?: string): Promise<PublicEntry[]> {
  const entries = await publishedEntries(db.kysely, ward.unit.id);
  if (!query) return entries;
  const byId = new Map(entries.map((e) => [`answer:${e.id}`, e]));
  return allMatches(await fresh(db), ward, query, ["answer"]).flatMap((id) => byId.get(id) ?? []);
}

export async function publishedEntry(db: Db, wardId: number, id: number): Promise<PublicEntry | null> {
  const r = await q.publishedOne(db, wardId, id);
  return r ? entryOf(r) : null;
}

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

const _fail = (status: 400 | 403 | 404 | 409, message: string): WorkflowResult => ({
  ok: false,
  status,
  errors: { _: message },
});
export const NOT_FOUND_TEXT = "Không tìm thấy câu hỏi này.";
export const FORBIDDEN_TEXT = "Câu hỏi này không giao cho đơn vị của bạn.";

/** Whether this staff member may take this step on a question routed to `unitId` (officers: their unit only). */
export function mayTake(user: Staff, step: StepName, unitId: number | null): boolean {
  const role = user.role as Role;
  if (step === "approve" || step === "sendBack") return can(role, "question.approve");
  if (step === "draft")
    return can(role, "question.draft") && (role !== "officer" || (unitId != null && unitId === user.org_unit_id));
  return can(role, "question.handle");
}

/** The questions' tables and words for the shared step runner (src/core/workflow.ts). */
const store: WorkflowStore<q.StaffItem, q.Changes> = {
  entity: "question",
  notFound: NOT_FOUND_TEXT,
  wrongState: (status, what) =>
    `Câu hỏi đang ở trạng thái “${STATUS_LABELS[status] ?? status}”, không thể ${what}. Hãy tải lại trang.`,
  load: q.itemForStaff,
  move: q.moveQuestion,
  insertStep: q.insertStep,
};

/** Move a question one step (see `takeStep`). */
function step(
  db: Db,
  user: Staff,
  id: number,
  name: StepName,
  what: string,
  now: Date,
  plan: (item: q.StaffItem) => Promise<StepPlan<q.Changes> | WorkflowResult>,
): Promise<WorkflowResult> {
  return takeStep(
    db,
    store,
    user,
    id,
    { name, what, from: STEP_FROM[name], allowed: (item) => mayTake(user, name, item.assigned_unit_id) },
    now,
    plan,
  );
}

export function routeQuestion(db: Db, user: Staff, id: number, unitId: number, now: Date) {
  return step(db, user, id, "route", "chuyển đơn vị trả lời", now, async () => {
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

export function draftAnswer(db: Db, user: Staff, id: number, answer: string, now: Date) {
  return step(db, user, id, "draft", "soạn dự thảo trả lời", now, async () => ({
    to: "drafted",
    changes: { answer_draft: answer },
    note: null,
    after: { status: "drafted", answer },
  }));
}

export function approveAnswer(db: Db, user: Staff, id: number, now: Date) {
  return step(db, user, id, "approve", "phê duyệt", now, async (item) => ({
    to: "approved",
    changes: { answer_final: item.answer_draft ?? "", approved_by: user.id },
    note: null,
    after: { status: "approved" },
  }));
}

/**
 * A leader sends the draft back to the unit with the reason: routed again, in a new round, the draft kept for the
 * unit to revise.
 */
export function sendBack(db: Db, user: Staff, id: number, reason: string, now: Date) {
  return step(db, user, id, "sendBack", "trả lại để sửa", now, async (item) => ({
    to: "routed",
    changes: { return_reason: reason, round: item.round + 1 },
    note: reason,
    after: { status: "routed", round: item.round + 1, reason },
  }));
}

/** The asker's own data, to find in their question (empty once erased). */
const knownOf = (item: KnownPersonal): KnownPersonal => ({ name: item.name, phone: item.phone, email: item.email });

/** What the publish form offers: the question with personal data masked, and how much was masked. */
export function suggestedPublicQuestion(item: { question: string } & KnownPersonal) {
  return {
    text: redact(item.question, knownOf(item)),
    masked: countPersonal(findPersonal(item.question, knownOf(item))),
  };
}

const KIND_WORDS: Record<keyof typeof MASKS, string> = {
  name: "họ tên",
  address: "địa chỉ",
  phone: "số điện thoại",
  email: "thư điện tử",
  id: "số giấy tờ",
};

/** A search title: the question's first line, at most 160 characters. */
function titleOf(question: string): string {
  const first = [...(question.split("\n")[0] ?? "").trim()];
  return first.length > 160 ? `${first.slice(0, 157).join("")}…` : first.join("");
}

/**
 * Publish the approved answer: the FAQ entry — with the question as staff reviewed it for the public
 * (`publicQuestion`; null: the automatic redaction, for a client that sends none; the asker's own name, phone or
 * e-mail left in it are refused) — and its search document in the step's transaction; then the asker is notified
 * (email when configured, with their question as they wrote it) and the outcome audited, without the address. A
 * failed notification never undoes the publication.
 */
export async function publishAnswer(
  db: Db,
  user: Staff,
  id: number,
  publicQuestion: string | null,
  now: Date,
  notify: { notifier: Notifier; log: Logger; publicUrl: string | null; wardBase: string },
): Promise<WorkflowResult> {
  let published: q.StaffItem | null = null;
  const r = await step(db, user, id, "publish", "công bố", now, async (item) => {
    const text = publicQuestion ?? suggestedPublicQuestion(item).text;
    const left = [...new Set(findPersonal(text, knownOf(item), { patterns: false }).map((s) => KIND_WORDS[s.kind]))];
    if (left.length)
      return {
        ok: false,
        status: 400,
        errors: {
          publicQuestion: `Câu hỏi công khai còn ${left.join(", ")} của người hỏi: hãy thay bằng ${MASKS.name}, ${MASKS.phone}… rồi công bố.`,
        },
      };
    published = item;
    return {
      to: "published",
      changes: { published_at: now.toISOString(), public_question: text },
      note: null,
      after: { status: "published", publicQuestion: text },
      also: async (trx) => {
        await writeSearchDoc(
          trx,
          {
            key: `answer:${item.id}`,
            kind: "answer",
            title: titleOf(text),
            body: `${text}\n${item.answer_final ?? ""}`,
            keywords: [item.code, item.procedure_code ?? ""].join(" ").trim(),
            url: answerPath(item.id),
            scope: `unit:${item.ward_id}`,
          },
          await nextSearchSeq(trx),
        );
        await recordLedgerEntry(trx, actorOf(user), answerEntry("question", item, user.id, vnToday(now)), now);
      },
    };
  });
  const item = published as q.StaffItem | null;
  if (!r.ok || !item) return r;
  const link = `${notify.publicUrl?.replace(/\/$/, "") ?? ""}${notify.wardBase}${answerPath(item.id)}`;
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
    publicDraft: mayNext === "publish" ? suggestedPublicQuestion(item) : null,
  };
}
export type StaffItemData = Exclude<NonNullable<Awaited<ReturnType<typeof staffItem>>>, "forbidden">;

/** The staff list: officers see the questions routed to their unit only. */
export function staffList(db: Db, user: Staff) {
  const officer = (user.role as Role) === "officer";
  if (officer && user.org_unit_id == null) return Promise.resolve([]);
  return q.listForStaff(db, user.ward_id, officer ? user.org_unit_id : null);
}
