import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, injector, TEST_PLATFORM_TOKEN } from '../../testing/app.js';
import { postRpc } from './callr-test-kit.js';
import type { CallrWebhook } from './webhook-subscription.map.js';
import {
  createWebhookTestbed,
  DATETIME_MS,
  HASH,
  type WebhookTestAccount,
  type WebhookTestbed,
} from './webhooks.test-kit.js';

describe('CALLR webhooks methods', () => {
  let bed: WebhookTestbed;
  let acme: WebhookTestAccount;
  let other: WebhookTestAccount;

  beforeAll(async () => {
    bed = await createWebhookTestbed();
    acme = await bed.account('Acme Webhooks');
    other = await bed.account('Other Webhooks');
  }, 120_000);
  afterAll(async () => {
    await bed.close();
  });

  it('lists the event types clients subscribe to', async () => {
    const types = await acme.result<string[]>('webhooks.get_event_types');
    expect(types).toEqual(expect.arrayContaining(['sms.mt.status_update', 'sms.mo', 'call.outbound_hangup']));
    expect(new Set(types).size).toBe(types.length);
  });

  it('subscribes and answers the seed Webhook object; get, get_list, update, disable, enable, unsubscribe', async () => {
    const webhook = await acme.result<CallrWebhook>('webhooks.subscribe', [
      'sms.mt.status_update',
      bed.receiver.url('/crud'),
      { hmac_algo: 'SHA1', hmac_secret: 'crud-secret-1' },
    ]);
    expect(webhook).toEqual({
      created_at: expect.stringMatching(DATETIME_MS),
      endpoint: bed.receiver.url('/crud'),
      hash: expect.stringMatching(HASH),
      options: { format: 'JSON', hmac_algo: 'SHA1', hmac_secret: 'crud-secret-1' },
      status: 'ENABLED',
      type: 'sms.mt.status_update',
      updated_at: expect.stringMatching(DATETIME_MS),
    });

    expect(await acme.result('webhooks.get', [webhook.hash])).toEqual(webhook);
    const listed = await acme.result<CallrWebhook[]>('webhooks.get_list');
    expect(listed.map((entry) => entry.hash)).toContain(webhook.hash);
    expect(await acme.result<CallrWebhook[]>('webhooks.get_list', ['sms.mo'])).not.toContainEqual(
      expect.objectContaining({ hash: webhook.hash }),
    );

    const updated = await acme.result<CallrWebhook>('webhooks.update', [
      webhook.hash,
      bed.receiver.url('/crud-2'),
      { hmac_algo: 'sha512' },
    ]);
    expect(updated).toMatchObject({
      endpoint: bed.receiver.url('/crud-2'),
      options: { format: 'JSON', hmac_algo: 'SHA512', hmac_secret: 'crud-secret-1' },
      type: 'sms.mt.status_update',
    });

    expect(await acme.result<CallrWebhook>('webhooks.disable', [webhook.hash])).toMatchObject({
      status: 'DISABLED',
    });
    expect(await acme.result<CallrWebhook>('webhooks.enable', [webhook.hash])).toMatchObject({
      status: 'ENABLED',
    });
    expect(await acme.result('webhooks.unsubscribe', [webhook.hash])).toBe(true);
    expect(await acme.error('webhooks.get', [webhook.hash])).toMatchObject({ code: -32004 });
    expect(await acme.error('webhooks.unsubscribe', [webhook.hash])).toMatchObject({ code: -32004 });
  });

  it("answers another account's webhook as not found, for every method", async () => {
    const webhook = await acme.result<CallrWebhook>('webhooks.subscribe', [
      'sms.mo',
      bed.receiver.url('/mine'),
      null,
    ]);

    for (const [method, params] of [
      ['webhooks.get', [webhook.hash]],
      ['webhooks.update', [webhook.hash, bed.receiver.url('/stolen'), null]],
      ['webhooks.disable', [webhook.hash]],
      ['webhooks.enable', [webhook.hash]],
      ['webhooks.unsubscribe', [webhook.hash]],
    ] as const) {
      expect(await other.error(method, [...params]), method).toMatchObject({ code: -32004 });
    }
    expect(await other.result<CallrWebhook[]>('webhooks.get_list')).toEqual([]);
    expect(await acme.result<CallrWebhook>('webhooks.get', [webhook.hash])).toMatchObject({
      endpoint: bed.receiver.url('/mine'),
      status: 'ENABLED',
    });
    await acme.result('webhooks.unsubscribe', [webhook.hash]);
  });

  it('refuses bad params with -32602 naming the param', async () => {
    const cases: [unknown[], RegExp][] = [
      [['sms.nothing', bed.receiver.url('/x'), null], /'type'.*get_event_types/],
      [['sms.mo', 'ftp://example.com/x', null], /endpoint/],
      [['sms.mo', bed.receiver.url('/x'), { hmac_algo: 'SHA3' }], /'options'.*hmac_algo/],
      [['sms.mo', bed.receiver.url('/x'), { hmac_secret: 'short' }], /'options'.*hmac_secret/],
      [['sms.mo', bed.receiver.url('/x'), { format: 'XML' }], /'options'.*format/],
      [['sms.mo', bed.receiver.url('/x'), { hmac_sercet: 'typo-secret' }], /'options'/],
      [['sms.mo'], /'endpoint'/],
    ];
    for (const [params, message] of cases) {
      const error = await acme.error('webhooks.subscribe', params);
      expect(error.code, JSON.stringify(params)).toBe(-32602);
      expect(error.message).toMatch(message);
    }
    expect(await acme.error('webhooks/log.search', [{ try: 12 }])).toMatchObject({ code: -32602 });
    expect(await acme.error('webhooks/log.search', [{ event_date: 'yesterday' }])).toMatchObject({
      code: -32602,
    });
    expect(await acme.result<CallrWebhook[]>('webhooks.get_list')).toEqual([]);
  });

  it('refuses endpoints webhooks may not reach', async () => {
    const error = await other.error('webhooks.subscribe', ['sms.mo', 'http://10.1.2.3/hook', null]);
    expect(error).toMatchObject({ code: -32602, message: expect.stringMatching(/endpoint/) });
  });

  it('lets only administrators manage webhooks (an agent may still list the event types)', async () => {
    const inject = injector(bed.app);
    const added = await inject({
      method: 'POST',
      url: `/api/v1/accounts/${acme.accountId}/members`,
      headers: bearer(TEST_PLATFORM_TOKEN),
      payload: { email: 'agent@acme.test', name: 'Agent', password: 'agent-password-1', role: 'agent' },
    });
    expect(added.statusCode, added.body).toBe(201);
    const asAgent = {
      authorization: `Basic ${Buffer.from('agent@acme.test:agent-password-1').toString('base64')}`,
    };
    const mine = await acme.result<CallrWebhook>('webhooks.subscribe', [
      'sms.mo',
      bed.receiver.url('/admin'),
      null,
    ]);

    for (const [method, params] of [
      ['webhooks.subscribe', ['sms.mo', bed.receiver.url('/agent'), null]],
      ['webhooks.get_list', []],
      ['webhooks.get', [mine.hash]],
      ['webhooks.unsubscribe', [mine.hash]],
      ['webhooks/log.search', [null]],
    ] as const) {
      const answer = await postRpc(inject, method, [...params], asAgent);
      expect(answer.error, method).toMatchObject({ code: -32003 });
    }
    expect((await postRpc<string[]>(inject, 'webhooks.get_event_types', [], asAgent)).result).toContain(
      'sms.mo',
    );
    expect(await acme.result<CallrWebhook>('webhooks.get', [mine.hash])).toMatchObject({ status: 'ENABLED' });
  });
});
