/** Pages of the feedback feature: the public form, its receipt, the status lookup, the 429 page and the staff list. */

import type { ActiveSession } from "../../core/auth/sessions.ts";
import { megabytes } from "../../core/files.ts";
import { formatDate, formatDateTime } from "../../core/text/vi.ts";
import { CITIZEN_FORMS_CSS_PATH } from "../../core/web/citizen-forms-css.ts";
import type { Ward } from "../../core/web/context.ts";
import {
  CheckboxField,
  describedBy,
  FieldError,
  type FormState,
  TextAreaField,
  TextField,
} from "../../core/web/forms.tsx";
import { ErrorSummary, Layout } from "../../core/web/layout.tsx";
import { erasedLabel } from "../privacy/erased.ts";
import {
  ATTACHMENT_TYPES_TEXT,
  CHANNELS,
  CONTENT_MAX,
  CONTENT_MIN,
  CONTENT_TYPES,
  FEEDBACK_FIGURES,
  type FeedbackListQuery,
  MAX_ATTACHMENTS,
  maskPhone,
  STATUS_LABELS,
  SUBJECTS,
} from "./feedback.schemas.ts";
import type { FeedbackRow, FeedbackStatus } from "./feedback.service.ts";
import { isOverdue } from "./feedback.workflow.service.ts";

const Styles = () => <link rel="stylesheet" href={CITIZEN_FORMS_CSS_PATH} />;

/** A select with its label and error; shows what was chosen, else `value`. */
export function SelectField(props: {
  id: string;
  name: string;
  label: string;
  options: Record<string, string>;
  state: FormState;
  value: string;
}) {
  const { id, name, state } = props;
  const chosen = state.values[name] ?? props.value;
  return (
    <>
      <label for={id}>{props.label}</label>
      <FieldError errors={state.errors} id={id} />
      <select id={id} name={name} aria-describedby={describedBy(state.errors, id)}>
        {Object.entries(props.options).map(([code, label]) => (
          <option value={code} selected={code === chosen}>
            {label}
          </option>
        ))}
      </select>
    </>
  );
}

/** The attachments field: up to three files, checked by content on the server (`accept` only helps the picker). */
export function FilesField({ id, state, maxBytes }: { id: string; state: FormState; maxBytes: number }) {
  const hint = `${id}-goi-y`;
  return (
    <>
      <label for={id}>
        Tệp đính kèm (không bắt buộc){" "}
        <span class="hint" id={hint}>
          Tối đa {MAX_ATTACHMENTS} tệp: {ATTACHMENT_TYPES_TEXT}, mỗi tệp không quá {megabytes(maxBytes)}. Nếu biểu mẫu
          báo lỗi, hãy chọn lại tệp.
        </span>
      </label>
      <FieldError errors={state.errors} id={id} />
      <input
        type="file"
        id={id}
        name="files"
        multiple
        accept=".jpg,.jpeg,.png,.pdf,image/jpeg,image/png,application/pdf"
        aria-describedby={describedBy(state.errors, id, hint)}
        aria-invalid={state.errors[id] ? "true" : undefined}
      />
    </>
  );
}

/** The public form. `token` is the one-time token of this rendering; `state.values` keeps what was typed. */
export function FeedbackFormPage(props: {
  ward: Ward;
  state: FormState;
  token: string;
  maxBytes: number;
  /** The ward's consent text in force (privacy/consent.ts). */
  consentText: string;
}) {
  const { ward, state, token } = props;
  const base = ward.base;
  const _v = state.values;
  return (
    <Layout title="Gửi phản ánh, kiến nghị" ward={ward}>
      <Styles />
      <h1>Gửi phản ánh, kiến nghị</h1>
      <p>
        Phản ánh, kiến nghị về thủ tục hành chính, quy định hành chính hoặc cách cán bộ, công chức thực hiện (Nghị định
        20/2008/NĐ-CP). Đây không phải nơi gửi khiếu nại, tố cáo.
      </p>
      <p>
        Theo quy định, phản ánh, kiến nghị phải ghi rõ họ tên, địa chỉ và số điện thoại của người gửi. Các thông tin này
        chỉ cán bộ xử lý được xem, không công khai.
      </p>
      <ErrorSummary errors={state.errors} />
      <p>
        <a href={`${base}/gop-y/da-tra-loi`}>Xem các phản ánh, kiến nghị đã được trả lời</a>
      </p>
      <form
        method="post"
        action={`${base}/gop-y`}
        class="gy-form"
        id="gy-form"
        enctype="multipart/form-data"
        novalidate
      >
        <input type="hidden" name="_form" value={token} />
        <FeedbackAboutFields
          prefix="gy"
          state={state}
          contentHint="Nêu rõ sự việc, thời gian, nơi xảy ra và đề xuất của bạn (nếu có)."
        />
        <TextField id="gy-name" name="name" label="Họ và tên" state={state} autocomplete="name" />
        <TextField id="gy-address" name="address" label="Địa chỉ liên hệ" state={state} autocomplete="street-address" />
        <TextField
          id="gy-phone"
          name="phone"
          label="Số điện thoại"
          hint="Dùng số này khi tra cứu kết quả"
          state={state}
          autocomplete="tel"
        />
        <TextField id="gy-email" name="email" label="Thư điện tử (không bắt buộc)" state={state} autocomplete="email" />
        <FilesField id="gy-files" state={state} maxBytes={props.maxBytes} />
        {/* A trap for robots: people never see or reach this field, so anything typed in it was not typed by a person. */}
        <div class="gy-hp" aria-hidden="true">
          <label for="gy-website">Để trống ô này</label>
          <input type="text" id="gy-website" name="website" value="" tabindex={-1} autocomplete="off" />
        </div>
        <CheckboxField id="gy-consent" name="consent" label={props.consentText} state={state} />
        <button type="submit">Gửi phản ánh, kiến nghị</button>
      </form>
      <p>
        <a href={`${base}/gop-y/tra-cuu`}>Tra cứu phản ánh, kiến nghị đã gửi</a>
      </p>
    </Layout>
  );
}

