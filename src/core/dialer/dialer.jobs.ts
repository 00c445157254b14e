import { sql } from 'drizzle-orm';
import { z } from 'zod';
import { queryRows, type Db } from '../../platform/db/database.js';
import { defineJob, enqueue, type JobDefinition } from '../../platform/jobs/index.js';
import { lockDedupeKey } from '../../platform/jobs/enqueue.js';
import { dialerTick } from './dialer-tick.js';
import type { DialerDeps } from './dialer-deps.js';
import { recordCallOfAttempt } from './ended-call.js';
import { reconcileAttempts } from './reconcile.js';
import { armDialerSweep, DIALER_QUEUE, dialerSweepTarget, SWEEP_KEY } from './dialer-sweep.js';

/**
 * The dialer's durable jobs. While there is dialling to do, a sweep runs every second: it closes
 * attempts left open by a crash and enqueues one tick per running campaign with agents logged in
 * (or calls live), each under the campaign's account so the worker's fair claiming serves every
 * account in turn. It re-arms itself only while such campaigns or live calls exist.
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
    ...dialerSweepTarget,
    handler: async (_payload, ctx) => {
      const current = deps();
      try {
        await reconcileAttempts(current, { limit: 100 });
      } catch (error) {
        current.onError?.(error, 'reconcile');
      }
      await ctx.complete(async (tx) => {
        // The lock every arming takes: work committed meanwhile is seen below, or its arming waits
        // for this commit, finds no pending sweep (this one is done in this transaction) and adds one.
        await lockDedupeKey(tx, dialerSweepTarget.name, SWEEP_KEY);
        const campaigns = await queryRows<{ id: string | number; account_id: string | number }>(
          tx,
          sql`SELECT c.id, c.account_id FROM campaigns c
              WHERE NOT c.is_paused AND NOT c.is_archived
                AND (EXISTS (SELECT 1 FROM dialer_agents a WHERE a.campaign_id = c.id AND a.state <> 'paused')
                     OR EXISTS (SELECT 1 FROM dialer_attempts t WHERE t.campaign_id = c.id AND t.ended_at IS NULL))`,
        );
        for (const row of campaigns) {
          const campaignId = Number(row.id);
          const accountId = Number(row.account_id);
          await enqueue(
            tx,
            tickJob,
            { accountId, campaignId },
            { accountId, dedupeKey: `tick:${campaignId}` },
          );
        }
        const [live] = await queryRows<{ open: boolean }>(
          tx,
          sql`SELECT EXISTS (SELECT 1 FROM dialer_attempts WHERE ended_at IS NULL) AS open`,
        );
        if (campaigns.length > 0 || live?.open) await armDialerSweep(tx);
      });
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
      // One sweep at start picks up what a stopped node left (running campaigns, open attempts);
      // it ends the chain at once when there is nothing.
      await armDialerSweep(db);
    },
  };
}
