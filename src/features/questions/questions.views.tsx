/** Pages of the questions feature: the public list, one entry, the ask form and its receipt; the staff list and item. */
import type { ActiveSession } from "../../core/auth/sessions.ts";
import { formatDate, formatDateTime } from "../../core/text/vi.ts";
import { CITIZEN_FORMS_CSS_PATH } from "../../core/web/citizen-forms-css.ts";
import type { Ward } from "../../core/web/context.ts";
import { CsrfField, describedBy, FieldError, type FormState, SavedNotice, TextField } from "../../core/web/forms.tsx";
import { ErrorSummary, Layout } from "../../core/web/layout.tsx";
import { AnswerRows, ApproveForms, DraftForm, PublishForm, StepHistory } from "../answerable/answerable.views.tsx";
import { erasedLabel } from "../privacy/erased.ts";
import { QUESTION_FIGURES, type QuestionFigure } from "./questions.figures.ts";
import { QUESTION_MAX, QUESTION_MIN, STATUS_LABELS } from "./questions.schemas.ts";
import type { PublicEntry, QuestionStatus, StaffItemData } from "./questions.service.ts";
import type { StaffRow } from "./questions.sql.ts";

const Styles = () => <link rel="stylesheet" href={CITIZEN_FORMS_CSS_PATH} />;
const status = (s: string) => STATUS_LABELS[s] ?? s;

export function QuestionListPage({ ward, entries, query }: { ward: Ward; entries: PublicEntry[]; query: string }) {
  const base = ward.base;
  return (
    <Layout title="Hỏi đáp" ward={ward}>
      <Styles />
      <h1>Hỏi đáp</h1>
      <p>
        Câu hỏi của người dân về thủ tục, giấy tờ và câu trả lời đã được lãnh đạo phê duyệt.{" "}
        <a href={`${base}/hoi-dap/hoi`}>Đặt câu hỏi</a>
      </p>
      <form method="get" action={`${base}/hoi-dap`} class="search-form">
        <label for="hd-q">Tìm trong hỏi đáp</label>
        <input type="search" id="hd-q" name="q" value={query} maxlength={200} />
        <button type="submit">Tìm</button>
      </form>
      {entries.length === 0 ? (
        <p>
          {query
            ? `Không có câu hỏi đã trả lời nào khớp «${query}». Hãy thử từ khác, hoặc đặt câu hỏi của bạn.`
            : "Chưa có câu hỏi nào được trả lời."}
        </p>
      ) : (
        <ul class="hd-list">
          {entries.map((e) => (
            <li>
              <a href={`${base}/hoi-dap/${e.id}`}>{e.question.split("\n")[0]}</a>
              <br />
              <small>
                Trả lời ngày {formatDate(e.publishedOn)}
                {e.procedureCode ? ` · thủ tục ${e.procedureCode}` : ""}
              </small>
            </li>
          ))}
        </ul>
      )}
      <p>
        <a href={`${base}/gop-y`}>Gửi phản ánh, kiến nghị</a> · <a href={`${base}/khao-sat`}>Đánh giá sự hài lòng</a>
      </p>
    </Layout>
  );
}

export function QuestionEntryPage({ ward, entry }: { ward: Ward; entry: PublicEntry }) {
  const base = ward.base;
  return (
    <Layout title="Hỏi đáp" ward={ward}>
      <Styles />
      <p>
        <a href={`${base}/hoi-dap`}>Hỏi đáp</a>
      </p>
      <h1>Hỏi đáp</h1>
      <h2>Câu hỏi</h2>
      <p class="gy-content">{entry.question}</p>
      <h2>Trả lời</h2>
      <p class="gy-content">{entry.answer}</p>
      <p>
        <small>Trả lời ngày {formatDate(entry.publishedOn)}</small>
      </p>
      {entry.procedureCode ? (
        <p>
          Thủ tục liên quan: <a href={`${base}/thu-tuc/${entry.procedureCode}`}>thủ tục {entry.procedureCode}</a>
        </p>
      ) : null}
      <p>
        <a href={`${base}/hoi-dap/hoi${entry.procedureCode ? `?thu-tuc=${entry.procedureCode}` : ""}`}>
          Đặt câu hỏi khác
        </a>
      </p>
    </Layout>
  );
}

