import { z } from 'zod';
import type { BlobStorage } from '../../platform/storage/blob-storage.js';
import type { ConversationRow } from '../../core/conversations/conversations.tables.js';
import type { ConversationRelations } from '../../core/conversations/conversation-relations.js';
import type { TranscriptEntry } from '../../core/conversations/conversation-transcript.js';
import { CONTENT_FORMAT_KEY } from '../../core/conversations/conversation-message-input.js';
import { dixaChannelOf } from '../../core/conversations/conversation-channels.js';

const ATTACHMENT_URL_TTL_SECONDS = 24 * 60 * 60;

const contentSchema = z.object({ _type: z.enum(['Text', 'Html']), value: z.string() });
const fileSchema = z.object({ url: z.string(), prettyName: z.string().optional() });
const emailContactSchema = z.object({ email: z.string(), name: z.string().optional() });
const directionSchema = z.enum(['Inbound', 'Internal', 'Outbound']);

const emailShape = {
  from: emailContactSchema,
  to: z.array(emailContactSchema).optional(),
  isAutoReply: z.boolean(),
  direction: directionSchema,
  emailContent: z.object({ _type: z.literal('Regular'), content: contentSchema }),
  attachments: z.array(fileSchema).optional(),
};
const chatShape = {
  content: contentSchema,
  direction: directionSchema,
  attachments: z.array(fileSchema).optional(),
};

/** Seed `Attributes`: the channel's view of one message. */
export const dixaMessageAttributesSchema = z.discriminatedUnion('_type', [
  z.object({ _type: z.literal('EmailAttributes'), ...emailShape }),
  z.object({ _type: z.literal('ContactFormAttributes'), ...emailShape, from: emailContactSchema.optional() }),
  z.object({ _type: z.literal('ChatAttributes'), ...chatShape, isAutomated: z.boolean() }),
  z.object({ _type: z.literal('SmsAttributes'), ...chatShape }),
  z.object({ _type: z.literal('WhatsAppAttributes'), ...chatShape }),
  z.object({ _type: z.literal('FacebookMessengerAttributes'), ...chatShape }),
  z.object({ _type: z.literal('TwitterAttributes'), ...chatShape }),
  z.object({ _type: z.literal('GenericAttributes'), ...chatShape }),
]);

/** Seed `Message`. */
export const dixaMessageSchema = z.object({
  id: z.string(),
  authorId: z.string(),
  createdAt: z.string(),
  attributes: dixaMessageAttributesSchema,
  externalId: z.string().optional(),
});
export type DixaMessage = z.infer<typeof dixaMessageSchema>;

/** Seed `CreateMessageOutputData`. */
export const dixaCreatedMessageSchema = z.object({
  content: contentSchema,
  authorId: z.string(),
  createdAt: z.string().optional(),
  direction: directionSchema,
  messageId: z.string().optional(),
  externalId: z.string().optional(),
});

/** Seed `InternalNoteData`: `csid` is the conversation's id. */
export const dixaInternalNoteSchema = z.object({
  id: z.string(),
  csid: z.number().int(),
  message: z.string(),
  authorId: z.string(),
  createdAt: z.string(),
});
export type DixaInternalNote = z.infer<typeof dixaInternalNoteSchema>;

export function contentOf(entry: Pick<TranscriptEntry, 'message'>): z.infer<typeof contentSchema> {
  const { message } = entry;
  const isHtml = message.contentAttributes[CONTENT_FORMAT_KEY] === 'html';
  return { _type: isHtml ? 'Html' : 'Text', value: message.content ?? '' };
}

export function directionOf(entry: Pick<TranscriptEntry, 'message'>): z.infer<typeof directionSchema> {
  if (entry.message.isPrivate) return 'Internal';
  return entry.message.messageType === 'incoming' ? 'Inbound' : 'Outbound';
}

function filesOf(entry: TranscriptEntry, storage: BlobStorage): z.infer<typeof fileSchema>[] {
  return entry.attachments.flatMap((file) => {
    const url = file.blobKey
      ? storage.signedUrl(file.blobKey, { expiresInSeconds: ATTACHMENT_URL_TTL_SECONDS })
      : file.externalUrl;
    if (!url) return [];
    return [file.fileName ? { url, prettyName: file.fileName } : { url }];
  });
}

/** One message as Dixa lists it: its channel decides the attributes' shape. */
export function toDixaMessage(
  entry: TranscriptEntry,
  conversation: ConversationRow,
  relations: ConversationRelations,
  storage: BlobStorage,
): DixaMessage {
  const channel = dixaChannelOf({
    channelType: relations.inbox.channelType,
    additionalAttributes: conversation.additionalAttributes,
  });
  const content = contentOf(entry);
  const direction = directionOf(entry);
  const files = filesOf(entry, storage);
  const attachments = files.length > 0 ? files : undefined;
  const chat = { content, direction, ...(attachments && { attachments }) };
  const attributes = ((): z.infer<typeof dixaMessageAttributesSchema> => {
    switch (channel) {
      case 'Email':
      case 'ContactForm': {
        const integration = relations.inbox.channelSettings.email;
        const ours = { email: typeof integration === 'string' ? integration : '' };
        const theirs = { email: relations.contact.email ?? relations.contact.sourceId ?? '' };
        const [from, to] = direction === 'Inbound' ? [theirs, ours] : [ours, theirs];
        return {
          _type: channel === 'Email' ? 'EmailAttributes' : 'ContactFormAttributes',
          from,
          to: [to],
          isAutoReply: false,
          direction,
          emailContent: { _type: 'Regular', content },
          ...(attachments && { attachments }),
        };
      }
      case 'WidgetChat':
        return { _type: 'ChatAttributes', ...chat, isAutomated: false };
      case 'Sms':
        return { _type: 'SmsAttributes', ...chat };
      case 'WhatsApp':
        return { _type: 'WhatsAppAttributes', ...chat };
      case 'FacebookMessenger':
        return { _type: 'FacebookMessengerAttributes', ...chat };
      case 'Twitter':
        return { _type: 'TwitterAttributes', ...chat };
      default:
        // Messenger, and text written in a phone conversation: Dixa's generic message.
        return { _type: 'GenericAttributes', ...chat };
    }
  })();
  return {
    id: entry.message.uuid,
    authorId: entry.authorUuid,
    createdAt: entry.message.createdAt.toISOString(),
    attributes,
    ...(entry.message.echoId !== null && { externalId: entry.message.echoId }),
  };
}

export function toDixaInternalNote(entry: TranscriptEntry, conversation: ConversationRow): DixaInternalNote {
  return {
    id: entry.message.uuid,
    csid: conversation.displayId,
    message: entry.message.content ?? '',
    authorId: entry.authorUuid,
    createdAt: entry.message.createdAt.toISOString(),
  };
}
