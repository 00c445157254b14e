import { createListenerRegistry, defaultErrorHandler } from './listener-registry.js';
import type { RealtimeBus, RealtimeBusOptions } from './realtime-bus.js';
import type { Revocation } from './revocations.js';

export interface LocalBus extends RealtimeBus {
  /** Stands in for the database's revocation notice, for tests of what listens to revocations. */
  announceRevocation(revocation: Revocation): Promise<void>;
}

/** In-process delivery for a single node, and for tests of code that publishes. */
export function createLocalBus(options: RealtimeBusOptions = {}): LocalBus {
  const registry = createListenerRegistry(options.onError ?? defaultErrorHandler);
  // Delivered on a later tick, as a broker would: a listener never runs inside the publisher's call.
  const later = (deliver: () => void): Promise<void> =>
    new Promise((resolve) => {
      setImmediate(() => {
        deliver();
        resolve();
      });
    });
  return {
    publish: (message) => later(() => registry.deliver(message)),
    publishMany: (messages) =>
      later(() => {
        for (const message of messages) registry.deliver(message);
      }),
    announceRevocation: (revocation) => later(() => registry.deliverRevocation(revocation)),
    subscribe: (accountId, listener) => registry.add(accountId, listener),
    subscribeRevocations: (listener) => registry.addRevocationListener(listener),
    start: () => Promise.resolve(),
    close() {
      registry.clear();
      return Promise.resolve();
    },
  };
}
