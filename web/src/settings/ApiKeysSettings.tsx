import { useState, type SyntheticEvent } from 'react';
import type { Role } from '../api/types';
import { useAccount } from '../shell/account-context';
import { useApiKeys, useCreateApiKey, useRevokeApiKey } from './api';
import { ConfirmButton, Field, FormErrors, formatDate, formText } from './forms';
import { SettingsTable } from './SettingsTable';

export function ApiKeysSettings() {
  const { accountId } = useAccount();
  const keys = useApiKeys(accountId);
  const revoke = useRevokeApiKey(accountId);
  // The secret exists only in this answer: the server keeps a hash, so it is shown once, here.
  const [issued, setIssued] = useState<{ name: string; token: string } | null>(null);
  return (
    <section className="settings-section" aria-labelledby="api-keys-title">
      <h2 id="api-keys-title">API keys</h2>
      <p className="subtle">Keys let your own software call Parley&apos;s API for this account.</p>
      {issued ? (
        <IssuedKey
          issued={issued}
          onDone={() => {
            setIssued(null);
          }}
        />
      ) : null}
      {keys.isPending ? <p className="loading">Loading API keys…</p> : null}
      {keys.error ? <FormErrors error={keys.error} /> : null}
      <FormErrors error={revoke.error} />
      {keys.data && keys.data.length > 0 ? (
        <SettingsTable caption="API keys" columns={['Name', 'Role', 'Starts with', 'Last used', 'Status']}>
          {keys.data.map((key) => (
            <tr key={key.id}>
              <td>{key.name}</td>
              <td>{key.role}</td>
              <td>
                <code>{key.tokenPrefix}…</code>
              </td>
              <td>{formatDate(key.lastUsedAt)}</td>
              <td>{key.revokedAt ? `Revoked ${formatDate(key.revokedAt)}` : 'Active'}</td>
              <td className="row-actions">
                {key.revokedAt ? null : (
                  <ConfirmButton
                    label={`Revoke ${key.name}`}
                    question={`Revoke ${key.name}? Software using it stops working at once.`}
                    pending={revoke.isPending}
                    onConfirm={() => {
                      revoke.mutate(key.id);
                    }}
                  />
                )}
              </td>
            </tr>
          ))}
        </SettingsTable>
      ) : null}
      {keys.data && keys.data.length === 0 ? <p className="subtle">No API keys yet.</p> : null}
      <CreateKeyForm onCreated={setIssued} />
    </section>
  );
}

function IssuedKey({ issued, onDone }: { issued: { name: string; token: string }; onDone: () => void }) {
  return (
    <div className="settings-panel issued-key" role="status">
      <div className="settings-field">
        <label htmlFor="issued-token">New key “{issued.name}”</label>
        <span id="issued-token-hint" className="subtle">
          Copy it now: it is shown only this once.
        </span>
        <input
          id="issued-token"
          className="snippet"
          readOnly
          value={issued.token}
          aria-describedby="issued-token-hint"
          onFocus={(event) => {
            event.currentTarget.select();
          }}
        />
      </div>
      <div className="settings-row">
        <button
          type="button"
          className="button"
          onClick={() => {
            void navigator.clipboard.writeText(issued.token);
          }}
        >
          Copy key
        </button>
        <button type="button" className="button" onClick={onDone}>
          Done
        </button>
      </div>
    </div>
  );
}

function CreateKeyForm({ onCreated }: { onCreated: (issued: { name: string; token: string }) => void }) {
  const { accountId } = useAccount();
  const create = useCreateApiKey(accountId);
  function submit(event: SyntheticEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const name = formText(form, 'name');
    const role = (form.get('role') === 'agent' ? 'agent' : 'administrator') satisfies Role;
    const target = event.currentTarget;
    create.mutate(
      { name, role },
      {
        onSuccess: (key) => {
          target.reset();
          onCreated({ name: key.name, token: key.token });
        },
      },
    );
  }
  return (
    <form className="settings-form" onSubmit={submit} aria-labelledby="new-key-title" noValidate>
      <h3 id="new-key-title">New API key</h3>
      <Field label="Key name" name="name" error={create.error} required maxLength={100} />
      <div className="settings-field">
        <label htmlFor="new-key-role">Key role</label>
        <select id="new-key-role" name="role" defaultValue="administrator">
          <option value="administrator">Administrator</option>
          <option value="agent">Agent</option>
        </select>
      </div>
      <FormErrors error={create.error} />
      <button type="submit" className="button primary" disabled={create.isPending}>
        {create.isPending ? 'Creating…' : 'Create API key'}
      </button>
    </form>
  );
}
