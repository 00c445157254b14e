import { useId, type SyntheticEvent } from 'react';
import { useAccount } from '../shell/account-context';
import { Field, FormErrors, formText } from '../settings/forms';
import { useCreateWrapup, useWrapupCodes, wrapupStatuses, type WrapupStatus } from './api';
import { wrapupStatusLabels } from './format';

/**
 * The account's wrap-up codes, which every campaign's agents choose from after a call. The
 * status drives the contact: positive, argued and negative end it, unreachable and to-call-back
 * retry it. System codes are the dialer's own (calls no agent took).
 */
export function WrapupCodes() {
  const { accountId } = useAccount();
  const codes = useWrapupCodes(accountId);
  const create = useCreateWrapup(accountId);
  const statusId = useId();

  function submit(event: SyntheticEvent<HTMLFormElement>) {
    event.preventDefault();
    const target = event.currentTarget;
    const form = new FormData(target);
    create.mutate(
      { name: formText(form, 'name').trim(), status: formText(form, 'status') as WrapupStatus },
      { onSuccess: () => target.reset() },
    );
  }

  const rows = codes.data?.data ?? [];
  return (
    <section className="settings-section campaign-section" aria-labelledby="wrapups-title">
      <h2 id="wrapups-title">Wrap-up codes</h2>
      <p className="subtle">Shared by the account&apos;s campaigns; agents pick one after each call.</p>
      <FormErrors error={codes.error} />
      {rows.length > 0 && (
        <table className="settings-table">
          <caption className="visually-hidden">Wrap-up codes</caption>
          <thead>
            <tr>
              <th scope="col">Code</th>
              <th scope="col">Status</th>
              <th scope="col">Folder</th>
              <th scope="col">Kind</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((code) => (
              <tr key={code.id}>
                <td>{code.name}</td>
                <td>{wrapupStatusLabels[code.status]}</td>
                <td>{code.path || '—'}</td>
                <td>
                  {code.isSystem ? 'System' : 'Custom'}
                  {code.isHidden ? ', hidden' : ''}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {codes.data && codes.data.count > rows.length && (
        <p className="subtle">
          Showing {rows.length} of {codes.data.count} codes.
        </p>
      )}
      <form className="settings-form" onSubmit={submit} aria-labelledby="new-wrapup-title" noValidate>
        <h3 id="new-wrapup-title">New wrap-up code</h3>
        <Field label="Code name" name="name" error={create.error} required maxLength={200} />
        <div className="settings-field">
          <label htmlFor={statusId}>Status</label>
          <select id={statusId} name="status" defaultValue="argued">
            {wrapupStatuses.map((status) => (
              <option key={status} value={status}>
                {wrapupStatusLabels[status]}
              </option>
            ))}
          </select>
        </div>
        <FormErrors error={create.error} />
        <button type="submit" className="button primary" disabled={create.isPending}>
          Create wrap-up code
        </button>
      </form>
    </section>
  );
}
