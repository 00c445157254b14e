import { sql } from 'drizzle-orm';
import { z } from 'zod';
import { queryRows, type Db } from '../../platform/db/database.js';
import { defineJob, enqueue, type JobDefinition } from '../../platform/jobs/index.js';
import { findPendingDuplicate, lockDedupeKey } from '../../platform/jobs/enqueue.js';
import { dialerTick } from './dialer-tick.js';
import type { DialerDeps } from './dialer-deps.js';
import { recordCallOfAttempt } from './ended-call.js';
import { reconcileAttempts } from './reconcile.js';

/** Dialling is latency-sensitive: its own queue, so bulk work (imports, webhooks) cannot delay a tick. */
export const DIALER_QUEUE = 'dialer';
/** How often running campaigns are ticked. */
export const TICK_EVERY_MS = 1_000;
const SWEEP_NAME = 'dialer.sweep';

/**
 * The dialer's durable jobs. A sweep runs every second: it enqueues one tick per running campaign
 * with agents logged in (or calls live), each under the campaign's account so the worker's fair
 * claiming serves every account in turn, and it closes attempts left open by a crash. The sweep
 * re-arms itself under the other of two keys (a running job still counts as pending for its own).
 */
export function createDialerJobs(deps: () => DialerDeps): {
  jobs: JobDefinition<never, unknown>[];
  schedule(db: Db): Promise<void>;
  /** For `DialerDeps.onCallEnded`: the core call record of an ended call is made by a durable job. */
  onCallEnded(tx: Db, attempt: { accountId: number; id: number }): Promise<void>;
} {
  const tickJob = defineJob({
    name: 'dialer.tick',
    queue: DIALER_QUEUE,
    maxAttempts: 1,
    payloadSchema: z.object({ accountId: z.number().int(), campaignId: z.number().int() }),
    handler: async (payload) => {
      await dialerTick(deps(), payload.campaignId, payload.accountId);
    },
  });

  const recordCallJob = defineJob({
    name: 'dialer.record-call',
    queue: DIALER_QUEUE,
    payloadSchema: z.object({ accountId: z.number().int(), attemptId: z.number().int() }),
    handler: async (payload) => {
      const { db, storage } = deps();
      if (storage) await recordCallOfAttempt({ db, storage }, payload);
    },
  });

  const sweepJob = defineJob({
    name: SWEEP_NAME,
    queue: DIALER_QUEUE,
    maxAttempts: 3,
    payloadSchema: z.object({ parity: z.number().int().min(0).max(1).default(0) }),
    handler: async (payload) => {
      const current = deps();
      try {
        const campaigns = await queryRows<{ id: string | number; account_id: string | number }>(
          current.db,
          sql`SELECT c.id, c.account_id FROM campaigns c
              WHERE NOT c.is_paused AND NOT c.is_archived
                AND (EXISTS (SELECT 1 FROM dialer_agents a WHERE a.campaign_id = c.id AND a.state <> 'paused')
                     OR EXISTS (SELECT 1 FROM dialer_attempts t WHERE t.campaign_id = c.id AND t.ended_at IS NULL))`,
        );
        for (const row of campaigns) {
          const campaignId = Number(row.id);
          const accountId = Number(row.account_id);
          await enqueue(
            current.db,
            tickJob,
            { accountId, campaignId },
            { accountId, dedupeKey: `tick:${campaignId}` },
          );
        }
        await reconcileAttempts(current, { limit: 100 });
      } finally {
        const next = 1 - payload.parity;
        await enqueue(
          current.db,
          sweepJob,
          { parity: next },
          { delayMs: TICK_EVERY_MS, dedupeKey: `sweep:${next}` },
        );
      }
    },
  });

  return {
    jobs: [tickJob, recordCallJob, sweepJob] as JobDefinition<never, unknown>[],
    async onCallEnded(tx, attempt) {
      await enqueue(
        tx,
        recordCallJob,
        { accountId: attempt.accountId, attemptId: attempt.id },
        { accountId: attempt.accountId },
      );
    },
    async schedule(db) {
      // One chain of sweeps whatever the number of nodes and restarts: none is started while one is pending.
      await db.transaction(async (tx) => {
        await lockDedupeKey(tx, SWEEP_NAME, 'chain');
        for (const key of ['sweep:0', 'sweep:1']) {
          if ((await findPendingDuplicate(tx, SWEEP_NAME, key)) !== undefined) return;
        }
        await enqueue(tx, sweepJob, { parity: 0 }, { delayMs: TICK_EVERY_MS, dedupeKey: 'sweep:0' });
      });
    },
  };
}
