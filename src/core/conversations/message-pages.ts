import { and, desc, eq, lt } from 'drizzle-orm';
import type { Db } from '../../platform/db/database.js';
import { messages, type MessageRow } from './conversations.tables.js';

export interface MessagePage {
  /** Oldest first, as a thread reads. */
  rows: MessageRow[];
  /** Whether messages older than the first of `rows` exist. */
  hasOlder: boolean;
}

/**
 * The `limit` messages just before `before` (a message id), or the latest ones: ids grow with
 * time, so the id alone is a stable keyset. One row more than asked says whether older ones exist.
 */
export async function listMessagesBefore(
  db: Db,
  accountId: number,
  conversationId: number,
  options: { before?: number | undefined; limit: number },
): Promise<MessagePage> {
  const found = await db
    .select()
    .from(messages)
    .where(
      and(
        eq(messages.accountId, accountId),
        eq(messages.conversationId, conversationId),
        options.before === undefined ? undefined : lt(messages.id, options.before),
      ),
    )
    .orderBy(desc(messages.id))
    .limit(options.limit + 1);
  return { rows: found.slice(0, options.limit).reverse(), hasOlder: found.length > options.limit };
}
