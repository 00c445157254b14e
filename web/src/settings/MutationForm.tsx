import { useId, type ReactNode, type SyntheticEvent } from 'react';
import { FormErrors, formText } from './forms';

/** A submitted form's fields, read the way the settings screens send them. */
export interface SubmittedForm {
  /** The field's text, trimmed ('' when empty). */
  text(key: string): string;
  /** The text, or null when the field was left empty (the API clears the value then). */
  textOrNull(key: string): string | null;
  /** Every value of a repeated field (ticked checkboxes). */
  values(key: string): string[];
  /** The ticked checkboxes' values as ids. */
  ids(key: string): number[];
  isChecked(key: string): boolean;
}

function readForm(element: HTMLFormElement): SubmittedForm {
  const form = new FormData(element);
  const values = (key: string) =>
    form.getAll(key).filter((value): value is string => typeof value === 'string');
  return {
    text: (key) => formText(form, key).trim(),
    textOrNull: (key) => formText(form, key).trim() || null,
    values,
    ids: (key) => values(key).map(Number),
    isChecked: (key) => form.get(key) !== null,
  };
}

/** What MutationForm needs of a TanStack mutation. */
interface Write<Input, Output> {
  mutate(input: Input, options: { onSuccess: (output: Output) => void }): void;
  error: unknown;
  isPending: boolean;
}

/**
 * Every settings form, creating or editing: a heading that names the form, the fields, the API's
 * general error, and the submit button. A create form clears itself once the write succeeded
 * (then `onSaved`); an edit form (`onClose`) has Cancel and closes once saved.
 */
export function MutationForm<Input, Output>({
  title,
  submitLabel,
  pendingLabel,
  write,
  read,
  onSaved,
  onClose,
  children,
}: {
  title: string;
  submitLabel: string;
  pendingLabel?: string;
  write: Write<Input, Output>;
  read: (form: SubmittedForm) => Input;
  onSaved?: (output: Output) => void;
  onClose?: () => void;
  children: ReactNode;
}) {
  const titleId = useId();
  function submit(event: SyntheticEvent<HTMLFormElement>) {
    event.preventDefault();
    const element = event.currentTarget;
    write.mutate(read(readForm(element)), {
      onSuccess: (output) => {
        if (onClose) {
          onClose();
          return;
        }
        element.reset();
        onSaved?.(output);
      },
    });
  }
  return (
    <form className="settings-form" onSubmit={submit} aria-labelledby={titleId} noValidate>
      <h3 id={titleId}>{title}</h3>
      {children}
      <FormErrors error={write.error} />
      <div className="settings-row">
        <button type="submit" className="button primary" disabled={write.isPending}>
          {write.isPending && pendingLabel ? pendingLabel : submitLabel}
        </button>
        {onClose ? (
          <button type="button" className="button" onClick={onClose}>
            Cancel
          </button>
        ) : null}
      </div>
    </form>
  );
}
