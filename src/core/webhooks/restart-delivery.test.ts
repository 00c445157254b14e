import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { bearer, createTestApp, injector, seedAccount, type TestApp } from '../../testing/app.js';
import { backendName } from '../../testing/database.js';
import { waitFor } from '../../testing/wait.js';
import { startWebhookReceiver } from '../../testing/webhook-receiver.js';
import { claimJobs } from '../../platform/jobs/claim-jobs.js';

describe(`a node restarted after kill -9 delivers its in-flight webhooks in seconds (${backendName})`, () => {
  let app: TestApp;
  let receiver: Awaited<ReturnType<typeof startWebhookReceiver>>;

  beforeAll(async () => {
    app = await createTestApp({ PARLEY_OUTBOUND_ALLOWLIST: ['127.0.0.1/32'], PARLEY_NODE_ID: 'node-a' });
    receiver = await startWebhookReceiver();
  });
  afterAll(async () => {
    await app.close();
    await receiver.close();
  });

  it('takes over the dead process’s delivery at start instead of waiting for its 60 s lease', async () => {
    const inject = injector(app);
    const account = await seedAccount(app, 'Restarted');
    const created = await inject({
      method: 'POST',
      url: `/api/v1/accounts/${account.accountId}/webhooks`,
      headers: bearer(account.apiKey),
      payload: { url: receiver.url('/restart'), events: ['account.updated'] },
    });
    expect(created.statusCode).toBe(201);
    await inject({
      method: 'PATCH',
      url: `/api/v1/accounts/${account.accountId}`,
      headers: bearer(account.apiKey),
      payload: { name: 'Before the crash' },
    });
    await app.parley.relay.drain();
    // The previous process of this node claimed the delivery, then was killed mid-request.
    const deadPid = spawnSync(process.execPath, ['-e', '']).pid;
    const [inFlight] = await claimJobs(app.parley.ctx.db, {
      queues: ['webhooks'],
      names: ['webhook.deliver'],
      limit: 1,
      workerId: `node-a:${deadPid}:dead0001`,
      leaseMs: 60_000,
    });
    expect(inFlight?.name).toBe('webhook.deliver');

    const restarted = Date.now();
    await app.parley.startBackground();
    await waitFor(() => receiver.received.some((request) => request.path === '/restart'), {
      timeoutMs: 10_000,
      what: 'the delivery after the restart',
    });

    expect(Date.now() - restarted).toBeLessThan(3000);
    const webhookId = created.json<{ id: number }>().id;
    const delivery = await waitFor(async () => {
      const list = await inject({
        method: 'GET',
        url: `/api/v1/accounts/${account.accountId}/webhooks/${webhookId}/deliveries`,
        headers: bearer(account.apiKey),
      });
      const [first] = list.json<{ data: { state: string; attempts: number }[] }>().data;
      return first?.state === 'succeeded' ? first : undefined;
    });
    // The attempt lost with the dead process counts, as it would after its lease ran out.
    expect(delivery.attempts).toBe(2);
  });
});
