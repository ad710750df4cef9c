/**
 * Form pieces the staff pages share, the GOV.UK way: a label with an optional hint (id `{id}-goi-y`), the message
 * beside the field (id `{id}-loi`) that the page's `ErrorSummary` links to, `aria-describedby` tying both to the
 * control, and what the user typed kept when the form comes back with errors.
 */
import type { Context } from "hono";
import type { AppEnv } from "./context.ts";
import { type FieldErrors, formFields } from "./validation.ts";

export type FormValues = Record<string, string>;

/** What a form is re-rendered with. `form` says which of a page's forms was sent (its field ids carry that prefix). */
export interface FormState<F extends string = string> {
  form?: F;
  values: FormValues;
  errors: FieldErrors;
}

/** A form shown for the first time: nothing typed, no errors. */
export const EMPTY_FORM: FormState<never> = { values: {}, errors: {} };

/** A posted form's text fields, without the CSRF token (the middleware has checked it; it is no field of the form). */
export async function readFormValues(c: Context<AppEnv>): Promise<FormValues> {
  const values = formFields(await c.req.parseBody());
  delete values._csrf;
  return values;
}

/**
 * A use case's errors keyed by this page's field ids. Errors about the form as a whole (`_`, and the keys in
 * `formKeys`, which name no field of the form) point at the form, `formId`; the others get the form's prefix.
 */
export function pageErrors(
  errors: FieldErrors,
  prefix: string,
  formId: string,
  formKeys: readonly string[] = [],
): FieldErrors {
  const out: FieldErrors = {};
  for (const [k, v] of Object.entries(errors))
    out[k === "_" || formKeys.includes(k) ? formId : prefix ? `${prefix}-${k}` : k] ??= v;
  return out;
}

/** The hidden field carrying the session's CSRF token, which every staff POST needs. */
export const CsrfField = ({ token }: { token: string }) => <input type="hidden" name="_csrf" value={token} />;

/** What a redirect after a successful POST says it saved (`?da-luu=…`); nothing when there is no message. */
export const SavedNotice = ({ message }: { message?: string }) =>
  message ? (
    <div class="notice" role="status">
      {message}
    </div>
  ) : null;

/** The message beside a field, when it has one. */
export const FieldError = ({ errors, id }: { errors: FieldErrors; id: string }) =>
  errors[id] ? (
    <span class="field-error" id={`${id}-loi`}>
      {errors[id]}
    </span>
  ) : null;

/** `aria-describedby` of a field: its hint's id, then its error's id when it has one; undefined when neither. */
export const describedBy = (errors: FieldErrors, id: string, hint?: string) =>
  [hint, errors[id] ? `${id}-loi` : undefined].filter(Boolean).join(" ") || undefined;

/** A field's label with its hint (`{id}-goi-y`), then its error message. */
function FieldLabel(props: { id: string; label: string; hint?: string; errors: FieldErrors }) {
  return (
    <>
      <label for={props.id}>
        {props.label}{" "}
        {props.hint ? (
          <span class="hint" id={`${props.id}-goi-y`}>
            {props.hint}
          </span>
        ) : null}
      </label>
      <FieldError errors={props.errors} id={props.id} />
    </>
  );
}

/**
 * A one-line input with its label, hint and error. It shows what was typed, else `value`; never a password.
 * A phone field (`autocomplete="tel"`) is `type="tel"`, so a phone opens its number pad.
 */
export function TextField(props: {
  id: string;
  name: string;
  label: string;
  hint?: string;
  state: Pick<FormState, "values" | "errors">;
  value?: string;
  type?: "text" | "password" | "date" | "tel" | "email" | "url";
  autocomplete?: string;
  inputmode?: "numeric";
}) {
  const { id, name, label, hint, state } = props;
  const hintId = hint ? `${id}-goi-y` : undefined;
  return (
    <>
      <FieldLabel id={id} label={label} hint={hint} errors={state.errors} />
      <input
        type={props.type ?? (props.autocomplete === "tel" ? "tel" : "text")}
        id={id}
        name={name}
        // Never echo a password back into the page.
        value={props.type === "password" ? "" : (state.values[name] ?? props.value ?? "")}
        autocomplete={props.autocomplete}
        inputmode={props.inputmode}
        aria-describedby={describedBy(state.errors, id, hintId)}
        aria-invalid={state.errors[id] ? "true" : undefined}
      />
    </>
  );
}

/** A multi-line field with its label, hint and error; shows what was typed, else `value`. */
export function TextAreaField(props: {
  id: string;
  name: string;
  label: string;
  hint?: string;
  state: Pick<FormState, "values" | "errors">;
  value?: string;
  rows?: number;
}) {
  const { id, name, label, hint, state } = props;
  const hintId = hint ? `${id}-goi-y` : undefined;
  return (
    <>
      <FieldLabel id={id} label={label} hint={hint} errors={state.errors} />
      <textarea
        id={id}
        name={name}
        rows={props.rows ?? 6}
        aria-describedby={describedBy(state.errors, id, hintId)}
        aria-invalid={state.errors[id] ? "true" : undefined}
      >
        {state.values[name] ?? props.value ?? ""}
      </textarea>
    </>
  );
}

/** One checkbox with its label (a consent, a confirmation) and its error; sends `yes` when ticked. */
export function CheckboxField(props: {
  id: string;
  name: string;
  label: string;
  state: Pick<FormState, "values" | "errors">;
}) {
  const { id, name, state } = props;
  return (
    <>
      <FieldError errors={state.errors} id={id} />
      <p>
        <input
          type="checkbox"
          id={id}
          name={name}
          value="yes"
          checked={state.values[name] === "yes"}
          aria-describedby={describedBy(state.errors, id)}
          aria-invalid={state.errors[id] ? "true" : undefined}
        />{" "}
        <label for={id}>{props.label}</label>
      </p>
    </>
  );
}
