import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  bearer,
  createTestApp,
  injector,
  seedAccount,
  TEST_PLATFORM_TOKEN,
  type TestApp,
} from '../../testing/app.js';
import { backendName } from '../../testing/database.js';
import { waitFor } from '../../testing/wait.js';
import { startWebhookReceiver } from '../../testing/webhook-receiver.js';

/**
 * A token of account A must get 404 — not 403, not data — for every kind of resource that
 * exists in account B, so B's resources cannot even be probed for.
 */
describe(`tenant isolation on the native API (${backendName})`, () => {
  let app: TestApp;
  let inject: ReturnType<typeof injector>;
  let receiver: Awaited<ReturnType<typeof startWebhookReceiver>>;
  let a: { accountId: number; apiKey: string; userToken: string };
  const b: Record<string, string | number> = {};

  beforeAll(async () => {
    app = await createTestApp({ PARLEY_OUTBOUND_ALLOWLIST: ['127.0.0.1/32'] });
    inject = injector(app);
    receiver = await startWebhookReceiver();
    await app.parley.startBackground();

    const seededA = await seedAccount(app, 'Tenant A');
    await inject({
      method: 'POST',
      url: `/api/v1/accounts/${seededA.accountId}/members`,
      headers: bearer(TEST_PLATFORM_TOKEN),
      payload: { email: 'admin@a.test', name: 'A Admin', password: 'password-a-1', role: 'administrator' },
    });
    const login = await inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { email: 'admin@a.test', password: 'password-a-1' },
    });
    a = { ...seededA, userToken: login.json().token };

    const seededB = await seedAccount(app, 'Tenant B');
    const auth = bearer(seededB.apiKey);
    const base = `/api/v1/accounts/${seededB.accountId}`;
    const member = await inject({
      method: 'POST',
      url: `${base}/members`,
      headers: bearer(TEST_PLATFORM_TOKEN),
      payload: { email: 'agent@b.test', name: 'B Agent' },
    });
    const key = await inject({
      method: 'POST',
      url: `${base}/api-keys`,
      headers: auth,
      payload: { name: 'b-key' },
    });
    const webhook = await inject({
      method: 'POST',
      url: `${base}/webhooks`,
      headers: auth,
      payload: { url: receiver.url('/b') },
    });
    await inject({ method: 'PATCH', url: base, headers: auth, payload: { name: 'Tenant B renamed' } });
    const deliveries = await waitFor(
      async () => {
        const response = await inject({
          method: 'GET',
          url: `${base}/webhooks/${webhook.json().id}/deliveries`,
          headers: auth,
        });
        const data = response.json().data as { id: string; state: string }[];
        return data.some((delivery) => delivery.state === 'succeeded') ? data : undefined;
      },
      { what: "B's delivery" },
    );
    const events = await inject({ method: 'GET', url: `${base}/events`, headers: auth });
    const jobs = await inject({ method: 'GET', url: `${base}/jobs`, headers: auth });

    Object.assign(b, {
      accountId: seededB.accountId,
      userId: member.json().userId,
      keyId: key.json().id,
      webhookId: webhook.json().id,
      deliveryId: deliveries[0]!.id,
      eventId: events.json().data[0].id,
      jobId: jobs.json().data[0].id,
    });
  });
  afterAll(async () => {
    await app.close();
    await receiver.close();
  });

  const resources = (): [string, string][] => {
    const base = `/api/v1/accounts/${b.accountId}`;
    return [
      ['GET', base],
      ['PATCH', base],
      ['GET', `${base}/members`],
      ['GET', `${base}/members/${b.userId}`],
      ['PATCH', `${base}/members/${b.userId}`],
      ['DELETE', `${base}/members/${b.userId}`],
      ['GET', `${base}/api-keys`],
      ['GET', `${base}/api-keys/${b.keyId}`],
      ['DELETE', `${base}/api-keys/${b.keyId}`],
      ['GET', `${base}/events`],
      ['GET', `${base}/events/${b.eventId}`],
      ['GET', `${base}/webhooks`],
      ['GET', `${base}/webhooks/${b.webhookId}`],
      ['PATCH', `${base}/webhooks/${b.webhookId}`],
      ['DELETE', `${base}/webhooks/${b.webhookId}`],
      ['GET', `${base}/webhooks/${b.webhookId}/deliveries`],
      ['GET', `${base}/webhooks/${b.webhookId}/deliveries/${b.deliveryId}`],
      ['POST', `${base}/webhooks/${b.webhookId}/deliveries/${b.deliveryId}/redeliver`],
      ['GET', `${base}/jobs`],
      ['GET', `${base}/jobs/${b.jobId}`],
      ['POST', `${base}/jobs/${b.jobId}/retry`],
    ];
  };

  it("answers 404 to A's API key for every kind of B's resource", async () => {
    for (const [method, url] of resources()) {
      const response = await inject({
        method: method,
        url,
        headers: bearer(a.apiKey),
        ...(method === 'PATCH' && { payload: {} }),
      });

      expect({ method, url, status: response.statusCode }).toEqual({ method, url, status: 404 });
      expect(response.body).not.toContain('Tenant B');
    }
  });

  it("answers 404 to a user token of A for every kind of B's resource", async () => {
    for (const [method, url] of resources()) {
      const response = await inject({
        method: method,
        url,
        headers: bearer(a.userToken),
        ...(method === 'PATCH' && { payload: {} }),
      });

      expect({ method, url, status: response.statusCode }).toEqual({ method, url, status: 404 });
    }
  });

  it("answers 404 when A's ids are reached through B's path with A's key", async () => {
    const response = await inject({
      method: 'GET',
      url: `/api/v1/accounts/${b.accountId}/webhooks/${b.webhookId}`,
      headers: bearer(a.apiKey),
    });
    const own = await inject({
      method: 'GET',
      url: `/api/v1/accounts/${a.accountId}/webhooks/${b.webhookId}`,
      headers: bearer(a.apiKey),
    });
    const ownEvent = await inject({
      method: 'GET',
      url: `/api/v1/accounts/${a.accountId}/events/${b.eventId}`,
      headers: bearer(a.apiKey),
    });
    const ownJob = await inject({
      method: 'GET',
      url: `/api/v1/accounts/${a.accountId}/jobs/${b.jobId}`,
      headers: bearer(a.apiKey),
    });

    expect(response.statusCode).toBe(404);
    expect(own.statusCode).toBe(404);
    expect(ownEvent.statusCode).toBe(404);
    expect(ownJob.statusCode).toBe(404);
  });

  it('keeps the cross-account job list to the platform token', async () => {
    const byKey = await inject({ method: 'GET', url: '/api/v1/jobs', headers: bearer(a.apiKey) });
    const byPlatform = await inject({
      method: 'GET',
      url: '/api/v1/jobs?limit=200',
      headers: bearer(TEST_PLATFORM_TOKEN),
    });

    expect(byKey.statusCode).toBe(403);
    expect(byPlatform.json().data.map((job: { id: number }) => job.id)).toContain(b.jobId);
  });

  it("lists only A's accounts to A's user and key", async () => {
    const byUser = await inject({ method: 'GET', url: '/api/v1/accounts', headers: bearer(a.userToken) });
    const byKey = await inject({ method: 'GET', url: '/api/v1/accounts', headers: bearer(a.apiKey) });

    expect(byUser.json().data.map((account: { id: number }) => account.id)).toEqual([a.accountId]);
    expect(byKey.json().data.map((account: { id: number }) => account.id)).toEqual([a.accountId]);
  });
});
