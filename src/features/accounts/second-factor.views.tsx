/**
 * Pages of the second factor: the code asked at sign-in, setting it up (the secret as a QR code and as text), the
 * recovery codes shown once, and an account's own second-factor page. No JavaScript: each step is a form.
 */
import { groupedSecret } from "../../core/auth/totp.ts";
import { formatDate } from "../../core/text/vi.ts";
import { CsrfField, type FormState, SavedNotice, TextField } from "../../core/web/forms.tsx";
import { ErrorSummary } from "../../core/web/layout.tsx";
import type { SecondFactorView } from "./second-factor.service.ts";

/** The account's own second-factor page. */
export const SELF_BASE = "/quan-tri/tai-khoan/xac-thuc-hai-buoc";

/** The QR code of an `otpauth://` URI, as a PNG data URL (the CSP allows `data:` images, no script needed). */
export const qrDataUrl = async (uri: string): Promise<string> =>
  (await import("qrcode")).default.toDataURL(uri, { errorCorrectionLevel: "M", margin: 2, scale: 5 });

/** The one code field of every second-factor form. */
function CodeField(props: { id: string; state: FormState; label?: string; hint?: string }) {
  return (
    <TextField
      id={props.id}
      name="code"
      label={props.label ?? "Mã xác thực (6 chữ số)"}
      hint={props.hint}
      state={{ values: {}, errors: props.state.errors }}
      autocomplete="one-time-code"
    />
  );
}

/** The second step of signing in: the code from the phone, or a recovery code. */
export function CodeStepPage(props: { csrf: string; username: string; next: string; state: FormState }) {
  return (
    <>
      <ErrorSummary errors={props.state.errors} />
      <h1>Xác thực hai bước</h1>
      <p>
        Mật khẩu của tài khoản <strong>{props.username}</strong> đúng. Hãy mở ứng dụng xác thực trên điện thoại và nhập
        mã 6 chữ số đang hiện.
      </p>
      <form method="post" action={`/dang-nhap/xac-thuc${nextQuery(props.next)}`}>
        <CsrfField token={props.csrf} />
        <CodeField
          id="code"
          state={props.state}
          label="Mã xác thực"
          hint="Mất điện thoại? Nhập một mã khôi phục (dạng XXXX-XXXX-XXXX-XXXX) vào ô này. Hết mã khôi phục: nhờ quản trị viên của phường đặt lại."
        />
        <div>
          <button type="submit" class="btn">
            Xác nhận
          </button>
        </div>
      </form>
      <p class="small">
        <a href="/dang-nhap">Đăng nhập bằng tài khoản khác</a>
      </p>
    </>
  );
}

/** `?tiep=…` for a page to go back to after signing in, when there is one. */
export const nextQuery = (next: string) => (next && next !== "/quan-tri" ? `?tiep=${encodeURIComponent(next)}` : "");

/** Setting up: scan the QR code (or type the secret), then confirm with a code from the app. */
export async function EnrolSteps(props: {
  csrf: string;
  action: string;
  secret: string;
  uri: string;
  state: FormState;
}) {
  const qr = await qrDataUrl(props.uri);
  return (
    <>
      <h2>Bước 1. Thêm tài khoản vào ứng dụng xác thực</h2>
      <p>
        Cài một ứng dụng xác thực trên điện thoại (ví dụ Google Authenticator, Microsoft Authenticator hoặc FreeOTP),
        chọn thêm tài khoản và quét mã QR dưới đây.
      </p>
      <p>
        <img src={qr} alt="Mã QR để thêm tài khoản vào ứng dụng xác thực" width="200" height="200" />
      </p>
      <p>
        Không quét được? Chọn nhập khóa thủ công, loại “theo thời gian”, và gõ khóa sau:{" "}
        <code class="secret">{groupedSecret(props.secret)}</code>
      </p>
      <h2>Bước 2. Nhập mã để xác nhận</h2>
      <form method="post" action={props.action}>
        <CsrfField token={props.csrf} />
        <CodeField id="code" state={props.state} hint="Mã 6 chữ số ứng dụng hiện cho tài khoản vừa thêm." />
        <div>
          <button type="submit" class="btn">
            Bật xác thực hai bước
          </button>
        </div>
      </form>
    </>
  );
}

