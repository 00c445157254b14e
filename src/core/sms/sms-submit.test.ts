import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../platform/db/database.js';
import type { JobContext } from '../../platform/jobs/index.js';
import { createTestApp, seedAccount, type TestApp } from '../../testing/app.js';
import { sendSms } from './send-sms.js';
import type { OutgoingSms, SmsProvider } from './sms-provider.js';
import { findSms } from './sms-queries.js';
import { submitSms } from './sms-runtime.js';
import { createSmsSimulator, SIMULATOR_PROVIDER } from './sms-simulator.js';
import { applyDeliveryReport } from './sms-status.js';

let app: TestApp;
let db: Db;
let accountId: number;

beforeAll(async () => {
  app = await createTestApp();
  db = app.parley.ctx.db;
  ({ accountId } = await seedAccount(app, 'Submit'));
}, 60_000);

afterAll(() => app.close());

/** A job context whose completion is a plain transaction, as the worker's is when it holds the lease. */
function jobContext(attempts: number, maxAttempts = 3): JobContext {
  return {
    job: { id: 1, name: 'sms.submit', queue: 'sms', accountId, attempts, maxAttempts },
    signal: new AbortController().signal,
    complete: (fn) => db.transaction(fn),
  };
}

function providersOf(provider: SmsProvider) {
  return new Map([[SIMULATOR_PROVIDER, provider]]);
}

async function newSms(to: string) {
  const row = await sendSms(db, { accountId, from: '', to, text: 'hello', actor: { type: 'system' } });
  return { accountId, smsId: row.id };
}

describe('submitting an SMS to its provider', () => {
  it('keeps it PENDING and retries while the provider is down, then ends in ERROR', async () => {
    const down: SmsProvider = {
      name: SIMULATOR_PROVIDER,
      submit: () => Promise.reject(new Error('connection refused')),
    };
    const payload = await newSms('+33611111111');
    await expect(submitSms(db, providersOf(down), payload, jobContext(1))).rejects.toThrow(
      'connection refused',
    );
    expect(await findSms(db, accountId, payload.smsId)).toMatchObject({
      status: 'PENDING',
      statusError: null,
    });
    await submitSms(db, providersOf(down), payload, jobContext(3));
    expect(await findSms(db, accountId, payload.smsId)).toMatchObject({
      status: 'ERROR',
      statusError: 'Provider unavailable: connection refused',
    });
  });

  it('submits once: a rerun after success changes nothing, and the key is stable per SMS', async () => {
    const seen: OutgoingSms[] = [];
    const simulator = createSmsSimulator();
    const recording: SmsProvider = {
      name: SIMULATOR_PROVIDER,
      submit: (sms) => {
        seen.push(sms);
        return simulator.submit(sms);
      },
    };
    const payload = await newSms('+33622222222');
    await submitSms(db, providersOf(recording), payload, jobContext(1));
    const sent = await findSms(db, accountId, payload.smsId);
    expect(sent).toMatchObject({ status: 'SENT', providerRef: expect.stringMatching(/^sim-/) });
    expect(sent?.sentAt).toBeInstanceOf(Date);
    await submitSms(db, providersOf(recording), payload, jobContext(2));
    expect(seen).toHaveLength(1);
    expect(seen[0]).toMatchObject({
      to: '+33622222222',
      text: 'hello',
      encoding: 'GSM',
      parts: 1,
      flash: false,
    });
    expect(seen[0]?.idempotencyKey).toBe(`parley-sms-${payload.smsId}`);
  });

  it('applies receipts in progress order only, and ignores unknown references', async () => {
    const payload = await newSms('+33633333333');
    await submitSms(db, providersOf(createSmsSimulator()), payload, jobContext(1));
    const providerRef = (await findSms(db, accountId, payload.smsId))?.providerRef ?? '';
    const report = (status: 'REMOTE_QUEUED' | 'RECEIVED' | 'FAILED') =>
      db.transaction((tx) =>
        applyDeliveryReport(tx, { provider: SIMULATOR_PROVIDER, providerRef, status, at: new Date() }),
      );
    expect(await report('RECEIVED')).toMatchObject({ status: 'RECEIVED' });
    expect(await report('REMOTE_QUEUED')).toMatchObject({ status: 'RECEIVED' });
    expect(await report('FAILED')).toMatchObject({ status: 'RECEIVED', statusError: null });
    const delivered = await findSms(db, accountId, payload.smsId);
    expect(delivered?.receivedAt).toBeInstanceOf(Date);
    expect(
      await db.transaction((tx) =>
        applyDeliveryReport(tx, {
          provider: SIMULATOR_PROVIDER,
          providerRef: 'nope',
          status: 'RECEIVED',
          at: new Date(),
        }),
      ),
    ).toBeNull();
  });
});
