import { and, asc, eq, inArray } from 'drizzle-orm';
import type { Db } from '../../platform/db/database.js';
import { users } from '../identity/identity.tables.js';
import { scheduledMessages, type ScheduledMessageRow } from './scheduled-messages.tables.js';

/** Chatwoot lists a conversation's scheduled messages in one go; a conversation has a handful. */
const LIST_LIMIT = 1000;

export async function listScheduledMessages(
  db: Db,
  accountId: number,
  conversationId: number,
): Promise<ScheduledMessageRow[]> {
  return db
    .select()
    .from(scheduledMessages)
    .where(
      and(eq(scheduledMessages.accountId, accountId), eq(scheduledMessages.conversationId, conversationId)),
    )
    .orderBy(asc(scheduledMessages.id))
    .limit(LIST_LIMIT);
}

export interface ScheduledMessageAuthor {
  id: number;
  name: string;
  email: string;
  avatarUrl: string | null;
}

/** The user authors of a page of scheduled messages, in one query. */
export async function loadScheduledMessageAuthors(
  db: Db,
  rows: ScheduledMessageRow[],
): Promise<Map<number, ScheduledMessageAuthor>> {
  const ids = [
    ...new Set(
      rows.flatMap((row) => (row.authorType === 'user' && row.authorId !== null ? [row.authorId] : [])),
    ),
  ];
  if (ids.length === 0) return new Map();
  const found = await db
    .select({
      id: users.id,
      name: users.name,
      displayName: users.displayName,
      email: users.email,
      avatarUrl: users.avatarUrl,
    })
    .from(users)
    .where(inArray(users.id, ids));
  return new Map(
    found.map((user) => [
      user.id,
      { id: user.id, name: user.displayName ?? user.name, email: user.email, avatarUrl: user.avatarUrl },
    ]),
  );
}
