import { z } from 'zod';
import type { AppContext } from '../../platform/app-context.js';
import type { TypedApp } from '../../platform/http/typed-app.js';
import type { AccountAccess } from '../../core/identity/principal.js';
import { listAgentsByIds } from '../../core/identity/agents.js';
import { getTeam, listTeamIdsOfUser, listTeamMemberIds, listTeams } from '../../core/teams/teams.js';
import { changeTeamMembers, createTeam, deleteTeam, updateTeam } from '../../core/teams/team-changes.js';
import type { TeamRow } from '../../core/teams/teams.tables.js';
import { chatwootAccess } from './access.js';
import { accountParams, chatwootErrors, chatwootId, sendEmptyOk, userIdsSchema } from './admin-schemas.js';
import { chatwootTeamSchema, toChatwootTeam } from './serializers/team.js';
import { chatwootAgentSchema, toChatwootAgent } from './serializers/agent.js';

const tags = ['Teams'];
const teamParams = accountParams.extend({ team_id: chatwootId });

/** Seed `team_create_update_payload`. */
const teamBody = z.object({
  name: z.string().trim().min(1).max(255).optional(),
  description: z.string().max(5000).nullable().optional(),
  allow_auto_assign: z.boolean().optional(),
});
const membersBody = z.object({ user_ids: userIdsSchema });

function toTeamInput(body: z.infer<typeof teamBody>) {
  return { name: body.name, description: body.description, allowAutoAssign: body.allow_auto_assign };
}

/** `is_member` is about the calling user; account keys belong to no team. */
async function memberTeamIds(ctx: AppContext, access: AccountAccess, teams: TeamRow[]): Promise<Set<number>> {
  if (access.principal.kind !== 'user') return new Set();
  return listTeamIdsOfUser(
    ctx.db,
    access.accountId,
    access.principal.userId,
    teams.map((team) => team.id),
  );
}

export function registerTeamsRoutes(app: TypedApp, ctx: AppContext): void {
  const base = '/api/v1/accounts/:account_id/teams';
  const serialize = async (access: AccountAccess, team: TeamRow) =>
    toChatwootTeam(team, (await memberTeamIds(ctx, access, [team])).has(team.id));
  const agentsOf = async (accountId: number, userIds: number[]) =>
    (await listAgentsByIds(ctx.db, accountId, userIds)).map(toChatwootAgent);

  app.get(
    base,
    {
      schema: {
        tags,
        summary: 'List teams',
        params: accountParams,
        response: { 200: z.array(chatwootTeamSchema), ...chatwootErrors },
      },
    },
    async (request) => {
      const access = await chatwootAccess(ctx.db, request, request.params.account_id);
      const teams = await listTeams(ctx.db, access.accountId);
      const mine = await memberTeamIds(ctx, access, teams);
      return teams.map((team) => toChatwootTeam(team, mine.has(team.id)));
    },
  );

  app.post(
    base,
    {
      schema: {
        tags,
        summary: 'Create a team',
        params: accountParams,
        body: teamBody.extend({ name: z.string().trim().min(1).max(255) }),
        response: { 200: chatwootTeamSchema, ...chatwootErrors },
      },
    },
    async (request) => {
      const access = await chatwootAccess(ctx.db, request, request.params.account_id, { isAdminOnly: true });
      const team = await createTeam(
        ctx.db,
        { ...toTeamInput(request.body), name: request.body.name, accountId: access.accountId },
        access.actor,
      );
      return toChatwootTeam(team, false);
    },
  );

  app.get(
    `${base}/:team_id`,
    {
      schema: {
        tags,
        summary: 'Get a team',
        params: teamParams,
        response: { 200: chatwootTeamSchema, ...chatwootErrors },
      },
    },
    async (request) => {
      const access = await chatwootAccess(ctx.db, request, request.params.account_id);
      return serialize(access, await getTeam(ctx.db, access.accountId, request.params.team_id));
    },
  );

  app.patch(
    `${base}/:team_id`,
    {
      schema: {
        tags,
        summary: 'Update a team',
        params: teamParams,
        body: teamBody,
        response: { 200: chatwootTeamSchema, ...chatwootErrors },
      },
    },
    async (request) => {
      const access = await chatwootAccess(ctx.db, request, request.params.account_id, { isAdminOnly: true });
      const team = await updateTeam(
        ctx.db,
        access.accountId,
        request.params.team_id,
        toTeamInput(request.body),
        access.actor,
      );
      return serialize(access, team);
    },
  );

  app.delete(
    `${base}/:team_id`,
    {
      schema: {
        tags,
        summary: 'Delete a team',
        params: teamParams,
        response: { 200: z.null(), ...chatwootErrors },
      },
    },
    async (request, reply) => {
      const access = await chatwootAccess(ctx.db, request, request.params.account_id, { isAdminOnly: true });
      await deleteTeam(ctx.db, access.accountId, request.params.team_id, access.actor);
      return sendEmptyOk(reply);
    },
  );

  const membersPath = `${base}/:team_id/team_members`;

  app.get(
    membersPath,
    {
      schema: {
        tags,
        summary: 'List the agents of a team',
        params: teamParams,
        response: { 200: z.array(chatwootAgentSchema), ...chatwootErrors },
      },
    },
    async (request) => {
      const access = await chatwootAccess(ctx.db, request, request.params.account_id);
      await getTeam(ctx.db, access.accountId, request.params.team_id);
      return agentsOf(
        access.accountId,
        await listTeamMemberIds(ctx.db, access.accountId, request.params.team_id),
      );
    },
  );

  app.post(
    membersPath,
    {
      schema: {
        tags,
        summary: 'Add agents to a team; answers with the agents added',
        params: teamParams,
        body: membersBody,
        response: { 200: z.array(chatwootAgentSchema), ...chatwootErrors },
      },
    },
    async (request) => {
      const access = await chatwootAccess(ctx.db, request, request.params.account_id, { isAdminOnly: true });
      const result = await changeTeamMembers(
        ctx.db,
        {
          accountId: access.accountId,
          teamId: request.params.team_id,
          userIds: request.body.user_ids,
          change: 'add',
        },
        access.actor,
      );
      return agentsOf(access.accountId, result.addedUserIds);
    },
  );

  app.patch(
    membersPath,
    {
      schema: {
        tags,
        summary: "Replace a team's agents; answers with all its agents",
        params: teamParams,
        body: membersBody,
        response: { 200: z.array(chatwootAgentSchema), ...chatwootErrors },
      },
    },
    async (request) => {
      const access = await chatwootAccess(ctx.db, request, request.params.account_id, { isAdminOnly: true });
      const result = await changeTeamMembers(
        ctx.db,
        {
          accountId: access.accountId,
          teamId: request.params.team_id,
          userIds: request.body.user_ids,
          change: 'replace',
        },
        access.actor,
      );
      return agentsOf(access.accountId, result.userIds);
    },
  );

  app.delete(
    membersPath,
    {
      schema: {
        tags,
        summary: 'Remove agents from a team',
        params: teamParams,
        body: membersBody,
        response: { 200: z.null(), ...chatwootErrors },
      },
    },
    async (request, reply) => {
      const access = await chatwootAccess(ctx.db, request, request.params.account_id, { isAdminOnly: true });
      await changeTeamMembers(
        ctx.db,
        {
          accountId: access.accountId,
          teamId: request.params.team_id,
          userIds: request.body.user_ids,
          change: 'remove',
        },
        access.actor,
      );
      return sendEmptyOk(reply);
    },
  );
}
