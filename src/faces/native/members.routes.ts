import { z } from 'zod';
import type { AppContext } from '../../platform/app-context.js';
import type { TypedApp } from '../../platform/http/typed-app.js';
import { DomainError, notFound } from '../../platform/errors.js';
import { listAgentProfilesByUserIds } from '../../core/identity/agent-profiles.js';
import { changeAgentProfile } from '../../core/identity/change-agent-profile.js';
import type { Db } from '../../platform/db/database.js';
import { hashPassword } from '../../platform/auth/passwords.js';
import { accountAccess, requireUser } from '../shared/access.js';
import { isAdministrator, type AccountAccess } from '../../core/identity/principal.js';
import { accountParams, commonErrors, idParam, pageOf, pageQuery } from './schemas.js';
import { errorBodySchema } from './errors.js';
import {
  addMember,
  getMember,
  listMembers,
  removeMember,
  updateMember,
} from '../../core/identity/members.js';
import { createUser, findUserByEmail, getUser } from '../../core/identity/users.js';
import { createInvitation } from '../../core/identity/invitations.js';
import {
  availability,
  createdInvitationSchema,
  memberSchema,
  role,
  toInvitationDto,
  toMemberDto,
} from './membership-schemas.js';

const memberParams = accountParams.extend({ userId: idParam });

/**
 * Administrators invite by email (202 and an invitation, whether or not the email has a user).
 * Only the platform token adds a user directly, by id or email, creating it when a name is given.
 */
const addMemberInput = z
  .object({
    userId: idParam.optional().describe('Platform token only'),
    email: z.email().max(320).optional(),
    name: z.string().trim().min(1).max(200).optional(),
    password: z.string().min(8).max(200).optional().describe('Platform token only'),
    role: role.default('agent'),
  })
  .refine((input) => input.userId !== undefined || input.email !== undefined, {
    message: 'Give userId or email',
    path: ['userId'],
  });
type AddMemberInput = z.infer<typeof addMemberInput>;

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
      return { data: page.items.map(toMemberDto), nextCursor: page.nextCursor };
    },
  );

  app.post(
    '/v1/accounts/:accountId/members',
    {
      schema: {
        tags: ['members'],
        summary: 'Invite someone by email (administrators), or add a user directly (platform token)',
        params: accountParams,
        body: addMemberInput,
        response: { 201: memberSchema, 202: createdInvitationSchema, 409: errorBodySchema, ...commonErrors },
      },
    },
    async (request, reply) => {
      const access = await accountAccess(ctx.db, request, request.params.accountId, { isAdminOnly: true });
      if (access.principal.kind === 'platform') {
        return reply.status(201).send(toMemberDto(await addDirectly(ctx.db, access, request.body)));
      }
      const email = refuseDirectAdd(request.body);
      const { invitation, token } = await createInvitation(
        ctx.db,
        { accountId: access.accountId, email, role: request.body.role, name: request.body.name },
        access.actor,
      );
      return reply.status(202).send({ ...toInvitationDto(invitation), token });
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
      return toMemberDto(await getMember(ctx.db, access.accountId, request.params.userId));
    },
  );

  app.patch(
    '/v1/accounts/:accountId/members/:userId',
    {
      schema: {
        tags: ['members'],
        summary:
          "Change a member's role or display name (administrators) or availability (administrators or the member)",
        description:
          "A display name is the person's own: an agent who also belongs to another account keeps theirs (403).",
        params: memberParams,
        body: z.object({
          role: role.optional(),
          availability: availability.optional(),
          displayName: z.string().trim().min(1).max(200).optional(),
        }),
        response: { 200: memberSchema, 409: errorBodySchema, ...commonErrors },
      },
    },
    async (request) => {
      const access = await accountAccess(ctx.db, request, request.params.accountId);
      const { displayName, ...membership } = request.body;
      const needsAdmin =
        membership.role !== undefined || displayName !== undefined || !isSelf(access, request.params.userId);
      if (needsAdmin && !isAdministrator(access)) {
        throw new DomainError('FORBIDDEN', 'This operation needs the administrator role');
      }
      const target = { accountId: access.accountId, userId: request.params.userId };
      if (displayName !== undefined) await renameMember(ctx.db, access, target.userId, displayName);
      if (membership.role === undefined && membership.availability === undefined) {
        return toMemberDto(await getMember(ctx.db, target.accountId, target.userId));
      }
      return toMemberDto(await updateMember(ctx.db, { ...target, ...membership }, access.actor));
    },
  );

  app.delete(
    '/v1/accounts/:accountId/members/:userId',
    {
      schema: {
        tags: ['members'],
        summary: 'Remove a member (administrators), or leave the account (the member)',
        params: memberParams,
        response: { 204: z.null(), 409: errorBodySchema, ...commonErrors },
      },
    },
    async (request, reply) => {
      const access = await accountAccess(ctx.db, request, request.params.accountId);
      if (!isSelf(access, request.params.userId) && !isAdministrator(access)) {
        throw new DomainError('FORBIDDEN', 'This operation needs the administrator role');
      }
      await removeMember(ctx.db, access.accountId, request.params.userId, access.actor);
      return reply.status(204).send(null);
    },
  );

  app.post(
    '/v1/accounts/:accountId/leave',
    {
      schema: {
        tags: ['members'],
        summary: 'Leave the account (a user token); the last administrator cannot leave',
        params: accountParams,
        response: { 204: z.null(), 409: errorBodySchema, ...commonErrors },
      },
    },
    async (request, reply) => {
      const userId = requireUser(request);
      const access = await accountAccess(ctx.db, request, request.params.accountId);
      await removeMember(ctx.db, access.accountId, userId, access.actor);
      return reply.status(204).send(null);
    },
  );
}

/** Through the agent profile, as the other faces rename agents (and with the same refusal). */
async function renameMember(db: Db, access: AccountAccess, userId: number, displayName: string) {
  const [profile] = await listAgentProfilesByUserIds(db, access.accountId, [userId]);
  if (!profile) throw notFound('Member');
  await changeAgentProfile(
    db,
    { accountId: access.accountId, uuid: profile.uuid, changes: { displayName } },
    access.actor,
  );
}

function isSelf(access: AccountAccess, userId: number): boolean {
  return access.principal.kind === 'user' && access.principal.userId === userId;
}

/**
 * Ids are sequential, so adding by id would let an administrator enumerate and enrol every user;
 * an administrator-chosen password would make the new user theirs. Both are refused before any
 * lookup, so the refusal says nothing about the user either.
 */
function refuseDirectAdd(input: AddMemberInput): string {
  if (input.userId !== undefined || input.email === undefined) {
    throw new DomainError('FORBIDDEN', 'Only the platform token adds a user by id; invite by email instead', [
      { path: 'body.userId', message: 'needs the platform token' },
    ]);
  }
  if (input.password !== undefined) {
    throw new DomainError('VALIDATION_FAILED', 'The invited person chooses their password when accepting', [
      { path: 'body.password', message: 'is chosen by the invited person' },
    ]);
  }
  return input.email;
}

/** The platform operator's direct add: the user joins at once, and is created when a name is given. */
async function addDirectly(db: Db, access: AccountAccess, input: AddMemberInput) {
  // The slow password hash runs first; then the new user and the membership commit together or not at all.
  const passwordHash = input.password ? await hashPassword(input.password) : undefined;
  return db.transaction(async (tx) => {
    const userId = await resolveUserId(tx, input, passwordHash);
    return addMember(tx, { accountId: access.accountId, userId, role: input.role }, access.actor);
  });
}

async function resolveUserId(
  db: Db,
  input: AddMemberInput,
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