export function AskFormPage(props: {
  ward: Ward;
  state: FormState;
  token: string;
  /** The ward's consent text in force (privacy/consent.ts). */
  consentText: string;
}) {
  const { ward, state, token } = props;
  const v = state.values;
  return (
    <Layout title="Đặt câu hỏi" ward={ward}>
      <Styles />
      <h1>Đặt câu hỏi</h1>
      <p>
        Hỏi về trường hợp của bạn khi làm thủ tục, giấy tờ. Câu trả lời được lãnh đạo phê duyệt, gửi đến bạn và có thể
        được công bố trong mục Hỏi đáp, không kèm họ tên, thư điện tử hay số điện thoại của bạn.
      </p>
      <ErrorSummary errors={state.errors} />
      <form method="post" action={`${ward.base}/hoi-dap/hoi`} class="gy-form" id="hd-form" novalidate>
        <input type="hidden" name="_form" value={token} />
        <TextField
          id="hd-procedureCode"
          name="procedureCode"
          label="Mã thủ tục (nếu có)"
          hint="Ví dụ 1.000253"
          state={state}
        />
        <label for="hd-question">
          Câu hỏi{" "}
          <span class="hint" id="hd-question-goi-y">
            Từ {QUESTION_MIN} đến {QUESTION_MAX} ký tự. Nêu rõ trường hợp của bạn.
          </span>
        </label>
        <FieldError errors={state.errors} id="hd-question" />
        <textarea
          id="hd-question"
          name="question"
          rows={8}
          aria-describedby={describedBy(state.errors, "hd-question", "hd-question-goi-y")}
          aria-invalid={state.errors["hd-question"] ? "true" : undefined}
        >
          {v.question ?? ""}
        </textarea>
        <TextField id="hd-name" name="name" label="Họ và tên" state={state} autocomplete="name" />
        <TextField
          id="hd-email"
          name="email"
          label="Thư điện tử"
          hint="Để nhận câu trả lời. Nhập thư điện tử hoặc số điện thoại, ít nhất một."
          state={state}
          autocomplete="email"
        />
        <TextField id="hd-phone" name="phone" label="Số điện thoại" state={state} autocomplete="tel" />
        {/* A trap for robots: people never see or reach this field. */}
        <div class="gy-hp" aria-hidden="true">
          <label for="hd-website">Để trống ô này</label>
          <input type="text" id="hd-website" name="website" value="" tabindex={-1} autocomplete="off" />
        </div>
        <FieldError errors={state.errors} id="hd-consent" />
        <p>
          <input
            type="checkbox"
            id="hd-consent"
            name="consent"
            value="yes"
            checked={v.consent === "yes"}
            aria-describedby={describedBy(state.errors, "hd-consent")}
          />{" "}
          <label for="hd-consent">{props.consentText}</label>
        </p>
        <button type="submit">Gửi câu hỏi</button>
      </form>
      <p>
        <a href={`${ward.base}/hoi-dap`}>Xem các câu hỏi đã được trả lời</a>
      </p>
    </Layout>
  );
}

/**
 * The receipt says truthfully how the answer arrives: always in the public FAQ (without personal data) and through
 * the lookup with the code; by e-mail only when the ward sends e-mail (SMTP_URL) and the asker gave an address.
 */
export function AskSentPage({ ward, code, byEmail }: { ward: Ward; code: string; byEmail: boolean }) {
  return (
    <Layout title="Đã gửi câu hỏi" ward={ward}>
      <Styles />
      <h1>Cảm ơn bạn đã gửi câu hỏi</h1>
      <div class="gy-panel" role="status">
        <p>Mã câu hỏi của bạn</p>
        <p class="gy-code">{code}</p>
      </div>
      <p>Hãy ghi lại mã này. Khi câu trả lời được lãnh đạo phê duyệt:</p>
      <ul>
        <li>
          bạn xem được câu trả lời tại <a href={`${ward.base}/hoi-dap/tra-cuu`}>Tra cứu câu hỏi</a> bằng mã này và số
          điện thoại hoặc thư điện tử bạn đã cung cấp;
        </li>
        <li>câu hỏi và câu trả lời được công bố trong mục Hỏi đáp, không kèm thông tin cá nhân của bạn;</li>
        {byEmail ? (
          <li>phường gửi thư điện tử báo cho bạn.</li>
        ) : (
          <li>phường không gửi tin nhắn hay thư điện tử: hãy tra cứu lại sau.</li>
        )}
      </ul>
      <p>
        <a href={`${ward.base}/hoi-dap`}>Xem các câu hỏi đã được trả lời</a>
      </p>
    </Layout>
  );
}

