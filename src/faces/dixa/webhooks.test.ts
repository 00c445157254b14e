import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDixaTestApp, type DixaTestOrg, type Inject } from './dixa-test-kit.js';
import type { TestApp } from '../../testing/app.js';
import { and, eq } from 'drizzle-orm';
import { webhookSubscriptions } from '../../core/webhooks/webhooks.tables.js';
import { dixaWebhookEvents } from './webhook-events.js';

interface Subscription {
  id: string;
  url: string;
  name: string;
  enabled: boolean;
  headers: Record<string, string>;
  secretKey: string;
  subscribedEvents: string[];
  createdAt: string;
  createdBy: string;
  updatedAt: string;
  updatedBy: string;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

describe('Dixa webhook subscriptions', () => {
  let app: TestApp;
  let inject: Inject;
  let org: DixaTestOrg;
  let other: DixaTestOrg;

  beforeAll(async () => {
    const created = await createDixaTestApp({ PARLEY_OUTBOUND_ALLOWLIST: ['127.0.0.1/32'] });
    app = created.app;
    inject = created.inject;
    org = await created.organization('Webhooks A');
    other = await created.organization('Webhooks B');
  }, 120_000);
  afterAll(() => app.close());

  const create = async (body: Record<string, unknown> = {}) => {
    const response = await org.call('POST', '/v1/webhooks', {
      url: 'http://127.0.0.1:9/hook',
      name: 'Dashboard Integration',
      events: ['ConversationCreated', 'ConversationClosed'],
      enabled: true,
      authorization: { _type: 'BasicAuth', username: 'webhook_user', password: 'webhook_password' },
      ...body,
    });
    expect(response.statusCode, response.body).toBe(201);
    return response.json<{ data: Subscription }>().data;
  };

  it('creates a subscription with the seed shape: uuid id, secretKey, subscribedEvents, headers, createdAt/By', async () => {
    const before = Date.now();

    const created = await create();

    expect(Object.keys(created).sort()).toEqual(
      [
        'createdAt',
        'createdBy',
        'enabled',
        'headers',
        'id',
        'name',
        'secretKey',
        'subscribedEvents',
        'updatedAt',
        'updatedBy',
        'url',
      ].sort(),
    );
    expect(created.id).toMatch(UUID);
    expect(created).toMatchObject({
      url: 'http://127.0.0.1:9/hook',
      name: 'Dashboard Integration',
      enabled: true,
      subscribedEvents: ['ConversationCreated', 'ConversationClosed'],
      headers: { Authorization: `Basic ${Buffer.from('webhook_user:webhook_password').toString('base64')}` },
    });
    expect(created.secretKey).toMatch(/^[0-9a-f]{64}$/);
    expect(created.createdBy).toMatch(UUID);
    expect(created.updatedBy).toBe(created.createdBy);
    expect(Date.parse(created.createdAt)).toBeGreaterThanOrEqual(before - 1000);
  });

  it('subscribes to every event when events are left out, and accepts each of the 20 names', async () => {
    const all = await create({ events: undefined, authorization: { _type: 'NoAuth' } });
    const explicit = await create({ events: [...dixaWebhookEvents] });

    expect(all.subscribedEvents.sort()).toEqual([...dixaWebhookEvents].sort());
    expect(explicit.subscribedEvents).toEqual([...dixaWebhookEvents]);
    expect(all.headers).toEqual({});
  });

  it('refuses an unknown event, a bad URL, a private address and a missing authorization with 400', async () => {
    const cases = [
      { events: ['ConversationExploded'] },
      { url: 'not a url' },
      { url: 'ftp://example.com/hook' },
      { url: 'http://10.1.2.3/hook' },
      { authorization: { _type: 'Kerberos' } },
      { name: undefined },
    ];
    for (const body of cases) {
      const response = await org.call('POST', '/v1/webhooks', {
        url: 'http://127.0.0.1:9/hook',
        name: 'Bad',
        authorization: { _type: 'NoAuth' },
        ...body,
      });
      expect(response.statusCode, JSON.stringify(body)).toBe(400);
      expect(Object.keys(response.json())).toEqual(['message']);
    }
    const unknown = await org.call('POST', '/v1/webhooks', {
      url: 'http://127.0.0.1:9/hook',
      name: 'Bad',
      events: ['ConversationExploded'],
      authorization: { _type: 'NoAuth' },
    });
    expect(unknown.json<{ message: string }>().message).toContain('ConversationExploded');
  });

  it('gets, lists, patches and deletes by id', async () => {
    const created = await create({ name: 'To change' });

    const got = await org.call('GET', `/v1/webhooks/${created.id}`);
    const listed = await org.call('GET', '/v1/webhooks');
    const patched = await org.call('PATCH', `/v1/webhooks/${created.id}`, {
      name: 'New name',
      events: ['ConversationNoteAdded'],
      enabled: false,
      authorization: { _type: 'TokenAuth', value: 'secret-token' },
    });

    expect(got.statusCode).toBe(200);
    expect(got.json()).toEqual({ data: created });
    expect(listed.json<{ data: Subscription[] }>().data.map((item) => item.id)).toContain(created.id);
    expect(patched.statusCode, patched.body).toBe(200);
    expect(patched.json<{ data: Subscription }>().data).toMatchObject({
      id: created.id,
      name: 'New name',
      url: created.url,
      enabled: false,
      subscribedEvents: ['ConversationNoteAdded'],
      headers: { Authorization: 'Bearer secret-token' },
      secretKey: created.secretKey,
      createdAt: created.createdAt,
    });

    const deleted = await org.call('DELETE', `/v1/webhooks/${created.id}`);
    expect(deleted.statusCode).toBe(204);
    expect((await org.call('GET', `/v1/webhooks/${created.id}`)).statusCode).toBe(404);
  });

  it('refuses a patch with an unknown event or a bad URL (400), an unknown id (404) and a non-uuid id (400)', async () => {
    const created = await create();

    expect((await org.call('PATCH', `/v1/webhooks/${created.id}`, { events: ['Nope'] })).statusCode).toBe(
      400,
    );
    expect(
      (await org.call('PATCH', `/v1/webhooks/${created.id}`, { url: 'http://169.254.169.254/' })).statusCode,
    ).toBe(400);
    expect((await org.call('GET', '/v1/webhooks/00000000-0000-4000-8000-000000000000')).statusCode).toBe(404);
    expect((await org.call('GET', '/v1/webhooks/42')).statusCode).toBe(400);
  });

  it("keeps organizations apart: another organization's subscription is 404 everywhere and not listed", async () => {
    const created = await create();
    const paths = [
      ['GET', `/v1/webhooks/${created.id}`],
      ['PATCH', `/v1/webhooks/${created.id}`],
      ['DELETE', `/v1/webhooks/${created.id}`],
      ['GET', `/v1/webhooks/${created.id}/delivery-status`],
      ['GET', `/v1/webhooks/${created.id}/delivery-status/logs/ConversationCreated`],
    ] as const;

    for (const [method, path] of paths) {
      const response = await other.call(method, path, method === 'PATCH' ? { name: 'Stolen' } : undefined);
      expect(response.statusCode, `${method} ${path}`).toBe(404);
    }
    const listed = await other.call('GET', '/v1/webhooks');
    expect(listed.json<{ data: Subscription[] }>().data.map((item) => item.id)).not.toContain(created.id);
    expect(
      (await org.call('GET', `/v1/webhooks/${created.id}`)).json<{ data: Subscription }>().data.name,
    ).toBe('Dashboard Integration');
  });

  it('shows NoRecentDelivery for every subscribed event before anything was sent, and 400 for an unknown event log', async () => {
    const created = await create();

    const status = await org.call('GET', `/v1/webhooks/${created.id}/delivery-status`);
    const logs = await org.call('GET', `/v1/webhooks/${created.id}/delivery-status/logs/ConversationCreated`);
    const unknown = await org.call('GET', `/v1/webhooks/${created.id}/delivery-status/logs/Nope`);

    expect(status.json()).toEqual({
      data: [
        { event: 'ConversationCreated', deliveryStatus: { _type: 'NoRecentDelivery' } },
        { event: 'ConversationClosed', deliveryStatus: { _type: 'NoRecentDelivery' } },
      ],
    });
    expect(logs.json()).toEqual({ data: [] });
    expect(unknown.statusCode).toBe(400);
  });

  it('answers 401 without a token', async () => {
    expect((await inject({ method: 'GET', url: '/dixa/v1/webhooks' })).statusCode).toBe(401);
  });

  it('keeps the secret key and the outgoing credentials encrypted at rest, and seals rows stored in clear', async () => {
    const db = app.parley.ctx.db;
    const stored = async (uuid: string) =>
      (
        await db
          .select()
          .from(webhookSubscriptions)
          .where(and(eq(webhookSubscriptions.accountId, org.accountId), eq(webhookSubscriptions.uuid, uuid)))
      )[0]!;
    const created = await org.call('POST', '/v1/webhooks', {
      url: 'https://93.184.215.14/sealed',
      name: 'Sealed',
      authorization: { _type: 'TokenAuth', value: 'receiver-token' },
    });
    const subscription = created.json<{ data: { id: string; secretKey: string } }>().data;
    const row = await stored(subscription.id);
    const shown = await org.call('GET', `/v1/webhooks/${subscription.id}`);

    expect(row.secretsSealed).toBe(true);
    expect(row.secret).not.toContain(subscription.secretKey);
    expect(JSON.stringify(row.options)).not.toContain('receiver-token');
    // What the seed shows is still shown: the secret key and the headers sent.
    expect(shown.json()).toMatchObject({
      data: { secretKey: subscription.secretKey, headers: { Authorization: 'Bearer receiver-token' } },
    });

    // A subscription written before encryption: read in clear once, sealed in place.
    const [legacy] = await db
      .insert(webhookSubscriptions)
      .values({
        accountId: org.accountId,
        format: 'dixa',
        url: 'https://93.184.215.14/legacy',
        name: 'Legacy',
        events: ['ConversationCreated'],
        enabled: false,
        secret: 'ab'.repeat(32),
        options: { secrets: { authorization: { type: 'basic', username: 'old', password: 'legacy-pass' } } },
      })
      .returning();
    const read = await org.call('GET', `/v1/webhooks/${legacy!.uuid}`);
    const sealed = await stored(legacy!.uuid);

    expect(read.json()).toMatchObject({
      data: {
        secretKey: 'ab'.repeat(32),
        headers: { Authorization: `Basic ${Buffer.from('old:legacy-pass').toString('base64')}` },
      },
    });
    expect(sealed.secretsSealed).toBe(true);
    expect(sealed.secret).not.toContain('abab');
    expect(JSON.stringify(sealed.options)).not.toContain('legacy-pass');
  });
});
