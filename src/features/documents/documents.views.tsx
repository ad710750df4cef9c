/** The library's pages: the facts and relations every page of a document shows, and the staff list, form and page. */
import { can, type Role } from "../../core/auth/roles.ts";
import type { ActiveSession } from "../../core/auth/sessions.ts";
import { ACCEPT_ATTRIBUTE } from "../../core/files.ts";
import { formatDate } from "../../core/text/vi.ts";
import type { Ward } from "../../core/web/context.ts";
import {
  CsrfField,
  describedBy,
  FieldError,
  type FormState,
  SavedNotice,
  TextAreaField,
  TextField,
} from "../../core/web/forms.tsx";
import { ErrorSummary, Layout } from "../../core/web/layout.tsx";
import { storedFileHref } from "../../core/web/stored-files.ts";
import { DOCUMENT_KINDS, EVENT_KINDS, RELATION_CHOICES, STATUSES } from "./documents.rules.ts";
import type { Entry } from "./documents.service.ts";
import type * as q from "./documents.sql.ts";

export const statusLabel = (s: Entry["status"]) => (s ? STATUSES[s] : "Không xác định hiệu lực pháp lý");
const day = (v: string | null) => (v ? formatDate(v) : "—");

/** The facts of a document (staff and public pages alike). */
export function DocumentFacts({ e, children }: { e: Entry; children?: unknown }) {
  const d = e.d;
  return (
    <dl class="facts">
      <dt>Loại văn bản</dt>
      <dd>{d.kind}</dd>
      <dt>Số, ký hiệu</dt>
      <dd>{d.number ?? "—"}</dd>
      <dt>Cơ quan ban hành</dt>
      <dd>{d.issuer ?? "—"}</dd>
      <dt>Ngày ban hành</dt>
      <dd>{d.issued_on ? formatDate(d.issued_on) : d.year ? `Năm ${d.year}` : "—"}</dd>
      <dt>Ngày có hiệu lực</dt>
      <dd>{day(d.effective_from)}</dd>
      {d.expires_on ? (
        <>
          <dt>Ngày hết hiệu lực</dt>
          <dd>{formatDate(d.expires_on)}</dd>
        </>
      ) : null}
      <dt>Tình trạng hiệu lực</dt>
      <dd>
        {e.status ? (
          <strong>{statusLabel(e.status)}</strong>
        ) : (
          "Văn bản của Đảng, kế hoạch hoặc văn bản hành chính: không có tình trạng hiệu lực pháp lý"
        )}
      </dd>
      {children}
    </dl>
  );
}

/** The document's relations from its own side: each label names the other document. */
export function RelationsList({ e, href }: { e: Entry; href: (id: number) => string }) {
  if (!e.relations.length) return <p>Chưa ghi nhận văn bản liên quan.</p>;
  return (
    <ul class="items">
      {e.relations.map((r) => (
        <li>
          <span class="tag">{r.label}</span> <a href={href(r.other.id)}>{r.other.name}</a>
        </li>
      ))}
    </ul>
  );
}