/** The asker's lookup: code and the phone or e-mail they gave (by POST); the status, and the answer once published. */
export function QuestionLookupPage(props: { ward: Ward; state: FormState; result?: QuestionStatus | null }) {
  const { ward, state, result } = props;
  return (
    <Layout title="Tra cứu câu hỏi" ward={ward}>
      <Styles />
      <h1>Tra cứu câu hỏi</h1>
      <ErrorSummary errors={state.errors} />
      {result ? (
        <div class="gy-panel" role="status">
          <p class="gy-code">{result.code}</p>
          <dl>
            <dt>Tình trạng</dt>
            <dd>{status(result.status)}</dd>
            <dt>Ngày gửi</dt>
            <dd>{formatDate(result.receivedAt)}</dd>
            {result.answer && result.publishedAt ? (
              <>
                <dt>Câu trả lời (công bố ngày {formatDate(result.publishedAt)})</dt>
                <dd class="gy-content">{result.answer}</dd>
              </>
            ) : (
              <>
                <dt>Câu trả lời</dt>
                <dd>Chưa có: câu hỏi đang được xử lý. Hãy tra cứu lại sau.</dd>
              </>
            )}
          </dl>
          {result.url ? (
            <p>
              <a href={`${ward.base}${result.url}`}>Xem trong mục Hỏi đáp</a>
            </p>
          ) : null}
        </div>
      ) : null}
      <form method="post" action={`${ward.base}/hoi-dap/tra-cuu`} id="tc-form" novalidate>
        <TextField
          id="tc-code"
          name="code"
          label="Mã câu hỏi"
          hint="Dạng HD-2026-7KQ9XM"
          state={state}
          autocomplete="off"
        />
        <TextField
          id="tc-contact"
          name="contact"
          label="Số điện thoại hoặc thư điện tử đã dùng khi hỏi"
          state={state}
          autocomplete="off"
        />
        <button type="submit">Tra cứu</button>
      </form>
    </Layout>
  );
}

