import { z } from 'zod';
import type { BlobStorage } from '../../platform/storage/blob-storage.js';
import type { ConversationView } from '../../core/conversations/conversation-views.js';
import type {
  AttachmentSnapshot,
  ConversationSnapshot,
  MessageSnapshot,
} from '../../core/conversations/conversations.events.js';
import type { ContactSnapshot } from '../../core/contacts/contacts.events.js';
import {
  attachmentFileTypes,
  conversationPriorities,
  type AttachmentFileType,
  conversationStatuses,
  messageStatuses,
  messageTypes,
  senderTypes,
} from '../../core/conversations/conversations.tables.js';
import { channelTypes, type ChannelType } from '../../core/inboxes/inboxes.tables.js';
import { isoDate } from './schemas.js';

/** Long enough for a thread left open all day; the URL is the credential, so not forever. */
const ATTACHMENT_URL_TTL_SECONDS = 24 * 60 * 60;

export const contactSummarySchema = z.object({
  id: z.number(),
  name: z.string(),
  email: z.string().nullable(),
  phoneNumber: z.string().nullable(),
  avatarUrl: z.string().nullable(),
});

export const lastMessageSchema = z.object({
  id: z.number(),
  content: z.string().nullable(),
  messageType: z.enum(messageTypes),
  private: z.boolean(),
  createdAt: isoDate,
});

export const conversationSchema = z.object({
  id: z.number(),
  displayId: z.number(),
  inboxId: z.number(),
  inbox: z.object({ id: z.number(), name: z.string(), channelType: z.enum(channelTypes) }),
  contact: contactSummarySchema,
  status: z.enum(conversationStatuses),
  priority: z.enum(conversationPriorities).nullable(),
  assignee: z.object({ id: z.number(), name: z.string(), avatarUrl: z.string().nullable() }).nullable(),
  team: z.object({ id: z.number(), name: z.string() }).nullable(),
  labels: z.array(z.string()),
  unreadCount: z.number(),
  lastActivityAt: isoDate,
  createdAt: isoDate,
  snoozedUntil: isoDate.nullable(),
  lastMessage: lastMessageSchema.nullable(),
});
export type ConversationDto = z.infer<typeof conversationSchema>;

export const attachmentSchema = z.object({
  id: z.number(),
  fileType: z.enum(attachmentFileTypes),
  fileName: z.string().nullable(),
  contentType: z.string().nullable(),
  byteSize: z.number().nullable(),
  /** Same-origin path (signed, no credential needed) for stored files; the link for external ones. */
  url: z.string().nullable(),
});

export const messageSchema = z.object({
  id: z.number(),
  conversationId: z.number(),
  messageType: z.enum(messageTypes),
  content: z.string().nullable(),
  private: z.boolean(),
  status: z.enum(messageStatuses),
  sender: z
    .object({
      type: z.enum(senderTypes),
      id: z.number(),
      name: z.string().nullable(),
      avatarUrl: z.string().nullable(),
    })
    .nullable(),
  attachments: z.array(attachmentSchema),
  createdAt: isoDate,
});
export type MessageDto = z.infer<typeof messageSchema>;

type UrlSigner = Pick<BlobStorage, 'signedUrl'>;

export function toContactSummary(contact: ContactSnapshot): z.infer<typeof contactSummarySchema> {
  return {
    id: contact.id,
    name: contact.name,
    email: contact.email,
    phoneNumber: contact.phoneNumber,
    avatarUrl: contact.avatarUrl,
  };
}

function toLastMessage(message: MessageSnapshot | null): z.infer<typeof lastMessageSchema> | null {
  if (!message) return null;
  return {
    id: message.id,
    content: message.content,
    messageType: message.messageType,
    private: message.private,
    createdAt: message.createdAt,
  };
}

function toAssignee(assignee: ConversationSnapshot['assignee']): ConversationDto['assignee'] {
  if (!assignee) return null;
  return { id: assignee.id, name: assignee.displayName ?? assignee.name, avatarUrl: assignee.avatarUrl };
}

export function toConversationDto({ conversation, lastMessage }: ConversationView): ConversationDto {
  return {
    id: conversation.id,
    displayId: conversation.displayId,
    inboxId: conversation.inboxId,
    // Snapshots carry the enum columns as plain strings; the values are the columns' own.
    inbox: { ...conversation.inbox, channelType: conversation.inbox.channelType as ChannelType },
    contact: toContactSummary(conversation.contact),
    status: conversation.status as ConversationDto['status'],
    priority: conversation.priority as ConversationDto['priority'],
    assignee: toAssignee(conversation.assignee),
    team: conversation.team,
    labels: conversation.labels,
    unreadCount: conversation.unreadCount,
    lastActivityAt: conversation.lastActivityAt,
    createdAt: conversation.createdAt,
    snoozedUntil: conversation.snoozedUntil,
    lastMessage: toLastMessage(lastMessage),
  };
}

/**
 * The blob's signed URL without its origin: the app fetches it from the server it was loaded
 * from, whatever PARLEY_PUBLIC_URL says (behind a proxy the two can differ).
 */
function attachmentUrl(attachment: AttachmentSnapshot, signer: UrlSigner): string | null {
  if (!attachment.blobKey) return attachment.externalUrl;
  const signed = new URL(
    signer.signedUrl(attachment.blobKey, { expiresInSeconds: ATTACHMENT_URL_TTL_SECONDS }),
  );
  return `${signed.pathname}${signed.search}`;
}

export function toMessageDto(message: MessageSnapshot, signer: UrlSigner): MessageDto {
  return {
    id: message.id,
    conversationId: message.conversationId,
    messageType: message.messageType,
    content: message.content,
    private: message.private,
    status: message.status as MessageDto['status'],
    sender: message.sender && {
      type: message.sender.type,
      id: message.sender.id,
      name: message.sender.name,
      avatarUrl: message.sender.avatarUrl,
    },
    attachments: message.attachments.map((attachment) => ({
      id: attachment.id,
      fileType: attachment.fileType as AttachmentFileType,
      fileName: attachment.fileName,
      contentType: attachment.contentType,
      byteSize: attachment.byteSize,
      url: attachmentUrl(attachment, signer),
    })),
    createdAt: message.createdAt,
  };
}
