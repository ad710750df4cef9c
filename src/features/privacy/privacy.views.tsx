/** Staff pages of personal data: find a person's items, export or erase their data, and the consent texts. */
import type { ActiveSession } from "../../core/auth/sessions.ts";
import { formatDateTime } from "../../core/text/vi.ts";
import type { Ward } from "../../core/web/context.ts";
import { CsrfField, describedBy, FieldError, type FormState, SavedNotice, TextField } from "../../core/web/forms.tsx";
import { ErrorSummary, Layout } from "../../core/web/layout.tsx";
import { erasedLabel } from "./erased.ts";
import { CONSENT_MAX, CONSENT_MIN, refKey } from "./privacy.schemas.ts";
import type { PersonItem } from "./privacy.service.ts";

export const PRIVACY_PATH = "/quan-tri/du-lieu-ca-nhan";

const KIND_LABEL = { feedback: "Phản ánh, kiến nghị", question: "Câu hỏi" } as const;

const excerpt = (s: string, n = 140) => {
  const chars = [...s];
  return chars.length > n ? `${chars.slice(0, n - 1).join("")}…` : s;
};

/** The search form, and when a search was made, its results with the export and erase forms. */
export function PersonSearchPage(props: {
  ward: Ward;
  session: ActiveSession;
  state: FormState;
  results?: PersonItem[];
  notice?: string;
}) {
  const { ward, session, state, results } = props;
  const csrf = session.csrfToken;
  const v = state.values;
  const erasable = results?.filter((r) => !r.erased) ?? [];
  // A form re-rendered after an error keeps the choices made; a fresh result has every item ticked.
  const chosen = (key: string) => (state.form === "erase" ? (v.item ?? "").split("\n").includes(key) : true);
  return (
    <Layout title="Dữ liệu cá nhân" ward={ward} session={session} staff>
      <h1>Dữ liệu cá nhân của người dân</h1>
      <p>
        Tìm các phản ánh, kiến nghị và câu hỏi của một người theo mã tra cứu hoặc số điện thoại, để cung cấp cho họ toàn
        bộ dữ liệu phường đang giữ hoặc xoá dữ liệu cá nhân theo yêu cầu (Luật Bảo vệ dữ liệu cá nhân số 91/2025/QH15,
        Nghị định 356/2025/NĐ-CP). Mọi lần tải xuống và xoá đều được ghi nhật ký.
      </p>
      <p>
        <a href={`${PRIVACY_PATH}/dong-y`}>Sửa nội dung đồng ý xử lý dữ liệu cá nhân trên các biểu mẫu</a>
      </p>
      <SavedNotice message={props.notice} />
      <ErrorSummary errors={state.errors} />
      <form method="post" action={PRIVACY_PATH} id="tk-form" novalidate>
        <CsrfField token={csrf} />
        <TextField
          id="tk-q"
          name="q"
          label="Mã tra cứu hoặc số điện thoại"
          hint="Ví dụ PA-2026-7KQ9XM, HD-2026-7KQ9XM hoặc 0912 345 678"
          state={{ values: { q: v.q ?? "" }, errors: state.errors }}
          autocomplete="off"
        />
        <button type="submit">Tìm</button>
      </form>
      {results === undefined ? null : results.length === 0 ? (
        <p role="status">Không có phản ánh, kiến nghị hay câu hỏi nào của phường khớp với “{v.q}”.</p>
      ) : (
        <>
          <h2>Kết quả ({results.length})</h2>
          <div class="table-wrap">
            <table>
              <thead>
                <tr>
                  <th scope="col">Mã, loại</th>
                  <th scope="col">Ngày nhận</th>
                  <th scope="col">Tình trạng</th>
                  <th scope="col">Người gửi</th>
                  <th scope="col">Nội dung</th>
                </tr>
              </thead>
              <tbody>
                {results.map((r) => (
                  <tr>
                    <td>
                      <a href={`/quan-tri/${r.ref.kind === "feedback" ? "phan-anh" : "hoi-dap"}/${r.ref.id}`}>
                        <strong>{r.code}</strong>
                      </a>
                      <br />
                      {KIND_LABEL[r.ref.kind]}
                    </td>
                    <td>{formatDateTime(r.receivedAt)}</td>
                    <td>{r.statusLabel}</td>
                    <td>
                      {r.erased ? (
                        <em>{erasedLabel(r.erasedReason)}</em>
                      ) : (
                        <>
                          {r.name}
                          {r.phone ? (
                            <>
                              <br />
                              {r.phone}
                            </>
                          ) : null}
                        </>
                      )}
                    </td>
                    <td>{excerpt(r.content)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>

          <h2>Tải xuống dữ liệu</h2>
          <p>
            Một tệp JSON gồm họ tên, địa chỉ, số điện thoại, thư điện tử, thời điểm và nội dung đã đồng ý, cùng nội
            dung, quá trình xử lý và câu trả lời của {results.length === 1 ? "mục" : `${results.length} mục`} trên. Chỉ
            giao tệp cho chính người có dữ liệu.
          </p>
          <form method="post" action={`${PRIVACY_PATH}/xuat`} id="xuat-form">
            <CsrfField token={csrf} />
            {results.map((r) => (
              <input type="hidden" name="item" value={refKey(r.ref)} />
            ))}
            <button type="submit">Tải xuống dữ liệu (JSON)</button>
          </form>

          <h2>Xoá dữ liệu cá nhân</h2>
          {erasable.length === 0 ? (
            <p>Dữ liệu cá nhân của các mục trên đã được xoá.</p>
          ) : (
            <form method="post" action={`${PRIVACY_PATH}/xoa`} id="xoa-form" novalidate>
              <CsrfField token={csrf} />
              <input type="hidden" name="q" value={v.q ?? ""} />
              <div class="warning">
                <p>
                  <strong>Việc xoá không hoàn tác được.</strong> Họ tên, địa chỉ, số điện thoại và thư điện tử của người
                  gửi ở các mục được chọn bị xoá vĩnh viễn.
                </p>
                <ul>
                  <li>Người gửi sẽ không tra cứu được tình trạng bằng mã và số điện thoại nữa.</li>
                  <li>Phường không liên hệ lại hay gửi câu trả lời cho họ được nữa.</li>
                  <li>Nội dung, quá trình xử lý và câu trả lời đã công bố vẫn được giữ.</li>
                </ul>
              </div>
              <fieldset>
                <legend>Các mục xoá dữ liệu cá nhân</legend>
                <FieldError errors={state.errors} id="xoa-item" />
                {erasable.map((r) => (
                  <p>
                    <input
                      type="checkbox"
                      id={`xoa-${r.ref.kind}-${r.ref.id}`}
                      name="item"
                      value={refKey(r.ref)}
                      checked={chosen(refKey(r.ref))}
                    />{" "}
                    <label for={`xoa-${r.ref.kind}-${r.ref.id}`}>
                      {r.code} ({KIND_LABEL[r.ref.kind].toLowerCase()})
                    </label>
                  </p>
                ))}
              </fieldset>
              <label for="xoa-reason">
                Lý do xoá{" "}
                <span class="hint" id="xoa-reason-goi-y">
                  Ví dụ: theo đơn yêu cầu của người gửi nhận ngày …; được ghi vào nhật ký.
                </span>
              </label>
              <FieldError errors={state.errors} id="xoa-reason" />
              <textarea
                id="xoa-reason"
                name="reason"
                rows={3}
                aria-describedby={describedBy(state.errors, "xoa-reason", "xoa-reason-goi-y")}
                aria-invalid={state.errors["xoa-reason"] ? "true" : undefined}
              >
                {state.form === "erase" ? (v.reason ?? "") : ""}
              </textarea>
              <FieldError errors={state.errors} id="xoa-confirm" />
              <p>
                <input
                  type="checkbox"
                  id="xoa-confirm"
                  name="confirm"
                  value="yes"
                  aria-describedby={describedBy(state.errors, "xoa-confirm")}
                />{" "}
                <label for="xoa-confirm">
                  Tôi xác nhận xoá vĩnh viễn dữ liệu cá nhân của các mục đã chọn; người gửi sẽ không tra cứu được bằng
                  mã và số điện thoại nữa.
                </label>
              </p>
              <button type="submit" class="btn">
                Xoá dữ liệu cá nhân
              </button>
            </form>
          )}
        </>
      )}
    </Layout>
  );
}

/** The consent texts of the ward's public forms, editable. */
export function ConsentPage(props: {
  ward: Ward;
  session: ActiveSession;
  state: FormState;
  texts: Record<"feedback" | "question", { text: string; builtIn: boolean }>;
  saved?: boolean;
}) {
  const { ward, session, state, texts } = props;
  const field = (kind: "feedback" | "question", label: string) => {
    const id = `dy-${kind}`;
    return (
      <>
        <label for={id}>
          {label}{" "}
          <span class="hint" id={`${id}-goi-y`}>
            {texts[kind].builtIn ? "Đang dùng nội dung mặc định. " : ""}Từ {CONSENT_MIN} đến {CONSENT_MAX} ký tự.
          </span>
        </label>
        <FieldError errors={state.errors} id={id} />
        <textarea
          id={id}
          name={kind}
          rows={5}
          aria-describedby={describedBy(state.errors, id, `${id}-goi-y`)}
          aria-invalid={state.errors[id] ? "true" : undefined}
        >
          {state.values[kind] ?? texts[kind].text}
        </textarea>
      </>
    );
  };
  return (
    <Layout title="Nội dung đồng ý" ward={ward} session={session} staff>
      <h1>Nội dung đồng ý xử lý dữ liệu cá nhân</h1>
      <p>
        Câu người dân đánh dấu đồng ý khi gửi phản ánh, kiến nghị hoặc câu hỏi. Mỗi lần gửi lưu lại đúng nội dung đang
        dùng lúc đó; sửa ở đây chỉ áp dụng cho những lần gửi sau. Khi quy định thay đổi, hãy cập nhật cho phù hợp.
      </p>
      <SavedNotice message={props.saved ? "Đã lưu nội dung đồng ý." : undefined} />
      <ErrorSummary errors={state.errors} />
      <form method="post" action={`${PRIVACY_PATH}/dong-y`} id="dy-form" novalidate>
        <CsrfField token={session.csrfToken} />
        {field("feedback", "Biểu mẫu gửi phản ánh, kiến nghị")}
        {field("question", "Biểu mẫu đặt câu hỏi")}
        <button type="submit">Lưu</button>
      </form>
      <p>
        <a href={PRIVACY_PATH}>Về trang dữ liệu cá nhân</a>
      </p>
    </Layout>
  );
}
