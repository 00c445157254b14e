import { z } from 'zod';
import type { AppContext } from '../../platform/app-context.js';
import type { TypedApp } from '../../platform/http/typed-app.js';
import { notFound } from '../../platform/errors.js';
import { accountAccess } from '../shared/access.js';
import {
  addQueueMembers,
  getQueueById,
  listQueueMembers,
  removeQueueMembers,
} from '../../core/routing/index.js';
import { getAgent, listAgentsByIds } from '../../core/identity/agents.js';
import { accountParams, commonErrors, idParam } from './schemas.js';
import { queueMemberSchema, toQueueMemberDto } from './routing-queues.map.js';

const tags = ['routing'];
const queueParams = accountParams.extend({ queueId: idParam });
const memberParams = queueParams.extend({ userId: idParam });
const membersOutput = z.object({ data: z.array(queueMemberSchema) });
const memberInput = z.strictObject({
  priority: z
    .number()
    .int()
    .min(1)
    .max(100)
    .default(1)
    .describe('Tier for the AgentPriority algorithms: 1 is offered first'),
});

/**
 * Who a queue offers its conversations to, one agent at a time by user id (the Dixa face does the
 * same by agent uuid, in bulk). Adding someone already a member changes their priority.
 */
export function registerNativeRoutingQueueMemberRoutes(app: TypedApp, ctx: AppContext): void {
  const base = '/v1/accounts/:accountId/routing-queues/:queueId/members';

  async function membersOf(accountId: number, queueId: number) {
    const members = await listQueueMembers(ctx.db, accountId, queueId);
    const agents = new Map(
      (
        await listAgentsByIds(
          ctx.db,
          accountId,
          members.map((member) => member.userId),
        )
      ).map((agent) => [agent.userId, agent]),
    );
    // Ordered by priority then user id, as the core lists them; people who left the account drop out.
    return members.flatMap((member) => {
      const agent = agents.get(member.userId);
      return agent ? [toQueueMemberDto(agent, member.priority)] : [];
    });
  }

  app.get(
    base,
    {
      schema: {
        tags,
        summary: "List a routing queue's members with their priority and presence",
        params: queueParams,
        response: { 200: membersOutput, ...commonErrors },
      },
    },
    async (request) => {
      const { accountId } = await accountAccess(ctx.db, request, request.params.accountId);
      const queue = await getQueueById(ctx.db, accountId, request.params.queueId);
      return { data: await membersOf(accountId, queue.id) };
    },
  );

  app.put(
    `${base}/:userId`,
    {
      schema: {
        tags,
        summary: 'Add an agent to a routing queue, or change their priority there (administrators)',
        params: memberParams,
        body: memberInput,
        response: { 200: membersOutput, ...commonErrors },
      },
    },
    async (request) => {
      const { accountId, actor } = await accountAccess(ctx.db, request, request.params.accountId, {
        isAdminOnly: true,
      });
      const queue = await getQueueById(ctx.db, accountId, request.params.queueId);
      // Only the account's own people: another account's user is not found, as any foreign id.
      const agent = await getAgent(ctx.db, accountId, request.params.userId);
      await addQueueMembers(
        ctx.db,
        {
          accountId,
          queueId: queue.id,
          members: [{ userId: agent.userId, priority: request.body.priority }],
        },
        actor,
      );
      return { data: await membersOf(accountId, queue.id) };
    },
  );

  app.delete(
    `${base}/:userId`,
    {
      schema: {
        tags,
        summary: 'Remove an agent from a routing queue (administrators)',
        params: memberParams,
        response: { 200: membersOutput, ...commonErrors },
      },
    },
    async (request) => {
      const { accountId, actor } = await accountAccess(ctx.db, request, request.params.accountId, {
        isAdminOnly: true,
      });
      const queue = await getQueueById(ctx.db, accountId, request.params.queueId);
      const removed = await removeQueueMembers(
        ctx.db,
        {
          accountId,
          queueId: queue.id,
          userIds: [request.params.userId],
        },
        actor,
      );
      if (removed.length === 0) throw notFound('Queue member');
      return { data: await membersOf(accountId, queue.id) };
    },
  );
}
