import { sql } from 'drizzle-orm';
import { createTestApp, injector, seedAccount, type TestApp } from '../../testing/app.js';
import { startWebhookReceiver } from '../../testing/webhook-receiver.js';
import { events } from '../../platform/events/events.tables.js';
import { EVENTS_CHANNEL } from '../../platform/events/outbox.js';
import type { SmsSnapshot } from '../../core/sms/sms.events.js';
import { postRpc, type RpcAnswer } from './callr-test-kit.js';

/** A pushed `Webhook.Event`, parsed. */
export interface PushedEvent {
  type: string;
  data: Record<string, unknown>;
  event_id: string;
  event_at: string;
  hook_hash: string | null;
  try: number;
}

export interface WebhookTestAccount {
  accountId: number;
  apiKey: string;
  rpc<T = unknown>(method: string, params?: unknown[]): Promise<RpcAnswer<T>>;
  result<T = unknown>(method: string, params?: unknown[]): Promise<T>;
  error(method: string, params?: unknown[]): Promise<{ code: number; message: string }>;
}

export const DATETIME_MS = /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}\.\d{3}$/;
export const HASH = /^[0-9A-F]{8}$/;

/**
 * A Parley with two accounts and a real receiver on loopback: `/gone` answers 410, a path given
 * to `failFirst` answers 503 that many times, everything else 200. Retries come after 200 ms.
 */
export async function createWebhookTestbed() {
  const failuresLeft = new Map<string, number>();
  const receiver = await startWebhookReceiver((request) => {
    if (request.path === '/gone') return { status: 410, body: 'gone' };
    const left = failuresLeft.get(request.path) ?? 0;
    if (left > 0) {
      failuresLeft.set(request.path, left - 1);
      return { status: 503, body: 'busy' };
    }
    return { status: 200, body: 'ok' };
  });
  const app: TestApp = await createTestApp(
    { PARLEY_OUTBOUND_ALLOWLIST: ['127.0.0.1/32'] },
    { webhookPolicy: { backoff: () => 200 } },
  );
  const inject = injector(app);

  async function account(name: string): Promise<WebhookTestAccount> {
    const { accountId, apiKey } = await seedAccount(app, name);
    const auth = { authorization: `Api-Key ${apiKey}` };
    const rpc = <T>(method: string, params: unknown[] = []) => postRpc<T>(inject, method, params, auth);
    return {
      accountId,
      apiKey,
      rpc,
      async result<T>(method: string, params: unknown[] = []) {
        const answer = await rpc<T>(method, params);
        if (answer.error) throw new Error(`${method} failed: ${answer.error.code} ${answer.error.message}`);
        return answer.result as T;
      },
      async error(method: string, params: unknown[] = []) {
        const answer = await rpc(method, params);
        if (!answer.error) throw new Error(`${method} should have failed: ${JSON.stringify(answer.result)}`);
        return answer.error;
      },
    };
  }

  let nextSmsId = 1;
  function snapshot(overrides: Partial<SmsSnapshot> = {}): SmsSnapshot {
    const now = new Date().toISOString();
    return {
      id: nextSmsId++,
      direction: 'OUT',
      from: 'SMS',
      to: '+33612345678',
      text: 'Your code is 1234',
      status: 'SENT',
      statusError: null,
      encoding: 'GSM',
      parts: 1,
      nature: 'ALERTING',
      userData: null,
      options: {},
      debitCents: 5,
      createdAt: now,
      updatedAt: now,
      sentAt: now,
      receivedAt: null,
      conversationId: null,
      messageId: null,
      ...overrides,
    };
  }

  /** What the SMS and telephony modules do: an outbox event, committed. */
  async function emit(accountId: number, type: string, payload: Record<string, unknown>): Promise<void> {
    await app.parley.ctx.db.transaction(async (tx) => {
      await tx.insert(events).values({ accountId, type, aggregateType: 'test', aggregateId: '1', payload });
      await tx.execute(sql`SELECT pg_notify(${EVENTS_CHANNEL}, '')`);
    });
  }

  return {
    app,
    receiver,
    account,
    snapshot,
    emit,
    emitSms: (accountId: number, type: string, sms: SmsSnapshot) => emit(accountId, type, { sms }),
    failFirst: (path: string, times: number) => failuresLeft.set(path, times),
    pushesTo: (path: string) =>
      receiver.received
        .filter((request) => request.path === path)
        .map((request) => ({ request, body: JSON.parse(request.body) as PushedEvent })),
    async close() {
      await app.close();
      await receiver.close();
    },
  };
}

export type WebhookTestbed = Awaited<ReturnType<typeof createWebhookTestbed>>;
