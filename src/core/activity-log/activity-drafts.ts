import type { EventRow } from '../../platform/events/events.tables.js';
import type { ActivityType } from './activity-types.js';
import type { ActivityAuthorType } from './activity-log.tables.js';
import { actorSchema, payloads } from './event-payloads.js';

/** One activity an event yields, before the consumer numbers and stores it. */
export interface ActivityDraft {
  conversationId: number;
  activityType: ActivityType;
  author: { type: ActivityAuthorType; id: number } | null;
  attributes: Record<string, unknown>;
}

/** What the mapping needs to know of a conversation beyond the event (read once per batch). */
export interface ConversationFacts {
  accountId: number;
  direction: 'inbound' | 'outbound';
}

const agent = (id: number | null | undefined) => (id == null ? null : { type: 'agent' as const, id });

function authorOfActor(actor: unknown): ActivityDraft['author'] {
  const parsed = actorSchema.safeParse(actor);
  if (!parsed.success || typeof parsed.data.id !== 'number') return null;
  if (parsed.data.type === 'user') return { type: 'agent', id: parsed.data.id };
  if (parsed.data.type === 'contact') return { type: 'end_user', id: parsed.data.id };
  return null;
}

const numberOrNull = (value: unknown) => (typeof value === 'number' ? value : null);
const names = (value: unknown) =>
  Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string') : [];

/** The activities of one conversation.updated: assignment, tags, language, end user. */
function draftsOfChanges(
  conversationId: number,
  changes: Record<string, { from?: unknown; to?: unknown }>,
  author: ActivityDraft['author'],
): ActivityDraft[] {
  const drafts: ActivityDraft[] = [];
  const add = (activityType: ActivityType, attributes: Record<string, unknown>) =>
    drafts.push({ conversationId, activityType, author, attributes });
  const assignee = changes.assignee_id;
  if (assignee) {
    const from = numberOrNull(assignee.from);
    const to = numberOrNull(assignee.to);
    if (from !== null) add('ConversationUnassigned', { agentId: from });
    if (to !== null) add('ConversationAssigned', { agentId: to });
  }
  const tags = changes.labels;
  if (tags) {
    const lower = (list: string[]) => new Set(list.map((name) => name.toLowerCase()));
    const [from, to] = [names(tags.from), names(tags.to)];
    const [had, has] = [lower(from), lower(to)];
    for (const tag of to) if (!had.has(tag.toLowerCase())) add('TagAdded', { tag });
    for (const tag of from) if (!has.has(tag.toLowerCase())) add('TagRemoved', { tag });
  }
  const language = changes.language;
  if (language && typeof language.to === 'string')
    add('ConversationLanguageUpdated', { language: language.to });
  const endUser = changes.contact_id;
  if (endUser && typeof endUser.from === 'number' && typeof endUser.to === 'number') {
    add('ConversationEndUserReplaced', { oldContactId: endUser.from, newContactId: endUser.to });
  }
  return drafts;
}

/**
 * Status changes as Dixa logs them: resolved is "closed", snoozed is Dixa's "pending" (a follow-up),
 * and Chatwoot's own "pending" (a bot holds the conversation) has no Dixa activity.
 */
function statusActivity(status: string, previous: string, isSystem: boolean): ActivityType | null {
  if (status === 'resolved') return 'ConversationClosed';
  if (status === 'snoozed') return 'ConversationPending';
  if (status !== 'open') return null;
  if (previous === 'resolved') return 'ConversationReopened';
  // A snooze ends by itself when due (the system reopens it) or because someone opened it early.
  if (previous === 'snoozed') return isSystem ? 'FollowupExpired' : 'FollowupRemoved';
  return null;
}

type Mapper = (
  event: EventRow,
  facts: (conversationId: number) => ConversationFacts | undefined,
) => ActivityDraft[];

