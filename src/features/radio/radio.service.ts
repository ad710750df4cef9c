/**
 * The ward radio: create and correct a draft bulletin, then the workflow (trình → xem xét → duyệt → đã phát, trả lại,
 * hủy) through the shared step runner, so each step happens once, in one transaction with its step row and audit
 * record. Approving queues the speech job (audio is never made in a request); logging the broadcast writes the
 * broadcast row, its one ledger activity (channel "radio", audience = listens estimated from the clusters) and the
 * search document of its script in that transaction; withdrawing an aired bulletin takes all three back.
 */

import { createHash } from "node:crypto";
import type { Kysely } from "kysely";
import { actorOf, audit } from "../../core/audit.ts";
import type { Role } from "../../core/auth/roles.ts";
import type { Database } from "../../core/db/schema.ts";
import type { FileStore } from "../../core/file-store.ts";
import { defineJob, enqueueJob, type JobContext } from "../../core/jobs/jobs.ts";
import { findPersonal } from "../../core/text/redact.ts";
import { nfc } from "../../core/text/vi.ts";
import type { Ward } from "../../core/web/context.ts";
import { type FieldErrors, type Validated, validate } from "../../core/web/validation.ts";
import { type StepResult, sendBackPlan, stepFailure, takeChannelStep, withdrawPlan } from "../../core/workflow.ts";
import { workflowStore } from "../../core/workflow-sql.ts";
import { mentionNamedDocuments, unmentionDocuments } from "../documents/citations.ts";
import { unindexChannelItem } from "../events/events.search.ts";
import { checkChannelRefs } from "../events/events.service.ts";
import { recordLedgerEntry, withdrawLedgerEntry } from "../plans/ledger.ts";
import { nextSearchSeq, writeSearchDoc } from "../search/search.sql.ts";
import { type BulletinStep, isPublic, listensOf, SLOTS, STEPS, writesFor } from "./radio.rules.ts";
import {
  abbreviationForm,
  airForm,
  type BulletinInput,
  bulletinForm,
  bulletinFormInput,
  clusterForm,
  reasonForm,
} from "./radio.schemas.ts";
import * as q from "./radio.sql.ts";
import { bulletinScript, readAloud } from "./reading.ts";
import { checkRecording, speechAvailable, synthesise } from "./speech.ts";

type Db = Kysely<Database>;

export interface RadioStaff {
  id: number;
  username: string;
  ward_id: number;
  role: Role;
  org_unit_id: number | null;
}

/** The public address of a bulletin, without the ward's base. */
export const bulletinPath = (id: number) => `/phat-thanh/${id}`;
/** Its audio's address: the extension follows the stored type. */
export const audioPath = (b: { id: number; audio_mime: string | null }) =>
  `/phat-thanh/${b.id}/am-thanh.${EXT_OF[b.audio_mime ?? ""] ?? "mp3"}`;
const EXT_OF: Record<string, string> = {
  "audio/mpeg": "mp3",
  "audio/ogg": "ogg",
  "audio/wav": "wav",
  "audio/flac": "flac",
  "audio/mp4": "m4a",
};

/** The bulletin's script and the reading the speech engine gets, with the ward's abbreviations. */
export async function scriptAndReading(db: Db, b: q.BulletinRow) {
  const items = await q.itemsOf(db, [b.id]);
  const script = bulletinScript({ title: b.title, items });
  const abbreviations = await q.abbreviationsOf(db, b.ward_id);
  return { items, script, reading: readAloud(script, abbreviations), abbreviations };
}

/** Personal data in what the public will hear and read, as a field error, or null. */
export function personalIn(b: Pick<BulletinInput, "title" | "items">): FieldErrors | null {
  const fields: [string, string, string][] = [
    ["title", "Tên bản tin", b.title],
    ...b.items.flatMap((i, n): [string, string, string][] => [
      [`item${n + 1}Title`, `Mục ${n + 1}: tiêu đề`, i.title],
      [`item${n + 1}Script`, `Mục ${n + 1}: nội dung`, i.script],
    ]),
  ];
  for (const [key, label, text] of fields) {
    const found = findPersonal(text)[0];
    if (found)
      return {
        [key]: `Phần “${label}” được phát và công khai nên không ghi thông tin cá nhân (“${text.slice(found.start, found.end)}”).`,
      };
  }
  return null;
}

const checkUnit = (db: Db, ward: Ward, user: RadioStaff, orgUnitId: number, today: string) =>
  checkChannelRefs(db, ward, { orgUnitId }, today, (unitId) => writesFor(user, unitId), {
    unit: "Đơn vị soạn",
    ownOnly: "Cán bộ đơn vị chỉ soạn, sửa bản tin của đơn vị mình.",
  });

