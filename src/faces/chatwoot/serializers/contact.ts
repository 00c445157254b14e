import { z } from 'zod';
import type { ContactInboxWithInbox } from '../../../core/contacts/contact-inboxes.js';
import type { ContactRow } from '../../../core/contacts/contacts.tables.js';
import type { InboxRow } from '../../../core/inboxes/inboxes.tables.js';
import { chatwootChannelTypes } from './inbox.js';

const unixSeconds = (date: Date) => Math.floor(date.getTime() / 1000);

/** Seed schema `inbox_contact`: the inbox as it appears inside a contact's `contact_inboxes`. */
export const chatwootInboxContactSchema = z.object({
  id: z.number(),
  avatar_url: z.string(),
  channel_id: z.number(),
  name: z.string(),
  channel_type: z.string(),
  provider: z.string().optional(),
});

/** Seed schema `contact_inbox`. */
export const chatwootContactInboxSchema = z.object({
  source_id: z.string(),
  inbox: chatwootInboxContactSchema,
});

/**
 * Seed schema `contact_list_item` (also the items of `contact`, which `extended_contact` and
 * `contact_base` hold). The list item allows null email, phone, identifier and last activity, the
 * `contact` items do not: unset values are left out, which both accept.
 */
export const chatwootContactSchema = z.object({
  id: z.number(),
  name: z.string(),
  email: z.string().optional(),
  phone_number: z.string().optional(),
  identifier: z.string().optional(),
  thumbnail: z.string(),
  availability_status: z.enum(['online', 'offline']),
  blocked: z.boolean(),
  additional_attributes: z.record(z.string(), z.unknown()),
  custom_attributes: z.record(z.string(), z.unknown()),
  last_activity_at: z.number().optional(),
  created_at: z.number(),
  contact_inboxes: z.array(chatwootContactInboxSchema),
});
export type ChatwootContact = z.infer<typeof chatwootContactSchema>;

export function toChatwootInboxContact(inbox: InboxRow): z.infer<typeof chatwootInboxContactSchema> {
  const provider = inbox.channelSettings.provider;
  return {
    id: inbox.id,
    avatar_url: inbox.avatarUrl ?? '',
    // Parley has no separate channel rows; the inbox id stands in for Chatwoot's channel id.
    channel_id: inbox.id,
    name: inbox.name,
    channel_type: chatwootChannelTypes[inbox.channelType],
    ...(typeof provider === 'string' && { provider }),
  };
}

export function toChatwootContact(row: ContactRow, contactInboxes: ContactInboxWithInbox[]): ChatwootContact {
  return {
    id: row.id,
    name: row.name,
    email: row.email ?? undefined,
    phone_number: row.phoneNumber ?? undefined,
    identifier: row.identifier ?? undefined,
    thumbnail: row.avatarUrl ?? '',
    // Contacts have no presence tracking in Parley; Chatwoot reports offline when it has none.
    availability_status: 'offline',
    blocked: row.blocked,
    additional_attributes: row.additionalAttributes,
    custom_attributes: row.customAttributes,
    last_activity_at: row.lastActivityAt ? unixSeconds(row.lastActivityAt) : undefined,
    created_at: unixSeconds(row.createdAt),
    contact_inboxes: contactInboxes
      .filter((contactInbox) => contactInbox.contactId === row.id)
      .map((contactInbox) => ({
        source_id: contactInbox.sourceId,
        inbox: toChatwootInboxContact(contactInbox.inbox),
      })),
  };
}
