/**
 * The site search. Public: `GET /tim-kiem?q=` (also under /w/{ward}), results with the matched words highlighted,
 * paged by plain links; when nothing matches, a page that helps (a corrected query, the closest titles, the fields of
 * the catalogue, a way to ask). Staff (administrator, coordinator): `/quan-tri/tu-dong-nghia`, the synonym table —
 * the abbreviations and everyday words citizens type — listed, added to and pruned; every change audited. The
 * national defaults are changed only by a deployment operator; a ward adds its own on top (core/auth/owners.ts).
 * Server-rendered, no JavaScript.
 */
import { type Context, Hono } from "hono";
import { raw } from "hono/html";
import { isOperator, mayChange, NATION, type Owner, unitOwner } from "../../core/auth/owners.ts";
import { compareVi, vnToday } from "../../core/text/vi.ts";
import type { AppEnv, Ward } from "../../core/web/context.ts";
import { badRequest, forbidden } from "../../core/web/errors.ts";
import { CsrfField, describedBy, FieldError, readFormValues, SavedNotice, TextField } from "../../core/web/forms.tsx";
import { ErrorSummary, Layout } from "../../core/web/layout.tsx";
import { NATIONAL_ONLY, requireAction, requireCsrf, requireStaff } from "../../core/web/middleware.ts";
import { cacheable } from "../../core/web/page-cache.ts";
import { actorOf, sessionOf } from "../../core/web/staff.ts";
import type { FieldErrors } from "../../core/web/validation.ts";
import { wardCatalogue } from "../procedures/procedures.catalogue.ts";
import { fieldAnchor, ProcedureStyles } from "../procedures/views/shared.tsx";
import {
  addSynonym,
  askContact,
  fresh,
  KIND_LABELS,
  listSynonyms,
  MAX_QUERY_CHARS,
  removeSynonym,
  type SiteHit,
  type SiteResults,
  type SynonymRow,
  searchSite,
  termKey,
} from "./search.service.ts";
import { countOpen, countSearch, type LogTarget, SEARCH_LOG_RETENTION_DEFAULT } from "./search-log.ts";

type C = Context<AppEnv>;

const MAX_PAGE = 500;

/** The address of a search. */
export function searchPath(base: string, q: string, opts: { kind?: string; page?: number } = {}): string {
  const params = new URLSearchParams({ q });
  if (opts.kind) params.set("loai", opts.kind);
  if (opts.page && opts.page > 1) params.set("trang", String(opts.page));
  return `${base}/tim-kiem?${params.toString()}`;
}

/** A path kept readable in a query string ("/thu-tuc/1.001193"), everything else encoded. */
const pathParam = (p: string) => encodeURIComponent(p).replace(/%2F/gi, "/");

/** A result's link: through `/tim-kiem/mo`, which counts the open for this query, then on to the result. */
export function openPath(base: string, q: string, target: string): string {
  return `${base}/tim-kiem/mo?q=${encodeURIComponent(q)}&den=${pathParam(target)}`;
}

/** `den` as a path of this portal ("/thu-tuc/1.001193"), or null: never another site (no open redirect). */
export function portalPath(den: string): string | null {
  // "//evil.example" and "/\\evil.example" are other hosts to a browser; control characters hide such tricks.
  const hidden = [...den].some((ch) => ch === "\\" || (ch.codePointAt(0) ?? 0) < 0x20 || ch === "\u007f");
  if (!den.startsWith("/") || den.startsWith("//") || hidden) return null;
  const origin = "http://portal.invalid";
  let u: URL;
  try {
    u = new URL(den, origin);
  } catch {
    return null;
  }
  return u.origin === origin && !u.pathname.startsWith("//") ? `${u.pathname}${u.search}${u.hash}` : null;
}

/** Where the search log writes for this request's ward. */
function logTarget(c: C): LogTarget {
  const { db, clock, config, log } = c.get("deps");
  return {
    db,
    unitId: c.get("ward").unit.id,
    now: clock(),
    retentionDays: config.searchLogRetentionDays ?? SEARCH_LOG_RETENTION_DEFAULT,
    onError: (err) => log.warn({ event: "search_log.write_failed", message: err.message }, "search log not written"),
  };
}

