import { and, asc, desc, eq, gt, lt, sql } from 'drizzle-orm';
import type { Db } from '../../platform/db/database.js';
import { notFound } from '../../platform/errors.js';
import { recordEvent, type Actor } from '../../platform/events/outbox.js';
import { attachments, messages, type MessageRow, type MessageStatus } from './conversations.tables.js';
import { messageUpdated } from './conversations.events.js';
import { getConversation } from './conversations.js';
import { snapshotOfRow } from './conversation-snapshots.js';
import { messageSnapshotOf } from './message-snapshots.js';

export const MESSAGES_PER_PAGE = 20;
export const DELETED_MESSAGE_CONTENT = 'This message was deleted';

/**
 * A page of a conversation's messages in chronological order, as Chatwoot pages them: the latest
 * 20, or the 20 just before `before`, or the 20 just after `after` (message ids).
 */
export async function listMessages(
  db: Db,
  accountId: number,
  conversationId: number,
  cursor: { before?: number | undefined; after?: number | undefined } = {},
): Promise<MessageRow[]> {
  const scope = and(eq(messages.accountId, accountId), eq(messages.conversationId, conversationId));
  if (cursor.after !== undefined) {
    return db
      .select()
      .from(messages)
      .where(and(scope, gt(messages.id, cursor.after)))
      .orderBy(asc(messages.id))
      .limit(MESSAGES_PER_PAGE);
  }
  const rows = await db
    .select()
    .from(messages)
    .where(and(scope, cursor.before === undefined ? undefined : lt(messages.id, cursor.before)))
    .orderBy(desc(messages.id))
    .limit(MESSAGES_PER_PAGE);
  return rows.reverse();
}

export async function getMessage(
  db: Db,
  accountId: number,
  conversationId: number,
  messageId: number,
): Promise<MessageRow> {
  const [row] = await db
    .select()
    .from(messages)
    .where(
      and(
        eq(messages.accountId, accountId),
        eq(messages.conversationId, conversationId),
        eq(messages.id, messageId),
      ),
    );
  if (!row) throw notFound('Message');
  return row;
}

async function lockMessage(tx: Db, accountId: number, conversationId: number, messageId: number) {
  const [row] = await tx
    .select()
    .from(messages)
    .where(
      and(
        eq(messages.accountId, accountId),
        eq(messages.conversationId, conversationId),
        eq(messages.id, messageId),
      ),
    )
    .for('update');
  if (!row) throw notFound('Message');
  return row;
}

async function recordMessageUpdated(tx: Db, message: MessageRow, actor: Actor): Promise<void> {
  const conversation = await getConversation(tx, message.accountId, message.conversationId);
  await recordEvent(tx, messageUpdated, {
    accountId: message.accountId,
    aggregateId: message.id,
    payload: {
      message: await messageSnapshotOf(tx, message),
      conversation: await snapshotOfRow(tx, conversation),
    },
    actor,
  });
}

/**
 * Changes a message's status or merges content attributes (a contact's form answers arrive as
 * `submitted_values`), and records message.updated.
 */
export async function updateMessage(
  tx: Db,
  input: {
    accountId: number;
    conversationId: number;
    messageId: number;
    contentAttributes?: Record<string, unknown>;
    status?: MessageStatus;
    actor: Actor;
  },
): Promise<MessageRow> {
  const before = await lockMessage(tx, input.accountId, input.conversationId, input.messageId);
  const [after] = await tx
    .update(messages)
    .set({
      contentAttributes: { ...before.contentAttributes, ...input.contentAttributes },
      ...(input.status ? { status: input.status } : {}),
      updatedAt: sql`now()`,
    })
    .where(and(eq(messages.accountId, input.accountId), eq(messages.id, before.id)))
    .returning();
  if (!after) throw notFound('Message');
  await recordMessageUpdated(tx, after, input.actor);
  return after;
}

/**
 * Deletes a message the way Chatwoot does: the row stays (the thread keeps its shape) with its
 * content replaced and `deleted: true`; attachments go. Returns the blob keys to remove once the
 * transaction has committed.
 */
export async function deleteMessage(
  tx: Db,
  input: { accountId: number; conversationId: number; messageId: number; actor: Actor },
): Promise<{ message: MessageRow; removedBlobKeys: string[] }> {
  const before = await lockMessage(tx, input.accountId, input.conversationId, input.messageId);
  const removed = await tx
    .delete(attachments)
    .where(and(eq(attachments.accountId, input.accountId), eq(attachments.messageId, before.id)))
    .returning({ blobKey: attachments.blobKey });
  const [after] = await tx
    .update(messages)
    .set({
      content: DELETED_MESSAGE_CONTENT,
      contentType: 'text',
      contentAttributes: { deleted: true },
      deletedAt: sql`now()`,
      updatedAt: sql`now()`,
    })
    .where(and(eq(messages.accountId, input.accountId), eq(messages.id, before.id)))
    .returning();
  if (!after) throw notFound('Message');
  await recordMessageUpdated(tx, after, input.actor);
  return {
    message: after,
    removedBlobKeys: removed.map((row) => row.blobKey).filter((key): key is string => key !== null),
  };
}
