/**
 * News in public: `/tin-tuc` (the ward's published articles and good models, newest first), a page per article,
 * its photos, `/tin-tuc/feed.xml` (RSS 2.0) and `GET /api/v1/news`. Only published articles; a withdrawn one is gone.
 * No personal data: the text passed the check when approved; authors are named by unit only.
 */

import { Hono } from "hono";
import { raw } from "hono/html";
import { fileStoreOf } from "../../core/file-store.ts";
import { renderMarkdown } from "../../core/text/markdown.ts";
import { formatDate } from "../../core/text/vi.ts";
import { apiQuery } from "../../core/web/api-query.ts";
import type { AppEnv, Ward } from "../../core/web/context.ts";
import { notFound } from "../../core/web/errors.ts";
import { Layout } from "../../core/web/layout.tsx";
import { cacheable } from "../../core/web/page-cache.ts";
import { PhotoFigure, servePhoto } from "../../core/web/photos.tsx";
import { channelAreasOf } from "../events/events.service.ts";
import { NEWS_KINDS, type NewsKind } from "./news.rules.ts";
import { newsApiShape } from "./news.schemas.ts";
import { articlePath } from "./news.service.ts";
import * as q from "./news.sql.ts";
import { noteArticleView } from "./news.views-count.ts";
import { rssFeed } from "./rss.ts";

const kindOf = (k: string) => NEWS_KINDS[k as NewsKind] ?? k;
const KIND_PARAM: Record<string, NewsKind> = { tin: "news", "mo-hinh": "model" };
export const photoPath = (photoId: number) => `/tin-tuc/anh/${photoId}`;

type Photo = Awaited<ReturnType<typeof q.photosOf>>[number];

/** One article's text: summary, photos and the body (safe Markdown, rendered here). */
export function ArticleBody(props: { a: q.ArticleRow; photos: Photo[]; photoSrc: (id: number) => string }) {
  return (
    <>
      <p class="lead">
        <strong>{props.a.summary}</strong>
      </p>
      {props.photos.map((p) => (
        <PhotoFigure p={p} src={props.photoSrc(p.id)} />
      ))}
      <div class="article-body">{raw(renderMarkdown(props.a.body))}</div>
    </>
  );
}

function ArticleItem({ a, base }: { a: q.ArticleRow; base: string }) {
  return (
    <li>
      <a href={`${base}${articlePath(a.id)}`}>{a.title}</a>
      <br />
      <span class="muted small">
        {kindOf(a.kind)} · {formatDate(a.published_at)} · {a.org_unit_name}
      </span>
      <br />
      {a.summary}
    </li>
  );
}

/** The home page's latest articles, with a link to all of them. */
export function LatestNews({ articles, base }: { articles: q.ArticleRow[]; base: string }) {
  return (
    <section class="card" aria-labelledby="tin-moi">
      <h2 id="tin-moi">Tin tức mới</h2>
      {articles.length ? (
        <ul class="items">
          {articles.map((a) => (
            <li>
              <a href={`${base}${articlePath(a.id)}`}>{a.title}</a>{" "}
              <span class="muted small">
                {kindOf(a.kind)} · {formatDate(a.published_at)}
              </span>
            </li>
          ))}
        </ul>
      ) : (
        <p>Chưa có bài nào được đăng.</p>
      )}
      <p>
        <a href={`${base}/tin-tuc`}>Tất cả tin tức</a>
      </p>
    </section>
  );
}

const origin = (c: import("hono").Context<AppEnv>) =>
  c.get("deps").config.publicUrl?.replace(/\/+$/, "") ?? new URL(c.req.url).origin;

