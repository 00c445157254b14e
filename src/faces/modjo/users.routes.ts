import { z } from 'zod';
import type { AppContext } from '../../platform/app-context.js';
import type { TypedApp } from '../../platform/http/typed-app.js';
import { listCallUsers, type CallDirectoryUser } from '../../core/calls/call-directory.js';
import { createCallUsers, deleteCallUsers } from '../../core/calls/manage-call-users.js';
import type { Role } from '../../core/identity/identity.tables.js';
import { modjoAccess } from './access.js';
import { paginationOf } from './pagination.js';
import { bulkUsersBody, deleteUsersBody, pageQuery, userSchema, usersPageResponse } from './schemas.js';

type ModjoRole = 'user' | 'manager' | 'admin';

// Parley has administrators and agents; a Modjo manager (who may create API keys) is an administrator.
const roleOfModjo: Record<ModjoRole, Role> = {
  user: 'agent',
  manager: 'administrator',
  admin: 'administrator',
};
const modjoOfRole: Record<Role, ModjoRole> = { agent: 'user', administrator: 'admin' };

function splitName(name: string): { firstName: string; lastName: string } {
  const [firstName = '', ...rest] = name.trim().split(/\s+/);
  return { firstName, lastName: rest.join(' ') };
}

function toUserDto(user: CallDirectoryUser): z.infer<typeof userSchema> {
  return {
    id: user.id,
    email: user.email,
    ...splitName(user.name),
    hasLicense: user.hasLicense,
    role: modjoOfRole[user.role],
    teamIds: user.teamIds,
    language: user.language ?? 'en-US',
  };
}

export function registerModjoUserRoutes(app: TypedApp, ctx: AppContext): void {
  const tags = ['modjo'];

  app.get(
    '/v1/users',
    {
      schema: {
        tags,
        summary: 'Get users (pending invitations are listed as the users they stand for)',
        querystring: pageQuery,
        response: { 200: usersPageResponse },
      },
    },
    async (request) => {
      const access = await modjoAccess(ctx, request);
      const { page, perPage } = request.query;
      const result = await listCallUsers(ctx.db, access.accountId, { page, perPage });
      return { pagination: paginationOf(page, perPage, result.total), values: result.items.map(toUserDto) };
    },
  );

  app.delete(
    '/v1/users',
    {
      schema: {
        tags,
        summary: 'Delete users (they leave the account; a pending invitation is withdrawn)',
        body: deleteUsersBody,
        response: { 200: z.object({ success: z.boolean() }) },
      },
    },
    async (request) => {
      const access = await modjoAccess(ctx, request, { isAdminOnly: true });
      await deleteCallUsers(ctx.db, access.accountId, request.body.userIds, access.actor);
      return { success: true };
    },
  );

  app.post(
    '/v1/users/bulk',
    {
      schema: {
        tags,
        summary:
          'Create users (an email that already has a Parley user is invited instead: same answer, no enrolment)',
        body: bulkUsersBody,
        response: { 201: z.array(userSchema) },
      },
    },
    async (request, reply) => {
      const access = await modjoAccess(ctx, request, { isAdminOnly: true });
      const people = request.body.users.map((user) => ({
        email: user.email,
        firstName: user.firstName,
        lastName: user.lastName,
        role: roleOfModjo[user.role],
        hasLicense: user.hasLicense,
        teamIds: user.teamIds,
        language: user.language,
      }));
      // Ids of new users and of invitations (for emails that already have a user) alike; the list
      // below renders both from what was asked, so the answer says nothing about who owns an email.
      const userIds = await createCallUsers(ctx.db, access.accountId, people, access.actor);
      // Onboarding emails are not sent: Parley has no mail delivery yet (sendOnboardingEmail is accepted and ignored).
      const created = await listCallUsers(ctx.db, access.accountId, {
        page: 1,
        perPage: userIds.length,
        userIds,
      });
      return reply.status(201).send(created.items.map(toUserDto));
    },
  );
}
