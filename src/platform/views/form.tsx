import type { FieldError } from '../errors.ts';
import { type Html, h } from './jsx.ts';
import type { PageContext } from './layout.tsx';

/** What a form shows again after a failed submit: what was typed and what to fix. */
export interface FormState {
  values: Record<string, string>;
  errors: FieldError[];
  /** A message for the whole form (e.g. a wrong password at sign-in). */
  message?: string;
}

export const emptyForm = (values: Record<string, string> = {}): FormState => ({ values, errors: [] });

/** A labelled input with its error, in the page's language, next to it (linked for screen readers). */
export function Field(props: {
  page: PageContext;
  form: FormState;
  name: string;
  label: string;
  type?: string;
  required?: boolean;
  autocomplete?: string;
  keepValue?: boolean;
  options?: { value: string; label: string }[];
  /** A short help text under the label. */
  hint?: string;
  placeholder?: string;
  /** Names this control on the page when several rows repeat the same label. */
  ariaLabel?: string;
  /** Shown but not editable here; the value is still sent with the form. */
  locked?: boolean;
}): Html {
  const { t } = props.page;
  const id = `f-${props.name}`;
  const error = props.form.errors.find((e) => e.name === props.name);
  const message = error ? t(`validation.${error.rule}`, error.params) : undefined;
  const value = props.keepValue === false ? undefined : (props.form.values[props.name] ?? '');
  const common = {
    id,
    name: props.name,
    required: props.required,
    'aria-invalid': message ? 'true' : undefined,
    'aria-describedby': message ? `${id}-error` : props.hint ? `${id}-hint` : undefined,
    'aria-label': props.ariaLabel,
    disabled: props.locked,
  };
  // a disabled control is not sent: a hidden copy carries the value
  const carried = props.locked ? <input type="hidden" name={props.name} value={value ?? ''} /> : null;
  if (props.type === 'checkbox') {
    return (
      <div class={message ? 'field field-check field-error' : 'field field-check'}>
        <input
          {...common}
          type="checkbox"
          value="1"
          checked={value === '1' || value === 'on' || value === 'true'}
        />
        {carried}
        <label for={id}>{props.label}</label>
        {message ? (
          <p class="error" id={`${id}-error`}>
            {message}
          </p>
        ) : null}
      </div>
    );
  }
  return (
    <div class={message ? 'field field-error' : 'field'}>
      <label for={id}>{props.label}</label>
      {props.hint ? (
        <p class="hint" id={`${id}-hint`}>
          {props.hint}
        </p>
      ) : null}
      {props.type === 'textarea' ? (
        <textarea {...common} rows={4} placeholder={props.placeholder}>
          {value ?? ''}
        </textarea>
      ) : props.options ? (
        <select {...common}>
          {props.options.map((o) => (
            <option value={o.value} selected={o.value === value}>
              {o.label}
            </option>
          ))}
        </select>
      ) : (
        <input
          {...common}
          type={props.type ?? 'text'}
          value={value}
          autocomplete={props.autocomplete}
          placeholder={props.placeholder}
        />
      )}
      {carried}
      {message ? (
        <p class="error" id={`${id}-error`}>
          {message}
        </p>
      ) : null}
    </div>
  );
}

export function FormMessage(props: { form: FormState }): Html {
  return props.form.message ? (
    <p class="alert" role="alert">
      {props.form.message}
    </p>
  ) : (
    h('span', { hidden: true })
  );
}
