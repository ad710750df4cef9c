/**
 * News and good models: drafts whose every save is a version, photos re-encoded without metadata, the workflow
 * (trình → xem xét → duyệt và đăng ngay / hẹn giờ, trả lại, gỡ) through the shared step runner, so each step happens
 * once, in one transaction with its step row and audit record. Publishing — by the leader's approval, or by the
 * publication job when the time set comes — writes in that transaction the article's one ledger activity (channel:
 * the ward's website; audience: its page views, added later as they are counted) and its search document;
 * withdrawing a published article takes both back.
 */

import type { Kysely } from "kysely";
import { type Actor, actorOf, audit } from "../../core/audit.ts";
import type { Role } from "../../core/auth/roles.ts";
import type { Config } from "../../core/config.ts";
import type { Db as AppDb } from "../../core/db/connection.ts";
import type { Database } from "../../core/db/schema.ts";
import { fileStoreOf } from "../../core/file-store.ts";
import { saveFileRow } from "../../core/files.ts";
import { markdownText } from "../../core/text/markdown.ts";
import { findPersonal } from "../../core/text/redact.ts";
import { vnToday } from "../../core/text/vi.ts";
import type { Ward } from "../../core/web/context.ts";
import { altField, preparePhotoUpload } from "../../core/web/photos.tsx";
import { type FieldErrors, type Validated, validate } from "../../core/web/validation.ts";
import {
  type StepResult,
  sendBackPlan,
  stepFailure,
  takeChannelStep,
  takeStep,
  withdrawPlan,
} from "../../core/workflow.ts";
import { workflowStore } from "../../core/workflow-sql.ts";
import { mentionNamedDocuments, unmentionDocuments } from "../documents/citations.ts";
import { unindexChannelItem } from "../events/events.search.ts";
import { channelAreasOf, checkChannelRefs } from "../events/events.service.ts";
import { recordLedgerEntry, setLedgerAudience, withdrawLedgerEntry } from "../plans/ledger.ts";
import { nextSearchSeq, writeSearchDoc } from "../search/search.sql.ts";
import { NEWS_KINDS, NEWS_STATUSES, type NewsKind, type NewsStep, STEPS, writesFor } from "./news.rules.ts";
import { type ArticleInput, approveForm, articleForm, reasonForm } from "./news.schemas.ts";
import * as q from "./news.sql.ts";

type Db = Kysely<Database>;

/** Owner kind, in the file store, of an article's photos (owner id: the article's). */
export const NEWS_FILE_OWNER = "news_article";

export interface NewsStaff {
  id: number;
  username: string;
  ward_id: number;
  role: Role;
  org_unit_id: number | null;
}

export const articlePath = (id: number) => `/tin-tuc/${id}`;

const checkRefs = (db: Db, ward: Ward, user: NewsStaff, input: ArticleInput, today: string) =>
  checkChannelRefs(db, ward, input, today, (unitId) => writesFor(user, unitId), {
    unit: "Đơn vị",
    ownOnly: "Cán bộ đơn vị chỉ viết, sửa bài của đơn vị mình.",
  });

/**
 * Personal data in what the public will read (a name introduced as "ông …", a phone, an e-mail, an ID number, a home
 * address), as a field error, or null.
 */
export function personalIn(
  fields: readonly (readonly [key: string, label: string, text: string])[],
): FieldErrors | null {
  for (const [key, label, text] of fields) {
    const found = findPersonal(text)[0];
    if (found)
      return {
        [key]: `Phần “${label}” được công khai nên không ghi thông tin cá nhân (“${text.slice(found.start, found.end)}”).`,
      };
  }
  return null;
}

const articleFields = (a: { title: string; summary: string; body: string }) =>
  [
    ["title", "Tiêu đề", a.title],
    ["summary", "Tóm tắt", a.summary],
    ["body", "Nội dung bài", a.body],
  ] as const;

const columnsOf = (input: ArticleInput) => ({
  kind: input.kind,
  org_unit_id: input.orgUnitId,
  title: input.title,
  summary: input.summary,
  body: input.body,
  area_ids_json: JSON.stringify([...new Set(input.areaIds)]),
});

async function validArticle(db: Db, ward: Ward, user: NewsStaff, raw: unknown, today: string) {
  const v = validate(articleForm, raw);
  if (!v.ok) return v;
  const problem = personalIn(articleFields(v.value)) ?? (await checkRefs(db, ward, user, v.value, today));
  if (problem) return { ok: false as const, errors: problem };
  return v;
}