/** What the feedback is about and what it says: the public form's and the desk entry's shared fields. */
export function FeedbackAboutFields(props: { prefix: string; state: FormState; contentHint: string }) {
  const { prefix, state } = props;
  return (
    <>
      <SelectField
        id={`${prefix}-subject`}
        name="subject"
        label="Phản ánh về"
        options={SUBJECTS}
        state={state}
        value={state.values.procedureCode ? "procedure" : "regulation"}
      />
      <SelectField
        id={`${prefix}-contentType`}
        name="contentType"
        label="Loại nội dung"
        options={CONTENT_TYPES}
        state={state}
        value="other"
      />
      <TextField
        id={`${prefix}-procedureCode`}
        name="procedureCode"
        label="Mã thủ tục (nếu có)"
        hint="Ví dụ 1.000253"
        state={state}
      />
      <TextAreaField
        id={`${prefix}-content`}
        name="content"
        label="Nội dung phản ánh, kiến nghị"
        hint={`Từ ${CONTENT_MIN} đến ${CONTENT_MAX} ký tự. ${props.contentHint}`}
        rows={8}
        state={state}
      />
    </>
  );
}

/** The receipt: the tracking code, big, and what to do with it. */
export function FeedbackSentPage({ ward, code }: { ward: Ward; code: string }) {
  return (
    <Layout title="Đã gửi phản ánh, kiến nghị" ward={ward}>
      <Styles />
      <h1>Đã gửi phản ánh, kiến nghị</h1>
      <div class="gy-panel" role="status">
        <p>Mã tra cứu của bạn</p>
        <p class="gy-code">{code}</p>
      </div>
      <p>
        <strong>Hãy ghi lại hoặc chụp lại mã này.</strong> Cần mã này và số điện thoại bạn đã nhập để tra cứu tình trạng
        xử lý.
      </p>
      <p>
        <a href={`${ward.base}/gop-y/tra-cuu`}>Tra cứu tình trạng xử lý</a> ·{" "}
        <a href={`${ward.base}/gop-y/da-tra-loi`}>Phản ánh, kiến nghị đã trả lời</a> ·{" "}
        <a href={`${ward.base}/khao-sat`}>Đánh giá sự hài lòng</a>
      </p>
    </Layout>
  );
}

/** The lookup form, with its result or its error. */
export function FeedbackLookupPage(props: { ward: Ward; state: FormState; result?: FeedbackStatus | null }) {
  const { ward, state, result } = props;
  return (
    <Layout title="Tra cứu phản ánh, kiến nghị" ward={ward}>
      <Styles />
      <h1>Tra cứu phản ánh, kiến nghị</h1>
      <ErrorSummary errors={state.errors} />
      {result ? (
        <div class="gy-panel" role="status">
          <p class="gy-code">{result.code}</p>
          <dl>
            <dt>Tình trạng</dt>
            <dd>{STATUS_LABELS[result.status] ?? result.status}</dd>
            <dt>Ngày tiếp nhận</dt>
            <dd>{formatDate(result.receivedAt)}</dd>
            {result.deadline && !result.answer ? (
              <>
                <dt>{result.status === "forwarded" ? "Hạn chuyển đơn (ngày làm việc)" : "Hạn trả lời"}</dt>
                <dd>{formatDate(result.deadline)}</dd>
              </>
            ) : null}
            {result.reason ? (
              <>
                <dt>Lý do không tiếp nhận xử lý</dt>
                <dd class="gy-content">{result.reason}</dd>
              </>
            ) : null}
            {result.forwardedTo ? (
              <>
                <dt>Đã chuyển đến</dt>
                <dd>{result.forwardedTo}</dd>
              </>
            ) : null}
            {result.answer && result.publishedAt ? (
              <>
                <dt>Kết quả trả lời (công bố ngày {formatDate(result.publishedAt)})</dt>
                <dd class="gy-content">{result.answer}</dd>
              </>
            ) : null}
          </dl>
          <h2>Các bước đã thực hiện</h2>
          <ol>
            {result.history.map((h) => (
              <li>
                {formatDate(h.at)}: {STATUS_LABELS[h.status] ?? h.status}
              </li>
            ))}
          </ol>
        </div>
      ) : null}
      <form method="post" action={`${ward.base}/gop-y/tra-cuu`} id="tc-form" novalidate>
        <TextField
          id="tc-code"
          name="code"
          label="Mã tra cứu"
          hint="Dạng PA-2026-7KQ9XM"
          state={state}
          autocomplete="off"
        />
        <TextField id="tc-phone" name="phone" label="Số điện thoại đã dùng khi gửi" state={state} autocomplete="tel" />
        <button type="submit">Tra cứu</button>
      </form>
      <p>
        <a href={`${ward.base}/gop-y`}>Gửi phản ánh, kiến nghị mới</a> ·{" "}
        <a href={`${ward.base}/gop-y/da-tra-loi`}>Phản ánh, kiến nghị đã trả lời</a>
      </p>
    </Layout>
  );
}

