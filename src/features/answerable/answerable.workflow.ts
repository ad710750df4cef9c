/**
 * The steps an answerable item (a feedback item, a question) shares, whatever came before them: a unit drafts the
 * answer, a leader approves it or sends it back with a reason (a new round), and publishing makes it public — the
 * public copy of the citizen's text and the staff answer, both through the same redaction check
 * (answerable.publication.ts), under a public id of their own. Each feature names its statuses, its permissions and
 * its tables (a WorkflowStore for the step runner in src/core/workflow.ts); who may take each step is the same rule
 * for both.
 */
import type { Kysely, Transaction } from "kysely";
import type { Actor } from "../../core/audit.ts";
import { type Action, can, type Role } from "../../core/auth/roles.ts";
import type { Database, User } from "../../core/db/schema.ts";
import type { KnownPersonal } from "../../core/text/redact.ts";
import { type StepPlan, type StepResult, takeStep, type WorkflowStore } from "../../core/workflow.ts";
import { checkPublication, type PublicText, suggestPublication } from "./answerable.publication.ts";
import { newPublicId } from "./public-id.ts";

type Db = Kysely<Database>;
export type Staff = Pick<User, "id" | "username" | "role" | "ward_id" | "org_unit_id">;
export const actorOf = (u: Staff): Actor => ({ userId: u.id, name: u.username, wardId: u.ward_id });

/** The columns every answerable item has. */
export interface AnswerableRow {
  id: number;
  status: string;
  round: number;
  assigned_unit_id: number | null;
  answer_draft: string | null;
  answer_final: string | null;
}

/** The changes the shared steps write (each feature's own changes type includes these). */
export interface AnswerableChanges {
  answer_draft?: string;
  answer_final?: string;
  approved_by?: number;
  return_reason?: string;
  round?: number;
  published_at?: string;
  public_answer?: string;
  public_id?: string;
}

/** What staff send to publish: the texts as reviewed (absent: their automatic redaction) and what they keep. */
export interface PublishInput {
  texts: Record<string, string | null | undefined>;
  keep: string[];
  keepReason: string | null;
}

/** How a feature describes itself to the shared steps. */
export interface AnswerableKind<I extends AnswerableRow, C extends AnswerableChanges> {
  store: WorkflowStore<I, C>;
  /** The permission prefix: `feedback` → feedback.draft, feedback.approve, feedback.handle. */
  permission: "feedback" | "question";
  /** Every step's name and the status it starts from (the shared ones: draft, approve, sendBack, publish). */
  stepFrom: Record<string, string>;
  /** The status where the unit drafts (after routing or assigning, and after a send-back). */
  answering: string;
  /** The status after a leader's approval, from which the item is published. */
  approved: string;
  /** The sender's or asker's own data, to find in the public texts (empty once erased). */
  known(item: I): KnownPersonal;
  /** The citizen's text to publish: its form field and words ("publicContent", "Nội dung công khai"). */
  citizenText: { field: string; label: string; of(item: I): string };
  /** The changes that store the reviewed public copy of the citizen's text. */
  publicTextChange(text: string): C;
}

/** The form field of the public copy of the answer, the same in both features. */
export const PUBLIC_ANSWER_FIELD = "publicAnswer";

