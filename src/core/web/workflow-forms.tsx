/** Forms that every staff workflow (feedback, questions) shows the same way. */
import { CsrfField, type FormState, TextAreaField } from "./forms.tsx";

/** A leader sends a draft back with a reason (`POST {base}/tra-lai`); `hint` says who reads the reason. */
export function SendBackForm(props: { base: string; csrf: string; state: FormState; hint: string }) {
  return (
    <form method="post" action={`${props.base}/tra-lai`} id="tl-form" novalidate>
      <CsrfField token={props.csrf} />
      <TextAreaField
        id="tl-reason"
        name="reason"
        label="Lý do trả lại"
        hint={props.hint}
        rows={3}
        state={props.state}
      />
      <button type="submit">Trả lại để sửa</button>
    </form>
  );
}
