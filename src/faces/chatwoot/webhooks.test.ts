import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, eq } from 'drizzle-orm';
import { createTestApp, seedAccount, type TestApp } from '../../testing/app.js';
import { backendName } from '../../testing/database.js';
import { webhookSubscriptions } from '../../core/webhooks/webhooks.tables.js';
import { chatwootCaller, seedUser } from './admin-test-kit.js';

describe(`Chatwoot account webhooks (${backendName})`, () => {
  let app: TestApp;
  let call: ReturnType<typeof chatwootCaller>;
  let a: { accountId: number; apiKey: string };
  let b: { accountId: number; apiKey: string };
  let agent: { userId: number; token: string };

  beforeAll(async () => {
    app = await createTestApp();
    call = chatwootCaller(app);
    a = await seedAccount(app, 'Acme');
    b = await seedAccount(app, 'Globex');
    agent = await seedUser(app, { accountId: a.accountId, role: 'agent', email: 'agent@acme.test' });
  });
  afterAll(async () => {
    await app.close();
  });

  const url = (accountId: number) => `/api/v1/accounts/${accountId}/webhooks`;
  const stored = (id: number) =>
    app.testDb.database.db
      .select()
      .from(webhookSubscriptions)
      .where(and(eq(webhookSubscriptions.accountId, a.accountId), eq(webhookSubscriptions.id, id)));

  it('creates a webhook stored as a chatwoot-format subscription with the Chatwoot event names', async () => {
    const response = await call('POST', url(a.accountId), a.apiKey, {
      url: 'https://hooks.acme.test/cw',
      name: 'CRM',
      subscriptions: ['conversation_created', 'message_created'],
    });

    expect(response.statusCode).toBe(200);
    const webhook = response.json();
    expect(webhook).toEqual({
      id: expect.any(Number),
      url: 'https://hooks.acme.test/cw',
      name: 'CRM',
      subscriptions: ['conversation_created', 'message_created'],
      account_id: a.accountId,
      secret: expect.any(String),
    });
    const [row] = await stored(webhook.id);
    expect(row).toMatchObject({
      format: 'chatwoot',
      events: ['conversation_created', 'message_created'],
      url: 'https://hooks.acme.test/cw',
    });
  });

  it('subscribes to every event when no subscriptions are given', async () => {
    const response = await call('POST', url(a.accountId), a.apiKey, { url: 'https://hooks.acme.test/all' });

    expect(response.json().subscriptions).toHaveLength(8);
    expect(response.json().subscriptions).toContain('webwidget_triggered');
  });

  it('lists, updates and deletes webhooks', async () => {
    const created = await call('POST', url(a.accountId), a.apiKey, {
      url: 'https://hooks.acme.test/x',
      subscriptions: ['contact_created'],
    });
    const id = created.json<{ id: number }>().id;

    const updated = await call('PATCH', `${url(a.accountId)}/${id}`, a.apiKey, {
      url: 'https://hooks.acme.test/y',
      subscriptions: ['contact_updated', 'conversation_status_changed'],
    });
    const listed = await call('GET', url(a.accountId), a.apiKey);
    const deleted = await call('DELETE', `${url(a.accountId)}/${id}`, a.apiKey);
    const again = await call('DELETE', `${url(a.accountId)}/${id}`, a.apiKey);

    expect(updated.statusCode).toBe(200);
    expect(updated.json()).toMatchObject({
      id,
      url: 'https://hooks.acme.test/y',
      subscriptions: ['contact_updated', 'conversation_status_changed'],
    });
    expect(updated.json()).not.toHaveProperty('secret');
    const item = listed.json().find((row: { id: number }) => row.id === id);
    expect(item).toEqual({
      id,
      url: 'https://hooks.acme.test/y',
      subscriptions: ['contact_updated', 'conversation_status_changed'],
      account_id: a.accountId,
    });
    expect(deleted.statusCode).toBe(200);
    expect(await stored(id)).toEqual([]);
    expect(again.statusCode).toBe(404);
  });

  it('refuses unknown event names and bad URLs with 422, storing nothing', async () => {
    const before = await call('GET', url(a.accountId), a.apiKey);

    const badEvent = await call('POST', url(a.accountId), a.apiKey, {
      url: 'https://hooks.acme.test/z',
      subscriptions: ['conversation_created', 'conversation.created'],
    });
    const badUrl = await call('POST', url(a.accountId), a.apiKey, { url: 'javascript:alert(1)' });
    const noUrl = await call('POST', url(a.accountId), a.apiKey, { subscriptions: ['message_created'] });
    const after = await call('GET', url(a.accountId), a.apiKey);

    expect(badEvent.statusCode).toBe(422);
    expect(badEvent.json().errors).toEqual([
      {
        field: 'subscriptions',
        message: 'contains unknown events: conversation.created',
        code: 'validation_failed',
      },
    ]);
    expect(badUrl.statusCode).toBe(422);
    expect(badUrl.json().errors[0].field).toBe('url');
    expect(noUrl.statusCode).toBe(422);
    expect(after.json()).toHaveLength(before.json().length);
  });

  it('does not expose inbox callback or agent bot subscriptions as account webhooks', async () => {
    const inbox = await call('POST', `/api/v1/accounts/${a.accountId}/inboxes`, a.apiKey, {
      name: 'API',
      channel: { type: 'api', webhook_url: 'https://hooks.acme.test/callback' },
    });
    const [callback] = await app.testDb.database.db
      .select()
      .from(webhookSubscriptions)
      .where(
        and(
          eq(webhookSubscriptions.accountId, a.accountId),
          eq(webhookSubscriptions.format, 'chatwoot_api_inbox'),
        ),
      );

    const listed = await call('GET', url(a.accountId), a.apiKey);
    const deleted = await call('DELETE', `${url(a.accountId)}/${callback?.id}`, a.apiKey);

    expect(inbox.statusCode).toBe(200);
    expect(listed.json().map((row: { url: string }) => row.url)).not.toContain(
      'https://hooks.acme.test/callback',
    );
    expect(deleted.statusCode).toBe(404);
  });

  it('is for administrators only and isolated between accounts', async () => {
    const created = await call('POST', url(a.accountId), a.apiKey, { url: 'https://hooks.acme.test/iso' });
    const id = created.json<{ id: number }>().id;

    const asAgent = await call('GET', url(a.accountId), agent.token);
    const missing = await call('GET', url(a.accountId), undefined);
    const patch = await call('PATCH', `${url(b.accountId)}/${id}`, b.apiKey, { name: 'stolen' });
    const del = await call('DELETE', `${url(b.accountId)}/${id}`, b.apiKey);
    const listB = await call('GET', url(b.accountId), b.apiKey);

    expect(asAgent.statusCode).toBe(403);
    expect(missing.statusCode).toBe(401);
    expect(patch.statusCode).toBe(404);
    expect(del.statusCode).toBe(404);
    expect(listB.json()).toEqual([]);
  });
});
