/** The 20 events a Dixa webhook subscription can subscribe to (seed `CreateWebhookSubscriptionInput.events`). */
export const dixaWebhookEvents = [
  'ConversationPending',
  'AgentUnbannedEnduser',
  'ConversationMessageAdded',
  'ConversationTagAdded',
  'AgentBannedIp',
  'ConversationAssigned',
  'ConversationPendingExpired',
  'ConversationTransferred',
  'ConversationEnqueued',
  'ConversationCreated',
  'ConversationUnassigned',
  'ConversationOpen',
  'ConversationAbandoned',
  'ConversationClosed',
  'ConversationNoteAdded',
  'AgentBannedEnduser',
  'ConversationEndUserReplaced',
  'AgentUnbannedIp',
  'ConversationTagRemoved',
  'ConversationRated',
] as const;
export type DixaWebhookEvent = (typeof dixaWebhookEvents)[number];

export function isDixaWebhookEvent(value: string): value is DixaWebhookEvent {
  return (dixaWebhookEvents as readonly string[]).includes(value);
}

/** Dixa's `event_fqn`: the name in upper-case words joined by underscores (CONVERSATION_MESSAGE_ADDED). */
export function fqnOf(event: DixaWebhookEvent): string {
  return event.replace(/([a-z])([A-Z])/g, '$1_$2').toUpperCase();
}
