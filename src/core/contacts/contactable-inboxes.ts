import { randomUUID } from 'node:crypto';
import { and, asc, eq } from 'drizzle-orm';
import type { Db } from '../../platform/db/database.js';
import { inboxes, type InboxRow } from '../inboxes/inboxes.tables.js';
import { getContact } from './contacts.js';
import { contactInboxes } from './contacts.tables.js';

export interface ContactableInbox {
  inbox: InboxRow;
  /** The contact's existing address there, else the one a new conversation would use. */
  sourceId: string;
}

/**
 * Inboxes a conversation with the contact can start in: API and widget always, email when the
 * contact has an email, SMS and WhatsApp when they have a phone number (Chatwoot's rule).
 * Voice inboxes are not listed: Chatwoot has no outbound voice conversations.
 */
export async function listContactableInboxes(
  db: Db,
  accountId: number,
  contactId: number,
): Promise<ContactableInbox[]> {
  const contact = await getContact(db, accountId, contactId);
  const rows = await db
    .select()
    .from(inboxes)
    .where(eq(inboxes.accountId, accountId))
    .orderBy(asc(inboxes.id));
  const addresses = await db
    .select()
    .from(contactInboxes)
    .where(and(eq(contactInboxes.accountId, accountId), eq(contactInboxes.contactId, contactId)))
    .orderBy(asc(contactInboxes.id));
  const existing = new Map(addresses.map((address) => [address.inboxId, address.sourceId]));
  return rows.flatMap((inbox): ContactableInbox[] => {
    const known = existing.get(inbox.id);
    switch (inbox.channelType) {
      case 'api':
      case 'web_widget':
        // A fresh source id, as Chatwoot hands out for API inboxes; using it creates the address.
        return [{ inbox, sourceId: known ?? randomUUID() }];
      case 'email':
        return contact.email ? [{ inbox, sourceId: known ?? contact.email }] : [];
      case 'sms':
      case 'whatsapp': {
        const phone = contact.phoneNumber;
        if (!phone) return [];
        // WhatsApp addresses are the number without its leading +, as Chatwoot stores them.
        const source = inbox.channelType === 'whatsapp' ? phone.replace(/^\+/, '') : phone;
        return [{ inbox, sourceId: known ?? source }];
      }
      default:
        return [];
    }
  });
}
