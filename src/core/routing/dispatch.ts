import { and, asc, eq, notInArray, sql } from 'drizzle-orm';
import { queryRows, type Db } from '../../platform/db/database.js';
import { DeferJobError } from '../../platform/jobs/index.js';
import { recordEvent } from '../../platform/events/outbox.js';
import { conversations } from '../conversations/conversations.tables.js';
import { snapshotOfRow } from '../conversations/conversation-snapshots.js';
import { inboxes } from '../inboxes/inboxes.tables.js';
import {
  routingEntries,
  routingOfferAgents,
  routingOffers,
  routingQueues,
  type EntryRow,
} from './routing.tables.js';
import { conversationAbandoned, conversationOffered } from './routing.events.js';
import { getQueueById, queueRefOf } from './queues.js';
import { endEntry, waitedMs } from './entries.js';
import { findEligibleAgents, touchAgents } from './eligibility.js';
import { pickAgents } from './offering-algorithms.js';
import { narrowCandidates } from './offer-constraints.js';
import { scheduleOfferExpiry, scheduleQueueDispatch } from './routing.jobs.js';

/**
 * Offering in one account is serialised: capacity is shared across queues, so two offers made at
 * once could both take an agent's last slot. Other accounts are not held up. Jobs take the lock
 * without waiting: a job that finds it held is deferred and retried a moment later, so a burst of
 * jobs never parks every database connection on one lock.
 */
export async function tryLockAccountRouting(tx: Db, accountId: number): Promise<void> {
  const [row] = await queryRows<{ locked: boolean }>(
    tx,
    sql`SELECT pg_try_advisory_xact_lock(hashtextextended(${`routing:${accountId}`}::text, 0)) AS locked`,
  );
  if (!row?.locked) throw new DeferJobError(LOCK_RETRY_MS + Math.floor(Math.random() * LOCK_RETRY_MS));
}

const LOCK_RETRY_MS = 50;

export type OfferOutcome = 'offered' | 'no_agent' | 'ended' | 'skipped';

/**
 * Makes the next offer for a waiting entry. The caller holds the account lock; the entry row is
 * locked here, so a concurrent accept, claim or abandonment waits or is seen. An entry whose
 * conversation was assigned or closed meanwhile is ended instead.
 */
export async function offerEntry(tx: Db, accountId: number, entryId: number): Promise<OfferOutcome> {
  const [entry] = await tx
    .select()
    .from(routingEntries)
    .where(and(eq(routingEntries.accountId, accountId), eq(routingEntries.id, entryId)))
    .for('update');
  if (!entry || entry.state !== 'waiting') return 'skipped';
  const [row] = await tx
    .select({ conversation: conversations, channel: inboxes.channelType })
    .from(conversations)
    .innerJoin(
      inboxes,
      and(eq(inboxes.accountId, conversations.accountId), eq(inboxes.id, conversations.inboxId)),
    )
    .where(and(eq(conversations.accountId, accountId), eq(conversations.id, entry.conversationId)));
  if (!row) return 'skipped';
  const { conversation, channel } = row;
  if (conversation.assigneeId !== null) {
    await endEntry(tx, entry, 'assigned', { assignedUserId: conversation.assigneeId });
    return 'ended';
  }
  // An abandoned conversation stays queued (and is offered, closed) only where the queue offers them.
  if (conversation.status !== 'open' && entry.abandonedAt === null) {
    await endUnroutable(tx, entry, conversation.status === 'resolved');
    return 'ended';
  }
  const queue = await getQueueById(tx, accountId, entry.queueId);
  const eligible = await findEligibleAgents(tx, { accountId, queueId: queue.id, channel });
  const { candidates, reservedFor, holdMs } = await narrowCandidates(
    tx,
    { queue, entry, conversation, channel },
    eligible,
  );
  if (holdMs !== null) {
    // A personal transfer waits for its online agent without end: their freed capacity triggers a pass.
    if (Number.isFinite(holdMs)) {
      await scheduleQueueDispatch(tx, accountId, queue.id, { afterMs: holdMs, entryId: entry.id });
    }
    return 'no_agent';
  }
  const pick = reservedFor
    ? { userIds: [reservedFor.userId], tried: [...new Set([...entry.triedUserIds, reservedFor.userId])] }
    : pickAgents(queue.offeringAlgorithm, candidates, entry.triedUserIds);
  if (pick.userIds.length === 0) return 'no_agent';
  const offerSeconds = reservedFor?.offerSeconds ?? queue.offerTimeout;

  const [offer] = await tx
    .insert(routingOffers)
    .values({
      accountId,
      entryId: entry.id,
      conversationId: conversation.id,
      queueId: queue.id,
      channel,
      // clock_timestamp, not now(): an offer made in the transaction that closed the previous one
      // must not appear to open before that one closed.
      offeredAt: sql`clock_timestamp()`,
      expiresAt: sql`clock_timestamp() + ${offerSeconds}::int * interval '1 second'`,
    })
    .returning();
  if (!offer) throw new Error('offer insert returned no row');
  await tx
    .insert(routingOfferAgents)
    .values(pick.userIds.map((userId) => ({ accountId, offerId: offer.id, userId, channel })));
  await tx
    .update(routingEntries)
    .set({
      state: 'offered',
      triedUserIds: pick.tried,
      firstOfferedAt: sql`coalesce(${routingEntries.firstOfferedAt}, ${offer.offeredAt.toISOString()}::timestamptz)`,
      updatedAt: sql`now()`,
    })
    .where(and(eq(routingEntries.accountId, accountId), eq(routingEntries.id, entry.id)));
  await touchAgents(tx, accountId, pick.userIds);
  await recordEvent(tx, conversationOffered, {
    accountId,
    aggregateId: conversation.id,
    payload: {
      conversation: await snapshotOfRow(tx, conversation),
      queue: queueRefOf(queue),
      offerId: offer.id,
      agentIds: pick.userIds,
      expiresAt: offer.expiresAt.toISOString(),
    },
    actor: { type: 'system' },
  });
  await scheduleOfferExpiry(tx, { accountId, offerId: offer.id, delayMs: offerSeconds * 1000 });
  return 'offered';
}

