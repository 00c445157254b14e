import { z } from 'zod';
import type { AppContext } from '../../platform/app-context.js';
import type { TypedApp } from '../../platform/http/typed-app.js';
import { DomainError, isDomainError } from '../../platform/errors.js';
import { getInbox, listInboxMemberIds } from '../../core/inboxes/inboxes.js';
import { changeInboxMembers } from '../../core/inboxes/inbox-members.js';
import { getTeam, listTeamMemberIds } from '../../core/teams/teams.js';
import { changeTeamMembers } from '../../core/teams/team-changes.js';
import { accountAccess } from '../shared/access.js';
import { accountParams, commonErrors, idParam } from './schemas.js';

const tags = ['settings'];

const membersSchema = z.object({
  userIds: z.array(z.number()).describe('The agents, by user id, in ascending order'),
});
const membersBody = z.strictObject({
  userIds: z
    .array(z.number().int().positive().max(Number.MAX_SAFE_INTEGER))
    .max(1000)
    .describe('Every agent who should be a member; the others are removed'),
});

/** The core names the list `user_ids`, as the Chatwoot face does; this API's body says `userIds`. */
function inBodyTerms(error: unknown): never {
  if (isDomainError(error) && error.code === 'VALIDATION_FAILED') {
    throw new DomainError(
      error.code,
      error.message,
      error.details.map((detail) => ({
        ...detail,
        path: detail.path === 'user_ids' ? 'body.userIds' : detail.path,
      })),
    );
  }
  throw error;
}

/**
 * A team's details, who works it and who answers an inbox, read and replaced whole by the settings screens
 * (administrators). Only agents of the account can be members; a replace records one
 * `team.members_changed` or `inbox.members_changed` event with who was added and removed.
 */
export function registerNativeSettingsMemberRoutes(app: TypedApp, ctx: AppContext): void {
  const base = '/v1/accounts/:accountId';
  const admin = (request: Parameters<typeof accountAccess>[1], accountId: number) =>
    accountAccess(ctx.db, request, accountId, { isAdminOnly: true });
  const teamParams = accountParams.extend({ teamId: idParam });
  const inboxParams = accountParams.extend({ inboxId: idParam });

  app.get(
    `${base}/teams/:teamId`,
    {
      schema: {
        tags,
        summary: 'One team with its description, for editing (administrators)',
        params: teamParams,
        response: {
          200: z.object({ id: z.number(), name: z.string(), description: z.string().nullable() }),
          ...commonErrors,
        },
      },
    },
    async (request) => {
      const { accountId } = await admin(request, request.params.accountId);
      const team = await getTeam(ctx.db, accountId, request.params.teamId);
      return { id: team.id, name: team.name, description: team.description };
    },
  );

  app.get(
    `${base}/teams/:teamId/members`,
    {
      schema: {
        tags,
        summary: "A team's agents (administrators)",
        params: teamParams,
        response: { 200: membersSchema, ...commonErrors },
      },
    },
    async (request) => {
      const { accountId } = await admin(request, request.params.accountId);
      await getTeam(ctx.db, accountId, request.params.teamId);
      return { userIds: await listTeamMemberIds(ctx.db, accountId, request.params.teamId) };
    },
  );

  app.put(
    `${base}/teams/:teamId/members`,
    {
      schema: {
        tags,
        summary: "Replace a team's agents (administrators)",
        params: teamParams,
        body: membersBody,
        response: { 200: membersSchema, ...commonErrors },
      },
    },
    async (request) => {
      const access = await admin(request, request.params.accountId);
      const { userIds } = await changeTeamMembers(
        ctx.db,
        {
          accountId: access.accountId,
          teamId: request.params.teamId,
          userIds: request.body.userIds,
          change: 'replace',
        },
        access.actor,
      ).catch(inBodyTerms);
      return { userIds };
    },
  );

  app.get(
    `${base}/inboxes/:inboxId/members`,
    {
      schema: {
        tags,
        summary: 'The agents who answer an inbox (administrators)',
        params: inboxParams,
        response: { 200: membersSchema, ...commonErrors },
      },
    },
    async (request) => {
      const { accountId } = await admin(request, request.params.accountId);
      await getInbox(ctx.db, accountId, request.params.inboxId);
      return { userIds: await listInboxMemberIds(ctx.db, accountId, request.params.inboxId) };
    },
  );

  app.put(
    `${base}/inboxes/:inboxId/members`,
    {
      schema: {
        tags,
        summary: 'Replace the agents who answer an inbox (administrators)',
        params: inboxParams,
        body: membersBody,
        response: { 200: membersSchema, ...commonErrors },
      },
    },
    async (request) => {
      const access = await admin(request, request.params.accountId);
      const userIds = await changeInboxMembers(
        ctx.db,
        {
          accountId: access.accountId,
          inboxId: request.params.inboxId,
          userIds: request.body.userIds,
          change: 'replace',
        },
        access.actor,
      ).catch(inBodyTerms);
      return { userIds };
    },
  );
}
