import { z } from 'zod';
import type { Db } from '../../platform/db/database.js';
import { enqueue, type JobTarget } from '../../platform/jobs/index.js';

/** Dialling is latency-sensitive: its own queue, so bulk work (imports, webhooks) cannot delay a tick. */
export const DIALER_QUEUE = 'dialer';
/** How often running campaigns are ticked. */
export const TICK_EVERY_MS = 1_000;
/** The one key of the sweep chain: at most one sweep is pending at a time. */
export const SWEEP_KEY = 'sweep';

/** The sweep job's identity; its handler, which needs the dialer engine, is built in dialer.jobs.ts. */
export const dialerSweepTarget = {
  name: 'dialer.sweep',
  queue: DIALER_QUEUE,
  maxAttempts: 3,
  // Sweeps of the former two-key chain carried `{ parity }`; the object schema drops it.
  payloadSchema: z.object({}),
} satisfies JobTarget<Record<string, never>>;

/**
 * Makes sure a sweep is pending, in the caller's transaction: called wherever the dialer may
 * have work (a campaign starts, an agent joins or becomes available, the process starts). The
 * sweep re-arms itself only while campaigns run with agents or calls are live, so an idle
 * instance runs no dialer job at all.
 */
export async function armDialerSweep(db: Db): Promise<void> {
  await enqueue(db, dialerSweepTarget, {}, { delayMs: TICK_EVERY_MS, dedupeKey: SWEEP_KEY });
}
