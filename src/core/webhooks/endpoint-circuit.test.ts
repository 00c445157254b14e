import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { bearer, createTestApp, injector, seedAccount, type TestApp } from '../../testing/app.js';
import { backendName } from '../../testing/database.js';
import { delay } from '../../testing/job-test-kit.js';
import { waitFor } from '../../testing/wait.js';
import { startWebhookReceiver } from '../../testing/webhook-receiver.js';

type Delivery = { id: string; state: string; attempts: number };

describe(`an endpoint that keeps timing out opens its circuit (${backendName})`, () => {
  let app: TestApp;
  let inject: ReturnType<typeof injector>;
  let account: { accountId: number; apiKey: string };
  let receiver: Awaited<ReturnType<typeof startWebhookReceiver>>;
  let answering = false;

  beforeAll(async () => {
    app = await createTestApp(
      { PARLEY_OUTBOUND_ALLOWLIST: ['127.0.0.1/32'], PARLEY_WEBHOOK_TIMEOUT_MS: 1000 },
      {
        webhookPolicy: {
          backoff: () => 50,
          maxAttempts: 10,
          circuitFailureThreshold: 3,
          circuitCooldownMs: 60_000,
        },
      },
    );
    inject = injector(app);
    account = await seedAccount(app, 'Flaky');
    receiver = await startWebhookReceiver(() => (answering ? { status: 200 } : 'hang'));
    await app.parley.startBackground();
  });
  afterAll(async () => {
    await app.close();
    await receiver.close();
  });

  async function deliveries(webhookId: number): Promise<Delivery[]> {
    const response = await inject({
      method: 'GET',
      url: `/api/v1/accounts/${account.accountId}/webhooks/${webhookId}/deliveries`,
      headers: bearer(account.apiKey),
    });
    expect(response.statusCode).toBe(200);
    return response.json<{ data: Delivery[] }>().data;
  }

  async function circuitOf(webhookId: number): Promise<{ state: string; openUntil: string | null }> {
    const response = await inject({
      method: 'GET',
      url: `/api/v1/accounts/${account.accountId}/webhooks/${webhookId}`,
      headers: bearer(account.apiKey),
    });
    expect(response.statusCode).toBe(200);
    return response.json<{ circuit: { state: string; openUntil: string | null } }>().circuit;
  }

  it('stops attempting its deliveries while open, burns no attempts, and delivers them all after a probe succeeds', async () => {
    const created = await inject({
      method: 'POST',
      url: `/api/v1/accounts/${account.accountId}/webhooks`,
      headers: bearer(account.apiKey),
      payload: { url: receiver.url('/flaky'), events: ['account.updated'] },
    });
    const webhookId = created.json<{ id: number }>().id;
    for (let n = 0; n < 10; n += 1) {
      await inject({
        method: 'PATCH',
        url: `/api/v1/accounts/${account.accountId}`,
        headers: bearer(account.apiKey),
        payload: { name: `Flaky ${n}` },
      });
    }

    // Three 1 s timeouts take about 3 s; a busy CI machine may poll the jobs late.
    await waitFor(() => receiver.received.length >= 3, {
      what: 'three timed-out attempts',
      timeoutMs: 30_000,
    });
    await delay(2500); // a closed circuit would have tried about four more times meanwhile
    const whileOpen = receiver.received.length;
    await delay(1000);

    expect(receiver.received.length).toBe(whileOpen);
    // Three failures open it; a fourth may have been in flight (two per endpoint) when it did.
    expect(whileOpen).toBeLessThanOrEqual(4);
    const parked = await deliveries(webhookId);
    expect(parked).toHaveLength(10);
    expect(parked.every((delivery) => delivery.state === 'pending')).toBe(true);
    expect(parked.reduce((sum, delivery) => sum + delivery.attempts, 0)).toBe(whileOpen);
    const open = await circuitOf(webhookId);
    expect(open.state).toBe('open');
    expect(Date.parse(open.openUntil!)).toBeGreaterThan(Date.now() + 30_000);

    // Time passes (the cooldown ends) and the endpoint is back: one probe, then everything flows.
    answering = true;
    await app.parley.ctx.db.execute(
      sql`UPDATE webhook_subscriptions SET circuit_open_until = now() WHERE id = ${webhookId}`,
    );
    await app.parley.ctx.db.execute(
      sql`UPDATE jobs SET run_at = now() WHERE concurrency_key = ${`webhook:${account.accountId}:${webhookId}`}`,
    );
    const settled = await waitFor(
      async () => {
        const list = await deliveries(webhookId);
        return list.every((delivery) => delivery.state === 'succeeded') ? list : undefined;
      },
      // Ten deliveries through the job worker: a loaded CI machine (the suite beside a benchmark) took over 10 s.
      { timeoutMs: 30_000, what: 'every delivery after recovery' },
    );
    expect(settled).toHaveLength(10);
    expect(await circuitOf(webhookId)).toEqual({ state: 'closed', openUntil: null });
  });
});
