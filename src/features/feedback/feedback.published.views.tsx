/** Public pages of published answers: the searchable list and one answer. Nothing about the sender is shown. */
import { formatDate } from "../../core/text/vi.ts";
import { CITIZEN_FORMS_CSS_PATH } from "../../core/web/citizen-forms-css.ts";
import type { Ward } from "../../core/web/context.ts";
import { Layout } from "../../core/web/layout.tsx";
import type { PublishedAnswer, PublishedPage } from "./feedback.published.ts";
import { publishedPath } from "./feedback.published.ts";
import { CONTENT_TYPES, SUBJECTS } from "./feedback.schemas.ts";

const LIST_PATH = "/gop-y/da-tra-loi";

function listHref(base: string, query: string, page: number): string {
  const params = new URLSearchParams();
  if (query) params.set("q", query);
  if (page > 1) params.set("trang", String(page));
  const qs = params.toString();
  return `${base}${LIST_PATH}${qs ? `?${qs}` : ""}`;
}

const headingOf = (a: PublishedAnswer) => `${SUBJECTS[a.subject] ?? a.subject} · ${formatDate(a.publishedAt)}`;

/** One answer: what was raised, about which procedure, and the ward's approved answer. */
function Answer({ ward, a, heading }: { ward: Ward; a: PublishedAnswer; heading: "h1" | "h2" }) {
  const H = heading;
  return (
    <article class="gy-answer">
      {/* Named by subject and date, never by the tracking code: with a phone number, it opens the sender's record. */}
      <H>{heading === "h2" ? <a href={`${ward.base}${publishedPath(a.id)}`}>{headingOf(a)}</a> : headingOf(a)}</H>
      <dl>
        <dt>Loại nội dung</dt>
        <dd>{CONTENT_TYPES[a.contentType] ?? a.contentType}</dd>
        {a.procedureCode ? (
          <>
            <dt>Thủ tục liên quan</dt>
            <dd>
              <a href={`${ward.base}/thu-tuc/${a.procedureCode}`}>Thủ tục {a.procedureCode}</a>
            </dd>
          </>
        ) : null}
        <dt>Ngày công bố</dt>
        <dd>{formatDate(a.publishedAt)}</dd>
        <dt>Nội dung phản ánh, kiến nghị</dt>
        <dd class="gy-content">{a.content}</dd>
        <dt>Kết quả trả lời</dt>
        <dd class="gy-content">{a.answer}</dd>
      </dl>
    </article>
  );
}

function MoreLinks({ base }: { base: string }) {
  return (
    <p>
      <a href={`${base}/gop-y`}>Gửi phản ánh, kiến nghị</a> ·{" "}
      <a href={`${base}/gop-y/tra-cuu`}>Tra cứu phản ánh đã gửi</a>
    </p>
  );
}

/** The list, newest first, with its search box and pages. */
export function PublishedListPage({ ward, r }: { ward: Ward; r: PublishedPage }) {
  const base = ward.base;
  return (
    <Layout title="Phản ánh, kiến nghị đã trả lời" ward={ward}>
      <link rel="stylesheet" href={CITIZEN_FORMS_CSS_PATH} />
      <h1>Phản ánh, kiến nghị đã trả lời</h1>
      <p>
        Kết quả trả lời phản ánh, kiến nghị của người dân, tổ chức đã được {ward.unit.name} công bố. Thông tin cá nhân
        của người gửi không được công khai.
      </p>
      <form method="get" action={`${base}${LIST_PATH}`} class="gy-search">
        <label for="gy-q">Tìm trong các phản ánh, kiến nghị đã trả lời</label>
        <input type="search" id="gy-q" name="q" value={r.query} maxlength={200} />
        <button type="submit">Tìm</button>
      </form>
      <p role="status">
        {r.query
          ? r.approximate && r.total
            ? `Không có kết quả khớp đúng «${r.query}»; ${r.total} kết quả gần đúng.`
            : `${r.total} kết quả cho «${r.query}».`
          : r.total
            ? `${r.total} phản ánh, kiến nghị đã có kết quả trả lời.`
            : "Chưa có phản ánh, kiến nghị nào được công bố kết quả."}
      </p>
      {r.items.length ? (
        <ol class="items gy-answers">
          {r.items.map((a) => (
            <li>
              <Answer ward={ward} a={a} heading="h2" />
            </li>
          ))}
        </ol>
      ) : null}
      {r.pages > 1 ? (
        <nav class="pager" aria-label="Các trang">
          {r.page > 1 ? (
            <a href={listHref(base, r.query, r.page - 1)} rel="prev">
              ← Trang trước
            </a>
          ) : null}{" "}
          <span>
            Trang {r.page} / {r.pages}
          </span>{" "}
          {r.page < r.pages ? (
            <a href={listHref(base, r.query, r.page + 1)} rel="next">
              Trang sau →
            </a>
          ) : null}
        </nav>
      ) : null}
      <MoreLinks base={base} />
    </Layout>
  );
}

/** One published answer, the page the site search links to. */
export function PublishedItemPage({ ward, a }: { ward: Ward; a: PublishedAnswer }) {
  return (
    <Layout title={`Trả lời phản ánh, kiến nghị · ${headingOf(a)}`} ward={ward}>
      <link rel="stylesheet" href={CITIZEN_FORMS_CSS_PATH} />
      <p>
        <a href={`${ward.base}${LIST_PATH}`}>Phản ánh, kiến nghị đã trả lời</a>
      </p>
      <Answer ward={ward} a={a} heading="h1" />
      <MoreLinks base={ward.base} />
    </Layout>
  );
}
