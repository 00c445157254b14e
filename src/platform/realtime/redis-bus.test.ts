import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { randomInt } from 'node:crypto';
import type { Database } from '../db/database.js';
import { createRealtimeBus, type RealtimeBus, type RealtimeMessage } from './realtime-bus.js';
import { createRedisBus } from './redis-bus.js';

const redisUrl = process.env.TEST_REDIS_URL;
const waitOptions = { timeout: 5000, interval: 20 };

describe('redis realtime bus specifics', () => {
  let receiver: RealtimeBus;
  // The default channel is shared with anything else on this Redis: an account id nobody else uses.
  const accountId = randomInt(1_000_000_000, 2_000_000_000);
  beforeAll(async () => {
    if (!redisUrl) return;
    receiver = createRedisBus(redisUrl);
    await receiver.start();
  });
  afterAll(async () => {
    if (redisUrl) await receiver.close();
  });

  it.skipIf(!redisUrl)(
    'is what createRealtimeBus picks when a Redis URL is set, and carries large payloads whole (needs TEST_REDIS_URL)',
    async () => {
      const received: RealtimeMessage[] = [];
      receiver.subscribe(accountId, (message) => {
        received.push(message);
      });
      // A database the Redis bus never touches for events (only revocation notices, once started).
      const bus = createRealtimeBus({ database: {} as Database, redisUrl });
      const large: RealtimeMessage = {
        accountId,
        id: 1,
        type: 'message.created',
        occurredAt: new Date().toISOString(),
        payload: { text: 'x'.repeat(100_000) },
      };

      await bus.publish(large);

      await vi.waitFor(() => expect(received).toHaveLength(1), waitOptions);
      expect(received[0]).toEqual(large);
      await bus.close();
    },
  );

  it('closes cleanly when it was never started or used', async () => {
    const bus = createRedisBus('redis://127.0.0.1:1');

    await expect(bus.close()).resolves.toBeUndefined();
  });
});
