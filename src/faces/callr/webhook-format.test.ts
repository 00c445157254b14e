import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { EventRow } from '../../platform/events/events.tables.js';
import type { WebhookSubscriptionRow } from '../../core/webhooks/webhooks.tables.js';
import { encodeHash } from './hash-ids.js';
import { callrBodyForAttempt, createCallrWebhookFormat } from './webhook-format.js';
import { callrEventId, eventRowIdOf } from './webhook-render.js';
import { verifyCallrSignature } from './webhook-signing.js';

const format = createCallrWebhookFormat({
  sms: (snapshot) => ({ hash: `S${snapshot.id}`, text: snapshot.text }),
  cdrOut: (cdr) => ({ callid: cdr.callid, direction: 'out' }),
  cdrIn: (cdr) => ({ callid: cdr.callid, direction: 'in' }),
  credit: (credit) => ({ balance: credit.balanceCents }),
});

function subscription(overrides: Partial<WebhookSubscriptionRow> = {}): WebhookSubscriptionRow {
  const now = new Date('2026-01-02T03:04:05.678Z');
  return {
    accountId: 7,
    id: 42,
    uuid: '00000000-0000-4000-8000-000000000000',
    format: 'callr',
    name: null,
    url: 'https://example.com/hook',
    events: ['sms.mt.status_update'],
    enabled: true,
    secret: 'a-long-secret',
    signatureAlgorithm: 'sha256',
    options: {
      format: 'JSON',
      hmac_algo: 'SHA256',
      hmac_secret: 'a-long-secret',
      type: 'sms.mt.status_update',
    },
    disabledReason: null,
    disabledAt: null,
    failingSince: null,
    consecutiveFailures: 0,
    secretsSealed: false,
    circuitOpenUntil: null,
    createdAt: now,
    updatedAt: now,
    ...overrides,
  };
}

function smsEvent(type: string, direction: 'IN' | 'OUT', id = 991): EventRow {
  return {
    accountId: 7,
    id,
    type,
    version: 1,
    aggregateType: 'sms',
    aggregateId: '5',
    actor: null,
    payload: { sms: { id: 5, direction, text: 'Hello', status: 'SENT' } },
    occurredAt: new Date('2026-01-02T03:04:05.678Z'),
    dispatchedAt: null,
  };
}

const context = { account: { id: 7, name: 'Acme' } };

