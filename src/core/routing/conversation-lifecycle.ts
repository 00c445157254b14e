import { and, desc, eq, sql } from 'drizzle-orm';
import { queryRows, type Db } from '../../platform/db/database.js';
import type { ConversationRow } from '../conversations/conversations.tables.js';
import { getQueueById, resolveQueueForInbox } from './queues.js';
import { endEntry, enqueueConversation, findLastQueueId, findLiveEntry } from './entries.js';
import { recordAbandonment } from './dispatch.js';
import { scheduleRetry } from './routing.jobs.js';
import { routingEntries, routingQueues, type QueueRow } from './routing.tables.js';
import { startWrapup } from './eligibility.js';
import { scheduleRatingOffer } from './csat-offer.js';

/*
 * Routing's part of the conversation lifecycle. The conversation core calls these in the
 * transaction that creates the conversation or changes its status, so a conversation waits in its
 * queue (with its dispatch job) from the instant it exists, and an entry never outlives the
 * conversation being open: no event-relay lag, no window in which a close goes unrecorded.
 */

const SYSTEM = { type: 'system' } as const;

/**
 * A new open, unassigned conversation waits in `queue` when the caller chose one (a callback names
 * it), else in its inbox's queue, else in the account's default queue; without any it is not routed.
 */
export async function routeNewConversation(
  tx: Db,
  conversation: ConversationRow,
  queue: QueueRow | null = null,
): Promise<void> {
  if (conversation.status !== 'open' || conversation.assigneeId !== null) return;
  const target = queue ?? (await resolveQueueForInbox(tx, conversation.accountId, conversation.inboxId));
  if (target) await enqueueConversation(tx, { conversation, queue: target, actor: SYSTEM });
}

/**
 * After a status change: a reopened unassigned conversation waits again (in the queue it last
 * waited in, else its inbox's); one closed while queued is abandoned, one snoozed or pending just
 * leaves the queue; one an agent handled is offered a rating on close; and an agent whose
 * conversation closed has a slot for a waiting one.
 */
export async function routeStatusChange(
  tx: Db,
  after: ConversationRow,
  previousStatus: string,
): Promise<void> {
  const { accountId } = after;
  if (after.status === 'open') {
    if (after.assigneeId !== null || (await findLiveEntry(tx, accountId, after.id))) return;
    const lastQueueId = await findLastQueueId(tx, accountId, after.id);
    const queue =
      lastQueueId !== null
        ? await getQueueById(tx, accountId, lastQueueId)
        : await resolveQueueForInbox(tx, accountId, after.inboxId);
    if (queue) await enqueueConversation(tx, { conversation: after, queue, actor: SYSTEM });
    return;
  }
  const entry = await findLiveEntry(tx, accountId, after.id, { isLocked: true });
  if (entry) {
    if (after.status === 'resolved') await recordAbandonment(tx, entry);
    else await endEntry(tx, entry, 'closed');
  }
  if (after.status === 'resolved') await scheduleRatingOffer(tx, after);
  const freesAgent = previousStatus === 'open' && after.assigneeId !== null;
  if (freesAgent && after.status === 'resolved') await startWrapupAfter(tx, after);
  if ((entry || freesAgent) && (await hasWaitingEntries(tx, accountId))) {
    await scheduleRetry(tx, accountId, { isDeduplicated: true });
  }
}

/** Wrap-up applies to a conversation the agent took from a queue: that queue's wrap-up timeout. */
async function startWrapupAfter(tx: Db, conversation: ConversationRow): Promise<void> {
  const userId = conversation.assigneeId;
  if (userId === null) return;
  const [taken] = await tx
    .select({ wrapupTimeout: routingQueues.wrapupTimeout })
    .from(routingEntries)
    .innerJoin(
      routingQueues,
      and(
        eq(routingQueues.accountId, routingEntries.accountId),
        eq(routingQueues.id, routingEntries.queueId),
      ),
    )
    .where(
      and(
        eq(routingEntries.accountId, conversation.accountId),
        eq(routingEntries.conversationId, conversation.id),
        eq(routingEntries.state, 'assigned'),
        eq(routingEntries.assignedUserId, userId),
      ),
    )
    .orderBy(desc(routingEntries.id))
    .limit(1);
  const wrapupSeconds = taken?.wrapupTimeout ?? 0;
  if (wrapupSeconds > 0) await startWrapup(tx, { accountId: conversation.accountId, userId, wrapupSeconds });
}

/** One index probe; keeps accounts that do not route (most Chatwoot accounts) free of retry jobs. */
async function hasWaitingEntries(tx: Db, accountId: number): Promise<boolean> {
  const rows = await queryRows<{ found: number }>(
    tx,
    sql`SELECT 1 AS found FROM routing_entries WHERE account_id = ${accountId} AND state = 'waiting' LIMIT 1`,
  );
  return rows.length > 0;
}
