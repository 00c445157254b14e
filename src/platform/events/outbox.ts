import { sql } from 'drizzle-orm';
import { builtOncePerVariant } from '../db/built-once.js';
import type { Db } from '../db/database.js';
import { notifyAfterCommit } from '../db/notify-after-commit.js';
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

interface EventValues extends Record<string, unknown> {
  accountId: number;
  type: string;
  version: number;
  aggregateType: string;
  aggregateId: string;
  actor: Record<string, unknown> | null;
  payload: Record<string, unknown>;
}

const eventValues = <TPayload extends Record<string, unknown>>(
  definition: EventDefinition<TPayload>,
  item: RecordedEvent<TPayload>,
): EventValues => ({
  accountId: item.accountId,
  type: definition.type,
  version: definition.version,
  aggregateType: definition.aggregateType,
  aggregateId: String(item.aggregateId),
  actor: item.actor ? { ...item.actor } : null,
  payload: definition.payloadSchema.parse(item.payload),
});

/**
 * Where nobody sends the relay's wake-up after the commit (`notifyAfterCommit`), the NOTIFY rides
 * on the INSERT, saving a round trip; PostgreSQL folds the identical notifications of one
 * transaction into one.
 */
const notified = { notified: sql`pg_notify(${EVENTS_CHANNEL}, '')` };
const inserted = { notified: sql`null` };

/** Most changes record one event: its statement is built once (`builtOnce`), not on every write. */
const insertOneEvent = builtOncePerVariant<
  { notified: unknown },
  EventValues & { actorJson: string | null },
  'notifying' | 'silent'
>(
  (variant) => `event_insert_${variant}`,
  (db, value, variant) =>
    db
      .insert(events)
      .values({
        accountId: value('accountId'),
        type: value('type'),
        version: value('version'),
        aggregateType: value('aggregateType'),
        aggregateId: value('aggregateId'),
        // As text: the column's encoder would store a null actor as JSON null, not NULL.
        actor: sql`${value('actorJson')}::jsonb`,
        payload: value('payload'),
      })
      .returning(variant === 'notifying' ? notified : inserted),
);

/**
 * Writes events into the outbox inside the caller's transaction, so they exist if and only if
 * the change commits. A NOTIFY once it commits wakes the relay at once.
 */
export async function recordEvents<TPayload extends Record<string, unknown>>(
  tx: Db,
  definition: EventDefinition<TPayload>,
  items: RecordedEvent<TPayload>[],
): Promise<void> {
  const [only, ...more] = items;
  if (!only) return;
  const variant = notifyAfterCommit(tx, EVENTS_CHANNEL) ? 'silent' : 'notifying';
  if (more.length === 0) {
    const values = eventValues(definition, only);
    await insertOneEvent(variant, tx, {
      ...values,
      actorJson: values.actor === null ? null : JSON.stringify(values.actor),
    });
    return;
  }
  await tx
    .insert(events)
    .values(items.map((item) => eventValues(definition, item)))
    .returning(variant === 'notifying' ? notified : inserted);
}

/**
 * One event's insert, unexecuted, for a statement that writes it beside other changes (message
 * create's guarded write). `notifying` has the NOTIFY ride on it, as `recordEvents` does where
 * nobody notifies after the commit.
 */
export function eventInsert<TPayload extends Record<string, unknown>>(
  db: Db,
  definition: EventDefinition<TPayload>,
  item: RecordedEvent<TPayload>,
  variant: 'notifying' | 'silent',
) {
  return db
    .insert(events)
    .values(eventValues(definition, item))
    .returning(variant === 'notifying' ? notified : inserted);
}

export function recordEvent<TPayload extends Record<string, unknown>>(
  tx: Db,
  definition: EventDefinition<TPayload>,
  item: RecordedEvent<TPayload>,
): Promise<void> {
  return recordEvents(tx, definition, [item]);
}
