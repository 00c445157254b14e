import { and, eq } from 'drizzle-orm';
import type { Db } from '../../platform/db/database.js';
import type { EventConsumer } from '../../platform/events/relay.js';
import type { EventRow } from '../../platform/events/events.tables.js';
import { conversations } from '../conversations/conversations.tables.js';
import { endEntry, findLiveEntry } from './entries.js';
import { scheduleRetry } from './routing.jobs.js';

interface ConversationEvent {
  conversation?: { id?: unknown };
  changes?: { assignee_id?: { from?: unknown; to?: unknown } };
  availability?: unknown;
}

/**
 * What routing learns from events rather than in the writer's transaction. Enqueueing (creation,
 * reopen) and abandonment (close) happen in the conversation core's own transaction (see
 * conversation-lifecycle.ts), so this consumer only handles changes made outside routing that it
 * may learn of late: a conversation assigned by another path leaves its queue (offering it would
 * end the entry anyway), and freed capacity or an agent coming online triggers a pass over the
 * waiting conversations. Each step reads the rows as they are now, so a replayed event changes nothing.
 */
export const routingConsumer: EventConsumer = {
  name: 'routing',
  async handle(tx, batch) {
    const retryAccounts = new Set<number>();
    for (const event of batch) {
      const payload = event.payload as ConversationEvent;
      switch (event.type) {
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
  const id = Number(payload.conversation?.id);
  if (!Number.isInteger(id)) return;
  const [conversation] = await tx
    .select()
    .from(conversations)
    .where(and(eq(conversations.accountId, event.accountId), eq(conversations.id, id)));
  if (!conversation || conversation.assigneeId === null) return;
  const entry = await findLiveEntry(tx, event.accountId, conversation.id, { isLocked: true });
  if (entry) await endEntry(tx, entry, 'assigned', { assignedUserId: conversation.assigneeId });
}