describe('CALLR webhook format', () => {
  it('renders the Webhook.Event envelope with try 0, the hook hash and an ISO event time', () => {
    const rendered = format.render(smsEvent('sms.status_changed', 'OUT'), subscription(), context);

    expect(rendered?.eventType).toBe('sms.mt.status_update');
    const body = JSON.parse(rendered?.body ?? '{}') as Record<string, unknown>;
    expect(body).toEqual({
      type: 'sms.mt.status_update',
      data: { hash: 'S5', text: 'Hello' },
      event_id: callrEventId({ id: 991, accountId: 7 }),
      event_at: '2026-01-02T03:04:05.678Z',
      hook_hash: encodeHash('webhook', 42),
      try: 0,
    });
  });

  it('pushes only the webhook type: an inbound status change is no MT status update, and sms.mo goes to sms.mo', () => {
    expect(format.render(smsEvent('sms.status_changed', 'IN'), subscription(), context)).toBeNull();
    expect(format.render(smsEvent('sms.received', 'IN'), subscription(), context)).toBeNull();
    const mo = format.render(smsEvent('sms.received', 'IN'), subscription({ events: ['sms.mo'] }), context);
    expect(mo?.eventType).toBe('sms.mo');
    expect(format.render({ ...smsEvent('conversation.created', 'OUT') }, subscription(), context)).toBeNull();
  });

  it('pushes call.outbound_hangup / call.inbound_hangup with the CDR of the direction', () => {
    const cdr = {
      callid: 77,
      accountId: 7,
      direction: 'OUT',
      kind: 'realtime',
      appId: null,
      appName: '',
      packageName: 'REALTIME10',
      number: '+33612345678',
      cli: 'BLOCKED',
      cdrField: '',
      dialStatus: 'ANSWER',
      hangupCause: 16,
      hangupSource: 'CALLEE',
      startedAt: '2026-01-02T03:04:05.678Z',
      answeredAt: null,
      endedAt: '2026-01-02T03:05:05.678Z',
      duration: 60,
      durationAnswered: 0,
      durationBilled: 0,
      debitCents: 0,
      callId: null,
      clicktocallId: null,
    };
    const ended = (direction: string): EventRow => ({
      ...smsEvent('telephony.call_ended', 'OUT'),
      payload: { call: { ...cdr, direction } },
    });
    const out = format.render(ended('OUT'), subscription({ events: ['call.outbound_hangup'] }), context);
    const inbound = format.render(ended('IN'), subscription({ events: ['call.inbound_hangup'] }), context);

    expect(JSON.parse(out?.body ?? '{}')).toMatchObject({
      type: 'call.outbound_hangup',
      data: { callid: 77, direction: 'out' },
    });
    expect(JSON.parse(inbound?.body ?? '{}')).toMatchObject({
      type: 'call.inbound_hangup',
      data: { callid: 77, direction: 'in' },
    });
    expect(
      format.render(ended('IN'), subscription({ events: ['call.outbound_hangup'] }), context),
    ).toBeNull();
  });

  it('counts retries in try: attempt n sends try n-1, the rest of the bytes unchanged', () => {
    const body = format.render(smsEvent('sms.status_changed', 'OUT'), subscription(), context)?.body ?? '';

    expect(callrBodyForAttempt(body, 1)).toBe(body);
    const third = callrBodyForAttempt(body, 3);
    expect(JSON.parse(third)).toEqual({ ...JSON.parse(body), try: 2 });
    expect(third.slice(0, -'"try":2}'.length)).toBe(body.slice(0, -'"try":0}'.length));
  });

  it('signs the exact bytes with base64 HMAC of the hmac_algo, and names the event id', () => {
    const body = '{"a":1}';
    for (const [algo, engine] of [
      ['MD5', 'md5'],
      ['SHA1', 'sha1'],
      ['SHA256', 'sha256'],
      ['SHA512', 'sha512'],
    ] as const) {
      const signed = format.sign({
        deliveryId: 'd',
        eventType: 'sms.mo',
        body: `{"event_id":"12abc","try":0}`,
        subscription: subscription({ signatureAlgorithm: engine }),
        timestampSeconds: 0,
      });
      const signature = signed.headers['x-callr-hmacsignature'] ?? '';
      expect(signature).toBe(
        createHmac(engine, 'a-long-secret').update('{"event_id":"12abc","try":0}').digest('base64'),
      );
      expect(
        verifyCallrSignature(algo, 'a-long-secret', { signature, body: '{"event_id":"12abc","try":0}' }),
      ).toBe(true);
      expect(verifyCallrSignature(algo, 'a-long-secret', { signature, body })).toBe(false);
      expect(signed.headers['x-callr-eventid']).toBe('12abc');
    }
  });

  it('does not sign when the webhook has no hmac_secret, as CALLR', () => {
    const signed = format.sign({
      deliveryId: 'd',
      eventType: 'sms.mo',
      body: '{"event_id":"1x","try":0}',
      subscription: subscription({
        secret: '',
        options: { format: 'JSON', hmac_algo: 'SHA256', hmac_secret: '' },
      }),
      timestampSeconds: 0,
    });
    expect(signed.headers['x-callr-hmacsignature']).toBeUndefined();
  });

  it('gives each event an id that is stable, CALLR-shaped and leads back to the event', () => {
    const id = callrEventId({ id: 12345, accountId: 7 });
    expect(id).toMatch(/^12345[A-Za-z]{16}$/);
    expect(callrEventId({ id: 12345, accountId: 7 })).toBe(id);
    expect(callrEventId({ id: 12345, accountId: 8 })).not.toBe(id);
    expect(eventRowIdOf(id)).toBe(12345);
    expect(eventRowIdOf('not-an-id')).toBeNull();
  });
});
