import { z } from 'zod';
import type { AppContext } from '../../platform/app-context.js';
import type { TypedApp } from '../../platform/http/typed-app.js';
import { notFound } from '../../platform/errors.js';
import { accountAccess, requireUser } from '../shared/access.js';
import {
  getAgentPresenceByUuid,
  listAgentPresence,
  type AgentPresence,
} from '../../core/presence/agent-presence.js';
import { getAgent, listAgentsByIds, type Agent } from '../../core/identity/agents.js';
import { findAgentUuids } from '../../core/routing/index.js';
import { updateMember } from '../../core/identity/members.js';
import { accountParams, commonErrors, iso, isoDate, pageOf, pageQuery } from './schemas.js';
import { connectionStatus, presenceOf, presenceStatus } from './routing-queues.map.js';

const tags = ['presence'];

const presenceSchema = z.object({
  userId: z.number(),
  name: z.string(),
  displayName: z.string().nullable(),
  email: z.string(),
  role: z.enum(['administrator', 'agent']),
  connectionStatus,
  presenceStatus: presenceStatus.nullable().describe('Null while offline'),
  lastSeenAt: isoDate.nullable().describe('Last connection change or token use'),
});

const setPresenceInput = z.strictObject({
  presenceStatus: presenceStatus.describe('Working: routing offers conversations; Away: it does not'),
});

function toPresenceDto(agent: Agent, presence: AgentPresence): z.infer<typeof presenceSchema> {
  return {
    userId: agent.userId,
    name: agent.name,
    displayName: agent.displayName,
    email: agent.email,
    role: agent.role,
    ...presenceOf(presence.availability),
    lastSeenAt: iso(presence.lastSeenAt),
  };
}

/**
 * The account's agents' presence (Dixa's words: Online/Offline, Working/Away, last seen), from the
 * same core reads as the Dixa face's `/agents/presence`, and one's own Working/Away switch. A
 * connection makes an agent Online (real time, presence.ts); Away is the membership's `busy`, which
 * routing skips and a new connection keeps.
 */
export function registerNativeRoutingPresenceRoutes(app: TypedApp, ctx: AppContext): void {
  const base = '/v1/accounts/:accountId/presence';

  async function presencePage(accountId: number, page: { cursor?: number | undefined; limit: number }) {
    const presence = await listAgentPresence(ctx.db, {
      accountId,
      afterUserId: page.cursor,
      limit: page.limit,
    });
    const agents = new Map(
      (
        await listAgentsByIds(
          ctx.db,
          accountId,
          presence.items.map((item) => item.userId),
        )
      ).map((agent) => [agent.userId, agent]),
    );
    const data = presence.items.flatMap((item) => {
      const agent = agents.get(item.userId);
      return agent ? [toPresenceDto(agent, item)] : [];
    });
    return { data, nextCursor: presence.next };
  }

  app.get(
    base,
    {
      schema: {
        tags,
        summary: "List the presence of the account's agents and administrators",
        params: accountParams,
        querystring: pageQuery,
        response: { 200: pageOf(presenceSchema), ...commonErrors },
      },
    },
    async (request) => {
      const { accountId } = await accountAccess(ctx.db, request, request.params.accountId);
      return presencePage(accountId, request.query);
    },
  );

  app.get(
    `${base}/me`,
    {
      schema: {
        tags,
        summary: 'Get your own presence in the account (a user token)',
        params: accountParams,
        response: { 200: presenceSchema, ...commonErrors },
      },
    },
    async (request) => {
      const userId = requireUser(request);
      const { accountId } = await accountAccess(ctx.db, request, request.params.accountId);
      return ownPresence(accountId, userId);
    },
  );

  app.put(
    `${base}/me`,
    {
      schema: {
        tags,
        summary: 'Set your own presence to Working or Away (a user token)',
        params: accountParams,
        body: setPresenceInput,
        response: { 200: presenceSchema, ...commonErrors },
      },
    },
    async (request) => {
      const userId = requireUser(request);
      const access = await accountAccess(ctx.db, request, request.params.accountId);
      const availability = request.body.presenceStatus === 'Working' ? 'online' : 'busy';
      await updateMember(ctx.db, { accountId: access.accountId, userId, availability }, access.actor);
      return ownPresence(access.accountId, userId);
    },
  );

  async function ownPresence(accountId: number, userId: number) {
    const agent = await getAgent(ctx.db, accountId, userId);
    const uuid = (await findAgentUuids(ctx.db, [userId])).get(userId);
    if (uuid === undefined) throw notFound('Agent');
    return toPresenceDto(agent, await getAgentPresenceByUuid(ctx.db, accountId, uuid));
  }
}
