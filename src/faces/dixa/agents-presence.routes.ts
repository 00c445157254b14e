import { z } from 'zod';
import type { AppContext } from '../../platform/app-context.js';
import type { TypedApp } from '../../platform/http/typed-app.js';
import { getAgentProfileByUuid } from '../../core/identity/agent-profiles.js';
import { getAgentPresenceByUuid, listAgentPresence } from '../../core/presence/agent-presence.js';
import { listTeamsOfUser } from '../../core/teams/teams.js';
import { dixaAccess } from './access.js';
import { dataOf, uuidParams } from './schemas.js';
import { pageMeta, pageQuerySchema } from './pagination.js';
import { agentPageRequest } from './agents.map.js';
import { dixaUserPresenceSchema, toDixaPresence } from './presence.map.js';

const tags = ['dixa: agents'];
const agentParams = uuidParams('agentId');
const errorBody = z.object({ message: z.string() });
const errors = { 400: errorBody, 401: errorBody, 403: errorBody, 404: errorBody };
const pageLinks = z.object({ next: z.string().optional(), previous: z.string().optional() });

/** Agents' presence (one, or the organization's in pages) and an agent's teams. */
export function registerDixaAgentPresenceRoutes(app: TypedApp, ctx: AppContext): void {
  app.get(
    '/v1/agents/presence',
    {
      schema: {
        tags,
        summary: 'List the presence of every agent and admin of the organization',
        querystring: pageQuerySchema,
        response: { 200: z.object({ data: z.array(dixaUserPresenceSchema), meta: pageLinks }), ...errors },
      },
    },
    async (request) => {
      const access = await dixaAccess(ctx, request);
      const requestTime = new Date();
      const page = await listAgentPresence(ctx.db, {
        accountId: access.accountId,
        ...agentPageRequest(request.query),
      });
      return {
        data: page.items.map((item) => toDixaPresence(item, requestTime)),
        meta: pageMeta(request, page),
      };
    },
  );

  app.get(
    '/v1/agents/:agentId/presence',
    {
      schema: {
        tags,
        summary: 'Get the presence of an agent or admin',
        params: agentParams,
        response: { 200: z.object({ data: dixaUserPresenceSchema }), ...errors },
      },
    },
    async (request) => {
      const access = await dixaAccess(ctx, request);
      const presence = await getAgentPresenceByUuid(ctx.db, access.accountId, request.params.agentId);
      return dataOf(toDixaPresence(presence, new Date()));
    },
  );

  app.get(
    '/v1/agents/:agentId/teams',
    {
      schema: {
        tags,
        summary: 'List the teams the agent or admin is a member of',
        params: agentParams,
        response: { 200: z.object({ data: z.array(z.object({ id: z.string() })) }), ...errors },
      },
    },
    async (request) => {
      const access = await dixaAccess(ctx, request);
      const agent = await getAgentProfileByUuid(ctx.db, access.accountId, request.params.agentId);
      const teams = await listTeamsOfUser(ctx.db, access.accountId, agent.userId);
      // Seed `Team` is the id alone.
      return dataOf(teams.map((team) => ({ id: team.uuid })));
    },
  );
}
