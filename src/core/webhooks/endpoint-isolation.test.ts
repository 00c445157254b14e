import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, createTestApp, injector, seedAccount, type TestApp } from '../../testing/app.js';
import { backendName } from '../../testing/database.js';
import { startServer, type TestServer } from '../../testing/http-servers.js';
import { waitFor } from '../../testing/wait.js';
import { startWebhookReceiver } from '../../testing/webhook-receiver.js';
import { desc, eq } from 'drizzle-orm';
import { calls } from '../calls/calls.tables.js';

type Receiver = Awaited<ReturnType<typeof startWebhookReceiver>>;

/** Receivers that never answer: each delivery holds its slot until the webhook timeout. */
const HANG_TIMEOUT_MS = 4000;

/** A receiver that never answers and counts the requests it holds open at once. */
async function startHangingReceiver() {
  const counts = { received: 0, open: 0, peak: 0 };
  const server = await startServer((request, response) => {
    counts.received += 1;
    counts.open += 1;
    counts.peak = Math.max(counts.peak, counts.open);
    response.once('close', () => (counts.open -= 1));
    request.resume();
  });
  return { counts, url: (path: string) => server.url(path), close: () => server.close() };
}

async function subscribe(app: TestApp, account: { accountId: number; apiKey: string }, url: string) {
  const response = await injector(app)({
    method: 'POST',
    url: `/api/v1/accounts/${account.accountId}/webhooks`,
    headers: bearer(account.apiKey),
    payload: { url, events: ['account.updated'] },
  });
  expect(response.statusCode).toBe(201);
}

async function rename(app: TestApp, account: { accountId: number; apiKey: string }, name: string) {
  const response = await injector(app)({
    method: 'PATCH',
    url: `/api/v1/accounts/${account.accountId}`,
    headers: bearer(account.apiKey),
    payload: { name },
  });
  expect(response.statusCode).toBe(200);
}

describe(`one account's hanging endpoint does not stall another account (${backendName})`, () => {
  let app: TestApp;
  let hanging: Awaited<ReturnType<typeof startHangingReceiver>>;
  let healthy: Receiver;

  beforeAll(async () => {
    app = await createTestApp(
      { PARLEY_OUTBOUND_ALLOWLIST: ['127.0.0.1/32'], PARLEY_WEBHOOK_TIMEOUT_MS: HANG_TIMEOUT_MS },
      { webhookPolicy: { backoff: () => 60_000, maxAttempts: 2 } },
    );
    hanging = await startHangingReceiver();
    healthy = await startWebhookReceiver();
    await app.parley.startBackground();
  });
  afterAll(async () => {
    await app.close();
    await hanging.close();
    await healthy.close();
  });

  it("delivers account B's webhook within 2 s while 20 of account A's hang", async () => {
    const noisy = await seedAccount(app, 'Noisy');
    const quiet = await seedAccount(app, 'Quiet');
    await subscribe(app, noisy, hanging.url('/noisy'));
    await subscribe(app, quiet, healthy.url('/quiet'));
    for (let n = 0; n < 20; n += 1) await rename(app, noisy, `Noisy ${n}`);
    await waitFor(() => hanging.counts.open >= 2, { what: "A's deliveries in flight" });

    const emitted = Date.now();
    await rename(app, quiet, 'Quiet renamed');
    await waitFor(() => healthy.received.some((request) => request.path === '/quiet'), {
      timeoutMs: 10_000,
      what: "B's webhook",
    });

    expect(Date.now() - emitted).toBeLessThan(2000);
    // A's endpoint never holds more than its own two slots; its other deliveries wait unclaimed.
    expect(hanging.counts.peak).toBe(2);
  });
});

describe(`call processing does not wait for a full webhook pool (${backendName})`, () => {
  let app: TestApp;
  let hanging: Receiver;
  let recordings: TestServer;

  beforeAll(async () => {
    app = await createTestApp(
      {
        PARLEY_OUTBOUND_ALLOWLIST: ['127.0.0.1/32'],
        PARLEY_WEBHOOK_TIMEOUT_MS: HANG_TIMEOUT_MS,
        PARLEY_WEBHOOK_CONCURRENCY: 2,
        PARLEY_TRANSCRIPTION_ENGINE: 'none',
      },
      { webhookPolicy: { backoff: () => 60_000, maxAttempts: 2 } },
    );
    hanging = await startWebhookReceiver(() => 'hang');
    // A recording URL that answers 404: processing fails at once, which is enough to see it ran.
    recordings = await startServer((_request, response) => response.writeHead(404).end());
    await app.parley.startBackground();
  });
  afterAll(async () => {
    await app.close();
    await hanging.close();
    await recordings.close();
  });

  it('processes a call at once while hanging webhooks fill every webhook slot', async () => {
    const account = await seedAccount(app, 'Busy');
    const inject = injector(app);
    const modjo = { 'x-api-key': account.apiKey };
    const agent = await inject({
      method: 'POST',
      url: '/modjo/v1/users/bulk',
      headers: modjo,
      payload: { users: [{ email: 'agent@example.com', firstName: 'Ada', lastName: 'Lovelace' }] },
    });
    expect(agent.statusCode).toBe(201);
    await subscribe(app, account, hanging.url('/busy'));
    for (let n = 0; n < 8; n += 1) await rename(app, account, `Busy ${n}`);
    await waitFor(() => hanging.received.length >= 2, { what: 'the webhook pool full' });

    const started = Date.now();
    const response = await inject({
      method: 'POST',
      url: '/modjo/v1/calls',
      headers: modjo,
      payload: {
        contacts: ['customer@example.com'],
        users: ['agent@example.com'],
        date: '2026-05-04T10:00:00.000Z',
        fileExtension: 'wav',
        tags: null,
        name: 'Discovery call',
        recordingUrl: recordings.url('/missing.wav'),
      },
    });
    expect(response.statusCode).toBe(200);
    const call = await waitFor(
      async () => {
        const [row] = await app.parley.ctx.db
          .select()
          .from(calls)
          .where(eq(calls.accountId, account.accountId))
          .orderBy(desc(calls.id))
          .limit(1);
        return row?.state === 'failed' || row?.state === 'summarized' ? row : undefined;
      },
      { timeoutMs: 15_000, what: 'the call to be processed' },
    );

    expect(call.state).toBe('failed');
    expect(call.failureReason).toMatch(/HTTP 404/);
    expect(Date.now() - started).toBeLessThan(2000);
  });
});