/** The recovery codes, shown once (they are kept only as hashes). */
export function RecoveryCodes(props: { codes: string[]; continueTo: string }) {
  return (
    <>
      <div class="notice" role="status">
        Xác thực hai bước đang bật. Dưới đây là {props.codes.length} mã khôi phục mới.
      </div>
      <h1>Mã khôi phục</h1>
      <p>
        <strong>Các mã này chỉ hiện một lần.</strong> Hãy in ra hoặc chép lại và cất ở nơi an toàn, tách khỏi điện
        thoại. Khi mất điện thoại, mỗi mã thay cho mã xác thực được một lần. Các mã khôi phục cũ (nếu có) không còn dùng
        được.
      </p>
      <ol class="recovery-codes">
        {props.codes.map((code) => (
          <li>
            <code>{code}</code>
          </li>
        ))}
      </ol>
      <p>
        <a class="btn" href={props.continueTo}>
          Tôi đã lưu các mã, tiếp tục
        </a>
      </p>
    </>
  );
}

/** A form of the account's own page that needs a current code (its field `{form}-code`); the title is its button. */
function CodeForm(props: {
  csrf: string;
  form: string;
  action: string;
  title: string;
  hint: string;
  state: FormState;
  secondary?: boolean;
}) {
  return (
    <form method="post" action={props.action}>
      <h2>{props.title}</h2>
      <p class="hint">{props.hint}</p>
      <CsrfField token={props.csrf} />
      <CodeField id={`${props.form}-code`} state={props.state} />
      <div>
        <button type="submit" class={props.secondary ? "btn secondary" : "btn"}>
          {props.title}
        </button>
      </div>
    </form>
  );
}

const SAVED: Record<string, string> = { tat: "Đã tắt xác thực hai bước." };

/** An account's own second-factor page: set it up, or (when on) new recovery codes and switching it off. */
export async function OwnSecondFactorPage(props: {
  csrf: string;
  view: SecondFactorView;
  uri: string | null;
  form?: "bat" | "ma" | "tat";
  state: FormState;
  saved?: string;
}) {
  const { csrf, view, state } = props;
  const s = (form: "bat" | "ma" | "tat"): FormState => (props.form === form ? state : { values: {}, errors: {} });
  return (
    <>
      <ErrorSummary errors={state.errors} />
      <SavedNotice message={props.form || !props.saved ? undefined : SAVED[props.saved]} />
      <h1>Xác thực hai bước</h1>
      {view.enabled ? (
        <>
          <p>
            Xác thực hai bước <strong>đang bật</strong> từ ngày {view.enabledAt ? formatDate(view.enabledAt) : "—"}: mỗi
            lần đăng nhập, sau mật khẩu, cần mã từ ứng dụng xác thực. Còn {view.unusedRecoveryCodes} mã khôi phục chưa
            dùng.
          </p>
          <CodeForm
            csrf={csrf}
            form="ma"
            action={`${SELF_BASE}/ma-khoi-phuc`}
            title="Tạo mã khôi phục mới"
            hint="Các mã cũ không dùng được nữa; các mã mới chỉ hiện một lần."
            state={s("ma")}
          />
          {view.required ? (
            <p class="muted">Vai trò của bạn bắt buộc dùng xác thực hai bước nên không tắt được.</p>
          ) : (
            <CodeForm
              csrf={csrf}
              form="tat"
              action={`${SELF_BASE}/tat`}
              title="Tắt xác thực hai bước"
              hint="Sau khi tắt, chỉ cần mật khẩu để đăng nhập; khóa bí mật và mã khôi phục bị xóa."
              state={s("tat")}
              secondary
            />
          )}
        </>
      ) : (
        <>
          <p>
            Xác thực hai bước <strong>chưa bật</strong>. Khi bật, mỗi lần đăng nhập cần thêm mã 6 chữ số từ ứng dụng
            trên điện thoại: người biết mật khẩu của bạn vẫn không đăng nhập được.
          </p>
          {view.pendingSecret && props.uri ? (
            <EnrolSteps
              csrf={csrf}
              action={`${SELF_BASE}/bat`}
              secret={view.pendingSecret}
              uri={props.uri}
              state={s("bat")}
            />
          ) : null}
        </>
      )}
    </>
  );
}

/** The forced set-up of a sign-in whose role needs a second factor. */
export async function EnrolStepPage(props: {
  csrf: string;
  username: string;
  secret: string;
  uri: string;
  next: string;
  state: FormState;
}) {
  return (
    <>
      <ErrorSummary errors={props.state.errors} />
      <h1>Cần bật xác thực hai bước</h1>
      <p>
        Vai trò của tài khoản <strong>{props.username}</strong> bắt buộc dùng xác thực hai bước. Hãy bật ngay bây giờ để
        hoàn tất đăng nhập.
      </p>
      <EnrolSteps
        csrf={props.csrf}
        action={`/dang-nhap/thiet-lap-xac-thuc${nextQuery(props.next)}`}
        secret={props.secret}
        uri={props.uri}
        state={props.state}
      />
    </>
  );
}
