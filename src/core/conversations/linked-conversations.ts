import { and, asc, eq } from 'drizzle-orm';
import type { Db } from '../../platform/db/database.js';
import { conversations, type ConversationRow } from './conversations.tables.js';

/** A conversation's linked children (side conversations, follow-ups, forwards), oldest first. */
export async function listLinkedConversations(
  db: Db,
  accountId: number,
  parentId: number,
): Promise<ConversationRow[]> {
  return db
    .select()
    .from(conversations)
    .where(and(eq(conversations.accountId, accountId), eq(conversations.parentId, parentId)))
    .orderBy(asc(conversations.id));
}
