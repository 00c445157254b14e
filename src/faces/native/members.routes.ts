import { z } from 'zod';
import type { AppContext } from '../../platform/app-context.js';
import type { TypedApp } from '../../platform/http/typed-app.js';
import { DomainError } from '../../platform/errors.js';
import type { Db } from '../../platform/db/database.js';
import { hashPassword } from '../../platform/auth/passwords.js';
import { accountAccess } from '../shared/access.js';
import { isAdministrator } from '../../core/identity/principal.js';
import { accountParams, commonErrors, idParam, iso, isoDate, pageOf, pageQuery } from './schemas.js';
import { errorBodySchema } from './errors.js';
import {
  addMember,
  getMember,
  listMembers,
  removeMember,
  updateMember,
  type Member,
} from '../../core/identity/members.js';
import { createUser, findUserByEmail, getUser } from '../../core/identity/users.js';

const role = z.enum(['administrator', 'agent']);
const availability = z.enum(['online', 'busy', 'offline']);

const memberSchema = z.object({
  accountId: z.number(),
  userId: z.number(),
  role,
  availability,
  name: z.string(),
  displayName: z.string().nullable(),
  email: z.string(),
  createdAt: isoDate,
});

const memberParams = accountParams.extend({ userId: idParam });

/** Add an existing user by id or email, or create the user on the way when a name is given. */
const addMemberInput = z
  .object({
    userId: idParam.optional(),
    email: z.email().max(320).optional(),
    name: z.string().trim().min(1).max(200).optional(),
    password: z.string().min(8).max(200).optional(),
    role: role.default('agent'),
  })
  .refine((input) => input.userId !== undefined || input.email !== undefined, {
    message: 'Give userId or email',
    path: ['userId'],
  });

function toDto(member: Member): z.infer<typeof memberSchema> {
  return { ...member, createdAt: iso(member.createdAt) };
}

export function registerMemberRoutes(app: TypedApp, ctx: AppContext): void {
  app.get(
    '/v1/accounts/:accountId/members',
    {
      schema: {
        tags: ['members'],
        summary: "List the account's members",
        params: accountParams,
        querystring: pageQuery,
        response: { 200: pageOf(memberSchema), ...commonErrors },
      },
    },
    async (request) => {
      const access = await accountAccess(ctx.db, request, request.params.accountId);
      const { limit, cursor } = request.query;
      const page = await listMembers(ctx.db, { accountId: access.accountId, afterUserId: cursor, limit });
      return { data: page.items.map(toDto), nextCursor: page.nextCursor };
    },
  );

  app.post(
    '/v1/accounts/:accountId/members',
    {
      schema: {
        tags: ['members'],
        summary: 'Add a member (administrators)',
        params: accountParams,
        body: addMemberInput,
        response: { 201: memberSchema, 409: errorBodySchema, ...commonErrors },
      },
    },
    async (request, reply) => {
      const access = await accountAccess(ctx.db, request, request.params.accountId, { isAdminOnly: true });
      // The slow password hash runs first; then the new user and the membership commit together or not at all.
      const passwordHash = request.body.password ? await hashPassword(request.body.password) : undefined;
      const member = await ctx.db.transaction(async (tx) => {
        const userId = await resolveUserId(tx, request.body, passwordHash);
        return addMember(tx, { accountId: access.accountId, userId, role: request.body.role }, access.actor);
      });
      return reply.status(201).send(toDto(member));
    },
  );

  app.get(
    '/v1/accounts/:accountId/members/:userId',
    {
      schema: {
        tags: ['members'],
        summary: 'Get a member',
        params: memberParams,
        response: { 200: memberSchema, ...commonErrors },
      },
    },
    async (request) => {
      const access = await accountAccess(ctx.db, request, request.params.accountId);
      return toDto(await getMember(ctx.db, access.accountId, request.params.userId));
    },
  );

  app.patch(
    '/v1/accounts/:accountId/members/:userId',
    {
      schema: {
        tags: ['members'],
        summary: "Change a member's role (administrators) or availability (administrators or the member)",
        params: memberParams,
        body: z.object({ role: role.optional(), availability: availability.optional() }),
        response: { 200: memberSchema, ...commonErrors },
      },
    },
    async (request) => {
      const access = await accountAccess(ctx.db, request, request.params.accountId);
      const isSelf = access.principal.kind === 'user' && access.principal.userId === request.params.userId;
      const needsAdmin = request.body.role !== undefined || !isSelf;
      if (needsAdmin && !isAdministrator(access)) {
        throw new DomainError('FORBIDDEN', 'This operation needs the administrator role');
      }
      const input = { accountId: access.accountId, userId: request.params.userId, ...request.body };
      return toDto(await updateMember(ctx.db, input, access.actor));
    },
  );

  app.delete(
    '/v1/accounts/:accountId/members/:userId',
    {
      schema: {
        tags: ['members'],
        summary: 'Remove a member (administrators)',
        params: memberParams,
        response: { 204: z.null(), ...commonErrors },
      },
    },
    async (request, reply) => {
      const access = await accountAccess(ctx.db, request, request.params.accountId, { isAdminOnly: true });
      await removeMember(ctx.db, access.accountId, request.params.userId, access.actor);
      return reply.status(204).send(null);
    },
  );
}

async function resolveUserId(
  db: Db,
  input: z.infer<typeof addMemberInput>,
  passwordHash: string | undefined,
): Promise<number> {
  if (input.userId !== undefined) return (await getUser(db, input.userId)).id;
  const email = input.email ?? '';
  const existing = await findUserByEmail(db, email);
  if (existing) return existing.id;
  if (!input.name) {
    throw new DomainError('VALIDATION_FAILED', 'No user has this email; give a name to create one', [
      { path: 'body.name', message: 'is required to create a new user' },
    ]);
  }
  const user = await createUser(db, { name: input.name, email, passwordHash });
  return user.id;
}
