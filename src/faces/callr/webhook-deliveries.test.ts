import { createHmac } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitFor } from '../../testing/wait.js';
import { SMS_RECEIVED, SMS_STATUS_CHANGED } from '../../core/sms/sms.events.js';
import { TELEPHONY_CALL_ENDED, type CdrSnapshot } from '../../core/telephony/telephony.events.js';
import { webhookSubscriptions } from '../../core/webhooks/webhooks.tables.js';
import { toCallrSms } from './sms.map.js';
import { toCallrCdrIn, toCallrCdrOut } from './cdr.map.js';
import { createCallrSdkClient } from './sdk-client.js';
import { verifyCallrSignature, type CallrHmacAlgo } from './webhook-signing.js';
import type { CallrWebhook } from './webhook-subscription.map.js';
import type { CallrWebhookLogEntry } from './webhook-log.js';
import {
  createWebhookTestbed,
  DATETIME_MS,
  HASH,
  type WebhookTestAccount,
  type WebhookTestbed,
} from './webhooks.test-kit.js';

describe('CALLR webhook pushes through the shared engine', () => {
  let bed: WebhookTestbed;
  let acme: WebhookTestAccount;
  let other: WebhookTestAccount;

  beforeAll(async () => {
    bed = await createWebhookTestbed();
    acme = await bed.account('Acme Pushes');
    other = await bed.account('Other Pushes');
    await bed.app.parley.startBackground();
  }, 120_000);
  afterAll(async () => {
    await bed.close();
  });

  it.each(['MD5', 'SHA1', 'SHA256', 'SHA512'] as const)(
    'pushes sms.mt.status_update signed with HMAC-%s to a real receiver',
    async (algo: CallrHmacAlgo) => {
      const path = `/signed-${algo}`;
      const secret = `secret-for-${algo.toLowerCase()}`;
      const webhook = await acme.result<CallrWebhook>('webhooks.subscribe', [
        'sms.mt.status_update',
        bed.receiver.url(path),
        { format: 'JSON', hmac_algo: algo, hmac_secret: secret },
      ]);
      const sms = bed.snapshot({ text: `Hello ${algo}` });
      await bed.emitSms(acme.accountId, SMS_STATUS_CHANGED, sms);

      const { request, body } = await waitFor(() => bed.pushesTo(path)[0], { what: `push to ${path}` });
      expect(body).toMatchObject({
        type: 'sms.mt.status_update',
        hook_hash: webhook.hash,
        try: 0,
        data: toCallrSms(sms),
      });
      expect(body.data).toMatchObject({ hash: expect.stringMatching(HASH), type: 'OUT', status: 'SENT' });
      expect(body.event_at).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
      expect(request.headers['x-callr-eventid']).toBe(body.event_id);
      const signature = String(request.headers['x-callr-hmacsignature']);
      expect(verifyCallrSignature(algo, secret, { signature, body: request.body })).toBe(true);
      expect(verifyCallrSignature(algo, 'another-secret', { signature, body: request.body })).toBe(false);
      expect(request.headers['content-type']).toMatch(/application\/json/);
    },
  );

  it('pushes sms.mo for a received SMS, unsigned without hmac_secret, and nothing for types not subscribed', async () => {
    await acme.result('webhooks.subscribe', ['sms.mo', bed.receiver.url('/mo'), null]);
    await acme.result('webhooks.subscribe', ['sms.mt.status_update', bed.receiver.url('/mt-only'), null]);
    const inbound = bed.snapshot({
      direction: 'IN',
      from: '+33699999999',
      to: '+33100000000',
      status: 'RECEIVED',
    });

    await bed.emitSms(acme.accountId, SMS_RECEIVED, inbound);
    // An inbound SMS's status change is no MT status update.
    await bed.emitSms(acme.accountId, SMS_STATUS_CHANGED, inbound);
    const { request, body } = await waitFor(() => bed.pushesTo('/mo')[0], { what: 'sms.mo push' });

    expect(body).toMatchObject({
      type: 'sms.mo',
      try: 0,
      data: expect.objectContaining({ from: '+33699999999' }),
    });
    expect(request.headers['x-callr-hmacsignature']).toBeUndefined();
    // Both events are dispatched by now (same account, in order): the MT-only webhook got nothing.
    await bed.emitSms(acme.accountId, SMS_STATUS_CHANGED, bed.snapshot({ text: 'marker' }));
    await waitFor(() => bed.pushesTo('/mt-only').find(({ body: pushed }) => pushed.data.text === 'marker'));
    expect(bed.pushesTo('/mt-only')).toHaveLength(1);
    expect(bed.pushesTo('/mo')).toHaveLength(1);
  });

  it("does not push one account's events to another's webhooks", async () => {
    await other.result('webhooks.subscribe', [
      'sms.mt.status_update',
      bed.receiver.url('/other-account'),
      null,
    ]);
    await bed.emitSms(acme.accountId, SMS_STATUS_CHANGED, bed.snapshot({ text: 'acme only' }));
    await bed.emitSms(other.accountId, SMS_STATUS_CHANGED, bed.snapshot({ text: 'other marker' }));

    await waitFor(() => bed.pushesTo('/other-account').length > 0);
    expect(bed.pushesTo('/other-account').map(({ body }) => body.data.text)).toEqual(['other marker']);
  });

  it('counts attempts in try (0, 1, 2), signs each attempt, and shows every try in webhooks/log.search', async () => {
    const path = '/flaky';
    bed.failFirst(path, 2);
    const webhook = await other.result<CallrWebhook>('webhooks.subscribe', [
      'sms.mt.status_update',
      bed.receiver.url(path),
      { hmac_algo: 'SHA256', hmac_secret: 'flaky-secret' },
    ]);
    await bed.emitSms(
      other.accountId,
      SMS_STATUS_CHANGED,
      bed.snapshot({ text: 'retry me', status: 'FAILED' }),
    );

    await waitFor(() => bed.pushesTo(path).length >= 3, { what: 'three attempts', timeoutMs: 15_000 });
    const pushes = bed.pushesTo(path);
    expect(pushes.map(({ body }) => body.try)).toEqual([0, 1, 2]);
    expect(new Set(pushes.map(({ body }) => body.event_id)).size).toBe(1);
    for (const { request } of pushes) {
      const signature = String(request.headers['x-callr-hmacsignature']);
      expect(verifyCallrSignature('SHA256', 'flaky-secret', { signature, body: request.body })).toBe(true);
    }

    const eventId = pushes[0]?.body.event_id ?? '';
    const log = await waitFor(async () => {
      const entries = await other.result<CallrWebhookLogEntry[]>('webhooks/log.search', [
        { hook_hash: webhook.hash },
      ]);
      return entries.length === 3 && entries;
    });
    expect(log.map((entry) => [entry.try, entry.http_code, entry.status])).toEqual([
      [2, '200', 'SUCCESS'],
      [1, '503', 'ERROR'],
      [0, '503', 'ERROR'],
    ]);
    expect(log[0]).toMatchObject({
      hook_hash: webhook.hash,
      type: 'sms.mt.status_update',
      endpoint: bed.receiver.url(path),
      event_id: eventId,
      event_date: expect.stringMatching(DATETIME_MS),
      attempted_at: expect.stringMatching(DATETIME_MS),
      error: '',
      response: 'ok',
      payload: pushes[2]?.request.body,
    });
    expect(log[1]).toMatchObject({ error: 'HTTP 503', response: 'busy', payload: pushes[1]?.request.body });

    const search = (filters: Record<string, unknown>) =>
      other.result<CallrWebhookLogEntry[]>('webhooks/log.search', [{ hook_hash: webhook.hash, ...filters }]);
    expect((await search({ try: 1 })).map((entry) => entry.try)).toEqual([1]);
    expect(await search({ status: 'ERROR' })).toHaveLength(2);
    expect(await search({ http_code: '200' })).toHaveLength(1);
    expect(await search({ event_id: eventId })).toHaveLength(3);
    expect(await search({ event_id: `${eventId}x` })).toEqual([]);
    expect(await search({ type: 'sms.mo' })).toEqual([]);
    expect(await search({ endpoint: bed.receiver.url(path) })).toHaveLength(3);
    expect(await search({ event_date: log[0]?.event_date.slice(0, 10) })).toHaveLength(3);
    expect(await search({ event_date: '2001-01-01' })).toEqual([]);
    expect(
      await other.result<CallrWebhookLogEntry[]>('webhooks/log.search', [
        { hook_hash: webhook.hash },
        { offset: 1, limit: 1 },
      ]),
    ).toEqual([log[1]]);
    // Tenancy: the other account sees none of it, even by hash.
    expect(await acme.result('webhooks/log.search', [{ hook_hash: webhook.hash }])).toEqual([]);
  });

  it('shows DISABLED_SYSTEM once the engine disables an endpoint (410 Gone), ENABLED again after enable', async () => {
    const webhook = await other.result<CallrWebhook>('webhooks.subscribe', [
      'sms.mo',
      bed.receiver.url('/gone'),
      null,
    ]);
    await bed.emitSms(other.accountId, SMS_RECEIVED, bed.snapshot({ direction: 'IN', status: 'RECEIVED' }));

    const disabled = await waitFor(async () => {
      const current = await other.result<CallrWebhook>('webhooks.get', [webhook.hash]);
      return current.status === 'DISABLED_SYSTEM' && current;
    });
    expect(disabled.status).toBe('DISABLED_SYSTEM');
    expect(await other.result<CallrWebhook>('webhooks.enable', [webhook.hash])).toMatchObject({
      status: 'ENABLED',
    });
  });

  it('pushes call.outbound_hangup / call.inbound_hangup with the CDR of the direction', async () => {
    await acme.result('webhooks.subscribe', ['call.outbound_hangup', bed.receiver.url('/hangup'), null]);
    await acme.result('webhooks.subscribe', ['call.inbound_hangup', bed.receiver.url('/hangup-in'), null]);
    const cdr: CdrSnapshot = {
      callid: 4242,
      accountId: acme.accountId,
      direction: 'OUT',
      kind: 'realtime',
      appId: 3,
      appName: 'Realtime app',
      packageName: 'REALTIME10',
      number: '+33612345678',
      cli: '+33100000000',
      cdrField: 'order-17',
      dialStatus: 'ANSWER',
      hangupCause: 16,
      hangupSource: 'CALLEE',
      startedAt: '2026-01-02T03:04:00.000Z',
      answeredAt: '2026-01-02T03:04:10.000Z',
      endedAt: '2026-01-02T03:05:10.000Z',
      duration: 70,
      durationAnswered: 60,
      durationBilled: 60,
      debitCents: 12,
      callId: null,
      clicktocallId: null,
    };
    const inbound: CdrSnapshot = { ...cdr, callid: 4243, direction: 'IN' };
    await bed.emit(acme.accountId, TELEPHONY_CALL_ENDED, { call: cdr });
    await bed.emit(acme.accountId, TELEPHONY_CALL_ENDED, { call: inbound });

    const out = await waitFor(() => bed.pushesTo('/hangup')[0], { what: 'outbound hangup push' });
    const into = await waitFor(() => bed.pushesTo('/hangup-in')[0], { what: 'inbound hangup push' });
    expect(out.body).toMatchObject({ type: 'call.outbound_hangup', try: 0, data: toCallrCdrOut(cdr) });
    expect(into.body).toMatchObject({ type: 'call.inbound_hangup', try: 0, data: toCallrCdrIn(inbound) });
    // Each went only to the webhook of its type.
    expect(bed.pushesTo('/hangup')).toHaveLength(1);
    expect(bed.pushesTo('/hangup-in')).toHaveLength(1);
  });

  it('works with the official SDK and a receiver verifying as CALLR integrations do', async () => {
    const baseUrl = await bed.app.parley.server.listen({ port: 0, host: '127.0.0.1' });
    const client = createCallrSdkClient(baseUrl, 'any-login', other.apiKey);
    const secret = 'integration-secret';
    const webhook = await client.call<CallrWebhook>(
      'webhooks.subscribe',
      'sms.mo',
      bed.receiver.url('/sdk'),
      {
        hmac_secret: secret,
        hmac_algo: 'SHA256',
      },
    );
    expect(webhook.hash).toMatch(HASH);

    await bed.emitSms(other.accountId, SMS_RECEIVED, bed.snapshot({ direction: 'IN', text: 'Hi from SDK' }));
    const { request } = await waitFor(() => bed.pushesTo('/sdk')[0], { what: 'push to the SDK webhook' });
    // Such receivers re-serialize the parsed body: the bytes sent must survive that round trip.
    const reserialized = JSON.stringify(JSON.parse(request.body));
    expect(reserialized).toBe(request.body);
    const expected = createHmac('SHA256', secret).update(reserialized).digest('base64');
    expect(request.headers['x-callr-hmacsignature']).toBe(expected);

    expect(await client.call('webhooks.unsubscribe', webhook.hash)).toBe(true);
  });

  it("pushes an SMS's status updates to the dynamic webhook it was sent with, hook_hash null, signed", async () => {
    const options = {
      webhook: {
        endpoint: bed.receiver.url('/dynamic'),
        options: { hmac_algo: 'SHA512', hmac_secret: 'dynamic-secret' },
      },
    };
    const listedBefore = await acme.result<CallrWebhook[]>('webhooks.get_list');
    await bed.emitSms(
      acme.accountId,
      SMS_STATUS_CHANGED,
      bed.snapshot({ text: 'first', status: 'PENDING', options }),
    );
    await bed.emitSms(
      acme.accountId,
      SMS_STATUS_CHANGED,
      bed.snapshot({ text: 'second', status: 'SENT', options }),
    );
    // An inbound SMS's events never go to a dynamic webhook as MT updates.
    await bed.emitSms(
      acme.accountId,
      SMS_RECEIVED,
      bed.snapshot({ direction: 'IN', text: 'inbound', options }),
    );

    await waitFor(() => bed.pushesTo('/dynamic').length >= 2, { what: 'two dynamic pushes' });
    const pushes = bed.pushesTo('/dynamic');
    // Two deliveries to one endpoint may run side by side (two per endpoint): order is not promised.
    const seen = pushes.map(({ body }) => [body.type, body.hook_hash, body.data.text]);
    expect(seen.sort((a, b) => String(a[2]).localeCompare(String(b[2])))).toEqual([
      ['sms.mt.status_update', null, 'first'],
      ['sms.mt.status_update', null, 'second'],
    ]);
    for (const { request } of pushes) {
      const signature = String(request.headers['x-callr-hmacsignature']);
      expect(verifyCallrSignature('SHA512', 'dynamic-secret', { signature, body: request.body })).toBe(true);
    }
    // One hidden row serves the endpoint; clients never see it among their webhooks.
    const hidden = await bed.app.parley.ctx.db
      .select()
      .from(webhookSubscriptions)
      .where(sql`${webhookSubscriptions.url} = ${bed.receiver.url('/dynamic')}`);
    expect(hidden).toHaveLength(1);
    expect(await acme.result<CallrWebhook[]>('webhooks.get_list')).toEqual(listedBefore);
    const logged = await waitFor(async () => {
      const entries = await acme.result<CallrWebhookLogEntry[]>('webhooks/log.search', [
        { endpoint: bed.receiver.url('/dynamic') },
      ]);
      return entries.length === 2 && entries;
    });
    expect(logged.map((entry) => entry.hook_hash)).toEqual(['', '']);
  });
});
