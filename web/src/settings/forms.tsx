import {
  useId,
  useState,
  type InputHTMLAttributes,
  type ReactNode,
  type TextareaHTMLAttributes,
} from 'react';
import { ApiError } from '../api/client';

/**
 * The API's validation errors by field: `details[].path` is `body.<field>` (or `<field>` for core
 * checks); the form shows each under its control and the rest (and the message) above the form.
 */
export function fieldErrors(error: unknown): { byField: Record<string, string>; general: string | null } {
  if (!error) return { byField: {}, general: null };
  if (!(error instanceof ApiError)) return { byField: {}, general: 'Something went wrong. Try again.' };
  const byField: Record<string, string> = {};
  for (const detail of error.details) {
    const field = detail.path.replace(/^body\./, '');
    byField[field] ??= detail.message;
  }
  // When every problem sits under its own field, the form's summary only points there.
  const allPlaced =
    error.details.length > 0 && Object.keys(byField).every((field) => !['body', ''].includes(field));
  return { byField, general: allPlaced ? 'Check the highlighted fields.' : error.message };
}

export function FormErrors({ error }: { error: unknown }) {
  const { general } = fieldErrors(error);
  if (!general) return null;
  return (
    <p className="form-error" role="alert">
      {general}
    </p>
  );
}

/** What a field's control gets from its frame: its id, name and the ARIA tying the error to it. */
interface ControlProps {
  id: string;
  name: string;
  'aria-invalid': true | undefined;
  'aria-describedby': string | undefined;
}

interface FrameProps {
  label: string;
  name: string;
  error: unknown;
  hint?: ReactNode;
}

/** A label, a control, an optional hint and the API's error for the field, tied together. */
function FieldFrame({
  label,
  name,
  error,
  hint,
  control,
}: FrameProps & { control: (props: ControlProps) => ReactNode }) {
  const id = useId();
  const message = fieldErrors(error).byField[name];
  const describedBy = [hint ? `${id}-hint` : '', message ? `${id}-error` : ''].filter(Boolean).join(' ');
  return (
    <div className="settings-field">
      <label htmlFor={id}>{label}</label>
      {control({
        id,
        name,
        'aria-invalid': message ? true : undefined,
        'aria-describedby': describedBy || undefined,
      })}
      {hint ? (
        <span id={`${id}-hint`} className="subtle">
          {hint}
        </span>
      ) : null}
      {message ? (
        <span id={`${id}-error`} className="field-error">
          {message}
        </span>
      ) : null}
    </div>
  );
}

/** A labelled input whose API error (if any) is tied to it with aria-describedby. */
export function Field({
  label,
  name,
  error,
  hint,
  ...input
}: FrameProps & InputHTMLAttributes<HTMLInputElement>) {
  const frame = { label, name, error, hint };
  return <FieldFrame {...frame} control={(props) => <input {...props} {...input} />} />;
}

/** A labelled textarea, as Field is for inputs. */
export function TextAreaField({
  label,
  name,
  error,
  hint,
  ...textarea
}: FrameProps & TextareaHTMLAttributes<HTMLTextAreaElement>) {
  const frame = { label, name, error, hint };
  return <FieldFrame {...frame} control={(props) => <textarea rows={4} {...props} {...textarea} />} />;
}

/** A labelled select over fixed choices ([value, label] pairs). */
export function SelectField({
  label,
  name,
  choices,
  defaultValue,
}: {
  label: string;
  name: string;
  choices: readonly (readonly [string, string])[];
  defaultValue?: string;
}) {
  const options = choices.map(([value, text]) => (
    <option key={value} value={value}>
      {text}
    </option>
  ));
  return (
    <FieldFrame
      label={label}
      name={name}
      error={null}
      control={(props) => (
        <select {...props} defaultValue={defaultValue}>
          {options}
        </select>
      )}
    />
  );
}

/** The optional description teams, labels and custom attributes carry. */
export function DescriptionField({ error, defaultValue }: { error: unknown; defaultValue?: string | null }) {
  return (
    <Field
      label="Description"
      name="description"
      error={error}
      maxLength={1000}
      hint="Optional."
      defaultValue={defaultValue ?? undefined}
    />
  );
}

/**
 * A destructive action asks once more in place (no modal): the first press shows what will
 * happen with Confirm and Cancel, and focus moves to Cancel, the safe choice.
 */
export function ConfirmButton({
  label,
  question,
  onConfirm,
  pending,
}: {
  label: string;
  question: string;
  onConfirm: () => void;
  pending?: boolean;
}) {
  const [asking, setAsking] = useState(false);
  if (!asking) {
    return (
      <button
        type="button"
        className="button danger"
        onClick={() => {
          setAsking(true);
        }}
      >
        {label}
      </button>
    );
  }
  return (
    <span className="confirm" role="group" aria-label={question}>
      <span className="confirm-question">{question}</span>
      <button
        type="button"
        className="button danger-strong"
        disabled={pending}
        onClick={() => {
          onConfirm();
          setAsking(false);
        }}
      >
        Confirm
      </button>
      <button
        type="button"
        className="button"
        autoFocus
        onClick={() => {
          setAsking(false);
        }}
      >
        Cancel
      </button>
    </span>
  );
}

export function formatDate(value: string | null): string {
  return value ? new Date(value).toLocaleString() : '—';
}

/** A text field of a submitted form ('' when absent; file inputs are not text). */
export function formText(form: FormData, key: string): string {
  const value = form.get(key);
  return typeof value === 'string' ? value : '';
}
