/**
 * Personal data on request and by rule (Luật Bảo vệ dữ liệu cá nhân 91/2025/QH15, Nghị định 356/2025/NĐ-CP):
 * an administrator finds a person's feedback items and questions by tracking code or phone, exports everything
 * held about them, or erases it; the retention period erases it by itself once items have been closed long enough;
 * and the consent texts the public forms show (and record with each submission) are editable, per ward.
 * Erasure blanks the personal fields and keeps the item, its history and its public answer; it is audited with the
 * reason, never with the erased values.
 */
import type { Kysely } from "kysely";
import type { Logger } from "pino";
import { type Actor, audit, SYSTEM_ACTOR } from "../../core/audit.ts";
import type { Database } from "../../core/db/schema.ts";
import type { FileStore } from "../../core/file-store.ts";
import type { PeriodicTask } from "../../core/jobs/jobs.ts";
import { redact } from "../../core/text/redact.ts";
import * as feedbackPersonal from "../feedback/feedback.personal.ts";
import { STATUS_LABELS as FEEDBACK_STATUS } from "../feedback/feedback.schemas.ts";
import * as questionPersonal from "../questions/questions.personal.ts";
import { STATUS_LABELS as QUESTION_STATUS } from "../questions/questions.schemas.ts";
import { type ConsentKind, consentKey, consentText, DEFAULT_CONSENT } from "./consent.ts";
import { type ConsentInput, type ItemRef, type PersonQuery, RETENTION_REASON } from "./privacy.schemas.ts";
import * as q from "./privacy.sql.ts";
import { dueForErasure, type ItemKind, type RetentionCandidate } from "./retention.ts";

type Db = Kysely<Database>;

/** Each kind of item's personal-data side, owned by its feature. */
const PERSONAL = { feedback: feedbackPersonal, question: questionPersonal } as const;

export { type ConsentKind, consentText };

/** Both texts of a ward, and whether each is the built-in one. */
export async function consentTexts(db: Db, wardId: number) {
  const out = {} as Record<ConsentKind, { text: string; builtIn: boolean }>;
  for (const kind of ["feedback", "question"] as const) {
    const set = await q.setting(db, consentKey(kind, wardId));
    out[kind] = { text: set ?? DEFAULT_CONSENT[kind], builtIn: set === undefined };
  }
  return out;
}

/** Save a ward's consent texts; each one that changed is audited with its text before and after. */
export async function updateConsentTexts(
  db: Db,
  actor: Actor,
  wardId: number,
  input: ConsentInput,
  now: Date,
): Promise<{ changed: ConsentKind[] }> {
  return db.transaction().execute(async (trx) => {
    const changed: ConsentKind[] = [];
    for (const kind of ["feedback", "question"] as const) {
      const before = await consentText(trx, kind, wardId);
      if (before === input[kind]) continue;
      await q.putSetting(trx, consentKey(kind, wardId), input[kind]);
      await audit(
        trx,
        actor,
        {
          action: "consent_text.update",
          entity: "setting",
          entityId: consentKey(kind, wardId),
          wardId,
          before: { text: before },
          after: { text: input[kind] },
        },
        now,
      );
      changed.push(kind);
    }
    return { changed };
  });
}

// --- Finding a person's items ---------------------------------------------------------------------------------

export interface PersonItem {
  ref: ItemRef;
  code: string;
  status: string;
  statusLabel: string;
  receivedAt: string;
  content: string;
  name: string;
  phone: string | null;
  erased: boolean;
  erasedReason: string | null;
}

const statusLabel = (kind: ItemKind, status: string) =>
  (kind === "feedback" ? FEEDBACK_STATUS : QUESTION_STATUS)[status] ?? status;

/** A ward's feedback items and questions matching a tracking code or a phone number. */
export async function findPersonItems(db: Db, wardId: number, query: PersonQuery): Promise<PersonItem[]> {
  const by = "code" in query ? { code: query.code } : { phone: query.phone };
  const wantFeedback = !("code" in query) || query.code.startsWith("PA-");
  const wantQuestions = !("code" in query) || query.code.startsWith("HD-");
  const feedback = wantFeedback ? await feedbackPersonal.matchesOfPerson(db, wardId, by) : [];
  const questions = wantQuestions ? await questionPersonal.matchesOfPerson(db, wardId, by) : [];
  const rows = [
    ...feedback.map((r) => ({ kind: "feedback" as const, r })),
    ...questions.map((r) => ({ kind: "question" as const, r })),
  ];
  return rows.map(({ kind, r }) => ({
    ref: { kind, id: r.id },
    code: r.code,
    status: r.status,
    statusLabel: statusLabel(kind, r.status),
    receivedAt: r.received_at,
    content: r.content,
    name: r.name,
    phone: r.phone,
    erased: r.erased_at != null,
    erasedReason: r.erased_reason,
  }));
}

// --- Export -------------------------------------------------------------------------------------------------

export type PrivacyResult<T> = { ok: true; value: T } | { ok: false; status: 404; message: string };

