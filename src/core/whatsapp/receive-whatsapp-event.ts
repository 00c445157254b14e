import { and, eq } from 'drizzle-orm';
import type { Db } from '../../platform/db/database.js';
import type { Actor } from '../../platform/events/outbox.js';
import { contacts } from '../contacts/contacts.tables.js';
import { addActivityMessage } from '../conversations/activity-messages.js';
import { createMessage } from '../conversations/create-message.js';
import { findInbox } from '../inboxes/inboxes.js';
import type { InboxRow } from '../inboxes/inboxes.tables.js';
import { applyGroupMetadata, recordGroupUpdate } from './apply-group-metadata.js';
import { findGroupByJid } from './group-context.js';
import { ensureGroupConversation, listUnresolvedGroupConversations } from './group-conversation.js';
import { applyMembership, recordMembersChanged, type MembershipChange } from './group-membership.js';
import { ensureMemberContact } from './member-contacts.js';
import { instanceOf, whatsappProviderFor } from './providers.js';
import { callProvider } from './whatsapp-provider.js';
import { isParleyMessageId } from './whatsapp-replies.js';
import {
  whatsappInboundEventSchema,
  type ParsedWhatsappEvent,
  type WhatsappInboundEvent,
} from './whatsapp-inbound.schema.js';

type GroupContact = NonNullable<Awaited<ReturnType<typeof findGroupByJid>>>;

export type ReceiveWhatsappOutcome =
  | { outcome: 'applied'; groupContactId: number; conversationId?: number; messageId?: number }
  | { outcome: 'duplicate'; groupContactId: number; conversationId: number; messageId: number }
  | { outcome: 'ignored'; reason: string };

const SYSTEM: Actor = { type: 'system' };

/**
 * The one way provider events enter Parley. Group events update the group and its members; a group
 * message becomes an incoming message in the group's conversation whose sender is the member
 * contact. A group Parley has not seen yet is first fetched from the provider and recorded.
 * Redelivery is harmless: member changes are idempotent and messages are stored once per id.
 */
export async function receiveWhatsappEvent(
  db: Db,
  raw: WhatsappInboundEvent,
): Promise<ReceiveWhatsappOutcome> {
  const event = whatsappInboundEventSchema.parse(raw);
  const inbox = await findInbox(db, event.accountId, event.inboxId);
  if (inbox?.channelType !== 'whatsapp') return { outcome: 'ignored', reason: 'no such WhatsApp inbox' };
  const groupJid = event.event === 'messages.upsert' ? event.data.key.remoteJid : event.data.id;
  if (!groupJid.endsWith('@g.us')) return { outcome: 'ignored', reason: 'not a group chat' };
  const group =
    (await findGroupByJid(db, inbox.accountId, groupJid)) ?? (await firstSight(db, inbox, groupJid));
  return db.transaction((tx) => apply(tx, inbox, group, event));
}

/** A group Parley learns of from the provider (the number was added to it elsewhere). */
async function firstSight(db: Db, inbox: InboxRow, groupJid: string): Promise<GroupContact> {
  const provider = whatsappProviderFor(db, inbox);
  const metadata = await callProvider(() => provider.groupMetadata(instanceOf(inbox), groupJid));
  return db.transaction((tx) =>
    applyGroupMetadata(tx, { inbox, metadata, origin: 'provider', actor: SYSTEM }),
  );
}

async function apply(
  tx: Db,
  inbox: InboxRow,
  group: GroupContact,
  event: ParsedWhatsappEvent,
): Promise<ReceiveWhatsappOutcome> {
  switch (event.event) {
    case 'group-participants.update':
      return applyParticipants(tx, inbox, group, event.data);
    case 'groups.update':
      return applyGroupUpdate(tx, inbox, group, event.data);
    case 'messages.upsert':
      return applyMessage(tx, inbox, group, event.data);
  }
}

const activityVerb = {
  add: 'joined',
  remove: 'left',
  promote: 'is now an admin',
  demote: 'is no longer an admin',
};

