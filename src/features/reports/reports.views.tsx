/** The report pages: the period form and the draft's preview (its figures as tables, its sections, the downloads). */

import { can, type Role } from "../../core/auth/roles.ts";
import type { ActiveSession } from "../../core/auth/sessions.ts";
import type { AdminDocument, Block } from "../../core/documents/admin-document.ts";
import { formatDate, formatDateTime } from "../../core/text/vi.ts";
import type { Ward } from "../../core/web/context.ts";
import { CsrfField, describedBy, FieldError, SavedNotice, TextAreaField, TextField } from "../../core/web/forms.tsx";
import { ErrorSummary, Layout } from "../../core/web/layout.tsx";
import { RegisterIssueForm } from "../../core/web/register-issue-form.tsx";
import { storedFileHref } from "../../core/web/stored-files.ts";
import type { FieldErrors } from "../../core/web/validation.ts";
import { PERIOD_KINDS, type PeriodKind } from "./periods.ts";
import type { ReportNarrative } from "./report-draft.ts";
import type { ReportFigures } from "./report-figures.ts";
import { type FigureLinkGroup, figureLinks } from "./report-links.ts";
import { REPORT_STATUSES, type ReportRow } from "./reports.service.ts";
import type { WardRequest } from "./requests.service.ts";
import { WardRequests } from "./requests.views.tsx";
import { isRollupFigures, type RollupFigures } from "./rollup-report.ts";

export function ReportFormPage(props: {
  ward: Ward;
  session: ActiveSession | null;
  values: Record<string, string>;
  errors: FieldErrors;
  today: string;
  reports: ReportRow[];
  /** The ward's plans a report may be scoped to. */
  plans: { id: number; number: string; title: string }[];
  /** The requests of the higher level this ward was asked (none for a province's own list). */
  requests?: WardRequest[];
}) {
  const { values, errors } = props;
  return (
    <Layout title="Báo cáo kết quả thực hiện" ward={props.ward} session={props.session} staff>
      <h1>Báo cáo kết quả tuyên truyền cải cách hành chính</h1>
      <ErrorSummary errors={errors} />
      <p>
        Mọi số liệu của báo cáo được tính từ dữ liệu đã ghi nhận (hoạt động, nhiệm vụ, phản ánh, hỏi đáp), không nhập
        tay. Kỳ báo cáo định kỳ theo Nghị định 09/2019/NĐ-CP: từ ngày 15 tháng cuối kỳ trước đến ngày 14 tháng cuối kỳ.
      </p>
      <WardRequests requests={props.requests ?? []} />
      <form method="get" action="/quan-tri/bao-cao/du-thao" novalidate>
        <PeriodFields values={values} errors={errors} today={props.today} />
        <label for="kehoach">Phạm vi báo cáo</label>
        <FieldError errors={errors} id="kehoach" />
        <select id="kehoach" name="kehoach" aria-describedby={describedBy(errors, "kehoach")}>
          <option value="">Toàn bộ công việc của xã, phường</option>
          {props.plans.map((p) => (
            <option value={String(p.id)} selected={values.kehoach === String(p.id)}>
              Riêng Kế hoạch số {p.number}: {p.title}
            </option>
          ))}
        </select>
        <button type="submit">Xem số liệu và dự thảo</button>
      </form>
      {props.reports.length ? (
        <>
          <h2>Báo cáo đã lưu</h2>
          <ul class="items">
            {props.reports.map((r) => (
              <li>
                <a href={`/quan-tri/bao-cao/${r.id}`}>{r.title}</a>{" "}
                <span class="muted small">
                  {REPORT_STATUSES[r.status] ?? r.status}
                  {r.number ? ` · Số ${String(r.number).padStart(2, "0")}/${r.symbol}` : ""}
                  {r.issued_on ? ` · ${formatDate(r.issued_on)}` : ""}
                </span>
              </li>
            ))}
          </ul>
        </>
      ) : null}
    </Layout>
  );
}

