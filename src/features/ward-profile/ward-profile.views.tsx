/** The administrator's page of the ward's contact details (hồ sơ phường). */
import type { ActiveSession } from "../../core/auth/sessions.ts";
import type { Ward } from "../../core/web/context.ts";
import { CsrfField, type FormState, SavedNotice, TextAreaField, TextField } from "../../core/web/forms.tsx";
import { ErrorSummary, Layout } from "../../core/web/layout.tsx";

export function WardProfilePage(props: { ward: Ward; session: ActiveSession; state: FormState; saved?: string }) {
  const { ward, session, state } = props;
  return (
    <Layout title="Hồ sơ phường" ward={ward} session={session} staff>
      <h1>Hồ sơ phường: nơi tiếp nhận hồ sơ, giờ làm việc, liên hệ</h1>
      <p>
        Người dân thấy các thông tin này ở cuối mọi trang công khai, trên trang từng thủ tục (mục «Nơi tiếp nhận», trừ
        thủ tục đã có địa chỉ riêng) và trên bảng niêm yết. Ô để trống thì không hiển thị.
      </p>
      <SavedNotice message={props.saved} />
      <ErrorSummary errors={state.errors} />
      <form method="post" action="/quan-tri/ho-so-phuong" id="hs">
        <CsrfField token={session.csrfToken} />
        <TextField
          id="address"
          name="address"
          label="Địa chỉ Bộ phận tiếp nhận và trả kết quả"
          hint="Ví dụ: Bộ phận Một cửa, UBND phường, số 1 đường Nguyễn Nghiêm"
          state={state}
        />
        <TextAreaField
          id="deskHours"
          name="deskHours"
          label="Thời gian tiếp nhận hồ sơ"
          hint="Mỗi dòng một khoảng, ví dụ: Sáng thứ Hai đến thứ Sáu: 7 giờ 00 đến 11 giờ 30"
          state={state}
          rows={3}
        />
        <TextField id="hotline" name="hotline" label="Đường dây nóng" state={state} type="tel" autocomplete="off" />
        <TextField id="email" name="email" label="Thư điện tử" state={state} type="email" autocomplete="off" />
        <TextField
          id="mapUrl"
          name="mapUrl"
          label="Đường dẫn bản đồ"
          hint="Địa chỉ https:// của vị trí trụ sở trên một trang bản đồ"
          state={state}
          type="url"
        />
        <button type="submit" class="btn">
          Lưu hồ sơ phường
        </button>
      </form>
    </Layout>
  );
}
