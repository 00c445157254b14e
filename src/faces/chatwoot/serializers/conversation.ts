import { z } from 'zod';
import type {
  ConversationSnapshot,
  MessageSnapshot,
} from '../../../core/conversations/conversations.events.js';
import type { ContactSnapshot } from '../../../core/contacts/contacts.events.js';
import { chatwootChannelTypes } from './inbox.js';
import { toChatwootAvailability } from './agent.js';
import { chatwootMessageSchema, toChatwootMessage, type UrlSigner } from './message.js';

const unixSeconds = (iso: string) => Math.floor(Date.parse(iso) / 1000);
/** The seed types these times as plain numbers: a time that never happened is left out, not null. */
const unixOrOmit = (iso: string | null) => (iso === null ? undefined : unixSeconds(iso));

/** The contact as a conversation's `meta.sender` (seed `conversation_list` item meta). */
export const chatwootConversationSenderSchema = z.object({
  id: z.number(),
  name: z.string(),
  email: z.string().optional(),
  phone_number: z.string().optional(),
  identifier: z.string().optional(),
  thumbnail: z.string(),
  availability_status: z.string(),
  blocked: z.boolean(),
  additional_attributes: z.record(z.string(), z.unknown()),
  custom_attributes: z.record(z.string(), z.unknown()),
  last_activity_at: z.number().optional(),
  created_at: z.number(),
  type: z.literal('contact'),
});

export const chatwootConversationAssigneeSchema = z.object({
  id: z.number(),
  account_id: z.number(),
  name: z.string(),
  available_name: z.string(),
  email: z.string(),
  avatar_url: z.string(),
  thumbnail: z.string(),
  availability_status: z.string(),
  type: z.literal('user'),
});

export const chatwootConversationMetaSchema = z.object({
  sender: chatwootConversationSenderSchema,
  assignee: chatwootConversationAssigneeSchema.optional(),
  team: z.object({ id: z.number(), name: z.string() }).optional(),
  hmac_verified: z.boolean(),
  channel: z.string(),
});

/**
 * Seed schemas `conversation` + `conversation_show` (and each `conversation_list` payload item).
 * The seed types no field of a conversation as nullable: what is unset is left out.
 */
export const chatwootConversationSchema = z.object({
  id: z.number(),
  account_id: z.number(),
  uuid: z.string(),
  inbox_id: z.number(),
  status: z.enum(['open', 'resolved', 'pending', 'snoozed']),
  priority: z.string().optional(),
  snoozed_until: z.number().optional(),
  unread_count: z.number(),
  labels: z.array(z.string()),
  muted: z.boolean(),
  can_reply: z.boolean(),
  timestamp: z.string(),
  created_at: z.number(),
  updated_at: z.number(),
  last_activity_at: z.number(),
  agent_last_seen_at: z.number().optional(),
  assignee_last_seen_at: z.number().optional(),
  contact_last_seen_at: z.number().optional(),
  first_reply_created_at: z.number().optional(),
  waiting_since: z.number().optional(),
  custom_attributes: z.record(z.string(), z.unknown()),
  additional_attributes: z.record(z.string(), z.unknown()),
  sla_policy_id: z.number().optional(),
  applied_sla: z.record(z.string(), z.unknown()).optional(),
  sla_events: z.array(z.record(z.string(), z.unknown())),
  messages: z.array(chatwootMessageSchema),
  last_non_activity_message: chatwootMessageSchema.optional(),
  meta: chatwootConversationMetaSchema,
});
export type ChatwootConversation = z.infer<typeof chatwootConversationSchema>;

export function toChatwootConversationSender(
  contact: ContactSnapshot,
): z.infer<typeof chatwootConversationSenderSchema> {
  return {
    id: contact.id,
    name: contact.name,
    email: contact.email ?? undefined,
    phone_number: contact.phoneNumber ?? undefined,
    identifier: contact.identifier ?? undefined,
    thumbnail: contact.avatarUrl ?? '',
    // Contacts have no presence tracking in Parley.
    availability_status: 'offline',
    blocked: contact.blocked,
    additional_attributes: contact.additionalAttributes,
    custom_attributes: contact.customAttributes,
    last_activity_at: unixOrOmit(contact.lastActivityAt),
    created_at: unixSeconds(contact.createdAt),
    type: 'contact',
  };
}

export function toChatwootConversationAssignee(
  conversation: ConversationSnapshot,
): z.infer<typeof chatwootConversationAssigneeSchema> | undefined {
  const assignee = conversation.assignee;
  if (!assignee) return undefined;
  return {
    id: assignee.id,
    account_id: conversation.accountId,
    name: assignee.name,
    available_name: assignee.displayName ?? assignee.name,
    email: assignee.email,
    avatar_url: assignee.avatarUrl ?? '',
    thumbnail: assignee.avatarUrl ?? '',
    availability_status: toChatwootAvailability(assignee.availability as 'online' | 'busy' | 'offline'),
    type: 'user',
  };
}

function channelOf(channelType: string): string {
  return channelType in chatwootChannelTypes
    ? chatwootChannelTypes[channelType as keyof typeof chatwootChannelTypes]
    : channelType;
}

/**
 * A conversation as Chatwoot's application API shows it. `id` is the display id. Times are
 * unix seconds; `timestamp` is the last activity, the same seconds as text because the seed types
 * it as a string (Chatwoot's own view sends the number).
 */
export function toChatwootConversation(
  conversation: ConversationSnapshot,
  lastMessage: MessageSnapshot | null,
  signer: UrlSigner,
  options: { messages?: MessageSnapshot[]; hmacVerified?: boolean } = {},
): ChatwootConversation {
  // Shown twice in a list item (its messages and last_non_activity_message): built once.
  const last = lastMessage ? toChatwootMessage(lastMessage, signer) : undefined;
  return {
    id: conversation.displayId,
    account_id: conversation.accountId,
    uuid: conversation.uuid,
    inbox_id: conversation.inboxId,
    status: conversation.status as ChatwootConversation['status'],
    priority: conversation.priority ?? undefined,
    snoozed_until: unixOrOmit(conversation.snoozedUntil),
    unread_count: conversation.unreadCount,
    labels: conversation.labels,
    muted: conversation.muted,
    can_reply: !conversation.contact.blocked,
    timestamp: String(unixSeconds(conversation.lastActivityAt)),
    created_at: unixSeconds(conversation.createdAt),
    updated_at: unixSeconds(conversation.updatedAt),
    last_activity_at: unixSeconds(conversation.lastActivityAt),
    agent_last_seen_at: unixOrOmit(conversation.agentLastSeenAt),
    assignee_last_seen_at: unixOrOmit(conversation.assigneeLastSeenAt),
    contact_last_seen_at: unixOrOmit(conversation.contactLastSeenAt),
    first_reply_created_at: unixOrOmit(conversation.firstReplyCreatedAt),
    waiting_since: unixOrOmit(conversation.waitingSince),
    custom_attributes: conversation.customAttributes,
    additional_attributes: conversation.additionalAttributes,
    // SLA policies are an Enterprise feature Parley does not have: no policy, nothing applied.
    sla_events: [],
    messages: options.messages
      ? options.messages.map((message) => toChatwootMessage(message, signer))
      : last
        ? [last]
        : [],
    last_non_activity_message: last,
    meta: {
      sender: toChatwootConversationSender(conversation.contact),
      assignee: toChatwootConversationAssignee(conversation),
      team: conversation.team ?? undefined,
      hmac_verified: options.hmacVerified ?? false,
      channel: channelOf(conversation.inbox.channelType),
    },
  };
}
