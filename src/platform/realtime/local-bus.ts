import { createListenerRegistry, defaultErrorHandler } from './listener-registry.js';
import type { RealtimeBus, RealtimeBusOptions } from './realtime-bus.js';

/** In-process delivery for a single node, and for tests of code that publishes. */
export function createLocalBus(options: RealtimeBusOptions = {}): RealtimeBus {
  const registry = createListenerRegistry(options.onError ?? defaultErrorHandler);
  return {
    publish(message) {
      // Delivered on a later tick, as a broker would: a listener never runs inside the publisher's call.
      return new Promise((resolve) => {
        setImmediate(() => {
          registry.deliver(message);
          resolve();
        });
      });
    },
    subscribe: (accountId, listener) => registry.add(accountId, listener),
    start: () => Promise.resolve(),
    close() {
      registry.clear();
      return Promise.resolve();
    },
  };
}
