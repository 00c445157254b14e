import { z } from 'zod';
import type { AppContext } from '../../platform/app-context.js';
import type { TypedApp } from '../../platform/http/typed-app.js';
import {
  addQueueMembers,
  createQueue,
  findAgentIdsByUuid,
  findAgentUuids,
  getQueue,
  listQueueMembers,
  listQueues,
  listQueueUsages,
  removeQueueMembers,
} from '../../core/routing/index.js';
import { dixaAccess } from './access.js';
import { dataOf, uuidParams, uuidSchema } from './schemas.js';
import {
  bulkOutcomeSchema,
  createQueueInputSchema,
  dixaQueueSchema,
  failed,
  succeeded,
  toDixaQueue,
  type BulkOutcome,
} from './queues.map.js';

const errorBody = z.object({ message: z.string() });
const errors = { 400: errorBody, 401: errorBody, 403: errorBody, 404: errorBody, 409: errorBody };
const tags = ['dixa'];
const queueParams = uuidParams('queueId');
const queueOutput = z.object({ data: dixaQueueSchema });
const membersOutput = z.object({
  data: z.array(z.object({ agentId: z.string(), priority: z.number().int().optional() })),
});
const bulkOutput = z.object({ data: z.array(bulkOutcomeSchema) });
/** Seed BulkQueueEndpointInput; removal takes "up to 10 members" per the seed. */
const assignInput = z.object({ agentIds: z.array(uuidSchema).min(1).max(500) });
const removeInput = z.object({ agentIds: z.array(uuidSchema).min(1).max(10) });

/**
 * Queues and their members. Status codes follow Dixa's public reference where the seed is silent:
 * 201 for a created queue, 200 with per-agent outcomes for member changes.
 */
export function registerDixaQueueRoutes(app: TypedApp, ctx: AppContext): void {
  app.get(
    '/v1/queues',
    {
      schema: {
        tags,
        summary: 'List all queues in an organization',
        response: { 200: z.object({ data: z.array(dixaQueueSchema) }), ...errors },
      },
    },
    async (request) => {
      const { accountId } = await dixaAccess(ctx, request);
      const queues = await listQueues(ctx.db, accountId);
      const usages = await listQueueUsages(
        ctx.db,
        accountId,
        queues.map((queue) => queue.id),
      );
      return dataOf(queues.map((queue) => toDixaQueue(queue, usages)));
    },
  );

  app.post(
    '/v1/queues',
    {
      schema: {
        tags,
        summary: 'Create a queue',
        body: createQueueInputSchema,
        response: { 201: queueOutput, ...errors },
      },
    },
    async (request, reply) => {
      const { accountId, actor } = await dixaAccess(ctx, request, { isAdminOnly: true });
      const { offerAlgorithm, ...settings } = request.body.request;
      const queue = await createQueue(
        ctx.db,
        { ...settings, offeringAlgorithm: offerAlgorithm, accountId },
        actor,
      );
      return reply.status(201).send(dataOf(toDixaQueue(queue, [])));
    },
  );

  app.get(
    '/v1/queues/:queueId',
    {
      schema: {
        tags,
        summary: 'Get a queue by id',
        params: queueParams,
        response: { 200: queueOutput, ...errors },
      },
    },
    async (request) => {
      const { accountId } = await dixaAccess(ctx, request);
      const queue = await getQueue(ctx.db, accountId, request.params.queueId);
      return dataOf(toDixaQueue(queue, await listQueueUsages(ctx.db, accountId, [queue.id])));
    },
  );

  app.get(
    '/v1/queues/:queueId/members',
    {
      schema: {
        tags,
        summary: 'List the agents/admins that are members of a queue',
        params: queueParams,
        response: { 200: membersOutput, ...errors },
      },
    },
    async (request) => {
      const { accountId } = await dixaAccess(ctx, request);
      const queue = await getQueue(ctx.db, accountId, request.params.queueId);
      const members = await listQueueMembers(ctx.db, accountId, queue.id);
      const uuids = await findAgentUuids(
        ctx.db,
        members.map((member) => member.userId),
      );
      return dataOf(
        members.flatMap((member) => {
          const agentId = uuids.get(member.userId);
          return agentId ? [{ agentId, priority: member.priority }] : [];
        }),
      );
    },
  );

  app.patch(
    '/v1/queues/:queueId/members',
    {
      schema: {
        tags,
        summary: 'Assign one or more agents/admins to a queue',
        params: queueParams,
        body: assignInput,
        response: { 200: bulkOutput, ...errors },
      },
    },
    async (request) => {
      const { accountId, actor } = await dixaAccess(ctx, request, { isAdminOnly: true });
      const queue = await getQueue(ctx.db, accountId, request.params.queueId);
      const known = await findAgentIdsByUuid(ctx.db, accountId, request.body.agentIds);
      const userIds = [...new Set(request.body.agentIds.flatMap((uuid) => known.get(uuid) ?? []))];
      await addQueueMembers(
        ctx.db,
        {
          accountId,
          queueId: queue.id,
          members: userIds.map((userId) => ({ userId })),
        },
        actor,
      );
      return dataOf(request.body.agentIds.map((uuid) => outcomeOf(uuid, known.has(uuid))));
    },
  );

  app.delete(
    '/v1/queues/:queueId/members',
    {
      schema: {
        tags,
        summary: 'Remove agents/admins from a queue',
        params: queueParams,
        body: removeInput,
        response: { 200: bulkOutput, ...errors },
      },
    },
    async (request) => {
      const { accountId, actor } = await dixaAccess(ctx, request, { isAdminOnly: true });
      const queue = await getQueue(ctx.db, accountId, request.params.queueId);
      const known = await findAgentIdsByUuid(ctx.db, accountId, request.body.agentIds);
      const removed = new Set(
        await removeQueueMembers(
          ctx.db,
          {
            accountId,
            queueId: queue.id,
            userIds: [...new Set(request.body.agentIds.flatMap((uuid) => known.get(uuid) ?? []))],
          },
          actor,
        ),
      );
      return dataOf(
        request.body.agentIds.map((uuid): BulkOutcome => {
          const userId = known.get(uuid);
          if (userId === undefined) return outcomeOf(uuid, false);
          return removed.has(userId)
            ? succeeded(uuid)
            : failed(uuid, 'Agent is not a member of the queue', 'NotFound');
        }),
      );
    },
  );
}

function outcomeOf(uuid: string, isKnown: boolean): BulkOutcome {
  return isKnown ? succeeded(uuid) : failed(uuid, 'User not found', 'NotFound');
}
