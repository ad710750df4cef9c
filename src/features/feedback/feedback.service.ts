import type { Kysely } from "kysely";
import { type Actor, audit } from "../../core/audit.ts";
import { can, type Role } from "../../core/auth/roles.ts";
import type { Database } from "../../core/db/schema.ts";
import { type PreparedUpload, saveFileRow } from "../../core/files.ts";
import { normaliseTrackingCode } from "../../core/text/tracking-code.ts";
import { fileOnce } from "../../core/web/public-forms.ts";
import { consentText as consentInForce } from "../privacy/consent.ts";
import { type Channel, FEEDBACK_FILE_OWNER, type FeedbackInput, normalisePhone } from "./feedback.schemas.ts";
import * as q from "./feedback.sql.ts";

type Db = Kysely<Database>;

/** Who files a citizen's own feedback in the audit trail: nobody signed in, and no personal data. */
const publicActor = (wardId: number): Actor => ({ userId: null, name: "public", wardId });

/** Who typed in an item received off the web, and when it reached the ward. */
export interface StaffEntry {
  user: { id: number; username: string };
  /** ISO instant the ward received it (the day the citizen came, phoned or wrote). */
  receivedAt: string;
}

/**
 * File one feedback item, with its attachments already in the file store; a key already used by the ward returns
 * that item's code and files nothing. `entry`: typed in by staff (audited as them, `entered_by` recorded).
 */
export async function submitFeedback(
  db: Db,
  input: FeedbackInput & {
    wardId: number;
    channel: Channel;
    idempotencyKey: string | null;
    files?: readonly PreparedUpload[];
    entry?: StaffEntry;
    /** What the sender agreed to, as recorded with the item; default: the ward's text in force (privacy/consent.ts). */
    consentText?: string;
  },
  now: Date,
): Promise<{ code: string; created: boolean }> {
  const { wardId, idempotencyKey: key } = input;
  return fileOnce({
    prefix: "PA",
    now,
    key,
    findByKey: (k) => q.codeByIdempotencyKey(db, wardId, k),
    insert: (code) =>
      db.transaction().execute(async (trx) => {
        const id = await q.insertItem(
          trx,
          {
            wardId,
            code,
            subject: input.subject,
            contentType: input.contentType,
            procedureCode: input.procedureCode ?? null,
            content: input.content,
            channel: input.channel,
            receivedAt: input.entry?.receivedAt ?? now.toISOString(),
            idempotencyKey: key,
            enteredBy: input.entry?.user.id ?? null,
          },
          {
            name: input.name,
            address: input.address,
            phone: input.phone,
            email: input.email ?? null,
            consentAt: now.toISOString(),
            // The text in force when it was sent: the ward may have edited it since the form was shown.
            consentText: input.consentText ?? (await consentInForce(trx, "feedback", wardId)),
          },
        );
        const fileIds: number[] = [];
        for (const f of input.files ?? []) {
          const row = await saveFileRow(
            trx,
            f,
            { wardId, userId: input.entry?.user.id ?? null, owner: { kind: FEEDBACK_FILE_OWNER, id } },
            now,
          );
          await q.linkFile(trx, id, row.id);
          fileIds.push(row.id);
        }
        // The trail names no sender: what was filed, how, by whom on staff, and which files (ids, not names).
        const { entry } = input;
        await audit(
          trx,
          entry ? { userId: entry.user.id, name: entry.user.username, wardId } : publicActor(wardId),
          {
            action: "feedback.receive",
            entity: "feedback",
            entityId: id,
            after: {
              code,
              subject: input.subject,
              contentType: input.contentType,
              channel: input.channel,
              ...(entry ? { enteredBy: entry.user.id, receivedAt: entry.receivedAt } : {}),
              ...(fileIds.length ? { files: fileIds } : {}),
            },
          },
          now,
        );
      }),
  });
}

export interface FeedbackStatus {
  code: string;
  status: string;
  receivedAt: string;
  /** The working-day deadline (ISO date) once the item is classified; null before, and for a rejected item. */
  deadline: string | null;
  /** Why it was not accepted (rejected), or the body it was forwarded to (forwarded). */
  reason?: string;
  forwardedTo?: string;
  /** The approved answer and its publication time, once published. */
  answer?: string;
  publishedAt?: string;
  /** Each status the item reached and when, oldest first, from its receipt: the sender follows every step. */
  history: { status: string; at: string }[];
}

/** What a failed lookup counts against (core/web/public-forms.ts `limitedLookup`): the phone given and the code. */
export function lookupSubjects(code: string, phone: string): string[] {
  return [`phone:${normalisePhone(phone) ?? phone.trim()}`, `code:${normaliseTrackingCode(code) ?? code.trim()}`];
}

/**
 * An item's status, when the code and the sender's phone both match; null otherwise, whichever was wrong. The
 * sender sees what the law asks the ward to tell them: the deadline, the reason for not accepting it, where it was
 * forwarded, and the published answer.
 */
export async function lookupFeedback(db: Db, code: string, phone: string): Promise<FeedbackStatus | null> {
  const c = normaliseTrackingCode(code);
  const p = normalisePhone(phone);
  if (!c || !p) return null;
  const row = await q.findByCodeAndPhone(db, c, p);
  if (!row) return null;
  const status: FeedbackStatus = {
    code: row.code,
    status: row.status,
    receivedAt: row.received_at,
    deadline: row.status === "rejected" ? null : (row.due_on ?? null),
    history: [
      { status: "received", at: row.received_at },
      ...(await q.stepsOf(db, row.id)).map((s) => ({ status: s.to_status, at: s.at })),
    ],
  };
  if (row.status === "rejected" && row.reason) status.reason = row.reason;
  if (row.status === "forwarded" && row.forwarded_to) status.forwardedTo = row.forwarded_to;
  if (row.status === "published" && row.answer_final && row.published_at) {
    status.answer = row.answer_final;
    status.publishedAt = row.published_at;
  }
  return status;
}

/**
 * The latest items of a ward with their senders' names and phones, for the staff list: the whole ward for staff
 * holding "feedback.read"; for an officer, only the items assigned to their unit (none without a unit).
 */
export async function listFeedback(
  db: Db,
  user: { role: string; ward_id: number; org_unit_id: number | null },
  limit = 200,
  filter: q.FeedbackListFilter = {},
) {
  if (can(user.role as Role, "feedback.read")) return q.listWithSenders(db, user.ward_id, null, limit, filter);
  if (!can(user.role as Role, "feedback.open") || user.org_unit_id == null) return [];
  return q.listWithSenders(db, user.ward_id, user.org_unit_id, limit, filter);
}
export type FeedbackRow = Awaited<ReturnType<typeof listFeedback>>[number];
