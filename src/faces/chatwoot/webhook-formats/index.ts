import { z } from 'zod';
import type { RenderContext, WebhookFormat } from '../../../core/webhooks/webhook-format.js';
import type { WebhookSubscriptionRow } from '../../../core/webhooks/webhooks.tables.js';
import type { EventRow } from '../../../platform/events/events.tables.js';
import type { BlobStorage } from '../../../platform/storage/blob-storage.js';
import { renderBody, translateEvent, type ChatwootEvent } from './chatwoot-events.js';
import { generateChatwootSecret, signChatwootDelivery } from './signature.js';

/** Account webhooks: `events` lists Chatwoot event names (empty means all). */
export const CHATWOOT_FORMAT = 'chatwoot';
/** An API inbox's callback URL: every conversation and message event of that inbox. */
export const CHATWOOT_API_INBOX_FORMAT = 'chatwoot_api_inbox';
/** An agent bot's outgoing_url: the events Chatwoot hands to bots, for the inboxes it is bound to. */
export const CHATWOOT_AGENT_BOT_FORMAT = 'chatwoot_agent_bot';

const commonOptions = z.object({}).loose();
const apiInboxOptions = commonOptions.extend({ inboxId: z.coerce.number() });
const agentBotOptions = commonOptions.extend({
  agentBotId: z.coerce.number(),
  inboxIds: z.array(z.coerce.number()).default([]),
});

type Select = (event: ChatwootEvent, subscription: WebhookSubscriptionRow) => string | null;

function createFormat(name: string, storage: BlobStorage, select: Select): WebhookFormat {
  return {
    name,
    render(event: EventRow, subscription: WebhookSubscriptionRow, { account }: RenderContext) {
      const translated = translateEvent(event, { storage, account });
      if (!translated) return null;
      const eventType = select(translated, subscription);
      return eventType ? { eventType, body: renderBody(eventType, translated.data) } : null;
    },
    sign({ deliveryId, body, subscription, timestampSeconds }) {
      return signChatwootDelivery({ deliveryId, body, secret: subscription.secret, timestampSeconds });
    },
    generateSecret: generateChatwootSecret,
  };
}

const selectForAccount: Select = (event) => event.name;

// Chatwoot's WebhookListener sends an API inbox every conversation, message and widget event of
// that inbox (contacts are account-level); private notes included, flagged `private: true`.
const selectForApiInbox: Select = (event, subscription) => {
  const { inboxId } = apiInboxOptions.parse(subscription.options);
  return event.inboxId === inboxId ? event.name : null;
};

// Chatwoot's AgentBotListener: messages, conversation_opened / _resolved, webwidget_triggered.
// Unlike Chatwoot, a bot never gets its own messages back, so it cannot loop on itself.
const selectForAgentBot: Select = (event, subscription) => {
  const { agentBotId, inboxIds } = agentBotOptions.parse(subscription.options);
  if (event.inboxId === null || !inboxIds.includes(event.inboxId)) return null;
  if (event.message) {
    const isOwnMessage = event.message.senderType === 'agent_bot' && event.message.senderId === agentBotId;
    return isOwnMessage ? null : event.name;
  }
  if (event.name === 'webwidget_triggered') return event.name;
  if (event.name === 'conversation_status_changed') {
    if (event.status === 'open') return 'conversation_opened';
    if (event.status === 'resolved') return 'conversation_resolved';
  }
  return null;
};

/** The Chatwoot face's three webhook formats; `storage` signs attachment URLs in payloads. */
export function createChatwootWebhookFormats(storage: BlobStorage): WebhookFormat[] {
  return [
    createFormat(CHATWOOT_FORMAT, storage, selectForAccount),
    createFormat(CHATWOOT_API_INBOX_FORMAT, storage, selectForApiInbox),
    createFormat(CHATWOOT_AGENT_BOT_FORMAT, storage, selectForAgentBot),
  ];
}
