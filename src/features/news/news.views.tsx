/** The news staff pages: the list, the form of a draft, one article with its steps, versions compared, posters. */
import { can, type Role } from "../../core/auth/roles.ts";
import type { ActiveSession } from "../../core/auth/sessions.ts";
import type { DiffLine } from "../../core/text/diff.ts";
import { formatDate, formatDateTime } from "../../core/text/vi.ts";
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
import { PhotoUploadForm } from "../../core/web/photos.tsx";
import {
  type AreaChoice,
  AreaChoices,
  ReasonForms,
  reasonSteps,
  StepButtons,
  StepHistory,
  type StepWords,
  stepOfPath,
  UnitSelect,
} from "../../core/web/workflow-forms.tsx";
import { ArticleBody } from "./news.public.tsx";
import { NEWS_KINDS, NEWS_STATUSES, type NewsStep, POSTER_KINDS, stepsOpenTo } from "./news.rules.ts";
import type { ArticleRow } from "./news.sql.ts";

type Photo = { id: number; article_id: number; file_id: number; alt: string; width: number; height: number };

const statusOf = (s: string) => NEWS_STATUSES[s as keyof typeof NEWS_STATUSES] ?? s;
const kindOf = (k: string) => NEWS_KINDS[k as keyof typeof NEWS_KINDS] ?? k;
export const staffPhotoPath = (id: number) => `/quan-tri/tin-tuc/anh/${id}`;
const AUDIENCE_NOTE =
  "Số người được tuyên truyền của hoạt động là số lượt xem trang bài trên cổng (cập nhật khoảng mỗi phút).";

