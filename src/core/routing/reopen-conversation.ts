import type { Db } from '../../platform/db/database.js';
import type { Actor } from '../../platform/events/outbox.js';
import { lockConversation } from '../conversations/conversations.js';
import { toggleConversationStatus } from '../conversations/update-conversation.js';
import { getQueueById, resolveQueueForInbox } from './queues.js';
import { enqueueConversation, findLastQueueId, findLiveEntry } from './entries.js';
import { setAssignee } from './assign-agent.js';
import { assertAccountAgent } from './claim-conversation.js';

/**
 * Reopens the conversation and offers it in the queue it last waited in; without one, the inbox's
 * queue or the account's default queue (Dixa: "falls back to the default organization queue").
 * The previous assignee is cleared so the queue decides who takes it.
 */
export async function reopenConversationInQueue(
  db: Db,
  input: { accountId: number; conversationId: number; byUserId: number | null; actor: Actor },
): Promise<void> {
  await db.transaction(async (tx) => {
    const { accountId } = input;
    if (input.byUserId !== null) await assertAccountAgent(tx, accountId, input.byUserId, 'userId');
    await lockConversation(tx, accountId, input.conversationId);
    const reopened = await toggleConversationStatus(tx, {
      accountId,
      conversationId: input.conversationId,
      status: 'open',
      actor: input.actor,
    });
    if (await findLiveEntry(tx, accountId, reopened.id)) return;
    const lastQueueId = await findLastQueueId(tx, accountId, reopened.id);
    const queue =
      lastQueueId !== null
        ? await getQueueById(tx, accountId, lastQueueId)
        : await resolveQueueForInbox(tx, accountId, reopened.inboxId);
    if (!queue) return;
    const unassigned = await setAssignee(tx, reopened, null, input.actor);
    await enqueueConversation(tx, { conversation: unassigned, queue, actor: input.actor });
  });
}
