import { useState } from 'react';
import type { Role } from '../api/types';
import { useAccount } from '../shell/account-context';
import { useApiKeys, useCreateApiKey, useRevokeApiKey, type ApiKey } from './api';
import { ConfirmButton, Field, formatDate, SelectField } from './forms';
import { MutationForm } from './MutationForm';
import { SecretOnce } from './SecretOnce';
import { ListStatus, SettingsSection } from './SettingsSection';
import { SettingsTable, type Column } from './SettingsTable';

const keyRoles = [
  ['administrator', 'Administrator'],
  ['agent', 'Agent'],
] as const;

const keyColumns: Column<ApiKey>[] = [
  { heading: 'Name', cell: (key) => key.name },
  { heading: 'Role', cell: (key) => key.role },
  { heading: 'Starts with', cell: (key) => <code>{key.tokenPrefix}…</code> },
  { heading: 'Last used', cell: (key) => formatDate(key.lastUsedAt) },
  {
    heading: 'Status',
    cell: (key) => (key.revokedAt ? `Revoked ${formatDate(key.revokedAt)}` : 'Active'),
  },
];

/** Keys are administrators unless asked otherwise. */
const roleOf = (value: string): Role => (value === 'agent' ? 'agent' : 'administrator');

export function ApiKeysSettings() {
  const { accountId } = useAccount();
  const keys = useApiKeys(accountId);
  const revoke = useRevokeApiKey(accountId);
  // The secret exists only in this answer: the server keeps a hash, so it is shown once, here.
  const [issued, setIssued] = useState<{ name: string; token: string } | null>(null);
  return (
    <SettingsSection title="API keys" intro="Keys let your own software call Parley's API for this account.">
      {issued ? (
        <SecretOnce
          label={`New key “${issued.name}”`}
          value={issued.token}
          copyLabel="Copy key"
          onDone={() => {
            setIssued(null);
          }}
        />
      ) : null}
      <ListStatus list={keys} what="API keys" actionError={revoke.error} />
      <SettingsTable
        caption="API keys"
        columns={keyColumns}
        rows={keys.data}
        rowKey={(key) => key.id}
        actions={(key) =>
          key.revokedAt ? null : (
            <ConfirmButton
              label={`Revoke ${key.name}`}
              question={`Revoke ${key.name}? Software using it stops working at once.`}
              pending={revoke.isPending}
              onConfirm={() => {
                revoke.mutate(key.id);
              }}
            />
          )
        }
      />
      <CreateKeyForm onCreated={setIssued} />
    </SettingsSection>
  );
}

function CreateKeyForm({ onCreated }: { onCreated: (issued: { name: string; token: string }) => void }) {
  const { accountId } = useAccount();
  const create = useCreateApiKey(accountId);
  return (
    <MutationForm
      title="New API key"
      submitLabel="Create API key"
      pendingLabel="Creating…"
      write={create}
      read={(form) => ({
        name: form.text('name'),
        role: roleOf(form.text('role')),
      })}
      onSaved={(key) => {
        onCreated({ name: key.name, token: key.token });
      }}
    >
      <Field label="Key name" name="name" error={create.error} required maxLength={100} />
      <SelectField label="Key role" name="role" choices={keyRoles} defaultValue="administrator" />
    </MutationForm>
  );
}
