/** The staff page of one feedback item: the item and its sender, its history, its due date and the next step's form. */
import type { ActiveSession } from "../../core/auth/sessions.ts";
import { megabytes } from "../../core/files.ts";
import { formatDate, formatDateTime } from "../../core/text/vi.ts";
import type { Ward } from "../../core/web/context.ts";
import { CsrfField, describedBy, FieldError, type FormState, SavedNotice, TextField } from "../../core/web/forms.tsx";
import { ErrorSummary, Layout } from "../../core/web/layout.tsx";
import { storedFileHref } from "../../core/web/stored-files.ts";
import { AnswerRows, ApproveForms, DraftForm, PublishForm, StepHistory } from "../answerable/answerable.views.tsx";
import { erasedLabel } from "../privacy/erased.ts";
import {
  ATTACHMENT_TYPES,
  CHANNELS,
  CLASSIFICATIONS,
  CONTENT_TYPES,
  STATUS_LABELS,
  SUBJECTS,
} from "./feedback.schemas.ts";
import { isOverdue, type WorkflowItem } from "./feedback.workflow.service.ts";

export const SAVED: Record<string, string> = {
  "vao-so": "Đã vào sổ.",
  "phan-loai": "Đã phân loại.",
  giao: "Đã giao đơn vị xử lý.",
  "du-thao": "Đã lưu dự thảo trả lời.",
  duyet: "Đã phê duyệt nội dung trả lời.",
  "tra-lai": "Đã trả lại dự thảo cho đơn vị xử lý để sửa.",
  "cong-bo": "Đã công bố kết quả.",
  "tiep-nhan": "Đã lưu phản ánh, kiến nghị.",
};

/** A file's size as staff read it: kilobytes under a megabyte. */
const sizeText = (bytes: number) =>
  bytes < 1024 * 1024 ? `${Math.max(1, Math.round(bytes / 1024))} KB` : megabytes(bytes);

const label = (map: Record<string, string>, code: string | null) => (code ? (map[code] ?? code) : "");

/** A step as the history reads it: a send-back says so, whatever status it led to. */
const stepLabel = (s: { from_status: string; to_status: string }) =>
  s.from_status === "drafted" && s.to_status === "processing"
    ? "Lãnh đạo trả lại để sửa (Đang xử lý)"
    : label(STATUS_LABELS, s.to_status);

function StepForm(props: { data: WorkflowItem; csrf: string; state: FormState }) {
  const { data, csrf, state } = props;
  const id = data.item.id;
  const base = `/quan-tri/phan-anh/${id}`;
  const v = state.values;
  switch (data.next) {
    case "register":
      return (
        <form method="post" action={`${base}/vao-so`} id="vs-form">
          <CsrfField token={csrf} />
          <button type="submit">Vào sổ</button>
        </form>
      );
    case "classify":
      return (
        <form method="post" action={`${base}/phan-loai`} id="pl-form" novalidate>
          <CsrfField token={csrf} />
          <fieldset id="pl-classification" aria-describedby={describedBy(state.errors, "pl-classification")}>
            <legend>Kết quả phân loại</legend>
            <FieldError errors={state.errors} id="pl-classification" />
            {Object.entries(CLASSIFICATIONS).map(([code, text]) => (
              <p>
                <input
                  type="radio"
                  id={`pl-c-${code}`}
                  name="classification"
                  value={code}
                  checked={v.classification === code}
                />{" "}
                <label for={`pl-c-${code}`}>{text}</label>
              </p>
            ))}
          </fieldset>
          <TextField
            id="pl-forwardedTo"
            name="forwardedTo"
            label="Cơ quan có thẩm quyền (khi chuyển)"
            hint="Phải chuyển trong không quá 05 ngày làm việc kể từ ngày tiếp nhận."
            state={state}
          />
          <label for="pl-reason">Lý do không tiếp nhận (khi không tiếp nhận)</label>
          <FieldError errors={state.errors} id="pl-reason" />
          <textarea id="pl-reason" name="reason" rows={3} aria-describedby={describedBy(state.errors, "pl-reason")}>
            {v.reason ?? ""}
          </textarea>
          <button type="submit">Phân loại</button>
        </form>
      );
    case "assign":
      return (
        <form method="post" action={`${base}/giao`} id="gv-form" novalidate>
          <CsrfField token={csrf} />
          <label for="gv-unitId">Đơn vị xử lý</label>
          <FieldError errors={state.errors} id="gv-unitId" />
          <select id="gv-unitId" name="unitId" aria-describedby={describedBy(state.errors, "gv-unitId")}>
            <option value="">— Chọn đơn vị —</option>
            {data.units.map((u) => (
              <option value={String(u.id)} selected={v.unitId === String(u.id)}>
                {u.name}
              </option>
            ))}
          </select>
          <button type="submit">Giao xử lý</button>
        </form>
      );
    case "draft":
      return (
        <DraftForm
          base={base}
          csrf={csrf}
          state={state}
          label="Dự thảo nội dung trả lời"
          draft={data.item.answer_draft}
        />
      );
    case "approve":
      return <ApproveForms base={base} csrf={csrf} state={state} unit="đơn vị xử lý" />;
    case "publish":
      return data.publicDraft ? (
        <PublishForm
          base={base}
          csrf={csrf}
          state={state}
          draft={data.publicDraft}
          citizen={{
            field: "publicContent",
            label: "Nội dung phản ánh công khai",
            hint: "Nội dung phản ánh như người dân sẽ đọc trên trang công khai.",
          }}
          known={data.item}
          submitLabel="Công bố kết quả"
        />
      ) : null;
    default:
      return null;
  }
}

