import { useState } from 'react';
import { useAccount } from '../shell/account-context';
import {
  useCreateCustomAttribute,
  useCustomAttributes,
  useDeleteCustomAttribute,
  useUpdateCustomAttribute,
  type CustomAttribute,
} from './api';
import { ConfirmButton, DescriptionField, Field, SelectField } from './forms';
import { MutationForm } from './MutationForm';
import { EditButton, useEditing } from './editing';
import { ListStatus, SettingsSection } from './SettingsSection';
import { SettingsTable, type Column } from './SettingsTable';

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

const models = [
  ['contact', 'Contacts'],
  ['conversation', 'Conversations'],
] as const;

const modelOf = (value: string): CustomAttribute['model'] =>
  value === 'conversation' ? 'conversation' : 'contact';

/** "a, b ,c" → ["a", "b", "c"]. */
function listValues(text: string): string[] {
  return text
    .split(',')
    .map((value) => value.trim())
    .filter(Boolean);
}

const attributeColumns: Column<CustomAttribute>[] = [
  { heading: 'Name', cell: (attribute) => attribute.displayName },
  { heading: 'Key', cell: (attribute) => <code>{attribute.key}</code> },
  {
    heading: 'Applies to',
    cell: (attribute) => (attribute.model === 'contact' ? 'Contacts' : 'Conversations'),
  },
  {
    heading: 'Type',
    cell: (attribute) =>
      attribute.values.length > 0
        ? `${attribute.displayType}: ${attribute.values.join(', ')}`
        : attribute.displayType,
  },
];

export function CustomAttributesSettings() {
  const { accountId } = useAccount();
  const attributes = useCustomAttributes(accountId);
  const remove = useDeleteCustomAttribute(accountId);
  const { editing, open, close } = useEditing('attribute');
  const edited = attributes.data?.find((attribute) => attribute.id === editing);
  return (
    <SettingsSection
      title="Custom attributes"
      intro="Typed fields kept on contacts and conversations; values are checked against them."
    >
      <ListStatus list={attributes} what="custom attributes" actionError={remove.error} />
      <SettingsTable
        caption="Custom attributes"
        columns={attributeColumns}
        rows={attributes.data}
        rowKey={(attribute) => attribute.id}
        current={editing}
        actions={(attribute) => (
          <>
            <EditButton kind="attribute" id={attribute.id} name={attribute.displayName} onEdit={open} />
            <ConfirmButton
              label={`Delete ${attribute.displayName}`}
              question={`Delete the attribute ${attribute.displayName}? Values already stored stay.`}
              pending={remove.isPending}
              onConfirm={() => {
                remove.mutate(attribute.id);
              }}
            />
          </>
        )}
      />
      {edited ? <EditAttributeForm key={edited.id} attribute={edited} onClose={close} /> : null}
      <CreateAttributeForm />
    </SettingsSection>
  );
}

/** What can change once an attribute exists besides its name: description and (for a list) values. */
function AttributeFields({
  error,
  attribute,
  isList,
}: {
  error: unknown;
  attribute?: CustomAttribute;
  isList: boolean;
}) {
  return (
    <>
      {isList ? (
        <Field
          label="Values"
          name="values"
          error={error}
          hint="Separated by commas."
          defaultValue={attribute?.values.join(', ')}
        />
      ) : null}
      <DescriptionField error={error} defaultValue={attribute?.description} />
    </>
  );
}

function CreateAttributeForm() {
  const { accountId } = useAccount();
  const create = useCreateCustomAttribute(accountId);
  const [displayType, setDisplayType] = useState('text');
  return (
    <MutationForm
      title="New custom attribute"
      submitLabel="Create attribute"
      write={create}
      read={(form) => ({
        model: modelOf(form.text('model')),
        key: form.text('key'),
        displayName: form.text('displayName'),
        displayType,
        description: form.text('description') || undefined,
        values: displayType === 'list' ? listValues(form.text('values')) : [],
      })}
      onSaved={() => {
        setDisplayType('text');
      }}
    >
      <SelectField label="Applies to" name="model" choices={models} defaultValue="contact" />
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
      <AttributeFields error={create.error} isList={displayType === 'list'} />
    </MutationForm>
  );
}

function EditAttributeForm({ attribute, onClose }: { attribute: CustomAttribute; onClose: () => void }) {
  const { accountId } = useAccount();
  const update = useUpdateCustomAttribute(accountId);
  const isList = attribute.displayType === 'list';
  return (
    <MutationForm
      title={`Edit ${attribute.displayName}`}
      submitLabel="Save attribute"
      write={update}
      read={(form) => ({
        id: attribute.id,
        displayName: form.text('displayName'),
        description: form.textOrNull('description'),
        ...(isList && { values: listValues(form.text('values')) }),
      })}
      onClose={onClose}
    >
      <Field
        label="Display name"
        name="displayName"
        error={update.error}
        required
        maxLength={200}
        defaultValue={attribute.displayName}
        autoFocus
      />
      <p className="subtle">
        Key <code>{attribute.key}</code>, type {attribute.displayType}: fixed once values may be stored.
      </p>
      <AttributeFields error={update.error} attribute={attribute} isList={isList} />
    </MutationForm>
  );
}
