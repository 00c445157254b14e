import { sql } from 'drizzle-orm';
import type { Database } from '../db/database.js';
import {
  createListenerRegistry,
  defaultErrorHandler,
  deliverRaw,
  encodeMessage,
} from './listener-registry.js';
import type { RealtimeBus, RealtimeBusOptions } from './realtime-bus.js';
import { listenForRevocations } from './revocations.js';

export const POSTGRES_CHANNEL = 'parley_realtime';

/**
 * PostgreSQL rejects NOTIFY payloads of 8000 bytes or more. Larger messages travel as a
 * reference (`truncated: true`, empty payload) and subscribers fetch the event by id.
 */
export const MAX_NOTIFY_BYTES = 7999;

/**
 * LISTEN/NOTIFY through the database every node already shares. Works on the embedded
 * database too, where all subscribers share PGlite's single connection. Every node, the
 * publisher included, receives its messages back through LISTEN, so there is one delivery path.
 */
export function createPostgresBus(database: Database, options: RealtimeBusOptions = {}): RealtimeBus {
  const onError = options.onError ?? defaultErrorHandler;
  const registry = createListenerRegistry(onError);
  let starting: Promise<() => Promise<void>> | undefined;
  let closed = false;

  /** Events and revocation notices travel on two channels of the same database. */
  async function listenToBoth(): Promise<() => Promise<void>> {
    const stopEvents = await database.listen(POSTGRES_CHANNEL, (raw) => {
      if (!closed) deliverRaw(registry, raw, onError);
    });
    const stopRevocations = await listenForRevocations(
      database,
      (revocation) => {
        if (!closed) registry.deliverRevocation(revocation);
      },
      onError,
    ).catch(async (error: unknown) => {
      await stopEvents();
      throw error;
    });
    return async () => {
      await Promise.all([stopEvents(), stopRevocations()]);
    };
  }

  return {
    async publish(message) {
      await database.notify(POSTGRES_CHANNEL, encodeMessage(message, MAX_NOTIFY_BYTES));
    },
    async publishMany(messages) {
      if (messages.length === 0) return;
      // One statement for the batch: PostgreSQL delivers the notices in the order they were sent.
      const payloads = messages.map((message) => sql`${encodeMessage(message, MAX_NOTIFY_BYTES)}`);
      await database.db.execute(
        sql`SELECT pg_notify(${POSTGRES_CHANNEL}, payload) FROM unnest(ARRAY[${sql.join(payloads, sql`, `)}]::text[]) WITH ORDINALITY AS sent(payload, position) ORDER BY position`,
      );
    },
    subscribe: (accountId, listener) => registry.add(accountId, listener),
    subscribeRevocations: (listener) => registry.addRevocationListener(listener),
    async start() {
      starting ??= listenToBoth().catch((error: unknown) => {
        starting = undefined; // so that a later start() retries
        throw error;
      });
      await starting;
    },
    async close() {
      closed = true;
      registry.clear();
      const unlisten = await starting?.catch(() => undefined);
      await unlisten?.();
    },
  };
}
