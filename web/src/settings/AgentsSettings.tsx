import { useState } from 'react';
import type { Role } from '../api/types';
import { useAccount } from '../shell/account-context';
import {
  useChangeRole,
  useInvitations,
  useInvite,
  useMembers,
  useRemoveMember,
  useRenameMember,
  useWithdrawInvitation,
  type Member,
} from './api';
import { ConfirmButton, Field, FormErrors, formatDate, SelectField } from './forms';
import { MutationForm } from './MutationForm';
import { EditButton, useEditing } from './editing';
import { ListStatus, SettingsSection } from './SettingsSection';
import { SettingsTable } from './SettingsTable';

const roles = [
  ['agent', 'Agent'],
  ['administrator', 'Administrator'],
] as const;

const nameOf = (member: Member) => member.displayName ?? member.name;
const roleOf = (value: string): Role => (value === 'administrator' ? 'administrator' : 'agent');

export function AgentsSettings() {
  const { accountId, userId } = useAccount();
  const members = useMembers(accountId);
  const changeRole = useChangeRole(accountId);
  const remove = useRemoveMember(accountId);
  const { editing, open, close } = useEditing('agent');
  const edited = members.data?.find((member) => member.userId === editing);
  return (
    <SettingsSection title="Agents" intro="The people who work in this account, and their roles.">
      <ListStatus list={members} what="agents" actionError={changeRole.error ?? remove.error} />
      <SettingsTable
        caption="Agents"
        columns={[
          {
            heading: 'Name',
            cell: (member) => (
              <>
                {nameOf(member)}
                {member.userId === userId ? <span className="subtle"> (you)</span> : null}
              </>
            ),
          },
          { heading: 'Email', cell: (member) => member.email },
          {
            heading: 'Role',
            cell: (member) => (
              <select
                aria-label={`Role of ${nameOf(member)}`}
                value={member.role}
                disabled={changeRole.isPending}
                onChange={(event) => {
                  changeRole.mutate({ userId: member.userId, role: event.target.value as Role });
                }}
              >
                {roles.map(([value, label]) => (
                  <option key={value} value={value}>
                    {label}
                  </option>
                ))}
              </select>
            ),
          },
        ]}
        rows={members.data}
        rowKey={(member) => member.userId}
        current={editing}
        actions={(member) => (
          <>
            <EditButton kind="agent" id={member.userId} name={nameOf(member)} onEdit={open} />
            {member.userId === userId ? null : (
              <ConfirmButton
                label={`Remove ${nameOf(member)}`}
                question={`Remove ${nameOf(member)} from this account?`}
                pending={remove.isPending}
                onConfirm={() => {
                  remove.mutate(member.userId);
                }}
              />
            )}
          </>
        )}
      />
      {edited ? <RenameAgentForm key={edited.userId} member={edited} onClose={close} /> : null}
      <PendingInvitations />
      <InviteForm />
    </SettingsSection>
  );
}

/**
 * The name the account shows for an agent. Someone who also works in another account keeps
 * their own name; the API refuses then and the form says so.
 */
function RenameAgentForm({ member, onClose }: { member: Member; onClose: () => void }) {
  const { accountId } = useAccount();
  const rename = useRenameMember(accountId);
  return (
    <MutationForm
      title={`Edit ${nameOf(member)}`}
      submitLabel="Save agent"
      write={rename}
      read={(form) => ({ userId: member.userId, displayName: form.text('displayName') })}
      onClose={onClose}
    >
      <Field
        label="Display name"
        name="displayName"
        error={rename.error}
        required
        maxLength={200}
        defaultValue={nameOf(member)}
        autoFocus
      />
      <p className="subtle">The role is changed in the list above, and takes effect at once.</p>
    </MutationForm>
  );
}

function PendingInvitations() {
  const { accountId } = useAccount();
  const invitations = useInvitations(accountId);
  const withdraw = useWithdrawInvitation(accountId);
  if (!invitations.data || invitations.data.length === 0) return null;
  return (
    <>
      <h3 id="invitations-title">Pending invitations</h3>
      <FormErrors error={withdraw.error} />
      <SettingsTable
        labelledBy="invitations-title"
        columns={[
          { heading: 'Email', cell: (invitation) => invitation.email },
          { heading: 'Role', cell: (invitation) => invitation.role },
          { heading: 'Expires', cell: (invitation) => formatDate(invitation.expiresAt) },
        ]}
        rows={invitations.data}
        rowKey={(invitation) => invitation.id}
        actions={(invitation) => (
          <ConfirmButton
            label={`Withdraw invitation for ${invitation.email}`}
            question={`Withdraw the invitation for ${invitation.email}?`}
            pending={withdraw.isPending}
            onConfirm={() => {
              withdraw.mutate(invitation.id);
            }}
          />
        )}
      />
    </>
  );
}

function InviteForm() {
  const { accountId } = useAccount();
  const invite = useInvite(accountId);
  const [sent, setSent] = useState<{ email: string; token: string } | null>(null);
  return (
    <MutationForm
      title="Invite an agent"
      submitLabel="Send invitation"
      pendingLabel="Inviting…"
      write={invite}
      read={(form) => ({
        email: form.text('email'),
        name: form.text('name') || undefined,
        role: roleOf(form.text('role')),
      })}
      onSaved={(invitation) => {
        setSent({ email: invitation.email, token: invitation.token });
      }}
    >
      {sent ? (
        <div className="settings-panel" role="status">
          <p>
            Invitation created for {sent.email}. If they have no Parley user yet, hand them this invitation
            code (shown once):
          </p>
          <input
            className="snippet"
            readOnly
            aria-label={`Invitation code for ${sent.email}`}
            value={sent.token}
          />
        </div>
      ) : null}
      <Field label="Email" name="email" type="email" error={invite.error} required maxLength={320} />
      <Field label="Name" name="name" error={invite.error} maxLength={200} hint="Optional." />
      <SelectField label="Role" name="role" choices={roles} defaultValue="agent" />
    </MutationForm>
  );
}