export function newsPublicRoutes() {
  const app = new Hono<AppEnv>();

  app.get("/tin-tuc", cacheable("loai"), async (c) => {
    const ward = c.get("ward");
    const kind = KIND_PARAM[c.req.query("loai") ?? ""];
    const rows = await q.articlesOf(c.get("deps").db.kysely, ward.scopeIds, { publishedOnly: true, kind, limit: 100 });
    const title = kind === "model" ? "Mô hình, điển hình tốt" : kind === "news" ? "Tin, bài" : "Tin tức";
    return c.html(
      <Layout title={title} ward={ward}>
        <h1>{title} về cải cách hành chính</h1>
        <p>
          <a href={`${ward.base}/tin-tuc`}>Tất cả</a> · <a href={`${ward.base}/tin-tuc?loai=tin`}>Tin, bài</a> ·{" "}
          <a href={`${ward.base}/tin-tuc?loai=mo-hinh`}>Mô hình, điển hình tốt</a> ·{" "}
          <a href={`${ward.base}/tin-tuc/feed.xml`}>Nhận tin qua RSS</a>
        </p>
        {rows.length ? (
          <ul class="items">
            {rows.map((a) => (
              <ArticleItem a={a} base={ward.base} />
            ))}
          </ul>
        ) : (
          <p>Chưa có bài nào được đăng.</p>
        )}
      </Layout>,
    );
  });

  app.get("/tin-tuc/feed.xml", async (c) => {
    const ward = c.get("ward");
    const { db, clock } = c.get("deps");
    const rows = await q.articlesOf(db.kysely, ward.scopeIds, { publishedOnly: true, limit: 50 });
    const site = `${origin(c)}${ward.base}`;
    const body = rssFeed({
      title: `Tin tức cải cách hành chính · ${ward.unit.name}`,
      link: `${site}/tin-tuc`,
      self: `${site}/tin-tuc/feed.xml`,
      description: `Tin, bài và mô hình, điển hình tốt về cải cách hành chính của ${ward.unit.name}.`,
      now: clock().toISOString(),
      items: rows.map((a) => ({
        title: a.title,
        link: `${site}${articlePath(a.id)}`,
        description: a.summary,
        category: kindOf(a.kind),
        publishedAt: a.published_at ?? a.updated_at,
      })),
    });
    c.header("Content-Type", "application/rss+xml; charset=utf-8");
    c.header("Cache-Control", "public, max-age=300");
    return c.body(body);
  });

  app.get("/tin-tuc/anh/:id{[0-9]+}", async (c) => {
    const { db, config } = c.get("deps");
    const p = await q.photoFile(db.kysely, Number(c.req.param("id")));
    if (p?.status !== "published" || !c.get("ward").scopeIds.includes(p.ward_id)) throw notFound("Không tìm thấy ảnh.");
    return servePhoto(c, fileStoreOf({ db, config }), p, "public, max-age=300");
  });

  app.get("/tin-tuc/:id{[0-9]+}", cacheable(), async (c) => {
    const ward = c.get("ward");
    const db = c.get("deps").db.kysely;
    const a = await q.articleOf(db, ward.scopeIds, Number(c.req.param("id")));
    if (a?.status !== "published") throw notFound("Không tìm thấy bài, hoặc bài đã được gỡ.");
    // A view now, and one each time the cache answers for this page.
    const view = () => noteArticleView(c.get("deps"), a.id);
    view();
    c.set("onCacheServe", view);
    const photos = await q.photosOf(db, [a.id]);
    const areaIds = new Set(JSON.parse(a.area_ids_json) as number[]);
    const areas = (await channelAreasOf(db, ward.scopeIds)).filter((x) => areaIds.has(x.id));
    return c.html(
      <Layout title={a.title} ward={ward}>
        <article>
          <h1>{a.title}</h1>
          <p class="muted small">
            {kindOf(a.kind)} · Đăng ngày {formatDate(a.published_at)} · {a.org_unit_name}
            {areas.length ? ` · ${areas.map((x) => x.title).join("; ")}` : ""}
          </p>
          <ArticleBody a={a} photos={photos} photoSrc={(id) => `${ward.base}${photoPath(id)}`} />
        </article>
        <p>
          <a href={`${ward.base}/tin-tuc`}>Tất cả tin tức</a>
        </p>
      </Layout>,
    );
  });

  return app;
}

export function articleJson(a: q.ArticleRow, photos: Photo[], ward: Ward) {
  return {
    id: a.id,
    kind: a.kind,
    title: a.title,
    summary: a.summary,
    publishedAt: a.published_at ?? a.updated_at,
    unit: a.org_unit_name,
    url: `${ward.base}${articlePath(a.id)}`,
    photos: photos
      .filter((p) => p.article_id === a.id)
      .map((p) => ({ url: `${ward.base}${photoPath(p.id)}`, alt: p.alt, width: p.width, height: p.height })),
  };
}

export function newsApi() {
  const app = new Hono<AppEnv>();
  app.get("/news", async (c) => {
    const query = apiQuery(c, newsApiShape);
    const ward = c.get("ward");
    const db = c.get("deps").db.kysely;
    const rows = await q.articlesOf(db, ward.scopeIds, { publishedOnly: true, kind: query.kind, limit: 500 });
    const photos = await q.photosOf(
      db,
      rows.map((a) => a.id),
    );
    return c.json({ total: rows.length, items: rows.map((a) => articleJson(a, photos, ward)) });
  });
  return app;
}
