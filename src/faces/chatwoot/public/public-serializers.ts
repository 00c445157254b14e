import { z } from 'zod';
import type { ClientContact } from '../../../core/public-client/client-contacts.js';
import type { ConversationRow } from '../../../core/conversations/conversations.tables.js';
import type { ContactRow } from '../../../core/contacts/contacts.tables.js';
import type { InboxRow } from '../../../core/inboxes/inboxes.tables.js';
import { publicThreadMessageSchema, type PublicThreadMessage } from './public-messages.js';

/*
 * The client API's own, smaller shapes (Chatwoot's public/api/v1/models/*.jbuilder), typed as the
 * seed's `public_*` schemas type them: where the seed's type has no null, a missing value is left
 * out rather than sent as null.
 */

const unixSeconds = (date: Date | null) => (date ? Math.floor(date.getTime() / 1000) : 0);

/** Seed `public_contact`. */
export const publicContactSchema = z.object({
  id: z.number(),
  source_id: z.string(),
  name: z.string(),
  email: z.string().optional(),
  pubsub_token: z.string(),
});

export function toPublicContact(client: ClientContact): z.infer<typeof publicContactSchema> {
  return {
    id: client.contact.id,
    source_id: client.contactInbox.sourceId,
    name: client.contact.name,
    ...(client.contact.email !== null && { email: client.contact.email }),
    pubsub_token: client.contactInbox.pubsubToken,
  };
}

/**
 * Seed `public_conversation` (`inbox_id` typed string there), with the fields Chatwoot's view adds
 * (uuid, status, last seen).
 */
export const publicConversationSchema = z.object({
  id: z.number(),
  uuid: z.string(),
  inbox_id: z.string(),
  status: z.string(),
  contact_last_seen_at: z.number().int(),
  agent_last_seen_at: z.number().int(),
  messages: z.array(publicThreadMessageSchema),
  contact: z.object({
    id: z.number(),
    name: z.string(),
    email: z.string().optional(),
    phone_number: z.string().optional(),
  }),
});
export type PublicConversation = z.infer<typeof publicConversationSchema>;

export function toPublicConversation(
  row: ConversationRow,
  contact: ContactRow,
  messages: PublicThreadMessage[],
): PublicConversation {
  return {
    id: row.displayId,
    uuid: row.uuid,
    inbox_id: String(row.inboxId),
    status: row.status,
    contact_last_seen_at: unixSeconds(row.contactLastSeenAt),
    agent_last_seen_at: unixSeconds(row.agentLastSeenAt),
    messages,
    contact: {
      id: contact.id,
      name: contact.name,
      ...(contact.email !== null && { email: contact.email }),
      ...(contact.phoneNumber !== null && { phone_number: contact.phoneNumber }),
    },
  };
}

/** Seed `public_inbox`: a closed day's hours are left out (the seed types them integer, no null). */
export const publicInboxSchema = z.object({
  identifier: z.string(),
  name: z.string(),
  timezone: z.string(),
  working_hours: z.array(
    z.object({
      day_of_week: z.number().int(),
      open_all_day: z.boolean(),
      closed_all_day: z.boolean(),
      open_hour: z.number().int().optional(),
      open_minutes: z.number().int().optional(),
      close_hour: z.number().int().optional(),
      close_minutes: z.number().int().optional(),
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
      ...(day.openHour !== null && { open_hour: day.openHour }),
      ...(day.openMinutes !== null && { open_minutes: day.openMinutes }),
      ...(day.closeHour !== null && { close_hour: day.closeHour }),
      ...(day.closeMinutes !== null && { close_minutes: day.closeMinutes }),
    })),
    working_hours_enabled: inbox.workingHoursEnabled,
    csat_survey_enabled: inbox.csatSurveyEnabled,
    greeting_enabled: inbox.greetingEnabled,
    identity_validation_enabled: inbox.hmacMandatory,
  };
}