/** The period of a report (or of a request for one): its kind, year and quarter, or ad hoc dates. */
export function PeriodFields(props: { values: Record<string, string>; errors: FieldErrors; today: string }) {
  const { values, errors } = props;
  const state = { values, errors };
  const kind = (values.loai ?? "quarter") as PeriodKind;
  const year = values.nam ?? props.today.slice(0, 4);
  return (
    <>
      <label for="loai">Loại kỳ báo cáo</label>
      <FieldError errors={errors} id="loai" />
      <select id="loai" name="loai" aria-describedby={describedBy(errors, "loai")}>
        {Object.entries(PERIOD_KINDS).map(([k, label]) => (
          <option value={k} selected={k === kind}>
            {label}
          </option>
        ))}
      </select>
      <TextField id="nam" name="nam" label="Năm" state={state} value={year} inputmode="numeric" />
      <label for="quy">Quý (khi chọn báo cáo quý)</label>
      <FieldError errors={errors} id="quy" />
      <select id="quy" name="quy" aria-describedby={describedBy(errors, "quy")}>
        {["1", "2", "3", "4"].map((q) => (
          <option value={q} selected={(values.quy ?? "1") === q}>
            Quý {["I", "II", "III", "IV"][Number(q) - 1]}
          </option>
        ))}
      </select>
      <fieldset>
        <legend>Báo cáo đột xuất: từ ngày … đến ngày …</legend>
        <TextField id="tu" name="tu" label="Từ ngày" type="date" state={state} />
        <TextField id="den" name="den" label="Đến ngày" type="date" state={state} />
      </fieldset>
    </>
  );
}

const n = (x: number) => x.toLocaleString("vi-VN");

function BlockView({ b }: { b: Block }) {
  switch (b.kind) {
    case "heading":
      return b.level === 1 ? <h3>{b.text}</h3> : <h4>{b.text}</h4>;
    case "paragraph":
      return <p>{b.text}</p>;
    case "bullet":
      return <p>- {b.text}</p>;
    case "table":
      return (
        <section class="table-wrap" aria-label={b.caption ?? "Bảng số liệu"} tabindex={0}>
          <table>
            {b.caption ? <caption>{b.caption}</caption> : null}
            <thead>
              <tr>
                {b.header.map((h) => (
                  <th scope="col">{h}</th>
                ))}
              </tr>
            </thead>
            <tbody>
              {b.rows.map((r) => (
                <tr>
                  {r.map((v, i) =>
                    i === 0 ? <th scope="row">{v}</th> : <td class="num">{typeof v === "number" ? n(v) : v}</td>,
                  )}
                </tr>
              ))}
            </tbody>
          </table>
        </section>
      );
  }
}

export function ReportPreviewPage(props: {
  ward: Ward;
  session: ActiveSession | null;
  figures: ReportFigures | RollupFigures;
  document: AdminDocument;
  periodText: string;
  search: string;
  query: Record<string, string>;
}) {
  const { figures: f, document: d } = props;
  return (
    <Layout title="Dự thảo báo cáo" ward={props.ward} session={props.session} staff>
      <h1>Dự thảo báo cáo {props.periodText}</h1>
      <p>
        <a href={`/quan-tri/bao-cao/du-thao.docx?${props.search}`}>Tải bản Word (DOCX)</a> ·{" "}
        <a href={`/quan-tri/bao-cao/du-thao.pdf?${props.search}`}>Tải bản PDF</a> ·{" "}
        <a href={`/quan-tri/bao-cao/du-thao.xlsx?${props.search}`}>Tải bảng số liệu (XLSX)</a> ·{" "}
        <a href="/quan-tri/bao-cao">Chọn kỳ khác</a>
      </p>
      <form method="post" action="/quan-tri/bao-cao">
        <CsrfField token={props.session?.csrfToken ?? ""} />
        {Object.entries(props.query)
          .filter(([k]) => ["loai", "nam", "quy", "tu", "den", "kehoach", "yeu-cau"].includes(k))
          .map(([k, v]) => (
            <input type="hidden" name={k} value={v} />
          ))}
        <button type="submit">Lưu dự thảo để hoàn thiện và trình ký</button>
      </form>
      <p class="muted">
        Số liệu tính lúc {formatDateTime(f.computedAt)} từ dữ liệu đã ghi nhận
        {"kind" in f
          ? `, tổng hợp từ ${f.wards.length} xã, phường (và đơn vị trước sắp xếp)`
          : f.plan
            ? `; kế hoạch có hiệu lực: ${f.plan.number}`
            : "; chưa có kế hoạch có hiệu lực trong kỳ"}
        . Dự thảo chưa có số, ngày ban hành và chữ ký.
      </p>
      <h2>
        {d.type} {d.title}
      </h2>
      {d.addressees.length ? <p>Kính gửi: {d.addressees.join("; ")}.</p> : null}
      <DocumentView document={d} />
      {isRollupFigures(f) ? null : <FigureSources groups={figureLinks(f)} />}
    </Layout>
  );
}