const columnsOf = (v: BulletinInput) => ({
  org_unit_id: v.orgUnitId,
  title: v.title,
  broadcast_on: v.broadcastOn,
  slot: v.slot,
});

export async function createBulletin(
  db: Db,
  user: RadioStaff,
  ward: Ward,
  raw: Record<string, string>,
  now: Date,
  today: string,
): Promise<Validated<{ id: number }>> {
  const v = validate(bulletinForm, bulletinFormInput(raw));
  if (!v.ok) return v;
  const problem = personalIn(v.value) ?? (await checkUnit(db, ward, user, v.value.orgUnitId, today));
  if (problem) return { ok: false, errors: problem };
  const id = await db.transaction().execute(async (trx) => {
    const row = {
      ward_id: ward.unit.id,
      ...columnsOf(v.value),
      status: "draft",
      created_by: user.id,
      created_at: now.toISOString(),
      updated_at: now.toISOString(),
    };
    const bulletinId = await q.insertBulletin(trx, row);
    await q.replaceItems(trx, bulletinId, v.value.items);
    await audit(
      trx,
      actorOf(user),
      {
        action: "radio.create",
        entity: "radio_bulletin",
        entityId: bulletinId,
        after: { ...row, items: v.value.items },
      },
      now,
    );
    return bulletinId;
  });
  return { ok: true, value: { id } };
}

type Refusal = { ok: false; status: 403 | 404 | 409; errors: Record<string, string> };

export async function editBulletin(
  db: Db,
  user: RadioStaff,
  ward: Ward,
  id: number,
  raw: Record<string, string>,
  now: Date,
  today: string,
): Promise<Validated<{ id: number }> | Refusal> {
  const current = await q.bulletinOf(db, [ward.unit.id], id);
  if (!current) return { ok: false, status: 404, errors: { _: "Không tìm thấy bản tin." } };
  if (!writesFor(user, current.org_unit_id))
    return { ok: false, status: 403, errors: { _: "Cán bộ đơn vị chỉ sửa bản tin của đơn vị mình." } };
  if (current.status !== "draft")
    return {
      ok: false,
      status: 409,
      errors: { _: "Chỉ sửa được bản tin đang là dự thảo (đã trình thì cần được trả lại)." },
    };
  const v = validate(bulletinForm, bulletinFormInput(raw));
  if (!v.ok) return v;
  const problem = personalIn(v.value) ?? (await checkUnit(db, ward, user, v.value.orgUnitId, today));
  if (problem) return { ok: false, errors: problem };
  const changes = { ...columnsOf(v.value), updated_at: now.toISOString() };
  const saved = await db.transaction().execute(async (trx) => {
    if (!(await q.flow.updateDraft(trx, ward.unit.id, id, changes))) return false;
    await q.replaceItems(trx, id, v.value.items);
    await audit(
      trx,
      actorOf(user),
      {
        action: "radio.edit",
        entity: "radio_bulletin",
        entityId: id,
        before: current,
        after: { ...changes, items: v.value.items },
      },
      now,
    );
    return true;
  });
  if (!saved) return { ok: false, status: 409, errors: { _: "Bản tin vừa được trình, không còn là dự thảo." } };
  return { ok: true, value: { id } };
}

const STATUS_WORDS: Record<string, string> = {
  draft: "dự thảo",
  submitted: "chờ xem xét",
  reviewed: "chờ duyệt",
  approved: "đã duyệt",
  aired: "đã phát",
  withdrawn: "đã hủy",
};

const store = workflowStore({
  entity: "radio",
  subject: "Bản tin",
  notFound: "Không tìm thấy bản tin.",
  statusWords: STATUS_WORDS,
  load: q.bulletinOf,
  sql: q.flow,
});

/**
 * Take a step on a bulletin of the user's own ward. `form` carries the step's fields: the reason of a send-back or
 * withdrawal, the broadcast (date, time, minutes, clusters) of an airing.
 */