export async function createArticle(
  db: Db,
  user: NewsStaff,
  ward: Ward,
  raw: unknown,
  now: Date,
  today: string,
): Promise<Validated<{ id: number }>> {
  const v = await validArticle(db, ward, user, raw, today);
  if (!v.ok) return v;
  const at = now.toISOString();
  const id = await db.transaction().execute(async (trx) => {
    const row = {
      ward_id: ward.unit.id,
      ...columnsOf(v.value),
      version_no: 1,
      status: "draft",
      created_by: user.id,
      created_at: at,
      updated_at: at,
    };
    const articleId = await q.insertArticle(trx, row);
    await q.insertVersion(trx, {
      articleId,
      versionNo: 1,
      title: row.title,
      summary: row.summary,
      body: row.body,
      areaIdsJson: row.area_ids_json,
      userId: user.id,
      actor: user.username,
      at,
    });
    await audit(trx, actorOf(user), { action: "news.create", entity: "news", entityId: articleId, after: row }, now);
    return articleId;
  });
  return { ok: true, value: { id } };
}

type Refusal = { ok: false; status: 403 | 404 | 409; errors: Record<string, string> };

/** Load an article of the user's ward that the user may change now (a draft of a unit they write for). */
async function loadDraft(db: Db, user: NewsStaff, id: number): Promise<q.ArticleRow | Refusal> {
  const current = await q.articleOf(db, [user.ward_id], id);
  if (!current) return { ok: false, status: 404, errors: { _: "Không tìm thấy bài." } };
  if (!writesFor(user, current.org_unit_id))
    return { ok: false, status: 403, errors: { _: "Cán bộ đơn vị chỉ sửa bài của đơn vị mình." } };
  if (current.status !== "draft")
    return {
      ok: false,
      status: 409,
      errors: { _: "Chỉ sửa được bài đang là dự thảo (đã trình thì cần được trả lại)." },
    };
  return current;
}

/** Save a corrected draft as its next version (the earlier ones are kept and can be compared). */
export async function editArticle(
  db: Db,
  user: NewsStaff,
  ward: Ward,
  id: number,
  raw: unknown,
  now: Date,
  today: string,
): Promise<Validated<{ id: number }> | Refusal> {
  const current = await loadDraft(db, user, id);
  if ("ok" in current) return current;
  const v = await validArticle(db, ward, user, raw, today);
  if (!v.ok) return v;
  const at = now.toISOString();
  const next = current.version_no + 1;
  const changes = { ...columnsOf(v.value), version_no: next, updated_at: at };
  const saved = await db.transaction().execute(async (trx) => {
    if (!(await q.flow.updateDraft(trx, ward.unit.id, id, changes, { version_no: current.version_no }))) return false;
    await q.insertVersion(trx, {
      articleId: id,
      versionNo: next,
      title: changes.title,
      summary: changes.summary,
      body: changes.body,
      areaIdsJson: changes.area_ids_json,
      userId: user.id,
      actor: user.username,
      at,
    });
    await audit(
      trx,
      actorOf(user),
      { action: "news.edit", entity: "news", entityId: id, before: { version: current.version_no }, after: changes },
      now,
    );
    return true;
  });
  if (!saved)
    return { ok: false, status: 409, errors: { _: "Bài vừa được trình hoặc sửa ở nơi khác. Vui lòng tải lại." } };
  return { ok: true, value: { id } };
}

export interface PhotoDeps {
  db: AppDb;
  config: Pick<Config, "dataDir" | "uploadMaxBytes" | "fileStore">;
}

/** Add a photo to a draft: re-encoded without metadata (core/images.ts), with its alt text checked like the text. */
export async function addPhoto(
  deps: PhotoDeps,
  user: NewsStaff,
  id: number,
  file: { name: string; bytes: Uint8Array } | null,
  rawAlt: unknown,
  now: Date,
): Promise<Validated<{ id: number }> | Refusal> {
  const db = deps.db.kysely;
  const current = await loadDraft(db, user, id);
  if ("ok" in current) return current;
  const alt = validate(altField, rawAlt);
  if (!alt.ok) return { ok: false, errors: { alt: alt.errors._ ?? "Nhập mô tả ảnh." } };
  const leak = personalIn([["alt", "Mô tả ảnh", alt.value]]);
  if (leak) return { ok: false, errors: leak };
  const photo = await preparePhotoUpload({ config: deps.config, files: fileStoreOf(deps) }, file);
  if (!photo.ok) return { ok: false, errors: { photo: photo.error } };
  const photoId = await db.transaction().execute(async (trx) => {
    const stored = await saveFileRow(
      trx,
      photo.upload,
      { wardId: current.ward_id, userId: user.id, owner: { kind: NEWS_FILE_OWNER, id } },
      now,
    );
    const pid = await q.insertPhoto(trx, {
      article_id: id,
      file_id: Number(stored.id),
      alt: alt.value,
      width: photo.width,
      height: photo.height,
      created_at: now.toISOString(),
    });
    await audit(
      trx,
      actorOf(user),
      { action: "news.photo_add", entity: "news", entityId: id, after: { photo: pid, alt: alt.value } },
      now,
    );
    return pid;
  });
  return { ok: true, value: { id: photoId } };
}

