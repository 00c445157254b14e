import type { Db } from '../../platform/db/database.js';
import { DomainError } from '../../platform/errors.js';
import { recordEvent, type Actor } from '../../platform/events/outbox.js';
import { lockConversation } from '../conversations/conversations.js';
import { snapshotOfRow } from '../conversations/conversation-snapshots.js';
import { conversationTransferred } from './routing.events.js';
import { getQueueById, queueRefOf } from './queues.js';
import { endEntry, enqueueConversation, findLastQueueId, findLiveEntry } from './entries.js';
import { setAssignee } from './assign-agent.js';
import { assertAccountAgent } from './claim-conversation.js';
import { scheduleRetry } from './routing.jobs.js';

/**
 * Moves the conversation to a queue: its current entry ends as transferred, the assignee is
 * cleared and it waits in the target queue to be offered. A closed conversation cannot be
 * transferred (reopen it instead, which offers it again).
 */
export async function transferConversationToQueue(
  db: Db,
  input: {
    accountId: number;
    conversationId: number;
    queueId: number;
    byUserId: number | null;
    /** A personal transfer: the queue offers it to this agent alone (see offer-constraints.ts). */
    personalUserId?: number | undefined;
    actor: Actor;
  },
): Promise<void> {
  await db.transaction(async (tx) => {
    const { accountId } = input;
    if (input.byUserId !== null) await assertAccountAgent(tx, accountId, input.byUserId, 'userId');
    const { personalUserId } = input;
    if (personalUserId !== undefined) await assertAccountAgent(tx, accountId, personalUserId, 'agentId');
    const target = await getQueueById(tx, accountId, input.queueId);
    const before = await lockConversation(tx, accountId, input.conversationId);
    if (before.status === 'resolved') {
      throw new DomainError(
        'INVALID_STATE',
        'A closed conversation cannot be transferred; reopen it instead',
      );
    }
    const entry = await findLiveEntry(tx, accountId, before.id, { isLocked: true });
    if (entry) await endEntry(tx, entry, 'transferred');
    // Without a live entry, the queue it came through last (it was claimed from there).
    const fromQueueId = entry?.queueId ?? (await findLastQueueId(tx, accountId, before.id));
    const fromQueue =
      fromQueueId === null ? null : queueRefOf(await getQueueById(tx, accountId, fromQueueId));
    const after = await setAssignee(tx, before, null, input.actor);
    await recordEvent(tx, conversationTransferred, {
      accountId,
      aggregateId: after.id,
      payload: {
        conversation: await snapshotOfRow(tx, after),
        fromQueue,
        queue: queueRefOf(target),
        byUserId: input.byUserId,
      },
      actor: input.actor,
    });
    await enqueueConversation(tx, { conversation: after, queue: target, actor: input.actor, personalUserId });
    // The previous assignee has a free slot now.
    if (before.assigneeId !== null) await scheduleRetry(tx, accountId, { isDeduplicated: true });
  });
}