function DocumentView({ document: d }: { document: AdminDocument }) {
  return (
    <>
      {d.body.map((b) => (
        <BlockView b={b} />
      ))}
    </>
  );
}

export function ReportPage(props: {
  ward: Ward;
  session: ActiveSession;
  report: ReportRow;
  document: AdminDocument;
  figures: ReportFigures | RollupFigures;
  narrative: ReportNarrative;
  changes: { label: string; issued: number; now: number }[];
  errors: FieldErrors;
  saved?: string;
  today: string;
}) {
  const { report: r, document: d, errors } = props;
  const role = props.session.user.role as Role;
  const base = `/quan-tri/bao-cao/${r.id}`;
  const csrf = <CsrfField token={props.session.csrfToken} />;
  const state = { values: {}, errors };
  return (
    <Layout title={r.title} ward={props.ward} session={props.session} staff>
      <SavedNotice message={props.saved ? SAVED[props.saved] : undefined} />
      <ErrorSummary errors={errors} />
      <h1>{r.title}</h1>
      <p>
        Trạng thái: <strong>{REPORT_STATUSES[r.status] ?? r.status}</strong>
        {r.number
          ? ` · Số ${String(r.number).padStart(2, "0")}/${r.symbol}, ngày ${formatDate(r.issued_on ?? "")}`
          : ""}
        {r.published ? " · Đã công khai" : ""}
      </p>
      <p class="muted">
        Số liệu từ {formatDate(r.period_from)} đến {formatDate(r.period_to)}, tính lúc {formatDateTime(r.computed_at)}
        {r.status === "issued" ? "; báo cáo đã ban hành giữ nguyên số liệu này." : "."}
      </p>
      <p>
        <a href={`${base}/tai.docx`}>Tải bản Word (DOCX)</a> · <a href={`${base}/tai.pdf`}>Tải bản PDF</a> ·{" "}
        <a href={`${base}/tai.xlsx`}>Tải bảng số liệu (XLSX)</a>
        {r.signed_file_id != null ? (
          <>
            {" · "}
            <a href={storedFileHref(r.signed_file_id)}>Tải bản đã ký (PDF)</a>
          </>
        ) : null}
      </p>
      {r.status === "issued" && props.changes.length ? (
        <section aria-labelledby="thay-doi">
          <h2 id="thay-doi">Số liệu đã thay đổi từ khi ban hành</h2>
          <ul>
            {props.changes.map((c) => (
              <li>
                {c.label}: {n(c.issued)} → {n(c.now)}
              </li>
            ))}
          </ul>
        </section>
      ) : null}
      {r.status === "draft" ? (
        <>
          <form method="post" action={`${base}/noi-dung`} id="noi-dung">
            {csrf}
            <h2>Hoàn thiện nội dung</h2>
            {NARRATIVE_FIELDS.map(([id, label]) => (
              <TextAreaField
                id={id}
                name={id}
                label={label}
                state={state}
                value={id === "addressees" ? props.narrative.addressees.join("\n") : props.narrative[id]}
              />
            ))}
            <button type="submit">Lưu nội dung</button>
          </form>
          <form method="post" action={`${base}/tinh-lai`}>
            {csrf}
            <button type="submit">Tính lại số liệu từ dữ liệu hiện tại</button>
          </form>
          <form method="post" action={`${base}/trinh`}>
            {csrf}
            <button type="submit">Trình lãnh đạo duyệt</button>
          </form>
        </>
      ) : null}
      {r.status === "submitted" && can(role, "report.approve") ? (
        <form method="post" action={`${base}/duyet`}>
          {csrf}
          <button type="submit">Duyệt báo cáo</button>
        </form>
      ) : null}
      {r.status === "approved" && can(role, "report.issue") ? (
        <RegisterIssueForm action={`${base}/ban-hanh`} csrf={csrf} state={state} today={props.today} />
      ) : null}
      {r.status === "issued" && !r.published && can(role, "report.issue") ? (
        <form method="post" action={`${base}/ban-ky`} enctype="multipart/form-data" id="ban-ky">
          {csrf}
          <h2>{r.signed_file_id == null ? "Tải lên bản đã ký" : "Thay bản đã ký"}</h2>
          <label for="signed">Bản đã ký (PDF ký số, hoặc bản scan có chữ ký và đóng dấu)</label>
          <FieldError errors={errors} id="signed" />
          <input
            type="file"
            id="signed"
            name="signed"
            accept=".pdf,application/pdf"
            aria-describedby={describedBy(errors, "signed")}
          />
          <button type="submit">Tải lên</button>
        </form>
      ) : null}
      {r.status === "issued" && !r.published && can(role, "report.approve") ? (
        <form method="post" action={`${base}/cong-khai`}>
          {csrf}
          <p>
            {r.signed_file_id == null
              ? "Chưa có bản đã ký: cần tải lên bản đã ký trước khi công khai."
              : "Bản được công khai là bản đã ký (PDF) cùng bảng số liệu (XLSX)."}
          </p>
          <button type="submit">Công khai báo cáo</button>
        </form>
      ) : null}
      <h2>
        {d.type} {d.title}
      </h2>
      {d.addressees.length ? <p>Kính gửi: {d.addressees.join("; ")}.</p> : null}
      <DocumentView document={d} />
      {isRollupFigures(props.figures) ? null : <FigureSources groups={figureLinks(props.figures)} />}
    </Layout>
  );
}

