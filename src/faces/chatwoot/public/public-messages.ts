import { z } from 'zod';
import type {
  AttachmentSnapshot,
  MessageSnapshot,
  SenderSnapshot,
} from '../../../core/conversations/conversations.events.js';
import { chatwootMessageTypes, toChatwootAttachment, type UrlSigner } from '../serializers/message.js';

/*
 * Messages as the client API shows them to a visitor. The seed gives them two shapes: the
 * messages routes answer `public_message`, whose id, type, time and content attributes are typed
 * string, while a conversation's `messages` are the application API's `message` (numbers and an
 * object). Both are followed as written; fields the seed types without null are left out when
 * Parley has no value.
 */

const unixSeconds = (iso: string) => Math.floor(Date.parse(iso) / 1000);

/** The seed's sender_type vocabulary: users are "agent". */
const senderTypes = { contact: 'contact', user: 'agent', agent_bot: 'agent_bot' } as const;

export const publicAttachmentSchema = z.object({
  id: z.number(),
  message_id: z.number(),
  file_type: z.string(),
  account_id: z.number(),
  extension: z.string().optional(),
  data_url: z.string(),
  thumb_url: z.string(),
  file_size: z.number(),
  file_name: z.string().optional(),
  coordinates_lat: z.number().optional(),
  coordinates_long: z.number().optional(),
});

function toPublicAttachment(
  attachment: AttachmentSnapshot,
  message: MessageSnapshot,
  signer: UrlSigner,
): z.infer<typeof publicAttachmentSchema> {
  const { extension, file_name: fileName, ...rest } = toChatwootAttachment(attachment, message, signer);
  return {
    ...rest,
    ...(typeof extension === 'string' && { extension }),
    ...(typeof fileName === 'string' && { file_name: fileName }),
  };
}

/**
 * Chatwoot's push_event_data of the sender, as a visitor may see it: name and picture only, never
 * an agent's email or another contact's details.
 */
export const publicSenderSchema = z.object({
  id: z.number(),
  name: z.string(),
  type: z.enum(['contact', 'user', 'agent_bot']),
  thumbnail: z.string(),
  avatar_url: z.string(),
  available_name: z.string().optional(),
});

function toPublicSender(sender: SenderSnapshot): z.infer<typeof publicSenderSchema> {
  const thumbnail = sender.avatarUrl ?? '';
  return {
    id: sender.id,
    name: sender.name,
    type: sender.type,
    thumbnail,
    avatar_url: thumbnail,
    ...(sender.type === 'user' && { available_name: sender.name }),
  };
}

/** Seed `public_message` (the messages routes). */
export const publicMessageSchema = z.object({
  id: z.string(),
  content: z.string().optional(),
  message_type: z.string(),
  content_type: z.string(),
  /** JSON text of the attributes (form answers, options...), as the seed types it. */
  content_attributes: z.string(),
  created_at: z.string(),
  conversation_id: z.string(),
  attachments: z.array(publicAttachmentSchema),
  sender: publicSenderSchema.optional(),
});
export type PublicMessage = z.infer<typeof publicMessageSchema>;

export function toPublicMessage(message: MessageSnapshot, signer: UrlSigner): PublicMessage {
  return {
    id: String(message.id),
    ...(message.content !== null && { content: message.content }),
    message_type: String(chatwootMessageTypes[message.messageType]),
    content_type: message.contentType,
    content_attributes: JSON.stringify(message.contentAttributes),
    created_at: String(unixSeconds(message.createdAt)),
    conversation_id: String(message.conversationDisplayId),
    attachments: message.attachments.map((attachment) => toPublicAttachment(attachment, message, signer)),
    ...(message.sender && { sender: toPublicSender(message.sender) }),
  };
}

/** Seed `message`: what a `public_conversation` lists in `messages`. */
export const publicThreadMessageSchema = z.object({
  id: z.number(),
  content: z.string().optional(),
  account_id: z.number(),
  inbox_id: z.number(),
  conversation_id: z.number(),
  message_type: z.number().int(),
  created_at: z.number().int(),
  updated_at: z.number().int(),
  private: z.boolean(),
  status: z.string(),
  content_type: z.string(),
  content_attributes: z.record(z.string(), z.unknown()),
  sender_type: z.enum(['contact', 'agent', 'agent_bot']).optional(),
  sender_id: z.number().optional(),
  attachments: z.array(publicAttachmentSchema),
  sender: publicSenderSchema.optional(),
});
export type PublicThreadMessage = z.infer<typeof publicThreadMessageSchema>;

export function toPublicThreadMessage(message: MessageSnapshot, signer: UrlSigner): PublicThreadMessage {
  return {
    id: message.id,
    ...(message.content !== null && { content: message.content }),
    account_id: message.accountId,
    inbox_id: message.inboxId,
    conversation_id: message.conversationDisplayId,
    message_type: chatwootMessageTypes[message.messageType],
    created_at: unixSeconds(message.createdAt),
    updated_at: unixSeconds(message.updatedAt),
    private: message.private,
    status: message.status,
    content_type: message.contentType,
    content_attributes: message.contentAttributes,
    ...(message.senderType !== null && { sender_type: senderTypes[message.senderType] }),
    ...(message.senderId !== null && { sender_id: message.senderId }),
    attachments: message.attachments.map((attachment) => toPublicAttachment(attachment, message, signer)),
    ...(message.sender && { sender: toPublicSender(message.sender) }),
  };
}
