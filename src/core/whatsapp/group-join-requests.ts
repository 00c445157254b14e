import type { Db } from '../../platform/db/database.js';
import { recordEvent, type Actor } from '../../platform/events/outbox.js';
import { groupRefOf, loadGroup } from './group-context.js';
import { applyMembership, recordMembersChanged } from './group-membership.js';
import { ensureMemberContact } from './member-contacts.js';
import {
  callProvider,
  userJidOf,
  type ParticipantOutcome,
  type ProviderJoinRequest,
} from './whatsapp-provider.js';
import { whatsappGroupJoinRequestsHandled } from './whatsapp.events.js';

/** Pending requests to join the group (groups with join approval on), as the provider lists them. */
export async function listGroupJoinRequests(
  db: Db,
  accountId: number,
  contactId: number,
): Promise<ProviderJoinRequest[]> {
  const { provider, instance, group } = await loadGroup(db, accountId, contactId);
  return callProvider(() => provider.joinRequests(instance, group.groupJid));
}

/** Approves (they become members) or rejects pending join requests. */
export async function handleGroupJoinRequests(
  db: Db,
  input: {
    accountId: number;
    contactId: number;
    participants: string[];
    action: 'approve' | 'reject';
    actor: Actor;
  },
): Promise<ParticipantOutcome[]> {
  const context = await loadGroup(db, input.accountId, input.contactId);
  const jids = [...new Set(input.participants.map(userJidOf))];
  const outcomes = await callProvider(() =>
    context.provider.handleJoinRequests(context.instance, context.group.groupJid, jids, input.action),
  );
  await db.transaction(async (tx) => {
    if (input.action === 'approve') {
      const changes = [];
      for (const outcome of outcomes.filter((item) => item.status === '200')) {
        const contact = await ensureMemberContact(tx, {
          accountId: input.accountId,
          jid: outcome.jid,
          actor: input.actor,
        });
        changes.push({ contactId: contact.id, isActive: true, role: 'member' as const });
      }
      const rows = await applyMembership(tx, {
        accountId: input.accountId,
        groupContactId: context.group.id,
        changes,
      });
      await recordMembersChanged(tx, {
        group: context.group,
        inboxId: context.inbox.id,
        action: 'add',
        origin: 'parley',
        rows,
        actor: input.actor,
      });
    }
    await recordEvent(tx, whatsappGroupJoinRequestsHandled, {
      accountId: input.accountId,
      aggregateId: context.group.id,
      payload: { ...groupRefOf(context), action: input.action, participants: outcomes },
      actor: input.actor,
    });
  });
  return outcomes;
}