const MISSING = "Không tìm thấy một hoặc nhiều mục đã chọn trong dữ liệu của phường. Hãy tìm kiếm lại.";

/**
 * Everything held about the person for these items of the ward: their personal fields, consent time and text,
 * and the items' content, attachments (listed), status history and published answer. Audited — who exported which items — without the
 * data itself. Refused (nothing exported, nothing audited) when any item is not the ward's.
 */
export async function exportPersonalData(
  db: Db,
  actor: Actor,
  wardId: number,
  refs: ItemRef[],
  now: Date,
): Promise<PrivacyResult<Record<string, unknown>>> {
  const ids = (kind: ItemKind) => refs.filter((r) => r.kind === kind).map((r) => r.id);
  return db.transaction().execute(async (trx) => {
    const feedback = await feedbackPersonal.forExport(trx, wardId, ids("feedback"));
    const questions = await questionPersonal.forExport(trx, wardId, ids("question"));
    if (feedback.length + questions.length !== refs.length) return { ok: false, status: 404, message: MISSING };
    const fSteps = await feedbackPersonal.stepsForExport(trx, ids("feedback"));
    const fFiles = await feedbackPersonal.filesForExport(trx, ids("feedback"));
    const qSteps = await questionPersonal.stepsForExport(trx, ids("question"));
    const history = (steps: typeof fSteps, id: number, kind: ItemKind) =>
      steps
        .filter((s) => s.item_id === id)
        .map((s) => ({ status: s.to_status, statusLabel: statusLabel(kind, s.to_status), at: s.at }));
    const person = (r: {
      name: string;
      phone: string | null;
      email: string | null;
      consent_at: string;
      consent_text: string;
      erased_at: string | null;
      erased_reason: string | null;
      address?: string;
    }) => ({
      name: r.erased_at ? null : r.name,
      ...("address" in r ? { address: r.erased_at ? null : r.address } : {}),
      phone: r.erased_at ? null : r.phone,
      email: r.email,
      consentAt: r.consent_at,
      consentText: r.consent_text,
      erasedAt: r.erased_at,
      erasedReason: r.erased_reason,
    });
    const items = [
      ...feedback.map((r) => ({
        kind: "feedback",
        kindLabel: "Phản ánh, kiến nghị",
        code: r.code,
        receivedAt: r.received_at,
        channel: r.channel,
        subject: r.subject,
        contentType: r.content_type,
        procedureCode: r.procedure_code,
        content: r.content,
        status: r.status,
        statusLabel: statusLabel("feedback", r.status),
        history: history(fSteps, r.id, "feedback"),
        attachments: fFiles
          .filter((f) => f.feedback_id === r.id)
          .map((f) => ({ name: f.original_name, type: f.mime, bytes: Number(f.size) })),
        answer: r.status === "published" ? r.answer_final : null,
        publishedAt: r.published_at,
        person: person(r),
      })),
      ...questions.map((r) => ({
        kind: "question",
        kindLabel: "Câu hỏi",
        code: r.code,
        receivedAt: r.received_at,
        procedureCode: r.procedure_code,
        content: r.question,
        status: r.status,
        statusLabel: statusLabel("question", r.status),
        history: history(qSteps as typeof fSteps, r.id, "question"),
        answer: r.status === "published" ? r.answer_final : null,
        publishedAt: r.published_at,
        person: person(r),
      })),
    ];
    await audit(
      trx,
      actor,
      {
        action: "personal_data.export",
        entity: "personal_data",
        wardId,
        after: { items: items.map((i) => i.code) },
      },
      now,
    );
    return { ok: true, value: { exportedAt: now.toISOString(), items } };
  });
}

// --- Erasure ------------------------------------------------------------------------------------------------

export interface EraseOutcome {
  /** Codes whose personal data this call erased. */
  erased: string[];
  /** Codes already erased before (by someone else, or earlier). */
  already: string[];
}

/**
 * Erase the personal data of these items in one transaction: each person's name, address, phone and email
 * blanked, `erased_at` and the reason set, and one audit record per item (`personal_data.erase`, the item and
 * the reason, never the values). `wardId` limits to one ward's items (an administrator); null is any ward (the
 * retention purge). Refused, erasing nothing, when any item is not found. The person's own data inside the text
 * they wrote is masked (`redact`); the published, reviewed text is left as published. Attachments go too
 * (rows in the transaction; their bytes in the file store after the commit, unless a record still names the same
 * content: `blobInUse`).
 */
