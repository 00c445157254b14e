import { z } from 'zod';
import { defineEvent } from '../../platform/events/event-definition.js';
import { conversationSnapshotSchema } from '../conversations/conversations.events.js';
import { queueThresholdAlerts } from './routing.tables.js';

export const queueRefSchema = z.object({ id: z.number(), uuid: z.string(), name: z.string() });
export type QueueRef = z.infer<typeof queueRefSchema>;

const base = { conversation: conversationSnapshotSchema, queue: queueRefSchema };

/** A conversation started waiting in a queue. */
export const conversationEnqueued = defineEvent({
  type: 'conversation.enqueued',
  aggregateType: 'conversation',
  version: 1,
  description: 'A conversation started waiting in a routing queue.',
  payloadSchema: z.object(base),
});

/** A conversation was offered to one or more agents (agent ids are users.id). */
export const conversationOffered = defineEvent({
  type: 'conversation.offered',
  aggregateType: 'conversation',
  version: 1,
  description: 'A queued conversation was offered to one or more agents.',
  payloadSchema: z.object({
    ...base,
    offerId: z.number(),
    agentIds: z.array(z.number()),
    expiresAt: z.string(),
  }),
});

/** An agent accepted an offer (the conversation is then claimed by that agent). */
export const conversationOfferAccepted = defineEvent({
  type: 'conversation.offer_accepted',
  aggregateType: 'conversation',
  version: 1,
  description: 'An agent accepted the offer of a queued conversation.',
  payloadSchema: z.object({ ...base, offerId: z.number(), agentId: z.number() }),
});

/** An agent declined an offer. */
export const conversationOfferDeclined = defineEvent({
  type: 'conversation.offer_declined',
  aggregateType: 'conversation',
  version: 1,
  description: 'An agent declined the offer of a queued conversation.',
  payloadSchema: z.object({ ...base, offerId: z.number(), agentId: z.number() }),
});

/** Nobody answered an offer in the queue's offer timeout. */
export const conversationOfferExpired = defineEvent({
  type: 'conversation.offer_expired',
  aggregateType: 'conversation',
  version: 1,
  description: 'An offer was not answered within the queue offer timeout.',
  payloadSchema: z.object({ ...base, offerId: z.number(), agentIds: z.array(z.number()) }),
});

/** An agent took the conversation: by accepting an offer or by claiming it directly. */
export const conversationClaimed = defineEvent({
  type: 'conversation.claimed',
  aggregateType: 'conversation',
  version: 1,
  description: 'An agent claimed a conversation (accepted offer or direct claim).',
  payloadSchema: z.object({
    conversation: conversationSnapshotSchema,
    queue: queueRefSchema.nullable(),
    agentId: z.number(),
    fromAgentId: z.number().nullable(),
  }),
});

/** A conversation was moved to another queue (and unassigned). */
export const conversationTransferred = defineEvent({
  type: 'conversation.transferred',
  aggregateType: 'conversation',
  version: 1,
  description: 'A conversation was transferred to a queue.',
  payloadSchema: z.object({
    conversation: conversationSnapshotSchema,
    fromQueue: queueRefSchema.nullable(),
    queue: queueRefSchema,
    byUserId: z.number().nullable(),
  }),
});

/** A conversation left its queue unassigned: closed by the end user or while still waiting. */
export const conversationAbandoned = defineEvent({
  type: 'conversation.abandoned',
  aggregateType: 'conversation',
  version: 1,
  description: 'A queued conversation was closed before any agent took it.',
  payloadSchema: z.object({ ...base, waitedMs: z.number() }),
});

const thresholdPayload = z.object({
  queue: queueRefSchema,
  threshold: z.enum(queueThresholdAlerts),
  /** The queue's configured value (seconds, a count or a percentage). */
  limit: z.number(),
  /** What was measured when it crossed or came back. */
  value: z.number(),
});

/**
 * A queue alert threshold was crossed: more waiting conversations or a longer wait than set, fewer
 * available agents or a lower SLA percentage. Recorded once per crossing.
 */
export const queueThresholdCrossed = defineEvent({
  type: 'queue.threshold_crossed',
  aggregateType: 'queue',
  version: 1,
  description: 'A routing queue crossed one of its alert thresholds (queueThresholds).',
  payloadSchema: thresholdPayload,
});

/** The measure is back on the right side of the threshold. */
export const queueThresholdCleared = defineEvent({
  type: 'queue.threshold_cleared',
  aggregateType: 'queue',
  version: 1,
  description: 'A routing queue is back within an alert threshold it had crossed.',
  payloadSchema: thresholdPayload,
});
