import { useAccount } from '../shell/account-context';
import {
  useCannedResponses,
  useCreateCanned,
  useDeleteCanned,
  useUpdateCanned,
  type CannedResponse,
} from './api';
import { ConfirmButton, Field, TextAreaField } from './forms';
import { MutationForm } from './MutationForm';
import { EditButton, useEditing } from './editing';
import { ListStatus, SettingsSection } from './SettingsSection';
import { SettingsTable, type Column } from './SettingsTable';

const cannedColumns: Column<CannedResponse>[] = [
  { heading: 'Short code', cell: (row) => <code>/{row.shortCode}</code> },
  { heading: 'Content', cell: (row) => row.content, className: 'clamp' },
];

export function CannedResponsesSettings() {
  const { accountId } = useAccount();
  const canned = useCannedResponses(accountId);
  const remove = useDeleteCanned(accountId);
  const { editing, open, close } = useEditing('canned');
  const edited = canned.data?.find((row) => row.id === editing);
  return (
    <SettingsSection
      title="Canned responses"
      intro={
        <>
          Saved replies agents insert by typing <code>/</code> and the short code in the reply box.
        </>
      }
    >
      <ListStatus list={canned} what="canned responses" actionError={remove.error} />
      <SettingsTable
        caption="Canned responses"
        columns={cannedColumns}
        rows={canned.data}
        rowKey={(row) => row.id}
        current={editing}
        actions={(row) => (
          <>
            <EditButton kind="canned" id={row.id} name={`/${row.shortCode}`} onEdit={open} />
            <ConfirmButton
              label={`Delete /${row.shortCode}`}
              question={`Delete the canned response /${row.shortCode}?`}
              pending={remove.isPending}
              onConfirm={() => {
                remove.mutate(row.id);
              }}
            />
          </>
        )}
      />
      {edited ? <EditCannedForm key={edited.id} canned={edited} onClose={close} /> : null}
      <CreateCannedForm />
    </SettingsSection>
  );
}

function CannedFields({ error, canned }: { error: unknown; canned?: CannedResponse }) {
  return (
    <>
      <Field
        label="Short code"
        name="shortCode"
        error={error}
        required
        maxLength={100}
        defaultValue={canned?.shortCode}
        autoFocus={canned !== undefined}
      />
      <TextAreaField label="Content" name="content" error={error} required defaultValue={canned?.content} />
    </>
  );
}

function CreateCannedForm() {
  const { accountId } = useAccount();
  const create = useCreateCanned(accountId);
  return (
    <MutationForm
      title="New canned response"
      submitLabel="Create canned response"
      write={create}
      read={(form) => ({ shortCode: form.text('shortCode'), content: form.text('content') })}
    >
      <CannedFields error={create.error} />
    </MutationForm>
  );
}

function EditCannedForm({ canned, onClose }: { canned: CannedResponse; onClose: () => void }) {
  const { accountId } = useAccount();
  const update = useUpdateCanned(accountId);
  return (
    <MutationForm
      title={`Edit /${canned.shortCode}`}
      submitLabel="Save canned response"
      write={update}
      read={(form) => ({ id: canned.id, shortCode: form.text('shortCode'), content: form.text('content') })}
      onClose={onClose}
    >
      <CannedFields error={update.error} canned={canned} />
    </MutationForm>
  );
}