/** One item, for staff handling it. `state` carries a failed form's errors and what was typed. */
export function FeedbackItemPage(props: {
  ward: Ward;
  session: ActiveSession;
  data: WorkflowItem;
  today: string;
  state: FormState;
  saved?: string;
}) {
  const { ward, session, data, today, state } = props;
  const { item, steps } = data;
  const overdue = isOverdue(item.status, item.due_on, today);
  return (
    <Layout title={`Phản ánh ${item.code}`} ward={ward} session={session} staff>
      <p>
        <a href="/quan-tri/phan-anh">Danh sách phản ánh, kiến nghị</a>
      </p>
      <h1>Phản ánh, kiến nghị {item.code}</h1>
      <SavedNotice message={props.saved ? SAVED[props.saved] : undefined} />
      {props.saved === "tiep-nhan" ? (
        <p class="gy-panel">
          Mã tra cứu để báo lại cho người gửi: <strong class="gy-code">{item.code}</strong>
          <br />
          Người gửi tra cứu bằng mã này và số điện thoại đã cung cấp.
        </p>
      ) : null}
      <ErrorSummary errors={state.errors} />
      <dl>
        <dt>Tình trạng</dt>
        <dd>{label(STATUS_LABELS, item.status)}</dd>
        <dt>Hạn xử lý</dt>
        <dd>
          {item.due_on ? (
            <span class={overdue ? "tag overdue" : undefined}>
              {formatDate(item.due_on)}
              {overdue ? " (quá hạn)" : ""}
            </span>
          ) : (
            "Chưa có (tính khi phân loại)"
          )}
        </dd>
        <dt>Ngày tiếp nhận</dt>
        <dd>
          {formatDateTime(item.received_at)} · {label(CHANNELS, item.channel)}
          {item.entered_by_name ? ` · người nhập: ${item.entered_by_name}` : ""}
        </dd>
        <dt>Về</dt>
        <dd>
          {label(SUBJECTS, item.subject)}
          {item.procedure_code ? ` · thủ tục ${item.procedure_code}` : ""} · {label(CONTENT_TYPES, item.content_type)}
        </dd>
        <dt>Nội dung</dt>
        <dd class="gy-content">{item.content}</dd>
        {item.public_content ? (
          <>
            <dt>Nội dung công khai</dt>
            <dd class="gy-content">{item.public_content}</dd>
          </>
        ) : null}
        <dt>Người gửi</dt>
        {item.erased_at ? (
          <dd>
            <em>{erasedLabel(item.erased_reason)}</em>
          </dd>
        ) : (
          <dd>
            {item.name} · {item.phone} · {item.address}
            {item.email ? ` · ${item.email}` : ""}
          </dd>
        )}
        <dt>Tệp đính kèm</dt>
        <dd>
          {data.files.length === 0 ? (
            "Không có"
          ) : (
            <ul>
              {data.files.map((f) => (
                <li>
                  <a href={storedFileHref(f.id)} download>
                    {f.original_name}
                  </a>{" "}
                  <span class="muted small">
                    ({ATTACHMENT_TYPES[f.mime] ?? f.mime}, {sizeText(f.size)})
                  </span>
                </li>
              ))}
            </ul>
          )}
        </dd>
        {item.classification ? (
          <>
            <dt>Phân loại</dt>
            <dd>{label(CLASSIFICATIONS, item.classification)}</dd>
          </>
        ) : null}
        {item.reason ? (
          <>
            <dt>Lý do không tiếp nhận</dt>
            <dd>{item.reason}</dd>
          </>
        ) : null}
        {item.forwarded_to ? (
          <>
            <dt>Chuyển đến</dt>
            <dd>{item.forwarded_to}</dd>
          </>
        ) : null}
        {item.unit_name ? (
          <>
            <dt>Đơn vị xử lý</dt>
            <dd>{item.unit_name}</dd>
          </>
        ) : null}
        <AnswerRows item={item} sentBack={item.status === "processing"} />
      </dl>
      {data.next ? (
        <section aria-labelledby="buoc-tiep">
          <h2 id="buoc-tiep">Bước tiếp theo</h2>
          <StepForm data={data} csrf={session.csrfToken} state={state} />
        </section>
      ) : null}
      <h2>Lịch sử xử lý</h2>
      <StepHistory steps={steps} label={stepLabel} />
    </Layout>
  );
}
