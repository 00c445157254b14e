import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, seedAccount, type TestApp } from '../../testing/app.js';
import { backendName } from '../../testing/database.js';
import { waitFor } from '../../testing/wait.js';
import { startWebhookReceiver } from '../../testing/webhook-receiver.js';
import { chatwootCaller } from './admin-test-kit.js';

/** End to end: what the inbox settings wire up (callback URL, bound bot) really receives deliveries. */
describe(`Chatwoot inbox callbacks and bot deliveries (${backendName})`, () => {
  let app: TestApp;
  let call: ReturnType<typeof chatwootCaller>;
  let a: { accountId: number; apiKey: string };
  let receiver: Awaited<ReturnType<typeof startWebhookReceiver>>;

  beforeAll(async () => {
    app = await createTestApp({ PARLEY_OUTBOUND_ALLOWLIST: ['127.0.0.1'] });
    call = chatwootCaller(app);
    a = await seedAccount(app, 'Acme');
    receiver = await startWebhookReceiver();
    await app.parley.startBackground();
  });
  afterAll(async () => {
    await receiver.close();
    await app.close();
  });

  it("delivers an API inbox's conversation to its callback URL and a bound bot's URL", async () => {
    const inbox = await call('POST', `/api/v1/accounts/${a.accountId}/inboxes`, a.apiKey, {
      name: 'API',
      channel: { type: 'api', webhook_url: receiver.url('/callback') },
    });
    const inboxId = inbox.json<{ id: number }>().id;
    const bot = await call('POST', `/api/v1/accounts/${a.accountId}/agent_bots`, a.apiKey, {
      name: 'Bot',
      outgoing_url: receiver.url('/bot'),
    });
    await call('POST', `/api/v1/accounts/${a.accountId}/inboxes/${inboxId}/set_agent_bot`, a.apiKey, {
      agent_bot: bot.json<{ id: number }>().id,
    });
    const contact = await call('POST', `/api/v1/accounts/${a.accountId}/contacts`, a.apiKey, {
      name: 'Carla',
      inbox_id: inboxId,
    });
    const sourceId = JSON.stringify(contact.json()).match(/"source_id":"([^"]+)"/)?.[1];

    const conversation = await call('POST', `/api/v1/accounts/${a.accountId}/conversations`, a.apiKey, {
      source_id: sourceId,
      inbox_id: inboxId,
      message: { content: 'Hello there' },
    });
    const callback = await waitFor(
      () =>
        receiver.received.find(
          (request) => request.path === '/callback' && request.body.includes('conversation_created'),
        ),
      { what: 'a conversation_created delivery at the callback URL' },
    );

    const botDelivery = await waitFor(
      () =>
        receiver.received.find(
          (request) => request.path === '/bot' && request.body.includes('message_created'),
        ),
      { what: 'a message_created delivery at the bot URL' },
    );

    expect(contact.statusCode).toBe(200);
    expect(JSON.parse(botDelivery.body)).toMatchObject({ event: 'message_created', content: 'Hello there' });
    expect(conversation.statusCode).toBe(200);
    expect(JSON.parse(callback.body)).toMatchObject({ event: 'conversation_created' });
    expect(receiver.received.every((request) => ['/callback', '/bot'].includes(request.path))).toBe(true);
  });
});