async function applyParticipants(
  tx: Db,
  inbox: InboxRow,
  group: GroupContact,
  data: Extract<ParsedWhatsappEvent, { event: 'group-participants.update' }>['data'],
): Promise<ReceiveWhatsappOutcome> {
  const changes: MembershipChange[] = [];
  const names: string[] = [];
  for (const jid of data.participants) {
    const contact = await ensureMemberContact(tx, {
      accountId: inbox.accountId,
      jid,
      pushName: data.pushNames?.[jid],
      actor: SYSTEM,
    });
    names.push(contact.name);
    if (data.action === 'remove') changes.push({ contactId: contact.id, isActive: false });
    else if (data.action === 'add') changes.push({ contactId: contact.id, isActive: true, role: 'member' });
    else
      changes.push({
        contactId: contact.id,
        isActive: true,
        role: data.action === 'promote' ? 'admin' : 'member',
      });
  }
  const rows = await applyMembership(tx, { accountId: inbox.accountId, groupContactId: group.id, changes });
  await recordMembersChanged(tx, {
    group,
    inboxId: inbox.id,
    action: data.action,
    origin: 'provider',
    rows,
    actor: SYSTEM,
  });
  // The fork shows group activity in the group's open conversation; it does not open one for it.
  const [conversation] = await listUnresolvedGroupConversations(tx, {
    accountId: inbox.accountId,
    inboxId: inbox.id,
    groupContactId: group.id,
  });
  if (conversation && rows.length > 0) {
    await addActivityMessage(tx, conversation, `${names.join(', ')} ${activityVerb[data.action]}`, SYSTEM);
  }
  return { outcome: 'applied', groupContactId: group.id };
}

async function applyGroupUpdate(
  tx: Db,
  inbox: InboxRow,
  group: GroupContact,
  data: Extract<ParsedWhatsappEvent, { event: 'groups.update' }>['data'],
): Promise<ReceiveWhatsappOutcome> {
  const settings = {
    ...(data.desc !== undefined && { description: data.desc }),
    ...(data.announce !== undefined && { announce: data.announce }),
    ...(data.restrict !== undefined && { restrict: data.restrict }),
    ...(data.joinApprovalMode !== undefined && { join_approval_mode: data.joinApprovalMode }),
    ...(data.memberAddMode !== undefined && { member_add_mode: data.memberAddMode }),
  };
  const [after] = await tx
    .update(contacts)
    .set({
      ...(data.subject !== undefined && { name: data.subject }),
      ...(data.pictureUrl !== undefined && { avatarUrl: data.pictureUrl }),
      additionalAttributes: { ...group.additionalAttributes, ...settings },
      updatedAt: new Date(),
    })
    .where(and(eq(contacts.accountId, group.accountId), eq(contacts.id, group.id)))
    .returning();
  if (!after) throw new Error('group contact vanished during update');
  await recordGroupUpdate(tx, {
    inbox,
    before: group,
    after: after as GroupContact,
    origin: 'provider',
    actor: SYSTEM,
  });
  return { outcome: 'applied', groupContactId: group.id };
}

async function applyMessage(
  tx: Db,
  inbox: InboxRow,
  group: GroupContact,
  data: Extract<ParsedWhatsappEvent, { event: 'messages.upsert' }>['data'],
): Promise<ReceiveWhatsappOutcome> {
  // The provider's echo of a reply Parley sent: the send job records it on the agent's message.
  if (data.key.fromMe && isParleyMessageId(data.key.id)) {
    return { outcome: 'ignored', reason: 'a message Parley sent' };
  }
  const content = data.message.conversation ?? data.message.extendedTextMessage?.text ?? '';
  if (content.trim() === '') return { outcome: 'ignored', reason: 'no text in the message' };
  if (!data.key.fromMe && !data.key.participant)
    return { outcome: 'ignored', reason: 'group message without sender' };
  let sender: { type: 'contact'; id: number } | null = null;
  if (!data.key.fromMe && data.key.participant) {
    const contact = await ensureMemberContact(tx, {
      accountId: inbox.accountId,
      jid: data.key.participant,
      pushName: data.pushName,
      actor: SYSTEM,
    });
    sender = { type: 'contact', id: contact.id };
    // Someone who writes in the group is in it, whether or not Parley saw them join.
    const rows = await applyMembership(tx, {
      accountId: inbox.accountId,
      groupContactId: group.id,
      changes: [{ contactId: contact.id, isActive: true }],
    });
    await recordMembersChanged(tx, {
      group,
      inboxId: inbox.id,
      action: 'add',
      origin: 'provider',
      rows,
      actor: SYSTEM,
    });
  }
  const actor: Actor = sender ? { type: 'contact', id: sender.id } : SYSTEM;
  const conversation = await ensureGroupConversation(tx, {
    accountId: inbox.accountId,
    inboxId: inbox.id,
    group,
    actor,
  });
  const created = await createMessage(tx, {
    accountId: inbox.accountId,
    conversationId: conversation.id,
    // A message the inbox's own phone sent (from the WhatsApp app) is outgoing, with no agent.
    messageType: data.key.fromMe ? 'outgoing' : 'incoming',
    content,
    sourceId: `whatsapp:${data.key.id}`,
    sender,
    actor,
  });
  const result = {
    groupContactId: group.id,
    conversationId: created.conversation.id,
    messageId: created.message.id,
  };
  return created.isDuplicate ? { outcome: 'duplicate', ...result } : { outcome: 'applied', ...result };
}
