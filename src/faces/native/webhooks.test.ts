import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, createTestApp, injector, seedAccount, type TestApp } from '../../testing/app.js';
import { backendName } from '../../testing/database.js';
import { waitFor } from '../../testing/wait.js';
import { startWebhookReceiver } from '../../testing/webhook-receiver.js';
import { verifyStandard } from '../../core/webhooks/signing.js';
import { createSubscription } from '../../core/webhooks/subscriptions.js';

describe(`native webhooks through the shared engine (${backendName})`, () => {
  let app: TestApp;
  let account: { accountId: number; apiKey: string };
  let inject: ReturnType<typeof injector>;
  let receiver: Awaited<ReturnType<typeof startWebhookReceiver>>;

  beforeAll(async () => {
    app = await createTestApp(
      // Short enough for the hanging endpoint's test, long enough that a first delivery on a busy
      // machine (a cold connection) is not counted as a timeout.
      { PARLEY_OUTBOUND_ALLOWLIST: ['127.0.0.1/32'], PARLEY_WEBHOOK_TIMEOUT_MS: 1500 },
      { webhookPolicy: { backoff: () => 20, maxAttempts: 3, disableAfterMs: 0, disableAfterFailures: 5 } },
    );
    inject = injector(app);
    account = await seedAccount(app, 'Hooks Inc');
    receiver = await startWebhookReceiver();
    await app.parley.startBackground();
  });
  afterAll(async () => {
    await app.close();
    await receiver.close();
  });

  async function subscribe(url: string, events: string[] = ['account.updated']) {
    const response = await inject({
      method: 'POST',
      url: `/api/v1/accounts/${account.accountId}/webhooks`,
      headers: bearer(account.apiKey),
      payload: { url, events },
    });
    expect(response.statusCode).toBe(201);
    return response.json<{ id: number; secret: string }>();
  }

  async function renameAccount(name: string) {
    const response = await inject({
      method: 'PATCH',
      url: `/api/v1/accounts/${account.accountId}`,
      headers: bearer(account.apiKey),
      payload: { name },
    });
    expect(response.statusCode).toBe(200);
  }

  function waitUntilDisabled(webhookId: number) {
    return waitFor(
      async () => {
        const response = await inject({
          method: 'GET',
          url: `/api/v1/accounts/${account.accountId}/webhooks/${webhookId}`,
          headers: bearer(account.apiKey),
        });
        return response.json().enabled === false ? response.json() : undefined;
      },
      { what: `webhook ${webhookId} disabled` },
    );
  }

  async function deliveries(webhookId: number) {
    const response = await inject({
      method: 'GET',
      url: `/api/v1/accounts/${account.accountId}/webhooks/${webhookId}/deliveries`,
      headers: bearer(account.apiKey),
    });
    return response.json().data as {
      id: string;
      state: string;
      attempts: number;
      lastError: string | null;
    }[];
  }

  it('delivers a signed Standard Webhooks request that verifies over the exact bytes', async () => {
    const webhook = await subscribe(receiver.url('/signed'));

    await renameAccount('Hooks Renamed');
    const request = await waitFor(() => receiver.received.find((entry) => entry.path === '/signed'), {
      what: 'delivery',
    });

    const body = JSON.parse(request.body);
    expect(body).toMatchObject({
      type: 'account.updated',
      data: { accountId: account.accountId, payload: { name: 'Hooks Renamed' } },
    });
    // Who acted, but not the client's address or request: those stay in the audit log.
    expect(body.data.actor).toMatchObject({ type: 'api_key' });
    expect(Object.keys(body.data.actor).sort()).toEqual(['id', 'type']);
    const verified = verifyStandard(webhook.secret, {
      id: String(request.headers['webhook-id']),
      timestamp: String(request.headers['webhook-timestamp']),
      signature: String(request.headers['webhook-signature']),
      body: request.body,
    });
    expect(verified).toBe(true);
    expect(
      verifyStandard(webhook.secret, {
        id: String(request.headers['webhook-id']),
        timestamp: String(request.headers['webhook-timestamp']),
        signature: String(request.headers['webhook-signature']),
        body: `${request.body} `,
      }),
    ).toBe(false);
    const [logged] = await waitFor(async () => {
      const list = await deliveries(webhook.id);
      return list[0]?.state === 'succeeded' ? list : undefined;
    });
    expect(logged).toMatchObject({ id: request.headers['webhook-id'], attempts: 1 });
  });

  it('retries a failing endpoint with the same delivery id, logs every attempt, then gives up', async () => {
    const failing = await startWebhookReceiver(() => ({ status: 500, body: 'boom' }));
    const webhook = await subscribe(failing.url('/fail'));

    await renameAccount('Retry Me');
    const [delivery] = await waitFor(
      async () => {
        const list = await deliveries(webhook.id);
        return list[0]?.state === 'failed' ? list : undefined;
      },
      { what: 'failed delivery' },
    );
    const detail = await inject({
      method: 'GET',
      url: `/api/v1/accounts/${account.accountId}/webhooks/${webhook.id}/deliveries/${delivery!.id}`,
      headers: bearer(account.apiKey),
    });
    await failing.close();

    expect(failing.received).toHaveLength(3);
    expect(new Set(failing.received.map((entry) => entry.headers['webhook-id']))).toEqual(
      new Set([delivery!.id]),
    );
    expect(
      detail
        .json()
        .attemptLog.map((attempt: { attempt: number; statusCode: number; responseSnippet: string }) => [
          attempt.attempt,
          attempt.statusCode,
          attempt.responseSnippet,
        ]),
    ).toEqual([
      [1, 500, 'boom'],
      [2, 500, 'boom'],
      [3, 500, 'boom'],
    ]);
  });

  it('logs a timeout for an endpoint that hangs while other endpoints still receive', async () => {
    const hanging = await startWebhookReceiver(() => 'hang');
    const slow = await subscribe(hanging.url('/hang'));
    await subscribe(receiver.url('/healthy'));
    const before = receiver.received.filter((entry) => entry.path === '/healthy').length;

    await renameAccount('Hang Around');
    await waitFor(() => receiver.received.filter((entry) => entry.path === '/healthy').length > before, {
      what: 'healthy delivery',
    });
    const [delivery] = await waitFor(
      async () => {
        const list = await deliveries(slow.id);
        return list[0] && list[0].attempts >= 1 && list[0].lastError ? list : undefined;
      },
      { what: 'timed out attempt' },
    );
    await hanging.close();

    expect(delivery!.lastError).toMatch(/^timeout: /);
  });

  it('still refuses a blocked target at delivery time and records why', async () => {
    // Creation refuses this URL now; a row stored earlier, or a name that resolves elsewhere by
    // delivery time (DNS rebinding), must still be stopped by the delivery guard.
    const webhook = await createSubscription(app.testDb.database.db, {
      accountId: account.accountId,
      format: 'native',
      url: 'http://169.254.169.254/latest/meta-data',
      events: ['account.updated'],
      secret: 'whsec_dGVzdA==',
    });

    await renameAccount('Metadata Probe');
    const [delivery] = await waitFor(
      async () => {
        const list = await deliveries(webhook.id);
        return list[0]?.state === 'failed' ? list : undefined;
      },
      { what: 'refused delivery' },
    );

    expect(delivery!.attempts).toBe(1);
    expect(delivery!.lastError).toMatch(/^blocked_address: /);
  });

  it('disables an endpoint that answers 410 Gone, with the reason', async () => {
    const gone = await startWebhookReceiver(() => ({ status: 410 }));
    const webhook = await subscribe(gone.url('/gone'));

    await renameAccount('Gone Away');
    const disabled = await waitUntilDisabled(webhook.id);
    await gone.close();

    expect(disabled.disabledReason).toMatch(/410/);
    expect(gone.received).toHaveLength(1);
  });

  it('disables an endpoint after sustained failure with a clear reason', async () => {
    const failing = await startWebhookReceiver(() => ({ status: 503 }));
    const webhook = await subscribe(failing.url('/down'));

    await renameAccount('Down 1');
    await renameAccount('Down 2');
    const disabled = await waitUntilDisabled(webhook.id);
    await failing.close();

    expect(disabled.disabledReason).toMatch(/failed attempts in a row/);
    const settled = await waitFor(
      async () => {
        const list = await deliveries(webhook.id);
        return list.every((delivery) => delivery.state !== 'pending') ? list : undefined;
      },
      { what: 'settled deliveries' },
    );
    expect(settled.map((delivery) => delivery.state)).toContain('failed');
    expect(disabled.consecutiveFailures).toBeGreaterThanOrEqual(5);
  });

  it('rejects a subscription to an unknown event type or a non-http URL with 422', async () => {
    const unknownEvent = await inject({
      method: 'POST',
      url: `/api/v1/accounts/${account.accountId}/webhooks`,
      headers: bearer(account.apiKey),
      payload: { url: receiver.url(), events: ['account.exploded'] },
    });
    const badUrl = await inject({
      method: 'POST',
      url: `/api/v1/accounts/${account.accountId}/webhooks`,
      headers: bearer(account.apiKey),
      payload: { url: 'ftp://example.com/x' },
    });

    expect(unknownEvent.statusCode).toBe(422);
    expect(badUrl.statusCode).toBe(422);
    expect(badUrl.json().error.details[0].path).toBe('body.url');
  });
});
