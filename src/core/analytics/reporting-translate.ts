import { z } from 'zod';
import type { EventRow } from '../../platform/events/events.tables.js';
import type { ReportingEventType } from './metric-catalog.js';
import type { ReportingEventInput, ReportingQueue } from './record-reporting-events.js';
import { reportingChannelOf } from './reporting-channels.js';
import type { ConversationState, StateBook } from './reporting-state.js';
import type { CounterInput } from './reporting-counters.js';
import { countMessage, type MessageFacts } from './count-messages.js';

/**
 * Only the fields reporting reads, so events from modules added later (routing, ratings) are
 * matched on their type strings and shapes, not on their modules' code.
 */
const conversationSchema = z.object({
  id: z.number(),
  displayId: z.number(),
  inbox: z.object({ channelType: z.string() }),
  assigneeId: z.number().nullable(),
  status: z.string(),
  createdAt: z.string(),
  additionalAttributes: z.record(z.string(), z.unknown()).optional(),
  inboxId: z.number().optional(),
  teamId: z.number().nullable().optional(),
  labels: z.array(z.string()).optional(),
});
type Conversation = z.infer<typeof conversationSchema>;
const queueSchema = z.object({ id: z.number(), uuid: z.string(), name: z.string() });

const payloadSchemas = {
  'conversation.created': z.object({ conversation: conversationSchema }),
  'conversation.updated': z.object({
    conversation: conversationSchema,
    changes: z.record(z.string(), z.object({ from: z.unknown(), to: z.unknown() })),
  }),
  'conversation.status_changed': z.object({ conversation: conversationSchema, previousStatus: z.string() }),
  'message.created': z.object({
    conversation: conversationSchema,
    message: z.object({
      messageType: z.string(),
      private: z.boolean(),
      senderType: z.string().nullable(),
      senderId: z.number().nullable(),
    }),
  }),
  'conversation.enqueued': z.object({ conversation: conversationSchema, queue: queueSchema }),
  'conversation.transferred': z.object({ conversation: conversationSchema, queue: queueSchema }),
  'conversation.offered': z.object({
    conversation: conversationSchema,
    queue: queueSchema,
    agentIds: z.array(z.number()),
  }),
  'conversation.offer_accepted': z.object({
    conversation: conversationSchema,
    queue: queueSchema,
    agentId: z.number(),
  }),
  'conversation.claimed': z.object({
    conversation: conversationSchema,
    queue: queueSchema.nullable().optional(),
    agentId: z.number(),
  }),
  'conversation.abandoned': z.object({
    conversation: conversationSchema,
    queue: queueSchema,
    waitedMs: z.number(),
  }),
  'conversation.rated': z.object({
    conversation: conversationSchema,
    rating: z.object({
      score: z.number().nullable(),
      agentId: z.number().nullable().optional(),
      ratingType: z.string().optional(),
    }),
  }),
};
type ReportedType = keyof typeof payloadSchemas;
type Payload<T extends ReportedType> = z.infer<(typeof payloadSchemas)[T]>;

export function isReportedType(type: string): type is ReportedType {
  return Object.hasOwn(payloadSchemas, type);
}

export function parsePayload(event: EventRow): { conversation: Conversation } | null {
  if (!isReportedType(event.type)) return null;
  const parsed = payloadSchemas[event.type].safeParse(event.payload);
  return parsed.success ? parsed.data : null;
}

/** Turns one domain event into reporting events, updating the conversation's tracked state. */
export class Translator {
  readonly output: ReportingEventInput[] = [];
  /** Messages for the Chatwoot counters (events come through `output`). */
  readonly counted: CounterInput[] = [];

  constructor(private readonly book: StateBook) {}

