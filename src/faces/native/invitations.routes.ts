import { z } from 'zod';
import type { AppContext } from '../../platform/app-context.js';
import type { TypedApp } from '../../platform/http/typed-app.js';
import { hashPassword } from '../../platform/auth/passwords.js';
import { DomainError } from '../../platform/errors.js';
import { authRateLimit } from '../../platform/http/rate-limit.js';
import { accountAccess, principalOf, requireUser } from '../shared/access.js';
import { actorOf } from '../../core/identity/principal.js';
import {
  createInvitation,
  getInvitation,
  listInvitations,
  revokeInvitation,
} from '../../core/identity/invitations.js';
import {
  acceptInvitation,
  acceptInvitationAsNewUser,
  declineInvitation,
  isAcceptableToken,
  listInvitationsForUser,
} from '../../core/identity/invitation-responses.js';
import { accountParams, commonErrors, idParam, iso, isoDate, pageOf, pageQuery } from './schemas.js';
import { errorBodySchema } from './errors.js';
import {
  createdInvitationSchema,
  invitationSchema,
  memberSchema,
  role,
  toInvitationDto,
  toMemberDto,
} from './membership-schemas.js';

const tags = ['invitations'];
const invitationParams = accountParams.extend({ invitationId: idParam });
const receivedParams = z.object({ invitationId: idParam });

const receivedInvitationSchema = z.object({
  id: z.number(),
  accountId: z.number(),
  accountName: z.string(),
  role,
  expiresAt: isoDate,
  createdAt: isoDate,
});

/** Administrators' side: invite, list, look at and withdraw the account's invitations. */
function registerAccountInvitationRoutes(app: TypedApp, ctx: AppContext): void {
  const base = '/v1/accounts/:accountId/invitations';

  app.post(
    base,
    {
      schema: {
        tags,
        summary:
          'Invite an email to join the account (administrators); the answer is the same whether or not it has a user',
        params: accountParams,
        body: z.object({
          email: z.email().max(320),
          role: role.default('agent'),
          name: z.string().trim().min(1).max(200).optional(),
        }),
        response: { 201: createdInvitationSchema, ...commonErrors },
      },
    },
    async (request, reply) => {
      const access = await accountAccess(ctx.db, request, request.params.accountId, { isAdminOnly: true });
      const { invitation, token } = await createInvitation(
        ctx.db,
        { accountId: access.accountId, ...request.body },
        access.actor,
      );
      return reply.status(201).send({ ...toInvitationDto(invitation), token });
    },
  );

  app.get(
    base,
    {
      schema: {
        tags,
        summary: "List the account's invitations, newest first (administrators)",
        params: accountParams,
        querystring: pageQuery.extend({ status: invitationSchema.shape.status.optional() }),
        response: { 200: pageOf(invitationSchema), ...commonErrors },
      },
    },
    async (request) => {
      const access = await accountAccess(ctx.db, request, request.params.accountId, { isAdminOnly: true });
      const { limit, cursor, status } = request.query;
      const page = await listInvitations(ctx.db, {
        accountId: access.accountId,
        state: status,
        beforeId: cursor,
        limit,
      });
      return { data: page.items.map(toInvitationDto), nextCursor: page.nextCursor };
    },
  );

  app.get(
    `${base}/:invitationId`,
    {
      schema: {
        tags,
        summary: 'Get an invitation (administrators)',
        params: invitationParams,
        response: { 200: invitationSchema, ...commonErrors },
      },
    },
    async (request) => {
      const access = await accountAccess(ctx.db, request, request.params.accountId, { isAdminOnly: true });
      return toInvitationDto(await getInvitation(ctx.db, access.accountId, request.params.invitationId));
    },
  );

  app.delete(
    `${base}/:invitationId`,
    {
      schema: {
        tags,
        summary: 'Withdraw a pending invitation (administrators)',
        params: invitationParams,
        response: { 204: z.null(), 409: errorBodySchema, ...commonErrors },
      },
    },
    async (request, reply) => {
      const access = await accountAccess(ctx.db, request, request.params.accountId, { isAdminOnly: true });
      await revokeInvitation(ctx.db, access.accountId, request.params.invitationId, access.actor);
      return reply.status(204).send(null);
    },
  );
}

/** The invited person's side: see, accept or decline what was sent to their email. */
function registerReceivedInvitationRoutes(app: TypedApp, ctx: AppContext): void {
  app.get(
    '/v1/invitations',
    {
      schema: {
        tags,
        summary: 'My pending invitations (a user token)',
        response: { 200: z.object({ data: z.array(receivedInvitationSchema) }), ...commonErrors },
      },
    },
    async (request) => {
      const invitations = await listInvitationsForUser(ctx.db, requireUser(request));
      return {
        data: invitations.map((row) => ({
          ...row,
          expiresAt: iso(row.expiresAt),
          createdAt: iso(row.createdAt),
        })),
      };
    },
  );

  app.post(
    '/v1/invitations/:invitationId/accept',
    {
      schema: {
        tags,
        summary: 'Accept one of my invitations and join the account (a user token)',
        params: receivedParams,
        response: { 200: memberSchema, 409: errorBodySchema, ...commonErrors },
      },
    },
    async (request) => {
      const userId = requireUser(request);
      const input = { userId, id: request.params.invitationId };
      return toMemberDto(await acceptInvitation(ctx.db, input, actorOf(principalOf(request))));
    },
  );

  app.post(
    '/v1/invitations/:invitationId/decline',
    {
      schema: {
        tags,
        summary: 'Decline one of my invitations (a user token)',
        params: receivedParams,
        response: { 204: z.null(), 409: errorBodySchema, ...commonErrors },
      },
    },
    async (request, reply) => {
      const userId = requireUser(request);
      const input = { userId, id: request.params.invitationId };
      await declineInvitation(ctx.db, input, actorOf(principalOf(request)));
      return reply.status(204).send(null);
    },
  );

  app.post(
    '/v1/invitations/accept',
    {
      config: { isPublic: true, rateLimit: authRateLimit(ctx.config) },
      schema: {
        tags,
        summary:
          "Accept with the invitation's token as someone new: creates the user, joins the account, signs in",
        body: z.object({
          token: z.string().min(1).max(200),
          name: z.string().trim().min(1).max(200).optional(),
          password: z.string().min(8).max(200),
        }),
        response: {
          201: z.object({ member: memberSchema, token: z.string() }),
          401: errorBodySchema,
          409: errorBodySchema,
          422: errorBodySchema,
        },
      },
    },
    async (request, reply) => {
      // A bad token is refused before the slow password hash, which then runs outside the transaction.
      if (!(await isAcceptableToken(ctx.db, request.body.token))) {
        throw new DomainError('UNAUTHENTICATED', 'Invalid or expired invitation');
      }
      const passwordHash = await hashPassword(request.body.password);
      const { member, token } = await acceptInvitationAsNewUser(ctx.db, {
        token: request.body.token,
        name: request.body.name,
        passwordHash,
      });
      return reply.status(201).send({ member: toMemberDto(member), token });
    },
  );
}

export function registerInvitationRoutes(app: TypedApp, ctx: AppContext): void {
  registerAccountInvitationRoutes(app, ctx);
  registerReceivedInvitationRoutes(app, ctx);
}
