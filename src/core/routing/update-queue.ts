import { and, eq, sql } from 'drizzle-orm';
import type { Db } from '../../platform/db/database.js';
import { notFound } from '../../platform/errors.js';
import type { Actor } from '../../platform/events/outbox.js';
import { queueUpdated, recordQueueEvent } from './queue-admin.events.js';
import { routingQueues, type OfferingAlgorithm, type QueueRow } from './routing.tables.js';

/** The settings an administrator edits on a queue; `null` clears an optional one. */
export interface QueueChanges {
  name?: string | undefined;
  offeringAlgorithm?: OfferingAlgorithm | undefined;
  /** Seconds an offer stays open. */
  offerTimeout?: number | undefined;
  /** Seconds an agent wraps up after closing a conversation of this queue; null: none. */
  wrapupTimeout?: number | null | undefined;
  /** Lower is served first when an agent could take conversations of several queues; null: none. */
  priority?: number | null | undefined;
}

/**
 * Changes a queue's settings. They act from the next offer on: an offer already open keeps the
 * timeout it was made with, and an agent already wrapping up keeps their end time.
 */
export async function updateQueue(
  db: Db,
  input: { accountId: number; queueId: number; changes: QueueChanges },
  actor: Actor,
): Promise<QueueRow> {
  const { changes } = input;
  return db.transaction(async (tx) => {
    const [row] = await tx
      .update(routingQueues)
      .set({
        ...(changes.name !== undefined && { name: changes.name }),
        ...(changes.offeringAlgorithm !== undefined && { offeringAlgorithm: changes.offeringAlgorithm }),
        ...(changes.offerTimeout !== undefined && { offerTimeout: changes.offerTimeout }),
        ...(changes.wrapupTimeout !== undefined && { wrapupTimeout: changes.wrapupTimeout }),
        ...(changes.priority !== undefined && { priority: changes.priority }),
        updatedAt: sql`now()`,
      })
      .where(and(eq(routingQueues.accountId, input.accountId), eq(routingQueues.id, input.queueId)))
      .returning();
    if (!row) throw notFound('Queue');
    await recordQueueEvent(tx, queueUpdated, row, actor);
    return row;
  });
}
