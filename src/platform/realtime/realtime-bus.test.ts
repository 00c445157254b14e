import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { randomUUID } from 'node:crypto';
import { openDatabase } from '../db/database.js';
import { backendName, createTestDatabase } from '../../testing/database.js';
import { createEmbeddedBus } from './embedded-bus.js';
import { createLocalBus } from './local-bus.js';
import { createPostgresBus } from './postgres-bus.js';
import type { RealtimeBus, RealtimeMessage } from './realtime-bus.js';
import { createRedisBus } from './redis-bus.js';

/** The same contract for every bus: a publisher and a receiver, which may be two nodes. */
interface Harness {
  publisher: RealtimeBus;
  receiver: RealtimeBus;
  errors: unknown[];
  close(): Promise<void>;
}

function localHarness(): Promise<Harness> {
  const errors: unknown[] = [];
  const bus = createLocalBus({ onError: (error) => errors.push(error) });
  return Promise.resolve({ publisher: bus, receiver: bus, errors, close: () => bus.close() });
}

/** Two buses; on the server backend each on its own connection pool, as on two nodes. */
async function postgresHarness(): Promise<Harness> {
  const errors: unknown[] = [];
  const testDb = await createTestDatabase();
  const second = testDb.url ? await openDatabase({ url: testDb.url, poolSize: 2 }) : testDb.database;
  const publisher = createPostgresBus(testDb.database, { onError: (error) => errors.push(error) });
  const receiver = createPostgresBus(second, { onError: (error) => errors.push(error) });
  await Promise.all([publisher.start(), receiver.start()]);
  return {
    publisher,
    receiver,
    errors,
    async close() {
      await Promise.all([publisher.close(), receiver.close()]);
      if (second !== testDb.database) await second.close();
      await testDb.drop();
    },
  };
}

/** Two nodes in one process on one embedded database, as the embedded bus serves them. */
async function embeddedHarness(): Promise<Harness> {
  const errors: unknown[] = [];
  const testDb = await createTestDatabase();
  const publisher = createEmbeddedBus(testDb.database, { onError: (error) => errors.push(error) });
  const receiver = createEmbeddedBus(testDb.database, { onError: (error) => errors.push(error) });
  await Promise.all([publisher.start(), receiver.start()]);
  return {
    publisher,
    receiver,
    errors,
    async close() {
      await Promise.all([publisher.close(), receiver.close()]);
      await testDb.drop();
    },
  };
}

async function redisHarness(redisUrl: string): Promise<Harness> {
  const errors: unknown[] = [];
  // A channel of its own, so concurrent runs against one Redis never hear each other.
  const channel = `parley:test:${randomUUID()}`;
  const publisher = createRedisBus(redisUrl, { channel, onError: (error) => errors.push(error) });
  const receiver = createRedisBus(redisUrl, { channel, onError: (error) => errors.push(error) });
  await Promise.all([publisher.start(), receiver.start()]);
  return {
    publisher,
    receiver,
    errors,
    close: () => Promise.all([publisher.close(), receiver.close()]).then(),
  };
}

function collect(bus: RealtimeBus, accountId: number): { messages: RealtimeMessage[]; stop: () => void } {
  const messages: RealtimeMessage[] = [];
  const stop = bus.subscribe(accountId, (message) => {
    messages.push(message);
  });
  return { messages, stop };
}

function message(accountId: number, id: number): RealtimeMessage {
  return {
    accountId,
    id,
    type: 'conversation.created',
    occurredAt: new Date().toISOString(),
    payload: { conversationId: id, subject: 'Héllo ✓' },
  };
}

const redisUrl = process.env.TEST_REDIS_URL;
const waitOptions = { timeout: 5000, interval: 20 };

describe.each([
  { name: 'local', skip: false, open: localHarness },
  { name: `postgres (${backendName})`, skip: false, open: postgresHarness },
  { name: `embedded (in one process, ${backendName})`, skip: false, open: embeddedHarness },
  { name: 'redis (needs TEST_REDIS_URL)', skip: !redisUrl, open: () => redisHarness(redisUrl ?? '') },
])('$name realtime bus', ({ skip, open }) => {
  let harness: Harness;
  beforeAll(async () => {
    if (!skip) harness = await open();
  });
  afterAll(async () => {
    if (!skip) await harness.close();
  });

  it.skipIf(skip)(
    'delivers to subscribers of the same account on the other bus, and not to other accounts',
    async () => {
      const same = collect(harness.receiver, 1);
      const other = collect(harness.receiver, 2);
      const first = message(1, 100);
      const second = message(2, 101);

      await harness.publisher.publish(first);
      await harness.publisher.publish(second);

      await vi.waitFor(() => expect(other.messages).toHaveLength(1), waitOptions);
      await vi.waitFor(() => expect(same.messages).toHaveLength(1), waitOptions);
      expect(same.messages).toEqual([first]);
      expect(other.messages).toEqual([second]);
      same.stop();
      other.stop();
    },
  );

  it.skipIf(skip)('delivers a published batch whole and in order', async () => {
    const received = collect(harness.receiver, 4);
    const batch = Array.from({ length: 40 }, (_, index) => message(4, 200 + index));

    await harness.publisher.publishMany(batch);
    await harness.publisher.publishMany([]);

    await vi.waitFor(() => expect(received.messages).toHaveLength(40), waitOptions);
    expect(received.messages.map((each) => each.id)).toEqual(batch.map((each) => each.id));
    expect(received.messages[0]).toEqual(batch[0]);
    received.stop();
  });

  it.skipIf(skip)('stops delivering to a listener once it unsubscribes', async () => {
    const leaving = collect(harness.receiver, 3);
    const staying = collect(harness.receiver, 3);
    leaving.stop();

    await harness.publisher.publish(message(3, 102));

    await vi.waitFor(() => expect(staying.messages).toHaveLength(1), waitOptions);
    expect(leaving.messages).toEqual([]);
    staying.stop();
  });

  it.skipIf(skip)('keeps delivering when another listener throws or rejects, and reports both', async () => {
    const unsubscribeThrowing = harness.receiver.subscribe(4, () => {
      throw new Error('listener failed');
    });
    const unsubscribeRejecting = harness.receiver.subscribe(4, () =>
      Promise.reject(new Error('async failure')),
    );
    const healthy = collect(harness.receiver, 4);

    await harness.publisher.publish(message(4, 103));

    await vi.waitFor(() => expect(healthy.messages).toHaveLength(1), waitOptions);
    await vi.waitFor(() => expect(harness.errors).toHaveLength(2), waitOptions);
    expect(harness.errors.map((error) => (error as Error).message).sort()).toEqual([
      'async failure',
      'listener failed',
    ]);
    unsubscribeThrowing();
    unsubscribeRejecting();
    healthy.stop();
  });
});