/** The narrative's fields in the order of the report, with their labels. */
const NARRATIVE_FIELDS: readonly (readonly [keyof ReportNarrative, string])[] = [
  ["addressees", "Kính gửi (mỗi dòng một nơi)"],
  ["shortcomings", "II. Tồn tại, hạn chế và nguyên nhân"],
  ["nextTasks", "III. Nhiệm vụ trọng tâm kỳ tới"],
  ["proposals", "IV. Đề xuất, kiến nghị"],
];

const SAVED: Record<string, string> = {
  tao: "Đã lưu dự thảo báo cáo.",
  "noi-dung": "Đã lưu nội dung.",
  "tinh-lai": "Đã tính lại số liệu.",
  trinh: "Đã trình lãnh đạo.",
  duyet: "Đã duyệt báo cáo.",
  "ban-hanh": "Đã ban hành báo cáo.",
  "cong-khai": "Đã công khai báo cáo.",
  "ban-ky": "Đã lưu bản đã ký.",
};

/** Each figure with a link to the records it counts (staff pages filtered by the report's period). */
function FigureSources({ groups }: { groups: FigureLinkGroup[] }) {
  return (
    <section aria-labelledby="nguon-so-lieu">
      <h2 id="nguon-so-lieu">Hồ sơ đằng sau số liệu</h2>
      {groups.map((g) => (
        <>
          <h3>{g.title}</h3>
          <ul class="figure-links">
            {g.links.map((l) => (
              <li>
                <a href={l.href}>{l.label}</a>: {n(l.value)}
              </li>
            ))}
          </ul>
        </>
      ))}
    </section>
  );
}
