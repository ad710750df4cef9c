/**
 * The library in public: `/van-ban` (the ward's entries, filtered by type, issuer, year and status), a page per
 * document (its facts, its status on the day, its relations both ways, the plans that cite it, the channels that
 * made it known), and `GET /api/v1/documents`. Entries hold only what the documents themselves publish.
 */

import { Hono } from "hono";
import { fileStoreOf } from "../../core/file-store.ts";
import { contentDisposition, downloadName } from "../../core/files.ts";
import { compareVi, formatDate } from "../../core/text/vi.ts";
import { apiQuery } from "../../core/web/api-query.ts";
import type { AppEnv } from "../../core/web/context.ts";
import { AppError, notFound } from "../../core/web/errors.ts";
import { Layout } from "../../core/web/layout.tsx";
import { cacheable } from "../../core/web/page-cache.ts";
import { todayOf } from "../../core/web/staff.ts";
import { documentFile } from "./documents.files.ts";
import { STATUSES, statusOfFilter } from "./documents.rules.ts";
import { documentsApiShape } from "./documents.schemas.ts";
import { type Entry, entryOf, filterLibrary, libraryOf } from "./documents.service.ts";
import * as q from "./documents.sql.ts";
import { DocumentFacts, MentionsList, RelationsList, statusLabel } from "./documents.views.tsx";

const yearOfParam = (v: string | undefined) => (v && /^\d{4}$/.test(v) ? Number(v) : undefined);

export function documentsPublicRoutes() {
  const app = new Hono<AppEnv>();

  app.get("/van-ban", cacheable("q", "loai", "co-quan", "nam", "hieu-luc"), async (c) => {
    const ward = c.get("ward");
    const all = await libraryOf(c.get("deps").db.kysely, ward.scopeIds, todayOf(c));
    const f = {
      q: c.req.query("q")?.slice(0, 200) ?? "",
      kind: c.req.query("loai")?.slice(0, 60) ?? "",
      issuer: c.req.query("co-quan")?.slice(0, 200) ?? "",
      year: c.req.query("nam") ?? "",
      status: c.req.query("hieu-luc")?.slice(0, 60) ?? "",
    };
    const shown = filterLibrary(all, {
      q: f.q || undefined,
      kind: f.kind || undefined,
      issuer: f.issuer || undefined,
      year: yearOfParam(f.year),
      status: f.status || undefined,
    });
    const kinds = [...new Set(all.map((e) => e.d.kind))].sort((a, b) => compareVi(a, b));
    const issuers = [...new Set(all.flatMap((e) => (e.d.issuer ? [e.d.issuer] : [])))].sort((a, b) => compareVi(a, b));
    const years = [...new Set(all.flatMap((e) => (e.d.year ? [e.d.year] : [])))].sort((a, b) => b - a);
    return c.html(
      <Layout title="Văn bản" ward={ward}>
        <h1>Văn bản về cải cách hành chính</h1>
        <p>
          Văn bản mà kế hoạch cải cách hành chính của {ward.unit.name} căn cứ, dẫn chiếu và tuyên truyền. Tình trạng
          hiệu lực được tính theo ngày hôm nay.
        </p>
        <form method="get" action={`${ward.base}/van-ban`} class="filters">
          <label for="q">Số, ký hiệu hoặc tên</label>
          <input type="search" id="q" name="q" value={f.q} />
          <label for="loai">Loại văn bản</label>
          <select id="loai" name="loai">
            <option value="">Tất cả</option>
            {kinds.map((k) => (
              <option value={k} selected={f.kind === k}>
                {k}
              </option>
            ))}
          </select>
          <label for="co-quan">Cơ quan ban hành</label>
          <select id="co-quan" name="co-quan">
            <option value="">Tất cả</option>
            {issuers.map((i) => (
              <option value={i} selected={f.issuer === i}>
                {i}
              </option>
            ))}
          </select>
          <label for="nam">Năm ban hành</label>
          <select id="nam" name="nam">
            <option value="">Tất cả</option>
            {years.map((y) => (
              <option value={String(y)} selected={f.year === String(y)}>
                {y}
              </option>
            ))}
          </select>
          <label for="hieu-luc">Tình trạng hiệu lực</label>
          <select id="hieu-luc" name="hieu-luc">
            <option value="">Tất cả</option>
            {Object.entries(STATUSES).map(([code, label]) => (
              <option value={code} selected={f.status === code}>
                {label}
              </option>
            ))}
          </select>
          <button type="submit">Lọc</button>
        </form>
        <p role="status">
          {shown.length} / {all.length} văn bản
        </p>
        {shown.length ? (
          <ul class="items">
            {shown.map((e) => (
              <li>
                <a href={`${ward.base}/van-ban/${e.d.id}`}>{e.name}</a>
                {e.d.title && e.d.number ? ` — ${e.d.title}` : ""}
                <br />
                <span class="muted small">
                  {[
                    e.d.issuer,
                    e.d.issued_on ? `ngày ${formatDate(e.d.issued_on)}` : e.d.year ? `năm ${e.d.year}` : null,
                    e.status ? statusLabel(e.status) : null,
                  ]
                    .filter(Boolean)
                    .join(" · ")}
                </span>
              </li>
            ))}
          </ul>
        ) : (
          <p>Không có văn bản phù hợp.</p>
        )}
      </Layout>,
    );
  });

  app.get("/van-ban/:id{[0-9]+}", cacheable(), async (c) => {
    const ward = c.get("ward");
    const db = c.get("deps").db.kysely;
    const e = await entryOf(db, ward.scopeIds, Number(c.req.param("id")), todayOf(c));
    if (!e) throw notFound("Không tìm thấy văn bản.");
    const [citations, mentions] = await Promise.all([
      q.citationsOfDocument(db, ward.scopeIds, e.d.id),
      q.mentionsOf(db, ward.scopeIds, e.d.id),
    ]);
    const plans = [...new Map(citations.map((p) => [p.plan_id, p])).values()];
    return c.html(
      <Layout title={e.name} ward={ward}>
        <h1>{e.name}</h1>
        {e.d.title ? <p class="lead">{e.d.title}</p> : null}
        <DocumentFacts e={e}>
          {e.d.official_url ? (
            <>
              <dt>Văn bản gốc</dt>
              <dd>
                <a href={e.d.official_url} rel="noopener noreferrer">
                  Xem toàn văn tại nguồn chính thức
                </a>
              </dd>
            </>
          ) : null}
          {e.d.file_id ? (
            <>
              <dt>Tệp văn bản</dt>
              <dd>
                <a href={`${ward.base}/van-ban/${e.d.id}/tep`}>Tải tệp văn bản</a>
              </dd>
            </>
          ) : null}
        </DocumentFacts>
        <h2>Văn bản liên quan</h2>
        <RelationsList e={e} href={(id) => `${ward.base}/van-ban/${id}`} />
        {plans.length ? (
          <>
            <h2>Kế hoạch dẫn chiếu</h2>
            <ul class="items">
              {plans.map((p) => (
                <li>
                  <a href={`${ward.base}/ke-hoach/${p.plan_id}`}>Kế hoạch {p.plan_number}</a>: {p.plan_title}
                </li>
              ))}
            </ul>
          </>
        ) : null}
        <h2>Đã tuyên truyền, phổ biến</h2>
        <MentionsList mentions={mentions} />
        <p>
          <a href={`${ward.base}/van-ban`}>Tất cả văn bản</a>
        </p>
      </Layout>,
    );
  });

  app.get("/van-ban/:id{[0-9]+}/tep", async (c) => {
    const ward = c.get("ward");
    const { db, config } = c.get("deps");
    const f = await documentFile(db.kysely, fileStoreOf({ db, config }), ward.scopeIds, Number(c.req.param("id")));
    if (!f) throw notFound("Văn bản chưa có tệp.");
    c.header("Content-Type", f.row.mime);
    c.header("Content-Disposition", contentDisposition(downloadName(f.row)));
    c.header("X-Content-Type-Options", "nosniff");
    return c.body(f.bytes as Uint8Array<ArrayBuffer>);
  });

  return app;
}

