/** The staff form for feedback received at the desk, by phone, by letter or through the Front and unions. */
import type { ActiveSession } from "../../core/auth/sessions.ts";
import type { Ward } from "../../core/web/context.ts";
import { CsrfField, describedBy, FieldError, type FormState, TextField } from "../../core/web/forms.tsx";
import { ErrorSummary, Layout } from "../../core/web/layout.tsx";
import { staffConsentText } from "./feedback.entry.ts";
import { CHANNELS, CONTENT_MAX, CONTENT_MIN, CONTENT_TYPES, STAFF_CHANNELS, SUBJECTS } from "./feedback.schemas.ts";
import { FEEDBACK_CSS_PATH, FilesField, SelectField } from "./feedback.views.tsx";

/** `today` (ISO) fills the received date the first time; `token` makes a second click file nothing new. */
export function FeedbackEntryPage(props: {
  ward: Ward;
  session: ActiveSession;
  state: FormState;
  token: string;
  today: string;
  maxBytes: number;
  /** The ward's consent text in force (privacy settings). */
  consentText: string;
}) {
  const { ward, session, state, token } = props;
  const v = state.values;
  const channels = Object.fromEntries(STAFF_CHANNELS.map((k) => [k, CHANNELS[k]]));
  return (
    <Layout title="Tiếp nhận phản ánh, kiến nghị" ward={ward} session={session} staff>
      <link rel="stylesheet" href={FEEDBACK_CSS_PATH} />
      <p>
        <a href="/quan-tri/phan-anh">Danh sách phản ánh, kiến nghị</a>
      </p>
      <h1>Tiếp nhận phản ánh, kiến nghị</h1>
      <p>
        Ghi lại phản ánh, kiến nghị người dân gửi trực tiếp tại Bộ phận một cửa, qua điện thoại, bằng thư hoặc qua Mặt
        trận Tổ quốc, các đoàn thể. Sau khi lưu, hãy đọc hoặc ghi mã tra cứu cho người gửi.
      </p>
      <ErrorSummary errors={state.errors} />
      <form
        method="post"
        action="/quan-tri/phan-anh/moi"
        class="gy-form"
        id="pn-form"
        enctype="multipart/form-data"
        novalidate
      >
        <CsrfField token={session.csrfToken} />
        <input type="hidden" name="_form" value={token} />
        <SelectField
          id="pn-channel"
          name="channel"
          label="Cách tiếp nhận"
          options={channels}
          state={state}
          value="desk"
        />
        <TextField
          id="pn-receivedOn"
          name="receivedOn"
          type="date"
          label="Ngày tiếp nhận"
          hint="Không sau hôm nay; để trống là hôm nay"
          state={state}
          value={props.today}
        />
        <SelectField
          id="pn-subject"
          name="subject"
          label="Phản ánh về"
          options={SUBJECTS}
          state={state}
          value={v.procedureCode ? "procedure" : "regulation"}
        />
        <SelectField
          id="pn-contentType"
          name="contentType"
          label="Loại nội dung"
          options={CONTENT_TYPES}
          state={state}
          value="other"
        />
        <TextField
          id="pn-procedureCode"
          name="procedureCode"
          label="Mã thủ tục (nếu có)"
          hint="Ví dụ 1.000253"
          state={state}
        />
        <label for="pn-content">
          Nội dung phản ánh, kiến nghị{" "}
          <span class="hint" id="pn-content-goi-y">
            Từ {CONTENT_MIN} đến {CONTENT_MAX} ký tự, ghi đúng ý người gửi.
          </span>
        </label>
        <FieldError errors={state.errors} id="pn-content" />
        <textarea
          id="pn-content"
          name="content"
          rows={8}
          aria-describedby={describedBy(state.errors, "pn-content", "pn-content-goi-y")}
          aria-invalid={state.errors["pn-content"] ? "true" : undefined}
        >
          {v.content ?? ""}
        </textarea>
        <TextField id="pn-name" name="name" label="Họ và tên người gửi" state={state} autocomplete="off" />
        <TextField id="pn-address" name="address" label="Địa chỉ liên hệ" state={state} autocomplete="off" />
        <TextField id="pn-phone" name="phone" label="Số điện thoại" state={state} autocomplete="off" />
        <TextField id="pn-email" name="email" label="Thư điện tử (không bắt buộc)" state={state} autocomplete="off" />
        <FilesField id="pn-files" state={state} maxBytes={props.maxBytes} />
        <FieldError errors={state.errors} id="pn-consent" />
        <p>
          <input
            type="checkbox"
            id="pn-consent"
            name="consent"
            value="yes"
            checked={v.consent === "yes"}
            aria-describedby={describedBy(state.errors, "pn-consent")}
          />{" "}
          <label for="pn-consent">{staffConsentText(props.consentText)}</label>
        </p>
        <button type="submit">Lưu và cấp mã tra cứu</button>
      </form>
    </Layout>
  );
}
