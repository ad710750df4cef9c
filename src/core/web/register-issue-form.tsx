/** The form that issues an approved document with the register's number (a report, a plan): number, day, signer. */
import type { JSX } from "hono/jsx/jsx-runtime";
import { type FormState, TextField } from "./forms.tsx";

export function RegisterIssueForm(props: {
  action: string;
  csrf: JSX.Element;
  state: Pick<FormState, "values" | "errors">;
  today: string;
}) {
  const { state } = props;
  return (
    <form method="post" action={props.action} id="ban-hanh">
      {props.csrf}
      <h2>Ban hành (vào sổ văn bản đi)</h2>
      <TextField
        id="number"
        name="number"
        label="Số văn bản"
        hint="Để trống: lấy số tiếp theo trong sổ văn bản đi của năm."
        state={state}
        inputmode="numeric"
      />
      <TextField id="issuedOn" name="issuedOn" label="Ngày ban hành" type="date" state={state} value={props.today} />
      <TextField id="signerName" name="signerName" label="Họ tên người ký" state={state} />
      <button type="submit">Ban hành</button>
    </form>
  );
}
