/**
 * Staff pages of news under /quan-tri/tin-tuc: list (`news.read`), new and corrected drafts (`news.write`, an officer
 * for their own unit), photos of a draft, one article with the steps this user may take (news.rules.ts decides), the
 * comparison of two versions, and posters and banners. Every POST needs the session's CSRF token; every read and
 * write is of the user's own ward.
 */

import { type Context, Hono } from "hono";
import type { Role } from "../../core/auth/roles.ts";
import { fileStoreOf } from "../../core/file-store.ts";
import { diffLines } from "../../core/text/diff.ts";
import type { AppEnv } from "../../core/web/context.ts";
import { badRequest, notFound } from "../../core/web/errors.ts";
import { type FormState, type FormValues, pageErrors, readFormValues } from "../../core/web/forms.tsx";
import { requireAction, requireCsrf, requireStaff } from "../../core/web/middleware.ts";
import { photoUpload, servePhoto } from "../../core/web/photos.tsx";
import { sessionOf, todayOf } from "../../core/web/staff.ts";
import { formFields } from "../../core/web/validation.ts";
import { channelAreasOf, channelUnitsOf } from "../events/events.service.ts";
import { publicationQueue } from "./news.jobs.ts";
import { addPhoto, createArticle, editArticle, moveArticle, type NewsStaff, removePhoto } from "./news.service.ts";
import * as q from "./news.sql.ts";
import { ArticleFormPage, ArticlePage, ComparePage, NewsListPage, PostersPage, STEP_OF_PATH } from "./news.views.tsx";
import { recordPoster } from "./posters.service.ts";

type C = Context<AppEnv>;

const staffOf = (c: C): NewsStaff => {
  const u = sessionOf(c).user;
  return { id: u.id, username: u.username, ward_id: u.ward_id, role: u.role as Role, org_unit_id: u.org_unit_id };
};

const SAVED: Record<string, string> = {
  moi: "Đã lưu dự thảo.",
  sua: "Đã lưu thành phiên bản mới.",
  anh: "Đã thêm ảnh.",
  "bo-anh": "Đã bỏ ảnh.",
  trinh: "Đã trình Văn phòng.",
  "xem-xet": "Đã chuyển lãnh đạo duyệt.",
  "tra-lai": "Đã trả lại để sửa.",
  duyet: "Đã duyệt.",
  go: "Đã gỡ bài.",
  "bang-ron": "Đã ghi nhận: được tính là một hoạt động tuyên truyền.",
};

/** The form's fields, with the checked content areas (a repeated field) kept as a list, and the uploaded photo. */
async function readForm(c: C) {
  const body = await c.req.parseBody({ all: true });
  const raw = body.areaIds;
  const areaIds = (Array.isArray(raw) ? raw : raw == null ? [] : [raw]).filter(
    (v): v is string => typeof v === "string",
  );
  const file = await photoUpload(body.photo);
  const values = formFields(Object.fromEntries(Object.entries(body).filter(([k]) => k !== "areaIds" && k !== "photo")));
  delete values._csrf;
  return { values: { ...values, areaIds: areaIds.join(",") } as FormValues, areaIds, file };
}

const formValuesOf = (a: q.ArticleRow): FormValues => ({
  kind: a.kind,
  title: a.title,
  summary: a.summary,
  body: a.body,
  orgUnitId: String(a.org_unit_id),
  areaIds: (JSON.parse(a.area_ids_json) as number[]).join(","),
});

