/** Pages of report requests: the province's list and form, one request with every ward's status, the ward's list. */
import type { ActiveSession } from "../../core/auth/sessions.ts";
import type { AdminUnit } from "../../core/db/schema.ts";
import { formatDate } from "../../core/text/vi.ts";
import type { Ward } from "../../core/web/context.ts";
import { CsrfField, FieldError, TextAreaField, TextField } from "../../core/web/forms.tsx";
import { ErrorSummary, Layout } from "../../core/web/layout.tsx";
import type { FieldErrors } from "../../core/web/validation.ts";
import { periodTitle } from "./periods.ts";
import { PeriodFields } from "./reports.views.tsx";
import { REQUEST_WARD_STATUSES, type RequestWardStatus } from "./request-status.ts";
import type { RequestRow, WardRequest } from "./requests.service.ts";

/** What every request row has, whichever query read it. */
type RequestFacts = Pick<
  RequestRow,
  "id" | "title" | "note" | "kind" | "year" | "quarter" | "period_from" | "period_to" | "deadline"
>;

const periodOf = (r: RequestFacts) =>
  periodTitle({
    kind: r.kind as "quarter",
    year: r.year,
    quarter: r.quarter,
    from: r.period_from,
    to: r.period_to,
  });

function Counts({ counts }: { counts: Record<RequestWardStatus, number> }) {
  return (
    <span class="muted small">
      {(Object.keys(REQUEST_WARD_STATUSES) as RequestWardStatus[])
        .map((k) => `${REQUEST_WARD_STATUSES[k]}: ${counts[k]}`)
        .join(" · ")}
    </span>
  );
}

export function RequestsPage(props: {
  ward: Ward;
  session: ActiveSession;
  requests: { request: RequestRow; counts: Record<RequestWardStatus, number> }[];
  communes: AdminUnit[];
  canRequest: boolean;
  values: Record<string, string>;
  chosen: string[];
  errors: FieldErrors;
  today: string;
}) {
  const { values, errors } = props;
  const state = { values, errors };
  const chosen = new Set(props.chosen);
  return (
    <Layout title="Yêu cầu báo cáo" ward={props.ward} session={props.session} staff>
      <h1>Yêu cầu báo cáo gửi các xã, phường</h1>
      <ErrorSummary errors={errors} />
      {props.requests.length ? (
        <ul class="items">
          {props.requests.map(({ request: r, counts }) => (
            <li>
              <a href={`/quan-tri/tinh/yeu-cau/${r.id}`}>{r.title}</a>{" "}
              <span class="muted small">
                Kỳ {periodOf(r)} · hạn {formatDate(r.deadline)} · {r.ward_count} xã, phường
              </span>
              <br />
              <Counts counts={counts} />
            </li>
          ))}
        </ul>
      ) : (
        <p>Chưa gửi yêu cầu báo cáo nào.</p>
      )}
      {props.canRequest ? (
        <form method="post" action="/quan-tri/tinh/yeu-cau" novalidate id="gui-yeu-cau">
          <CsrfField token={props.session.csrfToken} />
          <h2>Gửi yêu cầu báo cáo</h2>
          <TextField
            id="title"
            name="title"
            label="Tiêu đề"
            hint="Để trống: “Báo cáo kết quả công tác tuyên truyền cải cách hành chính” và kỳ báo cáo."
            state={state}
          />
          <PeriodFields values={values} errors={errors} today={props.today} />
          <TextField id="deadline" name="deadline" label="Hạn gửi báo cáo" type="date" state={state} />
          <TextAreaField id="note" name="note" label="Ghi chú, yêu cầu cụ thể" state={state} />
          <fieldset>
            <legend>Gửi cho</legend>
            <FieldError errors={errors} id="scope" />
            <p>
              <input type="radio" id="scope-all" name="scope" value="all" checked={(values.scope ?? "all") === "all"} />{" "}
              <label for="scope-all">Mọi xã, phường của tỉnh ({props.communes.length})</label>
            </p>
            <p>
              <input type="radio" id="scope-chosen" name="scope" value="chosen" checked={values.scope === "chosen"} />{" "}
              <label for="scope-chosen">Các xã, phường được chọn dưới đây</label>
            </p>
            <FieldError errors={errors} id="xa" />
            <details id="xa">
              <summary>Chọn xã, phường</summary>
              {props.communes.map((u) => (
                <p>
                  <input type="checkbox" id={`xa-${u.code}`} name="xa" value={u.code} checked={chosen.has(u.code)} />{" "}
                  <label for={`xa-${u.code}`}>
                    {u.name} ({u.code})
                  </label>
                </p>
              ))}
            </details>
          </fieldset>
          <button type="submit">Gửi yêu cầu</button>
        </form>
      ) : null}
    </Layout>
  );
}

