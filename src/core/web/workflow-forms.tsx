/** Forms and lists that every staff workflow (feedback, questions, events, news, radio) shows the same way. */
import { formatDateTime } from "../text/vi.ts";
import type { StepView } from "../workflow-sql.ts";
import { CsrfField, describedBy, FieldError, type FormState, TextAreaField, TextField } from "./forms.tsx";

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

/** A channel's step words: the address of each step under the item's page and the label of its button. */
export interface StepWords<S extends string> {
  paths: Readonly<Record<S, string>>;
  buttons: Readonly<Record<S, string>>;
}

/** The step of each address (`tra-lai` → `send_back`), for the routes. */
export const stepOfPath = <S extends string>(paths: Readonly<Record<S, string>>) =>
  Object.fromEntries(Object.entries(paths).map(([k, v]) => [v, k])) as Record<string, S>;

/** One button a step that needs no more than a click (trình, xem xét…): `POST {base}/{path}`. */
export function StepButtons<S extends string>(props: {
  base: string;
  csrfToken: string;
  steps: readonly S[];
  words: StepWords<S>;
}) {
  return (
    <>
      {props.steps.map((s) => (
        <form method="post" action={`${props.base}/${props.words.paths[s]}`}>
          <CsrfField token={props.csrfToken} />
          <button type="submit">{props.words.buttons[s]}</button>
        </form>
      ))}
    </>
  );
}

/** The open steps that take a reason (send back, withdraw), in the order their forms show. */
export const reasonSteps = <S extends string>(open: readonly S[]) =>
  (["send_back", "withdraw"] as const).filter((s): s is S & ("send_back" | "withdraw") => open.includes(s as S));

/** One form a step that needs a reason (trả lại, hủy, gỡ): `POST {base}/{path}` with `reason`. */
export function ReasonForms<S extends string>(props: {
  base: string;
  csrfToken: string;
  steps: readonly S[];
  words: StepWords<S>;
  state: FormState;
}) {
  const { paths, buttons } = props.words;
  return (
    <>
      {props.steps.map((s) => (
        <form method="post" action={`${props.base}/${paths[s]}`} id={paths[s]} novalidate>
          <CsrfField token={props.csrfToken} />
          <TextField
            id={`${paths[s]}-reason`}
            name="reason"
            label={`Lý do (${buttons[s].toLowerCase()})`}
            state={{ values: {}, errors: props.state.errors }}
          />
          <button type="submit">{buttons[s]}</button>
        </form>
      ))}
    </>
  );
}

/** The steps an item went through, oldest first ("Quá trình"); nothing while there are none. */
export function StepHistory(props: { steps: readonly StepView[]; statusOf: (status: string) => string }) {
  const { statusOf } = props;
  if (!props.steps.length) return null;
  return (
    <section aria-labelledby="qua-trinh">
      <h2 id="qua-trinh">Quá trình</h2>
      <ol>
        {props.steps.map((s) => (
          <li>
            {formatDateTime(s.at)}: {statusOf(s.from_status)} → {statusOf(s.to_status)} ({s.actor})
            {s.note ? `: ${s.note}` : ""}
          </li>
        ))}
      </ol>
    </section>
  );
}

/** A content area of the ward's plans, as a channel item's form offers it. */
export interface AreaChoice {
  id: number;
  code: string;
  title: string;
  plan_number: string;
}

/** The content areas a channel item is about (`areaIds`, comma-separated in the state's values). */
export function AreaChoices(props: { areas: readonly AreaChoice[]; state: FormState }) {
  const chosen = new Set((props.state.values.areaIds ?? "").split(",").filter(Boolean));
  if (!props.areas.length) return null;
  return (
    <fieldset aria-describedby={describedBy(props.state.errors, "areaIds")}>
      <legend>Nội dung tuyên truyền (lĩnh vực của kế hoạch)</legend>
      <FieldError errors={props.state.errors} id="areaIds" />
      {props.areas.map((a) => (
        <p>
          <input
            type="checkbox"
            id={`area-${a.id}`}
            name="areaIds"
            value={String(a.id)}
            checked={chosen.has(String(a.id))}
          />{" "}
          <label for={`area-${a.id}`}>
            {a.code}. {a.title} <span class="muted small">(Kế hoạch {a.plan_number})</span>
          </label>
        </p>
      ))}
    </fieldset>
  );
}

/** The unit a channel item is of (`orgUnitId`). */
export function UnitSelect(props: { units: readonly { id: number; name: string }[]; state: FormState; label: string }) {
  const { state } = props;
  return (
    <>
      <label for="orgUnitId">{props.label}</label>
      <FieldError errors={state.errors} id="orgUnitId" />
      <select id="orgUnitId" name="orgUnitId" aria-describedby={describedBy(state.errors, "orgUnitId")}>
        {props.units.map((u) => (
          <option value={String(u.id)} selected={state.values.orgUnitId === String(u.id)}>
            {u.name}
          </option>
        ))}
      </select>
    </>
  );
}
