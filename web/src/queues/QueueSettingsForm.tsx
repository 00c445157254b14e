import { useId, useState, type SyntheticEvent } from 'react';
import { Field, fieldErrors, FormErrors, formText } from '../settings/forms';
import { useAccount } from '../shell/account-context';
import { offeringAlgorithms, useUpdateQueue, type OfferingAlgorithm, type Queue } from './api';
import { algorithmLabels } from './format';

/** The offering algorithm as a labelled select, with the API's error for it tied to it. */
export function AlgorithmSelect({
  defaultValue,
  error,
}: {
  defaultValue: OfferingAlgorithm;
  error: unknown;
}) {
  const id = useId();
  const message = fieldErrors(error).byField.offeringAlgorithm;
  return (
    <div className="settings-field">
      <label htmlFor={id}>Offering algorithm</label>
      <select
        id={id}
        name="offeringAlgorithm"
        defaultValue={defaultValue}
        aria-invalid={message ? true : undefined}
        aria-describedby={`${id}-hint${message ? ` ${id}-error` : ''}`}
      >
        {offeringAlgorithms.map((algorithm) => (
          <option key={algorithm} value={algorithm}>
            {algorithmLabels[algorithm]}
          </option>
        ))}
      </select>
      <span id={`${id}-hint`} className="subtle">
        Whom a waiting conversation is offered to: every available member, or one at a time. “By agent
        priority” offers to the best priority with someone available first.
      </span>
      {message ? (
        <span id={`${id}-error`} className="field-error">
          {message}
        </span>
      ) : null}
    </div>
  );
}

/** An optional whole number of a form: '' is null (cleared), anything else a number for the API to judge. */
function optionalNumber(form: FormData, key: string): number | null {
  const text = formText(form, key).trim();
  return text === '' ? null : Number(text);
}

/** A queue's settings, saved together; the API's validation errors show under their fields. */
export function QueueSettingsForm({ queue }: { queue: Queue }) {
  const { accountId } = useAccount();
  const update = useUpdateQueue(accountId, queue.id);
  const [saved, setSaved] = useState(false);

  function submit(event: SyntheticEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    setSaved(false);
    update.mutate(
      {
        name: formText(form, 'name').trim(),
        offeringAlgorithm: formText(form, 'offeringAlgorithm') as OfferingAlgorithm,
        offerTimeout: optionalNumber(form, 'offerTimeout') ?? Number.NaN,
        wrapupTimeout: optionalNumber(form, 'wrapupTimeout'),
        priority: optionalNumber(form, 'priority'),
      },
      {
        onSuccess: () => {
          setSaved(true);
        },
      },
    );
  }

  return (
    <form className="settings-form" onSubmit={submit} aria-labelledby="queue-settings-title" noValidate>
      <h2 id="queue-settings-title">Settings</h2>
      <Field
        label="Name"
        name="name"
        error={update.error}
        defaultValue={queue.name}
        required
        maxLength={255}
      />
      <AlgorithmSelect defaultValue={queue.offeringAlgorithm} error={update.error} />
      <Field
        label="Offer timeout (seconds)"
        name="offerTimeout"
        type="number"
        min={1}
        max={86400}
        required
        error={update.error}
        defaultValue={queue.offerTimeout}
        hint="How long an offer waits for an answer before it moves on."
      />
      <Field
        label="Wrap-up timeout (seconds)"
        name="wrapupTimeout"
        type="number"
        min={0}
        error={update.error}
        defaultValue={queue.wrapupTimeout ?? ''}
        hint="After closing a conversation of this queue, no offers for this long. Empty: none."
      />
      <Field
        label="Priority"
        name="priority"
        type="number"
        error={update.error}
        defaultValue={queue.priority ?? ''}
        hint="Lower is served first when an agent could take conversations of several queues. Empty: none."
      />
      <FormErrors error={update.error} />
      {saved ? (
        <p className="subtle" role="status">
          Saved.
        </p>
      ) : null}
      <button type="submit" className="button primary" disabled={update.isPending}>
        {update.isPending ? 'Saving…' : 'Save settings'}
      </button>
    </form>
  );
}
