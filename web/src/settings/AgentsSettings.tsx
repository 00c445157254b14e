import { useState, type SyntheticEvent } from 'react';
import type { Role } from '../api/types';
import { useAccount } from '../shell/account-context';
import {
  useChangeRole,
  useInvitations,
  useInvite,
  useMembers,
  useRemoveMember,
  useWithdrawInvitation,
} from './api';
import { ConfirmButton, Field, FormErrors, formatDate, formText } from './forms';
import { SettingsTable } from './SettingsTable';

export function AgentsSettings() {
  const { accountId, userId } = useAccount();
  const members = useMembers(accountId);
  const changeRole = useChangeRole(accountId);
  const remove = useRemoveMember(accountId);
  return (
    <section className="settings-section" aria-labelledby="agents-title">
      <h2 id="agents-title">Agents</h2>
      <p className="subtle">The people who work in this account, and their roles.</p>
      {members.isPending ? <p className="loading">Loading agents…</p> : null}
      {members.error ? <FormErrors error={members.error} /> : null}
      <FormErrors error={changeRole.error ?? remove.error} />
      {members.data ? (
        <SettingsTable caption="Agents" columns={['Name', 'Email', 'Role']}>
          {members.data.map((member) => (
            <tr key={member.userId}>
              <td>
                {member.displayName ?? member.name}
                {member.userId === userId ? <span className="subtle"> (you)</span> : null}
              </td>
              <td>{member.email}</td>
              <td>
                <select
                  aria-label={`Role of ${member.name}`}
                  value={member.role}
                  disabled={changeRole.isPending}
                  onChange={(event) => {
                    changeRole.mutate({ userId: member.userId, role: event.target.value as Role });
                  }}
                >
                  <option value="administrator">Administrator</option>
                  <option value="agent">Agent</option>
                </select>
              </td>
              <td className="row-actions">
                {member.userId === userId ? null : (
                  <ConfirmButton
                    label={`Remove ${member.name}`}
                    question={`Remove ${member.name} from this account?`}
                    pending={remove.isPending}
                    onConfirm={() => {
                      remove.mutate(member.userId);
                    }}
                  />
                )}
              </td>
            </tr>
          ))}
        </SettingsTable>
      ) : null}
      <PendingInvitations />
      <InviteForm />
    </section>
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
      <table className="settings-table" aria-labelledby="invitations-title">
        <thead>
          <tr>
            <th scope="col">Email</th>
            <th scope="col">Role</th>
            <th scope="col">Expires</th>
            <th scope="col">
              <span className="visually-hidden">Actions</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {invitations.data.map((invitation) => (
            <tr key={invitation.id}>
              <td>{invitation.email}</td>
              <td>{invitation.role}</td>
              <td>{formatDate(invitation.expiresAt)}</td>
              <td className="row-actions">
                <ConfirmButton
                  label={`Withdraw invitation for ${invitation.email}`}
                  question={`Withdraw the invitation for ${invitation.email}?`}
                  pending={withdraw.isPending}
                  onConfirm={() => {
                    withdraw.mutate(invitation.id);
                  }}
                />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </>
  );
}

function InviteForm() {
  const { accountId } = useAccount();
  const invite = useInvite(accountId);
  const [sent, setSent] = useState<{ email: string; token: string } | null>(null);
  function submit(event: SyntheticEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const name = formText(form, 'name').trim();
    const role: Role = form.get('role') === 'administrator' ? 'administrator' : 'agent';
    const input = { email: formText(form, 'email').trim(), name: name || undefined, role };
    const target = event.currentTarget;
    invite.mutate(input, {
      onSuccess: (invitation) => {
        target.reset();
        setSent({ email: invitation.email, token: invitation.token });
      },
    });
  }
  return (
    <form className="settings-form" onSubmit={submit} aria-labelledby="invite-title" noValidate>
      <h3 id="invite-title">Invite an agent</h3>
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
      <div className="settings-field">
        <label htmlFor="invite-role">Role</label>
        <select id="invite-role" name="role" defaultValue="agent">
          <option value="agent">Agent</option>
          <option value="administrator">Administrator</option>
        </select>
      </div>
      <FormErrors error={invite.error} />
      <button type="submit" className="button primary" disabled={invite.isPending}>
        {invite.isPending ? 'Inviting…' : 'Send invitation'}
      </button>
    </form>
  );
}
