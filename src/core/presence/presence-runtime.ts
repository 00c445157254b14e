import { z } from 'zod';
import type { Db } from '../../platform/db/database.js';
import { defineJob, enqueue } from '../../platform/jobs/index.js';
import { emptyRuntime, type ModuleRuntime, type ModuleRuntimeDeps } from '../../platform/module-runtime.js';
import { NODE_TTL_MS, sweepExpiredNodes } from './realtime-nodes.js';

const SINGLETON = 'singleton';

/**
 * Nodes holding connections sweep crashed ones on every heartbeat; this durable job does it once a
 * TTL as well, so a crashed node's agents go offline even when no live node holds a connection.
 * It re-enqueues itself on completion; the dedupe key keeps one pending run in the cluster.
 */
export function createPresenceRuntime(deps: ModuleRuntimeDeps): ModuleRuntime {
  const sweepJob = defineJob({
    name: 'presence.sweep_nodes',
    queue: 'maintenance',
    payloadSchema: z.object({}),
    maxAttempts: 3,
    handler: async (_payload, ctx) => {
      const settled = await sweepExpiredNodes(deps.db);
      if (settled > 0) deps.logger.info({ settled }, 'expired the connections of crashed nodes');
      await ctx.complete(async (tx) => {
        await enqueue(tx, sweepJob, {}, { delayMs: NODE_TTL_MS, dedupeKey: `${SINGLETON}-next` });
      });
    },
  });
  return {
    ...emptyRuntime(),
    jobs: [sweepJob],
    start: async (db: Db) => {
      await enqueue(db, sweepJob, {}, { dedupeKey: SINGLETON, delayMs: NODE_TTL_MS });
    },
  };
}