export async function moveBulletin(
  db: Db,
  user: RadioStaff,
  id: number,
  name: BulletinStep,
  form: Record<string, unknown>,
  now: Date,
  today: string,
): Promise<StepResult> {
  const step = STEPS[name];
  return takeChannelStep(db, store, user, id, name, step, now, async (b) => {
    const at = now.toISOString();
    const base = { updated_at: at };
    switch (name) {
      case "submit":
      case "review":
        return { to: step.to, changes: base, note: null, after: { status: step.to } };
      case "approve": {
        const items = await q.itemsOf(db, [b.id]);
        if (!items.length) return stepFailure(409, "Bản tin không có mục nào, không thể duyệt.");
        const found = personalIn({ title: b.title, items });
        if (found) return stepFailure(409, `Chưa thể duyệt: ${Object.values(found)[0]} Trả lại để đơn vị sửa.`);
        // A recording uploaded before approval is kept; otherwise speech is made in the background.
        const keep = b.audio_state === "ready" && b.audio_origin === "upload";
        return {
          to: "approved",
          changes: { ...base, approved_at: at, ...(keep ? {} : { audio_state: "queued", audio_error: null }) },
          note: null,
          after: { status: "approved" },
          also: keep ? undefined : (trx) => queueAudio(trx, { bulletinId: b.id, wardId: b.ward_id }, now),
        };
      }
      case "send_back": {
        const v = validate(reasonForm, form);
        if (!v.ok) return { ok: false, status: 400, errors: v.errors };
        return sendBackPlan(base, b.round, v.value.reason);
      }
      case "air": {
        const v = validate(airForm, { ...form, clusterIds: form.clusterIds ?? [] });
        if (!v.ok) return { ok: false, status: 400, errors: v.errors };
        if (v.value.airedOn > today)
          return {
            ok: false,
            status: 400,
            errors: { airedOn: "Ngày phát chưa đến: chỉ ghi nhận buổi phát đã diễn ra." },
          };
        const clusters = (await q.clustersOf(db, b.ward_id, true)).filter((c) => v.value.clusterIds.includes(c.id));
        if (clusters.length !== new Set(v.value.clusterIds).size)
          return {
            ok: false,
            status: 400,
            errors: { clusterIds: "Cụm loa không thuộc phường hoặc đã ngừng sử dụng." },
          };
        const listens = listensOf(clusters);
        const { script } = await scriptAndReading(db, b);
        return {
          to: "aired",
          changes: base,
          note: null,
          after: { status: "aired", airedOn: v.value.airedOn, clusters: clusters.map((c) => c.id), listens },
          also: async (trx) => {
            const r = await trx
              .insertInto("radio_broadcasts")
              .values({
                ward_id: b.ward_id,
                bulletin_id: b.id,
                aired_on: v.value.airedOn,
                aired_at: v.value.airedAt,
                duration_s: v.value.durationMinutes * 60,
                cluster_ids_json: JSON.stringify(clusters.map((c) => c.id)),
                cluster_names: clusters.map((c) => c.name).join("; "),
                listens,
                created_by: user.id,
                created_at: at,
              })
              .returning("id")
              .executeTakeFirstOrThrow();
            await recordLedgerEntry(
              trx,
              actorOf(user),
              {
                wardId: b.ward_id,
                orgUnitId: b.org_unit_id,
                topic: "radio",
                channel: "radio",
                title: `Phát thanh: ${b.title}`,
                occurredOn: v.value.airedOn,
                audience: listens,
                place: clusters.map((c) => c.name).join("; "),
                cost: null,
                source: "radio",
                sourceRef: String(r.id),
                createdBy: user.id,
              },
              now,
            );
            // The documents the bulletin names by number were made known on air.
            await mentionNamedDocuments(
              trx,
              b.ward_id,
              `${b.title}\n${script}`,
              { source: "radio", sourceRef: b.id, on: v.value.airedOn, channel: `Đài truyền thanh: ${b.title}` },
              now,
            );
            await writeSearchDoc(
              trx,
              {
                key: `radio:${b.id}`,
                kind: "radio",
                title: b.title,
                body: script,
                keywords: "phát thanh truyền thanh bản tin",
                url: bulletinPath(b.id),
                scope: `unit:${b.ward_id}`,
              },
              await nextSearchSeq(trx),
            );
          },
        };
      }
      case "withdraw": {
        const v = validate(reasonForm, form);
        if (!v.ok) return { ok: false, status: 400, errors: v.errors };
        return withdrawPlan(base, v.value.reason, async (trx) => {
          if (b.status !== "aired") return;
          const broadcast = await q.broadcastOf(trx, [b.ward_id], b.id);
          if (broadcast) {
            await trx
              .updateTable("radio_broadcasts")
              .set({ withdrawn_at: at })
              .where("id", "=", broadcast.id)
              .execute();
            await withdrawLedgerEntry(
              trx,
              actorOf(user),
              { wardId: b.ward_id, source: "radio", sourceRef: String(broadcast.id), reason: v.value.reason },
              now,
            );
            await unmentionDocuments(trx, b.ward_id, "radio", b.id);
          }
          await unindexChannelItem(trx, "radio", b, bulletinPath(b.id));
        });
      }
    }
  });
}

