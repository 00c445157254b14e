import { z } from 'zod';
import { defineEvent, type EventDefinition } from '../../platform/events/event-definition.js';
import { recordEvent, type Actor } from '../../platform/events/outbox.js';
import type { Db } from '../../platform/db/database.js';
import { offeringAlgorithms, type QueueRow } from './routing.tables.js';

/** The settings an administrator sets on a queue, as its events carry them. */
const queuePayload = z.object({
  id: z.number(),
  uuid: z.string(),
  name: z.string(),
  isDefault: z.boolean(),
  offeringAlgorithm: z.enum(offeringAlgorithms),
  /** Seconds an offer stays open. */
  offerTimeout: z.number(),
  /** Seconds of wrap-up after a conversation of this queue; null: none. */
  wrapupTimeout: z.number().nullable(),
  priority: z.number().nullable(),
});

function queueEventPayload(row: QueueRow): z.infer<typeof queuePayload> {
  return {
    id: row.id,
    uuid: row.uuid,
    name: row.name,
    isDefault: row.isDefault,
    offeringAlgorithm: row.offeringAlgorithm,
    offerTimeout: row.offerTimeout,
    wrapupTimeout: row.wrapupTimeout,
    priority: row.priority,
  };
}

/** A routing queue was created. */
export const queueCreated = defineEvent({
  type: 'queue.created',
  aggregateType: 'queue',
  version: 1,
  description: 'A routing queue was created.',
  payloadSchema: queuePayload,
});

/** A routing queue's settings changed. */
export const queueUpdated = defineEvent({
  type: 'queue.updated',
  aggregateType: 'queue',
  version: 1,
  description: "A routing queue's settings (name, offering, timeouts, priority, default flag) changed.",
  payloadSchema: queuePayload,
});

/** Records `definition` (created or updated) with the queue's settings as they now are. */
export function recordQueueEvent(
  tx: Db,
  definition: EventDefinition<z.infer<typeof queuePayload>>,
  row: QueueRow,
  actor: Actor,
): Promise<void> {
  return recordEvent(tx, definition, {
    accountId: row.accountId,
    aggregateId: row.id,
    payload: queueEventPayload(row),
    actor,
  });
}

/** Agents joined or left a queue, or a member's priority in it changed. */
export const queueMembersChanged = defineEvent({
  type: 'queue.members_changed',
  aggregateType: 'queue',
  version: 1,
  description: "Agents were added to or removed from a routing queue, or a member's priority changed.",
  payloadSchema: z.object({
    queueId: z.number(),
    addedUserIds: z.array(z.number()),
    removedUserIds: z.array(z.number()),
    /** Every member after the change. */
    userIds: z.array(z.number()),
    /** Every member's priority after the change (lower is offered first). */
    members: z.array(z.object({ userId: z.number(), priority: z.number() })),
  }),
});

/** The set of inboxes feeding a queue was replaced. */
export const queueInboxesChanged = defineEvent({
  type: 'queue.inboxes_changed',
  aggregateType: 'queue',
  version: 1,
  description: 'The inboxes whose new conversations wait in a routing queue were replaced.',
  payloadSchema: z.object({
    queueId: z.number(),
    /** The inboxes feeding the queue before and after (an inbox feeds one queue: it may have come from another). */
    previousInboxIds: z.array(z.number()),
    inboxIds: z.array(z.number()),
  }),
});
