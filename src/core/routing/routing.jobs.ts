import { sql } from 'drizzle-orm';
import { z } from 'zod';
import { queryRows, type Db } from '../../platform/db/database.js';
import { defineJob, enqueue } from '../../platform/jobs/index.js';
import { lockDedupeKey } from '../../platform/jobs/enqueue.js';
import { dispatchQueue, listQueuesWithWaiting } from './dispatch.js';
import { expireOffer } from './offers.js';
import { checkQueueAlerts } from './queue-alerts.js';

/** Offers are latency-sensitive: their own queue, so bulk work cannot delay them. */
export const ROUTING_QUEUE = 'routing';
/** How often an account's sweep looks for conversations still waiting, in case a trigger was missed. */
export const SWEEP_EVERY_MS = 1_000;

const accountQueueSchema = z.object({ accountId: z.number().int(), queueId: z.number().int() });

/** Offers the waiting conversations of one queue; idempotent (it reads the rows' state). */
export const dispatchQueueJob = defineJob({
  name: 'routing.dispatch-queue',
  queue: ROUTING_QUEUE,
  payloadSchema: accountQueueSchema,
  handler: async (payload, ctx) => {
    await ctx.complete(async (tx) => {
      const { hasMore } = await dispatchQueue(tx, payload.accountId, payload.queueId);
      if (hasMore) await scheduleQueueDispatch(tx, payload.accountId, payload.queueId);
    });
  },
});

/** Re-tries every waiting conversation of an account: an agent came online or freed capacity. */
export const dispatchAccountJob = defineJob({
  name: 'routing.dispatch-account',
  queue: ROUTING_QUEUE,
  payloadSchema: z.object({ accountId: z.number().int() }),
  handler: async (payload, ctx) => {
    await ctx.complete(async (tx) => {
      for (const queueId of await listQueuesWithWaiting(tx, payload.accountId)) {
        const { hasMore } = await dispatchQueue(tx, payload.accountId, queueId);
        if (hasMore) await scheduleQueueDispatch(tx, payload.accountId, queueId);
      }
    });
  },
});

/** Fires at an offer's expiry; a no-op when the offer was answered first. */
export const expireOfferJob = defineJob({
  name: 'routing.expire-offer',
  queue: ROUTING_QUEUE,
  payloadSchema: z.object({ accountId: z.number().int(), offerId: z.number().int() }),
  handler: async (payload, ctx) => {
    await ctx.complete((tx) => expireOffer(tx, payload.accountId, payload.offerId));
  },
});

const SWEEP_ACCOUNT_JOB = 'routing.sweep-account';
const sweepKeyOf = (accountId: number) => `sweep:${accountId}`;

/**
 * The safety net of one account, armed by every enqueue: while conversations wait it asks for a
 * dispatch pass (in case a trigger was missed), and it re-arms itself only while entries are live,
 * so an idle account (or node, or test app) runs no sweep at all.
 */
export const sweepAccountJob = defineJob({
  name: SWEEP_ACCOUNT_JOB,
  queue: ROUTING_QUEUE,
  payloadSchema: z.object({ accountId: z.number().int() }),
  maxAttempts: 3,
  handler: async (payload, ctx) => {
    await ctx.complete(async (tx) => {
      const { accountId } = payload;
      // The lock an enqueue's arming takes: an entry committed meanwhile is counted below, or its
      // arming waits for this commit and then finds no pending sweep and inserts one.
      await lockDedupeKey(tx, SWEEP_ACCOUNT_JOB, sweepKeyOf(accountId));
      const [live] = await queryRows<{ waiting: boolean; live: boolean }>(
        tx,
        sql`SELECT
              EXISTS (SELECT 1 FROM routing_entries
                      WHERE account_id = ${accountId} AND state = 'waiting') AS waiting,
              EXISTS (SELECT 1 FROM routing_entries
                      WHERE account_id = ${accountId} AND state IN ('waiting', 'offered')) AS live`,
      );
      if (live?.waiting) await scheduleRetry(tx, accountId, { isDeduplicated: true });
      // Queue alerts move with waiting conversations: checked on each tick, and once more as the last leaves.
      await checkQueueAlerts(tx, accountId);
      if (live?.live) await armAccountSweep(tx, accountId);
    });
  },
});

/**
 * Runs once per start: arms the sweep of every account with live entries (entries left by a node
 * that stopped, or enqueued before the sweep was per account). It does not re-arm itself.
 */
export const sweepJob = defineJob({
  name: 'routing.sweep',
  queue: ROUTING_QUEUE,
  payloadSchema: z.object({}),
  maxAttempts: 3,
  handler: async (_payload, ctx) => {
    await ctx.complete(async (tx) => {
      const accounts = await queryRows<{ account_id: string | number }>(
        tx,
        sql`SELECT DISTINCT account_id FROM routing_entries WHERE state IN ('waiting', 'offered')`,
      );
      for (const row of accounts) await armAccountSweep(tx, Number(row.account_id));
    });
  },
});

export const routingJobs = [dispatchQueueJob, dispatchAccountJob, expireOfferJob, sweepAccountJob, sweepJob];

/** Makes sure the start-up pass is pending; safe on every node at every start. */
export async function scheduleSweep(db: Db): Promise<void> {
  await enqueue(db, sweepJob, {}, { dedupeKey: 'sweep' });
}

/** One pending sweep per account; called in the transaction that makes an entry live. */
export async function armAccountSweep(tx: Db, accountId: number): Promise<void> {
  await enqueue(
    tx,
    sweepAccountJob,
    { accountId },
    { accountId, delayMs: SWEEP_EVERY_MS, dedupeKey: sweepKeyOf(accountId) },
  );
}

/**
 * One pending pass per queue and quarter second is enough (a pass takes every waiting entry); the
 * time bucket keeps a pass that is already running from swallowing the request of a newer entry.
 * `afterMs` asks for a pass when an entry's wait for its reserved agent ends: one pending per entry.
 */
export async function scheduleQueueDispatch(
  tx: Db,
  accountId: number,
  queueId: number,
  wake?: { afterMs: number; entryId: number },
): Promise<void> {
  const dedupeKey = wake ? `hold:${wake.entryId}` : `queue:${queueId}:${Math.floor(Date.now() / 250)}`;
  await enqueue(
    tx,
    dispatchQueueJob,
    { accountId, queueId },
    { accountId, dedupeKey, ...(wake && { delayMs: Math.ceil(wake.afterMs) }) },
  );
}

/** A pass over the account's waiting conversations, soon after this transaction commits. */
export async function scheduleRetry(
  tx: Db,
  accountId: number,
  options: { isDeduplicated?: boolean } = {},
): Promise<void> {
  await enqueue(
    tx,
    dispatchAccountJob,
    { accountId },
    { accountId, ...(options.isDeduplicated && { dedupeKey: `account:${accountId}` }) },
  );
}

export async function scheduleOfferExpiry(
  tx: Db,
  input: { accountId: number; offerId: number; delayMs: number },
): Promise<void> {
  await enqueue(
    tx,
    expireOfferJob,
    { accountId: input.accountId, offerId: input.offerId },
    { accountId: input.accountId, delayMs: input.delayMs },
  );
}
