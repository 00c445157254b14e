import { channelTypes, type ChannelType } from '../../core/inboxes/inboxes.tables.js';
import { dixaChannelOf } from '../../core/conversations/conversation-channels.js';
import type { ConversationSnapshot } from '../../core/conversations/conversations.events.js';
import type { DixaContactRow, DixaLookups, DixaUserRow } from './webhook-lookups.js';

/*
 * The objects inside a Dixa webhook's `data`, shaped as Dixa's public webhook docs and sample
 * payloads show them (docs.dixa.io "Webhook payloads"): snake_case fields, UUID ids (users.uuid,
 * contacts.uuid, queues' uuid), `csid` the conversation's number (the Dixa face's conversation id),
 * upper-case enum values (WIDGET_CHAT, OPEN, INBOUND), and `null` where the value is unknown.
 */

export type Json = Record<string, unknown>;
export interface QueueRef {
  uuid: string;
  name: string;
}

const upperSnake = (value: string) => value.replace(/([a-z])([A-Z])/g, '$1_$2').toUpperCase();

/** Dixa's conversation states: closed is Parley's resolved, pending (a follow-up) is snoozed. */
const statusOf: Record<string, string> = {
  open: 'OPEN',
  pending: 'OPEN',
  snoozed: 'PENDING',
  resolved: 'CLOSED',
};

export function memberOf(user: DixaUserRow | null): Json | null {
  if (!user) return null;
  return {
    id: user.uuid,
    name: user.displayName ?? user.name,
    email: user.email,
    phone: user.phoneNumber,
    roles: [],
    user_type: 'Member',
  };
}

export function endUserOfRow(row: DixaContactRow): Json {
  return {
    id: row.uuid,
    name: row.name,
    email: row.email,
    phone: row.phoneNumber,
    roles: [],
    user_type: 'Contact',
  };
}

/** The end user as the event saw them, under their Dixa id; null once the contact is gone (merged, deleted). */
export function endUserOf(
  lookups: DixaLookups,
  accountId: number,
  contact: { id: number; name: string; email: string | null; phoneNumber: string | null },
): Json | null {
  const row = lookups.contact(accountId, contact.id);
  return row
    ? endUserOfRow({ ...row, name: contact.name, email: contact.email, phoneNumber: contact.phoneNumber })
    : null;
}

function channelOf(conversation: ConversationSnapshot): string {
  const channelType = (channelTypes as readonly string[]).includes(conversation.inbox.channelType)
    ? (conversation.inbox.channelType as ChannelType)
    : 'api';
  return upperSnake(dixaChannelOf({ channelType, additionalAttributes: conversation.additionalAttributes }));
}

export function queueOf(queue: QueueRef | null | undefined): Json | null {
  return queue ? { id: queue.uuid, name: queue.name } : null;
}

/** Dixa's Conversation object; `queue` is known only to routing events (others send null). */
export function conversationOf(
  conversation: ConversationSnapshot,
  lookups: DixaLookups,
  queue: QueueRef | null = null,
): Json {
  const row = lookups.conversation(conversation.accountId, conversation.id);
  const contactPoint = lookups.contactPoint(conversation.accountId, conversation.inboxId);
  return {
    csid: conversation.displayId,
    channel: channelOf(conversation),
    status: statusOf[conversation.status] ?? 'OPEN',
    direction: (row?.direction ?? 'inbound').toUpperCase(),
    // Dixa's contact_point is optional: omitted where the channel has no address (chat, API).
    ...(contactPoint !== null && { contact_point: contactPoint }),
    created_at: conversation.createdAt,
    queue: queueOf(queue),
    requester: endUserOf(lookups, conversation.accountId, conversation.contact),
    assignee: memberOf(lookups.user(conversation.assigneeId)),
    subject: row?.subject ?? null,
    tags: conversation.labels.map((name) => {
      const tag = lookups.tag(conversation.accountId, name);
      return tag
        ? { id: tag.uuid, name, is_deactivated: tag.isDeactivated }
        : { name, is_deactivated: false };
    }),
  };
}