export async function removePhoto(
  db: Db,
  user: NewsStaff,
  id: number,
  photoId: number,
  now: Date,
): Promise<Validated<{ id: number }> | Refusal> {
  const current = await loadDraft(db, user, id);
  if ("ok" in current) return current;
  const done = await db.transaction().execute(async (trx) => {
    if (!(await q.deletePhoto(trx, id, photoId))) return false;
    await audit(
      trx,
      actorOf(user),
      { action: "news.photo_remove", entity: "news", entityId: id, before: { photo: photoId } },
      now,
    );
    return true;
  });
  if (!done) return { ok: false, status: 404, errors: { _: "Không tìm thấy ảnh." } };
  return { ok: true, value: { id } };
}

const store = workflowStore({
  entity: "news",
  subject: "Bài",
  notFound: "Không tìm thấy bài.",
  statusWords: NEWS_STATUSES,
  load: q.articleOf,
  sql: q.flow,
});

/** What publishing writes with the step: the ledger activity and the search document. */
async function publishWrites(trx: Db, actor: Actor, a: q.ArticleRow, userId: number, now: Date) {
  const areaIds = JSON.parse(a.area_ids_json) as number[];
  const areas = await channelAreasOf(trx, [a.ward_id]);
  const pillar = areas.find((x) => x.id === areaIds[0])?.pillar ?? null;
  await recordLedgerEntry(
    trx,
    actor,
    {
      wardId: a.ward_id,
      orgUnitId: a.org_unit_id,
      topic: "news",
      channel: "web_portal",
      pillar,
      title: `${NEWS_KINDS[a.kind as NewsKind] ?? "Tin, bài"}: ${a.title}`,
      occurredOn: vnToday(now),
      audience: a.views,
      place: "Trang thông tin điện tử của phường (mục Tin tức)",
      source: "news",
      sourceRef: String(a.id),
      createdBy: userId,
    },
    now,
  );
  // The documents the article names by number are recorded as made known by it (shown on their pages).
  await mentionNamedDocuments(
    trx,
    a.ward_id,
    `${a.title}\n${a.summary}\n${a.body}`,
    {
      source: "news",
      sourceRef: a.id,
      on: vnToday(now),
      channel: `${NEWS_KINDS[a.kind as NewsKind] ?? "Tin, bài"}: ${a.title}`,
    },
    now,
  );
  await writeSearchDoc(
    trx,
    {
      key: `news:${a.id}`,
      kind: "news",
      title: a.title,
      body: `${a.summary}\n${markdownText(a.body)}`,
      keywords: NEWS_KINDS[a.kind as NewsKind] ?? "",
      url: articlePath(a.id),
      scope: `unit:${a.ward_id}`,
    },
    await nextSearchSeq(trx),
  );
}

/** The last check before the public reads it: the text and every photo's alt text. */
async function publicProblem(db: Db, a: q.ArticleRow): Promise<string | null> {
  const photos = await q.photosOf(db, [a.id]);
  const found = personalIn([...articleFields(a), ...photos.map((p) => ["alt", "Mô tả ảnh", p.alt] as const)]);
  return found ? (Object.values(found)[0] as string) : null;
}

/** Where a publication set for later waits for its time (news.jobs.ts: the shared job queue). */
export interface PublicationQueue {
  schedule(trx: Db, articleId: number, wardId: number, at: Date, now: Date): Promise<void>;
  cancel(trx: Db, articleId: number): Promise<void>;
}

/**
 * Take a step on an article of the user's own ward. `form` carries the step's fields: the reason of a send-back or
 * withdrawal, the publication time of an approval (empty: now).
 */
