import { and, eq, inArray } from 'drizzle-orm';
import type { Db } from '../../platform/db/database.js';
import { notFound } from '../../platform/errors.js';
import { recordEvent, recordEvents, type Actor } from '../../platform/events/outbox.js';
import { syncAgentBotSubscription } from '../agent-bots/bot-subscriptions.js';
import { conversationDeleted } from '../conversations/conversations.events.js';
import { conversations } from '../conversations/conversations.tables.js';
import { inboxes } from './inboxes.tables.js';
import { inboxDeleted, inboxEventPayload } from './inboxes.events.js';
import { syncInboxCallbackSubscription } from './callback-subscriptions.js';

/** Conversations deleted (and their events written) per statement: bounds memory and statement size. */
export const CONVERSATION_DELETE_BATCH = 500;

/**
 * Deletes an inbox with its members, contact inboxes and conversations, and the callback and bot
 * subscriptions that pointed at it, in one transaction. Each conversation gets its own
 * conversation.deleted event (webhooks and reporting learn about it as if it were deleted alone);
 * they go a batch at a time, so a large inbox never loads all its conversations at once.
 */
export async function deleteInbox(
  db: Db,
  accountId: number,
  inboxId: number,
  actor: Actor,
  options: { batchSize?: number } = {},
): Promise<void> {
  const batchSize = options.batchSize ?? CONVERSATION_DELETE_BATCH;
  await db.transaction(async (tx) => {
    // The row lock holds off new conversations (their foreign key check waits on it) until the end.
    const [locked] = await tx
      .select({ id: inboxes.id })
      .from(inboxes)
      .where(and(eq(inboxes.accountId, accountId), eq(inboxes.id, inboxId)))
      .for('update');
    if (!locked) throw notFound('Inbox');
    await deleteConversationsOf(tx, { accountId, inboxId, actor, batchSize });
    const [row] = await tx
      .delete(inboxes)
      .where(and(eq(inboxes.accountId, accountId), eq(inboxes.id, inboxId)))
      .returning();
    if (!row) throw notFound('Inbox');
    await syncInboxCallbackSubscription(tx, accountId, inboxId, null);
    if (row.agentBotId !== null) await syncAgentBotSubscription(tx, accountId, row.agentBotId);
    await recordEvent(tx, inboxDeleted, {
      accountId,
      aggregateId: inboxId,
      payload: inboxEventPayload(row),
      actor,
    });
  });
}

async function deleteConversationsOf(
  tx: Db,
  input: { accountId: number; inboxId: number; actor: Actor; batchSize: number },
): Promise<void> {
  const { accountId, inboxId } = input;
  for (;;) {
    // conversations_inbox_idx (account_id, inbox_id, ...) finds each batch.
    const batch = tx
      .select({ id: conversations.id })
      .from(conversations)
      .where(and(eq(conversations.accountId, accountId), eq(conversations.inboxId, inboxId)))
      .limit(input.batchSize);
    const removed = await tx
      .delete(conversations)
      .where(and(eq(conversations.accountId, accountId), inArray(conversations.id, batch)))
      .returning({
        id: conversations.id,
        displayId: conversations.displayId,
        inboxId: conversations.inboxId,
      });
    await recordEvents(
      tx,
      conversationDeleted,
      removed.map((conversation) => ({
        accountId,
        aggregateId: conversation.id,
        payload: conversation,
        actor: input.actor,
      })),
    );
    if (removed.length < input.batchSize) return;
  }
}
