import { useId, useState, type InputHTMLAttributes, type ReactNode } from 'react';
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

interface FieldProps extends InputHTMLAttributes<HTMLInputElement> {
  label: string;
  name: string;
  error: unknown;
  hint?: ReactNode;
}

/** A labelled input whose API error (if any) is tied to it with aria-describedby. */
export function Field({ label, name, error, hint, ...input }: FieldProps) {
  const id = useId();
  const message = fieldErrors(error).byField[name];
  const describedBy = [hint ? `${id}-hint` : '', message ? `${id}-error` : ''].filter(Boolean).join(' ');
  return (
    <div className="settings-field">
      <label htmlFor={id}>{label}</label>
      <input
        id={id}
        name={name}
        aria-invalid={message ? true : undefined}
        aria-describedby={describedBy || undefined}
        {...input}
      />
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