export interface AudioJob {
  bulletinId: number;
  wardId: number;
}

/**
 * The speech job: read the approved bulletin's script aloud (normalised), store the MP3 by its SHA-256 and record how
 * it was made. Without espeak-ng the bulletin is marked so and staff are asked for a recording; a failure is recorded
 * with its message. A recording uploaded meanwhile is never overwritten.
 */
export async function makeBulletinAudio(job: AudioJob, ctx: JobContext): Promise<void> {
  const db = ctx.db.kysely;
  const b = await q.bulletinOf(db, [job.wardId], job.bulletinId);
  if (b?.audio_state !== "queued" || !isPublic(b)) return;
  if (!(await speechAvailable())) {
    await q.setAudio(db, b.ward_id, b.id, { audio_state: "unavailable", audio_error: null }, "queued");
    return;
  }
  const { reading } = await scriptAndReading(db, b);
  const text = nfc(reading);
  try {
    const made = await synthesise(text);
    const sha256 = await ctx.files.put(made.bytes);
    await q.setAudio(
      db,
      b.ward_id,
      b.id,
      {
        audio_state: "ready",
        audio_error: null,
        audio_sha256: sha256,
        audio_mime: made.mime,
        audio_size: made.bytes.length,
        audio_duration_ms: made.durationMs,
        audio_origin: "tts",
        audio_voice: made.voice,
        audio_command: made.command,
        audio_text_sha256: createHash("sha256").update(text).digest("hex"),
        audio_made_at: new Date().toISOString(),
      },
      "queued",
    );
  } catch (err) {
    ctx.log.error({ bulletinId: b.id, error: String((err as Error).message ?? err) }, "radio.audio_failed");
    await q.setAudio(
      db,
      b.ward_id,
      b.id,
      { audio_state: "failed", audio_error: String((err as Error).message ?? err).slice(0, 500) },
      "queued",
    );
  }
}

/** Ask again for the speech (after a failure, or to replace a recording): queued in the background. */
export async function requestAudio(db: Db, user: RadioStaff, id: number, now: Date) {
  const b = await q.bulletinOf(db, [user.ward_id], id);
  if (!b) return stepFailure(404, "Không tìm thấy bản tin.");
  if (!writesFor(user, b.org_unit_id) && user.role !== "leader")
    return stepFailure(403, "Bạn không có quyền thực hiện bước này.");
  if (b.status !== "approved" && b.status !== "aired")
    return stepFailure(409, "Chỉ tạo âm thanh cho bản tin đã được lãnh đạo duyệt.");
  await db.transaction().execute(async (trx) => {
    await q.setAudio(trx, b.ward_id, b.id, { audio_state: "queued", audio_error: null });
    await queueAudio(trx, { bulletinId: b.id, wardId: b.ward_id }, now);
    await audit(trx, actorOf(user), { action: "radio.audio_request", entity: "radio_bulletin", entityId: b.id }, now);
  });
  return { ok: true as const, status: "queued" };
}

/** The speech job: defined once, run by the server's job runner (and by tests through runDueJobs). */
export const bulletinAudioJob = defineJob<AudioJob>("radio.audio", makeBulletinAudio, { maxAttempts: 3 });

/** Queue the speech of a bulletin in the caller's transaction; a queued one for the same bulletin is replaced. */
async function queueAudio(trx: Db, job: AudioJob, now: Date): Promise<void> {
  await enqueueJob(trx, bulletinAudioJob, job, { key: `radio-audio:${job.bulletinId}`, wardId: job.wardId }, now);
}

export const MAX_RECORDING_BYTES = 60 * 1024 * 1024;

