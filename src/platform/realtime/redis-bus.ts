import { Redis } from 'ioredis';
import {
  createListenerRegistry,
  defaultErrorHandler,
  deliverRaw,
  encodeMessage,
} from './listener-registry.js';
import type { RealtimeBus, RealtimeBusOptions, RevocationSourceOptions } from './realtime-bus.js';
import { listenForRevocations } from './revocations.js';

export const REDIS_CHANNEL = 'parley:realtime';

export interface RedisBusOptions extends RealtimeBusOptions, RevocationSourceOptions {
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
  // Revocations come from the database even here: it announces them at commit, to every node.
  const revocationsFrom = options.revocationsFrom;
  let listeningForRevocations: Promise<() => Promise<void>> | undefined;
  let closed = false;
  return {
    async publish(message) {
      await publisher.publish(channel, encodeMessage(message));
    },
    async publishMany(messages) {
      if (messages.length === 0) return;
      const pipeline = publisher.pipeline();
      for (const message of messages) pipeline.publish(channel, encodeMessage(message));
      await pipeline.exec();
    },
    subscribe: (accountId, listener) => registry.add(accountId, listener),
    subscribeRevocations: (listener) => registry.addRevocationListener(listener),
    async start() {
      // With lazyConnect, the first command opens the connection.
      starting ??= subscriber.subscribe(channel).catch((error: unknown) => {
        starting = undefined; // so that a later start() retries
        throw error;
      });
      if (revocationsFrom) {
        listeningForRevocations ??= listenForRevocations(
          revocationsFrom,
          (revocation) => {
            if (!closed) registry.deliverRevocation(revocation);
          },
          onError,
        ).catch((error: unknown) => {
          listeningForRevocations = undefined;
          throw error;
        });
      }
      await Promise.all([starting, listeningForRevocations]);
    },
    async close() {
      closed = true;
      registry.clear();
      const stopRevocations = await listeningForRevocations?.catch(() => undefined);
      await stopRevocations?.();
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
