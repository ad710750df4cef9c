/**
 * Staff pages of the library under /quan-tri/van-ban: the list (entries to complete, uncertain matches to settle),
 * new and corrected entries, one entry with its relations editor and status events (`document.read` to see,
 * `document.write` to change). Every POST needs the session's CSRF token; every read and write is of the user's
 * own ward.
 */

import { type Context, Hono } from "hono";
import { fileStoreOf } from "../../core/file-store.ts";
import { formatDate } from "../../core/text/vi.ts";
import type { AppEnv } from "../../core/web/context.ts";
import { notFound } from "../../core/web/errors.ts";
import { type FormState, type FormValues, pageErrors, readFormValues } from "../../core/web/forms.tsx";
import { requireAction, requireCsrf, requireStaff } from "../../core/web/middleware.ts";
import { sessionOf, todayOf } from "../../core/web/staff.ts";
import { attachDocumentFile } from "./documents.files.ts";
import {
  addRelation,
  addStatusEvent,
  createDocument,
  type Entry,
  editDocument,
  entryOf,
  type LibraryStaff,
  libraryOf,
  removeRelation,
  removeStatusEvent,
  settleCitation,
} from "./documents.service.ts";
import * as q from "./documents.sql.ts";
import { DocumentFormPage, DocumentStaffPage, LibraryListPage } from "./documents.views.tsx";

type C = Context<AppEnv>;

const staffOf = (c: C): LibraryStaff => {
  const u = sessionOf(c).user;
  return { id: u.id, username: u.username, ward_id: u.ward_id };
};

const SAVED: Record<string, string> = {
  moi: "Đã thêm văn bản vào thư viện.",
  sua: "Đã lưu.",
  "quan-he": "Đã thêm quan hệ.",
  "bo-quan-he": "Đã bỏ quan hệ.",
  "hieu-luc": "Đã ghi nhận sự kiện hiệu lực.",
  "xoa-hieu-luc": "Đã xóa sự kiện hiệu lực.",
  tep: "Đã lưu tệp văn bản.",
};

const formValuesOf = (d: q.DocumentRow): FormValues => ({
  kind: d.kind,
  number: d.number ?? "",
  issuer: d.issuer ?? "",
  title: d.title ?? "",
  issuedOn: d.issued_on ? formatDate(d.issued_on) : "",
  year: d.issued_on || d.year == null ? "" : String(d.year),
  effectiveFrom: d.effective_from ? formatDate(d.effective_from) : "",
  expiresOn: d.expires_on ? formatDate(d.expires_on) : "",
  officialUrl: d.official_url ?? "",
  note: d.note,
});

