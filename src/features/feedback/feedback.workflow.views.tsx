/** The staff page of one feedback item: the item and its sender, its history, its due date and the next step's form. */
import type { ActiveSession } from "../../core/auth/sessions.ts";
import { megabytes } from "../../core/files.ts";
import { formatDate, formatDateTime } from "../../core/text/vi.ts";
import type { Ward } from "../../core/web/context.ts";
import { CsrfField, describedBy, FieldError, type FormState, SavedNotice, TextField } from "../../core/web/forms.tsx";
import { ErrorSummary, Layout } from "../../core/web/layout.tsx";
import { storedFileHref } from "../../core/web/stored-files.ts";
import { SendBackForm } from "../../core/web/workflow-forms.tsx";
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

const KIND_WORDS: Record<string, string> = {
  name: "họ tên",
  address: "địa chỉ",
  phone: "số điện thoại",
  email: "thư điện tử",
  id: "số giấy tờ tùy thân",
};

/** "2 số điện thoại, 1 họ tên" — what the automatic masking found. */
const maskedText = (masked: Partial<Record<string, number>>) =>
  Object.entries(masked)
    .map(([kind, n]) => `${n} ${KIND_WORDS[kind] ?? kind}`)
    .join(", ");

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
        <form method="post" action={`${base}/du-thao`} id="dt-form" novalidate>
          <CsrfField token={csrf} />
          <label for="dt-answer">Dự thảo nội dung trả lời</label>
          <FieldError errors={state.errors} id="dt-answer" />
          {/* After a send-back the unit revises its previous draft rather than starting again. */}
          <textarea id="dt-answer" name="answer" rows={8} aria-describedby={describedBy(state.errors, "dt-answer")}>
            {v.answer ?? data.item.answer_draft ?? ""}
          </textarea>
          <button type="submit">Lưu dự thảo, trình lãnh đạo</button>
        </form>
      );
    case "approve":
      return (
        <>
          <form method="post" action={`${base}/duyet`} id="pd-form">
            <CsrfField token={csrf} />
            <button type="submit">Phê duyệt nội dung trả lời</button>
          </form>
          <SendBackForm
            base={base}
            csrf={csrf}
            state={state}
            hint="Dự thảo về lại đơn vị xử lý để sửa; đơn vị đọc được lý do này."
          />
        </>
      );
    case "publish": {
      const masked = data.publicDraft ? maskedText(data.publicDraft.masked) : "";
      return (
        <form method="post" action={`${base}/cong-bo`} id="cb-form" novalidate>
          <CsrfField token={csrf} />
          <label for="cb-publicContent">
            Nội dung công khai{" "}
            <span class="hint" id="cb-publicContent-goi-y">
              Nội dung phản ánh như người dân sẽ đọc trên trang công khai. Thông tin cá nhân đã được tự động che
              {masked ? ` (${masked})` : " (không thấy thông tin nào)"}; hãy đọc lại và che thêm họ tên, số điện thoại,
              địa chỉ, số giấy tờ còn sót trước khi công bố.
            </span>
          </label>
          <FieldError errors={state.errors} id="cb-publicContent" />
          <textarea
            id="cb-publicContent"
            name="publicContent"
            rows={8}
            required
            aria-describedby={describedBy(state.errors, "cb-publicContent", "cb-publicContent-goi-y")}
          >
            {v.publicContent ?? data.publicDraft?.text ?? ""}
          </textarea>
          <button type="submit">Công bố kết quả</button>
        </form>
      );
    }
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
        {item.answer_draft ? (
          <>
            <dt>{item.answer_final ? "Nội dung trả lời" : "Dự thảo trả lời"}</dt>
            <dd class="gy-content">{item.answer_final ?? item.answer_draft}</dd>
          </>
        ) : null}
        {item.return_reason ? (
          <>
            <dt>{item.status === "processing" ? "Lãnh đạo trả lại để sửa, lý do" : "Lý do trả lại lần gần nhất"}</dt>
            <dd class="gy-content">{item.return_reason}</dd>
          </>
        ) : null}
        {item.approver_name ? (
          <>
            <dt>Lãnh đạo phê duyệt</dt>
            <dd>{item.approver_name}</dd>
          </>
        ) : null}
      </dl>
      {data.next ? (
        <section aria-labelledby="buoc-tiep">
          <h2 id="buoc-tiep">Bước tiếp theo</h2>
          <StepForm data={data} csrf={session.csrfToken} state={state} />
        </section>
      ) : null}
      <h2>Lịch sử xử lý</h2>
      {steps.length === 0 ? (
        <p>Chưa có bước xử lý nào.</p>
      ) : (
        <table>
          <thead>
            <tr>
              <th scope="col">Thời điểm</th>
              <th scope="col">Chuyển sang</th>
              <th scope="col">Người thực hiện</th>
              <th scope="col">Ghi chú</th>
            </tr>
          </thead>
          <tbody>
            {steps.map((s) => (
              <tr>
                <td>{formatDateTime(s.at)}</td>
                <td>{stepLabel(s)}</td>
                <td>{s.actor}</td>
                <td>{s.note ?? ""}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </Layout>
  );
}
