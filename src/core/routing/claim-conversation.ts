import { and, eq } from 'drizzle-orm';
import type { Db } from '../../platform/db/database.js';
import { DomainError } from '../../platform/errors.js';
import { recordEvent, type Actor } from '../../platform/events/outbox.js';
import { lockConversation } from '../conversations/conversations.js';
import { snapshotOfRow } from '../conversations/conversation-snapshots.js';
import { accountUsers } from '../identity/identity.tables.js';
import { conversationClaimed } from './routing.events.js';
import { getQueueById, queueRefOf } from './queues.js';
import { endEntry, findLiveEntry } from './entries.js';
import { setAssignee } from './assign-agent.js';
import { touchAgents } from './eligibility.js';

export async function assertAccountAgent(
  tx: Db,
  accountId: number,
  userId: number,
  path: string,
): Promise<void> {
  const [member] = await tx
    .select({ userId: accountUsers.userId })
    .from(accountUsers)
    .where(and(eq(accountUsers.accountId, accountId), eq(accountUsers.userId, userId)));
  if (!member) {
    throw new DomainError('VALIDATION_FAILED', 'The agent is not a member of this account', [
      { path, message: 'is not an agent of this account' },
    ]);
  }
}

/**
 * An agent takes the conversation directly. Without `force`, a conversation assigned to someone
 * else is refused with CONFLICT. A queue entry still waiting or offered ends as assigned, its open
 * offer cancelled.
 */
export async function claimConversation(
  db: Db,
  input: { accountId: number; conversationId: number; agentUserId: number; force: boolean; actor: Actor },
): Promise<void> {
  await db.transaction(async (tx) => {
    const { accountId } = input;
    await assertAccountAgent(tx, accountId, input.agentUserId, 'agentId');
    const before = await lockConversation(tx, accountId, input.conversationId);
    if (before.assigneeId === input.agentUserId) return;
    if (before.assigneeId !== null && !input.force) {
      throw new DomainError('CONFLICT', 'The conversation is already assigned to another agent');
    }
    const entry = await findLiveEntry(tx, accountId, before.id, { isLocked: true });
    if (entry) await endEntry(tx, entry, 'assigned', { assignedUserId: input.agentUserId });
    await touchAgents(tx, accountId, [input.agentUserId]);
    const after = await setAssignee(tx, before, input.agentUserId, input.actor);
    const queue = entry ? queueRefOf(await getQueueById(tx, accountId, entry.queueId)) : null;
    await recordEvent(tx, conversationClaimed, {
      accountId,
      aggregateId: after.id,
      payload: {
        conversation: await snapshotOfRow(tx, after),
        queue,
        agentId: input.agentUserId,
        fromAgentId: before.assigneeId,
      },
      actor: input.actor,
    });
  });
}
