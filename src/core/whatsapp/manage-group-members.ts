import type { Db } from '../../platform/db/database.js';
import { DomainError, notFound } from '../../platform/errors.js';
import type { Actor } from '../../platform/events/outbox.js';
import { getContact } from '../contacts/contacts.js';
import { loadGroup, type GroupContext } from './group-context.js';
import { applyMembership, findGroupMember, recordMembersChanged } from './group-membership.js';
import { ensureMemberContact } from './member-contacts.js';
import { callProvider, userJidOf, type ParticipantOutcome } from './whatsapp-provider.js';
import type { GroupMemberRow } from './whatsapp.tables.js';

function refusedAll(outcomes: ParticipantOutcome[]): DomainError {
  const detail = outcomes.map((outcome) => `${outcome.jid} (${outcome.status})`).join(', ');
  return new DomainError('VALIDATION_FAILED', `The provider refused every participant: ${detail}`, [
    { path: 'participants', message: 'were refused by the provider' },
  ]);
}

/**
 * Adds people to a group through the provider; those it accepted (or who were already in) become
 * active members. Returns the provider's per-participant outcome.
 */
export async function addGroupMembers(
  db: Db,
  input: { accountId: number; contactId: number; participants: string[]; actor: Actor },
): Promise<ParticipantOutcome[]> {
  const context = await loadGroup(db, input.accountId, input.contactId);
  const jids = [...new Set(input.participants.map(userJidOf))];
  const outcomes = await callProvider(() =>
    context.provider.updateParticipants(context.instance, context.group.groupJid, jids, 'add'),
  );
  // 409: already a participant at the provider, so a member here too.
  const accepted = outcomes.filter((outcome) => outcome.status === '200' || outcome.status === '409');
  if (accepted.length === 0) throw refusedAll(outcomes);
  await db.transaction(async (tx) => {
    const changes = [];
    for (const outcome of accepted) {
      const contact = await ensureMemberContact(tx, {
        accountId: input.accountId,
        jid: outcome.jid,
        actor: input.actor,
      });
      changes.push({ contactId: contact.id, isActive: true });
    }
    const rows = await applyMembership(tx, {
      accountId: input.accountId,
      groupContactId: context.group.id,
      changes,
    });
    await recordMembersChanged(tx, {
      ...eventScope(context),
      action: 'add',
      origin: 'parley',
      rows,
      actor: input.actor,
    });
  });
  return outcomes;
}

/** Promotes a member to admin or demotes an admin to member; the creator cannot be changed. */
export async function updateGroupMemberRole(
  db: Db,
  input: { accountId: number; contactId: number; memberId: number; role: 'admin' | 'member'; actor: Actor },
): Promise<GroupMemberRow> {
  const context = await loadGroup(db, input.accountId, input.contactId);
  const member = await activeMember(db, context, input.memberId);
  if (member.role === input.role) return member;
  const action = input.role === 'admin' ? 'promote' : 'demote';
  await callParticipant(db, context, member, action);
  return db.transaction(async (tx) => {
    const rows = await applyMembership(tx, {
      accountId: input.accountId,
      groupContactId: context.group.id,
      changes: [{ contactId: member.contactId, isActive: true, role: input.role }],
    });
    await recordMembersChanged(tx, {
      ...eventScope(context),
      action,
      origin: 'parley',
      rows,
      actor: input.actor,
    });
    return rows[0] ?? member;
  });
}

/** Removes a member from the group; the creator cannot be removed. */
export async function removeGroupMember(
  db: Db,
  input: { accountId: number; contactId: number; memberId: number; actor: Actor },
): Promise<void> {
  const context = await loadGroup(db, input.accountId, input.contactId);
  const member = await activeMember(db, context, input.memberId);
  await callParticipant(db, context, member, 'remove');
  await db.transaction(async (tx) => {
    const rows = await applyMembership(tx, {
      accountId: input.accountId,
      groupContactId: context.group.id,
      changes: [{ contactId: member.contactId, isActive: false }],
    });
    await recordMembersChanged(tx, {
      ...eventScope(context),
      action: 'remove',
      origin: 'parley',
      rows,
      actor: input.actor,
    });
  });
}

function eventScope(context: GroupContext) {
  return { group: context.group, inboxId: context.inbox.id };
}

async function activeMember(db: Db, context: GroupContext, memberId: number): Promise<GroupMemberRow> {
  const member = await findGroupMember(db, context.group.accountId, context.group.id, memberId);
  if (!member?.isActive) throw notFound('Group member');
  if (member.role === 'superadmin') {
    throw new DomainError('VALIDATION_FAILED', 'The group creator cannot be modified', [
      { path: 'member_id', message: 'is the group creator' },
    ]);
  }
  return member;
}

/** One participant action at the provider; anything but '200' is refused with the provider's status. */
async function callParticipant(
  db: Db,
  context: GroupContext,
  member: GroupMemberRow,
  action: 'promote' | 'demote' | 'remove',
): Promise<void> {
  const contact = await getContact(db, context.group.accountId, member.contactId);
  const jid = userJidOf(contact.phoneNumber ?? contact.identifier ?? '');
  const [outcome] = await callProvider(() =>
    context.provider.updateParticipants(context.instance, context.group.groupJid, [jid], action),
  );
  if (outcome?.status !== '200') {
    throw new DomainError(
      'VALIDATION_FAILED',
      `The provider refused to ${action} ${jid} (status ${outcome?.status ?? 'none'})`,
      [{ path: 'member_id', message: `could not be ${action === 'remove' ? 'removed' : `${action}d`}` }],
    );
  }
}
