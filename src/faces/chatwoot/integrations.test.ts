import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, seedAccount, type TestApp } from '../../testing/app.js';
import { backendName } from '../../testing/database.js';
import { startWebhookReceiver } from '../../testing/webhook-receiver.js';
import { webhookDeliveries, webhookSubscriptions } from '../../core/webhooks/webhooks.tables.js';
import { integrationHooks } from '../../core/integrations/integrations.tables.js';
import {
  chatwootClient,
  openConversation,
  seedContact,
  seedInbox,
  type ChatwootClient,
} from './conversations.test-kit.js';
import { seedUser } from './admin-test-kit.js';
import { verifyChatwootSignature } from './webhook-formats/signature.js';

type Receiver = Awaited<ReturnType<typeof startWebhookReceiver>>;

describe(`Chatwoot integrations (${backendName})`, () => {
  let app: TestApp;
  let receiver: Receiver;
  let accountId: number;
  let admin: ChatwootClient;
  let agent: ChatwootClient;
  let other: ChatwootClient;
  let otherAccountId: number;
  let inboxId: number;
  let contactId: number;
  let base: string;

  beforeAll(async () => {
    receiver = await startWebhookReceiver();
    app = await createTestApp({ PARLEY_OUTBOUND_ALLOWLIST: ['127.0.0.1'] });
    const acme = await seedAccount(app, 'Acme');
    accountId = acme.accountId;
    admin = chatwootClient(app, acme.apiKey);
    agent = chatwootClient(
      app,
      (await seedUser(app, { accountId, role: 'agent', email: 'agent@acme.test' })).token,
    );
    const globex = await seedAccount(app, 'Globex');
    other = chatwootClient(app, globex.apiKey);
    otherAccountId = globex.accountId;
    inboxId = await seedInbox(app, accountId);
    contactId = await seedContact(app, accountId);
    base = `/api/v1/accounts/${accountId}/integrations`;
  });
  afterAll(async () => {
    await app.close();
    await receiver.close();
  });

  async function createWebhookHook(settings: Record<string, unknown>, status = 1) {
    const response = await admin.post(`${base}/hooks`, { app_id: 'webhook', status, settings });
    expect(response.statusCode, response.body).toBe(200);
    return response.json<{ id: string; status: boolean; settings: Record<string, unknown> }>();
  }

  async function subscriptionOfHook(hookId: string) {
    const [row] = await app.parley.ctx.db
      .select({ subscription: webhookSubscriptions })
      .from(integrationHooks)
      .innerJoin(
        webhookSubscriptions,
        and(
          eq(webhookSubscriptions.accountId, integrationHooks.accountId),
          eq(webhookSubscriptions.id, integrationHooks.subscriptionId),
        ),
      )
      .where(and(eq(integrationHooks.accountId, accountId), eq(integrationHooks.id, Number(hookId))));
    return row?.subscription;
  }

  /** Dispatches the outbox and runs the delivery jobs it made. */
  async function deliver(): Promise<void> {
    await app.parley.relay.drain();
    await app.parley.worker.runOnce();
  }

  it('lists only the apps Parley runs, with their state', async () => {
    const response = await admin.get(`${base}/apps`);

    expect(response.statusCode).toBe(200);
    expect(response.json().payload).toEqual([
      {
        id: 'webhook',
        name: 'Webhooks',
        description: expect.any(String),
        hook_type: 'account',
        enabled: false,
        allow_multiple_hooks: true,
        hooks: [],
      },
    ]);
  });

  it('creates a webhook hook that delivers signed Chatwoot events through the webhook engine', async () => {
    const hook = await createWebhookHook({
      url: receiver.url('/hook-a'),
      subscriptions: ['conversation_created'],
    });

    expect(hook).toEqual({
      id: expect.any(String),
      app_id: 'webhook',
      account_id: String(accountId),
      status: true,
      hook_type: false,
      settings: {
        url: receiver.url('/hook-a'),
        subscriptions: ['conversation_created'],
        secret: expect.any(String),
      },
    });
    const apps = (await admin.get(`${base}/apps`)).json().payload;
    expect(apps[0]).toMatchObject({
      enabled: true,
      hooks: [{ id: hook.id, settings: { url: receiver.url('/hook-a') } }],
    });
    expect(apps[0].hooks[0].settings).not.toHaveProperty('secret');

    await openConversation(admin, accountId, { inbox_id: inboxId, contact_id: contactId });
    await deliver();

    const received = receiver.received.filter((request) => request.path === '/hook-a');
    expect(received).toHaveLength(1);
    const [request] = received;
    expect(JSON.parse(request!.body)).toMatchObject({ event: 'conversation_created' });
    expect(
      verifyChatwootSignature(String(hook.settings.secret), {
        signature: String(request!.headers['x-chatwoot-signature']),
        timestamp: String(request!.headers['x-chatwoot-timestamp']),
        body: request!.body,
      }),
    ).toBe(true);
    const subscription = await subscriptionOfHook(hook.id);
    const deliveries = await app.parley.ctx.db
      .select()
      .from(webhookDeliveries)
      .where(
        and(
          eq(webhookDeliveries.accountId, accountId),
          eq(webhookDeliveries.subscriptionId, subscription!.id),
        ),
      );
    expect(deliveries.map((delivery) => delivery.state)).toEqual(['succeeded']);
  });

  it('stops delivering when the hook is switched off, and changes its settings', async () => {
    const hook = await createWebhookHook({ url: receiver.url('/hook-b') });

    const off = await admin.patch(`${base}/hooks/${hook.id}`, { status: 0 });
    const moved = await admin.patch(`${base}/hooks/${hook.id}`, {
      settings: { url: receiver.url('/hook-c'), subscriptions: ['message_created'] },
    });
    await openConversation(admin, accountId, { inbox_id: inboxId, contact_id: contactId });
    await deliver();

    expect(off.statusCode, off.body).toBe(200);
    expect(off.json().status).toBe(false);
    expect(moved.json()).toMatchObject({
      status: false,
      settings: { url: receiver.url('/hook-c'), subscriptions: ['message_created'] },
    });
    expect(receiver.received.filter((request) => request.path !== '/hook-a')).toEqual([]);
    expect((await subscriptionOfHook(hook.id))?.enabled).toBe(false);
  });

  it('refuses unknown apps, missing or bad settings and inbox hooks for an account app', async () => {
    const cases = [
      { body: { app_id: 'slack', settings: {} }, field: 'app_id' },
      { body: { app_id: 'webhook' }, field: 'settings.url' },
      { body: { app_id: 'webhook', settings: { url: 'ftp://example.com' } }, field: 'settings.url' },
      { body: { app_id: 'webhook', settings: { url: 'http://10.1.2.3/hook' } }, field: 'settings.url' },
      {
        body: { app_id: 'webhook', settings: { url: receiver.url(), subscriptions: ['everything'] } },
        field: 'settings.subscriptions',
      },
      { body: { app_id: 'webhook', settings: { url: receiver.url(), colour: 'red' } }, field: 'settings' },
      {
        body: { app_id: 'webhook', inbox_id: inboxId, settings: { url: receiver.url() } },
        field: 'inbox_id',
      },
      { body: { settings: { url: receiver.url() } }, field: 'app_id' },
    ];
    for (const { body, field } of cases) {
      const response = await admin.post(`${base}/hooks`, body);

      expect(response.statusCode, JSON.stringify(body)).toBe(422);
      expect(
        response
          .json()
          .errors.map((error: { field: string }) => error.field)
          .join(' '),
      ).toContain(field);
    }
  });

  it('lets agents see the apps but not the hooks, nor change them', async () => {
    const hook = await createWebhookHook({ url: receiver.url('/hook-d') });

    const apps = await agent.get(`${base}/apps`);
    const create = await agent.post(`${base}/hooks`, {
      app_id: 'webhook',
      settings: { url: receiver.url() },
    });
    const update = await agent.patch(`${base}/hooks/${hook.id}`, { status: 0 });
    const removal = await agent.delete(`${base}/hooks/${hook.id}`);

    expect(apps.statusCode).toBe(200);
    expect(apps.json().payload[0]).not.toHaveProperty('hooks');
    expect([create.statusCode, update.statusCode, removal.statusCode]).toEqual([403, 403, 403]);
  });

  it("keeps one account's hooks from another", async () => {
    const hook = await createWebhookHook({ url: receiver.url('/hook-e') });

    const responses = [
      await other.patch(`${base}/hooks/${hook.id}`, { status: 0 }),
      await other.delete(`${base}/hooks/${hook.id}`),
      await other.patch(`/api/v1/accounts/${otherAccountId}/integrations/hooks/${hook.id}`, { status: 0 }),
      await other.delete(`/api/v1/accounts/${otherAccountId}/integrations/hooks/${hook.id}`),
    ];
    const theirApps = (await other.get(`/api/v1/accounts/${otherAccountId}/integrations/apps`)).json()
      .payload;

    expect(responses.map((response) => response.statusCode)).toEqual([404, 404, 404, 404]);
    expect(theirApps[0]).toMatchObject({ enabled: false, hooks: [] });
    expect((await subscriptionOfHook(hook.id))?.enabled).toBe(true);
  });

  it('deletes a hook with its webhook', async () => {
    const hook = await createWebhookHook({ url: receiver.url('/hook-f') });
    const subscription = await subscriptionOfHook(hook.id);

    const removal = await admin.delete(`${base}/hooks/${hook.id}`);
    const again = await admin.delete(`${base}/hooks/${hook.id}`);

    expect(removal.statusCode).toBe(200);
    expect(removal.body).toBe('');
    expect(again.statusCode).toBe(404);
    const hooks = (await admin.get(`${base}/apps`)).json().payload[0].hooks as { id: string }[];
    expect(hooks.map((item) => item.id)).not.toContain(hook.id);
    const left = await app.parley.ctx.db
      .select()
      .from(webhookSubscriptions)
      .where(
        and(eq(webhookSubscriptions.accountId, accountId), eq(webhookSubscriptions.id, subscription!.id)),
      );
    expect(left).toEqual([]);
  });
});
