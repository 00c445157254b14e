import { z } from 'zod';
import type {
  AttachmentSnapshot,
  MessageSnapshot,
  SenderSnapshot,
} from '../../../core/conversations/conversations.events.js';
import type { BlobStorage } from '../../../platform/storage/blob-storage.js';

/** Attachment links stay valid for a day: long enough for a webhook consumer to fetch the file. */
export const ATTACHMENT_URL_TTL_SECONDS = 24 * 60 * 60;

export type UrlSigner = Pick<BlobStorage, 'signedUrl'>;

const unixSeconds = (iso: string) => Math.floor(Date.parse(iso) / 1000);

export const chatwootMessageTypes = { incoming: 0, outgoing: 1, activity: 2, template: 3 } as const;

/** The seed's sender_type vocabulary: users are "agent". */
const senderTypes = { contact: 'contact', user: 'agent', agent_bot: 'agent_bot' } as const;

export const chatwootAttachmentSchema = z.object({
  id: z.number(),
  message_id: z.number(),
  file_type: z.string(),
  account_id: z.number(),
  extension: z.string().nullable(),
  data_url: z.string(),
  thumb_url: z.string(),
  file_size: z.number(),
  file_name: z.string().nullable(),
  coordinates_lat: z.number().optional(),
  coordinates_long: z.number().optional(),
});

export const chatwootSenderSchema = z.object({
  id: z.number(),
  name: z.string(),
  type: z.enum(['contact', 'user', 'agent_bot']),
  thumbnail: z.string(),
  avatar_url: z.string().optional(),
  available_name: z.string().optional(),
  email: z.string().optional(),
  phone_number: z.string().optional(),
  identifier: z.string().optional(),
  blocked: z.boolean().optional(),
  additional_attributes: z.record(z.string(), z.unknown()).optional(),
  custom_attributes: z.record(z.string(), z.unknown()).optional(),
});

/**
 * Seed schema `message`, plus Chatwoot's `attachments[]` and `echo_id`. The seed types no field as
 * nullable: a message without text, source id or sender leaves those fields out.
 */
export const chatwootMessageSchema = z.object({
  id: z.number(),
  content: z.string().optional(),
  account_id: z.number(),
  inbox_id: z.number(),
  conversation_id: z.number(),
  message_type: z.number().int(),
  created_at: z.number().int(),
  updated_at: z.number().int(),
  private: z.boolean(),
  status: z.enum(['sent', 'delivered', 'read', 'failed']),
  source_id: z.string().optional(),
  echo_id: z.string().optional(),
  content_type: z.string(),
  content_attributes: z.record(z.string(), z.unknown()),
  sender_type: z.enum(['contact', 'agent', 'agent_bot']).optional(),
  sender_id: z.number().optional(),
  external_source_ids: z.record(z.string(), z.unknown()),
  additional_attributes: z.record(z.string(), z.unknown()),
  processed_message_content: z.string().optional(),
  sentiment: z.record(z.string(), z.unknown()),
  attachments: z.array(chatwootAttachmentSchema),
  sender: chatwootSenderSchema.optional(),
});
export type ChatwootMessage = z.infer<typeof chatwootMessageSchema>;

function extensionOf(fileName: string | null): string | null {
  const match = fileName ? /\.([A-Za-z0-9]{1,10})$/.exec(fileName) : null;
  return match?.[1]?.toLowerCase() ?? null;
}

export function toChatwootAttachment(
  attachment: AttachmentSnapshot,
  message: Pick<MessageSnapshot, 'id' | 'accountId'>,
  signer: UrlSigner,
): z.infer<typeof chatwootAttachmentSchema> {
  const dataUrl = attachment.blobKey
    ? signer.signedUrl(attachment.blobKey, { expiresInSeconds: ATTACHMENT_URL_TTL_SECONDS })
    : (attachment.externalUrl ?? '');
  return {
    id: attachment.id,
    message_id: message.id,
    file_type: attachment.fileType,
    account_id: message.accountId,
    extension: extensionOf(attachment.fileName),
    data_url: dataUrl,
    // Parley makes no thumbnails; images serve as their own.
    thumb_url: attachment.fileType === 'image' ? dataUrl : '',
    file_size: attachment.byteSize ?? 0,
    file_name: attachment.fileName,
    ...(attachment.coordinates
      ? { coordinates_lat: attachment.coordinates.lat, coordinates_long: attachment.coordinates.long }
      : {}),
  };
}

/** Chatwoot's push_event_data of the sender: contacts in full, agents and bots in brief. */
export function toChatwootSender(sender: SenderSnapshot): z.infer<typeof chatwootSenderSchema> {
  const thumbnail = sender.avatarUrl ?? '';
  if (sender.type === 'contact') {
    return {
      id: sender.id,
      name: sender.name,
      type: 'contact',
      thumbnail,
      // The seed's contact_detail has a string email; what a contact lacks is left out.
      email: sender.email ?? undefined,
      phone_number: sender.contact?.phoneNumber ?? undefined,
      identifier: sender.contact?.identifier ?? undefined,
      blocked: sender.contact?.blocked ?? false,
      additional_attributes: sender.contact?.additionalAttributes ?? {},
      custom_attributes: sender.contact?.customAttributes ?? {},
    };
  }
  return {
    id: sender.id,
    name: sender.name,
    type: sender.type,
    thumbnail,
    avatar_url: thumbnail,
    ...(sender.type === 'user' ? { available_name: sender.name, email: sender.email ?? undefined } : {}),
  };
}

/** `conversation_id` is the conversation's display id, as everywhere Chatwoot shows it. */
export function toChatwootMessage(message: MessageSnapshot, signer: UrlSigner): ChatwootMessage {
  return {
    id: message.id,
    content: message.content ?? undefined,
    account_id: message.accountId,
    inbox_id: message.inboxId,
    conversation_id: message.conversationDisplayId,
    message_type: chatwootMessageTypes[message.messageType],
    created_at: unixSeconds(message.createdAt),
    updated_at: unixSeconds(message.updatedAt),
    private: message.private,
    status: message.status as ChatwootMessage['status'],
    source_id: message.sourceId ?? undefined,
    echo_id: message.echoId ?? undefined,
    content_type: message.contentType,
    content_attributes: message.contentAttributes,
    sender_type: message.senderType ? senderTypes[message.senderType] : undefined,
    sender_id: message.senderId ?? undefined,
    external_source_ids: message.externalSourceIds,
    additional_attributes: message.additionalAttributes,
    processed_message_content: message.content ?? undefined,
    sentiment: {},
    attachments: message.attachments.map((attachment) => toChatwootAttachment(attachment, message, signer)),
    sender: message.sender ? toChatwootSender(message.sender) : undefined,
  };
}