const pageOf = (v: string | undefined) => {
  const n = Number(v);
  return Number.isInteger(n) && n >= 1 && n <= MAX_PAGE ? n : 1;
};

// -------------------------------------------------------------------------------------------------------------
// Public page

interface HelpData {
  fields: { field: string; count: number }[];
  contact: { address: string; hours: string | null } | null;
}

function SearchForm({ base, query }: { base: string; query: string }) {
  return (
    <search>
      <form class="search-form" method="get" action={`${base}/tim-kiem`}>
        <label for="q">Tìm thủ tục, thông tin</label>
        <input
          type="search"
          id="q"
          name="q"
          value={query}
          maxlength={MAX_QUERY_CHARS}
          placeholder="Ví dụ: đăng ký khai sinh"
          aria-describedby="q-goi-y"
        />
        <button type="submit" class="btn">
          Tìm
        </button>
      </form>
      <p class="hint" id="q-goi-y">
        Gõ có dấu hoặc không dấu; viết tắt cũng được (dk khai sinh, cccd, so do).
      </p>
    </search>
  );
}

/** One result: the title with the matched words marked (escaped by the search engine), and what it is. */
function Hit({ h, base, query }: { h: SiteHit; base: string; query: string }) {
  return (
    <li>
      {/* titleHtml is the engine's escaped title with <mark> tags: the only raw HTML of this page. */}
      <a href={openPath(base, query, h.url)} rel="nofollow">
        {raw(h.titleHtml)}
      </a>{" "}
      <span class="muted small">
        · {h.kindLabel}
        {h.pinned ? " · Phường khuyên dùng cho câu tìm này" : ""}
      </span>
    </li>
  );
}

function Suggestion({ base, r, kind }: { base: string; r: SiteResults; kind?: string }) {
  if (!r.suggestion) return null;
  return (
    <p class="suggestion">
      Có phải bạn muốn tìm: <a href={searchPath(base, r.suggestion, { kind })}>{r.suggestion}</a>?
    </p>
  );
}

function Pagination({ base, r, kind }: { base: string; r: SiteResults; kind?: string }) {
  if (r.pages <= 1) return null;
  return (
    <nav class="pager" aria-label="Các trang kết quả">
      {r.page > 1 ? (
        <a href={searchPath(base, r.query, { kind, page: r.page - 1 })} rel="prev">
          ← Trang trước
        </a>
      ) : null}{" "}
      <span>
        Trang {r.page} / {r.pages}
      </span>{" "}
      {r.page < r.pages ? (
        <a href={searchPath(base, r.query, { kind, page: r.page + 1 })} rel="next">
          Trang sau →
        </a>
      ) : null}
    </nav>
  );
}

function NothingFound({ ward, r, help, kind }: { ward: Ward; r: SiteResults; help: HelpData; kind?: string }) {
  const base = ward.base;
  return (
    <>
      {/* The status around the heading, not on it: role="status" on an h2 would stop it being a heading. */}
      <div role="status">
        <h2>Không tìm thấy kết quả nào cho «{r.query}»</h2>
      </div>
      <Suggestion base={base} r={r} kind={kind} />
      {r.closest.length ? (
        <section aria-labelledby="gan-nhat">
          <h3 id="gan-nhat">Có thể bạn cần</h3>
          <ul class="items results">
            {r.closest.map((h) => (
              <Hit h={h} base={base} query={r.query} />
            ))}
          </ul>
        </section>
      ) : null}
      <section aria-labelledby="meo-tim">
        <h3 id="meo-tim">Mẹo tìm kiếm</h3>
        <ul>
          <li>Kiểm tra lỗi chính tả, hoặc gõ ít từ hơn.</li>
          <li>Gõ tên việc cần làm, như «khai sinh», «tạm trú», «chứng thực», «giấy phép xây dựng».</li>
        </ul>
      </section>
      {help.fields.length ? (
        <nav aria-labelledby="linh-vuc">
          <h3 id="linh-vuc">Xem thủ tục theo lĩnh vực</h3>
          <ul class="field-index">
            {help.fields.map(({ field, count }) => (
              <li>
                <a href={`${base}/thu-tuc#${fieldAnchor(field)}`}>{field || "Lĩnh vực khác"}</a>{" "}
                <span class="count">({count})</span>
              </li>
            ))}
          </ul>
        </nav>
      ) : null}
      <section aria-labelledby="hoi">
        <h3 id="hoi">Chưa tìm được điều bạn cần?</h3>
        <p>
          <a href={`${base}/hoi-dap/hoi`}>Gửi câu hỏi cho {ward.unit.name}</a>: cán bộ sẽ trả lời bạn.
        </p>
        {help.contact ? (
          <p>
            Hoặc hỏi trực tiếp tại nơi tiếp nhận hồ sơ: {help.contact.address}
            {help.contact.hours ? ` (${help.contact.hours})` : ""}.
          </p>
        ) : null}
      </section>
    </>
  );
}

