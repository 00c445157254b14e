import { describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import type { EventRow } from '../../platform/events/events.tables.js';
import type { WebhookSubscriptionRow } from '../../core/webhooks/webhooks.tables.js';
import type { CallSnapshot } from '../../core/calls/calls.events.js';
import { modjoWebhookFormat, signModjoPayload } from './webhook-format.js';

const renderContext = { account: { id: 1, name: 'Acme' } };

/** The seed's Node.js verification sample. */
function verifyWebhookSignature(
  secretToken: string,
  timestamp: string,
  payload: unknown,
  receivedSignature: string,
) {
  const data = timestamp + JSON.stringify(payload) + secretToken;
  return createHash('sha256').update(data).digest('hex') === receivedSignature;
}

const call: CallSnapshot = {
  id: 42,
  accountId: 7,
  accountName: 'customer_123',
  title: 'Renewal',
  direction: 'inbound',
  provider: 'manual',
  externalId: null,
  startedAt: '2026-07-03T17:32:50.135Z',
  durationSeconds: 312.5,
  language: 'fr',
  state: 'summarized',
  failureReason: null,
  crmActivityId: null,
  crmActivityType: 'call',
  crmAccountId: 'acc-1',
  crmDealId: null,
  summary: 'They agreed on the price.',
  summaryEngine: 'extractive',
  contacts: [
    {
      id: 5,
      name: 'Bea',
      email: 'bea@example.com',
      phoneNumber: '+33606060606',
      crmId: '003',
      crmType: 'salesforce',
    },
  ],
  users: [{ id: 9, email: 'agent@example.com', name: 'Ada' }],
};

function event(type: string): EventRow {
  return {
    accountId: 7,
    id: 1,
    type,
    version: 1,
    aggregateType: 'call',
    aggregateId: '42',
    actor: null,
    payload: { call },
    occurredAt: new Date(),
    dispatchedAt: null,
  };
}

const subscription = {
  accountId: 7,
  id: 3,
  url: 'https://hooks.example.com/modjo',
  secret: 's3cret',
} as WebhookSubscriptionRow;

describe('Modjo webhook format', () => {
  it('signs as the seed sample verifies: hex SHA-256 of timestamp + JSON payload + secret', () => {
    const signature = signModjoPayload('2025-01-27T14:30:00.000Z', { foo: 'bar' }, 'token');

    expect(signature).toBe(
      createHash('sha256').update('2025-01-27T14:30:00.000Z{"foo":"bar"}token').digest('hex'),
    );
  });

  it('renders call_summarized in the documented envelope, with headers repeating the body', () => {
    const rendered = modjoWebhookFormat.render(event('call.summarized'), subscription, renderContext);

    expect(rendered?.eventType).toBe('call.summarized');
    const body = JSON.parse(rendered?.body ?? '{}');
    expect(body).toEqual({
      timestamp: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/),
      payloadSignature: expect.stringMatching(/^[0-9a-f]{64}$/),
      webhookUuid: expect.stringMatching(
        /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
      ),
      webhookUrl: 'https://hooks.example.com/modjo',
      tenantName: 'customer_123',
      eventName: 'call_summarized',
      payload: {
        callId: 42,
        title: 'Renewal',
        startDate: '2026-07-03T17:32:50.135Z',
        duration: 312.5,
        provider: 'manual',
        language: 'fr-FR',
        callCrmId: null,
        relations: {
          activity: { activityCrmId: null, activityCrmType: 'call', crmDealId: null, crmAccountId: 'acc-1' },
          summary: {
            content: 'They agreed on the price.',
            templateUuid: expect.any(String),
            summaryCrmId: null,
          },
          contacts: [
            {
              contactId: 5,
              contactCrmId: '003',
              contactCrmType: 'Contact',
              contactEmail: 'bea@example.com',
              contactPhoneNumber: '+33606060606',
            },
          ],
          callUsers: [{ userId: 9, userEmail: 'agent@example.com' }],
        },
      },
    });
    expect(verifyWebhookSignature('s3cret', body.timestamp, body.payload, body.payloadSignature)).toBe(true);
    const { headers } = modjoWebhookFormat.sign({
      deliveryId: 'd',
      eventType: 'call.summarized',
      body: rendered?.body ?? '',
      subscription,
      timestampSeconds: 1,
    });
    expect(headers).toEqual({
      'x-modjo-timestamp': body.timestamp,
      'x-modjo-payload-signature': body.payloadSignature,
    });
  });

  it('renders the deletion events with their flat payload, and nothing for other events', () => {
    for (const [type, eventName] of [
      ['call.recording_deleted', 'call_recording_deleted'],
      ['call.transcript_deleted', 'call_transcript_deleted'],
    ] as const) {
      const body = JSON.parse(
        modjoWebhookFormat.render(event(type), subscription, renderContext)?.body ?? '{}',
      );

      expect(body.eventName).toBe(eventName);
      expect(body.payload).toEqual({
        callCrmId: null,
        callId: 42,
        duration: 312.5,
        language: 'fr-FR',
        provider: 'manual',
        providerCallId: '42',
        startDate: '2026-07-03T17:32:50.135Z',
        title: 'Renewal',
      });
    }
    expect(modjoWebhookFormat.render(event('call.created'), subscription, renderContext)).toBeNull();
    expect(modjoWebhookFormat.render(event('contact.created'), subscription, renderContext)).toBeNull();
  });
});