  translate(event: EventRow, payload: { conversation: Conversation }): void {
    const at = event.occurredAt;
    const state = this.stateOf(event, payload.conversation);
    this.book.changed.add(state.conversationId);
    // Events of one conversation come in id order: one at or below the last seen is a replay.
    const isFresh = event.id > state.lastEventId;
    state.lastEventId = Math.max(state.lastEventId, event.id);
    const snapshot = payload.conversation;
    const emit = (type: ReportingEventType, fields: Partial<ReportingEventInput> = {}) =>
      this.output.push({
        accountId: event.accountId,
        sourceEventId: event.id,
        type,
        conversationId: state.conversationId,
        conversationDisplayId: payload.conversation.displayId,
        channel: state.channel,
        direction: state.direction,
        queueId: state.queueId,
        agentId: null,
        agentIds: [],
        durationMs: null,
        handlingMs: null,
        score: null,
        isPositive: null,
        occurredAt: at,
        inboxId: snapshot.inboxId ?? null,
        teamId: snapshot.teamId ?? null,
        labels: snapshot.labels ?? [],
        ...fields,
      });
    const assign = (agentId: number, queue: ReportingQueue | null | undefined) => {
      if (queue) state.queueId = queue.id;
      // The same assignment often arrives twice (routing's event, then conversation.updated).
      if (agentId === state.agentId) return;
      const durationMs = state.waitingSince ? at.getTime() - state.waitingSince.getTime() : null;
      Object.assign(state, { agentId, assignedAt: at, waitingSince: null });
      emit('assigned', { agentId, durationMs, queueId: state.queueId, queue: queue ?? undefined });
    };
    const enqueue = (queue: ReportingQueue) => Object.assign(state, { queueId: queue.id, waitingSince: at });

    switch (event.type) {
      case 'conversation.created': {
        emit('created', { queueId: null });
        if (payload.conversation.assigneeId !== null) assign(payload.conversation.assigneeId, null);
        return;
      }
      case 'conversation.updated': {
        const change = (payload as Payload<'conversation.updated'>).changes.assignee_id;
        if (!change) return;
        if (typeof change.to === 'number') assign(change.to, null);
        else if (change.to === null) Object.assign(state, { agentId: null, assignedAt: null });
        return;
      }
      case 'conversation.enqueued': {
        const { queue } = payload as Payload<'conversation.enqueued'>;
        enqueue(queue);
        emit('enqueued', { queueId: queue.id, queue });
        return;
      }
      case 'conversation.transferred':
        enqueue((payload as Payload<'conversation.transferred'>).queue);
        return;
      case 'conversation.offered': {
        const { queue, agentIds } = payload as Payload<'conversation.offered'>;
        emit('offered', { queueId: queue.id, queue, agentIds });
        return;
      }
      case 'conversation.offer_accepted':
      case 'conversation.claimed': {
        const { agentId, queue } = payload as Payload<'conversation.claimed'>;
        assign(agentId, queue);
        return;
      }
      case 'conversation.abandoned': {
        const { queue, waitedMs } = payload as Payload<'conversation.abandoned'>;
        state.waitingSince = null;
        emit('abandoned', { queueId: queue.id, queue, durationMs: Math.round(waitedMs) });
        return;
      }
      case 'message.created': {
        const hadFirstResponse = state.firstResponseAt !== null;
        this.firstResponse(state, payload as Payload<'message.created'>, at, emit);
        if (!isFresh) return;
        const facts: MessageFacts = {
          ...(payload as Payload<'message.created'>),
          accountId: event.accountId,
          at,
        };
        countMessage(state, facts, hadFirstResponse, { counted: this.counted, emit });
        return;
      }
      case 'conversation.status_changed':
        this.closed(state, payload as Payload<'conversation.status_changed'>, at, emit);
        return;
      case 'conversation.rated': {
        const { rating, conversation } = payload as Payload<'conversation.rated'>;
        const isThumbs = /thumb/i.test(rating.ratingType ?? '');
        const isPositive = rating.score === null ? null : isThumbs ? rating.score > 0 : rating.score >= 4;
        const agentId = rating.agentId ?? conversation.assigneeId ?? state.agentId;
        emit('rated', { agentId, score: rating.score, isPositive });
        return;
      }
    }
  }

  private firstResponse(
    state: ConversationState,
    { message }: Payload<'message.created'>,
    at: Date,
    emit: (type: ReportingEventType, fields: Partial<ReportingEventInput>) => void,
  ): void {
    const isAgentReply =
      message.messageType === 'outgoing' && !message.private && message.senderType === 'user';
    if (!isAgentReply || state.firstResponseAt) return;
    state.firstResponseAt = at;
    emit('first_response', {
      agentId: message.senderId,
      durationMs: at.getTime() - state.openedAt.getTime(),
    });
  }

  private closed(
    state: ConversationState,
    { conversation, previousStatus }: Payload<'conversation.status_changed'>,
    at: Date,
    emit: (type: ReportingEventType, fields: Partial<ReportingEventInput>) => void,
  ): void {
    if (conversation.status !== 'resolved' || previousStatus === 'resolved') return;
    const agentId = conversation.assigneeId ?? state.agentId;
    const handlingMs =
      agentId !== null && agentId === state.agentId && state.assignedAt
        ? at.getTime() - state.assignedAt.getTime()
        : null;
    state.waitingSince = null;
    emit('closed', { agentId, durationMs: at.getTime() - state.openedAt.getTime(), handlingMs });
  }

  private stateOf(event: EventRow, conversation: Conversation): ConversationState {
    const known = this.book.states.get(conversation.id);
    if (known) return known;
    // A conversation from before reporting started (or whose created event came earlier) opens at its creation.
    const openedAt =
      event.type === 'conversation.created' ? event.occurredAt : new Date(conversation.createdAt);
    const state: ConversationState = {
      accountId: event.accountId,
      conversationId: conversation.id,
      channel: reportingChannelOf(conversation),
      direction: this.book.directions.get(conversation.id) ?? 'INBOUND',
      openedAt,
      waitingSince: openedAt,
      queueId: null,
      agentId: null,
      assignedAt: null,
      firstResponseAt: null,
      replyWaitingSince: null,
      lastEventId: 0,
    };
    this.book.states.set(conversation.id, state);
    return state;
  }
}
