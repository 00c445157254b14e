import type { Db } from '../../platform/db/database.js';
import { recordEvent, type Actor } from '../../platform/events/outbox.js';
import { findContactBy } from '../contacts/contacts.js';
import { toggleConversationStatus } from '../conversations/update-conversation.js';
import { groupRefOf, loadGroup } from './group-context.js';
import { listUnresolvedGroupConversations } from './group-conversation.js';
import { applyMembership, recordMembersChanged } from './group-membership.js';
import { phoneOfJid } from './member-contacts.js';
import { callProvider } from './whatsapp-provider.js';
import { whatsappGroupLeft } from './whatsapp.events.js';

/**
 * The inbox's number leaves the group: the provider is told, the inbox's own membership ends, and
 * the group's open, pending and snoozed conversations are resolved (nobody can answer there now).
 */
export async function leaveGroup(
  db: Db,
  input: { accountId: number; contactId: number; actor: Actor },
): Promise<{ resolvedConversationIds: number[] }> {
  const context = await loadGroup(db, input.accountId, input.contactId);
  await callProvider(() => context.provider.leave(context.instance, context.group.groupJid));
  return db.transaction(async (tx) => {
    const ownPhone = context.instance.ownJid ? phoneOfJid(context.instance.ownJid) : null;
    const self = ownPhone ? await findContactBy(tx, input.accountId, { phoneNumber: ownPhone }) : null;
    if (self) {
      const rows = await applyMembership(tx, {
        accountId: input.accountId,
        groupContactId: context.group.id,
        changes: [{ contactId: self.id, isActive: false }],
      });
      await recordMembersChanged(tx, {
        group: context.group,
        inboxId: context.inbox.id,
        action: 'remove',
        origin: 'parley',
        rows,
        actor: input.actor,
      });
    }
    const open = await listUnresolvedGroupConversations(tx, {
      accountId: input.accountId,
      inboxId: context.inbox.id,
      groupContactId: context.group.id,
    });
    for (const conversation of open) {
      await toggleConversationStatus(tx, {
        accountId: input.accountId,
        conversationId: conversation.id,
        status: 'resolved',
        actor: input.actor,
      });
    }
    const resolvedConversationIds = open.map((conversation) => conversation.id);
    await recordEvent(tx, whatsappGroupLeft, {
      accountId: input.accountId,
      aggregateId: context.group.id,
      payload: { ...groupRefOf(context), resolvedConversationIds },
      actor: input.actor,
    });
    return { resolvedConversationIds };
  });
}
