import { z } from 'zod';
import { AUTOMATION_WEBHOOK_FORMAT, automationWebhookTriggered } from '../../core/automation/index.js';
import type { WebhookFormat } from '../../core/webhooks/webhook-format.js';
import type { BlobStorage } from '../../platform/storage/blob-storage.js';
import { conversationWebhookData } from './webhook-formats/payloads.js';
import { generateChatwootSecret, signChatwootDelivery } from './webhook-formats/signature.js';

const ruleOptions = z.object({ ruleId: z.coerce.number() }).loose();

/**
 * `send_webhook_event` deliveries: Chatwoot posts the conversation's webhook_data with
 * `event: "automation_event.<rule event>"`. Each rule's hidden subscription renders only the
 * events its own rule asked for, to its own URL; every other event renders to nothing.
 */
export function createAutomationWebhookFormat(storage: BlobStorage): WebhookFormat {
  return {
    name: AUTOMATION_WEBHOOK_FORMAT,
    render(event, subscription, { account }) {
      if (event.type !== automationWebhookTriggered.type) return null;
      const payload = automationWebhookTriggered.payloadSchema.parse(event.payload);
      const options = ruleOptions.safeParse(subscription.options);
      if (!options.success || options.data.ruleId !== payload.ruleId || subscription.url !== payload.url)
        return null;
      const eventType = `automation_event.${payload.ruleEventName}`;
      const data = conversationWebhookData(payload.conversation, { storage, account });
      return { eventType, body: JSON.stringify({ ...data, event: eventType }) };
    },
    sign({ deliveryId, body, subscription, timestampSeconds }) {
      return signChatwootDelivery({ deliveryId, body, secret: subscription.secret, timestampSeconds });
    },
    generateSecret: generateChatwootSecret,
  };
}