export function documentJson(e: Entry, base: string) {
  return {
    id: e.d.id,
    number: e.d.number,
    type: e.d.kind,
    issuer: e.d.issuer,
    issuedOn: e.d.issued_on,
    effectiveFrom: e.d.effective_from,
    expiresOn: e.d.expires_on,
    year: e.d.year,
    status: e.status,
    statusLabel: e.status ? STATUSES[e.status] : null,
    title: e.d.title ?? e.name,
    officialUrl: e.d.official_url,
    toComplete: e.d.incomplete === 1,
    relations: e.relations.map((r) => ({
      kind: r.kind,
      label: r.label,
      document: { id: r.other.id, number: r.other.number },
    })),
    url: `${base}/van-ban/${e.d.id}`,
  };
}

export function documentsApi() {
  const app = new Hono<AppEnv>();
  app.get("/documents", async (c) => {
    const query = apiQuery(c, documentsApiShape);
    if (query.status && statusOfFilter(query.status) === null)
      throw new AppError(
        400,
        "bad_query",
        `status: tình trạng hiệu lực không đúng; dùng một trong ${Object.keys(STATUSES).join(", ")}, none hoặc nhãn tiếng Việt (ví dụ “Còn hiệu lực”).`,
      );
    const ward = c.get("ward");
    const all = await libraryOf(c.get("deps").db.kysely, ward.scopeIds, todayOf(c));
    const rows = filterLibrary(all, {
      q: query.q,
      status: query.status,
      kind: query.kind,
      year: query.year ? Number(query.year) : undefined,
    });
    return c.json({ total: rows.length, items: rows.map((e) => documentJson(e, ward.base)) });
  });
  return app;
}