function SearchPage({ ward, r, help, kind }: { ward: Ward; r: SiteResults; help: HelpData | null; kind?: string }) {
  const base = ward.base;
  return (
    <>
      <ProcedureStyles />
      <h1>Tìm kiếm</h1>
      <SearchForm base={base} query={r.query} />
      {!r.query ? null : r.total === 0 && help ? (
        <NothingFound ward={ward} r={r} help={help} kind={kind} />
      ) : (
        <>
          <p role="status">
            Tìm thấy <strong>{r.total}</strong> kết quả cho «{r.query}»
            {kind ? ` trong mục ${KIND_LABELS[kind] ?? kind}` : ""}.
          </p>
          {r.readAs ? (
            <p class="read-as">
              Kết quả cho: <strong>{r.readAs}</strong> (từ “{r.query}”)
            </p>
          ) : null}
          {r.approximate ? (
            <p class="notice">Không có kết quả chứa đủ các từ bạn gõ; dưới đây là những kết quả gần đúng nhất.</p>
          ) : null}
          <Suggestion base={base} r={r} kind={kind} />
          <ol class="items results" start={(r.page - 1) * 20 + 1}>
            {r.items.map((h) => (
              <Hit h={h} base={base} query={r.query} />
            ))}
          </ol>
          <Pagination base={base} r={r} kind={kind} />
          <p class="small">
            Không thấy điều bạn cần? <a href={`${base}/hoi-dap/hoi`}>Gửi câu hỏi cho {ward.unit.name}</a>.
          </p>
        </>
      )}
    </>
  );
}