/** The answerable steps of one feature. */
export function answerable<I extends AnswerableRow, C extends AnswerableChanges>(kind: AnswerableKind<I, C>) {
  const action = (a: "draft" | "approve" | "handle") => `${kind.permission}.${a}` as Action;

  /** Whether this staff member may take this step on an item assigned to `unitId` (officers: their unit only). */
  function mayTake(user: Staff, step: string, unitId: number | null): boolean {
    const role = user.role as Role;
    if (step === "approve" || step === "sendBack") return can(role, action("approve"));
    if (step === "draft")
      return can(role, action("draft")) && (role !== "officer" || (unitId != null && unitId === user.org_unit_id));
    return can(role, action("handle"));
  }

  /** Move an item one step (see `takeStep`): the step's name, its words for a 409, and what it changes. */
  function step(
    db: Db,
    user: Staff,
    id: number,
    name: string,
    what: string,
    now: Date,
    plan: (item: I) => Promise<StepPlan<C> | StepResult>,
  ): Promise<StepResult> {
    const from = kind.stepFrom[name];
    if (!from) throw new Error(`unknown step ${name}`);
    const allowed = (item: I) => mayTake(user, name, item.assigned_unit_id);
    return takeStep(db, kind.store, user, id, { name, what, from, allowed }, now, plan);
  }

  /** The texts that become public when this item is published. */
  const publicTexts = (item: I): PublicText[] => [
    { field: kind.citizenText.field, label: kind.citizenText.label, original: kind.citizenText.of(item) },
    { field: PUBLIC_ANSWER_FIELD, label: "Nội dung trả lời công khai", original: item.answer_final ?? "" },
  ];

  return {
    mayTake,
    step,

    /** Draft the answer (officers: only for items assigned to their unit). */
    draftAnswer(db: Db, user: Staff, id: number, answer: string, now: Date) {
      return step(db, user, id, "draft", "soạn dự thảo trả lời", now, async () => ({
        to: "drafted",
        changes: { answer_draft: answer } as C,
        note: null,
        after: { status: "drafted", answer },
      }));
    },

    /** A leader approves the draft: it becomes the answer. */
    approve(db: Db, user: Staff, id: number, now: Date) {
      return step(db, user, id, "approve", "phê duyệt", now, async (item) => ({
        to: kind.approved,
        changes: { answer_final: item.answer_draft ?? "", approved_by: user.id } as C,
        note: null,
        after: { status: kind.approved },
      }));
    },

    /**
     * A leader sends the draft back to the unit with the reason: the unit drafts again, in a new round (so its next
     * draft and the leader's next decision are new steps), the draft kept for the unit to revise.
     */
    sendBack(db: Db, user: Staff, id: number, reason: string, now: Date) {
      return step(db, user, id, "sendBack", "trả lại để sửa", now, async (item) => ({
        to: kind.answering,
        changes: { return_reason: reason, round: item.round + 1 } as C,
        note: reason,
        after: { status: kind.answering, round: item.round + 1, reason },
      }));
    },

    /** What the publish form offers: every public text masked, and what was masked. */
    suggestedPublication(item: I) {
      return suggestPublication(publicTexts(item), kind.known(item));
    },

    /**
     * Publish: every public text checked (refused while personal data is left that staff did not keep with a
     * reason), stored with a new public id; `also` adds the feature's writes (search document, activity ledger) in
     * the same transaction, given the texts as published and the public id. The audit record says what was kept
     * and why.
     */
    publish(
      db: Db,
      user: Staff,
      id: number,
      input: PublishInput,
      now: Date,
      also: (
        trx: Db | Transaction<Database>,
        item: I,
        pub: { text: string; answer: string; publicId: string },
      ) => Promise<void>,
    ) {
      return step(db, user, id, "publish", "công bố", now, async (item) => {
        const check = checkPublication(publicTexts(item), kind.known(item), input.texts, {
          keys: input.keep,
          reason: input.keepReason,
        });
        if (!check.ok) return { ok: false, status: 400, errors: check.errors };
        const text = check.texts[kind.citizenText.field] ?? "";
        const answer = check.texts[PUBLIC_ANSWER_FIELD] ?? "";
        const publicId = newPublicId();
        return {
          to: "published",
          changes: {
            ...kind.publicTextChange(text),
            published_at: now.toISOString(),
            public_answer: answer,
            public_id: publicId,
          } as C,
          note: check.kept.length ? `Giữ lại: ${input.keepReason?.trim()}` : null,
          after: {
            status: "published",
            publicId,
            [kind.citizenText.field]: text,
            publicAnswer: answer,
            ...(check.kept.length
              ? { kept: check.kept.map((f) => ({ kind: f.kind, text: f.text })), keepReason: input.keepReason?.trim() }
              : {}),
          },
          also: (trx) => also(trx, item, { text, answer, publicId }),
        };
      });
    },
  };
}