export function newsStaffRoutes() {
  const app = new Hono<AppEnv>();
  const read = [requireStaff, requireCsrf, requireAction("news.read")] as const;
  const write = [requireStaff, requireCsrf, requireAction("news.write")] as const;
  const idOf = (c: C) => Number(c.req.param("id"));

  const loadOwn = async (c: C) => {
    const a = await q.articleOf(c.get("deps").db.kysely, [sessionOf(c).user.ward_id], idOf(c));
    if (!a) throw notFound("Không tìm thấy bài.");
    return a;
  };

  const formPage = async (c: C, state: FormState, status: 200 | 400 | 403 | 409, article?: q.ArticleRow) => {
    const db = c.get("deps").db.kysely;
    const ward = c.get("ward");
    return c.html(
      <ArticleFormPage
        ward={ward}
        session={sessionOf(c)}
        state={state}
        units={await channelUnitsOf(db, ward.unit.id, todayOf(c))}
        areas={await channelAreasOf(db, ward.scopeIds)}
        article={article}
      />,
      status,
    );
  };

  const itemPage = async (c: C, state: FormState, status: 200 | 400 | 403 | 404 | 409 | 413) => {
    const db = c.get("deps").db.kysely;
    const a = await loadOwn(c);
    const saved = c.req.query("da-luu");
    return c.html(
      <ArticlePage
        ward={c.get("ward")}
        session={sessionOf(c)}
        article={a}
        photos={await q.photosOf(db, [a.id])}
        areas={await channelAreasOf(db, c.get("ward").scopeIds)}
        versions={await q.versionsOf(db, a.id)}
        steps={await q.flow.stepsOf(db, a.id)}
        state={state}
        saved={saved ? SAVED[saved] : undefined}
      />,
      status as 200,
    );
  };

  const postersPage = async (c: C, state: FormState, status: 200 | 400) => {
    const db = c.get("deps").db.kysely;
    const ward = c.get("ward");
    const saved = c.req.query("da-luu");
    return c.html(
      <PostersPage
        ward={ward}
        session={sessionOf(c)}
        state={state}
        units={await channelUnitsOf(db, ward.unit.id, todayOf(c))}
        areas={await channelAreasOf(db, ward.scopeIds)}
        posters={await q.postersOf(db, [ward.unit.id])}
        saved={saved ? SAVED[saved] : undefined}
      />,
      status,
    );
  };

  app.get("/tin-tuc", ...read, async (c) =>
    c.html(
      <NewsListPage
        ward={c.get("ward")}
        session={sessionOf(c)}
        articles={await q.articlesOf(c.get("deps").db.kysely, [sessionOf(c).user.ward_id], { publishedOnly: false })}
      />,
    ),
  );

  app.get("/tin-tuc/moi", ...write, async (c) =>
    formPage(c, { values: { kind: "news", orgUnitId: String(sessionOf(c).user.org_unit_id ?? "") }, errors: {} }, 200),
  );

  app.post("/tin-tuc/moi", ...write, async (c) => {
    const { values, areaIds } = await readForm(c);
    const { db, clock } = c.get("deps");
    const r = await createArticle(db.kysely, staffOf(c), c.get("ward"), { ...values, areaIds }, clock(), todayOf(c));
    if (!r.ok) return formPage(c, { values, errors: pageErrors(r.errors, "", "bai-viet") }, 400);
    return c.redirect(`/quan-tri/tin-tuc/${r.value.id}?da-luu=moi`, 303);
  });

  app.get("/tin-tuc/bang-ron", ...read, async (c) => postersPage(c, { values: { quantity: "1" }, errors: {} }, 200));

  app.post("/tin-tuc/bang-ron", ...write, async (c) => {
    const { values, areaIds, file } = await readForm(c);
    const { db, clock, config } = c.get("deps");
    const r = await recordPoster(
      { db, config },
      staffOf(c),
      c.get("ward"),
      { ...values, areaIds },
      file,
      clock(),
      todayOf(c),
    );
    if (!r.ok) return postersPage(c, { values, errors: pageErrors(r.errors, "", "bang-ron") }, 400);
    return c.redirect("/quan-tri/tin-tuc/bang-ron?da-luu=bang-ron", 303);
  });

  app.get("/tin-tuc/anh/:id{[0-9]+}", ...read, async (c) => {
    const { db, config } = c.get("deps");
    const p = await q.photoFile(db.kysely, Number(c.req.param("id")));
    if (!p || p.ward_id !== sessionOf(c).user.ward_id) throw notFound("Không tìm thấy ảnh.");
    return servePhoto(c, fileStoreOf({ db, config }), p, "private, no-store");
  });

  app.get("/tin-tuc/:id{[0-9]+}", ...read, async (c) => itemPage(c, { values: {}, errors: {} }, 200));

  app.get("/tin-tuc/:id{[0-9]+}/sua", ...write, async (c) => {
    const a = await loadOwn(c);
    return formPage(c, { values: formValuesOf(a), errors: {} }, 200, a);
  });

  app.post("/tin-tuc/:id{[0-9]+}/sua", ...write, async (c) => {
    const a = await loadOwn(c);
    const { values, areaIds } = await readForm(c);
    const { db, clock } = c.get("deps");
    const r = await editArticle(
      db.kysely,
      staffOf(c),
      c.get("ward"),
      a.id,
      { ...values, areaIds },
      clock(),
      todayOf(c),
    );
    if (!r.ok) {
      const status = "status" in r ? r.status : 400;
      if (status === 404) throw notFound("Không tìm thấy bài.");
      return formPage(c, { values, errors: pageErrors(r.errors, "", "bai-viet") }, status, a);
    }
    return c.redirect(`/quan-tri/tin-tuc/${a.id}?da-luu=sua`, 303);
  });

  app.post("/tin-tuc/:id{[0-9]+}/anh", ...write, async (c) => {
    const { values, file } = await readForm(c);
    const { db, clock, config } = c.get("deps");
    const r = await addPhoto({ db, config }, staffOf(c), idOf(c), file, values.alt, clock());
    if (!r.ok) {
      const status = "status" in r ? r.status : 400;
      if (status === 404) throw notFound("Không tìm thấy bài.");
      return itemPage(c, { values, errors: pageErrors(r.errors, "", "them-anh") }, status);
    }
    return c.redirect(`/quan-tri/tin-tuc/${idOf(c)}?da-luu=anh`, 303);
  });

  app.post("/tin-tuc/:id{[0-9]+}/anh/:photo{[0-9]+}/xoa", ...write, async (c) => {
    const { db, clock } = c.get("deps");
    const r = await removePhoto(db.kysely, staffOf(c), idOf(c), Number(c.req.param("photo")), clock());
    if (!r.ok) {
      const status = "status" in r ? r.status : 400;
      if (status === 404) throw notFound(r.errors._ ?? "Không tìm thấy.");
      return itemPage(c, { values: {}, errors: pageErrors(r.errors, "", "them-anh") }, status);
    }
    return c.redirect(`/quan-tri/tin-tuc/${idOf(c)}?da-luu=bo-anh`, 303);
  });

  app.get("/tin-tuc/:id{[0-9]+}/so-sanh", ...read, async (c) => {
    const a = await loadOwn(c);
    const versions = await q.versionsOf(c.get("deps").db.kysely, a.id);
    const num = (v: string | undefined, dflt: number) => (v && /^\d{1,6}$/.test(v) ? Number(v) : v ? Number.NaN : dflt);
    const to = num(c.req.query("den"), versions.length);
    const from = num(c.req.query("tu"), Math.max(1, to - 1));
    const vFrom = versions.find((v) => v.version_no === from);
    const vTo = versions.find((v) => v.version_no === to);
    if (!vFrom || !vTo) throw badRequest("Bài không có phiên bản này.");
    const part = (label: string, x: string, y: string) => ({ label, lines: diffLines(x, y), changed: x !== y });
    return c.html(
      <ComparePage
        ward={c.get("ward")}
        session={sessionOf(c)}
        article={a}
        from={from}
        to={to}
        versionCount={versions.length}
        parts={[
          part("Tiêu đề", vFrom.title, vTo.title),
          part("Tóm tắt", vFrom.summary, vTo.summary),
          part("Nội dung bài", vFrom.body, vTo.body),
        ]}
      />,
    );
  });

  app.post("/tin-tuc/:id{[0-9]+}/:step{[a-z-]+}", ...read, async (c) => {
    const step = STEP_OF_PATH[c.req.param("step")];
    if (!step) throw notFound();
    const values = await readFormValues(c);
    const { db, clock } = c.get("deps");
    const r = await moveArticle(db.kysely, staffOf(c), idOf(c), step, values, clock(), publicationQueue);
    if (!r.ok) {
      if (r.status === 404) throw notFound("Không tìm thấy bài.");
      const formId = step === "approve" ? "duyet" : step === "send_back" ? "tra-lai" : step === "withdraw" ? "go" : "";
      return itemPage(c, { values, errors: pageErrors(r.errors, formId, formId || "bai-viet") }, r.status);
    }
    return c.redirect(`/quan-tri/tin-tuc/${idOf(c)}?da-luu=${c.req.param("step")}`, 303);
  });

  return app;
}
