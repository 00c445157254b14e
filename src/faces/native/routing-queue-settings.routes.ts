import { z } from 'zod';
import type { AppContext } from '../../platform/app-context.js';
import type { TypedApp } from '../../platform/http/typed-app.js';
import { accountAccess } from '../shared/access.js';
import { createQueue, getQueueById, listQueues } from '../../core/routing/index.js';
import { listQueueLiveStats } from '../../core/routing/queue-live-stats.js';
import { updateQueue } from '../../core/routing/update-queue.js';
import { accountParams, commonErrors, idParam } from './schemas.js';
import { createQueueInput, queueSchema, toQueueDto, updateQueueInput } from './routing-queues.map.js';

const tags = ['routing'];
const queueParams = accountParams.extend({ queueId: idParam });

/**
 * Routing queues with their live figures, for the web app's queues screen and any client: every
 * member reads them (as on the Dixa face), administrators create and change them. The same rows
 * the Dixa face shows: a queue made there is listed and edited here, and the other way round.
 */
export function registerNativeRoutingQueueSettingsRoutes(app: TypedApp, ctx: AppContext): void {
  const base = '/v1/accounts/:accountId/routing-queues';

  app.get(
    base,
    {
      schema: {
        tags,
        summary: "List the account's routing queues with their live figures",
        params: accountParams,
        response: { 200: z.object({ data: z.array(queueSchema) }), ...commonErrors },
      },
    },
    async (request) => {
      const { accountId } = await accountAccess(ctx.db, request, request.params.accountId);
      const [queues, live] = await Promise.all([
        listQueues(ctx.db, accountId),
        listQueueLiveStats(ctx.db, accountId),
      ]);
      return { data: queues.map((queue) => toQueueDto(queue, live.get(queue.id))) };
    },
  );

  app.post(
    base,
    {
      schema: {
        tags,
        summary: 'Create a routing queue (administrators)',
        params: accountParams,
        body: createQueueInput,
        response: { 201: queueSchema, ...commonErrors },
      },
    },
    async (request, reply) => {
      const { accountId, actor } = await accountAccess(ctx.db, request, request.params.accountId, {
        isAdminOnly: true,
      });
      const queue = await createQueue(
        ctx.db,
        {
          ...request.body,
          accountId,
          isDoNotOfferEnabled: false,
          callFunctionality: false,
        },
        actor,
      );
      return reply.status(201).send(toQueueDto(queue, undefined));
    },
  );

  app.get(
    `${base}/:queueId`,
    {
      schema: {
        tags,
        summary: 'Get a routing queue with its live figures',
        params: queueParams,
        response: { 200: queueSchema, ...commonErrors },
      },
    },
    async (request) => {
      const { accountId } = await accountAccess(ctx.db, request, request.params.accountId);
      const queue = await getQueueById(ctx.db, accountId, request.params.queueId);
      const live = await listQueueLiveStats(ctx.db, accountId, { queueId: queue.id });
      return toQueueDto(queue, live.get(queue.id));
    },
  );

  app.patch(
    `${base}/:queueId`,
    {
      schema: {
        tags,
        summary:
          "Change a routing queue's name, offering algorithm, offer and wrap-up timeouts or priority (administrators)",
        params: queueParams,
        body: updateQueueInput,
        response: { 200: queueSchema, ...commonErrors },
      },
    },
    async (request) => {
      const { accountId, actor } = await accountAccess(ctx.db, request, request.params.accountId, {
        isAdminOnly: true,
      });
      const queue = await updateQueue(
        ctx.db,
        {
          accountId,
          queueId: request.params.queueId,
          changes: request.body,
        },
        actor,
      );
      const live = await listQueueLiveStats(ctx.db, accountId, { queueId: queue.id });
      return toQueueDto(queue, live.get(queue.id));
    },
  );
}
