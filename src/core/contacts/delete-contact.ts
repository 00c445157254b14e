import { and, eq } from 'drizzle-orm';
import type { Db } from '../../platform/db/database.js';
import { recordEvent, recordEvents, type Actor } from '../../platform/events/outbox.js';
import { conversationDeleted } from '../conversations/conversations.events.js';
import { conversations } from '../conversations/conversations.tables.js';
import { getContact, toContactSnapshot } from './contacts.js';
import { contactDeleted } from './contacts.events.js';
import { contacts } from './contacts.tables.js';

/**
 * Deletes a contact with its conversations (and through them their messages), as Chatwoot
 * does; each conversation gets its own conversation.deleted event.
 */
export async function deleteContact(
  tx: Db,
  input: { accountId: number; id: number; actor?: Actor | undefined },
): Promise<void> {
  const contact = await getContact(tx, input.accountId, input.id);
  const removed = await tx
    .delete(conversations)
    .where(and(eq(conversations.accountId, input.accountId), eq(conversations.contactId, contact.id)))
    .returning({ id: conversations.id, displayId: conversations.displayId, inboxId: conversations.inboxId });
  await recordEvents(
    tx,
    conversationDeleted,
    removed.map((conversation) => ({
      accountId: input.accountId,
      aggregateId: conversation.id,
      payload: conversation,
      actor: input.actor,
    })),
  );
  await tx.delete(contacts).where(and(eq(contacts.accountId, input.accountId), eq(contacts.id, contact.id)));
  await recordEvent(tx, contactDeleted, {
    accountId: input.accountId,
    aggregateId: contact.id,
    payload: { contact: toContactSnapshot(contact) },
    actor: input.actor,
  });
}
