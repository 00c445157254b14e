import { useState, type SyntheticEvent } from 'react';
import { useAccount } from '../shell/account-context';
import { useCreateCustomAttribute, useCustomAttributes, useDeleteCustomAttribute } from './api';
import { ConfirmButton, Field, FormErrors, formText } from './forms';
import { SettingsTable } from './SettingsTable';

const displayTypes = [
  ['text', 'Text'],
  ['number', 'Number'],
  ['currency', 'Currency'],
  ['percent', 'Percent'],
  ['link', 'Link'],
  ['date', 'Date'],
  ['list', 'List (pick one of given values)'],
  ['checkbox', 'Checkbox'],
] as const;

export function CustomAttributesSettings() {
  const { accountId } = useAccount();
  const attributes = useCustomAttributes(accountId);
  const remove = useDeleteCustomAttribute(accountId);
  return (
    <section className="settings-section" aria-labelledby="attributes-title">
      <h2 id="attributes-title">Custom attributes</h2>
      <p className="subtle">
        Typed fields kept on contacts and conversations; values are checked against them.
      </p>
      <FormErrors error={attributes.error ?? remove.error} />
      {attributes.data && attributes.data.length === 0 ? (
        <p className="subtle">No custom attributes yet.</p>
      ) : null}
      {attributes.data && attributes.data.length > 0 ? (
        <SettingsTable caption="Custom attributes" columns={['Name', 'Key', 'Applies to', 'Type']}>
          {attributes.data.map((attribute) => (
            <tr key={attribute.id}>
              <td>{attribute.displayName}</td>
              <td>
                <code>{attribute.key}</code>
              </td>
              <td>{attribute.model === 'contact' ? 'Contacts' : 'Conversations'}</td>
              <td>
                {attribute.displayType}
                {attribute.values.length > 0 ? `: ${attribute.values.join(', ')}` : ''}
              </td>
              <td className="row-actions">
                <ConfirmButton
                  label={`Delete ${attribute.displayName}`}
                  question={`Delete the attribute ${attribute.displayName}? Values already stored stay.`}
                  pending={remove.isPending}
                  onConfirm={() => {
                    remove.mutate(attribute.id);
                  }}
                />
              </td>
            </tr>
          ))}
        </SettingsTable>
      ) : null}
      <CreateAttributeForm />
    </section>
  );
}

function CreateAttributeForm() {
  const { accountId } = useAccount();
  const create = useCreateCustomAttribute(accountId);
  const [displayType, setDisplayType] = useState('text');
  function submit(event: SyntheticEvent<HTMLFormElement>) {
    event.preventDefault();
    const target = event.currentTarget;
    const form = new FormData(target);
    const text = (key: string) => formText(form, key).trim();
    const values = text('values')
      .split(',')
      .map((value) => value.trim())
      .filter(Boolean);
    create.mutate(
      {
        model: text('model') === 'conversation' ? 'conversation' : 'contact',
        key: text('key'),
        displayName: text('displayName'),
        displayType,
        description: text('description') || undefined,
        values: displayType === 'list' ? values : [],
      },
      {
        onSuccess: () => {
          target.reset();
          setDisplayType('text');
        },
      },
    );
  }
  return (
    <form className="settings-form" onSubmit={submit} aria-labelledby="new-attribute-title" noValidate>
      <h3 id="new-attribute-title">New custom attribute</h3>
      <div className="settings-field">
        <label htmlFor="attribute-model">Applies to</label>
        <select id="attribute-model" name="model" defaultValue="contact">
          <option value="contact">Contacts</option>
          <option value="conversation">Conversations</option>
        </select>
      </div>
      <Field label="Display name" name="displayName" error={create.error} required maxLength={200} />
      <Field
        label="Key"
        name="key"
        error={create.error}
        required
        maxLength={100}
        hint="Letters, digits, _ and -; what the API carries."
      />
      <div className="settings-field">
        <label htmlFor="attribute-type">Type</label>
        <select
          id="attribute-type"
          value={displayType}
          onChange={(event) => {
            setDisplayType(event.target.value);
          }}
        >
          {displayTypes.map(([value, label]) => (
            <option key={value} value={value}>
              {label}
            </option>
          ))}
        </select>
      </div>
      {displayType === 'list' ? (
        <Field label="Values" name="values" error={create.error} hint="Separated by commas." />
      ) : null}
      <Field label="Description" name="description" error={create.error} maxLength={1000} hint="Optional." />
      <FormErrors error={create.error} />
      <button type="submit" className="button primary" disabled={create.isPending}>
        Create attribute
      </button>
    </form>
  );
}
