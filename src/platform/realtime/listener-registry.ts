import { z } from 'zod';
import type { RealtimeErrorHandler, RealtimeListener, RealtimeMessage } from './realtime-bus.js';
import type { Revocation, RevocationListener } from './revocations.js';

/** Used when no handler is given; production wiring passes one that logs through pino. */
export const defaultErrorHandler: RealtimeErrorHandler = (error, context) => {
  console.error('realtime bus error', context, error);
};

/** The local half every bus shares: listeners by account, and failure isolation between them. */
export interface ListenerRegistry {
  add(accountId: number, listener: RealtimeListener): () => void;
  deliver(message: RealtimeMessage): void;
  /** Revocations concern every account's listeners, so they are not filed by account. */
  addRevocationListener(listener: RevocationListener): () => void;
  deliverRevocation(revocation: Revocation): void;
  clear(): void;
}

export function createListenerRegistry(onError: RealtimeErrorHandler): ListenerRegistry {
  const byAccount = new Map<number, Set<RealtimeListener>>();
  const revocationListeners = new Set<RevocationListener>();
  return {
    add(accountId, listener) {
      // A wrapper per subscription, so subscribing the same function twice needs two unsubscribes.
      const entry: RealtimeListener = (message) => listener(message);
      const listeners = byAccount.get(accountId) ?? new Set();
      listeners.add(entry);
      byAccount.set(accountId, listeners);
      return () => {
        listeners.delete(entry);
        if (listeners.size === 0 && byAccount.get(accountId) === listeners) byAccount.delete(accountId);
      };
    },
    deliver(message) {
      const listeners = byAccount.get(message.accountId);
      if (!listeners) return;
      // A copy: listeners may unsubscribe (or subscribe others) while being called.
      for (const listener of [...listeners]) callSafely(listener, message, onError);
    },
    addRevocationListener(listener) {
      const entry: RevocationListener = (revocation) => listener(revocation);
      revocationListeners.add(entry);
      return () => {
        revocationListeners.delete(entry);
      };
    },
    deliverRevocation(revocation) {
      for (const listener of [...revocationListeners]) {
        try {
          listener(revocation);
        } catch (error) {
          onError(error, {});
        }
      }
    },
    clear() {
      byAccount.clear();
      revocationListeners.clear();
    },
  };
}

function callSafely(
  listener: RealtimeListener,
  message: RealtimeMessage,
  onError: RealtimeErrorHandler,
): void {
  try {
    const result = listener(message);
    // Not awaited: a slow listener must not hold up the others. Its rejection is still reported.
    if (result instanceof Promise) result.catch((error: unknown) => onError(error, { message }));
  } catch (error) {
    onError(error, { message });
  }
}

const messageSchema = z.object({
  accountId: z.number().int(),
  id: z.number().int(),
  type: z.string(),
  occurredAt: z.string(),
  payload: z.record(z.string(), z.unknown()).default({}),
  truncated: z.literal(true).optional(),
});

/** Serializes a message; when it exceeds `maxBytes`, sends a reference without the payload instead. */
export function encodeMessage(message: RealtimeMessage, maxBytes = Infinity): string {
  const full = JSON.stringify(message);
  if (Buffer.byteLength(full, 'utf8') <= maxBytes) return full;
  const { accountId, id, type, occurredAt } = message;
  return JSON.stringify({ accountId, id, type, occurredAt, truncated: true });
}

/** Parses what another node sent; throws on anything that is not a message. */
export function decodeMessage(raw: string): RealtimeMessage {
  const parsed = messageSchema.parse(JSON.parse(raw));
  const { truncated, ...message } = parsed;
  return truncated ? { ...message, truncated } : message;
}

/** Decodes and delivers, reporting (not throwing) undecodable input: one bad message must not stop the stream. */
export function deliverRaw(registry: ListenerRegistry, raw: string, onError: RealtimeErrorHandler): void {
  let message: RealtimeMessage;
  try {
    message = decodeMessage(raw);
  } catch (error) {
    onError(error, { raw });
    return;
  }
  registry.deliver(message);
}
