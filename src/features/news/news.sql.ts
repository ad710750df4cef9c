/** The news feature's SQL, in one place. Every read and write names the ward that owns the row. */
import type { Insertable, Kysely, Transaction } from "kysely";
import type { Database, NewsArticleTable, NewsPosterTable } from "../../core/db/schema.ts";
import { workflowSql } from "../../core/workflow-sql.ts";

type Q = Kysely<Database> | Transaction<Database>;

/** The workflow's queries (move with the status and round guard, correct a draft, its steps): src/core/workflow-sql.ts. */
export const flow = workflowSql("news_articles", "news_steps", "article_id");

const COLUMNS = [
  "news_articles.id",
  "news_articles.ward_id",
  "news_articles.org_unit_id",
  "news_articles.kind",
  "news_articles.title",
  "news_articles.summary",
  "news_articles.body",
  "news_articles.area_ids_json",
  "news_articles.version_no",
  "news_articles.status",
  "news_articles.round",
  "news_articles.return_reason",
  "news_articles.approved_by",
  "news_articles.publish_at",
  "news_articles.published_at",
  "news_articles.views",
  "news_articles.withdrawn_reason",
  "news_articles.created_at",
  "news_articles.updated_at",
  "org_units.name as org_unit_name",
] as const;

export function articleOf(db: Q, wardIds: readonly number[], id: number) {
  return db
    .selectFrom("news_articles")
    .innerJoin("org_units", "org_units.id", "news_articles.org_unit_id")
    .select(COLUMNS)
    .where("news_articles.ward_id", "in", wardIds)
    .where("news_articles.id", "=", id)
    .executeTakeFirst();
}
export type ArticleRow = NonNullable<Awaited<ReturnType<typeof articleOf>>>;

/** The ward's articles: all (staff, newest change first) or the published ones (newest publication first). */
export function articlesOf(
  db: Q,
  wardIds: readonly number[],
  opts: { publishedOnly: boolean; kind?: string; limit?: number },
) {
  let query = db
    .selectFrom("news_articles")
    .innerJoin("org_units", "org_units.id", "news_articles.org_unit_id")
    .select(COLUMNS)
    .where("news_articles.ward_id", "in", wardIds);
  if (opts.kind) query = query.where("news_articles.kind", "=", opts.kind);
  if (opts.publishedOnly)
    query = query
      .where("news_articles.status", "=", "published")
      .orderBy("news_articles.published_at", "desc")
      .orderBy("news_articles.id", "desc");
  else query = query.orderBy("news_articles.updated_at", "desc").orderBy("news_articles.id", "desc");
  return query.limit(opts.limit ?? 500).execute();
}

export async function insertArticle(db: Q, row: Insertable<NewsArticleTable>): Promise<number> {
  const r = await db.insertInto("news_articles").values(row).returning("id").executeTakeFirstOrThrow();
  return Number(r.id);
}

export async function insertVersion(
  db: Q,
  v: {
    articleId: number;
    versionNo: number;
    title: string;
    summary: string;
    body: string;
    areaIdsJson: string;
    userId: number | null;
    actor: string;
    at: string;
  },
): Promise<void> {
  await db
    .insertInto("news_versions")
    .values({
      article_id: v.articleId,
      version_no: v.versionNo,
      title: v.title,
      summary: v.summary,
      body: v.body,
      area_ids_json: v.areaIdsJson,
      user_id: v.userId,
      actor: v.actor,
      created_at: v.at,
    })
    .execute();
}

export function versionsOf(db: Q, articleId: number) {
  return db
    .selectFrom("news_versions")
    .select(["version_no", "title", "summary", "body", "area_ids_json", "actor", "created_at"])
    .where("article_id", "=", articleId)
    .orderBy("version_no")
    .execute();
}

export function photosOf(db: Q, articleIds: readonly number[]) {
  if (articleIds.length === 0) return Promise.resolve([]);
  return db
    .selectFrom("news_photos")
    .select(["id", "article_id", "file_id", "alt", "width", "height"])
    .where("article_id", "in", articleIds)
    .orderBy("id")
    .execute();
}

export async function insertPhoto(
  db: Q,
  row: { article_id: number; file_id: number; alt: string; width: number; height: number; created_at: string },
): Promise<number> {
  const r = await db.insertInto("news_photos").values(row).returning("id").executeTakeFirstOrThrow();
  return Number(r.id);
}

export async function deletePhoto(db: Q, articleId: number, photoId: number): Promise<boolean> {
  const r = await db
    .deleteFrom("news_photos")
    .where("article_id", "=", articleId)
    .where("id", "=", photoId)
    .executeTakeFirst();
  return Number(r.numDeletedRows) === 1;
}

/** A photo with its stored file and the article's ward and status: what serving it needs to decide. */
export function photoFile(db: Q, photoId: number) {
  return db
    .selectFrom("news_photos")
    .innerJoin("news_articles", "news_articles.id", "news_photos.article_id")
    .innerJoin("stored_files", "stored_files.id", "news_photos.file_id")
    .select([
      "news_photos.id",
      "news_articles.ward_id",
      "news_articles.status",
      "stored_files.sha256",
      "stored_files.mime",
      "stored_files.size",
    ])
    .where("news_photos.id", "=", photoId)
    .executeTakeFirst();
}

/** The ward owning an article (for the file store's authorisation). */
export async function wardOfArticle(db: Q, id: number): Promise<number | null> {
  const r = await db.selectFrom("news_articles").select("ward_id").where("id", "=", id).executeTakeFirst();
  return r ? Number(r.ward_id) : null;
}

/** Add views counted in memory to published articles; returns the rows changed with their new totals. */
export async function addViews(db: Q, id: number, n: number) {
  return db
    .updateTable("news_articles")
    .set((eb) => ({ views: eb("views", "+", n) }))
    .where("id", "=", id)
    .where("status", "=", "published")
    .returning(["id", "ward_id", "views"])
    .executeTakeFirst();
}

export async function insertPoster(db: Q, row: Insertable<NewsPosterTable>): Promise<number> {
  const r = await db.insertInto("news_posters").values(row).returning("id").executeTakeFirstOrThrow();
  return Number(r.id);
}

export function postersOf(db: Q, wardIds: readonly number[]) {
  return db
    .selectFrom("news_posters")
    .innerJoin("org_units", "org_units.id", "news_posters.org_unit_id")
    .select([
      "news_posters.id",
      "news_posters.kind",
      "news_posters.title",
      "news_posters.place",
      "news_posters.put_up_on",
      "news_posters.quantity",
      "news_posters.cost",
      "news_posters.file_id",
      "news_posters.alt",
      "news_posters.withdrawn_reason",
      "org_units.name as org_unit_name",
    ])
    .where("news_posters.ward_id", "in", wardIds)
    .orderBy("news_posters.put_up_on", "desc")
    .orderBy("news_posters.id", "desc")
    .limit(300)
    .execute();
}

export async function wardOfPoster(db: Q, id: number): Promise<number | null> {
  const r = await db.selectFrom("news_posters").select("ward_id").where("id", "=", id).executeTakeFirst();
  return r ? Number(r.ward_id) : null;
}
