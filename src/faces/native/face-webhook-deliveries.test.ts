import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, createTestApp, injector, seedAccount, type TestApp } from '../../testing/app.js';
import { backendName } from '../../testing/database.js';
import { waitFor } from '../../testing/wait.js';
import { startWebhookReceiver } from '../../testing/webhook-receiver.js';
import { chatwootCaller, seedUser } from '../chatwoot/admin-test-kit.js';
import { sql } from 'drizzle-orm';
import { webhookDeliveries } from '../../core/webhooks/webhooks.tables.js';

interface Subscription {
  id: number;
  url: string;
  format: string;
  source: { kind: string; id: number; face: string } | null;
  readOnly: boolean;
  enabled: boolean;
}

interface DeliveryItem {
  id: string;
  eventType: string;
  state: string;
  attempts: number;
  lastStatusCode: number | null;
  nextAttemptAt: string | null;
  createdAt: string;
  lastAttempt: {
    attempt: number;
    statusCode: number | null;
    latencyMs: number;
    responseSnippet: string | null;
  } | null;
}

/**
 * Chatwoot account webhooks, API-inbox callbacks and agent-bot URLs fail where nobody on the
 * Chatwoot face can see it; the native API lists them with every other subscription and shows
 * their delivery log.
 */
describe(`face-owned webhook subscriptions in the native API (${backendName})`, () => {
  let app: TestApp;
  let inject: ReturnType<typeof injector>;
  let call: ReturnType<typeof chatwootCaller>;
  let a: { accountId: number; apiKey: string };
  let b: { accountId: number; apiKey: string };
  let agent: { userId: number; token: string };
  let failing: Awaited<ReturnType<typeof startWebhookReceiver>>;
  let ids: { webhook: number; inbox: number; bot: number };

  beforeAll(async () => {
    // The receiver answers 500 at once; a generous timeout keeps a busy machine's slow answer
    // from turning into a timeout (no status code).
    app = await createTestApp(
      { PARLEY_OUTBOUND_ALLOWLIST: ['127.0.0.1/32'], PARLEY_WEBHOOK_TIMEOUT_MS: 10_000 },
      {
        webhookPolicy: {
          backoff: () => 20,
          maxAttempts: 2,
          disableAfterMs: 60_000,
          disableAfterFailures: 1000,
        },
      },
    );
    inject = injector(app);
    call = chatwootCaller(app);
    a = await seedAccount(app, 'Acme');
    b = await seedAccount(app, 'Globex');
    agent = await seedUser(app, { accountId: a.accountId, role: 'agent', email: 'agent@acme.test' });
    failing = await startWebhookReceiver(() => ({ status: 500, body: 'receiver is down' }));
    await app.parley.startBackground();
    ids = await wireChatwootTargets();
    await sendFirstMessage(ids.inbox);
  });
  afterAll(async () => {
    await app.close();
    await failing.close();
  });

  const chatwootAccount = () => `/api/v1/accounts/${a.accountId}`;
  const nativeWebhooks = (accountId: number) => `/api/v1/accounts/${accountId}/webhooks`;

  async function wireChatwootTargets() {
    const webhook = await call('POST', `${chatwootAccount()}/webhooks`, a.apiKey, {
      url: failing.url('/account'),
    });
    const inbox = await call('POST', `${chatwootAccount()}/inboxes`, a.apiKey, {
      name: 'API',
      channel: { type: 'api', webhook_url: failing.url('/callback') },
    });
    const bot = await call('POST', `${chatwootAccount()}/agent_bots`, a.apiKey, {
      name: 'Bot',
      outgoing_url: failing.url('/bot'),
    });
    const bound = await call(
      'POST',
      `${chatwootAccount()}/inboxes/${inbox.json().id}/set_agent_bot`,
      a.apiKey,
      {
        agent_bot: bot.json().id,
      },
    );
    for (const response of [webhook, inbox, bot]) expect(response.statusCode, response.body).toBe(200);
    expect(bound.statusCode).toBe(204);
    return {
      webhook: webhook.json().id as number,
      inbox: inbox.json().id as number,
      bot: bot.json().id as number,
    };
  }

  async function sendFirstMessage(inboxId: number) {
    const contact = await call('POST', `${chatwootAccount()}/contacts`, a.apiKey, {
      name: 'Carla',
      inbox_id: inboxId,
    });
    const sourceId = /"source_id":"([^"]+)"/.exec(contact.body)?.[1];
    const conversation = await call('POST', `${chatwootAccount()}/conversations`, a.apiKey, {
      source_id: sourceId,
      inbox_id: inboxId,
      message: { content: 'Hello there' },
    });
    expect(conversation.statusCode, conversation.body).toBe(200);
  }

  async function listAll(token = a.apiKey, query = '') {
    const response = await inject({
      method: 'GET',
      url: `${nativeWebhooks(a.accountId)}${query}`,
      headers: bearer(token),
    });
    expect(response.statusCode, response.body).toBe(200);
    return response.json<{ data: Subscription[]; nextCursor: number | null }>();
  }

  async function subscriptionOf(format: string): Promise<Subscription> {
    const found = (await listAll()).data.find((subscription) => subscription.format === format);
    expect(found, format).toBeDefined();
    return found!;
  }

  function getDeliveries(subscriptionId: number, token = a.apiKey, accountId = a.accountId, query = '') {
    return inject({
      method: 'GET',
      url: `${nativeWebhooks(accountId)}/${subscriptionId}/deliveries${query}`,
      headers: bearer(token),
    });
  }

  /** Waits until a delivery of the subscription has failed both attempts with the receiver's 500. */
  function failedDeliveryOf(subscriptionId: number): Promise<DeliveryItem> {
    return waitFor(
      async () => {
        const response = await getDeliveries(subscriptionId, a.apiKey, a.accountId, '?state=failed');
        return response.json<{ data: DeliveryItem[] }>().data[0];
      },
      { what: `a failed delivery of subscription ${subscriptionId}`, timeoutMs: 30_000 },
    );
  }

  it("lists every format's subscriptions with where each came from", async () => {
    const native = await inject({
      method: 'POST',
      url: nativeWebhooks(a.accountId),
      headers: bearer(a.apiKey),
      payload: { url: failing.url('/native'), events: ['account.updated'] },
    });

    const all = await listAll();
    const onlyInbox = await listAll(a.apiKey, '?format=chatwoot_api_inbox');

    expect(native.statusCode).toBe(201);
    const byFormat = Object.fromEntries(all.data.map((subscription) => [subscription.format, subscription]));
    expect(byFormat).toMatchObject({
      native: { url: failing.url('/native'), source: null, readOnly: false },
      chatwoot: {
        id: ids.webhook,
        url: failing.url('/account'),
        source: { kind: 'chatwoot_webhook', id: ids.webhook, face: 'chatwoot' },
        readOnly: true,
      },
      chatwoot_api_inbox: {
        url: failing.url('/callback'),
        source: { kind: 'chatwoot_inbox', id: ids.inbox, face: 'chatwoot' },
        readOnly: true,
      },
      chatwoot_agent_bot: {
        url: failing.url('/bot'),
        source: { kind: 'chatwoot_agent_bot', id: ids.bot, face: 'chatwoot' },
        readOnly: true,
      },
    });
    expect(onlyInbox.data.map((subscription) => subscription.format)).toEqual(['chatwoot_api_inbox']);
  });

  it('shows the failed attempts of Chatwoot webhooks, inbox callbacks and bot URLs with their status and response', async () => {
    for (const format of ['chatwoot', 'chatwoot_api_inbox', 'chatwoot_agent_bot']) {
      const subscription = await subscriptionOf(format);

      const delivery = await failedDeliveryOf(subscription.id);
      const detail = await inject({
        method: 'GET',
        url: `${nativeWebhooks(a.accountId)}/${subscription.id}/deliveries/${delivery.id}`,
        headers: bearer(a.apiKey),
      });

      expect(delivery, format).toMatchObject({
        state: 'failed',
        attempts: 2,
        lastStatusCode: 500,
        nextAttemptAt: null,
      });
      expect(delivery.lastAttempt, format).toMatchObject({
        attempt: 2,
        statusCode: 500,
        responseSnippet: 'receiver is down',
      });
      expect(delivery.lastAttempt!.latencyMs).toBeGreaterThanOrEqual(0);
      expect(detail.statusCode, detail.body).toBe(200);
      expect(detail.json().attemptLog.map((attempt: { statusCode: number }) => attempt.statusCode)).toEqual([
        500, 500,
      ]);
      expect(JSON.parse(detail.json().body).event).toBe(delivery.eventType);
    }
    expect(failing.received.map((request) => request.path)).toEqual(
      expect.arrayContaining(['/account', '/callback', '/bot']),
    );
  });

  it('pages through a delivery log with an opaque cursor', async () => {
    const subscription = await subscriptionOf('chatwoot');
    await failedDeliveryOf(subscription.id);
    const everything = (await getDeliveries(subscription.id, a.apiKey, a.accountId, '?limit=200')).json<{
      data: DeliveryItem[];
    }>().data;

    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const query: string = `?limit=1${cursor ? `&cursor=${cursor}` : ''}`;
      const page = (await getDeliveries(subscription.id, a.apiKey, a.accountId, query)).json<{
        data: DeliveryItem[];
        nextCursor: string | null;
      }>();
      seen.push(...page.data.map((delivery) => delivery.id));
      cursor = page.nextCursor;
    } while (cursor !== null && seen.length <= everything.length);

    expect(everything.length).toBeGreaterThan(1);
    expect(seen).toEqual(everything.map((delivery) => delivery.id));
  });

  it('pages without skipping deliveries created within the same millisecond', async () => {
    const native = await subscriptionOf('native');
    const stamps = [
      '2026-01-01 00:00:00.123900+00',
      '2026-01-01 00:00:00.123500+00',
      '2026-01-01 00:00:00.1+00',
    ];
    await app.testDb.database.db.insert(webhookDeliveries).values(
      stamps.map((stamp) => ({
        accountId: a.accountId,
        subscriptionId: native.id,
        eventType: 'account.updated',
        body: '{}',
        state: 'failed' as const,
        createdAt: sql`${stamp}::timestamptz`,
      })),
    );

    const seen: string[] = [];
    let cursor: string | null = null;
    for (let page = 0; page < 5; page++) {
      const query: string = `?limit=1${cursor ? `&cursor=${cursor}` : ''}`;
      const body = (await getDeliveries(native.id, a.apiKey, a.accountId, query)).json<{
        data: DeliveryItem[];
        nextCursor: string | null;
      }>();
      seen.push(...body.data.map((delivery) => delivery.createdAt));
      cursor = body.nextCursor;
      if (cursor === null) break;
    }

    expect(seen).toEqual([
      '2026-01-01T00:00:00.123Z',
      '2026-01-01T00:00:00.123Z',
      '2026-01-01T00:00:00.100Z',
    ]);
  });

  it("keeps another account's subscriptions and deliveries hidden (404)", async () => {
    const subscription = await subscriptionOf('chatwoot_api_inbox');

    const throughOwnAccount = await getDeliveries(subscription.id, b.apiKey, b.accountId);
    const throughVictimAccount = await getDeliveries(subscription.id, b.apiKey, a.accountId);
    const single = await inject({
      method: 'GET',
      url: `${nativeWebhooks(b.accountId)}/${subscription.id}`,
      headers: bearer(b.apiKey),
    });

    expect(throughOwnAccount.statusCode).toBe(404);
    expect(throughVictimAccount.statusCode).toBe(404);
    expect(single.statusCode).toBe(404);
    expect(JSON.stringify((await listAllOf(b)).data)).not.toContain(failing.url(''));
  });

  async function listAllOf(account: { accountId: number; apiKey: string }) {
    const response = await inject({
      method: 'GET',
      url: nativeWebhooks(account.accountId),
      headers: bearer(account.apiKey),
    });
    return response.json<{ data: Subscription[] }>();
  }

  it('refuses the delivery log and the list to an agent who is not an administrator (403)', async () => {
    const subscription = await subscriptionOf('chatwoot_agent_bot');

    const deliveries = await getDeliveries(subscription.id, agent.token);
    const list = await inject({
      method: 'GET',
      url: nativeWebhooks(a.accountId),
      headers: bearer(agent.token),
    });

    expect(deliveries.statusCode).toBe(403);
    expect(list.statusCode).toBe(403);
  });

  it('refuses to change or delete a face-owned subscription, naming the face resource that owns it (409)', async () => {
    const callback = await subscriptionOf('chatwoot_api_inbox');
    const url = `${nativeWebhooks(a.accountId)}/${callback.id}`;

    const changed = await inject({
      method: 'PATCH',
      url,
      headers: bearer(a.apiKey),
      payload: { url: failing.url('/x') },
    });
    const deleted = await inject({ method: 'DELETE', url, headers: bearer(a.apiKey) });
    const after = await inject({ method: 'GET', url, headers: bearer(a.apiKey) });

    expect(changed.statusCode).toBe(409);
    expect(changed.json().error.message).toContain(
      `/chatwoot/api/v1/accounts/${a.accountId}/inboxes/${ids.inbox}`,
    );
    expect(deleted.statusCode).toBe(409);
    expect(after.json()).toMatchObject({ url: failing.url('/callback'), format: 'chatwoot_api_inbox' });
  });

  it('lets an administrator switch a face-owned subscription off and on, since no face has that switch', async () => {
    const webhook = await subscriptionOf('chatwoot');
    const url = `${nativeWebhooks(a.accountId)}/${webhook.id}`;

    const off = await inject({
      method: 'PATCH',
      url,
      headers: bearer(a.apiKey),
      payload: { enabled: false },
    });
    const on = await inject({ method: 'PATCH', url, headers: bearer(a.apiKey), payload: { enabled: true } });

    expect(off.statusCode, off.body).toBe(200);
    expect(off.json().enabled).toBe(false);
    expect(on.json()).toMatchObject({ enabled: true, url: failing.url('/account'), readOnly: true });
  });
});
