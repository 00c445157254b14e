import { and, eq, inArray, sql, type SQL } from 'drizzle-orm';
import type { Db } from '../../platform/db/database.js';
import { attachments, messages } from '../conversations/conversations.tables.js';
import type { AnonymizationRequestRow } from './anonymization.tables.js';
import { conversationIdsOf } from './anonymization-targets.js';

/** What one request covers: the end user (if any), whole conversations, or a single message. */
export interface AnonymizationScope {
  accountId: number;
  contactId: number | null;
  /** Conversations overwritten whole (an end user's, or the one conversation). */
  conversationIds: number[];
  /** A single message overwritten on its own. */
  messageId: number | null;
}

export async function scopeOf(db: Db, request: AnonymizationRequestRow): Promise<AnonymizationScope> {
  const target = {
    entityType: request.entityType,
    targetId: request.targetId,
    targetEntityId: request.targetEntityId,
  };
  return {
    accountId: request.accountId,
    contactId: request.entityType === 'User' ? request.targetId : null,
    conversationIds: await conversationIdsOf(db, request.accountId, target),
    messageId: request.entityType === 'Message' ? request.targetId : null,
  };
}

/** The scope's messages, as a condition on `messages` (always within the account). */
export function scopedMessages(scope: AnonymizationScope): SQL {
  const byConversation =
    scope.conversationIds.length > 0 ? inArray(messages.conversationId, scope.conversationIds) : sql`false`;
  const byId = scope.messageId !== null ? eq(messages.id, scope.messageId) : sql`false`;
  return and(eq(messages.accountId, scope.accountId), sql`(${byConversation} OR ${byId})`) ?? sql`false`;
}

/** Blob keys of the scope's attachments. */
export async function attachmentKeysOf(db: Db, scope: AnonymizationScope): Promise<string[]> {
  const rows = await db
    .select({ blobKey: attachments.blobKey })
    .from(attachments)
    .where(
      and(
        eq(attachments.accountId, scope.accountId),
        inArray(
          attachments.messageId,
          db.select({ id: messages.id }).from(messages).where(scopedMessages(scope)),
        ),
      ),
    );
  return rows.map((row) => row.blobKey).filter((key): key is string => key !== null);
}
