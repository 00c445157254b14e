import { and, eq } from 'drizzle-orm';
import type { Db } from '../../platform/db/database.js';
import type { EventConsumer } from '../../platform/events/relay.js';
import type { EventRow } from '../../platform/events/events.tables.js';
import { conversations } from '../conversations/conversations.tables.js';
import { getQueueById, resolveQueueForInbox } from './queues.js';
import { endEntry, enqueueConversation, findLastQueueId, findLiveEntry } from './entries.js';
import { recordAbandonment } from './dispatch.js';
import { scheduleRetry } from './routing.jobs.js';

const SYSTEM = { type: 'system' } as const;

interface ConversationEvent {
  conversation?: { id?: unknown };
  previousStatus?: unknown;
  changes?: { assignee_id?: { from?: unknown; to?: unknown } };
  availability?: unknown;
}

/**
 * Keeps queues in step with conversations and agents. A new or reopened unassigned conversation
 * is enqueued; one closed while queued is abandoned; one assigned outside routing leaves its
 * queue; freed capacity or an agent coming online triggers a pass over the waiting conversations.
 * Each step reads the rows as they are now, so a replayed event changes nothing.
 */
export const routingConsumer: EventConsumer = {
  name: 'routing',
  async handle(tx, batch) {
    const retryAccounts = new Set<number>();
    for (const event of batch) {
      const payload = event.payload as ConversationEvent;
      switch (event.type) {
        case 'conversation.created':
          await enqueueIfUnassigned(tx, event, payload, 'new');
          break;
        case 'conversation.status_changed':
          await onStatusChanged(tx, event, payload, retryAccounts);
          break;
        case 'conversation.updated':
          await onAssigneeChanged(tx, event, payload, retryAccounts);
          break;
        case 'member.updated':
        case 'member.added':
          if (payload.availability === 'online') retryAccounts.add(event.accountId);
          break;
        default:
          break;
      }
    }
    for (const accountId of retryAccounts) await scheduleRetry(tx, accountId, { isDeduplicated: true });
  },
};

async function currentConversation(tx: Db, event: EventRow, payload: ConversationEvent) {
  const id = Number(payload.conversation?.id);
  if (!Number.isInteger(id)) return null;
  const [row] = await tx
    .select()
    .from(conversations)
    .where(and(eq(conversations.accountId, event.accountId), eq(conversations.id, id)));
  return row ?? null;
}

async function enqueueIfUnassigned(
  tx: Db,
  event: EventRow,
  payload: ConversationEvent,
  reason: 'new' | 'reopened',
): Promise<void> {
  const conversation = await currentConversation(tx, event, payload);
  if (!conversation || conversation.status !== 'open' || conversation.assigneeId !== null) return;
  if (await findLiveEntry(tx, event.accountId, conversation.id)) return;
  const lastQueueId =
    reason === 'reopened' ? await findLastQueueId(tx, event.accountId, conversation.id) : null;
  const queue =
    lastQueueId !== null
      ? await getQueueById(tx, event.accountId, lastQueueId)
      : await resolveQueueForInbox(tx, event.accountId, conversation.inboxId);
  if (queue) await enqueueConversation(tx, { conversation, queue, actor: SYSTEM });
}

async function onStatusChanged(
  tx: Db,
  event: EventRow,
  payload: ConversationEvent,
  retryAccounts: Set<number>,
): Promise<void> {
  const conversation = await currentConversation(tx, event, payload);
  if (!conversation) return;
  if (conversation.status === 'open') {
    await enqueueIfUnassigned(tx, event, payload, 'reopened');
    return;
  }
  if (conversation.assigneeId !== null) retryAccounts.add(event.accountId);
  const entry = await findLiveEntry(tx, event.accountId, conversation.id, { isLocked: true });
  if (!entry) return;
  if (conversation.status === 'resolved') await recordAbandonment(tx, entry);
  else await endEntry(tx, entry, 'closed');
  retryAccounts.add(event.accountId);
}

async function onAssigneeChanged(
  tx: Db,
  event: EventRow,
  payload: ConversationEvent,
  retryAccounts: Set<number>,
): Promise<void> {
  const change = payload.changes?.assignee_id;
  if (!change) return;
  if (change.from !== null && change.from !== undefined) retryAccounts.add(event.accountId);
  if (change.to === null || change.to === undefined) return;
  const conversation = await currentConversation(tx, event, payload);
  if (!conversation || conversation.assigneeId === null) return;
  const entry = await findLiveEntry(tx, event.accountId, conversation.id, { isLocked: true });
  if (entry) await endEntry(tx, entry, 'assigned', { assignedUserId: conversation.assigneeId });
}
