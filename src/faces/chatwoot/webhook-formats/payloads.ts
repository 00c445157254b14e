import type { ContactSnapshot } from '../../../core/contacts/contacts.events.js';
import type {
  AttachmentSnapshot,
  ConversationSnapshot,
  MessageSnapshot,
  SenderSnapshot,
} from '../../../core/conversations/conversations.events.js';
import type { BlobStorage } from '../../../platform/storage/blob-storage.js';

/**
 * Chatwoot's webhook bodies, built from event snapshots only (formats render without the
 * database). Field names and types follow Chatwoot's `webhook_data` / `push_event_data`:
 * conversation timestamps are Unix seconds, message `created_at` is an ISO string.
 */

// Long enough for a receiver that processes a backlog after an outage.
const ATTACHMENT_URL_TTL_SECONDS = 7 * 24 * 3600;

type Json = Record<string, unknown>;

export interface PayloadContext {
  storage: BlobStorage;
  account: { id: number; name: string };
}

const messageTypeCodes = { incoming: 0, outgoing: 1, activity: 2, template: 3 } as const;

function unixSeconds(iso: string | null): number {
  return iso ? Math.floor(Date.parse(iso) / 1000) : 0;
}

export function contactWebhookData(contact: ContactSnapshot, context: PayloadContext): Json {
  return {
    account: context.account,
    additional_attributes: contact.additionalAttributes,
    avatar: contact.avatarUrl ?? '',
    custom_attributes: contact.customAttributes,
    email: contact.email,
    id: contact.id,
    identifier: contact.identifier,
    name: contact.name,
    phone_number: contact.phoneNumber,
    thumbnail: contact.avatarUrl ?? '',
    blocked: contact.blocked,
  };
}

function contactPushData(contact: ContactSnapshot): Json {
  return {
    additional_attributes: contact.additionalAttributes,
    custom_attributes: contact.customAttributes,
    email: contact.email,
    id: contact.id,
    identifier: contact.identifier,
    name: contact.name,
    phone_number: contact.phoneNumber,
    thumbnail: contact.avatarUrl ?? '',
    blocked: contact.blocked,
    type: 'contact',
  };
}

function senderWebhookData(sender: SenderSnapshot | null, context: PayloadContext): Json | null {
  if (!sender) return null;
  if (sender.type === 'contact' && sender.contact) return contactWebhookData(sender.contact, context);
  if (sender.type === 'agent_bot') {
    return { id: sender.id, name: sender.name, avatar_url: sender.avatarUrl ?? '', type: 'agent_bot' };
  }
  return { id: sender.id, name: sender.name, email: sender.email, type: sender.type };
}

function fileExtension(attachment: AttachmentSnapshot): string | null {
  const match = /\.([A-Za-z0-9]+)$/.exec(attachment.fileName ?? '');
  return match?.[1] ?? null;
}

export function attachmentData(
  attachment: AttachmentSnapshot,
  message: MessageSnapshot,
  storage: BlobStorage,
): Json {
  const url = attachment.blobKey
    ? storage.signedUrl(attachment.blobKey, { expiresInSeconds: ATTACHMENT_URL_TTL_SECONDS })
    : (attachment.externalUrl ?? '');
  return {
    id: attachment.id,
    message_id: message.id,
    file_type: attachment.fileType,
    account_id: message.accountId,
    extension: fileExtension(attachment),
    data_url: url,
    thumb_url: attachment.fileType === 'image' ? url : '',
    file_size: attachment.byteSize ?? 0,
    ...(attachment.coordinates && {
      coordinates_lat: attachment.coordinates.lat,
      coordinates_long: attachment.coordinates.long,
    }),
  };
}

/** The message as it appears inside a conversation's `messages` (Chatwoot's push_event_data). */
function messagePushData(message: MessageSnapshot, storage: BlobStorage): Json {
  return {
    id: message.id,
    content: message.content,
    account_id: message.accountId,
    inbox_id: message.inboxId,
    conversation_id: message.conversationDisplayId,
    message_type: messageTypeCodes[message.messageType],
    created_at: unixSeconds(message.createdAt),
    updated_at: message.updatedAt,
    private: message.private,
    status: message.status,
    source_id: message.sourceId,
    content_type: message.contentType,
    content_attributes: message.contentAttributes,
    sender_type: senderTypeName(message.senderType),
    sender_id: message.senderId,
    external_source_ids: message.externalSourceIds,
    additional_attributes: message.additionalAttributes,
    ...(message.attachments.length > 0 && {
      attachments: message.attachments.map((attachment) => attachmentData(attachment, message, storage)),
    }),
  };
}

