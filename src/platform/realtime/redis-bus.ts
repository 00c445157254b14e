import { Redis } from 'ioredis';
import {
  createListenerRegistry,
  defaultErrorHandler,
  deliverRaw,
  encodeMessage,
} from './listener-registry.js';
import type { RealtimeBus, RealtimeBusOptions } from './realtime-bus.js';

export const REDIS_CHANNEL = 'parley:realtime';

export interface RedisBusOptions extends RealtimeBusOptions {
  /** Lets several deployments (or test runs) share one Redis without hearing each other. */
  channel?: string;
}

/**
 * Redis pub/sub on one channel for all accounts: each node filters by account locally.
 * Payloads travel whole (Redis has no NOTIFY-like size cap). ioredis reconnects and
 * resubscribes by itself; messages published while a node is disconnected are lost to it.
 */
export function createRedisBus(redisUrl: string, options: RedisBusOptions = {}): RealtimeBus {
  const onError = options.onError ?? defaultErrorHandler;
  const registry = createListenerRegistry(onError);
  const channel = options.channel ?? REDIS_CHANNEL;
  // Two connections: once subscribed, a Redis connection can run no other command, PUBLISH included.
  const publisher = new Redis(redisUrl, { lazyConnect: true });
  const subscriber = new Redis(redisUrl, { lazyConnect: true });
  for (const connection of [publisher, subscriber]) {
    // Without a listener, ioredis prints every connection error itself.
    connection.on('error', (error: unknown) => onError(error, {}));
  }
  subscriber.on('message', (from: string, raw: string) => {
    if (from === channel) deliverRaw(registry, raw, onError);
  });
  let starting: Promise<unknown> | undefined;
  return {
    async publish(message) {
      await publisher.publish(channel, encodeMessage(message));
    },
    subscribe: (accountId, listener) => registry.add(accountId, listener),
    async start() {
      // With lazyConnect, the first command opens the connection.
      starting ??= subscriber.subscribe(channel).catch((error: unknown) => {
        starting = undefined; // so that a later start() retries
        throw error;
      });
      await starting;
    },
    async close() {
      registry.clear();
      await Promise.all([closeConnection(publisher), closeConnection(subscriber)]);
    },
  };
}

async function closeConnection(connection: Redis): Promise<void> {
  if (connection.status === 'wait' || connection.status === 'end') {
    connection.disconnect();
    return;
  }
  // QUIT lets pending commands finish; if the connection is already broken, just drop it.
  await connection.quit().catch(() => connection.disconnect());
}
