import { sql } from 'drizzle-orm';
import { z } from 'zod';
import { queryRows, type Db } from '../../platform/db/database.js';
import { defineJob, enqueue } from '../../platform/jobs/index.js';
import { dispatchQueue, listQueuesWithWaiting } from './dispatch.js';
import { expireOffer } from './offers.js';

/** Offers are latency-sensitive: their own queue, so bulk work cannot delay them. */
export const ROUTING_QUEUE = 'routing';
/** How often the sweep looks for conversations still waiting, in case a trigger was missed. */
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

/** The safety net: every account with waiting conversations gets a dispatch pass; then it re-arms. */
export const sweepJob = defineJob({
  name: 'routing.sweep',
  queue: ROUTING_QUEUE,
  payloadSchema: z.object({}),
  maxAttempts: 3,
  handler: async (_payload, ctx) => {
    await ctx.complete(async (tx) => {
      const accounts = await queryRows<{ account_id: string | number }>(
        tx,
        sql`SELECT DISTINCT account_id FROM routing_entries WHERE state = 'waiting'`,
      );
      for (const row of accounts) await scheduleRetry(tx, Number(row.account_id), { isDeduplicated: true });
      await enqueue(tx, sweepJob, {}, { delayMs: SWEEP_EVERY_MS, dedupeKey: 'sweep-next' });
    });
  },
});

export const routingJobs = [dispatchQueueJob, dispatchAccountJob, expireOfferJob, sweepJob];

/** Makes sure one sweep is pending; safe on every node at every start. */
export async function scheduleSweep(db: Db): Promise<void> {
  await enqueue(db, sweepJob, {}, { dedupeKey: 'sweep', delayMs: SWEEP_EVERY_MS });
}

/**
 * One pending pass per queue and quarter second is enough (a pass takes every waiting entry); the
 * time bucket keeps a pass that is already running from swallowing the request of a newer entry.
 */
export async function scheduleQueueDispatch(tx: Db, accountId: number, queueId: number): Promise<void> {
  const bucket = Math.floor(Date.now() / 250);
  await enqueue(
    tx,
    dispatchQueueJob,
    { accountId, queueId },
    { accountId, dedupeKey: `queue:${queueId}:${bucket}` },
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
