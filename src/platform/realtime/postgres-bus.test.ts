import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { openDatabase, type Database } from '../db/database.js';
import { backendName, createTestDatabase, type TestDatabase } from '../../testing/database.js';
import { MAX_NOTIFY_BYTES, POSTGRES_CHANNEL, createPostgresBus } from './postgres-bus.js';
import { createRealtimeBus, type RealtimeBus, type RealtimeMessage } from './realtime-bus.js';

const waitOptions = { timeout: 5000, interval: 20 };

function collect(bus: RealtimeBus, accountId: number): RealtimeMessage[] {
  const messages: RealtimeMessage[] = [];
  bus.subscribe(accountId, (message) => {
    messages.push(message);
  });
  return messages;
}

/** A message whose JSON is exactly `bytes` long. */
function messageOfSize(accountId: number, id: number, bytes: number): RealtimeMessage {
  const base = { accountId, id, type: 'message.created', occurredAt: '2030-01-01T00:00:00.000Z' };
  const overhead = Buffer.byteLength(JSON.stringify({ ...base, payload: { text: '' } }));
  return { ...base, payload: { text: 'x'.repeat(bytes - overhead) } };
}

describe(`postgres realtime bus specifics (${backendName})`, () => {
  let testDb: TestDatabase;
  let second: Database;
  let publisher: RealtimeBus;
  let receiver: RealtimeBus;
  const errors: { error: unknown; raw: string | undefined }[] = [];
  beforeAll(async () => {
    testDb = await createTestDatabase();
    second = testDb.url ? await openDatabase({ url: testDb.url, poolSize: 2 }) : testDb.database;
    publisher = createPostgresBus(testDb.database, { onError: () => undefined });
    receiver = createPostgresBus(second, {
      onError: (error, context) => errors.push({ error, raw: context.raw }),
    });
    await Promise.all([publisher.start(), receiver.start()]);
  });
  afterAll(async () => {
    await Promise.all([publisher.close(), receiver.close()]);
    if (second !== testDb.database) await second.close();
    await testDb.drop();
  });

  it('sends a payload of exactly the NOTIFY limit whole, and a larger one as a reference', async () => {
    const received = collect(receiver, 10);
    const fitting = messageOfSize(10, 1, MAX_NOTIFY_BYTES);
    const oversized = messageOfSize(10, 2, MAX_NOTIFY_BYTES + 1);

    await publisher.publish(fitting);
    await publisher.publish(oversized);

    await vi.waitFor(() => expect(received).toHaveLength(2), waitOptions);
    expect(received[0]).toEqual(fitting);
    expect(received[1]).toEqual({
      accountId: 10,
      id: 2,
      type: 'message.created',
      occurredAt: oversized.occurredAt,
      payload: {},
      truncated: true,
    });
  });

  it('reports a notification that is not a message and keeps delivering', async () => {
    const received = collect(receiver, 11);

    await testDb.database.notify(POSTGRES_CHANNEL, 'not json');
    await testDb.database.notify(POSTGRES_CHANNEL, JSON.stringify({ accountId: 11 }));
    await publisher.publish(messageOfSize(11, 3, 200));

    await vi.waitFor(() => expect(received).toHaveLength(1), waitOptions);
    expect(errors.map((entry) => entry.raw)).toEqual(['not json', '{"accountId":11}']);
  });

  // On the embedded database it picks the in-process bus (realtime-bus.test.ts covers that one).
  it.skipIf(backendName === 'embedded')(
    'is what createRealtimeBus picks on a server without Redis',
    async () => {
      const bus = createRealtimeBus({ database: testDb.database, redisUrl: undefined });
      const received = collect(receiver, 12);

      await bus.publish(messageOfSize(12, 4, 300));

      await vi.waitFor(() => expect(received).toHaveLength(1), waitOptions);
      await bus.close();
    },
  );
});
