import { useAccount } from '../shell/account-context';
import { useCreateLabel, useLabelCatalogue, useSetLabelState, useUpdateLabel, type LabelEntry } from './api';
import { ConfirmButton, DescriptionField, Field } from './forms';
import { MutationForm } from './MutationForm';
import { EditButton, useEditing } from './editing';
import { ListStatus, SettingsSection } from './SettingsSection';
import { SettingsTable, type Column } from './SettingsTable';

const labelColumns: Column<LabelEntry>[] = [
  {
    heading: 'Label',
    cell: (label) => (
      <>
        <span
          className="label-swatch"
          style={{ backgroundColor: label.color ?? undefined }}
          aria-hidden="true"
        />
        {label.title}
      </>
    ),
  },
  { heading: 'Description', cell: (label) => label.description ?? '' },
  { heading: 'State', cell: (label) => (label.state === 'active' ? 'Active' : 'Inactive') },
];

export function LabelsSettings() {
  const { accountId } = useAccount();
  const labels = useLabelCatalogue(accountId);
  const setState = useSetLabelState(accountId);
  const { editing, open, close } = useEditing('label');
  const edited = labels.data?.find((label) => label.id === editing);
  return (
    <SettingsSection
      title="Labels"
      intro="Tags agents put on conversations. A deactivated label stays on the conversations that carry it but can no longer be added."
    >
      <ListStatus list={labels} what="labels" actionError={setState.error} />
      <SettingsTable
        caption="Labels"
        columns={labelColumns}
        rows={labels.data}
        rowKey={(label) => label.id}
        current={editing}
        actions={(label) => (
          <>
            <EditButton kind="label" id={label.id} name={label.title} onEdit={open} />
            {label.state === 'active' ? (
              <ConfirmButton
                label={`Deactivate ${label.title}`}
                question={`Deactivate ${label.title}? Agents can no longer add it.`}
                pending={setState.isPending}
                onConfirm={() => {
                  setState.mutate({ id: label.id, state: 'inactive' });
                }}
              />
            ) : (
              <button
                type="button"
                className="button"
                disabled={setState.isPending}
                onClick={() => {
                  setState.mutate({ id: label.id, state: 'active' });
                }}
              >
                Activate {label.title}
              </button>
            )}
          </>
        )}
      />
      {edited ? <EditLabelForm key={edited.id} label={edited} onClose={close} /> : null}
      <CreateLabelForm />
    </SettingsSection>
  );
}

function LabelFields({ error, label }: { error: unknown; label?: LabelEntry }) {
  return (
    <>
      <Field
        label="Label title"
        name="title"
        error={error}
        required
        maxLength={255}
        defaultValue={label?.title}
        autoFocus={label !== undefined}
        hint={label ? 'Conversations and contacts that carry the label are renamed with it.' : undefined}
      />
      <Field
        label="Colour"
        name="color"
        error={error}
        placeholder="#c2185b"
        hint="Six-digit hex colour, optional."
        defaultValue={label?.color ?? undefined}
      />
      <DescriptionField error={error} defaultValue={label?.description} />
    </>
  );
}

function CreateLabelForm() {
  const { accountId } = useAccount();
  const create = useCreateLabel(accountId);
  return (
    <MutationForm
      title="New label"
      submitLabel="Create label"
      write={create}
      read={(form) => ({
        title: form.text('title'),
        color: form.text('color') || undefined,
        description: form.text('description') || undefined,
      })}
    >
      <LabelFields error={create.error} />
    </MutationForm>
  );
}

function EditLabelForm({ label, onClose }: { label: LabelEntry; onClose: () => void }) {
  const { accountId } = useAccount();
  const update = useUpdateLabel(accountId);
  return (
    <MutationForm
      title={`Edit ${label.title}`}
      submitLabel="Save label"
      write={update}
      read={(form) => ({
        id: label.id,
        title: form.text('title'),
        color: form.textOrNull('color'),
        description: form.textOrNull('description'),
      })}
      onClose={onClose}
    >
      <LabelFields error={update.error} label={label} />
    </MutationForm>
  );
}