export function RequestPage(props: {
  ward: Ward;
  session: ActiveSession;
  request: RequestFacts;
  wards: {
    ward: { id: number; code: string; name: string };
    status: RequestWardStatus;
    report: { id: number; number: number | null; symbol: string; issued_on: string | null } | null;
  }[];
  counts: Record<RequestWardStatus, number>;
  saved: boolean;
}) {
  const r = props.request;
  return (
    <Layout title={r.title} ward={props.ward} session={props.session} staff>
      {props.saved ? (
        <p class="notice" role="status">
          Đã gửi yêu cầu báo cáo đến {props.wards.length} xã, phường.
        </p>
      ) : null}
      <h1>{r.title}</h1>
      <p>
        Kỳ báo cáo: {periodOf(r)} (số liệu từ {formatDate(r.period_from)} đến {formatDate(r.period_to)}) · Hạn gửi:{" "}
        {formatDate(r.deadline)}
      </p>
      {r.note ? <p>{r.note}</p> : null}
      <p>
        <Counts counts={props.counts} />
      </p>
      <section class="table-wrap" aria-label="Tình hình gửi báo cáo của các xã, phường" tabindex={0}>
        <table>
          <thead>
            <tr>
              <th scope="col">Xã, phường</th>
              <th scope="col">Tình hình</th>
              <th scope="col">Báo cáo</th>
            </tr>
          </thead>
          <tbody>
            {props.wards.map((w) => (
              <tr data-ward={w.ward.code} data-status={w.status}>
                <th scope="row">
                  <a href={`/quan-tri/tinh/xa/${w.ward.code}`}>{w.ward.name}</a>
                </th>
                <td>{REQUEST_WARD_STATUSES[w.status]}</td>
                <td>
                  {w.report?.number
                    ? `Số ${String(w.report.number).padStart(2, "0")}/${w.report.symbol}, ngày ${formatDate(w.report.issued_on ?? "")}`
                    : ""}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
    </Layout>
  );
}

/** The requests a ward was asked, in its report list: each with its status and the way to answer it. */
export function WardRequests({ requests }: { requests: WardRequest[] }) {
  if (!requests.length) return null;
  return (
    <section aria-labelledby="yeu-cau">
      <h2 id="yeu-cau">Yêu cầu báo cáo của cấp trên</h2>
      <ul class="items">
        {requests.map(({ request: r, status }) => (
          <li data-request={r.id}>
            <strong>{r.title}</strong>{" "}
            <span class="muted small">
              {r.department_name ?? r.province_name} · kỳ {periodOf(r)} · hạn {formatDate(r.deadline)} ·{" "}
              {REQUEST_WARD_STATUSES[status]}
            </span>
            {r.note ? <p class="small">{r.note}</p> : null}
            {status === "pending" || status === "overdue" ? (
              <p>
                <a href={`/quan-tri/bao-cao/du-thao?${requestQuery(r)}`}>Lập báo cáo theo yêu cầu này</a>
              </p>
            ) : null}
          </li>
        ))}
      </ul>
    </section>
  );
}

/** The draft form's query for a request: its period and the request it answers. */
export function requestQuery(r: WardRequest["request"]): string {
  const p: Record<string, string> =
    r.kind === "ad_hoc"
      ? { loai: "ad_hoc", nam: String(r.year), tu: r.period_from, den: r.period_to }
      : { loai: r.kind, nam: String(r.year), ...(r.quarter ? { quy: String(r.quarter) } : {}) };
  return new URLSearchParams({ ...p, "yeu-cau": String(r.id) }).toString();
}