export function StaffListPage(props: {
  ward: Ward;
  session: ActiveSession;
  rows: StaffRow[];
  /** The report's figure the list is filtered to, or null. */
  filter?: { tu: string; den: string; figure: QuestionFigure } | null;
}) {
  const f = props.filter;
  return (
    <Layout title="Hỏi đáp" ward={props.ward} session={props.session} staff>
      <Styles />
      <h1>Câu hỏi của người dân</h1>
      {f ? (
        <p>
          Lọc: câu hỏi {QUESTION_FIGURES[f.figure]} (từ {formatDate(f.tu)} đến {formatDate(f.den)}):{" "}
          <strong data-count={props.rows.length}>{props.rows.length}</strong> câu hỏi.{" "}
          <a href="/quan-tri/hoi-dap">Bỏ lọc</a>
        </p>
      ) : null}
      {props.rows.length === 0 ? (
        <p>Chưa có câu hỏi nào.</p>
      ) : (
        <section class="table-wrap" aria-label="Danh sách câu hỏi" tabindex={0}>
          <table class="gy-list">
            <thead>
              <tr>
                <th scope="col">Mã, ngày nhận</th>
                <th scope="col">Câu hỏi</th>
                <th scope="col">Đơn vị</th>
                <th scope="col">Tình trạng</th>
              </tr>
            </thead>
            <tbody>
              {props.rows.map((r) => (
                <tr>
                  <td>
                    <a href={`/quan-tri/hoi-dap/${r.id}`}>
                      <strong>{r.code}</strong>
                    </a>
                    <br />
                    {formatDateTime(r.received_at)}
                  </td>
                  <td class="gy-content">
                    {r.procedure_code ? `[${r.procedure_code}] ` : ""}
                    {r.question}
                  </td>
                  <td>{r.unit_name ?? ""}</td>
                  <td>{status(r.status)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
      )}
    </Layout>
  );
}

export const SAVED: Record<string, string> = {
  "chuyen-don-vi": "Đã chuyển đơn vị trả lời.",
  "du-thao": "Đã lưu dự thảo trả lời.",
  duyet: "Đã phê duyệt nội dung trả lời.",
  "tra-lai": "Đã trả lại dự thảo cho đơn vị trả lời để sửa.",
  "cong-bo": "Đã công bố câu trả lời.",
};

/** A step as the history reads it: a send-back says so. */
const stepLabel = (s: { from_status: string; to_status: string }) =>
  s.from_status === "drafted" && s.to_status === "routed" ? "Lãnh đạo trả lại để sửa" : status(s.to_status);

function StepForm({ data, csrf, state }: { data: StaffItemData; csrf: string; state: FormState }) {
  const base = `/quan-tri/hoi-dap/${data.item.id}`;
  const v = state.values;
  switch (data.next) {
    case "route":
      return (
        <form method="post" action={`${base}/chuyen-don-vi`} id="cd-form" novalidate>
          <CsrfField token={csrf} />
          <label for="cd-unitId">Đơn vị trả lời</label>
          <FieldError errors={state.errors} id="cd-unitId" />
          <select id="cd-unitId" name="unitId" aria-describedby={describedBy(state.errors, "cd-unitId")}>
            <option value="">— Chọn đơn vị —</option>
            {data.units.map((u) => (
              <option value={String(u.id)} selected={v.unitId === String(u.id)}>
                {u.name}
              </option>
            ))}
          </select>
          <button type="submit">Chuyển đơn vị</button>
        </form>
      );
    case "draft":
      return <DraftForm base={base} csrf={csrf} state={state} label="Dự thảo trả lời" draft={data.item.answer_draft} />;
    case "approve":
      return <ApproveForms base={base} csrf={csrf} state={state} unit="đơn vị trả lời" />;
    case "publish":
      return data.publicDraft ? (
        <PublishForm
          base={base}
          csrf={csrf}
          state={state}
          draft={data.publicDraft}
          citizen={{
            field: "publicQuestion",
            label: "Câu hỏi công khai",
            hint: "Câu hỏi như người dân sẽ đọc trong mục Hỏi đáp.",
          }}
          known={data.item}
          submitLabel="Công bố và gửi trả lời"
        />
      ) : null;
    default:
      return null;
  }
}

export function StaffItemPage(props: {
  ward: Ward;
  session: ActiveSession;
  data: StaffItemData;
  state: FormState;
  saved?: string;
}) {
  const { data, state } = props;
  const { item } = data;
  return (
    <Layout title={`Câu hỏi ${item.code}`} ward={props.ward} session={props.session} staff>
      <Styles />
      <p>
        <a href="/quan-tri/hoi-dap">Danh sách câu hỏi</a>
      </p>
      <h1>Câu hỏi {item.code}</h1>
      <SavedNotice message={props.saved ? SAVED[props.saved] : undefined} />
      <ErrorSummary errors={state.errors} />
      <dl>
        <dt>Tình trạng</dt>
        <dd>{status(item.status)}</dd>
        <dt>Ngày nhận</dt>
        <dd>{formatDateTime(item.received_at)}</dd>
        {item.procedure_code ? (
          <>
            <dt>Thủ tục</dt>
            <dd>{item.procedure_code}</dd>
          </>
        ) : null}
        <dt>Câu hỏi</dt>
        <dd class="gy-content">{item.question}</dd>
        {item.public_question ? (
          <>
            <dt>Câu hỏi công khai</dt>
            <dd class="gy-content">{item.public_question}</dd>
          </>
        ) : null}
        <dt>Người hỏi</dt>
        <dd>
          {item.erased_at ? (
            <em>{erasedLabel(item.erased_reason)}</em>
          ) : (
            [item.name, item.email, item.phone].filter(Boolean).join(" · ")
          )}
        </dd>
        {item.unit_name ? (
          <>
            <dt>Đơn vị trả lời</dt>
            <dd>{item.unit_name}</dd>
          </>
        ) : null}
        <AnswerRows item={item} sentBack={item.status === "routed"} />
        {item.notified_channel ? (
          <>
            <dt>Thông báo cho người hỏi</dt>
            <dd>{item.notified_channel === "email" ? "Đã gửi thư điện tử" : "Chưa gửi được (không có kênh)"}</dd>
          </>
        ) : null}
      </dl>
      {data.next ? (
        <section aria-labelledby="buoc-tiep">
          <h2 id="buoc-tiep">Bước tiếp theo</h2>
          <StepForm data={data} csrf={props.session.csrfToken} state={state} />
        </section>
      ) : null}
      <h2>Lịch sử xử lý</h2>
      <StepHistory steps={data.steps} label={stepLabel} />
    </Layout>
  );
}
