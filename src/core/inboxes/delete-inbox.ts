import { and, eq } from 'drizzle-orm';
import type { Db } from '../../platform/db/database.js';
import { notFound } from '../../platform/errors.js';
import { recordEvent, type Actor } from '../../platform/events/outbox.js';
import { syncAgentBotSubscription } from '../agent-bots/bot-subscriptions.js';
import { inboxes } from './inboxes.tables.js';
import { inboxDeleted, inboxEventPayload } from './inboxes.events.js';
import { syncInboxCallbackSubscription } from './callback-subscriptions.js';

/**
 * Deletes an inbox with its members, contact inboxes and conversations (foreign-key cascades),
 * and the callback and bot subscriptions that pointed at it, in one transaction.
 */
export async function deleteInbox(db: Db, accountId: number, inboxId: number, actor: Actor): Promise<void> {
  await db.transaction(async (tx) => {
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
