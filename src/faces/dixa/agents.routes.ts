import { z } from 'zod';
import type { FastifyRequest } from 'fastify';
import type { AppContext } from '../../platform/app-context.js';
import type { TypedApp } from '../../platform/http/typed-app.js';
import { DomainError, notFound } from '../../platform/errors.js';
import { findAgentProfileByUuid } from '../../core/identity/agent-profiles.js';
import { cardOfProfile } from '../../core/identity/agent-cards.js';
import { findInvitedAgent } from '../../core/identity/invited-agents.js';
import { createAgent } from '../../core/identity/create-agent.js';
import { changeAgentProfile, type AgentProfileChanges } from '../../core/identity/change-agent-profile.js';
import { downgradeAgent } from '../../core/identity/downgrade-agent.js';
import { dixaAccess } from './access.js';
import { dataOf, uuidParams } from './schemas.js';
import { pageMeta, pageQuerySchema } from './pagination.js';
import {
  agentPageRequest,
  createAgentInputSchema,
  dixaAgentSchema,
  patchAgentInputSchema,
  patchChanges,
  toDixaAgent,
  updateAgentInputSchema,
  updateChanges,
} from './agents.map.js';
import { registerDixaAgentBulkRoutes } from './agents-bulk.routes.js';
import { listDixaAgents } from './agents-page.js';
import { registerDixaAgentPresenceRoutes } from './agents-presence.routes.js';

const tags = ['dixa: agents'];
const agentParams = uuidParams('agentId');
const errorBody = z.object({ message: z.string() });
const errors = { 400: errorBody, 401: errorBody, 403: errorBody, 404: errorBody, 409: errorBody };
const pageLinks = z.object({ next: z.string().optional(), previous: z.string().optional() });

/** An agent of the account, or a pending invitation answered under that id; else 404. */
async function findAgentCard(ctx: AppContext, accountId: number, uuid: string) {
  const profile = await findAgentProfileByUuid(ctx.db, accountId, uuid);
  if (profile) return cardOfProfile(profile);
  const invited = await findInvitedAgent(ctx.db, accountId, uuid);
  if (!invited) throw notFound('Agent');
  return invited;
}

function adminOf(ctx: AppContext, request: FastifyRequest) {
  return dixaAccess(ctx, request, { isAdminOnly: true });
}

/** Agents and admins: list, create (single and bulk), patch and update (single and bulk), downgrade, presence, teams. */
export function registerDixaAgentRoutes(app: TypedApp, ctx: AppContext): void {
  app.get(
    '/v1/agents',
    {
      schema: {
        tags,
        summary:
          'List the agents and admins of the organization, invited ones included (filter by email or by phone, not both)',
        querystring: pageQuerySchema.extend({
          email: z.string().trim().min(1).max(320).optional(),
          phone: z.string().trim().min(1).max(32).optional(),
        }),
        response: { 200: z.object({ data: z.array(dixaAgentSchema), meta: pageLinks }), ...errors },
      },
    },
    async (request) => {
      const access = await dixaAccess(ctx, request);
      const { email, phone } = request.query;
      if (email !== undefined && phone !== undefined) {
        throw new DomainError('BAD_REQUEST', 'email and phone are mutually exclusive filters: give one');
      }
      const page = await listDixaAgents(ctx.db, {
        accountId: access.accountId,
        email,
        phoneNumber: phone,
        ...agentPageRequest(request.query),
      });
      return {
        data: page.items.map(toDixaAgent),
        meta: pageMeta(request, page),
      };
    },
  );

  app.post(
    '/v1/agents',
    {
      schema: {
        tags,
        summary:
          'Create an agent (an email that already has a Parley user is invited instead: same answer, they join if they accept)',
        body: createAgentInputSchema,
        response: { 201: z.object({ data: dixaAgentSchema }), ...errors },
      },
    },
    async (request, reply) => {
      const access = await adminOf(ctx, request);
      const { email, ...profile } = request.body;
      const card = await createAgent(ctx.db, { accountId: access.accountId, email, profile }, access.actor);
      return reply.status(201).send(dataOf(toDixaAgent(card)));
    },
  );

  app.get(
    '/v1/agents/:agentId',
    {
      schema: {
        tags,
        summary: 'Get an agent or admin by id',
        params: agentParams,
        response: { 200: z.object({ data: dixaAgentSchema }), ...errors },
      },
    },
    async (request) => {
      const access = await dixaAccess(ctx, request);
      return dataOf(toDixaAgent(await findAgentCard(ctx, access.accountId, request.params.agentId)));
    },
  );

  // PATCH changes the fields given; PUT replaces the profile (fields left out are cleared).
  const saveProfile = async (request: FastifyRequest, agentId: string, changes: AgentProfileChanges) => {
    const access = await adminOf(ctx, request);
    const card = await changeAgentProfile(
      ctx.db,
      { accountId: access.accountId, uuid: agentId, changes },
      access.actor,
    );
    return dataOf(toDixaAgent(card));
  };
  const profileSchema = <Body extends z.ZodType>(summary: string, body: Body) => ({
    schema: {
      tags,
      summary,
      params: agentParams,
      body,
      response: { 200: z.object({ data: dixaAgentSchema }), ...errors },
    },
  });
  app.patch(
    '/v1/agents/:agentId',
    profileSchema("Patch an agent's profile (the fields given)", patchAgentInputSchema),
    (request) => saveProfile(request, request.params.agentId, patchChanges(request.body)),
  );
  app.put(
    '/v1/agents/:agentId',
    profileSchema("Update an agent's profile (fields left out are cleared)", updateAgentInputSchema),
    (request) => saveProfile(request, request.params.agentId, updateChanges(request.body)),
  );

  app.delete(
    '/v1/agents/:agentId',
    {
      schema: {
        tags,
        summary:
          'Downgrade an agent or admin to an end user (their membership ends; a contact keeps their email)',
        params: agentParams,
        response: { 204: z.null(), ...errors },
      },
    },
    async (request, reply) => {
      const access = await adminOf(ctx, request);
      await downgradeAgent(
        ctx.db,
        { accountId: access.accountId, uuid: request.params.agentId },
        access.actor,
      );
      return reply.status(204).send(null);
    },
  );

  registerDixaAgentBulkRoutes(app, ctx);
  registerDixaAgentPresenceRoutes(app, ctx);
}
