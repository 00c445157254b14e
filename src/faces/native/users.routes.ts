import { z } from 'zod';
import type { AppContext } from '../../platform/app-context.js';
import type { TypedApp } from '../../platform/http/typed-app.js';
import { principalOf, requirePlatform, requireUser } from '../shared/access.js';
import { authRateLimit } from '../../platform/http/rate-limit.js';
import { commonErrors, idParam, iso, isoDate } from './schemas.js';
import { errorBodySchema } from './errors.js';
import { login } from '../../core/identity/authenticate.js';
import { createUser, getUser, toPublicUser, updateUser } from '../../core/identity/users.js';
import { createAccessToken, listAccessTokens, revokeAccessToken } from '../../core/identity/access-tokens.js';
import type { AccessTokenView } from '../../core/identity/access-tokens.js';
import type { UserRow } from '../../core/identity/identity.tables.js';
import { listMembershipsOfUser } from '../../core/identity/members.js';

const availability = z.enum(['online', 'busy', 'offline']);

export const userSchema = z.object({
  id: z.number(),
  name: z.string(),
  displayName: z.string().nullable(),
  email: z.string(),
  avatarUrl: z.string().nullable(),
  availability,
  createdAt: isoDate,
  updatedAt: isoDate,
});

const tokenSchema = z.object({
  id: z.number(),
  name: z.string(),
  tokenPrefix: z.string(),
  lastUsedAt: isoDate.nullable(),
  revokedAt: isoDate.nullable(),
  createdAt: isoDate,
});

const userInput = z.object({
  name: z.string().trim().min(1).max(200),
  email: z.email().max(320),
  password: z.string().min(8).max(200).optional(),
  displayName: z.string().max(200).optional(),
});

export function toUserDto(user: UserRow): z.infer<typeof userSchema> {
  const visible = toPublicUser(user);
  return {
    id: visible.id,
    name: visible.name,
    displayName: visible.displayName,
    email: visible.email,
    avatarUrl: visible.avatarUrl,
    availability: visible.availability,
    createdAt: iso(visible.createdAt),
    updatedAt: iso(visible.updatedAt),
  };
}

export const membershipSchema = z.object({
  accountId: z.number(),
  accountName: z.string(),
  role: z.enum(['administrator', 'agent']),
});

function toTokenDto(token: AccessTokenView): z.infer<typeof tokenSchema> {
  return {
    id: token.id,
    name: token.name,
    tokenPrefix: token.tokenPrefix,
    lastUsedAt: iso(token.lastUsedAt),
    revokedAt: iso(token.revokedAt),
    createdAt: iso(token.createdAt),
  };
}

export function registerUserRoutes(app: TypedApp, ctx: AppContext): void {
  app.post(
    '/v1/auth/login',
    {
      config: { isPublic: true, rateLimit: authRateLimit(ctx.config) },
      schema: {
        tags: ['auth'],
        summary: 'Exchange email and password for a personal access token',
        body: z.object({ email: z.string().min(1), password: z.string().min(1) }),
        response: {
          200: z.object({ token: z.string(), user: userSchema }),
          401: errorBodySchema,
          422: errorBodySchema,
        },
      },
    },
    async (request) => {
      const session = await login(ctx.db, request.body);
      return { token: session.token, user: toUserDto(await getUser(ctx.db, session.userId)) };
    },
  );

  app.get(
    '/v1/me',
    {
      schema: {
        tags: ['auth'],
        summary: 'Who the credentials belong to',
        response: {
          200: z.object({
            kind: z.enum(['platform', 'user', 'api_key', 'agent_bot']),
            user: userSchema.nullable(),
            accountId: z.number().nullable(),
            memberships: z.array(membershipSchema),
          }),
          ...commonErrors,
        },
      },
    },
    async (request) => {
      const principal = principalOf(request);
      if (principal.kind !== 'user') {
        const accountId =
          principal.kind === 'api_key' || principal.kind === 'agent_bot' ? principal.accountId : null;
        return { kind: principal.kind, user: null, accountId, memberships: [] };
      }
      const user = await getUser(ctx.db, principal.userId);
      const memberships = await listMembershipsOfUser(ctx.db, principal.userId);
      return { kind: principal.kind, user: toUserDto(user), accountId: null, memberships };
    },
  );

  app.get(
    '/v1/me/tokens',
    {
      schema: {
        tags: ['auth'],
        summary: 'List my access tokens',
        response: { 200: z.object({ data: z.array(tokenSchema) }), ...commonErrors },
      },
    },
    async (request) => ({ data: (await listAccessTokens(ctx.db, requireUser(request))).map(toTokenDto) }),
  );

  app.post(
    '/v1/me/tokens',
    {
      schema: {
        tags: ['auth'],
        summary: 'Create an access token (shown once)',
        body: z.object({ name: z.string().trim().min(1).max(100) }),
        response: { 201: tokenSchema.extend({ token: z.string() }), ...commonErrors },
      },
    },
    async (request, reply) => {
      const created = await createAccessToken(ctx.db, {
        userId: requireUser(request),
        name: request.body.name,
      });
      return reply.status(201).send({ ...toTokenDto(created.accessToken), token: created.token });
    },
  );

  app.delete(
    '/v1/me/tokens/:tokenId',
    {
      schema: {
        tags: ['auth'],
        summary: 'Revoke one of my access tokens',
        params: z.object({ tokenId: idParam }),
        response: { 200: tokenSchema, ...commonErrors },
      },
    },
    async (request) =>
      toTokenDto(await revokeAccessToken(ctx.db, requireUser(request), request.params.tokenId)),
  );

  app.post(
    '/v1/users',
    {
      schema: {
        tags: ['users'],
        summary: 'Create a user (platform token)',
        body: userInput,
        response: { 201: userSchema, 409: errorBodySchema, ...commonErrors },
      },
    },
    async (request, reply) => {
      requirePlatform(request);
      return reply.status(201).send(toUserDto(await createUser(ctx.db, request.body)));
    },
  );

  app.patch(
    '/v1/users/:userId',
    {
      schema: {
        tags: ['users'],
        summary: 'Update a user (the user themself, or the platform token)',
        params: z.object({ userId: idParam }),
        body: z.object({
          name: z.string().trim().min(1).max(200).optional(),
          displayName: z.string().max(200).nullable().optional(),
          availability: availability.optional(),
          password: z.string().min(8).max(200).optional(),
        }),
        response: { 200: userSchema, ...commonErrors },
      },
    },
    async (request) => {
      const principal = principalOf(request);
      const isSelf = principal.kind === 'user' && principal.userId === request.params.userId;
      if (!isSelf) requirePlatform(request);
      return toUserDto(await updateUser(ctx.db, request.params.userId, request.body));
    },
  );
}
