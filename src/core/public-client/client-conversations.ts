import { and, asc, eq } from 'drizzle-orm';
import type { Db } from '../../platform/db/database.js';
import { notFound } from '../../platform/errors.js';
import { conversations, type ConversationRow } from '../conversations/conversations.tables.js';
import type { ClientContact } from './client-contacts.js';

/** A visitor reaches only the conversations of their own address in the inbox. */
export async function listClientConversations(db: Db, client: ClientContact): Promise<ConversationRow[]> {
  return db
    .select()
    .from(conversations)
    .where(
      and(
        eq(conversations.accountId, client.inbox.accountId),
        // contact_id first: conversations_contact_idx serves the lookup.
        eq(conversations.contactId, client.contact.id),
        eq(conversations.contactInboxId, client.contactInbox.id),
      ),
    )
    .orderBy(asc(conversations.id));
}

/** Another visitor's conversation answers 404, exactly like one that does not exist. */
export async function getClientConversation(
  db: Db,
  client: ClientContact,
  displayId: number,
): Promise<ConversationRow> {
  const [row] = await db
    .select()
    .from(conversations)
    .where(
      and(
        eq(conversations.accountId, client.inbox.accountId),
        eq(conversations.displayId, displayId),
        eq(conversations.contactInboxId, client.contactInbox.id),
      ),
    );
  if (!row) throw notFound('Conversation');
  return row;
}

/** Whether the conversation (by id) is one of the visitor's own. */
export async function isClientConversation(
  db: Db,
  client: ClientContact,
  conversationId: number,
): Promise<boolean> {
  const rows = await db
    .select({ id: conversations.id })
    .from(conversations)
    .where(
      and(
        eq(conversations.accountId, client.inbox.accountId),
        eq(conversations.id, conversationId),
        eq(conversations.contactInboxId, client.contactInbox.id),
      ),
    );
  return rows.length > 0;
}
