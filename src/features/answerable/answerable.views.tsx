/**
 * The staff forms every answerable item (feedback, questions) shows the same way: drafting the answer, a leader's
 * approval or send-back, and publishing — where every public text is shown masked, with what was masked, and where
 * staff tick an occurrence to keep (with a reason) when the check refused it.
 */
import type { KnownPersonal } from "../../core/text/redact.ts";
import { formatDateTime } from "../../core/text/vi.ts";
import { CsrfField, describedBy, FieldError, type FormState, TextAreaField } from "../../core/web/forms.tsx";
import { SendBackForm } from "../../core/web/workflow-forms.tsx";
import { type Finding, findingsIn, KIND_WORDS, keepKey, maskedSummary } from "./answerable.publication.ts";
import { PUBLIC_ANSWER_FIELD } from "./answerable.workflow.ts";

/** The unit drafts the answer (after a send-back, it revises its previous draft rather than starting again). */
export function DraftForm(props: {
  base: string;
  csrf: string;
  state: FormState;
  label: string;
  draft: string | null;
}) {
  const { state } = props;
  return (
    <form method="post" action={`${props.base}/du-thao`} id="dt-form" novalidate>
      <CsrfField token={props.csrf} />
      <label for="dt-answer">{props.label}</label>
      <FieldError errors={state.errors} id="dt-answer" />
      <textarea id="dt-answer" name="answer" rows={8} aria-describedby={describedBy(state.errors, "dt-answer")}>
        {state.values.answer ?? props.draft ?? ""}
      </textarea>
      <button type="submit">Lưu dự thảo, trình lãnh đạo</button>
    </form>
  );
}

/** A leader approves the draft or sends it back with a reason (`unit`: who reads the reason). */
export function ApproveForms(props: { base: string; csrf: string; state: FormState; unit: string }) {
  return (
    <>
      <form method="post" action={`${props.base}/duyet`} id="pd-form">
        <CsrfField token={props.csrf} />
        <button type="submit">Phê duyệt nội dung trả lời</button>
      </form>
      <SendBackForm
        base={props.base}
        csrf={props.csrf}
        state={props.state}
        hint={`Dự thảo về lại ${props.unit} để sửa; đơn vị đọc được lý do này.`}
      />
    </>
  );
}

/** What the masking found, for staff to check: "số điện thoại “0905 123 456”". */
function FindingList({ findings }: { findings: readonly Finding[] }) {
  return (
    <ul>
      {findings.map((f) => (
        <li>
          {KIND_WORDS[f.kind]} “{f.text}”
        </li>
      ))}
    </ul>
  );
}

/**
 * The publish form: the public copy of the citizen's text (`citizen.field`) and of the answer, pre-filled masked;
 * what was masked; and, after a refusal, each occurrence still found with a box to keep it and the reason.
 */
