import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, createTestApp, injector, seedAccount, type TestApp } from '../../testing/app.js';
import { backendName } from '../../testing/database.js';
import { waitFor } from '../../testing/wait.js';
import { startWebhookReceiver } from '../../testing/webhook-receiver.js';

type Delivery = {
  id: string;
  state: string;
  attempts: number;
  nextAttemptAt: string | null;
  createdAt: string;
};

/** The schedule under test: two waits of 2 s between three attempts (an attempt cycle alone is far shorter). */
const WAIT_MS = 2000;
const MAX_ATTEMPTS = 3;

describe(`Retry-After is honoured only within the retry schedule (${backendName})`, () => {
  let app: TestApp;
  let inject: ReturnType<typeof injector>;
  let account: { accountId: number; apiKey: string };

  beforeAll(async () => {
    app = await createTestApp(
      { PARLEY_OUTBOUND_ALLOWLIST: ['127.0.0.1/32'], PARLEY_WEBHOOK_TIMEOUT_MS: 2000 },
      { webhookPolicy: { backoff: () => WAIT_MS, maxAttempts: MAX_ATTEMPTS } },
    );
    inject = injector(app);
    account = await seedAccount(app, 'Impatient');
    await app.parley.startBackground();
  });
  afterAll(async () => {
    await app.close();
  });

  async function subscribeAndEmit(url: string, name: string): Promise<number> {
    const created = await inject({
      method: 'POST',
      url: `/api/v1/accounts/${account.accountId}/webhooks`,
      headers: bearer(account.apiKey),
      payload: { url, events: ['account.updated'] },
    });
    expect(created.statusCode).toBe(201);
    const renamed = await inject({
      method: 'PATCH',
      url: `/api/v1/accounts/${account.accountId}`,
      headers: bearer(account.apiKey),
      payload: { name },
    });
    expect(renamed.statusCode).toBe(200);
    return created.json<{ id: number }>().id;
  }

  async function onlyDelivery(webhookId: number): Promise<Delivery | undefined> {
    const response = await inject({
      method: 'GET',
      url: `/api/v1/accounts/${account.accountId}/webhooks/${webhookId}/deliveries`,
      headers: bearer(account.apiKey),
    });
    return response.json<{ data: Delivery[] }>().data[0];
  }

  it('does not let `Retry-After: 0` burn the attempts faster than the schedule', async () => {
    const arrivals: number[] = [];
    const receiver = await startWebhookReceiver(() => {
      arrivals.push(Date.now());
      return { status: 503, headers: { 'retry-after': '0' }, body: 'busy' };
    });
    try {
      const webhookId = await subscribeAndEmit(receiver.url('/zero'), 'Retry zero');

      const failed = await waitFor(
        async () => {
          const delivery = await onlyDelivery(webhookId);
          return delivery?.state === 'failed' ? delivery : undefined;
        },
        { timeoutMs: 15_000, what: 'the delivery to give up' },
      );

      expect(failed.attempts).toBe(MAX_ATTEMPTS);
      expect(arrivals).toHaveLength(MAX_ATTEMPTS);
      const gaps = arrivals.slice(1).map((arrival, index) => arrival - arrivals[index]!);
      // Each wait is the schedule's own (2 s), not the receiver's zero; a little slack for timers.
      for (const gap of gaps) expect(gap).toBeGreaterThanOrEqual(WAIT_MS - 50);
    } finally {
      await receiver.close();
    }
  });

  it('caps a Retry-After of 10 days at the end of the schedule', async () => {
    let answered = 0;
    const receiver = await startWebhookReceiver(() => {
      answered += 1;
      return answered === 1
        ? { status: 503, headers: { 'retry-after': String(10 * 24 * 3600) }, body: 'come back in ten days' }
        : { status: 200, body: 'ok' };
    });
    try {
      const webhookId = await subscribeAndEmit(receiver.url('/ten-days'), 'Retry later');

      const succeeded = await waitFor(
        async () => {
          const delivery = await onlyDelivery(webhookId);
          return delivery?.state === 'succeeded' ? delivery : undefined;
        },
        { timeoutMs: 10_000, what: 'the second attempt, within the schedule' },
      );

      expect(succeeded.attempts).toBe(2);
      expect(answered).toBe(2);
    } finally {
      await receiver.close();
    }
  });
});