export function NewsListPage(props: { ward: Ward; session: ActiveSession; articles: ArticleRow[] }) {
  const role = props.session.user.role as Role;
  return (
    <Layout title="Tin tức" ward={props.ward} session={props.session} staff>
      <h1>Tin, bài và mô hình, điển hình tốt</h1>
      <p>
        Bài do đơn vị viết, Văn phòng xem xét, lãnh đạo duyệt và đăng (ngay hoặc hẹn giờ). Khi được đăng, bài được tính
        là một hoạt động tuyên truyền của kế hoạch. {AUDIENCE_NOTE}
      </p>
      <p>
        {can(role, "news.write") ? (
          <>
            <a class="btn" href="/quan-tri/tin-tuc/moi">
              Viết bài
            </a>{" "}
          </>
        ) : null}
        <a href="/quan-tri/tin-tuc/bang-ron">Băng rôn, pa nô, áp phích</a>
      </p>
      {props.articles.length ? (
        <section class="table-wrap" aria-label="Danh sách bài" tabindex={0}>
          <table>
            <caption>Bài viết</caption>
            <thead>
              <tr>
                <th scope="col">Bài</th>
                <th scope="col">Đơn vị</th>
                <th scope="col">Trạng thái</th>
                <th scope="col">Lượt xem</th>
              </tr>
            </thead>
            <tbody>
              {props.articles.map((a) => (
                <tr>
                  <th scope="row">
                    <a href={`/quan-tri/tin-tuc/${a.id}`}>{a.title}</a>
                    <br />
                    <span class="muted small">{kindOf(a.kind)}</span>
                  </th>
                  <td>{a.org_unit_name}</td>
                  <td>
                    {statusOf(a.status)}
                    {a.status === "published" ? ` ${formatDate(a.published_at)}` : ""}
                    {a.status === "scheduled" && a.publish_at ? ` ${formatDateTime(a.publish_at)}` : ""}
                  </td>
                  <td>{a.views.toLocaleString("vi-VN")}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
      ) : (
        <p>Chưa có bài nào.</p>
      )}
    </Layout>
  );
}

export function ArticleFormPage(props: {
  ward: Ward;
  session: ActiveSession;
  state: FormState;
  units: { id: number; name: string }[];
  areas: AreaChoice[];
  article?: ArticleRow;
}) {
  const { state } = props;
  const v = state.values;
  const action = props.article ? `/quan-tri/tin-tuc/${props.article.id}/sua` : "/quan-tri/tin-tuc/moi";
  return (
    <Layout title={props.article ? "Sửa bài" : "Viết bài"} ward={props.ward} session={props.session} staff>
      <h1>{props.article ? `Sửa: ${props.article.title}` : "Viết bài"}</h1>
      <ErrorSummary errors={state.errors} />
      <form method="post" action={action} id="bai-viet" novalidate>
        <CsrfField token={props.session.csrfToken} />
        <label for="kind">Loại bài</label>
        <FieldError errors={state.errors} id="kind" />
        <select id="kind" name="kind" aria-describedby={describedBy(state.errors, "kind")}>
          {Object.entries(NEWS_KINDS).map(([k, label]) => (
            <option value={k} selected={v.kind === k}>
              {label}
            </option>
          ))}
        </select>
        <TextField id="title" name="title" label="Tiêu đề" state={state} />
        <TextAreaField
          id="summary"
          name="summary"
          label="Tóm tắt"
          hint="Một, hai câu; hiện trong danh sách và RSS"
          state={state}
          rows={3}
        />
        <TextAreaField
          id="body"
          name="body"
          label="Nội dung bài"
          hint="Viết thường; dòng trống để sang đoạn mới; ## ở đầu dòng cho tiêu đề mục; - cho danh sách; **chữ đậm**; [chữ](https://địa-chỉ) cho liên kết. Không nhận mã HTML."
          state={state}
          rows={16}
        />
        <UnitSelect units={props.units} state={state} label="Đơn vị viết bài" />
        <AreaChoices areas={props.areas} state={state} />
        <button type="submit">{props.article ? "Lưu thành phiên bản mới" : "Lưu dự thảo"}</button>
      </form>
    </Layout>
  );
}

const STEP_WORDS: StepWords<NewsStep> = {
  buttons: {
    submit: "Trình Văn phòng",
    review: "Đã xem xét, trình lãnh đạo",
    send_back: "Trả lại để sửa",
    approve: "Duyệt và đăng",
    withdraw: "Gỡ bài",
  },
  paths: {
    submit: "trinh",
    review: "xem-xet",
    send_back: "tra-lai",
    approve: "duyet",
    withdraw: "go",
  },
};
export const STEP_OF_PATH = stepOfPath(STEP_WORDS.paths);

export function ArticlePage(props: {
  ward: Ward;
  session: ActiveSession;
  article: ArticleRow;
  photos: Photo[];
  areas: AreaChoice[];
  versions: { version_no: number; actor: string; created_at: string }[];
  steps: { from_status: string; to_status: string; at: string; actor: string; note: string | null }[];
  state: FormState;
  saved?: string;
}) {
  const a = props.article;
  const { state } = props;
  const user = props.session.user;
  const open = stepsOpenTo({ role: user.role as Role, org_unit_id: user.org_unit_id }, a);
  const base = `/quan-tri/tin-tuc/${a.id}`;
  const stepForms = { base, csrfToken: props.session.csrfToken, words: STEP_WORDS };
  const csrf = <CsrfField token={props.session.csrfToken} />;
  const areaIds = new Set(JSON.parse(a.area_ids_json) as number[]);
  const editable = a.status === "draft" && open.includes("submit");
  return (
    <Layout title={a.title} ward={props.ward} session={props.session} staff>
      <SavedNotice message={props.saved} />
      <ErrorSummary errors={state.errors} />
      <p>
        Trạng thái: <strong>{statusOf(a.status)}</strong>
        {a.status === "scheduled" && a.publish_at ? ` lúc ${formatDateTime(a.publish_at)}` : ""}
        {a.status === "published" ? ` ngày ${formatDate(a.published_at)}` : ""}
        {a.return_reason && a.status === "draft" ? ` · Lý do trả lại: ${a.return_reason}` : ""}
        {a.withdrawn_reason ? ` · Lý do gỡ: ${a.withdrawn_reason}` : ""}
      </p>
      <dl class="facts">
        <dt>Loại</dt>
        <dd>{kindOf(a.kind)}</dd>
        <dt>Đơn vị</dt>
        <dd>{a.org_unit_name}</dd>
        {areaIds.size ? (
          <>
            <dt>Nội dung</dt>
            <dd>
              {props.areas
                .filter((x) => areaIds.has(x.id))
                .map((x) => `${x.code}. ${x.title}`)
                .join("; ")}
            </dd>
          </>
        ) : null}
        <dt>Phiên bản</dt>
        <dd>{a.version_no}</dd>
        <dt>Lượt xem</dt>
        <dd>
          {a.views.toLocaleString("vi-VN")} <span class="muted small">({AUDIENCE_NOTE})</span>
        </dd>
      </dl>
      {a.status === "published" ? (
        <p>
          <a href={`/tin-tuc/${a.id}`}>Xem trên trang công khai</a>
        </p>
      ) : null}
      <h1>{a.title}</h1>
      <ArticleBody a={a} photos={props.photos} photoSrc={staffPhotoPath} />
      {editable ? (
        <section aria-labelledby="anh">
          <h2 id="anh">Ảnh</h2>
          {props.photos.map((p) => (
            <form method="post" action={`${base}/anh/${p.id}/xoa`}>
              {csrf}
              <button type="submit">Bỏ ảnh “{p.alt}”</button>
            </form>
          ))}
          <PhotoUploadForm action={`${base}/anh`} csrfToken={props.session.csrfToken} state={state} />
        </section>
      ) : null}
      <p>
        {editable ? <a href={`${base}/sua`}>Sửa bài</a> : null}
        {props.versions.length > 1 ? (
          <>
            {editable ? " · " : ""}
            <a href={`${base}/so-sanh?tu=${props.versions.length - 1}&den=${props.versions.length}`}>
              So sánh hai phiên bản gần nhất
            </a>
          </>
        ) : null}
      </p>
      <StepButtons {...stepForms} steps={open.filter((s) => s === "submit" || s === "review")} />
      {open.includes("approve") ? (
        <form method="post" action={`${base}/duyet`} id="duyet" novalidate>
          {csrf}
          <h2>Duyệt bài</h2>
          <TextField
            id="duyet-publishAt"
            name="publishAt"
            label="Đăng lúc (để trống: đăng ngay)"
            hint="dd/mm/yyyy hh:mm, ví dụ 20/03/2026 07:30"
            state={{ values: {}, errors: state.errors }}
          />
          <button type="submit">{STEP_WORDS.buttons.approve}</button>
        </form>
      ) : null}
      <ReasonForms {...stepForms} steps={reasonSteps(open)} state={state} />
      <section aria-labelledby="phien-ban">
        <h2 id="phien-ban">Các phiên bản</h2>
        <ol>
          {props.versions.map((v) => (
            <li>
              Phiên bản {v.version_no}: {formatDateTime(v.created_at)} ({v.actor})
              {v.version_no > 1 ? (
                <>
                  {" "}
                  · <a href={`${base}/so-sanh?tu=${v.version_no - 1}&den=${v.version_no}`}>so với phiên bản trước</a>
                </>
              ) : null}
            </li>
          ))}
        </ol>
      </section>
      <StepHistory steps={props.steps} statusOf={statusOf} />
    </Layout>
  );
}

function DiffBlock({ lines }: { lines: DiffLine[] }) {
  return (
    <div class="prewrap">
      {lines.map((l) =>
        l.kind === "same" ? (
          <div>{l.text || "\u00a0"}</div>
        ) : l.kind === "added" ? (
          <div>
            <ins class="diff">+ {l.text}</ins>
          </div>
        ) : (
          <div>
            <del class="diff">− {l.text}</del>
          </div>
        ),
      )}
    </div>
  );
}

export function ComparePage(props: {
  ward: Ward;
  session: ActiveSession;
  article: ArticleRow;
  from: number;
  to: number;
  versionCount: number;
  parts: { label: string; lines: DiffLine[]; changed: boolean }[];
}) {
  const options = Array.from({ length: props.versionCount }, (_, i) => i + 1);
  return (
    <Layout title={`So sánh phiên bản: ${props.article.title}`} ward={props.ward} session={props.session} staff>
      <h1>
        So sánh phiên bản {props.from} và {props.to}
      </h1>
      <p>
        <a href={`/quan-tri/tin-tuc/${props.article.id}`}>{props.article.title}</a>
      </p>
      <form method="get" action={`/quan-tri/tin-tuc/${props.article.id}/so-sanh`}>
        <label for="tu">Từ phiên bản</label>
        <select id="tu" name="tu">
          {options.map((n) => (
            <option value={String(n)} selected={n === props.from}>
              {n}
            </option>
          ))}
        </select>
        <label for="den">Đến phiên bản</label>
        <select id="den" name="den">
          {options.map((n) => (
            <option value={String(n)} selected={n === props.to}>
              {n}
            </option>
          ))}
        </select>
        <button type="submit">So sánh</button>
      </form>
      <p class="muted small">Dòng có dấu + được thêm, dòng có dấu − bị bỏ.</p>
      {props.parts.map((p) => (
        <section>
          <h2>
            {p.label}
            {p.changed ? "" : " (không đổi)"}
          </h2>
          <DiffBlock lines={p.lines} />
        </section>
      ))}
    </Layout>
  );
}

export function PostersPage(props: {
  ward: Ward;
  session: ActiveSession;
  state: FormState;
  units: { id: number; name: string }[];
  areas: AreaChoice[];
  posters: {
    id: number;
    kind: string;
    title: string;
    place: string;
    put_up_on: string;
    quantity: number;
    cost: number | null;
    file_id: number | null;
    alt: string;
    org_unit_name: string;
  }[];
  saved?: string;
}) {
  const { state } = props;
  const role = props.session.user.role as Role;
  return (
    <Layout title="Băng rôn, pa nô, áp phích" ward={props.ward} session={props.session} staff>
      <SavedNotice message={props.saved} />
      <ErrorSummary errors={state.errors} />
      <h1>Băng rôn, pa nô, áp phích</h1>
      <p>Mỗi lần treo, dựng được ghi nhận kèm ảnh chụp là một hoạt động tuyên truyền của kế hoạch.</p>
      {can(role, "news.write") ? (
        <form method="post" action="/quan-tri/tin-tuc/bang-ron" enctype="multipart/form-data" id="bang-ron" novalidate>
          <CsrfField token={props.session.csrfToken} />
          <label for="kind">Loại</label>
          <FieldError errors={state.errors} id="kind" />
          <select id="kind" name="kind">
            {Object.entries(POSTER_KINDS).map(([k, label]) => (
              <option value={k} selected={state.values.kind === k}>
                {label}
              </option>
            ))}
          </select>
          <TextField id="title" name="title" label="Nội dung khẩu hiệu" state={state} />
          <TextField id="place" name="place" label="Địa điểm treo, dựng" state={state} />
          <TextField id="putUpOn" name="putUpOn" label="Ngày treo, dựng" hint="dd/mm/yyyy" state={state} />
          <TextField id="quantity" name="quantity" label="Số lượng" inputmode="numeric" state={state} />
          <TextField id="cost" name="cost" label="Kinh phí (đồng)" inputmode="numeric" state={state} />
          <UnitSelect units={props.units} state={state} label="Đơn vị thực hiện" />
          <AreaChoices areas={props.areas} state={state} />
          <label for="photo">Ảnh chụp</label>
          <FieldError errors={state.errors} id="photo" />
          <input type="file" id="photo" name="photo" accept="image/png,image/jpeg,image/gif,image/webp" />
          <TextField id="alt" name="alt" label="Mô tả ảnh" hint="Ảnh chụp gì, cho người khiếm thị" state={state} />
          <button type="submit">Ghi nhận</button>
        </form>
      ) : null}
      <h2>Đã ghi nhận</h2>
      {props.posters.length ? (
        <ul class="items">
          {props.posters.map((p) => (
            <li>
              {POSTER_KINDS[p.kind as keyof typeof POSTER_KINDS] ?? p.kind} ({p.quantity}): “{p.title}” · {p.place} ·{" "}
              {formatDate(p.put_up_on)} · {p.org_unit_name}
              {p.cost ? ` · ${p.cost.toLocaleString("vi-VN")} đồng` : ""}
              {p.file_id ? (
                <>
                  {" "}
                  · <a href={`/quan-tri/tep/${p.file_id}`}>Ảnh: {p.alt}</a>
                </>
              ) : null}
            </li>
          ))}
        </ul>
      ) : (
        <p>Chưa ghi nhận lần nào.</p>
      )}
    </Layout>
  );
}
