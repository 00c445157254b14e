import { sql } from 'drizzle-orm';
import { z } from 'zod';
import type { Config } from './platform/config.js';
import type { Db } from './platform/db/database.js';
import { deleteInBatches } from './platform/db/batch-delete.js';
import { defineJob, enqueue } from './platform/jobs/index.js';
import { pruneIdempotencyKeys } from './platform/http/idempotency-store.js';
import type { Logger } from './platform/logger.js';
import type { LocalBlobStorage } from './platform/storage/local-blob-storage.js';

const DAY_MS = 24 * 60 * 60 * 1000;
const RUN_EVERY_MS = 60 * 60 * 1000;
const SINGLETON = 'singleton';

/**
 * Hourly pruning of what only matters for a while: finished jobs, dispatched events, settled
 * webhook deliveries and closed number-store orders past their retention, sessions no refresh can
 * revive, Idempotency-Keys past their day, and abandoned upload temp files. The job re-enqueues itself when it completes, and the dedupe key keeps
 * exactly one pending run in the cluster.
 */
export function createMaintenanceJob(deps: {
  db: Db;
  config: Config;
  logger: Logger;
  storage: LocalBlobStorage;
}) {
  const job = defineJob({
    name: 'maintenance.prune',
    queue: 'maintenance',
    payloadSchema: z.object({}),
    maxAttempts: 3,
    handler: async (_payload, ctx) => {
      const removed = await prune(deps.db, deps.config);
      const idempotencyKeys = await pruneIdempotencyKeys(deps.db);
      // Uploads cut off by a crash leave temp files that no key points to.
      const staleUploads = await deps.storage.removeStaleTempFiles();
      deps.logger.info(
        { ...removed, idempotencyKeys, staleUploads },
        'maintenance pruned old rows and files',
      );
      await ctx.complete(async (tx) => {
        await enqueue(tx, job, {}, { delayMs: RUN_EVERY_MS, dedupeKey: `${SINGLETON}-next` });
      });
    },
  });
  return {
    job,
    /** Makes sure one run is pending; safe to call from every node at every start. */
    schedule: (db: Db) => enqueue(db, job, {}, { dedupeKey: SINGLETON, delayMs: 60_000 }),
  };
}

export async function prune(
  db: Db,
  config: Pick<Config, 'PARLEY_RETENTION_DAYS' | 'PARLEY_JOB_RETENTION_DAYS'>,
) {
  // ISO strings, cast in SQL: raw-SQL Date parameters are not portable across the two drivers.
  const jobsBefore = new Date(Date.now() - config.PARLEY_JOB_RETENTION_DAYS * DAY_MS).toISOString();
  const historyBefore = new Date(Date.now() - config.PARLEY_RETENTION_DAYS * DAY_MS).toISOString();
  const jobs = await deleteInBatches(
    db,
    sql`jobs`,
    sql`state IN ('completed', 'cancelled', 'dead') AND finished_at < ${jobsBefore}::timestamptz`,
  );
  const deliveries = await deleteInBatches(
    db,
    sql`webhook_deliveries`,
    sql`state <> 'pending' AND created_at < ${historyBefore}::timestamptz`,
  );
  const events = await deleteInBatches(db, sql`events`, sql`dispatched_at < ${historyBefore}::timestamptz`);
  const sessions = await deleteInBatches(db, sql`api_sessions`, sql`refreshable_until < now()`);
  // Bought, cancelled or expired reservations (their items go with them); open ones have no closed_at.
  const storeOrders = await deleteInBatches(
    db,
    sql`did_store_orders`,
    sql`closed_at < ${historyBefore}::timestamptz`,
  );
  return { jobs, deliveries, events, sessions, storeOrders };
}