/**
 * The staff list: the sender's name and a masked phone only (the full details are on the item page, for those
 * handling it). `unitOnly`: an officer's list, the items assigned to their unit.
 */
export function FeedbackListPage(props: {
  ward: Ward;
  session: ActiveSession;
  rows: FeedbackRow[];
  today: string;
  unitOnly: boolean;
  canEnter: boolean;
  /** The filter a link (a report's figure) asked for, or null. */
  filter?: FeedbackListQuery | null;
}) {
  const { ward, session, rows, today, unitOnly, filter } = props;
  return (
    <Layout title="Phản ánh, kiến nghị" ward={ward} session={session} staff>
      <Styles />
      <h1>{unitOnly ? "Phản ánh, kiến nghị giao cho đơn vị tôi" : "Phản ánh, kiến nghị đã tiếp nhận"}</h1>
      {props.canEnter ? (
        <p>
          <a href="/quan-tri/phan-anh/moi">Tiếp nhận phản ánh, kiến nghị (trực tiếp, điện thoại, thư, Mặt trận)</a>
        </p>
      ) : null}
      {filter ? (
        <p>
          Lọc: tiếp nhận{filter.tu ? ` từ ${formatDate(filter.tu)}` : ""}
          {filter.den ? ` đến ${formatDate(filter.den)}` : ""}
          {filter.kenh ? `, kênh “${CHANNELS[filter.kenh]}”` : ""}
          {filter["so-lieu"] ? ` — ${FEEDBACK_FIGURES[filter["so-lieu"]]}` : ""}:{" "}
          <strong data-count={rows.length}>{rows.length}</strong> phản ánh, kiến nghị.{" "}
          <a href="/quan-tri/phan-anh">Bỏ lọc</a>
        </p>
      ) : null}
      {rows.length === 0 ? (
        <p>{unitOnly ? "Chưa có phản ánh, kiến nghị nào giao cho đơn vị bạn." : "Chưa có phản ánh, kiến nghị nào."}</p>
      ) : (
        <section class="table-wrap" aria-label="Danh sách phản ánh, kiến nghị" tabindex={0}>
          <table class="gy-list">
            <thead>
              <tr>
                <th scope="col">Mã, ngày nhận</th>
                <th scope="col">Nội dung</th>
                <th scope="col">Người gửi</th>
                <th scope="col">Tình trạng</th>
                <th scope="col">Hạn xử lý</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((r) => (
                <tr class={isOverdue(r.status, r.due_on, today) ? "gy-overdue" : undefined}>
                  <td>
                    <a href={`/quan-tri/phan-anh/${r.id}`}>
                      <strong>{r.code}</strong>
                    </a>
                    <br />
                    {formatDateTime(r.received_at)}
                    <br />
                    {CHANNELS[r.channel as keyof typeof CHANNELS] ?? r.channel}
                  </td>
                  <td>
                    <p>
                      {SUBJECTS[r.subject as keyof typeof SUBJECTS] ?? r.subject}
                      {r.procedure_code ? ` · thủ tục ${r.procedure_code}` : ""}
                      <br />
                      <small>{CONTENT_TYPES[r.content_type as keyof typeof CONTENT_TYPES] ?? r.content_type}</small>
                    </p>
                    <p class="gy-content">{r.content}</p>
                  </td>
                  <td>
                    {r.erased_at ? (
                      <em>{erasedLabel(r.erased_reason)}</em>
                    ) : (
                      <>
                        {r.name}
                        <br />
                        {maskPhone(r.phone)}
                      </>
                    )}
                  </td>
                  <td>{STATUS_LABELS[r.status] ?? r.status}</td>
                  <td>
                    {formatDate(r.due_on)}
                    {isOverdue(r.status, r.due_on, today) ? <span class="tag overdue"> Quá hạn</span> : null}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
      )}
    </Layout>
  );
}
