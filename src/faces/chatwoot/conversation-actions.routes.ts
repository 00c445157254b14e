import type { FastifyRequest } from 'fastify';
import { z } from 'zod';
import { jsonObject } from '../../platform/http/bounded-json.js';
import type { AppContext } from '../../platform/app-context.js';
import type { TypedApp } from '../../platform/http/typed-app.js';
import { DomainError } from '../../platform/errors.js';
import {
  assignConversation,
  setConversationCustomAttributes,
  setConversationLabels,
  setConversationPriority,
  toggleConversationStatus,
} from '../../core/conversations/index.js';
import { getAgent } from '../../core/identity/agents.js';
import { getTeam } from '../../core/teams/teams.js';
import { validateCustomAttributeValues } from '../../core/custom-attributes/validate-values.js';
import { chatwootConversationSchema } from './serializers/conversation.js';
import { chatwootAgentSchema, toChatwootAgent } from './serializers/agent.js';
import { chatwootTeamSchema, toChatwootTeam } from './serializers/team.js';
import {
  conversationParams,
  errorResponses,
  id,
  loadConversationFor,
  renderConversation,
} from './conversation-scope.js';

const nullablePriority = z
  .enum(['urgent', 'high', 'medium', 'low', 'none'])
  .nullable()
  .transform((value) => (value === 'none' ? null : value));

/** The per-conversation actions: status, priority, attributes, labels, assignment. */
export function registerConversationActions(app: TypedApp, ctx: AppContext): void {
  const base = '/api/v1/accounts/:account_id/conversations/:conversation_id';
  const load = (
    request: FastifyRequest,
    params: z.infer<typeof conversationParams>,
    allowsAgentBot = false,
  ) => loadConversationFor(ctx, request, params, allowsAgentBot);

  app.patch(
    base,
    {
      schema: {
        tags: ['chatwoot'],
        params: conversationParams,
        body: z.object({ priority: nullablePriority.optional(), sla_policy_id: z.number().optional() }),
        response: { 200: chatwootConversationSchema, ...errorResponses },
      },
    },
    async (request) => {
      const { access, row } = await load(request, request.params, true);
      const { priority } = request.body;
      const updated =
        priority === undefined
          ? row
          : await ctx.db.transaction((tx) =>
              setConversationPriority(tx, {
                accountId: access.accountId,
                conversationId: row.id,
                priority,
                actor: access.actor,
              }),
            );
      return renderConversation(ctx, updated);
    },
  );

  app.post(
    `${base}/toggle_status`,
    {
      schema: {
        tags: ['chatwoot'],
        params: conversationParams,
        body: z
          .object({
            status: z.enum(['open', 'resolved', 'pending', 'snoozed']).optional(),
            // Unix seconds, up to 9999-12-31: much larger values overflow Date (a 500 the fuzz pass found).
            snoozed_until: z.number().int().positive().max(253_402_300_799).nullable().optional(),
          })
          .default({}),
        response: {
          200: z.object({
            meta: z.object({}),
            payload: z.object({
              success: z.boolean(),
              current_status: z.string(),
              conversation_id: z.number(),
            }),
          }),
          ...errorResponses,
        },
      },
    },
    async (request) => {
      const { access, row } = await load(request, request.params, true);
      const { status, snoozed_until: snoozedUntil } = request.body;
      const updated = await ctx.db.transaction((tx) =>
        toggleConversationStatus(tx, {
          accountId: access.accountId,
          conversationId: row.id,
          status,
          snoozedUntil: snoozedUntil ? new Date(snoozedUntil * 1000) : null,
          actor: access.actor,
        }),
      );
      return {
        meta: {},
        payload: { success: true, current_status: updated.status, conversation_id: updated.displayId },
      };
    },
  );

  app.post(
    `${base}/toggle_priority`,
    {
      schema: {
        tags: ['chatwoot'],
        params: conversationParams,
        body: z.object({ priority: nullablePriority }),
        response: { 200: z.null(), ...errorResponses },
      },
    },
    async (request, reply) => {
      const { access, row } = await load(request, request.params, true);
      await ctx.db.transaction((tx) =>
        setConversationPriority(tx, {
          accountId: access.accountId,
          conversationId: row.id,
          priority: request.body.priority,
          actor: access.actor,
        }),
      );
      // Chatwoot answers `head :ok`.
      return reply.status(200).send(null);
    },
  );

  app.post(
    `${base}/custom_attributes`,
    {
      schema: {
        tags: ['chatwoot'],
        params: conversationParams,
        body: z.object({ custom_attributes: jsonObject() }),
        response: {
          200: z.object({ custom_attributes: z.record(z.string(), z.unknown()) }),
          ...errorResponses,
        },
      },
    },
    async (request) => {
      const { access, row } = await load(request, request.params);
      const values = request.body.custom_attributes;
      await validateCustomAttributeValues(ctx.db, access.accountId, 'conversation', values);
      const updated = await ctx.db.transaction((tx) =>
        setConversationCustomAttributes(tx, {
          accountId: access.accountId,
          conversationId: row.id,
          customAttributes: values,
          actor: access.actor,
        }),
      );
      return { custom_attributes: updated.customAttributes };
    },
  );

  const labelsSchema = z.object({ payload: z.array(z.string()) });
  app.get(
    `${base}/labels`,
    {
      schema: {
        tags: ['chatwoot'],
        params: conversationParams,
        response: { 200: labelsSchema, ...errorResponses },
      },
    },
    async (request) => {
      const { row } = await load(request, request.params);
      return { payload: row.labels };
    },
  );

  app.post(
    `${base}/labels`,
    {
      schema: {
        tags: ['chatwoot'],
        params: conversationParams,
        body: z.object({ labels: z.array(z.string().max(255)).max(100) }),
        response: { 200: labelsSchema, ...errorResponses },
      },
    },
    async (request) => {
      const { access, row } = await load(request, request.params);
      const updated = await ctx.db.transaction((tx) =>
        setConversationLabels(tx, {
          accountId: access.accountId,
          conversationId: row.id,
          labels: request.body.labels,
          actor: access.actor,
        }),
      );
      return { payload: updated.labels };
    },
  );

  app.post(
    `${base}/assignments`,
    {
      schema: {
        tags: ['chatwoot'],
        params: conversationParams,
        body: z.object({ assignee_id: id.nullable().optional(), team_id: id.nullable().optional() }),
        response: {
          200: z.union([chatwootAgentSchema, chatwootTeamSchema, z.object({}).strict()]),
          ...errorResponses,
        },
      },
    },
    async (request) => {
      const { access, row } = await load(request, request.params, true);
      const { assignee_id: assigneeId, team_id: teamId } = request.body;
      if (assigneeId === undefined && teamId === undefined) {
        throw new DomainError('VALIDATION_FAILED', 'Pass assignee_id or team_id', [
          { path: 'assignee_id', message: 'assignee_id or team_id is required' },
        ]);
      }
      const updated = await ctx.db.transaction((tx) =>
        assignConversation(tx, {
          accountId: access.accountId,
          conversationId: row.id,
          assigneeId,
          teamId,
          actor: access.actor,
        }),
      );
      // Chatwoot answers with the agent (or the team when a team was assigned) and null when one
      // was removed; the seed's answer is a `user` object, so a removal answers an empty one.
      if (assigneeId !== undefined) {
        return updated.assigneeId === null
          ? {}
          : toChatwootAgent(await getAgent(ctx.db, access.accountId, updated.assigneeId));
      }
      return updated.teamId === null
        ? {}
        : toChatwootTeam(await getTeam(ctx.db, access.accountId, updated.teamId));
    },
  );
}
