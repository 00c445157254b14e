import type { Database } from '../db/database.js';
import { createListenerRegistry, defaultErrorHandler, type ListenerRegistry } from './listener-registry.js';
import type { RealtimeBus, RealtimeBusOptions } from './realtime-bus.js';
import { listenForRevocations } from './revocations.js';

/**
 * The registries of the started buses on each embedded database. An embedded database lives in
 * one process, so every node that can use it is here: handing messages over in memory reaches
 * them all, without sending each event through PGlite's single connection as a NOTIFY (which
 * made every event batch queue behind the writes it follows).
 */
const hubs = new WeakMap<Database, Set<ListenerRegistry>>();

function hubOf(database: Database): Set<ListenerRegistry> {
  let hub = hubs.get(database);
  if (!hub) {
    hub = new Set();
    hubs.set(database, hub);
  }
  return hub;
}

/** The bus of a node on the embedded database. Revocation notices still come from it, at commit. */
export function createEmbeddedBus(database: Database, options: RealtimeBusOptions = {}): RealtimeBus {
  const onError = options.onError ?? defaultErrorHandler;
  const registry = createListenerRegistry(onError);
  const hub = hubOf(database);
  let starting: Promise<() => Promise<void>> | undefined;
  let closed = false;

  // Delivered on a later tick, as a broker would: a listener never runs inside the publisher's call.
  const deliverLater = (messages: Parameters<RealtimeBus['publishMany']>[0]): Promise<void> =>
    new Promise((resolve) => {
      setImmediate(() => {
        for (const receiver of [...hub]) {
          for (const message of messages) receiver.deliver(message);
        }
        resolve();
      });
    });

  async function listen(): Promise<() => Promise<void>> {
    const stopRevocations = await listenForRevocations(
      database,
      (revocation) => {
        if (!closed) registry.deliverRevocation(revocation);
      },
      onError,
    );
    hub.add(registry);
    return async () => {
      hub.delete(registry);
      await stopRevocations();
    };
  }

  return {
    publish: (message) => deliverLater([message]),
    publishMany: (messages) => (messages.length === 0 ? Promise.resolve() : deliverLater(messages)),
    subscribe: (accountId, listener) => registry.add(accountId, listener),
    subscribeRevocations: (listener) => registry.addRevocationListener(listener),
    async start() {
      starting ??= listen().catch((error: unknown) => {
        starting = undefined; // so that a later start() retries
        throw error;
      });
      await starting;
    },
    async close() {
      closed = true;
      registry.clear();
      const stop = await starting?.catch(() => undefined);
      await stop?.();
    },
  };
}
