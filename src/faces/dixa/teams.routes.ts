import { z } from 'zod';
import type { AppContext } from '../../platform/app-context.js';
import type { TypedApp } from '../../platform/http/typed-app.js';
import { getTeamByUuid, listTeamMemberIds, listTeams } from '../../core/teams/teams.js';
import { changeTeamMembers, createTeam, deleteTeam } from '../../core/teams/team-changes.js';
import type { TeamRow } from '../../core/teams/teams.tables.js';
import { listAgentProfilesByUserIds, resolveAgentUserIds } from '../../core/identity/agent-profiles.js';
import { listAgentPresence } from '../../core/presence/agent-presence.js';
import type { MembershipChange } from '../../core/identity/membership-change.js';
import { dixaAccess } from './access.js';
import { dataOf, uuidParams, uuidSchema } from './schemas.js';
import { pageMeta, pageQuerySchema } from './pagination.js';
import { dixaUserPresenceSchema, toDixaPresence } from './presence.map.js';
import { agentPageRequest } from './agents.map.js';

const tags = ['dixa: teams'];
const teamParams = uuidParams('teamId');
const errorBody = z.object({ message: z.string() });
const errors = { 400: errorBody, 401: errorBody, 403: errorBody, 404: errorBody };

/** Seed `Team1`. */
const dixaTeamSchema = z.object({ id: z.string(), name: z.string() });
/** Seed `TeamMember`: optional fields omitted when empty. */
const dixaTeamMemberSchema = z.object({
  id: z.string(),
  name: z.string().optional(),
  email: z.string().optional(),
  phoneNumber: z.string().optional(),
});
/** Seed `AgentsToTeamInput` / `DeleteAgentsFromTeamInput`; an empty list changes nothing, so it is refused. */
const agentIdsBody = z.object({ agentIds: z.array(uuidSchema).min(1).max(500) });

function toDixaTeam(team: TeamRow): z.infer<typeof dixaTeamSchema> {
  return { id: team.uuid, name: team.name };
}

/** Teams: list, create, get, delete, members, presence. */
export function registerDixaTeamRoutes(app: TypedApp, ctx: AppContext): void {
  app.get(
    '/v1/teams',
    {
      schema: {
        tags,
        summary: 'List the teams of the organization',
        response: { 200: z.object({ data: z.array(dixaTeamSchema) }), ...errors },
      },
    },
    async (request) => {
      const access = await dixaAccess(ctx, request);
      return dataOf((await listTeams(ctx.db, access.accountId)).map(toDixaTeam));
    },
  );

  app.post(
    '/v1/teams',
    {
      schema: {
        tags,
        summary: 'Create a team',
        body: z.object({ name: z.string().trim().min(1).max(255) }),
        response: { 201: z.object({ data: dixaTeamSchema }), ...errors },
      },
    },
    async (request, reply) => {
      const access = await dixaAccess(ctx, request, { isAdminOnly: true });
      const team = await createTeam(
        ctx.db,
        { accountId: access.accountId, name: request.body.name },
        access.actor,
      );
      return reply.status(201).send(dataOf(toDixaTeam(team)));
    },
  );

  app.get(
    '/v1/teams/:teamId',
    {
      schema: {
        tags,
        summary: 'Get a team by id',
        params: teamParams,
        response: { 200: z.object({ data: dixaTeamSchema }), ...errors },
      },
    },
    async (request) => {
      const access = await dixaAccess(ctx, request);
      return dataOf(toDixaTeam(await getTeamByUuid(ctx.db, access.accountId, request.params.teamId)));
    },
  );

  app.delete(
    '/v1/teams/:teamId',
    {
      schema: {
        tags,
        summary: 'Delete a team',
        params: teamParams,
        response: { 204: z.null(), ...errors },
      },
    },
    async (request, reply) => {
      const access = await dixaAccess(ctx, request, { isAdminOnly: true });
      const team = await getTeamByUuid(ctx.db, access.accountId, request.params.teamId);
      await deleteTeam(ctx.db, access.accountId, team.id, access.actor);
      return reply.status(204).send(null);
    },
  );

  app.get(
    '/v1/teams/:teamId/agents',
    {
      schema: {
        tags,
        summary: 'List the agents and admins of a team',
        params: teamParams,
        response: { 200: z.object({ data: z.array(dixaTeamMemberSchema) }), ...errors },
      },
    },
    async (request) => {
      const access = await dixaAccess(ctx, request);
      const team = await getTeamByUuid(ctx.db, access.accountId, request.params.teamId);
      const userIds = await listTeamMemberIds(ctx.db, access.accountId, team.id);
      const members = await listAgentProfilesByUserIds(ctx.db, access.accountId, userIds);
      return dataOf(
        members.map((member) => ({
          id: member.uuid,
          name: member.displayName ?? member.name,
          email: member.email,
          ...(member.phoneNumber !== null && { phoneNumber: member.phoneNumber }),
        })),
      );
    },
  );

  for (const [method, change, summary] of [
    ['PATCH', 'add', 'Add agents and admins to a team'],
    ['DELETE', 'remove', 'Remove agents and admins from a team'],
  ] as const satisfies readonly (readonly ['PATCH' | 'DELETE', MembershipChange, string])[]) {
    app.route({
      method,
      url: '/v1/teams/:teamId/agents',
      schema: {
        tags,
        summary,
        params: teamParams,
        body: agentIdsBody,
        response: { 204: z.null(), ...errors },
      },
      handler: async (request, reply) => {
        const access = await dixaAccess(ctx, request, { isAdminOnly: true });
        const team = await getTeamByUuid(ctx.db, access.accountId, request.params.teamId);
        const userIds = await resolveAgentUserIds(ctx.db, access.accountId, request.body.agentIds);
        await changeTeamMembers(
          ctx.db,
          { accountId: access.accountId, teamId: team.id, userIds, change },
          access.actor,
        );
        return reply.status(204).send(null);
      },
    });
  }

  app.get(
    '/v1/teams/:teamId/presence',
    {
      schema: {
        tags,
        summary: 'List the presence of the agents and admins of a team',
        params: teamParams,
        querystring: pageQuerySchema,
        response: {
          200: z.object({
            data: z.array(dixaUserPresenceSchema),
            meta: z.object({ next: z.string().optional(), previous: z.string().optional() }),
          }),
          ...errors,
        },
      },
    },
    async (request) => {
      const access = await dixaAccess(ctx, request);
      const team = await getTeamByUuid(ctx.db, access.accountId, request.params.teamId);
      const requestTime = new Date();
      const page = await listAgentPresence(ctx.db, {
        accountId: access.accountId,
        teamId: team.id,
        ...agentPageRequest(request.query),
      });
      return {
        data: page.items.map((item) => toDixaPresence(item, requestTime)),
        meta: pageMeta(request, page),
      };
    },
  );
}
