import { sql, type Placeholder } from 'drizzle-orm';
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

/** One event's values as `oneEventInsert` takes them. */
export interface OneEventValues extends EventValues {
  actorJson: string | null;
}

export function oneEventValues<TPayload extends Record<string, unknown>>(
  definition: EventDefinition<TPayload>,
  item: RecordedEvent<TPayload>,
): OneEventValues {
  const values = eventValues(definition, item);
  return { ...values, actorJson: values.actor === null ? null : JSON.stringify(values.actor) };
}

/**
 * One event's insert with its values as placeholders, for a statement built once: alone
 * (`recordEvents`), or beside other changes (message create's guarded write). `notifying` has
 * the NOTIFY ride on it, where nobody notifies after the commit.
 */
export function oneEventInsert(
  db: Db,
  value: (name: keyof OneEventValues & string) => Placeholder,
  variant: 'notifying' | 'silent',
) {
  return db
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
    .returning(variant === 'notifying' ? notified : inserted);
}

/** Most changes record one event: its statement is built once (`builtOnce`), not on every write. */
const insertOneEvent = builtOncePerVariant<{ notified: unknown }, OneEventValues, 'notifying' | 'silent'>(
  (variant) => `event_insert_${variant}`,
  oneEventInsert,
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
    await insertOneEvent(variant, tx, oneEventValues(definition, only));
    return;
  }
  await tx
    .insert(events)
    .values(items.map((item) => eventValues(definition, item)))
    .returning(variant === 'notifying' ? notified : inserted);
}

export function recordEvent<TPayload extends Record<string, unknown>>(
  tx: Db,
  definition: EventDefinition<TPayload>,
  item: RecordedEvent<TPayload>,
): Promise<void> {
  return recordEvents(tx, definition, [item]);
}
