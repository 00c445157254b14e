import { sql } from 'drizzle-orm';
import type { Db } from '../db/database.js';
import type { EventDefinition } from './event-definition.js';
import { events } from './events.tables.js';

export const EVENTS_CHANNEL = 'parley_events';

/** Who caused an event, as stored with it. */
export interface Actor {
  type: 'user' | 'api_key' | 'platform' | 'system' | 'contact' | 'agent_bot';
  id?: number | string;
  /** The client address of the HTTP request that acted, when one did (audit logs' remote_address). */
  ip?: string;
  /** That request's id, as echoed in `x-request-id` (audit logs' request_uuid). */
  requestId?: string;
}

export interface RecordedEvent<TPayload extends Record<string, unknown>> {
  accountId: number;
  aggregateId: string | number;
  payload: TPayload;
  actor?: Actor | undefined;
}

/**
 * Writes events into the outbox inside the caller's transaction, so they exist if and only if
 * the change commits. The NOTIFY is delivered on commit and wakes the relay at once.
 */
export async function recordEvents<TPayload extends Record<string, unknown>>(
  tx: Db,
  definition: EventDefinition<TPayload>,
  items: RecordedEvent<TPayload>[],
): Promise<void> {
  if (items.length === 0) return;
  // The NOTIFY rides on the INSERT, saving a round trip; PostgreSQL folds the identical
  // notifications of one transaction into one.
  await tx
    .insert(events)
    .values(
      items.map((item) => ({
        accountId: item.accountId,
        type: definition.type,
        version: definition.version,
        aggregateType: definition.aggregateType,
        aggregateId: String(item.aggregateId),
        actor: item.actor ? { ...item.actor } : null,
        payload: definition.payloadSchema.parse(item.payload),
      })),
    )
    .returning({ notified: sql`pg_notify(${EVENTS_CHANNEL}, '')` });
}

export function recordEvent<TPayload extends Record<string, unknown>>(
  tx: Db,
  definition: EventDefinition<TPayload>,
  item: RecordedEvent<TPayload>,
): Promise<void> {
  return recordEvents(tx, definition, [item]);
}
