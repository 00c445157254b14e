import { and, desc, eq, inArray, sql } from 'drizzle-orm';
import { queryRows, type Db } from '../../platform/db/database.js';
import { recordEvent, type Actor } from '../../platform/events/outbox.js';
import type { ConversationRow } from '../conversations/conversations.tables.js';
import { snapshotOfRow } from '../conversations/conversation-snapshots.js';
import {
  liveEntryStates,
  routingEntries,
  routingOfferAgents,
  routingOffers,
  type EntryRow,
  type EntryState,
  type QueueRow,
} from './routing.tables.js';
import { conversationEnqueued } from './routing.events.js';
import { queueRefOf } from './queues.js';
import { armAccountSweep, scheduleQueueDispatch } from './routing.jobs.js';
import { touchAgents } from './eligibility.js';

/** The conversation's entry that is still waiting or offered, locked when `isLocked`. */
export async function findLiveEntry(
  tx: Db,
  accountId: number,
  conversationId: number,
  options: { isLocked?: boolean } = {},
): Promise<EntryRow | null> {
  const query = tx
    .select()
    .from(routingEntries)
    .where(
      and(
        eq(routingEntries.accountId, accountId),
        eq(routingEntries.conversationId, conversationId),
        inArray(routingEntries.state, [...liveEntryStates]),
      ),
    );
  const [row] = options.isLocked ? await query.for('update') : await query;
  return row ?? null;
}

/** The queue the conversation last waited in, if it ever did. */
export async function findLastQueueId(
  tx: Db,
  accountId: number,
  conversationId: number,
): Promise<number | null> {
  const [row] = await tx
    .select({ queueId: routingEntries.queueId })
    .from(routingEntries)
    .where(and(eq(routingEntries.accountId, accountId), eq(routingEntries.conversationId, conversationId)))
    .orderBy(desc(routingEntries.id))
    .limit(1);
  return row?.queueId ?? null;
}

/**
 * Puts the conversation in the queue unless it already waits somewhere (the live-entry index
 * makes a concurrent second enqueue a no-op), records conversation.enqueued, asks for an offer and
 * arms the account's sweep, all in the caller's transaction.
 */
export async function enqueueConversation(
  tx: Db,
  input: {
    conversation: ConversationRow;
    queue: QueueRow;
    actor: Actor;
    personalUserId?: number | undefined;
  },
): Promise<EntryRow | null> {
  const { conversation, queue } = input;
  const [entry] = await tx
    .insert(routingEntries)
    .values({
      accountId: conversation.accountId,
      conversationId: conversation.id,
      queueId: queue.id,
      personalUserId: input.personalUserId ?? null,
    })
    .onConflictDoNothing()
    .returning();
  if (!entry) return null;
  await recordEvent(tx, conversationEnqueued, {
    accountId: conversation.accountId,
    aggregateId: conversation.id,
    payload: { conversation: await snapshotOfRow(tx, conversation), queue: queueRefOf(queue) },
    actor: input.actor,
  });
  await scheduleQueueDispatch(tx, conversation.accountId, queue.id);
  await armAccountSweep(tx, conversation.accountId);
  return entry;
}

/** Ends a live entry: its open offer is cancelled (pending agents freed) and the entry takes its final state. */
export async function endEntry(
  tx: Db,
  entry: EntryRow,
  state: Exclude<EntryState, 'waiting' | 'offered'>,
  options: { assignedUserId?: number | null } = {},
): Promise<void> {
  const [open] = await tx
    .update(routingOffers)
    .set({ state: 'cancelled', closedAt: sql`clock_timestamp()` })
    .where(
      and(
        eq(routingOffers.accountId, entry.accountId),
        eq(routingOffers.entryId, entry.id),
        eq(routingOffers.state, 'open'),
      ),
    )
    .returning({ id: routingOffers.id });
  if (open) {
    const freed = await tx
      .update(routingOfferAgents)
      .set({ state: 'cancelled', respondedAt: sql`clock_timestamp()` })
      .where(
        and(
          eq(routingOfferAgents.accountId, entry.accountId),
          eq(routingOfferAgents.offerId, open.id),
          eq(routingOfferAgents.state, 'pending'),
        ),
      )
      .returning({ userId: routingOfferAgents.userId });
    await touchAgents(
      tx,
      entry.accountId,
      freed.map((row) => row.userId),
    );
  }
  await tx
    .update(routingEntries)
    .set({
      state,
      endedAt: sql`clock_timestamp()`,
      updatedAt: sql`now()`,
      ...(options.assignedUserId !== undefined && { assignedUserId: options.assignedUserId }),
    })
    .where(and(eq(routingEntries.accountId, entry.accountId), eq(routingEntries.id, entry.id)));
}

/** Milliseconds the entry has waited so far, on the database clock. */
export async function waitedMs(tx: Db, entry: EntryRow): Promise<number> {
  const [row] = await queryRows<{ ms: number }>(
    tx,
    sql`SELECT (extract(epoch FROM clock_timestamp() - ${entry.enqueuedAt.toISOString()}::timestamptz) * 1000)::float8 AS ms`,
  );
  return Math.max(0, Math.round(row?.ms ?? 0));
}
