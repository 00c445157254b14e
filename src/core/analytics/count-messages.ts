import type { ReportingEventType } from './metric-catalog.js';
import type { ReportingEventInput } from './record-reporting-events.js';
import type { CounterInput } from './reporting-counters.js';
import type { ConversationState } from './reporting-state.js';

/** What a `message.created` event tells the Chatwoot counters. */
export interface MessageFacts {
  accountId: number;
  at: Date;
  conversation: {
    inboxId?: number | undefined;
    teamId?: number | null | undefined;
    labels?: string[] | undefined;
  };
  message: { messageType: string; private: boolean; senderType: string | null; senderId: number | null };
}

interface Sinks {
  counted: CounterInput[];
  emit: (type: ReportingEventType, fields: Partial<ReportingEventInput>) => void;
}

/**
 * Counts a message as Chatwoot's reports do (incoming; outgoing, private notes included, by the
 * sending agent) and keeps its reply time: after the first response, a contact's message starts a
 * wait that the next agent reply ends, as Chatwoot's `waiting_since` does.
 */
export function countMessage(
  state: ConversationState,
  { accountId, at, conversation, message }: MessageFacts,
  hadFirstResponse: boolean,
  sinks: Sinks,
): void {
  const isIncoming = message.messageType === 'incoming';
  if (!isIncoming && message.messageType !== 'outgoing') return;
  const agentId = message.senderType === 'user' ? message.senderId : null;
  sinks.counted.push({
    accountId,
    metric: isIncoming ? 'incoming_messages' : 'outgoing_messages',
    at,
    inboxId: conversation.inboxId ?? null,
    teamId: conversation.teamId ?? null,
    agentId: isIncoming ? null : agentId,
    labels: conversation.labels ?? [],
    value: null,
  });
  if (message.private) return;
  if (isIncoming) {
    if (hadFirstResponse && state.replyWaitingSince === null) state.replyWaitingSince = at;
    return;
  }
  if (agentId === null) return;
  if (hadFirstResponse && state.replyWaitingSince !== null) {
    sinks.emit('reply', { agentId, durationMs: at.getTime() - state.replyWaitingSince.getTime() });
  }
  state.replyWaitingSince = null;
}