/** A conversation closed while waiting is abandoned; one snoozed or pending just leaves the queue. */
async function endUnroutable(tx: Db, entry: EntryRow, isResolved: boolean): Promise<void> {
  if (!isResolved) {
    await endEntry(tx, entry, 'closed');
    return;
  }
  await recordAbandonment(tx, entry);
}

/**
 * The end user left while the conversation waited: the entry ends as abandoned, or, in a queue that
 * offers abandoned conversations, stays queued marked abandoned, to be offered as a follow-up (the
 * agent who accepts reopens it). Either way the abandonment and the wait are recorded, once.
 */
export async function recordAbandonment(tx: Db, entry: EntryRow): Promise<void> {
  if (entry.abandonedAt !== null) return;
  const waited = await waitedMs(tx, entry);
  const queue = await getQueueById(tx, entry.accountId, entry.queueId);
  if (queue.offerAbandonedConversations) {
    await tx
      .update(routingEntries)
      .set({ abandonedAt: sql`clock_timestamp()`, updatedAt: sql`now()` })
      .where(and(eq(routingEntries.accountId, entry.accountId), eq(routingEntries.id, entry.id)));
  } else {
    await endEntry(tx, entry, 'abandoned');
  }
  const [conversation] = await tx
    .select()
    .from(conversations)
    .where(and(eq(conversations.accountId, entry.accountId), eq(conversations.id, entry.conversationId)));
  if (!conversation) return;
  await recordEvent(tx, conversationAbandoned, {
    accountId: entry.accountId,
    aggregateId: conversation.id,
    payload: {
      conversation: await snapshotOfRow(tx, conversation),
      queue: queueRefOf(queue),
      waitedMs: waited,
    },
    actor: { type: 'system' },
  });
}

/** Consecutive entries nobody could take before a pass over a queue stops (channels differ per entry). */
const MAX_UNTAKEN_IN_A_ROW = 10;
/** Offers made per pass; a job that reaches it schedules another pass so the account lock is not held long. */
export const OFFERS_PER_PASS = 50;

/**
 * Offers the waiting entries of a queue, oldest first, under the account lock. Returns how many
 * offers it made and whether it stopped at the pass limit with entries left.
 */
export async function dispatchQueue(
  tx: Db,
  accountId: number,
  queueId: number,
): Promise<{ offered: number; hasMore: boolean }> {
  await tryLockAccountRouting(tx, accountId);
  let offered = 0;
  let untakenInARow = 0;
  const untaken: number[] = [];
  while (untakenInARow < MAX_UNTAKEN_IN_A_ROW) {
    if (offered >= OFFERS_PER_PASS) return { offered, hasMore: true };
    const [next] = await tx
      .select({ id: routingEntries.id })
      .from(routingEntries)
      .where(
        and(
          eq(routingEntries.accountId, accountId),
          eq(routingEntries.queueId, queueId),
          eq(routingEntries.state, 'waiting'),
          untaken.length > 0 ? notInArray(routingEntries.id, untaken) : undefined,
        ),
      )
      .orderBy(asc(routingEntries.enqueuedAt), asc(routingEntries.id))
      .limit(1);
    if (!next) break;
    const outcome = await offerEntry(tx, accountId, next.id);
    if (outcome === 'no_agent' || outcome === 'skipped') {
      untaken.push(next.id);
      untakenInARow += 1;
      continue;
    }
    untakenInARow = 0;
    if (outcome === 'offered') offered += 1;
  }
  return { offered, hasMore: false };
}

/** The queues of the account with waiting conversations, best queue priority first. */
export async function listQueuesWithWaiting(tx: Db, accountId: number): Promise<number[]> {
  const rows = await tx
    .selectDistinct({ queueId: routingEntries.queueId, priority: routingQueues.priority })
    .from(routingEntries)
    .innerJoin(
      routingQueues,
      and(
        eq(routingQueues.accountId, routingEntries.accountId),
        eq(routingQueues.id, routingEntries.queueId),
      ),
    )
    .where(and(eq(routingEntries.accountId, accountId), eq(routingEntries.state, 'waiting')))
    .orderBy(sql`${routingQueues.priority} ASC NULLS LAST`, asc(routingEntries.queueId));
  return rows.map((row) => row.queueId);
}
