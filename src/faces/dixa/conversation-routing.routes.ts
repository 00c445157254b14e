import { z } from 'zod';
import type { AppContext } from '../../platform/app-context.js';
import type { TypedApp } from '../../platform/http/typed-app.js';
import {
  claimConversation,
  getQueue,
  reopenConversationInQueue,
  transferConversationToQueue,
} from '../../core/routing/index.js';
import { dixaAccess } from './access.js';
import { uuidSchema } from './schemas.js';
import { agentOf, dixaConversation } from './conversation-lookup.js';

const errorBody = z.object({ message: z.string() });
const errors = { 400: errorBody, 401: errorBody, 403: errorBody, 404: errorBody, 409: errorBody };
const tags = ['dixa'];
// Dixa conversation ids are integers: Parley's per-account display id.
const conversationParams = z.object({
  conversationId: z.coerce.number().int().positive().max(Number.MAX_SAFE_INTEGER),
});
/** Seed ClaimConversationInput; `force` defaults to false, the safe choice. */
const claimInput = z.object({ agentId: uuidSchema, force: z.boolean().optional() });
/** Seed TransferConversationInput. */
const transferInput = z.object({ queueId: uuidSchema, userId: uuidSchema.optional() });
/** Seed ReopenConversationInput; the body itself is optional. */
const reopenInput = z.object({ userId: uuidSchema.optional() }).nullish();

/**
 * Claim, transfer to a queue and reopen in the queue. Dixa's reference answers all three with
 * 204 No Content; a claim of a conversation assigned to someone else without `force` is a 409.
 */
export function registerDixaConversationRoutingRoutes(app: TypedApp, ctx: AppContext): void {
  app.put(
    '/v1/conversations/:conversationId/claim',
    {
      schema: {
        tags,
        summary: 'Claim a conversation for a given agent',
        params: conversationParams,
        body: claimInput,
        response: { 204: z.null(), ...errors },
      },
    },
    async (request, reply) => {
      const access = await dixaAccess(ctx, request);
      const { accountId } = access;
      const conversation = await dixaConversation(ctx, accountId, request.params.conversationId);
      const agentUserId = await agentOf(ctx, accountId, 'agentId', request.body.agentId);
      await claimConversation(ctx.db, {
        accountId,
        conversationId: conversation.id,
        agentUserId,
        force: request.body.force ?? false,
        actor: access.actor,
      });
      return reply.status(204).send(null);
    },
  );

  app.put(
    '/v1/conversations/:conversationId/transfer/queue',
    {
      schema: {
        tags,
        summary: 'Transfer a conversation to a target queue',
        params: conversationParams,
        body: transferInput,
        response: { 204: z.null(), ...errors },
      },
    },
    async (request, reply) => {
      const access = await dixaAccess(ctx, request);
      const { accountId } = access;
      const conversation = await dixaConversation(ctx, accountId, request.params.conversationId);
      const queue = await getQueue(ctx.db, accountId, request.body.queueId);
      const { userId } = request.body;
      const byUserId = userId === undefined ? null : await agentOf(ctx, accountId, 'userId', userId);
      await transferConversationToQueue(ctx.db, {
        accountId,
        conversationId: conversation.id,
        queueId: queue.id,
        byUserId,
        actor: byUserId === null ? access.actor : { type: 'user', id: byUserId },
      });
      return reply.status(204).send(null);
    },
  );

  app.put(
    '/v1/conversations/:conversationId/reopen',
    {
      schema: {
        tags,
        summary: 'Reopen a conversation and offer it in the same queue',
        params: conversationParams,
        body: reopenInput,
        response: { 204: z.null(), ...errors },
      },
    },
    async (request, reply) => {
      const access = await dixaAccess(ctx, request);
      const { accountId } = access;
      const conversation = await dixaConversation(ctx, accountId, request.params.conversationId);
      const userId = request.body?.userId;
      const byUserId = userId === undefined ? null : await agentOf(ctx, accountId, 'userId', userId);
      await reopenConversationInQueue(ctx.db, {
        accountId,
        conversationId: conversation.id,
        byUserId,
        actor: byUserId === null ? access.actor : { type: 'user', id: byUserId },
      });
      return reply.status(204).send(null);
    },
  );
}
