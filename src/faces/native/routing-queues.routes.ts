import { z } from 'zod';
import type { AppContext } from '../../platform/app-context.js';
import type { TypedApp } from '../../platform/http/typed-app.js';
import { accountAccess } from '../shared/access.js';
import { getQueueById, listQueueUsages, setQueueUsages } from '../../core/routing/index.js';
import { accountParams, commonErrors, idParam } from './schemas.js';

const tags = ['routing'];
const queueParams = accountParams.extend({ queueId: idParam });

const usagesSchema = z.object({
  queueId: z.number(),
  /** The inboxes (contact endpoints) whose new conversations wait in this queue. */
  inboxIds: z.array(z.number()),
});

const usagesInput = z.object({ inboxIds: z.array(idParam).max(1000) });

async function usagesOf(ctx: AppContext, accountId: number, queueId: number) {
  const rows = await listQueueUsages(ctx.db, accountId, [queueId]);
  return { queueId, inboxIds: rows.map((row) => row.inboxId) };
}

/**
 * Which inboxes feed a routing queue. Dixa shows a queue's usages but has no operation to change
 * them (its admin UI does), so this is Parley's own: replacing the list moves each named inbox here
 * from any other queue, and the inboxes' round-robin auto-assignment then stands aside for the queue.
 */
export function registerNativeRoutingQueueRoutes(app: TypedApp, ctx: AppContext): void {
  const path = '/v1/accounts/:accountId/routing-queues/:queueId/usages';

  app.get(
    path,
    {
      schema: {
        tags,
        summary: 'List the inboxes that feed a routing queue',
        params: queueParams,
        response: { 200: usagesSchema, ...commonErrors },
      },
    },
    async (request) => {
      const { accountId } = await accountAccess(ctx.db, request, request.params.accountId);
      const queue = await getQueueById(ctx.db, accountId, request.params.queueId);
      return usagesOf(ctx, accountId, queue.id);
    },
  );

  app.put(
    path,
    {
      schema: {
        tags,
        summary: 'Replace the inboxes that feed a routing queue (administrators)',
        params: queueParams,
        body: usagesInput,
        response: { 200: usagesSchema, ...commonErrors },
      },
    },
    async (request) => {
      const { accountId, actor } = await accountAccess(ctx.db, request, request.params.accountId, {
        isAdminOnly: true,
      });
      await setQueueUsages(
        ctx.db,
        {
          accountId,
          queueId: request.params.queueId,
          inboxIds: [...new Set(request.body.inboxIds)],
        },
        actor,
      );
      return usagesOf(ctx, accountId, request.params.queueId);
    },
  );
}
