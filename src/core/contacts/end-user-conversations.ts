import { and, asc, desc, eq, gt, lt } from 'drizzle-orm';
import type { Db } from '../../platform/db/database.js';
import { conversations, type ConversationRow } from '../conversations/conversations.tables.js';
import { getEndUser } from './end-users.js';
import { toKeysetWindow, type KeysetPosition, type KeysetWindow } from './keyset-window.js';

/**
 * The conversations an end user requested, oldest first, a window at a time (the contact's
 * conversations index, contact_id then id).
 */
export async function listEndUserConversations(
  db: Db,
  options: { accountId: number; uuid: string; limit: number; position?: KeysetPosition | undefined },
): Promise<KeysetWindow<ConversationRow>> {
  const contact = await getEndUser(db, options.accountId, options.uuid);
  const { position, limit } = options;
  const isBackward = position?.direction === 'previous';
  const rows = await db
    .select()
    .from(conversations)
    .where(
      and(
        eq(conversations.accountId, options.accountId),
        eq(conversations.contactId, contact.id),
        position === undefined
          ? undefined
          : isBackward
            ? lt(conversations.id, position.id)
            : gt(conversations.id, position.id),
      ),
    )
    .orderBy(isBackward ? desc(conversations.id) : asc(conversations.id))
    .limit(limit + 1);
  return toKeysetWindow(rows, limit, position, (row) => row.id);
}