export function documentsStaffRoutes() {
  const app = new Hono<AppEnv>();
  const read = [requireStaff, requireCsrf, requireAction("document.read")] as const;
  const write = [requireStaff, requireCsrf, requireAction("document.write")] as const;
  const idOf = (c: C) => Number(c.req.param("id"));
  const own = (c: C) => [sessionOf(c).user.ward_id];

  const loadOwn = async (c: C): Promise<Entry> => {
    const e = await entryOf(c.get("deps").db.kysely, own(c), idOf(c), todayOf(c));
    if (!e) throw notFound("Không tìm thấy văn bản.");
    return e;
  };

  const itemPage = async (c: C, state: FormState, status: 200 | 400 | 404 | 409 | 413 | 415) => {
    const db = c.get("deps").db.kysely;
    const e = await loadOwn(c);
    const all = await libraryOf(db, own(c), todayOf(c));
    const saved = c.req.query("da-luu");
    return c.html(
      <DocumentStaffPage
        ward={c.get("ward")}
        session={sessionOf(c)}
        entry={e}
        others={all.filter((o) => o.d.id !== e.d.id)}
        events={await q.eventsOfDocuments(db, own(c), [e.d.id])}
        citations={await q.citationsOfDocument(db, own(c), e.d.id)}
        mentions={await q.mentionsOf(db, own(c), e.d.id)}
        state={state}
        saved={saved ? SAVED[saved] : undefined}
      />,
      status,
    );
  };

  const formPage = (c: C, state: FormState, status: 200 | 400 | 409, entry?: Entry) =>
    c.html(<DocumentFormPage ward={c.get("ward")} session={sessionOf(c)} state={state} entry={entry} />, status);

  app.get("/van-ban", ...read, async (c) => {
    const db = c.get("deps").db.kysely;
    const entries = await libraryOf(db, own(c), todayOf(c));
    const names = new Map(entries.map((e) => [e.d.id, e.name]));
    const uncertain = (await q.uncertainCitations(db, sessionOf(c).user.ward_id)).map((u) => ({
      ...u,
      name: names.get(u.document_id) ?? String(u.document_id),
    }));
    return c.html(
      <LibraryListPage ward={c.get("ward")} session={sessionOf(c)} entries={entries} uncertain={uncertain} />,
    );
  });

  app.get("/van-ban/moi", ...write, async (c) => formPage(c, { values: { kind: "Quyết định" }, errors: {} }, 200));

  app.post("/van-ban/moi", ...write, async (c) => {
    const values = await readFormValues(c);
    const { db, clock } = c.get("deps");
    const r = await createDocument(db.kysely, staffOf(c), values, clock());
    if (!r.ok) return formPage(c, { values, errors: pageErrors(r.errors, "", "van-ban") }, 400);
    return c.redirect(`/quan-tri/van-ban/${r.value.id}?da-luu=moi`, 303);
  });

  app.get("/van-ban/:id{[0-9]+}", ...read, async (c) => itemPage(c, { values: {}, errors: {} }, 200));

  app.get("/van-ban/:id{[0-9]+}/sua", ...write, async (c) => {
    const e = await loadOwn(c);
    return formPage(c, { values: formValuesOf(e.d), errors: {} }, 200, e);
  });

  app.post("/van-ban/:id{[0-9]+}/sua", ...write, async (c) => {
    const e = await loadOwn(c);
    const values = await readFormValues(c);
    const { db, clock } = c.get("deps");
    const r = await editDocument(db.kysely, staffOf(c), e.d.id, values, clock());
    if (!r.ok) {
      const status = "status" in r ? r.status : 400;
      if (status === 404) throw notFound("Không tìm thấy văn bản.");
      return formPage(c, { values, errors: pageErrors(r.errors, "", "van-ban") }, status === 409 ? 409 : 400, e);
    }
    return c.redirect(`/quan-tri/van-ban/${e.d.id}?da-luu=sua`, 303);
  });

  app.post("/van-ban/:id{[0-9]+}/tep", ...write, async (c) => {
    const body = await c.req.parseBody();
    const f = body.file;
    const upload =
      f instanceof File && !(f.size === 0 && f.name === "")
        ? { name: f.name, bytes: new Uint8Array(await f.arrayBuffer()) }
        : null;
    const { db, clock, config } = c.get("deps");
    const u = sessionOf(c).user;
    const r = await attachDocumentFile(
      db.kysely,
      { config, files: fileStoreOf({ db, config }) },
      { userId: u.id, name: u.username, wardId: u.ward_id },
      idOf(c),
      upload,
      clock(),
    );
    if (!r.ok) {
      if (r.status === 404) throw notFound("Không tìm thấy văn bản.");
      return itemPage(c, { values: {}, errors: pageErrors(r.errors, "", "tep") }, r.status);
    }
    return c.redirect(`/quan-tri/van-ban/${idOf(c)}?da-luu=tep`, 303);
  });

  app.post("/van-ban/:id{[0-9]+}/quan-he", ...write, async (c) => {
    const values = await readFormValues(c);
    const { db, clock } = c.get("deps");
    const r = await addRelation(db.kysely, staffOf(c), idOf(c), values, clock());
    if (!r.ok) {
      const status = "status" in r ? r.status : 400;
      if (status === 404) throw notFound("Không tìm thấy văn bản.");
      return itemPage(c, { values, errors: pageErrors(r.errors, "", "quan-he") }, status === 409 ? 409 : 400);
    }
    return c.redirect(`/quan-tri/van-ban/${idOf(c)}?da-luu=quan-he`, 303);
  });

  app.post("/van-ban/:id{[0-9]+}/quan-he/:rid{[0-9]+}/xoa", ...write, async (c) => {
    const { db, clock } = c.get("deps");
    if (!(await removeRelation(db.kysely, staffOf(c), idOf(c), Number(c.req.param("rid")), clock())))
      throw notFound("Không tìm thấy quan hệ.");
    return c.redirect(`/quan-tri/van-ban/${idOf(c)}?da-luu=bo-quan-he`, 303);
  });

  app.post("/van-ban/:id{[0-9]+}/hieu-luc", ...write, async (c) => {
    const values = await readFormValues(c);
    const { db, clock } = c.get("deps");
    const r = await addStatusEvent(db.kysely, staffOf(c), idOf(c), values, clock());
    if (!r.ok) {
      if ("status" in r && r.status === 404) throw notFound("Không tìm thấy văn bản.");
      return itemPage(c, { values: {}, errors: pageErrors(r.errors, "ev", "hieu-luc") }, 400);
    }
    return c.redirect(`/quan-tri/van-ban/${idOf(c)}?da-luu=hieu-luc`, 303);
  });

  app.post("/van-ban/:id{[0-9]+}/hieu-luc/:eid{[0-9]+}/xoa", ...write, async (c) => {
    const { db, clock } = c.get("deps");
    if (!(await removeStatusEvent(db.kysely, staffOf(c), idOf(c), Number(c.req.param("eid")), clock())))
      throw notFound("Không tìm thấy sự kiện hiệu lực.");
    return c.redirect(`/quan-tri/van-ban/${idOf(c)}?da-luu=xoa-hieu-luc`, 303);
  });

  app.post("/van-ban/trich-dan/:cid{[0-9]+}/:decision{xac-nhan|tach}", ...write, async (c) => {
    const { db, clock } = c.get("deps");
    const decision = c.req.param("decision") === "tach" ? "split" : "confirm";
    const r = await settleCitation(db.kysely, staffOf(c), Number(c.req.param("cid")), decision, clock());
    if (!r.ok) {
      if (r.status === 404) throw notFound("Không tìm thấy trích dẫn.");
      return c.redirect("/quan-tri/van-ban", 303);
    }
    return c.redirect(`/quan-tri/van-ban/${r.documentId}?da-luu=sua`, 303);
  });

  return app;
}
