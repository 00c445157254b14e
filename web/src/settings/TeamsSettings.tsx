import { useAccount } from '../shell/account-context';
import { useCreateTeam, useDeleteTeam, useTeamDetail, useTeams, useUpdateTeam, type TeamDetail } from './api';
import { ConfirmButton, DescriptionField, Field, FormErrors } from './forms';
import { MutationForm } from './MutationForm';
import { EditButton, useEditing } from './editing';
import { MemberChecklist } from './MemberChecklist';
import { ListStatus, SettingsSection } from './SettingsSection';
import { SettingsTable } from './SettingsTable';

export function TeamsSettings() {
  const { accountId } = useAccount();
  const teams = useTeams(accountId);
  const remove = useDeleteTeam(accountId);
  const { editing, open, close } = useEditing('team');
  const edited = teams.data?.find((team) => team.id === editing);
  return (
    <SettingsSection title="Teams" intro="Groups of agents conversations can be handed to.">
      <ListStatus list={teams} what="teams" actionError={remove.error} />
      <SettingsTable
        caption="Teams"
        columns={[{ heading: 'Name', cell: (team) => team.name }]}
        rows={teams.data}
        rowKey={(team) => team.id}
        current={editing}
        actions={(team) => (
          <>
            <EditButton kind="team" id={team.id} name={team.name} onEdit={open} />
            <ConfirmButton
              label={`Delete ${team.name}`}
              question={`Delete the team ${team.name}? Its conversations keep going without a team.`}
              pending={remove.isPending}
              onConfirm={() => {
                remove.mutate(team.id);
              }}
            />
          </>
        )}
      />
      {edited ? <EditTeamForm key={edited.id} teamId={edited.id} onClose={close} /> : null}
      <CreateTeamForm />
    </SettingsSection>
  );
}

function TeamFields({ error, team }: { error: unknown; team?: TeamDetail }) {
  return (
    <>
      <Field
        label="Team name"
        name="name"
        error={error}
        required
        maxLength={100}
        defaultValue={team?.name}
        autoFocus={team !== undefined}
      />
      <DescriptionField error={error} defaultValue={team?.description} />
    </>
  );
}

function CreateTeamForm() {
  const { accountId } = useAccount();
  const create = useCreateTeam(accountId);
  return (
    <MutationForm
      title="New team"
      submitLabel="Create team"
      write={create}
      read={(form) => ({ name: form.text('name'), description: form.text('description') || undefined })}
    >
      <TeamFields error={create.error} />
    </MutationForm>
  );
}

/** Name, description and the agents of a team, saved together. */
function EditTeamForm({ teamId, onClose }: { teamId: number; onClose: () => void }) {
  const { accountId } = useAccount();
  const { detail, members } = useTeamDetail(accountId, teamId);
  const update = useUpdateTeam(accountId, teamId);
  if (detail.isPending || members.isPending) return <p className="loading">Loading the team…</p>;
  if (detail.isError || members.isError) return <FormErrors error={detail.error ?? members.error} />;
  return (
    <MutationForm
      title={`Edit ${detail.data.name}`}
      submitLabel="Save team"
      write={update}
      read={(form) => ({
        name: form.text('name'),
        description: form.textOrNull('description'),
        userIds: form.ids('userIds'),
      })}
      onClose={onClose}
    >
      <TeamFields error={update.error} team={detail.data} />
      <MemberChecklist legend="Agents in this team" selected={members.data.userIds} />
    </MutationForm>
  );
}
