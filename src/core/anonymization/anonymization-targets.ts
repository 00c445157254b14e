import { and, eq, ne } from 'drizzle-orm';
import type { Db } from '../../platform/db/database.js';
import { notFound } from '../../platform/errors.js';
import { contacts } from '../contacts/contacts.tables.js';
import { conversations, messages } from '../conversations/conversations.tables.js';
import type { AnonymizationEntityType } from './anonymization.tables.js';

/**
 * What a client names for anonymization, by the ids the Dixa face speaks: end users and messages
 * by uuid, conversations by their per-account number (Dixa conversation ids are integers).
 */
export type AnonymizationEntity =
  | { type: 'User'; userUuid: string }
  | { type: 'Conversation'; conversationDisplayId: number }
  | { type: 'Message'; conversationDisplayId: number; messageUuid: string };

export interface ResolvedTarget {
  entityType: AnonymizationEntityType;
  targetId: number;
  targetEntityId: string;
}

async function findConversationId(db: Db, accountId: number, displayId: number): Promise<number> {
  const [row] = await db
    .select({ id: conversations.id })
    .from(conversations)
    .where(and(eq(conversations.accountId, accountId), eq(conversations.displayId, displayId)));
  if (!row) throw notFound('Conversation');
  return row.id;
}

/** The internal id behind the client's id, in this account only: another tenant's entity is "not found". */
export async function resolveTarget(
  db: Db,
  accountId: number,
  entity: AnonymizationEntity,
): Promise<ResolvedTarget> {
  switch (entity.type) {
    case 'User': {
      const [row] = await db
        .select({ id: contacts.id })
        .from(contacts)
        .where(and(eq(contacts.accountId, accountId), eq(contacts.uuid, entity.userUuid)));
      if (!row) throw notFound('End user');
      return { entityType: 'User', targetId: row.id, targetEntityId: entity.userUuid };
    }
    case 'Conversation': {
      const id = await findConversationId(db, accountId, entity.conversationDisplayId);
      // AnonymizationRequestStatus.targetEntityId is a string: the conversation's number as text.
      return {
        entityType: 'Conversation',
        targetId: id,
        targetEntityId: String(entity.conversationDisplayId),
      };
    }
    case 'Message': {
      const conversationId = await findConversationId(db, accountId, entity.conversationDisplayId);
      const [row] = await db
        .select({ id: messages.id })
        .from(messages)
        .where(
          and(
            eq(messages.accountId, accountId),
            eq(messages.conversationId, conversationId),
            eq(messages.uuid, entity.messageUuid),
          ),
        );
      if (!row) throw notFound('Message');
      return { entityType: 'Message', targetId: row.id, targetEntityId: entity.messageUuid };
    }
  }
}

/** The conversations an anonymization covers: the end user's, or the one conversation. */
export async function conversationIdsOf(
  db: Db,
  accountId: number,
  target: ResolvedTarget,
): Promise<number[]> {
  if (target.entityType === 'Conversation') return [target.targetId];
  if (target.entityType === 'Message') return [];
  const rows = await db
    .select({ id: conversations.id })
    .from(conversations)
    .where(and(eq(conversations.accountId, accountId), eq(conversations.contactId, target.targetId)));
  return rows.map((row) => row.id);
}

/** How many of those conversations are not closed (Dixa "closed" is Parley's resolved). */
export async function countUnclosed(db: Db, accountId: number, target: ResolvedTarget): Promise<number> {
  if (target.entityType === 'Message') return 0;
  const scope =
    target.entityType === 'Conversation'
      ? eq(conversations.id, target.targetId)
      : eq(conversations.contactId, target.targetId);
  const rows = await db
    .select({ id: conversations.id })
    .from(conversations)
    .where(and(eq(conversations.accountId, accountId), scope, ne(conversations.status, 'resolved')));
  return rows.length;
}