/** Routes at "/" and "/w/:ward". */
export function searchPublicRoutes() {
  const app = new Hono<AppEnv>();

  app.get("/tim-kiem", cacheable("q", "loai", "trang"), async (c) => {
    const { db, clock } = c.get("deps");
    const ward = c.get("ward");
    const loai = c.req.query("loai");
    const kind = loai && Object.hasOwn(KIND_LABELS, loai) ? loai : undefined;
    const q = c.req.query("q") ?? "";
    const opts = { kinds: kind ? [kind] : undefined, page: pageOf(c.req.query("trang")) };
    // Past the last page: the last page (one search, one best-bet read).
    const r = await searchSite(db, ward, q, { ...opts, lastPageIfPast: true });
    // The first page of a search is a search (the next pages are the same one); counted again each time the page
    // cache serves this page instead of rendering it.
    if (r.query && opts.page === 1) {
      const found = r.total;
      const query = r.query;
      const target = logTarget(c);
      countSearch(target, query, found);
      c.set("onCacheServe", () => countSearch({ ...target, now: clock() }, query, found));
    }
    let help: HelpData | null = null;
    if (r.query && r.total === 0) {
      const counts = new Map<string, number>();
      for (const e of await wardCatalogue(db.kysely, ward, vnToday(clock()), c.get("deps").config.procedureLevels))
        if (e.status !== "abolished") counts.set(e.field, (counts.get(e.field) ?? 0) + 1);
      help = {
        fields: [...counts].map(([field, count]) => ({ field, count })).sort((a, b) => compareVi(a.field, b.field)),
        contact: await askContact(db, ward),
      };
    }
    return c.html(
      <Layout title={r.query ? `Tìm kiếm: ${r.query}` : "Tìm kiếm"} ward={ward} searchBox={false}>
        <SearchPage ward={ward} r={r} help={help} kind={kind} />
      </Layout>,
    );
  });

  // A result opened from the results page: counted for the query, then on to the result (this portal's paths only).
  app.get("/tim-kiem/mo", async (c) => {
    const target = portalPath(c.req.query("den") ?? "");
    if (!target) throw badRequest("Liên kết này không dẫn tới một trang của cổng thông tin.");
    const q = c.req.query("q") ?? "";
    // The search document it leads to (a path of the index, after the ward's base): what the prior learns from.
    const base = c.get("ward").base;
    const path = target.replace(/[?#].*$/, "");
    const local = base && path.startsWith(`${base}/`) ? path.slice(base.length) : path;
    const doc = (await fresh(c.get("deps").db)).docAt(local);
    if (q || doc) countOpen(logTarget(c), q, doc);
    return c.redirect(target, 303);
  });

  return app;
}

// -------------------------------------------------------------------------------------------------------------
// Staff: the synonym table

const STAFF_PATH = "/quan-tri/tu-dong-nghia";

function SynonymList(props: { csrf: string; rows: SynonymRow[]; label: string; editable: boolean }) {
  const { csrf, rows, editable } = props;
  if (rows.length === 0) return <p class="muted">Chưa có mục nào.</p>;
  return (
    <section class="table-wrap" aria-label={props.label} tabindex={0}>
      <table>
        <thead>
          <tr>
            <th scope="col">Người dân gõ</th>
            <th scope="col">Tìm cả theo</th>
            {editable ? <th scope="col">Xóa</th> : null}
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr>
              <td>{r.term}</td>
              <td>{r.to.length ? r.to.join("; ") : <span class="muted">(từ đệm, bỏ qua được)</span>}</td>
              {editable ? (
                <td>
                  <form method="post" action={`${STAFF_PATH}/xoa`}>
                    <CsrfField token={csrf} />
                    <input type="hidden" name="id" value={String(r.id)} />
                    <button type="submit" class="btn secondary" aria-label={`Xóa «${r.term}»`}>
                      Xóa
                    </button>
                  </form>
                </td>
              ) : null}
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}

/** The national list is long (the everyday lexicon: thousands of entries): shown a page at a time, and searchable. */
const NATIONAL_PAGE = 300;
const MAX_FIND_CHARS = 60;

function NationalPages(props: { find: string; page: number; matches: number }) {
  const pages = Math.ceil(props.matches / NATIONAL_PAGE);
  if (pages <= 1) return null;
  const href = (n: number) =>
    `${STAFF_PATH}?${new URLSearchParams({ ...(props.find ? { tim: props.find } : {}), trang: String(n) })}#chung`;
  const first = (props.page - 1) * NATIONAL_PAGE + 1;
  return (
    <nav aria-label="Các trang của danh sách chung">
      <p>
        Mục {first}–{Math.min(props.matches, props.page * NATIONAL_PAGE)} trên {props.matches} (trang {props.page}/
        {pages}). {props.page > 1 ? <a href={href(props.page - 1)}>Trang trước</a> : null}{" "}
        {props.page < pages ? <a href={href(props.page + 1)}>Trang sau</a> : null}
      </p>
    </nav>
  );
}

function SynonymsPage(props: {
  csrf: string;
  wardName: string;
  /** A deployment operator: edits the national defaults too. */
  national: boolean;
  /** One page of the national list (filtered by `find` when set), with the count of all that match. */
  nationalRows: SynonymRow[];
  nationalMatches: number;
  nationalTotal: number;
  find: string;
  page: number;
  ownRows: SynonymRow[];
  values: Record<string, string>;
  errors: FieldErrors;
  saved?: string;
}) {
  const { csrf, values, errors } = props;
  const state = { values, errors };
  const scope = values["pham-vi"] ?? (props.national ? "ca-nuoc" : "phuong");
  return (
    <>
      <ErrorSummary errors={errors} />
      <h1>Từ đồng nghĩa cho tìm kiếm</h1>
      <p>
        Những từ người dân hay gõ (viết tắt, cách gọi thông thường) và cách gọi trong danh mục thủ tục. Khi người dân gõ
        từ bên trái, trang tìm kiếm tìm cả theo cách gọi bên phải; kết quả khớp đúng từ đã gõ vẫn được xếp trước. Gõ có
        dấu hay không dấu đều như nhau. Tìm kiếm của {props.wardName} dùng danh sách chung cộng với các từ riêng của
        phường.
      </p>
      <SavedNotice message={props.saved} />
      <form method="post" action={STAFF_PATH} id="them" tabindex={-1}>
        <CsrfField token={csrf} />
        <h2>Thêm hoặc sửa</h2>
        {props.national ? (
          <fieldset>
            <legend>Áp dụng cho</legend>
            <div class="radio">
              <input type="radio" id="pham-vi-ca-nuoc" name="pham-vi" value="ca-nuoc" checked={scope === "ca-nuoc"} />
              <label for="pham-vi-ca-nuoc">Danh sách chung (mọi phường, xã)</label>
            </div>
            <div class="radio">
              <input type="radio" id="pham-vi-phuong" name="pham-vi" value="phuong" checked={scope !== "ca-nuoc"} />
              <label for="pham-vi-phuong">Riêng {props.wardName}</label>
            </div>
          </fieldset>
        ) : null}
        <TextField
          id="term"
          name="term"
          label="Người dân gõ"
          hint="Ví dụ: làm cccd, sổ đỏ, bhxh. Nhập lại một từ đã có để thay cách gọi của nó."
          state={state}
        />
        <label for="expansions">
          Cách gọi trong danh mục{" "}
          <span class="hint" id="expansions-goi-y">
            Mỗi dòng một cách gọi, ví dụ: cấp thẻ căn cước. Để trống nếu đó là từ đệm có thể bỏ qua khi tìm (xin, thủ
            tục, cho tôi).
          </span>
        </label>
        <FieldError errors={errors} id="expansions" />
        <textarea
          id="expansions"
          name="expansions"
          rows={3}
          aria-describedby={describedBy(errors, "expansions", "expansions-goi-y")}
          aria-invalid={errors.expansions ? "true" : undefined}
        >
          {values.expansions ?? ""}
        </textarea>
        <div>
          <button type="submit" class="btn">
            Lưu
          </button>
        </div>
      </form>
      <h2>Riêng của phường ({props.ownRows.length})</h2>
      <SynonymList csrf={csrf} rows={props.ownRows} label="Từ đồng nghĩa riêng của phường" editable />
      <h2 id="chung">Danh sách chung ({props.nationalTotal})</h2>
      {props.national ? null : (
        <p class="hint">Danh sách chung do người vận hành hệ thống quản lý; phường thêm từ riêng ở trên.</p>
      )}
      <form method="get" action={`${STAFF_PATH}#chung`} class="inline">
        <label for="tim">Tìm trong danh sách chung</label>
        <input type="search" id="tim" name="tim" value={props.find} maxlength={MAX_FIND_CHARS} />
        <button type="submit" class="btn secondary">
          Tìm
        </button>
      </form>
      {props.find ? (
        <p>
          {props.nationalMatches} mục có «{props.find}». <a href={`${STAFF_PATH}#chung`}>Xem cả danh sách</a>
        </p>
      ) : null}
      <SynonymList
        csrf={csrf}
        rows={props.nationalRows}
        label="Danh sách từ đồng nghĩa chung"
        editable={props.national}
      />
      <NationalPages find={props.find} page={props.page} matches={props.nationalMatches} />
    </>
  );
}

async function renderSynonyms(
  c: C,
  values: Record<string, string> = {},
  errors: FieldErrors = {},
  status: 200 | 400 = 200,
) {
  const q = c.req.query();
  const saved = q["da-luu"]
    ? `Đã lưu «${q["da-luu"]}».`
    : q["da-xoa"]
      ? `Đã xóa «${q["da-xoa"]}».`
      : q["khong-con"] !== undefined
        ? "Mục này không còn trong danh sách."
        : undefined;
  c.status(status);
  const { db } = c.get("deps");
  const user = sessionOf(c).user;
  const find = (q.tim ?? "").normalize("NFC").trim().slice(0, MAX_FIND_CHARS);
  const key = find ? termKey(find) : "";
  const all = await listSynonyms(db, [NATION]);
  const matching = key
    ? all.filter((r) => termKey(r.term).includes(key) || r.to.some((t) => termKey(t).includes(key)))
    : all;
  const pages = Math.max(1, Math.ceil(matching.length / NATIONAL_PAGE));
  const page = Math.min(pages, Math.max(1, Number.parseInt(q.trang ?? "1", 10) || 1));
  return c.html(
    <Layout title="Từ đồng nghĩa cho tìm kiếm" ward={c.get("ward")} session={sessionOf(c)} staff>
      <SynonymsPage
        csrf={sessionOf(c).csrfToken}
        wardName={c.get("ward").unit.name}
        national={isOperator(user)}
        nationalRows={matching.slice((page - 1) * NATIONAL_PAGE, page * NATIONAL_PAGE)}
        nationalMatches={matching.length}
        nationalTotal={all.length}
        find={find}
        page={page}
        ownRows={await listSynonyms(db, [unitOwner(user.ward_id)])}
        values={values}
        errors={errors}
        saved={saved}
      />
    </Layout>,
  );
}

/** Routes under /quan-tri: `app.route("/quan-tri", searchStaffRoutes())`. Each route checks login, CSRF and role. */
export function searchStaffRoutes() {
  const app = new Hono<AppEnv>();
  const manage = requireAction("search.manage");

  app.get("/tu-dong-nghia", requireStaff, requireCsrf, manage, (c) => renderSynonyms(c));

  app.post("/tu-dong-nghia", requireStaff, requireCsrf, manage, async (c) => {
    const { db, clock } = c.get("deps");
    const values = await readFormValues(c);
    const user = sessionOf(c).user;
    const owner: Owner = values["pham-vi"] === "ca-nuoc" ? NATION : unitOwner(user.ward_id);
    if (!mayChange(user, owner === NATION ? "nation" : "ward", owner)) throw forbidden(NATIONAL_ONLY);
    const r = await addSynonym(
      db,
      actorOf(c),
      owner,
      { term: values.term ?? "", expansions: values.expansions ?? "" },
      clock(),
    );
    if (!r.ok) return renderSynonyms(c, values, r.errors as FieldErrors, 400);
    return c.redirect(`${STAFF_PATH}?da-luu=${encodeURIComponent(r.term)}`, 303);
  });

  app.post("/tu-dong-nghia/xoa", requireStaff, requireCsrf, manage, async (c) => {
    const { db, clock } = c.get("deps");
    const values = await readFormValues(c);
    const id = Number(values.id);
    const user = sessionOf(c).user;
    // A ward removes only its own entries; the national defaults only an operator (owner levels).
    const mine = (owner: string) =>
      owner === NATION ? mayChange(user, "nation", NATION) : mayChange(user, "ward", owner as Owner);
    const term = Number.isSafeInteger(id) && id > 0 ? await removeSynonym(db, actorOf(c), id, mine, clock()) : null;
    if (term === "forbidden") throw forbidden(NATIONAL_ONLY);
    return c.redirect(
      term === null ? `${STAFF_PATH}?khong-con` : `${STAFF_PATH}?da-xoa=${encodeURIComponent(term)}`,
      303,
    );
  });

  return app;
}
