import type { WebhookFormat } from '../../core/webhooks/webhook-format.js';
import { generateStandardSecret, signStandard } from '../../core/webhooks/signing.js';

export const NATIVE_FORMAT = 'native';

/**
 * Who acted, without the request it came from: a webhook leaves the system for a third party's
 * URL, and the client's IP address is personal data that only the audit log keeps.
 */
function publicActor(actor: Record<string, unknown>): Record<string, unknown> {
  const { ip: _ip, requestId: _requestId, ...identity } = actor;
  return identity;
}

/**
 * Parley's own webhooks follow Standard Webhooks 1.0: `{type, timestamp, data}` bodies and
 * `webhook-id` / `webhook-timestamp` / `webhook-signature` headers over `id.timestamp.body`.
 */
export const nativeWebhookFormat: WebhookFormat = {
  name: NATIVE_FORMAT,
  render(event) {
    const body = JSON.stringify({
      type: event.type,
      timestamp: event.occurredAt.toISOString(),
      data: {
        eventId: event.id,
        accountId: event.accountId,
        aggregateType: event.aggregateType,
        aggregateId: event.aggregateId,
        version: event.version,
        actor: event.actor ? publicActor(event.actor) : null,
        payload: event.payload,
      },
    });
    return { eventType: event.type, body };
  },
  sign({ deliveryId, eventType, body, subscription, timestampSeconds }) {
    return {
      headers: {
        'webhook-id': deliveryId,
        'webhook-timestamp': String(timestampSeconds),
        'webhook-signature': signStandard(subscription.secret, deliveryId, timestampSeconds, body),
        'x-parley-event': eventType,
      },
    };
  },
  generateSecret: generateStandardSecret,
};
