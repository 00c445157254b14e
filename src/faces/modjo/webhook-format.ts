import { createHash, randomBytes } from 'node:crypto';
import { callSnapshotSchema, type CallSnapshot } from '../../core/calls/calls.events.js';
import type { WebhookFormat } from '../../core/webhooks/webhook-format.js';
import { templateUuidOf } from './export-map.js';
import { modjoLanguageOf } from './languages.js';

export const MODJO_FORMAT = 'modjo';

const eventNames: Record<string, string> = {
  'call.summarized': 'call_summarized',
  'call.transcript_deleted': 'call_transcript_deleted',
  'call.recording_deleted': 'call_recording_deleted',
};

/**
 * Modjo's signature: hex SHA-256 of TIMESTAMP + JSON.stringify(PAYLOAD) + SECRET, exactly as the
 * seed's Node.js verification sample computes it. The seed's text calls it "HMAC-SHA256", but its
 * sample is a plain hash of the concatenation, and receivers verify with that sample.
 */
export function signModjoPayload(timestamp: string, payload: unknown, secret: string): string {
  return createHash('sha256')
    .update(timestamp + JSON.stringify(payload) + secret)
    .digest('hex');
}

/** "Unique identifier of the webhook": a stable UUID per subscription. */
function webhookUuidOf(accountId: number, subscriptionId: number): string {
  const hex = createHash('sha256').update(`modjo-webhook:${accountId}:${subscriptionId}`).digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-8${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

function deletedPayload(call: CallSnapshot) {
  return {
    callCrmId: call.crmActivityId,
    callId: call.id,
    duration: call.durationSeconds,
    language: modjoLanguageOf(call.language),
    provider: call.provider,
    providerCallId: call.externalId ?? String(call.id),
    startDate: call.startedAt,
    title: call.title,
  };
}

function summarizedPayload(call: CallSnapshot) {
  return {
    callId: call.id,
    title: call.title,
    startDate: call.startedAt,
    duration: call.durationSeconds,
    provider: call.provider,
    language: modjoLanguageOf(call.language),
    callCrmId: call.crmActivityId,
    relations: {
      activity: {
        activityCrmId: call.crmActivityId,
        activityCrmType: call.crmActivityType,
        crmDealId: call.crmDealId,
        crmAccountId: call.crmAccountId,
      },
      summary: {
        content: call.summary,
        templateUuid: templateUuidOf(call.summaryEngine),
        summaryCrmId: null,
      },
      contacts: call.contacts.map((contact) => ({
        contactId: contact.id,
        contactCrmId: contact.crmId,
        contactCrmType: 'Contact',
        contactEmail: contact.email,
        contactPhoneNumber: contact.phoneNumber,
      })),
      callUsers: call.users.map((user) => ({ userId: user.id, userEmail: user.email })),
    },
  };
}

/**
 * Modjo's envelope {timestamp, payloadSignature, webhookUuid, webhookUrl, tenantName, eventName,
 * payload}. The body carries its own timestamp and signature, so the headers repeat those of the
 * body (retries resend the same signed body rather than a body that disagrees with its headers).
 */
export const modjoWebhookFormat: WebhookFormat = {
  name: MODJO_FORMAT,
  render(event, subscription) {
    const eventName = eventNames[event.type];
    if (!eventName) return null;
    const parsed = callSnapshotSchema.safeParse((event.payload as { call?: unknown }).call);
    if (!parsed.success) return null;
    const call = parsed.data;
    const payload = eventName === 'call_summarized' ? summarizedPayload(call) : deletedPayload(call);
    const timestamp = new Date().toISOString();
    const body = JSON.stringify({
      timestamp,
      payloadSignature: signModjoPayload(timestamp, payload, subscription.secret),
      webhookUuid: webhookUuidOf(subscription.accountId, subscription.id),
      webhookUrl: subscription.url,
      tenantName: call.accountName,
      eventName,
      payload,
    });
    // The delivery records the domain type, so a subscription's `events` filter uses the names the native API validates.
    return { eventType: event.type, body };
  },
  sign({ body }) {
    const envelope = JSON.parse(body) as { timestamp: string; payloadSignature: string };
    return {
      headers: {
        'x-modjo-timestamp': envelope.timestamp,
        'x-modjo-payload-signature': envelope.payloadSignature,
      },
    };
  },
  generateSecret: () => randomBytes(32).toString('hex'),
};