export function PublishForm(props: {
  base: string;
  csrf: string;
  state: FormState;
  draft: { texts: Record<string, string>; masked: Finding[] };
  citizen: { field: string; label: string; hint: string };
  known: KnownPersonal;
  submitLabel: string;
}) {
  const { state, draft, citizen } = props;
  const v = state.values;
  const refused = Object.keys(state.errors).length > 0;
  // After a refusal: what is still in the texts as sent, each with its box (unique by kind and text).
  const remaining = refused
    ? [
        ...new Map(
          [citizen.field, PUBLIC_ANSWER_FIELD]
            .flatMap((field) => findingsIn(field, v[field] ?? "", props.known))
            .map((f) => [keepKey(f), f] as const),
        ).values(),
      ]
    : [];
  const kept = new Set(Object.entries(v).flatMap(([k, val]) => (k.startsWith("keep-") ? [val] : [])));
  const masked = maskedSummary(draft.masked);
  return (
    <form method="post" action={`${props.base}/cong-bo`} id="cb-form" novalidate>
      <CsrfField token={props.csrf} />
      <p id="cb-da-che">
        Mọi nội dung dưới đây sẽ công khai. Thông tin cá nhân đã được tự động che
        {masked ? ` (${masked})` : " (không thấy thông tin nào)"}; hãy đọc lại và che thêm họ tên, số điện thoại, địa
        chỉ, số giấy tờ còn sót trước khi công bố. Hệ thống không cho công bố khi còn thông tin cá nhân.
      </p>
      {draft.masked.length ? (
        <details>
          <summary>Những gì đã được che</summary>
          <FindingList findings={draft.masked} />
        </details>
      ) : null}
      <TextAreaField
        id={`cb-${citizen.field}`}
        name={citizen.field}
        label={citizen.label}
        hint={citizen.hint}
        rows={8}
        state={state}
        value={draft.texts[citizen.field]}
      />
      <TextAreaField
        id={`cb-${PUBLIC_ANSWER_FIELD}`}
        name={PUBLIC_ANSWER_FIELD}
        label="Nội dung trả lời công khai"
        hint="Câu trả lời đã được phê duyệt, như người dân sẽ đọc trên trang công khai."
        rows={8}
        state={state}
        value={draft.texts[PUBLIC_ANSWER_FIELD]}
      />
      {remaining.length ? (
        <fieldset id="cb-keep">
          <legend>Giữ lại (chỉ khi đó không phải thông tin cá nhân)</legend>
          {remaining.map((f, i) => (
            <p>
              <input
                type="checkbox"
                id={`cb-keep-${i}`}
                name={`keep-${i}`}
                value={keepKey(f)}
                checked={kept.has(keepKey(f))}
              />{" "}
              <label for={`cb-keep-${i}`}>
                Giữ {KIND_WORDS[f.kind]} “{f.text}”
              </label>
            </p>
          ))}
          <TextAreaField
            id="cb-keepReason"
            name="keepReason"
            label="Lý do giữ lại"
            hint="Ví dụ: tên đường, tên cơ quan, số điện thoại đường dây nóng của phường. Lý do được lưu vào nhật ký."
            rows={2}
            state={state}
          />
        </fieldset>
      ) : null}
      <button type="submit">{props.submitLabel}</button>
    </form>
  );
}

/** An item's history: each step, when, by whom, with its note. */
export function StepHistory(props: {
  steps: readonly { at: string; actor: string; note: string | null; from_status: string; to_status: string }[];
  label: (s: { from_status: string; to_status: string }) => string;
}) {
  if (props.steps.length === 0) return <p>Chưa có bước xử lý nào.</p>;
  return (
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
        {props.steps.map((s) => (
          <tr>
            <td>{formatDateTime(s.at)}</td>
            <td>{props.label(s)}</td>
            <td>{s.actor}</td>
            <td>{s.note ?? ""}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** The answer's rows of an item's details: the draft or approved answer, the latest send-back, the approver. */
export function AnswerRows(props: {
  item: {
    answer_draft: string | null;
    answer_final: string | null;
    return_reason: string | null;
    approver_name: string | null;
    public_answer: string | null;
  };
  sentBack: boolean;
}) {
  const { item } = props;
  return (
    <>
      {item.answer_draft ? (
        <>
          <dt>{item.answer_final ? "Nội dung trả lời" : "Dự thảo trả lời"}</dt>
          <dd class="gy-content">{item.answer_final ?? item.answer_draft}</dd>
        </>
      ) : null}
      {item.public_answer ? (
        <>
          <dt>Nội dung trả lời công khai</dt>
          <dd class="gy-content">{item.public_answer}</dd>
        </>
      ) : null}
      {item.return_reason ? (
        <>
          <dt>{props.sentBack ? "Lãnh đạo trả lại để sửa, lý do" : "Lý do trả lại lần gần nhất"}</dt>
          <dd class="gy-content">{item.return_reason}</dd>
        </>
      ) : null}
      {item.approver_name ? (
        <>
          <dt>Lãnh đạo phê duyệt</dt>
          <dd>{item.approver_name}</dd>
        </>
      ) : null}
    </>
  );
}
