/** The staff form for feedback received at the desk, by phone, by letter or through the Front and unions. */

import type { ActiveSession } from "../../core/auth/sessions.ts";
import { CITIZEN_FORMS_CSS_PATH } from "../../core/web/citizen-forms-css.ts";
import type { Ward } from "../../core/web/context.ts";
import { CheckboxField, CsrfField, type FormState, TextField } from "../../core/web/forms.tsx";
import { ErrorSummary, Layout } from "../../core/web/layout.tsx";
import { staffConsentText } from "./feedback.entry.ts";
import { CHANNELS, STAFF_CHANNELS } from "./feedback.schemas.ts";
import { FeedbackAboutFields, FilesField, SelectField } from "./feedback.views.tsx";

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
  const _v = state.values;
  const channels = Object.fromEntries(STAFF_CHANNELS.map((k) => [k, CHANNELS[k]]));
  return (
    <Layout title="Tiếp nhận phản ánh, kiến nghị" ward={ward} session={session} staff>
      <link rel="stylesheet" href={CITIZEN_FORMS_CSS_PATH} />
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
        <FeedbackAboutFields prefix="pn" state={state} contentHint="Ghi đúng ý người gửi." />
        <TextField id="pn-name" name="name" label="Họ và tên người gửi" state={state} autocomplete="off" />
        <TextField id="pn-address" name="address" label="Địa chỉ liên hệ" state={state} autocomplete="off" />
        <TextField id="pn-phone" name="phone" label="Số điện thoại" state={state} type="tel" autocomplete="off" />
        <TextField id="pn-email" name="email" label="Thư điện tử (không bắt buộc)" state={state} autocomplete="off" />
        <FilesField id="pn-files" state={state} maxBytes={props.maxBytes} />
        <CheckboxField id="pn-consent" name="consent" label={staffConsentText(props.consentText)} state={state} />
        <button type="submit">Lưu và cấp mã tra cứu</button>
      </form>
    </Layout>
  );
}