export async function erasePersonalData(
  db: Db,
  actor: Actor,
  wardId: number | null,
  refs: ItemRef[],
  reason: string,
  now: Date,
  files: FileStore,
): Promise<PrivacyResult<EraseOutcome>> {
  const blobs: string[] = [];
  const result = await db.transaction().execute(async (trx): Promise<PrivacyResult<EraseOutcome>> => {
    const heads = [];
    for (const ref of refs) {
      const head = await PERSONAL[ref.kind].head(trx, ref.id, wardId);
      if (!head) return { ok: false, status: 404, message: MISSING };
      heads.push({ ref, head });
    }
    const out: EraseOutcome = { erased: [], already: [] };
    for (const { ref, head } of heads) {
      // Citizens often sign their text ("tôi là …, SĐT …"): mask their own data in it before it is forgotten.
      const own = await PERSONAL[ref.kind].ownText(trx, ref.id);
      if (own) {
        const masked = redact(own.text, own);
        if (masked !== own.text) await PERSONAL[ref.kind].setOwnText(trx, ref.id, masked);
      }
      if (!(await PERSONAL[ref.kind].erase(trx, ref.id, now.toISOString(), reason))) {
        out.already.push(head.code);
        continue;
      }
      const dropped = ref.kind === "feedback" ? await feedbackPersonal.dropFiles(trx, ref.id) : [];
      blobs.push(...dropped);
      await audit(
        trx,
        actor,
        {
          action: "personal_data.erase",
          entity: ref.kind,
          entityId: ref.id,
          wardId: head.ward_id,
          after: { code: head.code, reason, files: dropped.length },
        },
        now,
      );
      out.erased.push(head.code);
    }
    return { ok: true, value: out };
  });
  // After the commit: a blob deleted for a rolled-back erasure would be lost for good.
  for (const sha of new Set(blobs)) if (!(await q.blobInUse(db, sha))) await files.delete(sha);
  return result;
}

// --- Retention ----------------------------------------------------------------------------------------------

export interface PurgeReport {
  retentionDays: number;
  dryRun: boolean;
  /** The items due, by code. */
  due: { kind: ItemKind; code: string; wardId: number; closedAt: string }[];
  erased: number;
}

const DAY_MS = 24 * 60 * 60 * 1000;
const PURGE_BATCH = 100;

/**
 * Erase, as the system, the personal data of every closed item (all wards) past the retention period, with the
 * reason "hết thời hạn lưu trữ", through the same erase function as a request; in batches, so no transaction
 * holds the database long. A dry run reports what is due and changes nothing. 0 days: nothing is ever due.
 */
export async function purgeExpiredPersonalData(
  db: Db,
  opts: { retentionDays: number; now: Date; dryRun?: boolean; files: FileStore },
): Promise<PurgeReport> {
  const { retentionDays, now } = opts;
  const dryRun = opts.dryRun === true;
  const report: PurgeReport = { retentionDays, dryRun, due: [], erased: 0 };
  if (retentionDays <= 0) return report;
  const before = new Date(now.getTime() - retentionDays * DAY_MS).toISOString();
  const rows = {
    feedback: await feedbackPersonal.retentionCandidates(db, before),
    questions: await questionPersonal.retentionCandidates(db, before),
  };
  type C = RetentionCandidate & { code: string; wardId: number };
  const toCandidate =
    (kind: ItemKind) =>
    (r: (typeof rows.feedback)[number]): C => ({
      kind,
      id: r.id,
      status: r.status,
      closedAt: r.step_at,
      publishedAt: r.published_at,
      receivedAt: r.received_at,
      erasedAt: r.erased_at,
      code: r.code,
      wardId: r.ward_id,
    });
  const due = dueForErasure(
    [...rows.feedback.map(toCandidate("feedback")), ...rows.questions.map(toCandidate("question"))],
    now,
    retentionDays,
  );
  report.due = due.map((c) => ({
    kind: c.kind,
    code: c.code,
    wardId: c.wardId,
    closedAt: c.closedAt ?? c.publishedAt ?? c.receivedAt,
  }));
  if (dryRun) return report;
  for (let i = 0; i < due.length; i += PURGE_BATCH) {
    const batch = due.slice(i, i + PURGE_BATCH).map((c) => ({ kind: c.kind, id: c.id }));
    const r = await erasePersonalData(db, SYSTEM_ACTOR, null, batch, RETENTION_REASON, now, opts.files);
    if (r.ok) report.erased += r.value.erased.length;
  }
  return report;
}

/**
 * The purge as the job runner's periodic task (src/core/jobs): soon after start, then every night at 02:20 (Asia/
 * Ho_Chi_Minh) on PostgreSQL — one run across every process — or every 24 hours on SQLite; null when retention is off.
 * Safe to run twice: an item is erased and audited once, by whichever run gets there first.
 */
export function personalDataPurgeTask(deps: { retentionDays: number; log: Logger }): PeriodicTask | null {
  const { retentionDays, log } = deps;
  if (retentionDays <= 0) {
    log.info({ event: "personal_data.retention_off" }, "personal data kept without time limit");
    return null;
  }
  return {
    name: "privacy.purge",
    cron: "20 2 * * *",
    everyMs: DAY_MS,
    async run(ctx) {
      const r = await purgeExpiredPersonalData(ctx.db.kysely, { retentionDays, now: ctx.now, files: ctx.files });
      if (r.erased > 0) log.info({ event: "personal_data.purged", erased: r.erased, retentionDays }, "purged");
    },
  };
}
