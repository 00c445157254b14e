import type { EventRow } from '../../../platform/events/events.tables.js';
import { contactCreated, contactUpdated, widgetTriggered } from '../../../core/contacts/contacts.events.js';
import {
  conversationCreated,
  conversationStatusChanged,
  conversationUpdated,
  messageCreated,
  messageUpdated,
  type MessageSnapshot,
} from '../../../core/conversations/conversations.events.js';
import {
  changedAttributes,
  contactWebhookData,
  conversationWebhookData,
  messageWebhookData,
  type PayloadContext,
} from './payloads.js';

/** One core event translated to Chatwoot's vocabulary, before a format decides who gets it. */
export interface ChatwootEvent {
  /** Chatwoot's event name, e.g. `message_created`. */
  name: string;
  /** The body without its `event` key. */
  data: Record<string, unknown>;
  /** The inbox the event belongs to; null for account-level events (contacts). */
  inboxId: number | null;
  message: MessageSnapshot | null;
  /** For status changes: the new status (agent bots get conversation_opened / _resolved). */
  status: string | null;
}

type Translate = (payload: unknown, context: PayloadContext) => ChatwootEvent | null;

const translators: Record<string, Translate> = {
  [conversationCreated.type]: (raw, context) => {
    const { conversation } = conversationCreated.payloadSchema.parse(raw);
    return conversationEvent(
      'conversation_created',
      conversationWebhookData(conversation, context),
      conversation,
    );
  },
  [conversationUpdated.type]: (raw, context) => {
    const { conversation, changes } = conversationUpdated.payloadSchema.parse(raw);
    const data = {
      ...conversationWebhookData(conversation, context),
      changed_attributes: changedAttributes(changes),
    };
    return conversationEvent('conversation_updated', data, conversation);
  },
  [conversationStatusChanged.type]: (raw, context) => {
    const { conversation, previousStatus } = conversationStatusChanged.payloadSchema.parse(raw);
    const data = {
      ...conversationWebhookData(conversation, context),
      changed_attributes: changedAttributes({ status: { from: previousStatus, to: conversation.status } }),
    };
    return {
      ...conversationEvent('conversation_status_changed', data, conversation),
      status: conversation.status,
    };
  },
  [messageCreated.type]: (raw, context) =>
    messageEvent('message_created', messageCreated.payloadSchema.parse(raw), context),
  [messageUpdated.type]: (raw, context) =>
    messageEvent('message_updated', messageUpdated.payloadSchema.parse(raw), context),
  [contactCreated.type]: (raw, context) => {
    const { contact } = contactCreated.payloadSchema.parse(raw);
    return {
      name: 'contact_created',
      data: contactWebhookData(contact, context),
      inboxId: null,
      message: null,
      status: null,
    };
  },
  [contactUpdated.type]: (raw, context) => {
    const { contact, changes } = contactUpdated.payloadSchema.parse(raw);
    // Chatwoot sends no contact_updated when nothing it tracks changed.
    if (Object.keys(changes).length === 0) return null;
    const data = { ...contactWebhookData(contact, context), changed_attributes: changedAttributes(changes) };
    return { name: 'contact_updated', data, inboxId: null, message: null, status: null };
  },
  [widgetTriggered.type]: (raw, context) => {
    const { contact, inbox, sourceId, eventInfo } = widgetTriggered.payloadSchema.parse(raw);
    const data = {
      contact: contactWebhookData(contact, context),
      inbox,
      account: context.account,
      current_conversation: null,
      source_id: sourceId,
      event_info: eventInfo,
    };
    return { name: 'webwidget_triggered', data, inboxId: inbox.id, message: null, status: null };
  },
};

function conversationEvent(
  name: string,
  data: Record<string, unknown>,
  conversation: { inboxId: number },
): ChatwootEvent {
  return { name, data, inboxId: conversation.inboxId, message: null, status: null };
}

function messageEvent(
  name: string,
  payload: { message: MessageSnapshot; conversation: Parameters<typeof messageWebhookData>[1] },
  context: PayloadContext,
): ChatwootEvent | null {
  // Chatwoot's webhook_sendable?: activity messages (assignment notes, etc.) never leave.
  if (payload.message.messageType === 'activity') return null;
  return {
    name,
    data: messageWebhookData(payload.message, payload.conversation, context),
    inboxId: payload.message.inboxId,
    message: payload.message,
    status: null,
  };
}

export function translateEvent(event: EventRow, context: PayloadContext): ChatwootEvent | null {
  const translate = translators[event.type];
  return translate ? translate(event.payload, context) : null;
}

export function renderBody(name: string, data: Record<string, unknown>): string {
  return JSON.stringify({ event: name, ...data });
}
