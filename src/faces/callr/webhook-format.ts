import type { WebhookFormat } from '../../core/webhooks/webhook-format.js';
import { CALLR_WEBHOOK_FORMAT } from '../../core/webhooks/subscription-sources.js';
import { callrIsoDateTime } from './formats.js';
import { encodeHash } from './hash-ids.js';
import type { EventRow } from '../../platform/events/events.tables.js';
import { callrEventId, callrEventOf, type CallrEvent, type CallrMappers } from './webhook-render.js';
import {
  CALLR_EVENT_ID_HEADER,
  CALLR_SIGNATURE_HEADER,
  callrSignature,
  generateCallrSecret,
} from './webhook-signing.js';
import { storedOptionsOf } from './webhook-subscription.map.js';

// The stored body is the first attempt's; `try` is last so each retry rewrites only this suffix.
const FIRST_TRY_SUFFIX = '"try":0}';

/**
 * Another attempt's body: CALLR's `try` starts at 0 and counts retries (Webhook.Event, "Push try
 * number. Starts at 0."), so attempt n sends `try: n - 1`.
 */
export function callrBodyForAttempt(body: string, attempt: number): string {
  if (attempt <= 1 || !body.endsWith(FIRST_TRY_SUFFIX)) return body;
  return `${body.slice(0, -FIRST_TRY_SUFFIX.length)}"try":${attempt - 1}}`;
}

/** The `Webhook.Event` body of the first attempt; `hook_hash` is null for a dynamic webhook, as CALLR's. */
export function callrEnvelope(event: EventRow, callrEvent: CallrEvent, hookHash: string | null): string {
  return JSON.stringify({
    type: callrEvent.type,
    data: callrEvent.data,
    event_id: callrEventId(event),
    event_at: callrIsoDateTime(event.occurredAt),
    hook_hash: hookHash,
    try: 0,
  });
}

const eventIdPattern = /"event_id":"([^"]*)"/;

/**
 * CALLR webhooks (`webhooks.subscribe`): the `Webhook.Event` envelope `{type, data, event_id,
 * event_at, hook_hash, try}` per subscription of the event's type, signed as CALLR signs.
 */
export function createCallrWebhookFormat(mappers: CallrMappers): WebhookFormat {
  return {
    name: CALLR_WEBHOOK_FORMAT,
    render(event, subscription) {
      // A dynamic webhook gets only its own SMS's events, delivered by its consumer, not fan-out.
      if (storedOptionsOf(subscription).dynamic) return null;
      const callrEvent = callrEventOf(event, mappers);
      // One type per CALLR webhook: only that type is pushed to it.
      if (!callrEvent || !subscription.events.includes(callrEvent.type)) return null;
      const body = callrEnvelope(event, callrEvent, encodeHash('webhook', subscription.id));
      return { eventType: callrEvent.type, body };
    },
    bodyForAttempt: callrBodyForAttempt,
    sign({ body, subscription }) {
      const headers: Record<string, string> = {};
      const eventId = eventIdPattern.exec(body)?.[1];
      if (eventId) headers[CALLR_EVENT_ID_HEADER] = eventId;
      // CALLR signs only when the webhook has an hmac_secret.
      if (storedOptionsOf(subscription).hmac_secret !== '') {
        headers[CALLR_SIGNATURE_HEADER] = callrSignature(
          subscription.signatureAlgorithm,
          subscription.secret,
          body,
        );
      }
      return { headers };
    },
    generateSecret: generateCallrSecret,
  };
}