export async function moveArticle(
  db: Db,
  user: NewsStaff,
  id: number,
  name: NewsStep,
  form: Record<string, string>,
  now: Date,
  queue: PublicationQueue,
): Promise<StepResult> {
  const step = STEPS[name];
  return takeChannelStep(db, store, user, id, name, step, now, async (a) => {
    const at = now.toISOString();
    const base = { updated_at: at };
    switch (name) {
      case "submit":
      case "review":
        return { to: step.to, changes: base, note: null, after: { status: step.to } };
      case "approve": {
        const v = validate(approveForm, form);
        if (!v.ok) return { ok: false, status: 400, errors: v.errors };
        const problem = await publicProblem(db, a);
        if (problem) return stepFailure(409, `Chưa thể duyệt: ${problem} Trả lại để đơn vị sửa.`);
        const later = v.value.publishAt && v.value.publishAt > at ? v.value.publishAt : null;
        if (later)
          return {
            to: "scheduled",
            changes: { ...base, approved_by: user.id, publish_at: later },
            note: `Đăng lúc ${later}`,
            after: { status: "scheduled", publishAt: later },
            also: (trx) => queue.schedule(trx, a.id, a.ward_id, new Date(later), now),
          };
        return {
          to: "published",
          changes: { ...base, approved_by: user.id, published_at: at, publish_at: null },
          note: null,
          after: { status: "published" },
          also: (trx) => publishWrites(trx, actorOf(user), a, user.id, now),
        };
      }
      case "send_back": {
        const v = validate(reasonForm, form);
        if (!v.ok) return { ok: false, status: 400, errors: v.errors };
        return sendBackPlan(base, a.round, v.value.reason);
      }
      case "withdraw": {
        const v = validate(reasonForm, form);
        if (!v.ok) return { ok: false, status: 400, errors: v.errors };
        return withdrawPlan(base, v.value.reason, async (trx) => {
          if (a.status === "scheduled") await queue.cancel(trx, a.id);
          if (a.status !== "published") return;
          await withdrawLedgerEntry(
            trx,
            actorOf(user),
            { wardId: a.ward_id, source: "news", sourceRef: String(a.id), reason: v.value.reason },
            now,
          );
          await unmentionDocuments(trx, a.ward_id, "news", a.id);
          await unindexChannelItem(trx, "news", a, articlePath(a.id));
        });
      }
    }
  });
}

/**
 * Publish one scheduled article whose time has come (the publication job's work): the same step as a leader's
 * immediate approval, taken in the name of the leader who approved it, so the ledger, the search and every cached
 * page change at that moment. An article withdrawn or already published meanwhile is left as it is.
 */
export async function publishScheduled(db: Db, articleId: number, now: Date): Promise<StepResult> {
  const a = await db
    .selectFrom("news_articles")
    .innerJoin("users", "users.id", "news_articles.approved_by")
    .select(["news_articles.ward_id", "news_articles.status", "news_articles.publish_at", "users.id", "users.username"])
    .where("news_articles.id", "=", articleId)
    .executeTakeFirst();
  if (a?.status !== "scheduled") return stepFailure(409, "Bài không còn chờ đăng.");
  if ((a.publish_at ?? "") > now.toISOString()) return stepFailure(409, "Chưa đến giờ đăng.");
  const publisher = { id: a.id, username: a.username, ward_id: a.ward_id };
  return takeStep(
    db,
    store,
    publisher,
    articleId,
    { name: "publish", what: "đăng", from: "scheduled", allowed: () => true },
    now,
    async (art) => ({
      to: "published",
      changes: { updated_at: now.toISOString(), published_at: art.publish_at ?? now.toISOString() },
      note: "Đăng theo lịch đã duyệt",
      after: { status: "published", scheduled: true },
      also: (trx) => publishWrites(trx, actorOf(publisher), art, publisher.id, now),
    }),
  );
}

/** The ward's latest published articles (the home page). */
export async function latestArticles(db: Db, ward: Ward, limit: number) {
  return q.articlesOf(db, ward.scopeIds, { publishedOnly: true, limit });
}

/** Add views counted in memory to their articles and to their ledger rows' audience, in one transaction. */
export async function addArticleViews(db: Db, counts: ReadonlyMap<number, number>): Promise<number> {
  if (counts.size === 0) return 0;
  return db.transaction().execute(async (trx) => {
    let changed = 0;
    for (const [id, n] of counts) {
      const row = await q.addViews(trx, id, n);
      if (!row) continue;
      changed++;
      await setLedgerAudience(trx, { wardId: row.ward_id, source: "news", sourceRef: String(id), audience: row.views });
    }
    return changed;
  });
}