export function LibraryListPage(props: {
  ward: Ward;
  session: ActiveSession;
  entries: Entry[];
  uncertain: (Awaited<ReturnType<typeof q.uncertainCitations>>[number] & { name: string })[];
}) {
  const role = props.session.user.role as Role;
  const write = can(role, "document.write");
  const toComplete = props.entries.filter((e) => e.d.incomplete);
  const table = (rows: Entry[], caption: string) => (
    <section class="table-wrap" aria-label={caption} tabindex={0}>
      <table>
        <caption>{caption}</caption>
        <thead>
          <tr>
            <th scope="col">Văn bản</th>
            <th scope="col">Cơ quan ban hành</th>
            <th scope="col">Ngày ban hành</th>
            <th scope="col">Hiệu lực</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((e) => (
            <tr>
              <th scope="row">
                <a href={`/quan-tri/van-ban/${e.d.id}`}>{e.name}</a>
                {e.d.title && e.d.number ? (
                  <>
                    <br />
                    <span class="muted small">{e.d.title}</span>
                  </>
                ) : null}
              </th>
              <td>{e.d.issuer ?? "—"}</td>
              <td>{e.d.issued_on ? formatDate(e.d.issued_on) : (e.d.year ?? "—")}</td>
              <td>{e.status ? statusLabel(e.status) : "—"}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
  return (
    <Layout title="Văn bản" ward={props.ward} session={props.session} staff>
      <h1>Thư viện văn bản</h1>
      <p>
        Văn bản mà kế hoạch dẫn chiếu được đưa vào thư viện khi nhập kế hoạch; cán bộ bổ sung ngày có hiệu lực, đường
        dẫn văn bản gốc và quan hệ giữa các văn bản. Tình trạng hiệu lực được tính theo ngày khi xem.
      </p>
      {write ? (
        <p>
          <a class="btn" href="/quan-tri/van-ban/moi">
            Thêm văn bản
          </a>
        </p>
      ) : null}
      {props.uncertain.length ? (
        <section>
          <h2>Trích dẫn cần xác nhận</h2>
          <p>
            Kế hoạch dẫn chiếu văn bản có thể trùng với văn bản đã có, nhưng thiếu năm hoặc cơ quan ban hành để chắc
            chắn.
          </p>
          <ul class="items">
            {props.uncertain.map((c) => {
              const cited = JSON.parse(c.cited_json) as {
                kind: string;
                number: string | null;
                issuer: string | null;
                issuedOn: string | null;
              };
              return (
                <li>
                  Kế hoạch {c.plan_number} dẫn chiếu “{cited.kind} {cited.number ?? ""}
                  {cited.issuer ? ` của ${cited.issuer}` : ""}
                  {cited.issuedOn ? ` ngày ${formatDate(cited.issuedOn)}` : ""}”, đã ghép với{" "}
                  <a href={`/quan-tri/van-ban/${c.document_id}`}>{c.name}</a>.
                  {write ? (
                    <>
                      <form method="post" action={`/quan-tri/van-ban/trich-dan/${c.id}/xac-nhan`} class="inline">
                        <CsrfField token={props.session.csrfToken} />
                        <button type="submit">Đúng là văn bản này</button>
                      </form>{" "}
                      <form method="post" action={`/quan-tri/van-ban/trich-dan/${c.id}/tach`} class="inline">
                        <CsrfField token={props.session.csrfToken} />
                        <button type="submit">Là văn bản khác: tách riêng</button>
                      </form>
                    </>
                  ) : null}
                </li>
              );
            })}
          </ul>
        </section>
      ) : null}
      {toComplete.length ? table(toComplete, `Cần bổ sung thông tin (${toComplete.length})`) : null}
      {props.entries.length ? table(props.entries, "Tất cả văn bản") : <p>Thư viện chưa có văn bản.</p>}
    </Layout>
  );
}

export function DocumentFormPage(props: { ward: Ward; session: ActiveSession; state: FormState; entry?: Entry }) {
  const { state } = props;
  const v = state.values;
  const action = props.entry ? `/quan-tri/van-ban/${props.entry.d.id}/sua` : "/quan-tri/van-ban/moi";
  const kinds = [...DOCUMENT_KINDS] as string[];
  if (v.kind && !kinds.includes(v.kind)) kinds.push(v.kind);
  return (
    <Layout title={props.entry ? "Sửa văn bản" : "Thêm văn bản"} ward={props.ward} session={props.session} staff>
      <h1>{props.entry ? `Sửa: ${props.entry.name}` : "Thêm văn bản vào thư viện"}</h1>
      <ErrorSummary errors={state.errors} />
      <form method="post" action={action} id="van-ban" novalidate>
        <CsrfField token={props.session.csrfToken} />
        <label for="kind">Loại văn bản</label>
        <FieldError errors={state.errors} id="kind" />
        <select id="kind" name="kind" aria-describedby={describedBy(state.errors, "kind")}>
          {kinds.map((k) => (
            <option value={k} selected={v.kind === k}>
              {k}
            </option>
          ))}
        </select>
        <TextField
          id="number"
          name="number"
          label="Số, ký hiệu"
          hint="Ví dụ 181/QĐ-UBND; để trống với luật chỉ ghi tên và năm."
          state={state}
        />
        <TextField id="issuer" name="issuer" label="Cơ quan ban hành" state={state} />
        <TextAreaField id="title" name="title" label="Trích yếu (tên văn bản)" rows={2} state={state} />
        <TextField id="issuedOn" name="issuedOn" label="Ngày ban hành" hint="dd/mm/yyyy" state={state} />
        <TextField id="year" name="year" label="Năm ban hành (khi chưa biết ngày)" inputmode="numeric" state={state} />
        <TextField id="effectiveFrom" name="effectiveFrom" label="Ngày có hiệu lực" hint="dd/mm/yyyy" state={state} />
        <TextField id="expiresOn" name="expiresOn" label="Ngày hết hiệu lực (nếu có)" hint="dd/mm/yyyy" state={state} />
        <TextField
          id="officialUrl"
          name="officialUrl"
          label="Đường dẫn văn bản gốc"
          hint="Ví dụ trang văn bản trên vbpl.vn"
          type="url"
          state={state}
        />
        <TextAreaField id="note" name="note" label="Ghi chú" rows={3} state={state} />
        <button type="submit">Lưu</button>
      </form>
    </Layout>
  );
}

export function DocumentStaffPage(props: {
  ward: Ward;
  session: ActiveSession;
  entry: Entry;
  others: Entry[];
  events: Awaited<ReturnType<typeof q.eventsOfDocuments>>;
  citations: Awaited<ReturnType<typeof q.citationsOfDocument>>;
  mentions: Awaited<ReturnType<typeof q.mentionsOf>>;
  state: FormState;
  saved?: string;
}) {
  const { entry: e, state } = props;
  const write = can(props.session.user.role as Role, "document.write");
  const csrf = props.session.csrfToken;
  return (
    <Layout title={e.name} ward={props.ward} session={props.session} staff>
      <h1>{e.name}</h1>
      {e.d.title ? <p class="lead">{e.d.title}</p> : null}
      <SavedNotice message={props.saved} />
      <ErrorSummary errors={state.errors} />
      {e.d.incomplete ? (
        <p class="notice" role="status">
          Văn bản được đưa vào từ trích dẫn của kế hoạch: cần bổ sung ngày có hiệu lực, trích yếu và đường dẫn văn bản
          gốc.
        </p>
      ) : null}
      <DocumentFacts e={e}>
        {e.d.official_url ? (
          <>
            <dt>Văn bản gốc</dt>
            <dd>
              <a href={e.d.official_url} rel="noopener noreferrer">
                {e.d.official_url}
              </a>
            </dd>
          </>
        ) : null}
        {e.d.file_id ? (
          <>
            <dt>Tệp văn bản</dt>
            <dd>
              <a href={storedFileHref(e.d.file_id)}>Tải tệp văn bản</a>
            </dd>
          </>
        ) : null}
      </DocumentFacts>
      {write ? (
        <form
          method="post"
          action={`/quan-tri/van-ban/${e.d.id}/tep`}
          enctype="multipart/form-data"
          id="tep"
          novalidate
        >
          <CsrfField token={csrf} />
          <label for="file">
            {e.d.file_id ? "Thay tệp văn bản (PDF hoặc Word .docx)" : "Tệp văn bản (PDF hoặc Word .docx)"}
          </label>
          <FieldError errors={state.errors} id="file" />
          <input
            type="file"
            id="file"
            name="file"
            accept={ACCEPT_ATTRIBUTE}
            aria-describedby={describedBy(state.errors, "file")}
          />
          <button type="submit">Tải lên</button>
        </form>
      ) : null}
      {write ? (
        <p>
          <a class="btn" href={`/quan-tri/van-ban/${e.d.id}/sua`}>
            Sửa thông tin
          </a>
        </p>
      ) : null}

      <h2>Văn bản liên quan</h2>
      {e.relations.length ? (
        <ul class="items">
          {e.relations.map((r) => {
            const rid = r.id;
            return (
              <li>
                <span class="tag">{r.label}</span> <a href={`/quan-tri/van-ban/${r.other.id}`}>{r.other.name}</a>
                {write && rid ? (
                  <form method="post" action={`/quan-tri/van-ban/${e.d.id}/quan-he/${rid}/xoa`} class="inline">
                    <CsrfField token={csrf} />
                    <button type="submit" class="link">
                      Bỏ quan hệ với {r.other.name}
                    </button>
                  </form>
                ) : null}
              </li>
            );
          })}
        </ul>
      ) : (
        <p>Chưa ghi nhận văn bản liên quan.</p>
      )}
      {write && props.others.length ? (
        <form method="post" action={`/quan-tri/van-ban/${e.d.id}/quan-he`} id="quan-he" novalidate>
          <CsrfField token={csrf} />
          <fieldset>
            <legend>Thêm quan hệ</legend>
            <label for="relation">Quan hệ</label>
            <FieldError errors={state.errors} id="relation" />
            <select id="relation" name="relation" aria-describedby={describedBy(state.errors, "relation")}>
              {RELATION_CHOICES.map((c) => (
                <option value={c.value} selected={state.values.relation === c.value}>
                  {c.label}
                </option>
              ))}
            </select>
            <label for="otherId">Văn bản</label>
            <FieldError errors={state.errors} id="otherId" />
            <select id="otherId" name="otherId" aria-describedby={describedBy(state.errors, "otherId")}>
              {props.others.map((o) => (
                <option value={String(o.d.id)} selected={state.values.otherId === String(o.d.id)}>
                  {o.name}
                  {o.d.issuer ? ` (${o.d.issuer})` : ""}
                </option>
              ))}
            </select>
            <button type="submit">Thêm quan hệ</button>
          </fieldset>
        </form>
      ) : null}

      <h2>Diễn biến hiệu lực</h2>
      {props.events.length ? (
        <ul class="items">
          {props.events.map((ev) => (
            <li>
              {formatDate(ev.on_date)}: {EVENT_KINDS[ev.kind as keyof typeof EVENT_KINDS] ?? ev.kind}
              {ev.note ? ` (${ev.note})` : ""}
              {write ? (
                <form method="post" action={`/quan-tri/van-ban/${e.d.id}/hieu-luc/${ev.id}/xoa`} class="inline">
                  <CsrfField token={csrf} />
                  <button type="submit" class="link">
                    Xóa mục ngày {formatDate(ev.on_date)}
                  </button>
                </form>
              ) : null}
            </li>
          ))}
        </ul>
      ) : (
        <p>Chưa ghi nhận sự kiện hiệu lực (ngưng, hết hiệu lực một phần …).</p>
      )}
      {write ? (
        <form method="post" action={`/quan-tri/van-ban/${e.d.id}/hieu-luc`} id="hieu-luc" novalidate>
          <CsrfField token={csrf} />
          <fieldset>
            <legend>Ghi nhận sự kiện hiệu lực</legend>
            <label for="ev-kind">Sự kiện</label>
            <FieldError errors={state.errors} id="ev-kind" />
            <select id="ev-kind" name="kind">
              {Object.entries(EVENT_KINDS).map(([k, label]) => (
                <option value={k}>{label}</option>
              ))}
            </select>
            <TextField
              id="ev-onDate"
              name="onDate"
              label="Từ ngày"
              hint="dd/mm/yyyy"
              state={{ values: {}, errors: state.errors }}
            />
            <TextField
              id="ev-note"
              name="note"
              label="Căn cứ (văn bản, ghi chú)"
              state={{ values: {}, errors: state.errors }}
            />
            <button type="submit">Ghi nhận</button>
          </fieldset>
        </form>
      ) : null}

      <h2>Kế hoạch dẫn chiếu</h2>
      {props.citations.length ? (
        <ul class="items">
          {props.citations.map((c) => (
            <li>
              <a href={`/quan-tri/ke-hoach/${c.plan_id}`}>Kế hoạch {c.plan_number}</a>: {c.plan_title}
              {c.uncertain ? <strong> (ghép chưa chắc chắn, cần xác nhận)</strong> : null}
            </li>
          ))}
        </ul>
      ) : (
        <p>Chưa có kế hoạch nào dẫn chiếu văn bản này.</p>
      )}
      <h2>Đã tuyên truyền, phổ biến</h2>
      <MentionsList mentions={props.mentions} />
      <p>
        <a href="/quan-tri/van-ban">Thư viện văn bản</a>
      </p>
    </Layout>
  );
}

export function MentionsList({ mentions }: { mentions: Awaited<ReturnType<typeof q.mentionsOf>> }) {
  if (!mentions.length) return <p>Chưa ghi nhận lần phổ biến nào.</p>;
  return (
    <ul class="items">
      {mentions.map((m) => (
        <li>
          {formatDate(m.on_date)}: {m.channel}
        </li>
      ))}
    </ul>
  );
}
