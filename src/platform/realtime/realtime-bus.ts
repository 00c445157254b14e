import type { Database } from '../db/database.js';
import { createEmbeddedBus } from './embedded-bus.js';
import { createPostgresBus } from './postgres-bus.js';
import { createRedisBus } from './redis-bus.js';
import type { RevocationListener } from './revocations.js';

/**
 * Fans dispatched domain events out to the agents connected to every Parley node.
 * The event relay on one node publishes; each node's bus hands the message to its local
 * subscribers (WebSocket connections), each only for its own account.
 *
 * Delivery is best effort and at most once: a node that is disconnected from the broker
 * misses messages. Clients resynchronize by event id over the API after reconnecting.
 */
export interface RealtimeBus {
  publish(message: RealtimeMessage): Promise<void>;
  /** Publishes in order in one round trip to the broker (the relay hands over whole batches). */
  publishMany(messages: RealtimeMessage[]): Promise<void>;
  /** Returns the unsubscribe function. Listeners may subscribe before `start`. */
  subscribe(accountId: number, listener: RealtimeListener): () => void;
  /**
   * Hears every revocation (a token or key revoked, a member removed, ...) on every node, so each
   * closes the sockets admitted with it. Revocations are announced by the database at commit
   * (see revocations.ts), whichever broker carries the events. Returns the unsubscribe function.
   */
  subscribeRevocations(listener: RevocationListener): () => void;
  /** Starts receiving from the broker; idempotent. */
  start(): Promise<void>;
  /** Stops receiving and drops every listener. */
  close(): Promise<void>;
}

export interface RealtimeMessage {
  accountId: number;
  /** The domain event id. */
  id: number;
  type: string;
  /** ISO 8601 timestamp. */
  occurredAt: string;
  payload: Record<string, unknown>;
  /**
   * Set when the payload was too large for the transport (PostgreSQL NOTIFY carries under 8000
   * bytes): `payload` is then empty and subscribers should fetch event `id` over the API.
   */
  truncated?: true;
}

/** A throwing (or rejecting) listener is reported through `onError` and never affects the others. */
export type RealtimeListener = (message: RealtimeMessage) => void | Promise<void>;

/** Where listener failures and undecodable broker messages go; wire it to the logger. */
export type RealtimeErrorHandler = (
  error: unknown,
  context: { message?: RealtimeMessage; raw?: string },
) => void;

export interface RealtimeBusOptions {
  onError?: RealtimeErrorHandler;
}

export interface RevocationSourceOptions {
  /** Where revocation notices come from; without it the bus hears none (tests of events only). */
  revocationsFrom?: Database | undefined;
}

export interface CreateRealtimeBusOptions extends RealtimeBusOptions {
  database: Database;
  /** `config.REDIS_URL`: when set, Redis carries the messages; otherwise the database does. */
  redisUrl?: string | undefined;
}

/**
 * Redis when configured; else PostgreSQL LISTEN/NOTIFY on a database server, and an in-process
 * hand-over on the embedded database (whose nodes all live in this process). Revocation notices
 * always come from the database, which sends them at commit (see revocations.ts).
 */
export function createRealtimeBus(options: CreateRealtimeBusOptions): RealtimeBus {
  const busOptions = options.onError ? { onError: options.onError } : {};
  if (options.redisUrl) {
    return createRedisBus(options.redisUrl, { ...busOptions, revocationsFrom: options.database });
  }
  if (options.database.kind === 'embedded') return createEmbeddedBus(options.database, busOptions);
  return createPostgresBus(options.database, busOptions);
}
