import { and, desc, eq, inArray } from 'drizzle-orm';
import type { Db } from '../../platform/db/database.js';
import { conversations, type ConversationRow } from '../conversations/conversations.tables.js';
import { getContact } from './contacts.js';

/** Chatwoot's contact page shows the contact's conversations, most recently active first. */
const CONTACT_CONVERSATIONS_LIMIT = 100;

/** The contact's conversations; `inboxIds` narrows them to the inboxes an agent can see. */
export async function listContactConversations(
  db: Db,
  options: { accountId: number; contactId: number; inboxIds?: number[] | undefined },
): Promise<ConversationRow[]> {
  await getContact(db, options.accountId, options.contactId);
  if (options.inboxIds?.length === 0) return [];
  return db
    .select()
    .from(conversations)
    .where(
      and(
        eq(conversations.accountId, options.accountId),
        eq(conversations.contactId, options.contactId),
        options.inboxIds ? inArray(conversations.inboxId, options.inboxIds) : undefined,
      ),
    )
    .orderBy(desc(conversations.lastActivityAt), desc(conversations.id))
    .limit(CONTACT_CONVERSATIONS_LIMIT);
}
