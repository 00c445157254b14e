import { and, eq, sql } from 'drizzle-orm';
import { builtOncePerVariant } from '../../platform/db/built-once.js';
import type { Db } from '../../platform/db/database.js';
import { notFound } from '../../platform/errors.js';
import { contactInboxes, contacts } from '../contacts/contacts.tables.js';
import { accountUsers, users } from '../identity/identity.tables.js';
import { inboxes, inboxMembers } from '../inboxes/inboxes.tables.js';
import { teams } from '../teams/teams.tables.js';
import { conversations, messages, type ConversationRow } from './conversations.tables.js';
import {
  conversationRelationColumns,
  relationsFrom,
  type ConversationRelations,
} from './conversation-snapshots.js';

/**
 * The lock's statement, built once. Beside the conversation it reads what the message's writes
 * need known beforehand: the conversation's relations (for the event), an id for the message from
 * its sequence and the transaction's time (the message's row is then known before it is
 * inserted), and whether `memberUserId` answers the conversation's inbox (a null id matches no
 * member, so one shape serves both). The membership is a join, not an `exists` in the select list:
 * Drizzle writes a one-table select's columns without their table, and inside a subquery those
 * names would resolve to the subquery's own table. The inbox member's key (inbox, user) makes the
 * join add no row.
 */
const byDisplayId = builtOncePerVariant<
  Omit<ReadForMessage, 'relations'> & Parameters<typeof relationsFrom>[0],
  { accountId: number; displayId: number; memberUserId: number | null },
  'lock' | 'read'
>(
  (variant) => `conversation_${variant}_for_message`,
  (db, value, variant) => {
    const query = db
      .select({
        conversation: conversations,
        // The row's version: any later update of the row gives it another (see ReadForMessage).
        version: sql<string>`${conversations}.xmin::text`,
        isInboxMember: sql<boolean>`${inboxMembers.userId} is not null`,
        messageId: sql<number>`nextval(pg_get_serial_sequence('messages', 'id'))`.mapWith(Number),
        now: sql<Date>`now()`.mapWith(messages.createdAt),
        ...conversationRelationColumns(accountUsers.availability),
      })
      .from(conversations)
      .innerJoin(
        inboxes,
        and(eq(inboxes.accountId, conversations.accountId), eq(inboxes.id, conversations.inboxId)),
      )
      .innerJoin(
        contacts,
        and(eq(contacts.accountId, conversations.accountId), eq(contacts.id, conversations.contactId)),
      )
      .leftJoin(
        contactInboxes,
        and(
          eq(contactInboxes.accountId, conversations.accountId),
          eq(contactInboxes.id, conversations.contactInboxId),
        ),
      )
      .leftJoin(teams, and(eq(teams.accountId, conversations.accountId), eq(teams.id, conversations.teamId)))
      .leftJoin(users, eq(users.id, conversations.assigneeId))
      .leftJoin(
        accountUsers,
        and(eq(accountUsers.userId, users.id), eq(accountUsers.accountId, conversations.accountId)),
      )
      .leftJoin(
        inboxMembers,
        and(
          eq(inboxMembers.accountId, conversations.accountId),
          eq(inboxMembers.inboxId, conversations.inboxId),
          eq(inboxMembers.userId, value('memberUserId')),
        ),
      )
      .where(
        and(eq(conversations.accountId, value('accountId')), eq(conversations.displayId, value('displayId'))),
      );
    return variant === 'lock' ? query.for('no key update', { of: conversations }) : query;
  },
);

export interface LockedForMessage {
  conversation: ConversationRow;
  isInboxMember: boolean;
  relations: ConversationRelations;
  messageId: number;
  now: Date;
}

/**
 * Reads a conversation by display id under the row lock createMessage needs, with what its
 * writes need known (see `PreparedMessage` in create-message.ts), so a route that resolves the path and then writes
 * takes one statement for all of it. With `memberUserId`, also says whether that user is a member
 * of the conversation's inbox (the Chatwoot agent check).
 */
export async function lockConversationForMessage(
  tx: Db,
  accountId: number,
  displayId: number,
  memberUserId: number | null = null,
): Promise<LockedForMessage> {
  const { version: _version, ...locked } = await conversationForMessage(
    'lock',
    tx,
    accountId,
    displayId,
    memberUserId,
  );
  return locked;
}

/**
 * What `lockConversationForMessage` reads, without the lock, and the row's version (its `xmin`):
 * for a write that applies only to the row as it was read (`createMessageIfUnchanged`).
 */
export interface ReadForMessage extends LockedForMessage {
  version: string;
}

export function readConversationForMessage(
  db: Db,
  accountId: number,
  displayId: number,
  memberUserId: number | null = null,
): Promise<ReadForMessage> {
  return conversationForMessage('read', db, accountId, displayId, memberUserId);
}

async function conversationForMessage(
  variant: 'lock' | 'read',
  db: Db,
  accountId: number,
  displayId: number,
  memberUserId: number | null,
): Promise<ReadForMessage> {
  const [row] = await byDisplayId(variant, db, { accountId, displayId, memberUserId });
  if (!row) throw notFound('Conversation');
  const { conversation, version, isInboxMember, messageId, now } = row;
  return { conversation, version, isInboxMember, messageId, now, relations: relationsFrom(row) };
}