/** A human recording replaces the bulletin's audio (wards that read on air, or a server without espeak-ng). */
export async function uploadRecording(
  deps: { db: Db; files: FileStore },
  user: RadioStaff,
  id: number,
  file: { name: string; bytes: Uint8Array } | null,
  now: Date,
): Promise<StepResult> {
  const b = await q.bulletinOf(deps.db, [user.ward_id], id);
  if (!b) return stepFailure(404, "Không tìm thấy bản tin.");
  if (!writesFor(user, b.org_unit_id)) return stepFailure(403, "Bạn không có quyền thực hiện bước này.");
  if (b.status === "withdrawn") return stepFailure(409, "Bản tin đã hủy.");
  if (!file || file.bytes.length === 0) return { ok: false, status: 400, errors: { recording: "Chọn tệp ghi âm." } };
  if (file.bytes.length > MAX_RECORDING_BYTES)
    return { ok: false, status: 400, errors: { recording: "Tệp ghi âm quá lớn (tối đa 60 MB)." } };
  const checked = await checkRecording(file.bytes);
  if (!checked.ok) return { ok: false, status: 400, errors: { recording: checked.error } };
  const sha256 = await deps.files.put(file.bytes);
  const changes = {
    audio_state: "ready",
    audio_error: null,
    audio_sha256: sha256,
    audio_mime: checked.mime,
    audio_size: file.bytes.length,
    audio_duration_ms: checked.durationMs,
    audio_origin: "upload",
    audio_voice: null,
    audio_command: null,
    audio_text_sha256: null,
    audio_made_at: now.toISOString(),
  };
  await deps.db.transaction().execute(async (trx) => {
    await q.setAudio(trx, b.ward_id, b.id, changes);
    await audit(
      trx,
      actorOf(user),
      {
        action: "radio.recording",
        entity: "radio_bulletin",
        entityId: b.id,
        after: { sha256, mime: checked.mime, size: file.bytes.length },
      },
      now,
    );
  });
  return { ok: true, status: "ready" };
}

export async function addCluster(
  db: Db,
  user: RadioStaff,
  raw: unknown,
  now: Date,
): Promise<Validated<{ id: number }>> {
  const v = validate(clusterForm, raw);
  if (!v.ok) return v;
  const id = await db.transaction().execute(async (trx) => {
    const row = {
      ward_id: user.ward_id,
      name: v.value.name,
      place: v.value.place,
      audience: v.value.audience,
      created_at: now.toISOString(),
    };
    const r = await trx.insertInto("radio_clusters").values(row).returning("id").executeTakeFirstOrThrow();
    await audit(
      trx,
      actorOf(user),
      { action: "radio.cluster_add", entity: "radio_cluster", entityId: Number(r.id), after: row },
      now,
    );
    return Number(r.id);
  });
  return { ok: true, value: { id } };
}

export async function retireCluster(db: Db, user: RadioStaff, id: number, now: Date): Promise<boolean> {
  return db.transaction().execute(async (trx) => {
    const r = await trx
      .updateTable("radio_clusters")
      .set({ active: 0 })
      .where("ward_id", "=", user.ward_id)
      .where("id", "=", id)
      .executeTakeFirst();
    if (Number(r.numUpdatedRows) !== 1) return false;
    await audit(trx, actorOf(user), { action: "radio.cluster_retire", entity: "radio_cluster", entityId: id }, now);
    return true;
  });
}

/** Add (or change) one of the ward's own abbreviations; it overrides a default of the same text for this ward. */
export async function saveAbbreviation(
  db: Db,
  user: RadioStaff,
  raw: unknown,
  now: Date,
): Promise<Validated<{ abbr: string }>> {
  const v = validate(abbreviationForm, raw);
  if (!v.ok) return v;
  await db.transaction().execute(async (trx) => {
    const found = await trx
      .selectFrom("radio_abbreviations")
      .select(["id", "reading"])
      .where("ward_id", "=", user.ward_id)
      .where("abbr", "=", v.value.abbr)
      .executeTakeFirst();
    if (found)
      await trx
        .updateTable("radio_abbreviations")
        .set({ reading: v.value.reading })
        .where("id", "=", found.id)
        .execute();
    else
      await trx
        .insertInto("radio_abbreviations")
        .values({ ward_id: user.ward_id, abbr: v.value.abbr, reading: v.value.reading, created_at: now.toISOString() })
        .execute();
    await audit(
      trx,
      actorOf(user),
      { action: "radio.abbreviation", entity: "radio_abbreviation", before: found ?? null, after: v.value },
      now,
    );
  });
  return { ok: true, value: { abbr: v.value.abbr } };
}

export async function removeAbbreviation(db: Db, user: RadioStaff, id: number, now: Date): Promise<boolean> {
  return db.transaction().execute(async (trx) => {
    const r = await trx
      .deleteFrom("radio_abbreviations")
      .where("ward_id", "=", user.ward_id)
      .where("id", "=", id)
      .executeTakeFirst();
    if (Number(r.numDeletedRows) !== 1) return false;
    await audit(
      trx,
      actorOf(user),
      { action: "radio.abbreviation_remove", entity: "radio_abbreviation", entityId: id },
      now,
    );
    return true;
  });
}

export const slotOf = (s: string) => SLOTS[s as keyof typeof SLOTS] ?? s;
