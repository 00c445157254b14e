import { createHash } from 'node:crypto';
import type { EventRow } from '../../platform/events/events.tables.js';
import type { RenderContext, RenderedWebhook, WebhookFormat } from '../../core/webhooks/webhook-format.js';
import type { WebhookSubscriptionRow } from '../../core/webhooks/webhooks.tables.js';
import { DIXA_WEBHOOK_FORMAT } from '../../core/webhooks/subscription-sources.js';
import { fqnOf } from './webhook-events.js';
import { DixaLookups, loadDixaLookups } from './webhook-lookups.js';
import { dixaEventsOf, type DixaEvent } from './webhook-render.js';
import { generateDixaSecretKey, signDixaDelivery } from './webhook-signing.js';
import { authorizationHeaderOf, subscriptionOptionsOf } from './webhook-authorization.js';

/**
 * A UUID derived from a name (RFC 4122 version-5 layout over SHA-256): the same Parley event
 * always gets the same Dixa `event_id`, whichever subscription and retry it goes out in.
 */
export function derivedUuid(name: string): string {
  const bytes = createHash('sha256').update(`parley-dixa:${name}`).digest().subarray(0, 16);
  bytes[6] = ((bytes[6] ?? 0) & 0x0f) | 0x50;
  bytes[8] = ((bytes[8] ?? 0) & 0x3f) | 0x80;
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** Parley accounts have numeric ids; the Dixa face shows an organization's as a stable UUID. */
export function dixaOrganizationId(accountId: number): string {
  return derivedUuid(`organization:${accountId}`);
}

/**
 * Dixa's general webhook structure (docs.dixa.io, "Webhook payloads"): `event_id`, `event_fqn`,
 * `event_version`, `event_timestamp`, `organization {id, name}` and the event's `data`.
 */
function envelope(event: EventRow, dixaEvent: DixaEvent, index: number, context: RenderContext) {
  return {
    event_id: derivedUuid(`event:${event.accountId}:${event.id}:${index}`),
    event_fqn: fqnOf(dixaEvent.event),
    event_version: '1',
    event_timestamp: event.occurredAt.toISOString(),
    organization: { id: dixaOrganizationId(context.account.id), name: context.account.name },
    data: dixaEvent.data,
  };
}

function renderMany(
  event: EventRow,
  subscription: WebhookSubscriptionRow,
  context: RenderContext,
): RenderedWebhook[] {
  const lookups = context.prepared instanceof DixaLookups ? context.prepared : DixaLookups.empty();
  // Only what the subscription lists: an empty list subscribes to nothing, as in Dixa.
  const subscribed = new Set(subscription.events);
  return dixaEventsOf(event, lookups).flatMap((dixaEvent, index) =>
    subscribed.has(dixaEvent.event)
      ? [{ eventType: dixaEvent.event, body: JSON.stringify(envelope(event, dixaEvent, index, context)) }]
      : [],
  );
}

/** Dixa webhook subscriptions (`/dixa/v1/webhooks`): Dixa's payloads, signature and outgoing authorization. */
export const dixaWebhookFormat: WebhookFormat = {
  name: DIXA_WEBHOOK_FORMAT,
  render: (event, subscription, context) => renderMany(event, subscription, context)[0] ?? null,
  renderMany,
  prepare: loadDixaLookups,
  sign({ deliveryId, eventType, body, subscription, timestampSeconds }) {
    const signed = signDixaDelivery({
      secretKey: subscription.secret,
      subscriptionUuid: subscription.uuid,
      deliveryId,
      eventType,
      body,
      timestampSeconds,
    });
    const authorization = authorizationHeaderOf(subscriptionOptionsOf(subscription.options).authorization);
    return authorization === null ? signed : { headers: { ...signed.headers, authorization } };
  },
  generateSecret: generateDixaSecretKey,
};