const mappers: Record<string, Mapper> = {
  'conversation.created': (event, facts) => {
    const { conversation } = payloads.conversation.parse(event.payload);
    const isByAgent = facts(conversation.id)?.direction === 'outbound';
    // An inbound conversation is the customer's, whoever typed it in (an agent logging a call).
    const author: ActivityDraft['author'] =
      isByAgent || conversation.contact === undefined
        ? authorOfActor(event.actor)
        : { type: 'end_user', id: conversation.contact.id };
    const drafts: ActivityDraft[] = [
      {
        conversationId: conversation.id,
        activityType: isByAgent ? 'ConversationCreatedByAgent' : 'ConversationCreatedByCustomer',
        author,
        attributes: {},
      },
    ];
    if (conversation.assigneeId != null) {
      drafts.push({
        conversationId: conversation.id,
        activityType: 'ConversationAssigned',
        author: authorOfActor(event.actor),
        attributes: { agentId: conversation.assigneeId },
      });
    }
    return drafts;
  },
  'conversation.updated': (event) => {
    const { conversation, changes } = payloads.updated.parse(event.payload);
    return draftsOfChanges(conversation.id, changes, authorOfActor(event.actor));
  },
  'conversation.status_changed': (event) => {
    const { conversation, previousStatus } = payloads.statusChanged.parse(event.payload);
    const isSystem = (event.actor as { type?: unknown } | null)?.type === 'system';
    const activityType = statusActivity(conversation.status ?? '', previousStatus, isSystem);
    if (!activityType) return [];
    return [
      { conversationId: conversation.id, activityType, author: authorOfActor(event.actor), attributes: {} },
    ];
  },
  'message.created': (event) => {
    const { conversation, message } = payloads.message.parse(event.payload);
    // Chatwoot's activity lines ("assigned to…") are already logged from the change itself.
    if (message.messageType === 'activity') return [];
    const author =
      message.senderType === 'user'
        ? agent(message.senderId)
        : message.senderType === 'contact' && message.senderId !== null
          ? { type: 'end_user' as const, id: message.senderId }
          : null;
    const activityType: ActivityType = message.private
      ? 'NoteAdded'
      : message.messageType === 'incoming'
        ? 'MessageAddedByCustomer'
        : 'MessageAddedByAgent';
    return [{ conversationId: conversation.id, activityType, author, attributes: { messageId: message.id } }];
  },
  'conversation.offered': (event) => {
    const { conversation, queue, agentIds } = payloads.offered.parse(event.payload);
    return [
      {
        conversationId: conversation.id,
        activityType: 'ConversationOffered',
        author: null,
        attributes: { agentIds, queueName: queue.name },
      },
    ];
  },
  'conversation.offer_accepted': (event) => {
    const { conversation, agentId } = payloads.offerAnswered.parse(event.payload);
    return [
      {
        conversationId: conversation.id,
        activityType: 'ConversationOfferAccepted',
        author: agent(agentId),
        attributes: {},
      },
    ];
  },
  'conversation.offer_declined': (event) => {
    const { conversation, agentId } = payloads.offerAnswered.parse(event.payload);
    return [
      {
        conversationId: conversation.id,
        activityType: 'ConversationOfferRejected',
        author: agent(agentId),
        attributes: {},
      },
    ];
  },
  'conversation.offer_expired': (event) => {
    const { conversation, agentIds } = payloads.offerExpired.parse(event.payload);
    return [
      {
        conversationId: conversation.id,
        activityType: 'ConversationOfferTimeout',
        author: null,
        attributes: { agentIds },
      },
    ];
  },
  'conversation.claimed': (event) => {
    const { conversation, queue, agentId, fromAgentId } = payloads.claimed.parse(event.payload);
    const attributes =
      fromAgentId !== null ? { fromAgentId } : queue !== null ? { queueName: queue.name } : {};
    return [
      {
        conversationId: conversation.id,
        activityType: 'ConversationClaimed',
        author: agent(agentId),
        attributes,
      },
    ];
  },
  'conversation.transferred': (event) => {
    const { conversation, queue, byUserId } = payloads.transferred.parse(event.payload);
    return [
      {
        conversationId: conversation.id,
        activityType: 'TransferSuccessful',
        author: agent(byUserId) ?? authorOfActor(event.actor),
        attributes: { queueUuid: queue.uuid, queueName: queue.name },
      },
    ];
  },
  'conversation.rated': (event) => {
    const { conversation, rating } = payloads.rated.parse(event.payload);
    const contactId = conversation.contact?.id;
    return [
      {
        conversationId: conversation.id,
        activityType: 'ConversationRated',
        // The end user rates; the agent rated is in the attributes.
        author: contactId === undefined ? authorOfActor(event.actor) : { type: 'end_user', id: contactId },
        attributes: {
          agentId: rating.agentId ?? conversation.assigneeId ?? null,
          score: rating.score,
          comment: rating.comment,
        },
      },
    ];
  },
};

// conversation.enqueued and conversation.abandoned have no activity type in Dixa's log: the queue a
// conversation waits in shows in the ConversationOffered entries that follow.

/** The conversation id an event is about, when it is one the log maps. */
export function conversationIdOf(event: EventRow): number | null {
  if (!(event.type in mappers)) return null;
  const parsed = payloads.conversation.safeParse(event.payload);
  return parsed.success ? parsed.data.conversation.id : null;
}

/** The activities an event yields; none for events the log does not show or cannot read. */
export function draftsOf(
  event: EventRow,
  facts: (conversationId: number) => ConversationFacts | undefined,
): ActivityDraft[] {
  const mapper = mappers[event.type];
  if (!mapper) return [];
  try {
    return mapper(event, facts);
  } catch {
    return [];
  }
}