function senderTypeName(type: MessageSnapshot['senderType']): string | null {
  if (type === 'contact') return 'Contact';
  if (type === 'user') return 'User';
  if (type === 'agent_bot') return 'AgentBot';
  return null;
}

function assigneePushData(conversation: ConversationSnapshot): Json | null {
  const assignee = conversation.assignee;
  if (!assignee) return null;
  return {
    id: assignee.id,
    name: assignee.name,
    available_name: assignee.displayName ?? assignee.name,
    avatar_url: assignee.avatarUrl ?? '',
    type: 'user',
    availability_status: assignee.availability,
    thumbnail: assignee.avatarUrl ?? '',
  };
}

const channelClassNames: Record<string, string> = {
  api: 'Channel::Api',
  web_widget: 'Channel::WebWidget',
  email: 'Channel::Email',
  sms: 'Channel::Sms',
  whatsapp: 'Channel::Whatsapp',
  voice: 'Channel::Voice',
};

export function channelClassName(channelType: string): string {
  return channelClassNames[channelType] ?? channelType;
}

/**
 * Chatwoot's conversation `webhook_data` (its push data). `lastMessage` fills `messages`, as
 * Chatwoot shows the last non-private, non-activity message there.
 */
export function conversationWebhookData(
  conversation: ConversationSnapshot,
  context: PayloadContext,
  lastMessage?: MessageSnapshot,
): Json {
  const isChat = lastMessage && !lastMessage.private && lastMessage.messageType !== 'activity';
  return {
    additional_attributes: conversation.additionalAttributes,
    can_reply: true,
    channel: channelClassName(conversation.inbox.channelType),
    contact_inbox: conversation.contactInbox
      ? {
          id: conversation.contactInbox.id,
          contact_id: conversation.contact.id,
          inbox_id: conversation.inboxId,
          source_id: conversation.contactInbox.sourceId,
        }
      : null,
    id: conversation.displayId,
    inbox_id: conversation.inboxId,
    messages: isChat ? [messagePushData(lastMessage, context.storage)] : [],
    labels: conversation.labels,
    meta: {
      sender: contactPushData(conversation.contact),
      assignee: assigneePushData(conversation),
      assignee_type: conversation.assignee ? 'User' : null,
      team: conversation.team,
      hmac_verified: conversation.contactInbox?.hmacVerified ?? false,
    },
    status: conversation.status,
    custom_attributes: conversation.customAttributes,
    snoozed_until: conversation.snoozedUntil,
    unread_count: conversation.unreadCount,
    first_reply_created_at: conversation.firstReplyCreatedAt,
    priority: conversation.priority,
    waiting_since: unixSeconds(conversation.waitingSince),
    agent_last_seen_at: unixSeconds(conversation.agentLastSeenAt),
    contact_last_seen_at: unixSeconds(conversation.contactLastSeenAt),
    last_activity_at: unixSeconds(conversation.lastActivityAt),
    timestamp: unixSeconds(conversation.lastActivityAt),
    created_at: unixSeconds(conversation.createdAt),
    updated_at: Date.parse(conversation.updatedAt) / 1000,
  };
}

/** Chatwoot's message `webhook_data`: the message with its conversation, inbox and account inline. */
export function messageWebhookData(
  message: MessageSnapshot,
  conversation: ConversationSnapshot,
  context: PayloadContext,
): Json {
  return {
    account: context.account,
    additional_attributes: message.additionalAttributes,
    content_attributes: message.contentAttributes,
    content_type: message.contentType,
    content: message.content,
    conversation: conversationWebhookData(conversation, context, message),
    created_at: message.createdAt,
    id: message.id,
    inbox: { id: conversation.inbox.id, name: conversation.inbox.name },
    message_type: message.messageType,
    private: message.private,
    sender: senderWebhookData(message.sender, context),
    source_id: message.sourceId,
    ...(message.attachments.length > 0 && {
      attachments: message.attachments.map((attachment) =>
        attachmentData(attachment, message, context.storage),
      ),
    }),
  };
}

/** `[{attr: {previous_value, current_value}}]`, the shape of Chatwoot's `changed_attributes`. */
export function changedAttributes(changes: Record<string, { from: unknown; to: unknown }>): Json[] {
  return Object.entries(changes).map(([attribute, change]) => ({
    [snakeCase(attribute)]: { previous_value: change.from ?? null, current_value: change.to ?? null },
  }));
}

function snakeCase(name: string): string {
  return name.replace(/[A-Z]/g, (letter) => `_${letter.toLowerCase()}`);
}
