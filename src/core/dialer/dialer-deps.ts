import type { Db } from '../../platform/db/database.js';
import type { BlobStorage } from '../../platform/storage/blob-storage.js';
import type { CallPlacer } from '../telephony/call-placer.js';
import type { Clock } from '../telephony/clock.js';

/**
 * What the engine runs on: the database, the carrier behind the `CallPlacer` port, and a clock
 * (the real one in the app, a virtual one in tests and the bench, so every timestamp the engine
 * writes and every rule it checks follow the same time).
 */
export interface DialerDeps {
  db: Db;
  placer: CallPlacer;
  clock: Clock;
  /** Where a recorded call's audio goes; without it, ended calls get no core call record. */
  storage?: BlobStorage;
  /**
   * Runs inside the transaction that ends a connected call (the app enqueues a durable job that
   * makes the core call record); without it, the record is made right after the commit when
   * `storage` is given.
   */
  onCallEnded?: (tx: Db, attempt: { accountId: number; id: number }) => Promise<void>;
  /** Called when a background step fails (a rejected `connect`, a hang-up); defaults to ignoring. */
  onError?: (error: unknown, context: string) => void;
}

/** An answered call waits this long for an agent; after it, the call counts as abandoned. */
export const CONNECT_GRACE_MS = 2_000;

/** No contact is dialled again within this many hours of its last attempt, unless it asked for a callback. */
export const MIN_HOURS_BETWEEN_ATTEMPTS = 72;

/** The rolling window the abandonment cap is measured over. */
export const ABANDON_WINDOW_DAYS = 30;

/** Wrap-up statuses after which the contact is never dialled again. */
export const FINAL_WRAPUP_STATUSES = ['argued', 'arguedpositive', 'nonargued'] as const;

export function reportError(deps: Pick<DialerDeps, 'onError'>, error: unknown, context: string): void {
  deps.onError?.(error, context);
}
