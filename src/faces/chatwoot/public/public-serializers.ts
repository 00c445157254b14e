import { z } from 'zod';
import type { ClientContact } from '../../../core/public-client/client-contacts.js';
import type { ConversationRow } from '../../../core/conversations/conversations.tables.js';
import type { ContactRow } from '../../../core/contacts/contacts.tables.js';
import type { InboxRow } from '../../../core/inboxes/inboxes.tables.js';
import type { MessageSnapshot } from '../../../core/conversations/conversations.events.js';
import {
  chatwootAttachmentSchema,
  chatwootMessageTypes,
  chatwootSenderSchema,
  toChatwootAttachment,
  toChatwootSender,
  type UrlSigner,
} from '../serializers/message.js';

/*
 * The client API's own, smaller shapes (Chatwoot's public/api/v1/models/*.jbuilder). Ids and
 * timestamps are integers as Chatwoot sends them, although the seed's loose swagger types some
 * of them as strings.
 */

const unixSeconds = (date: Date | null) => (date ? Math.floor(date.getTime() / 1000) : 0);

/** Seed `public_contact`. */
export const publicContactSchema = z.object({
  id: z.number(),
  source_id: z.string(),
  name: z.string(),
  email: z.string().nullable(),
  pubsub_token: z.string(),
});

export function toPublicContact(client: ClientContact): z.infer<typeof publicContactSchema> {
  return {
    id: client.contact.id,
    source_id: client.contactInbox.sourceId,
    name: client.contact.name,
    email: client.contact.email,
    pubsub_token: client.contactInbox.pubsubToken,
  };
}

/** Seed `public_message`. */
export const publicMessageSchema = z.object({
  id: z.number(),
  content: z.string().nullable(),
  message_type: z.number().int(),
  content_type: z.string(),
  content_attributes: z.record(z.string(), z.unknown()),
  created_at: z.number().int(),
  conversation_id: z.number(),
  attachments: z.array(chatwootAttachmentSchema),
  sender: chatwootSenderSchema.nullable(),
});
export type PublicMessage = z.infer<typeof publicMessageSchema>;

export function toPublicMessage(message: MessageSnapshot, signer: UrlSigner): PublicMessage {
  return {
    id: message.id,
    content: message.content,
    message_type: chatwootMessageTypes[message.messageType],
    content_type: message.contentType,
    content_attributes: message.contentAttributes,
    created_at: Math.floor(Date.parse(message.createdAt) / 1000),
    conversation_id: message.conversationDisplayId,
    attachments: message.attachments.map((attachment) => toChatwootAttachment(attachment, message, signer)),
    sender: message.sender ? toChatwootSender(message.sender) : null,
  };
}

/** Seed `public_conversation`, with the fields Chatwoot's view adds (uuid, status, last seen). */
export const publicConversationSchema = z.object({
  id: z.number(),
  uuid: z.string(),
  inbox_id: z.number(),
  status: z.string(),
  contact_last_seen_at: z.number().int(),
  agent_last_seen_at: z.number().int(),
  messages: z.array(publicMessageSchema),
  contact: z.object({
    id: z.number(),
    name: z.string(),
    email: z.string().nullable(),
    phone_number: z.string().nullable(),
  }),
});
export type PublicConversation = z.infer<typeof publicConversationSchema>;

export function toPublicConversation(
  row: ConversationRow,
  contact: ContactRow,
  messages: PublicMessage[],
): PublicConversation {
  return {
    id: row.displayId,
    uuid: row.uuid,
    inbox_id: row.inboxId,
    status: row.status,
    contact_last_seen_at: unixSeconds(row.contactLastSeenAt),
    agent_last_seen_at: unixSeconds(row.agentLastSeenAt),
    messages,
    contact: { id: contact.id, name: contact.name, email: contact.email, phone_number: contact.phoneNumber },
  };
}

/** Seed `public_inbox`. */
export const publicInboxSchema = z.object({
  identifier: z.string(),
  name: z.string(),
  timezone: z.string(),
  working_hours: z.array(
    z.object({
      day_of_week: z.number().int(),
      open_all_day: z.boolean(),
      closed_all_day: z.boolean(),
      open_hour: z.number().int().nullable(),
      open_minutes: z.number().int().nullable(),
      close_hour: z.number().int().nullable(),
      close_minutes: z.number().int().nullable(),
    }),
  ),
  working_hours_enabled: z.boolean(),
  csat_survey_enabled: z.boolean(),
  greeting_enabled: z.boolean(),
  identity_validation_enabled: z.boolean(),
});

export function toPublicInbox(inbox: InboxRow): z.infer<typeof publicInboxSchema> {
  return {
    identifier: inbox.identifier,
    name: inbox.name,
    timezone: inbox.timezone,
    working_hours: inbox.workingHours.map((day) => ({
      day_of_week: day.dayOfWeek,
      open_all_day: day.openAllDay,
      closed_all_day: day.closedAllDay,
      open_hour: day.openHour,
      open_minutes: day.openMinutes,
      close_hour: day.closeHour,
      close_minutes: day.closeMinutes,
    })),
    working_hours_enabled: inbox.workingHoursEnabled,
    csat_survey_enabled: inbox.csatSurveyEnabled,
    greeting_enabled: inbox.greetingEnabled,
    identity_validation_enabled: inbox.hmacMandatory,
  };
}
