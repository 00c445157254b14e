import { and, eq, sql } from 'drizzle-orm';
import type { Db } from '../../platform/db/database.js';
import { notFound } from '../../platform/errors.js';
import { recordEvent, type Actor } from '../../platform/events/outbox.js';
import { findAgentBot, getAgentBot, type AgentBotRow } from '../agent-bots/agent-bots.js';
import { syncAgentBotSubscription } from '../agent-bots/bot-subscriptions.js';
import { inboxes, type InboxRow } from './inboxes.tables.js';
import { inboxEventPayload, inboxUpdated } from './inboxes.events.js';
import { getInbox } from './inboxes.js';

/** The bot answering an inbox, or null. */
export async function findInboxAgentBot(
  db: Db,
  accountId: number,
  inboxId: number,
): Promise<AgentBotRow | null> {
  const inbox = await getInbox(db, accountId, inboxId);
  if (inbox.agentBotId === null) return null;
  return findAgentBot(db, { accountId }, inbox.agentBotId);
}

/**
 * Binds a bot (the account's own or a shared platform bot) to an inbox, or unbinds with null.
 * The bot's webhook subscriptions follow in the same transaction.
 */
export async function setInboxAgentBot(
  db: Db,
  input: { accountId: number; inboxId: number; agentBotId: number | null },
  actor: Actor,
): Promise<InboxRow> {
  const { accountId, inboxId, agentBotId } = input;
  const current = await getInbox(db, accountId, inboxId);
  if (agentBotId !== null) await getAgentBot(db, { accountId }, agentBotId);
  return db.transaction(async (tx) => {
    const [row] = await tx
      .update(inboxes)
      .set({ agentBotId, updatedAt: sql`now()` })
      .where(and(eq(inboxes.accountId, accountId), eq(inboxes.id, inboxId)))
      .returning();
    if (!row) throw notFound('Inbox');
    if (current.agentBotId !== null && current.agentBotId !== agentBotId) {
      await syncAgentBotSubscription(tx, accountId, current.agentBotId);
    }
    if (agentBotId !== null) await syncAgentBotSubscription(tx, accountId, agentBotId);
    await recordEvent(tx, inboxUpdated, {
      accountId,
      aggregateId: row.id,
      payload: inboxEventPayload(row),
      actor,
    });
    return row;
  });
}
