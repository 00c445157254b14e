import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, injector, seedAccount, type TestApp } from '../../../testing/app.js';
import { backendName } from '../../../testing/database.js';
import { waitFor } from '../../../testing/wait.js';
import { startWebhookReceiver } from '../../../testing/webhook-receiver.js';
import { verifyChatwootSignature } from '../webhook-formats/signature.js';

describe(`web widget events (${backendName})`, () => {
  let app: TestApp;
  let request: ReturnType<typeof injector>;
  let receiver: Awaited<ReturnType<typeof startWebhookReceiver>>;
  let acme: { accountId: number; apiKey: string };

  beforeAll(async () => {
    receiver = await startWebhookReceiver();
    app = await createTestApp({ PARLEY_OUTBOUND_ALLOWLIST: ['127.0.0.1'] });
    request = injector(app);
    acme = await seedAccount(app, 'Acme');
    await app.parley.startBackground();
  });
  afterAll(async () => {
    await app.close();
    await receiver.close();
  });

  const admin = () => ({ api_access_token: acme.apiKey });

  async function createInbox(channel: Record<string, unknown>): Promise<string> {
    const response = await request({
      method: 'POST',
      url: `/chatwoot/api/v1/accounts/${acme.accountId}/inboxes`,
      headers: admin(),
      payload: { name: `Inbox ${String(channel.type)}`, channel },
    });
    expect(response.statusCode).toBe(200);
    // Widget inboxes are addressed by their website token, API inboxes by their inbox identifier.
    const inbox = response.json<{ inbox_identifier?: string; website_token?: string }>();
    return inbox.inbox_identifier ?? inbox.website_token ?? '';
  }

  async function createVisitor(identifier: string): Promise<string> {
    const response = await request({
      method: 'POST',
      url: `/chatwoot/public/api/v1/inboxes/${identifier}/contacts`,
      payload: { name: 'Visitor', email: `visitor-${identifier}@example.com` },
    });
    expect(response.statusCode).toBe(200);
    return response.json<{ source_id: string }>().source_id;
  }

  it('delivers a signed webwidget_triggered webhook for a widget visitor', async () => {
    const hook = await request({
      method: 'POST',
      url: `/chatwoot/api/v1/accounts/${acme.accountId}/webhooks`,
      headers: admin(),
      payload: { url: receiver.url('/widget'), subscriptions: ['webwidget_triggered'] },
    });
    expect(hook.statusCode).toBe(200);
    const secret = hook.json<{ secret: string }>().secret;
    const identifier = await createInbox({ type: 'web_widget', website_url: 'https://shop.example.com' });
    const sourceId = await createVisitor(identifier);

    const triggered = await request({
      method: 'POST',
      url: `/chatwoot/public/api/v1/inboxes/${identifier}/contacts/${sourceId}/events`,
      payload: { name: 'webwidget.triggered', event_info: { referer: 'https://shop.example.com/cart' } },
    });

    expect(triggered.statusCode).toBe(200);
    const delivered = await waitFor(() => receiver.received.find((entry) => entry.path === '/widget'), {
      what: 'webwidget_triggered delivery',
    });
    const body = JSON.parse(delivered.body) as Record<string, unknown>;
    expect(body).toMatchObject({
      event: 'webwidget_triggered',
      source_id: sourceId,
      contact: { name: 'Visitor' },
      inbox: { name: 'Inbox web_widget' },
      event_info: { referer: 'https://shop.example.com/cart', event_name: 'webwidget.triggered' },
    });
    expect(
      verifyChatwootSignature(secret, {
        signature: String(delivered.headers['x-chatwoot-signature']),
        timestamp: String(delivered.headers['x-chatwoot-timestamp']),
        body: delivered.body,
      }),
    ).toBe(true);
  });

  it('refuses widget events on an API inbox and for an unknown visitor', async () => {
    const apiIdentifier = await createInbox({ type: 'api' });
    const apiVisitor = await createVisitor(apiIdentifier);
    const widgetIdentifier = await createInbox({ type: 'web_widget', website_url: 'https://example.com' });

    const onApiInbox = await request({
      method: 'POST',
      url: `/chatwoot/public/api/v1/inboxes/${apiIdentifier}/contacts/${apiVisitor}/events`,
      payload: { name: 'webwidget.triggered' },
    });
    const unknownVisitor = await request({
      method: 'POST',
      url: `/chatwoot/public/api/v1/inboxes/${widgetIdentifier}/contacts/nobody/events`,
      payload: { name: 'webwidget.triggered' },
    });
    const noName = await request({
      method: 'POST',
      url: `/chatwoot/public/api/v1/inboxes/${apiIdentifier}/contacts/${apiVisitor}/events`,
      payload: {},
    });

    expect(onApiInbox.statusCode).toBe(422);
    expect(onApiInbox.json().description).toMatch(/web widget/);
    expect(unknownVisitor.statusCode).toBe(404);
    expect(noName.statusCode).toBe(422);
    expect(noName.json().errors[0]).toMatchObject({ field: 'name' });
  });
});
